#include "EarlierRunSessions.h"

#include <QElapsedTimer>
#include <QStringList>
#include <QThread>

namespace ctx {

namespace {

constexpr int kPollMs = 200;

// "pid 123 (ctxdb migrate indexes: CREATE INDEX …)", one per session.
QString describe(const QList<PgRow>& rows) {
    QStringList parts;
    for (const PgRow& r : rows)
        parts << QStringLiteral("pid %1 (%2: %3)")
                     .arg(QString::fromUtf8(r.value(0)), QString::fromUtf8(r.value(1)),
                          QString::fromUtf8(r.value(2)).simplified());
    return parts.join(QStringLiteral(", "));
}

// Other sessions of earlier runs on this database that still run something. Our own
// pooled lock connection (idle in its transaction by design) is not one of them.
const QByteArray kOthers =
    "SELECT pid, application_name, left(query, 60) FROM pg_stat_activity "
    "WHERE datname = current_database() AND pid <> pg_backend_pid() "
    "AND application_name LIKE 'ctxdb migrate%' "
    "AND application_name <> 'ctxdb migrate (lock)' AND state <> 'idle' ORDER BY pid";

const QByteArray kHolder =
    "SELECT a.pid, a.application_name, left(a.query, 60) FROM pg_locks l "
    "JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted "
    "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
    "AND l.objsubid = 1 AND ((l.classid::int8 << 32) | l.objid::int8) = $1::int8";

} // namespace

Status EarlierRunSessions::lock(PgLink& link, qint64 key, int waitMs, const Notify& notify) {
    QElapsedTimer waited;
    waited.start();
    bool told = false;
    for (;;) {
        auto got = link.scalar("SELECT pg_try_advisory_lock($1)", {QByteArray::number(key)});
        if (!got)
            return std::unexpected(got.error());
        if (*got == "t")
            return {};
        auto holder = link.query(kHolder, {QByteArray::number(key)});
        const QString who = holder && !holder->isEmpty() ? describe(*holder) : QString();
        if (waited.elapsed() >= waitMs)
            return fail(ErrorCode::Locked,
                        QStringLiteral("another ctxdb migrate is running against this "
                                       "database%1")
                            .arg(who.isEmpty() ? QString()
                                               : QStringLiteral(" (server session %1)").arg(who)),
                        link.subject());
        if (!told && notify)
            notify(QStringLiteral("waiting for the migration lock held by %1").arg(who));
        told = true;
        QThread::msleep(kPollMs);
    }
}

Status EarlierRunSessions::awaitEnd(PgLink& link, bool terminate, int waitMs,
                                    const Notify& notify) {
    QElapsedTimer waited;
    waited.start();
    bool told = false, ended = false;
    for (;;) {
        auto others = link.query(kOthers);
        if (!others)
            return std::unexpected(others.error());
        if (others->isEmpty())
            return {};
        if (!told && notify)
            notify(QStringLiteral("waiting for %1 server session(s) of an interrupted "
                                  "migration to end: %2")
                       .arg(others->size())
                       .arg(describe(*others)));
        told = true;
        // Half the wait for them to notice their client is gone, then end them: their
        // work is redone by this run (a schema step's transaction rolls back whole).
        if (terminate && !ended && waited.elapsed() >= waitMs / 2) {
            ended = true;
            for (const PgRow& r : std::as_const(*others))
                (void)link.scalar("SELECT pg_terminate_backend($1::int)", {r.value(0)});
        }
        if (waited.elapsed() >= waitMs)
            return fail(ErrorCode::Locked,
                        QStringLiteral("server sessions of an interrupted migration are still "
                                       "running: %1; wait for them to end, or end them with "
                                       "SELECT pg_terminate_backend(pid)")
                            .arg(describe(*others)),
                        link.subject());
        QThread::msleep(kPollMs);
    }
}

} // namespace ctx
