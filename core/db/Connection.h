#pragma once

#include "DatabaseUrl.h"
#include "Dialect.h"
#include "StatementCache.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QVariantList>
#include <memory>

struct sqlite3;
struct pg_conn;

namespace ctx {

class SourceWatch;
class WalCheckpointer;

struct ConnectionOptions {
    bool readOnly = true;         // sources open read-only unless the caller asks to write
    bool createIfMissing = false; // SQLite: create a new file (demo, fresh targets)
    QString applicationName = QStringLiteral("context-studio");
    int busyTimeoutMs = 30000;
    int connectTimeoutSeconds = 10;
    QString sqliteVfs; // SQLite, writable: a registered VFS by name (WriteCoalescingVfs)
    // SQLite page cache, KiB. 32 MB keeps the interior pages of a million-message table
    // (about 7 MB) cached, so a page of 50 messages spread over the file reads about 70
    // pages from the OS instead of 140; it is taken as pages are read. Readers that scan
    // a file once (migrate, diff, backup checks) pass kScanCacheKiB: no cache helps one
    // pass, and a full one would only hold memory.
    int sqliteCacheKiB = 32768;
    static constexpr int kScanCacheKiB = 2000; // SQLite's own default
};

// One open database connection, owned by the thread that opened it (Qt Sql
// requires one connection per thread). Applies the engine settings on open:
// SQLite WAL, busy_timeout, foreign_keys (or a strict read-only mode that never
// writes the file yet sees rows living only in the -wal file); PostgreSQL
// application_name, sslmode, UTC.
class Connection {
public:
    static Result<std::unique_ptr<Connection>> open(const DatabaseUrl& url,
                                                    const ConnectionOptions& options = {});
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    QSqlDatabase database() const;
    const DatabaseUrl& url() const { return m_url; }
    Engine engine() const { return m_url.engine(); }
    const Dialect& dialect() const { return m_dialect; }
    bool isReadOnly() const { return m_options.readOnly; }
    QString subject() const { return m_url.redacted(); }
    // PostgreSQL reached through a connection pooler (pgbouncer, Supavisor, RDS Proxy):
    // the backend key the client got at startup is not the server process it talks to.
    // Such a pooler may hand each transaction another server connection, so nothing
    // that lives in a session may be relied on: statements run with their values inline
    // (no PREPARE), a read-only connection sets nothing on the session (its
    // transactions are BEGIN READ ONLY), and the migration lock is a transaction's.
    bool throughPooler() const { return m_pooled; }

    sqlite3* sqliteHandle() const;
    pg_conn* pgHandle() const;

    // Prepares, binds and runs one statement; the error names the database.
    Result<QSqlQuery> exec(const QString& sql, const QVariantList& values = {}) const;
    // Runs a statement and returns the first column of the first row (an invalid
    // QVariant when there is none). Like forEachRow, on a kept prepared statement.
    Result<QVariant> scalar(const QString& sql, const QVariantList& values = {}) const;
    // Runs a statement on a prepared statement kept for the next call with the same text
    // (StatementCache) and hands each row to onRow until it returns false. For the
    // store's short, frequent statements; exec() for everything else.
    Status forEachRow(const QString& sql, const QVariantList& values,
                      const RowHandler& onRow) const;
    // forEachRow without reading rows: INSERT, UPDATE, DELETE.
    Status run(const QString& sql, const QVariantList& values) const;
    // Drops the kept statements (after the schema changed under them).
    void forgetStatements() const;
    Status execAll(const QStringList& statements) const;
    Status begin(bool write = true) const;
    Status commit() const;
    void rollback() const;

    Error errorFrom(const QSqlError& error, const QString& doing = {}) const;
    bool tableExists(const QString& table) const;
    QStringList columnsOf(const QString& table) const;
    // The background checkpointer of a writable SQLite file in WAL mode, else null.
    WalCheckpointer* walCheckpointer() const { return m_checkpointer.get(); }
    // A read-only SQLite file opened without a -shm beside it (see SourceWatch): fine
    // while the file is as it was at open, else the one-line "the source changed while
    // it was read". Every result read from such a file counts only once this says so.
    // Always fine for other connections.
    Status sourceUnchanged() const;
    // After sourceUnchanged() failed: opens the file again as it is now (through the
    // writer's -shm), under the same name and object, so whatever refers to this
    // connection keeps it; kept statements go, and a handle from sqliteHandle() with
    // them. Nothing to do for any other connection.
    Status reopenChangedSource();

private:
    Connection(const DatabaseUrl& url, const ConnectionOptions& options, const QString& name);
    Status configureSqlite();
    Status configurePostgres();

    DatabaseUrl m_url;
    ConnectionOptions m_options;
    QString m_name;
    Dialect m_dialect;
    std::shared_ptr<WalCheckpointer> m_checkpointer; // writable SQLite in WAL mode only
    std::unique_ptr<StatementCache> m_statements;
    std::unique_ptr<SourceWatch> m_watch; // read-only SQLite without a -shm
    bool m_pooled = false;
};

// A SQLite URI that opens a file read-only without creating anything beside it:
// immutable when no -wal/-shm exist (no WAL process, no row outside the file),
// otherwise mode=ro reading through the WAL. Nothing watches such an open for a server
// that starts writing the file: Connection::open uses a SourceWatch instead.
QString sqliteReadOnlyUri(const QString& path);

// Checks that a path is a readable, non-empty SQLite file before any driver touches it.
Status checkSqliteFile(const QString& path);

} // namespace ctx
