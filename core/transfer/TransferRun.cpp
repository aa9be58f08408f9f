#include "TransferRun.h"

#include <algorithm>
#include <thread>

namespace ctx {

Status TransferRun::execute(QList<TransferUnit> units) {
    for (const TransferUnit& u : units) {
        m_done[u.table] += u.rowsDone;
        m_total[u.table] += u.sourceRows;
        if (!u.done) {
            m_queue << u;
            m_rowsLeftAtStart += u.sourceRows - u.rowsDone;
        }
    }
    std::sort(m_queue.begin(), m_queue.end(), [](const TransferUnit& a, const TransferUnit& b) {
        return a.sourceRows - a.rowsDone > b.sourceRows - b.rowsDone;
    });
    m_timer.start();
    const int workers = std::clamp(m_options.jobs, 1, std::max(1, int(m_queue.size())));
    std::vector<std::thread> threads;
    for (int i = 0; i < workers && !m_queue.isEmpty(); ++i)
        threads.emplace_back([this] { worker(); });
    for (std::thread& t : threads)
        t.join();
    if (m_error)
        return std::unexpected(*m_error);
    if (m_options.cancel && m_options.cancel->load())
        return migrationCancelled(m_options.target);
    return {};
}

void TransferRun::failWith(const Error& e) {
    QMutexLocker lock(&m_mutex);
    if (!m_error && e.code != ErrorCode::Cancelled)
        m_error = e;
    m_stop = true;
}

bool TransferRun::takeUnit(TransferUnit* unit) {
    QMutexLocker lock(&m_mutex);
    if (m_queue.isEmpty() || m_stop)
        return false;
    *unit = m_queue.takeFirst();
    return true;
}

void TransferRun::worker() {
    // Connections belong to this thread and close when it ends.
    auto source = SourceSnapshot::open(m_options.sourcePath, QStringLiteral("ctxdb migrate"));
    if (!source)
        return failWith(source.error());
    auto fp = (*source)->fingerprint();
    if (!fp)
        return failWith(fp.error());
    if (*fp != m_fingerprint)
        return failWith(Error{ErrorCode::Conflict,
                              QStringLiteral("the source changed while the migration started "
                                             "(another process writes it); stop the server or "
                                             "run again"),
                              m_options.sourcePath});
    ConnectionOptions co;
    co.readOnly = false;
    co.applicationName = QStringLiteral("ctxdb migrate worker");
    auto target = Connection::open(m_options.target, co);
    if (!target)
        return failWith(target.error());
    PgLink link((*target)->pgHandle(), m_options.target.redacted());
    // Through a transaction pooler a session setting would stay on a server connection
    // for the pooler's other clients (their commits asynchronous): the load keeps the
    // server's defaults there.
    if (!(*target)->throughPooler()) {
        if (auto ok = link.exec("SET synchronous_commit = off"); !ok)
            return failWith(ok.error());
        // Rows over 2 kB are compressed as they are stored: lz4 does that several times
        // faster than the default pglz (a quarter of the demo's messages; 3 s of a 13 s
        // load). The column keeps the server's default; any PostgreSQL 14+ reads both.
        // A server built without lz4 refuses the setting and keeps pglz.
        (void)link.exec("SET default_toast_compression = 'lz4'");
    }
    // A server that started writing a source read without its -shm can tear the pages
    // under the load ("malformed"): the change is what to report.
    if (auto ok = workOn(link, **source); !ok) {
        const Status same = (*source)->unchanged();
        failWith(same ? ok.error() : same.error());
    }
}

Status TransferRun::workOn(PgLink& link, const SourceSnapshot& source) {
    UnitLoader loader(source, link, m_duplicates, m_keys, m_options.limits, &m_stop,
                      m_options.cancel);
    TransferUnit unit;
    while (takeUnit(&unit)) {
        auto ok =
            loader.load(unit, [this](const TransferUnit& u, qint64 rows) { batchDone(u, rows); });
        if (!ok)
            return ok;
    }
    return {};
}

void TransferRun::batchDone(const TransferUnit& unit, qint64 rows) {
    QMutexLocker lock(&m_mutex);
    m_done[unit.table] += rows;
    m_rowsThisRun += rows;
    const qint64 now = m_timer.elapsed();
    const bool tableDone = m_done[unit.table] >= m_total[unit.table];
    if (!m_options.onEvent || (now - m_lastEventMs < 250 && !tableDone))
        return;
    m_lastEventMs = now;
    const double rate = now > 0 ? double(m_rowsThisRun) * 1000.0 / double(now) : 0;
    const qint64 left = std::max<qint64>(0, m_rowsLeftAtStart - m_rowsThisRun);
    MigrateEvent e;
    e.type = MigrateEvent::Type::Progress;
    e.phase = QStringLiteral("load");
    e.table = unit.table;
    e.done = m_done[unit.table];
    e.total = m_total[unit.table];
    e.rowsPerSecond = rate;
    e.etaSeconds = rate > 0 ? double(left) / rate : -1;
    m_options.onEvent(e);
}

} // namespace ctx
