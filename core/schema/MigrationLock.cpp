#include "MigrationLock.h"

#include <QElapsedTimer>
#include <QMutex>
#include <QSet>
#include <QThread>

#include <libpq-fe.h>

namespace ctx {

namespace {

QMutex g_runLocksMutex;
QSet<const Connection*> g_runLocks; // the connections a PooledRunLock stands for

Error lockedError(const Connection& conn, int timeoutMs) {
    return Error{ErrorCode::Locked,
                 QStringLiteral("another migration is running on this database (waited "
                                "%1 s for its lock)")
                     .arg(timeoutMs / 1000.0, 0, 'f', 1),
                 conn.subject()};
}

} // namespace

MigrationLock::~MigrationLock() {
    release();
}

Status MigrationLock::acquire(int timeoutMs) {
    if (m_conn.engine() != Engine::Postgres)
        return {}; // SQLite: BEGIN IMMEDIATE in the same transaction is the lock
    const bool pooled = m_conn.throughPooler();
    if (pooled && PooledRunLock::covers(m_conn))
        return {};
    if (pooled && PQtransactionStatus(m_conn.pgHandle()) != PQTRANS_INTRANS)
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("through a transaction pooler the migration lock is taken "
                                   "inside a transaction (BEGIN first)"),
                    m_conn.subject());
    const QString sql = pooled ? QStringLiteral("SELECT pg_try_advisory_xact_lock(?)")
                               : QStringLiteral("SELECT pg_try_advisory_lock(?)");
    QElapsedTimer timer;
    timer.start();
    for (;;) {
        auto got = m_conn.scalar(sql, {kAdvisoryKey});
        if (!got)
            return std::unexpected(got.error());
        if (got->toBool()) {
            m_held = !pooled; // a transaction's lock ends with it
            return {};
        }
        if (timer.elapsed() >= timeoutMs)
            return std::unexpected(lockedError(m_conn, timeoutMs));
        QThread::msleep(100);
    }
}

void MigrationLock::release() {
    if (!m_held)
        return;
    m_held = false;
    (void)m_conn.exec(QStringLiteral("SELECT pg_advisory_unlock(?)"), {kAdvisoryKey});
}

PooledRunLock::PooledRunLock(std::unique_ptr<Connection> conn, const Connection& owner)
    : m_conn(std::move(conn))
    , m_owner(&owner) {
    const QMutexLocker locker(&g_runLocksMutex);
    g_runLocks.insert(m_owner);
}

PooledRunLock::~PooledRunLock() {
    m_conn->rollback(); // ends the transaction, and the lock with it
    const QMutexLocker locker(&g_runLocksMutex);
    g_runLocks.remove(m_owner);
}

bool PooledRunLock::covers(const Connection& conn) {
    const QMutexLocker locker(&g_runLocksMutex);
    return g_runLocks.contains(&conn);
}

Result<std::unique_ptr<PooledRunLock>> PooledRunLock::take(const Connection& owner) {
    const DatabaseUrl& url = owner.url();
    ConnectionOptions co;
    co.readOnly = false;
    co.applicationName = QStringLiteral("ctxdb migrate (lock)");
    auto conn = Connection::open(url, co);
    if (!conn)
        return std::unexpected(conn.error());
    if (auto ok = (*conn)->begin(true); !ok)
        return std::unexpected(ok.error());
    auto got = (*conn)->scalar(QStringLiteral("SELECT pg_try_advisory_xact_lock(?)"),
                               {MigrationLock::kAdvisoryKey});
    if (!got || !got->toBool()) {
        (*conn)->rollback();
        if (!got)
            return std::unexpected(got.error());
        return fail(ErrorCode::Locked,
                    QStringLiteral("another ctxdb migrate is running against this database"),
                    (*conn)->subject());
    }
    return std::unique_ptr<PooledRunLock>(new PooledRunLock(std::move(*conn), owner));
}

} // namespace ctx
