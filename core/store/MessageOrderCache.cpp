#include "MessageOrderCache.h"

#include "core/PrivateFiles.h"
#include "core/values/Timestamp.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <algorithm>
#include <memory>

#include <sqlite3.h>

namespace ctx::store {

namespace {

constexpr int kFormat = 1; // PRAGMA user_version of the cache; another value: start over
constexpr int kStopCheckRows = 4096;

struct Entry {
    qint64 micros;
    qint64 id;
    bool operator<(const Entry& o) const {
        return micros != o.micros ? micros < o.micros : id < o.id;
    }
};

// What the cache holds for a session: every row of it with an id up to `synced` (the
// file's newest id when it was last brought up to date); `last` is the session's
// newest row then, and `print` that row as it was.
struct State {
    qint64 synced = 0;
    qint64 last = 0;
    QString print;
};

QString cached(const char* table) {
    return QLatin1String(MessageOrderCache::kSchema) + QLatin1Char('.') + QLatin1String(table);
}

Error stopped(const QString& sessionId) {
    return Error{
        ErrorCode::Cancelled,
        QStringLiteral("time order of session '%1' stopped before it was built").arg(sessionId),
        {}};
}

// A row as it must still be for the cache to stand: its session, stored timestamp
// (value and storage type) and content length; "(gone)" when there is no such row.
QString printSql(const QString& idExpression) {
    return QStringLiteral("COALESCE((SELECT quote(session_id) || ':' || typeof(\"timestamp\") || "
                          "':' || quote(\"timestamp\") || ':' || quote(length(content)) FROM "
                          "main.messages WHERE id = %1), '(gone)')")
        .arg(idExpression);
}

Result<QString> printOf(const Connection& conn, qint64 id) {
    if (id <= 0)
        return QString();
    auto print = conn.scalar(QStringLiteral("SELECT ") + printSql(QStringLiteral("?")), {id});
    if (!print)
        return std::unexpected(print.error());
    return print->toString();
}

Status attach(const Connection& conn, const QString& path) {
    auto present = conn.scalar(QStringLiteral("SELECT 1 FROM pragma_database_list WHERE name = ?"),
                               {QLatin1String(MessageOrderCache::kSchema)});
    if (!present)
        return std::unexpected(present.error());
    if (present->isValid())
        return {};
    auto ok = conn.exec(
        QStringLiteral("ATTACH DATABASE ? AS %1").arg(QLatin1String(MessageOrderCache::kSchema)),
        {path});
    if (!ok)
        return std::unexpected(ok.error());
    return {};
}

// The session's state in the cache, with its last row's print as the source has it now.
struct StateNow {
    State state;
    QString printNow;
};

Result<std::optional<StateNow>> readState(const Connection& conn, const QString& sessionId) {
    std::optional<StateNow> state;
    auto read = conn.forEachRow(
        QStringLiteral("SELECT synced_id, last_id, print, CASE WHEN last_id > 0 THEN %1 ELSE '' "
                       "END FROM %2 WHERE session_id = ?")
            .arg(printSql(QStringLiteral("last_id")), cached(MessageOrderCache::kState)),
        {sessionId}, [&state](const Row& row) {
            state = StateNow{State{row.value(0).toLongLong(), row.value(1).toLongLong(),
                                   row.value(2).toString()},
                             row.value(3).toString()};
            return false;
        });
    if (!read)
        return std::unexpected(read.error());
    return state;
}

// The cache file, written through a native connection of its own: the source's
// connection may be read-only, and then so is everything attached to it.
class CacheWriter {
public:
    ~CacheWriter() { sqlite3_close(m_db); }
    CacheWriter(const CacheWriter&) = delete;
    CacheWriter& operator=(const CacheWriter&) = delete;

