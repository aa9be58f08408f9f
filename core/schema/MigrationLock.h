#pragma once

#include "core/db/Connection.h"

namespace ctx {

// Keeps a second migrator out of a database. PostgreSQL: a session advisory lock;
// SQLite: an immediate write transaction (taken by the caller's BEGIN IMMEDIATE,
// waiting up to busy_timeout). The second one waits, then fails clearly.
class MigrationLock {
public:
    static constexpr qint64 kAdvisoryKey = 0x6374787363686d; // "ctxschm"

    explicit MigrationLock(const Connection& conn)
        : m_conn(conn) {}
    ~MigrationLock();
    MigrationLock(const MigrationLock&) = delete;
    MigrationLock& operator=(const MigrationLock&) = delete;

    Status acquire(int timeoutMs);
    void release();

private:
    const Connection& m_conn;
    bool m_held = false;
};

} // namespace ctx
