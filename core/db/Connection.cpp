#include "Connection.h"
#include "InlineBinds.h"

#include "ReadWithoutShmVfs.h"
#include "SourceWatch.h"
#include "WalCheckpointer.h"

#include <QAtomicInteger>
#include <QFile>
#include <QFileInfo>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlRecord>
#include <QThread>
#include <QUrl>

#include <libpq-fe.h>
#include <sqlite3.h>

namespace ctx {

namespace {

QString uniqueConnectionName() {
    static QAtomicInteger<quint64> counter;
    return QStringLiteral("ctx-%1-%2")
        .arg(reinterpret_cast<quintptr>(QThread::currentThreadId()))
        .arg(counter.fetchAndAddRelaxed(1));
}

ErrorCode codeForSqlite(const QString& native) {
    switch (native.toInt() & 0xff) {
    case SQLITE_CORRUPT:
        return ErrorCode::Corrupt;
    case SQLITE_NOTADB:
        return ErrorCode::NotADatabase;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return ErrorCode::Locked;
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
        return ErrorCode::Io;
    case SQLITE_CONSTRAINT:
        return ErrorCode::Conflict;
    default:
        return ErrorCode::QueryFailed;
    }
}

ErrorCode codeForPostgres(const QString& sqlState) {
    if (sqlState.startsWith(QStringLiteral("08")) || sqlState.startsWith(QStringLiteral("28")) ||
        sqlState == QLatin1String("3D000") || sqlState.startsWith(QStringLiteral("57P")))
        return ErrorCode::ConnectionFailed;
    if (sqlState.startsWith(QStringLiteral("23")))
        return ErrorCode::Conflict;
    if (sqlState == QLatin1String("53100"))
        return ErrorCode::Io;
    if (sqlState == QLatin1String("55P03") || sqlState == QLatin1String("40P01"))
        return ErrorCode::Locked;
    if (sqlState == QLatin1String("57014"))
        return ErrorCode::Cancelled;
    return ErrorCode::QueryFailed;
}

// A libpq connection-string value in single quotes. Qt's driver joins options with
// ';', so that character cannot travel and becomes a space.
QString quoteConnectValue(QString value) {
    value.replace(QLatin1Char(';'), QLatin1Char(' '));
    value.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    value.replace(QLatin1Char('\''), QStringLiteral("\\'"));
    return QLatin1Char('\'') + value + QLatin1Char('\'');
}

// A file: URI for the absolute path, percent-encoded, with the given query.
QString sqliteFileUri(const QString& path, const QString& query) {
    return QStringLiteral("file:") +
           QString::fromUtf8(QUrl::toPercentEncoding(QFileInfo(path).absoluteFilePath(), "/")) +
           QLatin1Char('?') + query;
}

} // namespace

QString sqliteReadOnlyUri(const QString& path) {
    // With no -wal and no -shm beside it, no process has the file open in WAL mode and
    // no row lives outside it: open it immutable, so that SQLite creates no -wal/-shm
    // files either. With both, a server has it open: read through its WAL index. With
    // a -wal alone (a killed server, files copied without the -shm), SQLite's read-only
    // open would create the -shm: ReadWithoutShmVfs reads the -wal's rows without it.
    const bool wal = QFileInfo::exists(path + QStringLiteral("-wal"));
    const bool shm = QFileInfo::exists(path + QStringLiteral("-shm"));
    if (wal && !shm)
        return sqliteFileUri(path, QStringLiteral("mode=ro&vfs=") +
                                       QLatin1String(ReadWithoutShmVfs::name()));
    return sqliteFileUri(path, wal || shm ? QStringLiteral("mode=ro")
                                          : QStringLiteral("mode=ro&immutable=1"));
}

Status checkSqliteFile(const QString& path) {
    const QFileInfo info(path);
    if (!info.exists())
        return fail(ErrorCode::NotFound, QStringLiteral("no such file"), path);
    if (info.isDir())
        return fail(ErrorCode::NotADatabase, QStringLiteral("is a directory, not a database file"),
                    path);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(ErrorCode::Io, QStringLiteral("cannot read: %1").arg(file.errorString()), path);
    if (info.size() == 0)
        return fail(ErrorCode::NotADatabase, QStringLiteral("empty file, not a SQLite database"),
                    path);
    const QByteArray header = file.read(16);
    if (header != QByteArray("SQLite format 3\0", 16))
        return fail(ErrorCode::NotADatabase,
                    QStringLiteral("not a SQLite database (no SQLite header; encrypted or another "
                                   "kind of file)"),
                    path);
    if (info.size() < 512)
        return fail(ErrorCode::Corrupt,
                    QStringLiteral("truncated SQLite file (%1 bytes)").arg(info.size()), path);
    return {};
}

Connection::Connection(const DatabaseUrl& url, const ConnectionOptions& options,
                       const QString& name)
    : m_url(url)
    , m_options(options)
    , m_name(name)
    , m_dialect(url.engine())
    , m_statements(std::make_unique<StatementCache>(*this)) {}

Connection::~Connection() {
    m_statements.reset(); // statements go before their connection
    {
        QSqlDatabase db = QSqlDatabase::database(m_name, false);
        if (db.isOpen())
            db.close();
    }
    QSqlDatabase::removeDatabase(m_name);
}

Result<std::unique_ptr<Connection>> Connection::open(const DatabaseUrl& url,
                                                     const ConnectionOptions& options) {
    const QString name = uniqueConnectionName();
    std::unique_ptr<Connection> conn(new Connection(url, options, name));
    if (url.isSqlite()) {
        const QString path = url.filePath();
        const bool missing = !QFileInfo::exists(path);
        if (!(missing && options.createIfMissing && !options.readOnly)) {
            if (auto ok = checkSqliteFile(path); !ok)
                return std::unexpected(ok.error());
        }
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        QStringList opts{QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(options.busyTimeoutMs)};
        if (options.readOnly) {
            opts << QStringLiteral("QSQLITE_OPEN_READONLY");
            opts << QStringLiteral("QSQLITE_OPEN_URI");
            // Not sqliteReadOnlyUri(): the watch looks for -wal/-shm after its lock. A
            // watch not kept closes here, before SQLite opens and locks the file.
            auto watch = SourceWatch::start(path, options.busyTimeoutMs);
            if (!watch)
                return std::unexpected(watch.error());
            db.setDatabaseName(sqliteFileUri(path, (*watch)->uriQuery()));
            if ((*watch)->needed())
                conn->m_watch = std::move(*watch);
        } else if (!options.sqliteVfs.isEmpty()) {
            opts << QStringLiteral("QSQLITE_OPEN_URI");
            db.setDatabaseName(sqliteFileUri(path, QStringLiteral("vfs=") + options.sqliteVfs));
        }
        db.setConnectOptions(opts.join(QLatin1Char(';')));
        if (!db.open())
            return std::unexpected(conn->errorFrom(db.lastError(), QStringLiteral("cannot open")));
        if (auto ok = conn->configureSqlite(); !ok)
            return std::unexpected(ok.error());
    } else {
        DatabaseUrl resolved = url;
        resolved.resolvePassword();
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
        db.setHostName(resolved.host());
        db.setPort(resolved.port());
        db.setDatabaseName(resolved.database());
        db.setUserName(resolved.user());
        if (resolved.hasPassword())
            db.setPassword(resolved.password());
        QStringList opts{QStringLiteral("connect_timeout=%1").arg(options.connectTimeoutSeconds),
                         QStringLiteral("application_name=") +
                             quoteConnectValue(resolved.parameter(
                                 QStringLiteral("application_name"), options.applicationName))};
        const auto params = resolved.parameters();
        for (auto it = params.cbegin(); it != params.cend(); ++it) {
            if (it.key() != QLatin1String("application_name"))
                opts << it.key() + QLatin1Char('=') + quoteConnectValue(it.value());
        }
        db.setConnectOptions(opts.join(QLatin1Char(';')));
        if (!db.open()) {
            Error e = conn->errorFrom(db.lastError(), QStringLiteral("cannot connect"));
            e.code = ErrorCode::ConnectionFailed;
            return std::unexpected(e);
        }
        if (auto ok = conn->configurePostgres(); !ok)
            return std::unexpected(ok.error());
    }
    return conn;
}

Status Connection::configureSqlite() {
    // Reading sqlite_master forces SQLite to read the header and schema: a file that
    // is not a database or is corrupt fails here, before any caller sees it.
    if (auto r = exec(QStringLiteral("SELECT count(*) FROM sqlite_master")); !r)
        return std::unexpected(r.error());
    if (auto r = exec(QStringLiteral("PRAGMA cache_size = -%1").arg(m_options.sqliteCacheKiB)); !r)
        return std::unexpected(r.error());
    if (m_options.readOnly) // belt and braces: the driver refuses any write
        return toStatus(exec(QStringLiteral("PRAGMA query_only = 1")));
    QStringList pragmas{QStringLiteral("PRAGMA foreign_keys = ON"),
                        QStringLiteral("PRAGMA synchronous = NORMAL")};
    auto mode = scalar(QStringLiteral("PRAGMA journal_mode = WAL"));
    if (!mode)
        return std::unexpected(mode.error());
    if (mode->toString().compare(QLatin1String("wal"), Qt::CaseInsensitive) == 0) {
        m_checkpointer = WalCheckpointer::forFile(m_url.filePath());
        m_checkpointer->watch(sqliteHandle());
    }
    return execAll(pragmas);
}

Status Connection::configurePostgres() {
    // A pooler answers the startup with a backend key of its own: the process id in it is
    // not the server process that runs the statements.
    auto pid = scalar(QStringLiteral("SELECT pg_backend_pid()"));
    if (!pid)
        return std::unexpected(pid.error());
    m_pooled = pid->toLongLong() != PQbackendPID(pgHandle());
    // Time zone and encoding are reported by the server, and poolers carry them from one
    // server connection to the next; default_transaction_read_only would stay behind on
    // a pooled server connection for its next client.
    QStringList settings{QStringLiteral("SET TIME ZONE 'UTC'"),
                         QStringLiteral("SET client_encoding = 'UTF8'")};
    if (m_options.readOnly && !m_pooled)
        settings << QStringLiteral("SET default_transaction_read_only = on");
    // A statement of ours runs on after our process dies (kill -9, a crash) unless the
    // server looks for its client: an index build or ANALYZE would keep its locks, and a
    // `migrate --resume` started at once would meet them. PostgreSQL 14 and later look
    // every second when asked; a pooler is the server's client, so not through one.
    if (!m_pooled && PQserverVersion(pgHandle()) >= 140000)
        settings << QStringLiteral("SET client_connection_check_interval = 1000");
    return execAll(settings);
}

Status Connection::sourceUnchanged() const {
    return m_watch ? m_watch->unchanged() : Status{};
}

Status Connection::reopenChangedSource() {
    if (!m_watch)
        return {};
    m_statements = std::make_unique<StatementCache>(*this); // the old one knew the handle
    QSqlDatabase db = database();
    db.close();
    m_watch.reset();
    // A watch not kept closes its descriptor before SQLite locks the file: a close()
    // drops every POSIX lock the process holds on it.
    {
        auto watch = SourceWatch::start(m_url.filePath(), m_options.busyTimeoutMs);
        if (!watch)
            return std::unexpected(watch.error());
        db.setDatabaseName(sqliteFileUri(m_url.filePath(), (*watch)->uriQuery()));
        if ((*watch)->needed())
            m_watch = std::move(*watch);
    }
    if (!db.open())
        return std::unexpected(errorFrom(db.lastError(), QStringLiteral("cannot open")));
    return configureSqlite();
}

QSqlDatabase Connection::database() const {
    return QSqlDatabase::database(m_name, false);
}

sqlite3* Connection::sqliteHandle() const {
    if (engine() != Engine::Sqlite)
        return nullptr;
    const QVariant v = database().driver()->handle();
    return v.isValid() ? *static_cast<sqlite3* const*>(v.data()) : nullptr;
}

pg_conn* Connection::pgHandle() const {
    if (engine() != Engine::Postgres)
        return nullptr;
    const QVariant v = database().driver()->handle();
    return v.isValid() ? *static_cast<PGconn* const*>(v.data()) : nullptr;
}

Error Connection::errorFrom(const QSqlError& error, const QString& doing) const {
    QString text = error.databaseText().isEmpty() ? error.text() : error.databaseText();
    if (!m_url.password().isEmpty())
        text.replace(m_url.password(), QStringLiteral("***"));
    const QString native = error.nativeErrorCode();
    const ErrorCode code =
        engine() == Engine::Sqlite ? codeForSqlite(native) : codeForPostgres(native);
    Error e{code, doing.isEmpty() ? text : doing + QStringLiteral(": ") + text, subject()};
    if (engine() == Engine::Sqlite && code == ErrorCode::NotADatabase)
        e.message = QStringLiteral("not a SQLite database (%1)").arg(text);
    e.message = Error{e.code, e.message, {}}.oneLine();
    return e;
}

Result<QSqlQuery> Connection::exec(const QString& sql, const QVariantList& values) const {
    QSqlQuery query(database());
    query.setForwardOnly(true);
    if (m_pooled && !values.isEmpty()) {
        auto text = inlineBinds(sql, values, database().driver());
        if (!text)
            return std::unexpected(text.error().withSubject(subject()));
        if (!query.exec(*text))
            return std::unexpected(errorFrom(query.lastError()));
        return query;
    }
    if (values.isEmpty()) {
        if (!query.exec(sql))
            return std::unexpected(errorFrom(query.lastError()));
        return query;
    }
    if (!query.prepare(sql))
        return std::unexpected(errorFrom(query.lastError()));
    for (const QVariant& v : values)
        query.addBindValue(v);
    if (!query.exec())
        return std::unexpected(errorFrom(query.lastError()));
    return query;
}

Result<QVariant> Connection::scalar(const QString& sql, const QVariantList& values) const {
    QVariant first;
    auto ok = m_statements->forEachRow(sql, values, [&first](const Row& row) {
        first = row.value(0);
        return false;
    });
    if (!ok)
        return std::unexpected(ok.error());
    return first;
}

Status Connection::forEachRow(const QString& sql, const QVariantList& values,
                              const RowHandler& onRow) const {
    return m_statements->forEachRow(sql, values, onRow);
}

Status Connection::run(const QString& sql, const QVariantList& values) const {
    return m_statements->forEachRow(sql, values, {});
}

void Connection::forgetStatements() const {
    m_statements->clear();
}

Status Connection::execAll(const QStringList& statements) const {
    for (const QString& s : statements) {
        if (auto r = exec(s); !r)
            return std::unexpected(r.error());
    }
    return {};
}

Status Connection::begin(bool write) const {
    if (engine() == Engine::Sqlite && write)
        return run(m_dialect.beginWriteTransaction(), {});
    if (m_pooled && m_options.readOnly) // no session setting says so through a pooler
        return run(QStringLiteral("BEGIN READ ONLY"), {});
    return run(QStringLiteral("BEGIN"), {});
}

Status Connection::commit() const {
    return run(QStringLiteral("COMMIT"), {});
}

void Connection::rollback() const {
    QSqlQuery q(database());
    q.exec(QStringLiteral("ROLLBACK"));
}

bool Connection::tableExists(const QString& table) const {
    const QString sql =
        engine() == Engine::Sqlite
            ? QStringLiteral("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?")
            : QStringLiteral("SELECT 1 FROM information_schema.tables WHERE table_schema = "
                             "current_schema() AND table_name = ?");
    auto r = scalar(sql, {table});
    return r && r->isValid();
}

QStringList Connection::columnsOf(const QString& table) const {
    QStringList names;
    const QSqlRecord rec = database().record(table);
    for (int i = 0; i < rec.count(); ++i)
        names << rec.fieldName(i);
    return names;
}

} // namespace ctx