    static Result<std::unique_ptr<CacheWriter>> open(const QString& path) {
        // Session ids and times of a user's messages: the owner's only, like the
        // full-text cache (0700 directory, 0600 files; -wal and -shm inherit the mode).
        const QString dir = QFileInfo(path).absolutePath();
        if (!makePrivateDirectory(dir))
            return fail(ErrorCode::Io,
                        QStringLiteral("cannot create the time order cache directory"), dir);
        for (const char* suffix : {"", "-wal", "-shm"})
            if (!restrictToOwner(path + QLatin1String(suffix)))
                return fail(ErrorCode::Io,
                            QStringLiteral("cannot make the time order cache private"), path);
        if (!createPrivateFile(path, false))
            return fail(ErrorCode::Io, QStringLiteral("cannot create the time order cache"), path);
        std::unique_ptr<CacheWriter> w(new CacheWriter(path));
        if (sqlite3_open_v2(QFile::encodeName(path).constData(), &w->m_db,
                            SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK)
            return std::unexpected(w->error(QStringLiteral("cannot open the time order cache")));
        sqlite3_busy_timeout(w->m_db, 30000);
        if (auto ok = w->prepareSchema(); !ok)
            return std::unexpected(ok.error());
        return w;
    }

    Status write(const QString& sessionId, bool rebuild, QList<Entry> entries, const State& state,
                 const std::atomic<bool>* stop) {
        std::sort(entries.begin(), entries.end()); // appends to the key's b-tree
        if (auto ok = exec("BEGIN IMMEDIATE"); !ok)
            return ok;
        Status ok = rebuild ? run(QStringLiteral("DELETE FROM %1 WHERE session_id = ?")
                                      .arg(QLatin1String(MessageOrderCache::kTable)),
                                  sessionId, {})
                            : Status{};
        if (ok)
            ok = insert(sessionId, entries, stop);
        if (ok)
            ok = run(QStringLiteral("INSERT OR REPLACE INTO %1 (session_id, synced_id, last_id, "
                                    "print) VALUES (?, ?, ?, ?)")
                         .arg(QLatin1String(MessageOrderCache::kState)),
                     sessionId, {state.synced, state.last}, state.print);
        if (ok)
            ok = exec("COMMIT");
        if (!ok)
            (void)exec("ROLLBACK");
        return ok;
    }

private:
    explicit CacheWriter(QString path)
        : m_path(std::move(path)) {}

    Error error(const QString& doing) const {
        const int code = sqlite3_errcode(m_db) & 0xff;
        return Error{
            code == SQLITE_BUSY || code == SQLITE_LOCKED ? ErrorCode::Locked : ErrorCode::Io,
            QStringLiteral("%1: %2").arg(doing, QString::fromUtf8(sqlite3_errmsg(m_db))), m_path};
    }

    Status exec(const QString& sql) {
        if (sqlite3_exec(m_db, sql.toUtf8().constData(), nullptr, nullptr, nullptr) != SQLITE_OK)
            return std::unexpected(error(QStringLiteral("time order cache")));
        return {};
    }
    Status exec(const char* sql) { return exec(QString::fromLatin1(sql)); }

    Result<int> userVersion() {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(m_db, "PRAGMA user_version", -1, &st, nullptr) != SQLITE_OK)
            return std::unexpected(error(QStringLiteral("time order cache")));
        const int rc = sqlite3_step(st);
        const int v = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
        sqlite3_finalize(st);
        if (rc != SQLITE_ROW)
            return std::unexpected(error(QStringLiteral("time order cache")));
        return v;
    }

    Status prepareSchema() {
        if (auto ok = exec("PRAGMA journal_mode = WAL"); !ok)
            return ok;
        auto version = userVersion();
        if (!version)
            return std::unexpected(version.error());
        if (*version == kFormat)
            return {};
        return exec(
            QStringLiteral("BEGIN IMMEDIATE; DROP TABLE IF EXISTS %1; DROP TABLE IF EXISTS %2; "
                           "CREATE TABLE %1 (session_id TEXT NOT NULL, micros INTEGER NOT NULL, id "
                           "INTEGER NOT NULL, PRIMARY KEY (session_id, micros, id)) WITHOUT ROWID; "
                           "CREATE TABLE %2 (session_id TEXT PRIMARY KEY, synced_id INTEGER NOT "
                           "NULL, last_id INTEGER NOT NULL, print TEXT NOT NULL); "
                           "PRAGMA user_version = %3; COMMIT")
                .arg(QLatin1String(MessageOrderCache::kTable),
                     QLatin1String(MessageOrderCache::kState))
                .arg(kFormat));
    }

    // One statement: the session id as ?1, the integers after it, then an optional text.
    Status run(const QString& sql, const QString& sessionId, const QList<qint64>& ints,
               const QString& text = {}) {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(m_db, sql.toUtf8().constData(), -1, &st, nullptr) != SQLITE_OK)
            return std::unexpected(error(QStringLiteral("time order cache")));
        const QByteArray session = sessionId.toUtf8();
        const QByteArray extra = text.toUtf8();
        sqlite3_bind_text(st, 1, session.constData(), int(session.size()), SQLITE_STATIC);
        for (int i = 0; i < ints.size(); ++i)
            sqlite3_bind_int64(st, i + 2, ints[i]);
        if (sqlite3_bind_parameter_count(st) > ints.size() + 1)
            sqlite3_bind_text(st, int(ints.size()) + 2, extra.constData(), int(extra.size()),
                              SQLITE_STATIC);
        const int rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
            return std::unexpected(error(QStringLiteral("time order cache")));
        return {};
    }

    Status insert(const QString& sessionId, const QList<Entry>& entries,
                  const std::atomic<bool>* stop) {
        sqlite3_stmt* st = nullptr;
        const QByteArray sql = QStringLiteral("INSERT OR IGNORE INTO %1 (session_id, micros, id) "
                                              "VALUES (?, ?, ?)")
                                   .arg(QLatin1String(MessageOrderCache::kTable))
                                   .toUtf8();
        if (sqlite3_prepare_v2(m_db, sql.constData(), -1, &st, nullptr) != SQLITE_OK)
            return std::unexpected(error(QStringLiteral("time order cache")));
        const QByteArray session = sessionId.toUtf8();
        sqlite3_bind_text(st, 1, session.constData(), int(session.size()), SQLITE_STATIC);
        Status ok;
        for (qsizetype i = 0; i < entries.size() && ok; ++i) {
            if (i % kStopCheckRows == 0 && stop && stop->load()) {
                ok = std::unexpected(stopped(sessionId));
                break;
            }
            sqlite3_bind_int64(st, 2, entries[i].micros);
            sqlite3_bind_int64(st, 3, entries[i].id);
            if (sqlite3_step(st) != SQLITE_DONE)
                ok = std::unexpected(error(QStringLiteral("time order cache")));
            sqlite3_reset(st);
        }
        sqlite3_finalize(st);
        return ok;
    }

