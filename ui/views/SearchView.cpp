#include "SearchView.h"

#include "HtmlDelegate.h"
#include "core/store/Store.h"
#include "ui/models/RecordTableModel.h"
#include "ui/workers/DatabaseSession.h"

#include <QCheckBox>
#include <QDateTime>
#include <QElapsedTimer>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QTableView>
#include <QVBoxLayout>

namespace ctx::ui {

namespace {
struct SearchOutcome {
    Result<QList<SearchHit>> hits;
    QString method;
    qint64 ms = 0;
    int rankWindow = 0; // only the newest N matches were ranked
};
enum Column { SessionColumn, TimeColumn, SenderColumn, SnippetColumn, RankColumn };
} // namespace

SearchView::SearchView(QWidget* parent)
    : QWidget(parent)
    , m_query(new QLineEdit)
    , m_thisSession(new QCheckBox(tr("Only the selected session")))
    , m_info(new QLabel)
    , m_table(new QTableView)
    , m_model(new RecordTableModel(
          {tr("Session"), tr("Time (UTC)"), tr("Sender"), tr("Match"), tr("Rank")}, this)) {
    m_query->setPlaceholderText(tr("Search all messages (content, sender, metadata)…"));
    m_query->setClearButtonEnabled(true);
    m_model->setHtmlColumn(SnippetColumn);
    m_table->setModel(m_model);
    m_table->setItemDelegateForColumn(SnippetColumn, new HtmlDelegate(m_table));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(SnippetColumn, QHeaderView::Stretch);
    m_table->setWordWrap(false);
    m_table->setAlternatingRowColors(true);
    auto* bar = new QHBoxLayout;
    bar->addWidget(m_query, 1);
    bar->addWidget(m_thisSession);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_info);
    connect(m_query, &QLineEdit::returnPressed, this, [this] { search(m_query->text()); });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                if (current.isValid())
                    emit messageSelected(m_model->rowAt(current.row()).key.toLongLong(), m_viewer);
            });
}

void SearchView::setSession(DatabaseSession* session) {
    m_session = session;
    ++m_generation; // an answer still on its way belongs to the old database
    m_currentSession.clear();
    m_lastText.clear();
    m_model->setRows({});
    m_info->clear();
}

void SearchView::setViewer(const Viewer& viewer) {
    if (viewer == m_viewer)
        return;
    m_viewer = viewer;
    ++m_generation;
    m_model->setRows({}); // hits found through other eyes never stay on screen
    m_info->clear();
    if (!m_lastText.isEmpty())
        search(m_lastText);
}

void SearchView::focusQuery() {
    m_query->setFocus();
    m_query->selectAll();
}

int SearchView::hitCount() const {
    return m_model->rowCount();
}

void SearchView::search(const QString& text) {
    if (!m_session || text.trimmed().isEmpty())
        return;
    if (m_query->text() != text)
        m_query->setText(text);
    SearchQuery q;
    q.text = text.trimmed();
    q.limit = 200;
    q.viewer = m_viewer;
    m_lastText = text;
    if (m_thisSession->isChecked())
        q.sessionId = m_currentSession;
    const quint64 gen = ++m_generation;
    m_info->setText(tr("Searching…"));
    QPointer<DatabaseSession> session = m_session;
    DatabaseSession* relay = m_session;
    m_session->run<SearchOutcome>(
        this,
        [q, relay](WorkerContext& ctx) {
            SearchOutcome out;
            if (!ctx.conn || !ctx.search) {
                out.hits = fail(ErrorCode::ConnectionFailed, QStringLiteral("not connected"));
                return out;
            }
            if (!ctx.search->isPrepared()) {
                ctx.search->setProgress([relay](qint64 done, qint64 total) {
                    relay->reportProgress(QObject::tr("Indexing messages for search"), done, total);
                });
                auto prepared = ctx.search->prepare(false);
                relay->reportProgress(QString(), 1, 1);
                if (!prepared) {
                    out.hits = std::unexpected(prepared.error());
                    return out;
                }
            }
            QElapsedTimer timer;
            timer.start();
            out.hits = ctx.search->search(q);
            out.ms = timer.elapsed();
            out.method = searchMethodName(ctx.search->method());
            out.rankWindow = ctx.search->lastRankWindow();
            return out;
        },
        [this, gen, q](const SearchOutcome& out) {
            if (gen != m_generation)
                return;
            if (!out.hits) {
                m_info->setText(out.hits.error().oneLine());
                emit failed(out.hits.error().oneLine());
                return;
            }
            QList<RecordRow> rows;
            for (const SearchHit& h : *out.hits) {
                RecordRow r;
                const QString when =
                    h.message.timestamp
                        ? QDateTime::fromMSecsSinceEpoch(*h.message.timestamp / 1000, Qt::UTC)
                              .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
                        : h.message.rawTimestamp.display();
                const QString snippet =
                    h.snippet.isEmpty() ? h.message.content.left(300) : h.snippet;
                r.values = {h.message.sessionId, when, h.message.sender,
                            highlightTerms(snippet, q.text), h.rank};
                r.key = h.message.id;
                r.toolTip = h.message.content.left(1000);
                rows << r;
            }
            m_model->setRows(rows);
            m_table->resizeColumnToContents(SessionColumn);
            m_table->resizeColumnToContents(TimeColumn);
            m_table->resizeColumnToContents(SenderColumn);
            m_lastMs = out.ms;
            QString info = tr("%n hit(s) in %1 ms (%2)", nullptr, int(rows.size()))
                               .arg(out.ms)
                               .arg(out.method);
            if (out.rankWindow > 0) // say so: older matches exist but were not ranked
                info += QStringLiteral("; ") + rankWindowNote(out.rankWindow);
            m_info->setText(info);
            emit finished(int(rows.size()));
        });
}

} // namespace ctx::ui
