#pragma once

#include "core/db/Connection.h"

#include <QTemporaryDir>
#include <memory>

namespace ctx::test {

// The engine a tests/engine program runs against (CTX_TEST_ENGINE=sqlite|postgres).
Engine engineUnderTest();

// The PostgreSQL server of this test run, from CTX_TEST_PG_URL (set by scripts/test
// through scripts/pg-sandbox). No server is an error, never a silent skip.
// CTX_TEST_PG_VIA=pooler: the same role through the sandbox's pgbouncer in transaction
// mode (CTX_TEST_PG_POOLER_URL), for the pooler variants of the tests.
Result<DatabaseUrl> postgresServer();
// The server's own port (CTX_TEST_PG_URL) whatever CTX_TEST_PG_VIA says.
Result<DatabaseUrl> postgresSessionPort();
// The same server's superuser (CTX_TEST_PG_ADMIN_URL), for the few set-ups that need
// one (ALTER SYSTEM, tablespaces, replica mode to plant broken rows). The tests
// themselves run as postgresServer()'s role, which is not a superuser.
Result<DatabaseUrl> postgresAdmin();
// Runs a statement on a scratch PostgreSQL database as the superuser in replica mode
// (triggers and foreign keys off), to plant rows the constraints refuse.
Status execAsReplica(const DatabaseUrl& database, const QString& sql);

// A fresh, empty database for one test: a file in a temporary directory, or a new
// PostgreSQL database on the sandbox server, dropped again by the destructor.
class ScratchDatabase {
public:
    static Result<std::unique_ptr<ScratchDatabase>> create(Engine engine, const QString& tag);
    ~ScratchDatabase();

    const DatabaseUrl& url() const { return m_url; }
    QString dir() const { return m_dir.path(); }
    // A writable connection on the calling thread.
    Result<std::unique_ptr<Connection>> connect(bool readOnly = false) const;

private:
    ScratchDatabase() = default;
    QTemporaryDir m_dir;
    DatabaseUrl m_url;
    DatabaseUrl m_server; // PostgreSQL: the maintenance connection to drop the database
    QString m_pgName;
};

// Creates or drops a PostgreSQL database through the server's maintenance database.
Status createPostgresDatabase(const DatabaseUrl& server, const QString& name);
Status dropPostgresDatabase(const DatabaseUrl& server, const QString& name);

// The URL as a user types it, password included (for ctxdb's arguments and the views).
QString urlWithPassword(const DatabaseUrl& url);

} // namespace ctx::test
