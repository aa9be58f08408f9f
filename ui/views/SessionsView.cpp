#include "SessionsView.h"

#include "core/inspect/SessionBrowser.h"
#include "core/store/Store.h"
#include "ui/models/RecordTableModel.h"
#include "ui/workers/DatabaseSession.h"

#include <QDateTime>
#include <QHash>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace ctx::ui {

SessionsView::SessionsView(QWidget* parent)
    : QWidget(parent)
    , m_filter(new QLineEdit)
    , m_table(new QTableView)
    , m_model(new RecordTableModel({tr("Id"), tr("Purpose"), tr("Created by"), tr("Active"),
                                    tr("Messages"), tr("Agents"), tr("Last activity (UTC)")},
                                   this))
    , m_proxy(new QSortFilterProxyModel(this)) {
    m_filter->setPlaceholderText(tr("Filter sessions (id, purpose, creator, agent)…"));
    m_filter->setClearButtonEnabled(true);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(RecordTableModel::SortRole);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterKeyColumn(-1);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(LastActivityColumn, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_filter);
    layout->addWidget(m_table);
    connect(m_filter, &QLineEdit::textChanged, m_proxy,
            &QSortFilterProxyModel::setFilterFixedString);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                if (!current.isValid() || m_restoring)
                    return;
                const QString id =
                    current.siblingAtColumn(0).data(RecordTableModel::KeyRole).toString();
                if (m_choosing)
                    emit mostRecentSelected(id);
                else
                    emit sessionSelected(id);
            });
}

void SessionsView::setSession(DatabaseSession* fast, DatabaseSession* slow) {
    m_session = fast;
    m_slow = slow ? slow : fast;
    m_listed = m_hasCounts = m_hasAgents = false;
    m_slowRunning = m_slowAgain = false; // the old database's answers never arrive
    m_shown.clear();
    m_model->setRows({});
    reload();
}

namespace {
// `fresh` in its order, each session with what `known` says of it where `fresh` has
// less: the counts of an earlier read until the new counts come, the agents until the
// new agents come.
QList<SessionInfo> mergedWith(QList<SessionInfo> fresh, const QList<SessionInfo>& known,
                              bool keepCounts) {
    QHash<QString, const SessionInfo*> byId;
    for (const SessionInfo& s : known)
        byId.insert(s.id, &s);
    for (SessionInfo& s : fresh)
        if (const SessionInfo* k = byId.value(s.id)) {
            if (keepCounts) {
                s.messageCount = k->messageCount;
                s.lastActivity = k->lastActivity;
            }
            s.agents = k->agents;
        }
    return fresh;
}
} // namespace

void SessionsView::reload() {
    if (!m_session || !m_slow)
        return;
    using Rows = Result<QList<SessionInfo>>;
    m_session->run<Rows>(
        this,
        [](WorkerContext& ctx) -> Rows {
            if (!ctx.conn)
                return fail(ErrorCode::ConnectionFailed, QStringLiteral("not connected"));
            return SessionBrowser::quickList(*ctx.conn, 5000);
        },
        [this](const Rows& sessions) {
            if (!sessions) {
                emit failed(sessions.error().oneLine());
                return;
            }
            // A new session shows at once; those known keep their counts meanwhile.
            if (m_shown.isEmpty() || sessions->size() != m_shown.size())
                showSessions(mergedWith(*sessions, m_shown, true));
            m_listed = true;
            emit listed(int(sessions->size()));
        });
    // The counts and agents are read on the slow worker, never queued twice: a reload
    // while they run (a live server's new sessions) runs them once more after.
    if (m_slowRunning) {
        m_slowAgain = true;
        return;
    }
    m_slowRunning = true;
    loadCounts();
}

// The counts and last activity come from an index where there is one (seconds on ten
// million messages); the agents, on a legacy file, from a pass over the whole table (a
// minute there, cold): they follow, so that the list, the first screen and the jobs
// queued behind (memory, audit) do not wait for them.
void SessionsView::loadCounts() {
    listOnSlowWorker(SessionDetail::CountsOnly, [this](const QList<SessionInfo>& sessions) {
        showSessions(mergedWith(sessions, m_shown, false));
        m_listed = m_hasCounts = true;
        if (currentSessionId().isEmpty()) {
            m_choosing = true;
            selectSession(mostRecentSessionId());
            m_choosing = false;
        }
        emit loaded(int(sessions.size()));
        loadAgents();
    });
}

