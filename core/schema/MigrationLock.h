#pragma once

#include "core/db/Connection.h"

#include <memory>

namespace ctx {

// Keeps a second migrator out of a database. PostgreSQL: a session advisory lock;
// SQLite: an immediate write transaction (taken by the caller's BEGIN IMMEDIATE,
// waiting up to busy_timeout). The second one waits, then fails clearly.
//
// Through a transaction pooler (Connection::throughPooler) a session lock would belong
// to whichever server connection ran it, and its unlock could reach another one: the
// lock is then a transaction's (pg_advisory_xact_lock, the same key, so it still excludes
// a migrator on the session port), taken inside the caller's transaction — acquire()
// after BEGIN — or held by a PooledRunLock for a whole migration.
class MigrationLock {
public:
    static constexpr qint64 kAdvisoryKey = 0x6374787363686d; // "ctxschm"

    explicit MigrationLock(const Connection& conn)
        : m_conn(conn) {}
    ~MigrationLock();
    MigrationLock(const MigrationLock&) = delete;
    MigrationLock& operator=(const MigrationLock&) = delete;

    // Before the transaction on a direct connection; inside it through a pooler.
    Status acquire(int timeoutMs);
    void release();

private:
    const Connection& m_conn;
    bool m_held = false;
};

// The migration lock of a whole `ctxdb migrate` through a transaction pooler: a
// connection of its own keeps one transaction open that holds pg_advisory_xact_lock
// (the pooler gives that transaction one server connection until it ends). While it is
// held, MigrationLocks on the owner connection (the migration's own schema steps) are
// satisfied by it, as a session lock is re-entrant for its own session; every other
// connection is refused.
class PooledRunLock {
public:
    // Opens its own connection to owner's database; refuses at once when another
    // migrator holds the lock.
    static Result<std::unique_ptr<PooledRunLock>> take(const Connection& owner);
    ~PooledRunLock();
    static bool covers(const Connection& conn);

private:
    PooledRunLock(std::unique_ptr<Connection> conn, const Connection& owner);
    std::unique_ptr<Connection> m_conn;
    const Connection* m_owner;
};

} // namespace ctx