    QString m_path;
    sqlite3* m_db = nullptr;
};

} // namespace

qint64 MessageOrderCache::keyOf(const RawValue& timestamp) {
    if (timestamp.type == StorageType::Null)
        return kNullKey;
    const ParsedTimestamp parsed = Timestamp::parse(timestamp);
    return parsed.micros ? *parsed.micros : kUnparseableKey;
}

QString MessageOrderCache::cacheDirectory() {
    return QDir(QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation))
        .filePath(QStringLiteral("context-studio/order"));
}

QString MessageOrderCache::cachePathFor(const QString& sourcePath) {
    const QFileInfo info(sourcePath);
    const QString canonical =
        info.canonicalFilePath().isEmpty() ? info.absoluteFilePath() : info.canonicalFilePath();
    const QByteArray key =
        QCryptographicHash::hash(canonical.toUtf8(), QCryptographicHash::Sha256).toHex().left(32);
    return QDir(cacheDirectory()).filePath(QString::fromLatin1(key) + QStringLiteral(".db"));
}

Result<bool> MessageOrderCache::needed(const Connection& conn, const QString& sessionId) {
    if (conn.engine() != Engine::Sqlite || sessionId.isEmpty())
        return false;
    // Numbers sort before text and blobs: the highest value is a number (or NULL) only
    // when every value of the session is. The (session_id, timestamp) index answers.
    auto top = conn.scalar(QStringLiteral("SELECT typeof(\"timestamp\") FROM messages WHERE "
                                          "session_id = ? ORDER BY \"timestamp\" DESC LIMIT 1"),
                           {sessionId});
    if (!top)
        return std::unexpected(top.error());
    const QString type = top->toString();
    return type == QLatin1String("text") || type == QLatin1String("blob");
}

Status MessageOrderCache::sync(const Connection& conn, const QString& sessionId,
                               const std::atomic<bool>* stop) {
    const QString path = cachePathFor(conn.url().filePath());
    auto newestId = conn.scalar(QStringLiteral("SELECT max(id) FROM messages"));
    if (!newestId)
        return std::unexpected(newestId.error());
    const qint64 newest = newestId->toLongLong();
    std::optional<State> state;
    bool rebuild = true;
    if (QFileInfo::exists(path)) {
        if (auto ok = attach(conn, path); !ok)
            return ok;
        auto read = readState(conn, sessionId);
        if (!read)
            return std::unexpected(read.error());
        if (*read) {
            state = (*read)->state;
            rebuild = state->synced > newest || (*read)->printNow != state->print;
        }
    }
    if (!rebuild && state->synced == newest)
        return {};

    // The rows the cache lacks: the whole session, read from the (session_id, timestamp)
    // index alone (the ORDER BY picks it over (session_id): 250,000 rows of a big
    // session spread over the file otherwise), or the rows added since (an id range:
    // `+session_id` keeps the session's indexes out of it).
    QList<Entry> entries;
    State next{newest, rebuild ? 0 : state->last, {}};
    const QString sql =
        rebuild ? QStringLiteral("SELECT id, \"timestamp\" FROM messages WHERE session_id = ? AND "
                                 "+id <= ? ORDER BY \"timestamp\"")
                : QStringLiteral("SELECT id, \"timestamp\" FROM messages WHERE id > ? AND id <= "
                                 "? AND +session_id = ?");
    const QVariantList binds =
        rebuild ? QVariantList{sessionId, newest} : QVariantList{state->synced, newest, sessionId};
    bool cancelled = false;
    auto read = conn.forEachRow(sql, binds, [&](const Row& row) {
        const qint64 id = row.value(0).toLongLong();
        entries.append(Entry{keyOf(RawValue::fromVariant(row.value(1))), id});
        next.last = std::max(next.last, id);
        if (entries.size() % kStopCheckRows == 0 && stop && stop->load())
            cancelled = true;
        return !cancelled;
    });
    if (!read)
        return std::unexpected(read.error());
    if (cancelled)
        return std::unexpected(stopped(sessionId));
    auto print = printOf(conn, next.last);
    if (!print)
        return std::unexpected(print.error());
    next.print = *print;

    auto writer = CacheWriter::open(path);
    if (!writer)
        return std::unexpected(writer.error());
    if (auto ok = (*writer)->write(sessionId, rebuild, std::move(entries), next, stop); !ok)
        return ok;
    writer->reset();
    return attach(conn, path);
}

} // namespace ctx::store