void SessionsView::loadAgents() {
    listOnSlowWorker(SessionDetail::WithAgents, [this](const QList<SessionInfo>& sessions) {
        showSessions(sessions);
        m_hasAgents = true;
        slowDone();
        emit agentsLoaded(int(sessions.size()));
    });
}

void SessionsView::listOnSlowWorker(SessionDetail detail,
                                    std::function<void(const QList<SessionInfo>&)> then) {
    using Rows = Result<QList<SessionInfo>>;
    m_slow->run<Rows>(
        this,
        [detail](WorkerContext& ctx) -> Rows {
            if (!ctx.conn)
                return fail(ErrorCode::ConnectionFailed, QStringLiteral("not connected"));
            return SessionStore(*ctx.conn).list(5000, detail);
        },
        [this, then = std::move(then)](const Rows& sessions) {
            if (!sessions) {
                slowDone();
                emit failed(sessions.error().oneLine());
                return;
            }
            then(*sessions);
        });
}

void SessionsView::slowDone() {
    m_slowRunning = false;
    if (m_slowAgain) {
        m_slowAgain = false;
        m_slowRunning = true;
        loadCounts();
    }
}

void SessionsView::showSessions(const QList<SessionInfo>& sessions) {
    m_shown = sessions;
    const QString current = currentSessionId();
    QList<RecordRow> rows;
    rows.reserve(sessions.size());
    for (const SessionInfo& s : sessions) {
        RecordRow r;
        const QString last = s.lastActivity
                                 ? QDateTime::fromMSecsSinceEpoch(*s.lastActivity / 1000, Qt::UTC)
                                       .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
                                 : QString();
        r.values = {s.id,
                    s.purpose,
                    s.createdBy,
                    s.active,
                    s.messageCount >= 0 ? QVariant(s.messageCount) : QVariant(),
                    s.agents.join(QStringLiteral(", ")),
                    last};
        r.key = s.id;
        r.dimmed = !s.active;
        r.toolTip = s.purpose;
        rows << r;
    }
    m_restoring = true;
    m_model->setRows(rows);
    m_table->resizeColumnsToContents();
    m_table->setColumnWidth(PurposeColumn, std::min(m_table->columnWidth(PurposeColumn), 260));
    m_table->setColumnWidth(AgentsColumn, std::min(m_table->columnWidth(AgentsColumn), 200));
    if (!current.isEmpty())
        selectSession(current);
    m_restoring = false;
}

bool SessionsView::selectSession(const QString& id) {
    for (int r = 0; r < m_proxy->rowCount(); ++r) {
        const QModelIndex idx = m_proxy->index(r, 0);
        if (idx.data(RecordTableModel::KeyRole).toString() == id) {
            m_table->setCurrentIndex(idx);
            m_table->scrollTo(idx);
            return true;
        }
    }
    return false;
}

QString SessionsView::currentSessionId() const {
    return m_table->currentIndex().siblingAtColumn(0).data(RecordTableModel::KeyRole).toString();
}

QString SessionsView::largestSessionId() const {
    QString best;
    qint64 most = -1;
    for (int r = 0; r < m_model->rowCount(); ++r) {
        const qint64 n = m_model->rowAt(r).values.value(MessagesColumn).toLongLong();
        if (n > most) {
            most = n;
            best = m_model->rowAt(r).key.toString();
        }
    }
    return best;
}

QString SessionsView::mostRecentSessionId() const {
    QString best, latest; // "yyyy-MM-dd HH:mm:ss" sorts as time does
    for (int r = 0; r < m_model->rowCount(); ++r) {
        const QString when = m_model->rowAt(r).values.value(LastActivityColumn).toString();
        if (best.isEmpty() || when > latest) {
            latest = when;
            best = m_model->rowAt(r).key.toString();
        }
    }
    return best;
}

qint64 SessionsView::messageCountOf(const QString& id) const {
    for (int r = 0; r < m_model->rowCount(); ++r)
        if (m_model->rowAt(r).key.toString() == id) {
            const QVariant count = m_model->rowAt(r).values.value(MessagesColumn);
            return count.isValid() ? count.toLongLong() : -1;
        }
    return -1;
}

QStringList SessionsView::agentsOf(const QString& id) const {
    for (int r = 0; r < m_model->rowCount(); ++r)
        if (m_model->rowAt(r).key.toString() == id)
            return m_model->rowAt(r)
                .values.value(AgentsColumn)
                .toString()
                .split(QStringLiteral(", "), Qt::SkipEmptyParts);
    return {};
}

int SessionsView::sessionCount() const {
    return m_model->rowCount();
}

} // namespace ctx::ui
