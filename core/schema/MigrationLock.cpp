#include "MigrationLock.h"

#include <QElapsedTimer>
#include <QThread>

namespace ctx {

MigrationLock::~MigrationLock() {
    release();
}

Status MigrationLock::acquire(int timeoutMs) {
    if (m_conn.engine() != Engine::Postgres)
        return {}; // SQLite: BEGIN IMMEDIATE in the same transaction is the lock
    QElapsedTimer timer;
    timer.start();
    for (;;) {
        auto got = m_conn.scalar(QStringLiteral("SELECT pg_try_advisory_lock(?)"), {kAdvisoryKey});
        if (!got)
            return std::unexpected(got.error());
        if (got->toBool()) {
            m_held = true;
            return {};
        }
        if (timer.elapsed() >= timeoutMs)
            return fail(ErrorCode::Locked,
                        QStringLiteral("another migration is running on this database (waited "
                                       "%1 s for its lock)")
                            .arg(timeoutMs / 1000.0, 0, 'f', 1),
                        m_conn.subject());
        QThread::msleep(100);
    }
}

void MigrationLock::release() {
    if (!m_held)
        return;
    m_held = false;
    (void)m_conn.exec(QStringLiteral("SELECT pg_advisory_unlock(?)"), {kAdvisoryKey});
}

} // namespace ctx
