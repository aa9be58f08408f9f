#include "SearchView.h"

#include "HtmlDelegate.h"
#include "core/store/Store.h"
#include "ui/models/RecordTableModel.h"
#include "ui/workers/DatabaseSession.h"
#include "ui/workers/SearchIndexBuild.h"

#include <QCheckBox>
#include <QDateTime>
#include <QElapsedTimer>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace ctx::ui {

namespace {
struct SearchOutcome {
    Result<QList<SearchHit>> hits;
    QString method;
    qint64 ms = 0;
    int rankWindow = 0;      // only the newest N matches were ranked
    bool fromNewest = false; // answered from the newest messages only
    bool buildIndex = false; // the index is far behind: build it on another thread
    bool scanOlder = false;  // no index on this connection: the older messages follow
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
          {tr("Session"), tr("Time (UTC)"), tr("Sender"), tr("Match"), tr("Rank")}, this))
    , m_buildProgress(new QProgressBar)
    , m_stopBuild(new QToolButton)
    , m_build(new SearchIndexBuild(this)) {
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
    auto* status = new QHBoxLayout;
    status->addWidget(m_info, 1);
    status->addWidget(m_buildProgress);
    status->addWidget(m_stopBuild);
    layout->addLayout(status);
    m_info->setWordWrap(true);
    m_buildProgress->setMinimumWidth(240);
    m_buildProgress->setMaximumWidth(320);
    m_buildProgress->setAccessibleName(tr("Search index build"));
    m_buildProgress->hide();
    m_stopBuild->setText(tr("Stop indexing"));
    m_stopBuild->setToolTip(tr("Stop building the search index; the next search goes on from "
                               "where it stopped"));
    m_stopBuild->hide();
    connect(m_stopBuild, &QToolButton::clicked, m_build, &SearchIndexBuild::stop);
    connect(m_build, &SearchIndexBuild::progress, this, &SearchView::showBuildProgress);
    connect(m_build, &SearchIndexBuild::finished, this, &SearchView::onBuildFinished);
    connect(m_query, &QLineEdit::returnPressed, this, [this] { search(m_query->text()); });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                if (current.isValid())
                    emit messageSelected(m_model->rowAt(current.row()).key.toLongLong(), m_viewer);
            });
}

void SearchView::setSession(DatabaseSession* session) {
    m_session = session;
    m_build->stop(); // it belongs to the old file; its batches stay for next time
    m_buildProgress->hide();
    m_stopBuild->hide();
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

bool SearchView::isBuildingIndex() const {
    return m_build->isRunning();
}

QString SearchView::infoText() const {
    return m_info->text();
}

void SearchView::showBuildProgress(qint64 done, qint64 total) {
    m_buildProgress->setRange(0, 1000);
    m_buildProgress->setValue(total > 0 ? int(1000 * done / total) : 0);
    m_buildProgress->setFormat(
        tr("Indexing for search: %1 %")
            .arg(total > 0 ? QString::number(100.0 * double(done) / double(total), 'f', 1)
                           : QStringLiteral("0")));
    m_buildProgress->show();
    m_stopBuild->show();
}

void SearchView::onBuildFinished(bool ok, bool cancelled, const QString& message) {
    m_buildProgress->hide();
    m_stopBuild->hide();
    emit indexBuildFinished(ok);
    if (ok) {
        if (!m_lastText.isEmpty() && !m_lastIndexed)
            search(m_lastText); // through the index now, over every message
        return;
    }
    m_info->setText(m_info->text() + QStringLiteral("\n") +
                    (cancelled ? tr("Search index build stopped; the next search goes on from "
                                    "where it stopped.")
                               : tr("Search index not built: %1").arg(message)));
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
    runSearch(q, gen, true);
}

// firstAnswer: where no index answers (the SQLite side index far behind, or PostgreSQL
// without its full-text index on a connection that may not build it), the newest
// messages are read for up to m_firstAnswerMs and shown; then the rest.
void SearchView::runSearch(const SearchQuery& q, quint64 gen, bool firstAnswer) {
    if (!m_session)
        return;
    DatabaseSession* relay = m_session;
    const bool building = m_build->isRunning();
    const int budgetMs = m_firstAnswerMs;
    m_session->run<SearchOutcome>(
        this,
        [q, relay, building, budgetMs, firstAnswer](WorkerContext& ctx) {
            SearchOutcome out;
            if (!ctx.conn || !ctx.search) {
                out.hits = fail(ErrorCode::ConnectionFailed, QStringLiteral("not connected"));
                return out;
            }
            if (!ctx.search->isPrepared()) {
                // Far behind: answer from the newest messages now; the index is built
                // on another thread (SearchIndexBuild), never on this worker.
                auto backlog = building ? Result<qint64>(SearchIndex::kQuickBacklog + 1)
                                        : ctx.search->backlog();
                if (!backlog) {
                    out.hits = std::unexpected(backlog.error());
                    return out;
                }
                if (*backlog > SearchIndex::kQuickBacklog) {
                    QElapsedTimer timer;
                    timer.start();
                    out.hits = ctx.search->searchNewest(q, QDeadlineTimer(budgetMs));
                    out.ms = timer.elapsed();
                    const auto reach = ctx.search->lastScanReach();
                    out.method = scanReachNote(reach.idsRead, reach.idsTotal);
                    out.rankWindow = ctx.search->lastRankWindow();
                    out.fromNewest = !reach.everyMessage();
                    out.buildIndex = true;
                    return out;
                }
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
            if (firstAnswer && ctx.search->method() == SearchMethod::FullScan) {
                out.hits = ctx.search->searchNewest(q, QDeadlineTimer(budgetMs));
                const auto reach = ctx.search->lastScanReach();
                if (!out.hits || !reach.everyMessage()) {
                    out.ms = timer.elapsed();
                    out.method = scanReachNote(reach.idsRead, reach.idsTotal, false);
                    out.rankWindow = ctx.search->lastRankWindow();
                    out.fromNewest = out.scanOlder = true;
                    return out;
                }
            }
            out.hits = ctx.search->search(q);
            out.ms = timer.elapsed();
            out.method = searchMethodName(ctx.search->method());
            if (ctx.search->lastScanWantsIndex())
                out.method += QStringLiteral("; ") + indexAdviceNote(ctx.conn->engine());
            out.rankWindow = ctx.search->lastRankWindow();
            return out;
        },
        [this, gen, q](const SearchOutcome& out) {
            if (gen == m_generation && out.scanOlder && out.hits) // the rest, then
                runSearch(q, gen, false);
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
            m_lastIndexed = !out.fromNewest;
            if (out.buildIndex && m_session && m_session->url().isSqlite()) {
                const QString path = m_session->url().filePath();
                const bool started = !m_build->isRunning() || m_build->sourcePath() != path;
                m_build->start(path); // goes on if it runs for this file already
                if (started)
                    showBuildProgress(0, 0); // shown at once, before its first batch is in
            }
            QString info = tr("%n hit(s) in %1 ms (%2)", nullptr, int(rows.size()))
                               .arg(out.ms)
                               .arg(out.method);
            if (out.rankWindow > 0) // say so: older matches exist but were not ranked
                info += QStringLiteral("; ") + rankWindowNote(out.rankWindow);
            if (out.buildIndex && out.fromNewest)
                info += tr("; the index is being built, then this search runs again");
            if (out.scanOlder)
                info += tr("; searching the older messages…");
            m_info->setText(info);
            emit finished(int(rows.size()));
        });
}

} // namespace ctx::ui
