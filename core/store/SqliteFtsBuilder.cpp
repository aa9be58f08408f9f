#include "SqliteFtsBuilder.h"

#include "core/PrivateFiles.h"
#include "core/db/Connection.h"
#include "core/db/Dialect.h"
#include "core/db/SourceWatch.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QUrl>

#include <algorithm>
#include <sqlite3.h>

namespace ctx::store {

namespace {

constexpr qint64 kBatch = 20000;

Status exec(sqlite3* db, const QString& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db, sql.toUtf8().constData(), nullptr, nullptr, &err) != SQLITE_OK) {
        const QString msg = QString::fromUtf8(err ? err : sqlite3_errmsg(db));
        sqlite3_free(err);
        const int code = sqlite3_errcode(db) & 0xff;
        return fail(code == SQLITE_BUSY || code == SQLITE_LOCKED ? ErrorCode::Locked
                                                                 : ErrorCode::QueryFailed,
                    QStringLiteral("full-text index: %1").arg(msg));
    }
    return {};
}

// Runs a query with int64/text binds and returns the first column of the first row.
Result<QVariant> scalar(sqlite3* db, const QString& sql, const QVariantList& binds = {}) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql.toUtf8().constData(), -1, &st, nullptr) != SQLITE_OK)
        return fail(
            ErrorCode::QueryFailed,
            QStringLiteral("full-text index: %1").arg(QString::fromUtf8(sqlite3_errmsg(db))));
    for (int i = 0; i < binds.size(); ++i) {
        if (binds[i].typeId() == QMetaType::LongLong)
            sqlite3_bind_int64(st, i + 1, binds[i].toLongLong());
        else
            sqlite3_bind_text(st, i + 1, binds[i].toString().toUtf8().constData(), -1,
                              SQLITE_TRANSIENT);
    }
    QVariant v;
    const int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        if (sqlite3_column_type(st, 0) == SQLITE_INTEGER)
            v = QVariant(qint64(sqlite3_column_int64(st, 0)));
        else if (sqlite3_column_type(st, 0) != SQLITE_NULL)
            v = QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return fail(
            ErrorCode::QueryFailed,
            QStringLiteral("full-text index: %1").arg(QString::fromUtf8(sqlite3_errmsg(db))));
    return v;
}

// Interrupts the statements of one connection while *stop is true, for as long as it
// lives (SQLite asks every kTicks virtual-machine instructions).
class StopWatch {
public:
    StopWatch(sqlite3* db, const std::atomic<bool>* stop)
        : m_db(stop ? db : nullptr) {
        if (m_db)
            sqlite3_progress_handler(m_db, kTicks, &StopWatch::ask,
                                     const_cast<std::atomic<bool>*>(stop));
    }
    ~StopWatch() {
        if (m_db)
            sqlite3_progress_handler(m_db, 0, nullptr, nullptr);
    }
    StopWatch(const StopWatch&) = delete;
    StopWatch& operator=(const StopWatch&) = delete;

private:
    static constexpr int kTicks = 4000;
    static int ask(void* flag) { return static_cast<std::atomic<bool>*>(flag)->load() ? 1 : 0; }
    sqlite3* m_db;
};

Error stopped(qint64 last) {
    return Error{ErrorCode::Cancelled,
                 QStringLiteral("search indexing stopped after message %1; it goes on from there "
                                "next time")
                     .arg(last),
                 {}};
}

QString fingerprintSql(const QString& source) {
    return QStringLiteral("SELECT length(content) || ':' || substr(content, 1, 64) FROM "
                          "%1.messages WHERE id = ?")
        .arg(source);
}

} // namespace

Status SqliteFtsBuilder::refresh(sqlite3* db, const QString& target, const QString& source,
                                 const IndexProgress& progress, const std::atomic<bool>* stop,
                                 const std::function<Status()>& sourceUnchanged) {
    const StopWatch watch(db, stop);
    const auto stopping = [stop] { return stop && stop->load(); };
    const QString fts = target + QLatin1Char('.') + QLatin1String(kTable);
    const QString state = target + QLatin1Char('.') + QLatin1String(kState);
    if (auto ok = exec(db, QStringLiteral("CREATE VIRTUAL TABLE IF NOT EXISTS %1 USING fts5("
                                          "content, sender, meta, content='', "
                                          "tokenize='unicode61 remove_diacritics 2')")
                               .arg(fts));
        !ok)
        return ok;
    if (auto ok = exec(db, QStringLiteral("CREATE TABLE IF NOT EXISTS %1 (name TEXT PRIMARY "
                                          "KEY, value TEXT)")
                               .arg(state));
        !ok)
        return ok;
    auto lastText =
        scalar(db, QStringLiteral("SELECT value FROM %1 WHERE name = 'last_id'").arg(state));
    auto lastPrint =
        scalar(db, QStringLiteral("SELECT value FROM %1 WHERE name = 'fingerprint'").arg(state));
    if (!lastText || !lastPrint)
        return std::unexpected(!lastText ? lastText.error() : lastPrint.error());
    qint64 last = lastText->toLongLong();
    if (last > 0) { // the source must still hold the row indexed last, unchanged
        auto now = scalar(db, fingerprintSql(source), {QVariant(last)});
        if (!now)
            return std::unexpected(now.error());
        if (now->toString() != lastPrint->toString()) {
            if (auto ok = exec(db, QStringLiteral("DELETE FROM %1; INSERT INTO %2(%3) VALUES "
                                                  "('delete-all')")
                                       .arg(state, fts, QLatin1String(kTable)));
                !ok)
                return ok;
            last = 0;
        }
    }
    // How far to go, by ids: counting the rows above `last` would read every page of the
    // table (20 GB at ten million messages) before the first batch.
    auto newest = scalar(db, QStringLiteral("SELECT max(id) FROM %1.messages").arg(source));
    if (!newest)
        return std::unexpected(newest.error());
    const qint64 first = last;
    const qint64 total = std::max<qint64>(0, newest->toLongLong() - first);
    const QString insert =
        QStringLiteral("INSERT INTO %1(rowid, content, sender, meta) SELECT id, content, sender, "
                       "CASE WHEN json_valid(metadata) THEN (SELECT group_concat(value, ' ') FROM "
                       "json_tree(metadata) WHERE type IN ('text', 'integer', 'real')) ELSE "
                       "metadata END FROM %2.messages WHERE id > %3 ORDER BY id LIMIT %4");
    while (last < first + total) {
        if (stopping())
            return std::unexpected(stopped(last));
        if (auto ok = exec(db, QStringLiteral("BEGIN IMMEDIATE")); !ok)
            return ok;
        Status step = exec(db, insert.arg(fts, source).arg(last).arg(kBatch));
        Result<QVariant> maxId =
            step ? scalar(db, QStringLiteral("SELECT rowid FROM %1 ORDER BY rowid DESC LIMIT 1")
                                  .arg(fts)) // max(rowid) reads every row of the index
                 : Result<QVariant>(QVariant());
        if (step && !maxId)
            step = std::unexpected(maxId.error());
        Result<QVariant> print = QVariant();
        if (step) {
            print = scalar(db, fingerprintSql(source), {QVariant(maxId->toLongLong())});
            if (!print)
                step = std::unexpected(print.error());
        }
        if (step) {
            auto saved = scalar(db,
                                QStringLiteral("INSERT OR REPLACE INTO %1(name, value) VALUES "
                                               "('last_id', ?), ('fingerprint', ?)")
                                    .arg(state),
                                {QString::number(maxId->toLongLong()), print->toString()});
            if (!saved)
                step = std::unexpected(saved.error());
        }
        if (step && sourceUnchanged)
            step = sourceUnchanged();
        if (step)
            step = exec(db, QStringLiteral("COMMIT"));
        if (!step) {
            (void)exec(db, QStringLiteral("ROLLBACK"));
            if (stopping())
                return std::unexpected(stopped(last));
            return step;
        }
        const qint64 newLast = maxId->toLongLong();
        if (newLast <= last)
            break;
        last = newLast;
        if (progress)
            progress(std::min(total, last - first), total);
    }
    return {};
}

QString SqliteFtsBuilder::cachePathFor(const QString& sourcePath, const QString& cacheDir) {
    const QFileInfo info(sourcePath);
    const QString canonical =
        info.canonicalFilePath().isEmpty() ? info.absoluteFilePath() : info.canonicalFilePath();
    const QByteArray key =
        QCryptographicHash::hash(canonical.toUtf8(), QCryptographicHash::Sha256).toHex().left(32);
    return QDir(cacheDir).filePath(QString::fromLatin1(key) + QStringLiteral(".db"));
}

Result<QString> SqliteFtsBuilder::refreshCache(const QString& sourcePath, const QString& cacheDir,
                                               const IndexProgress& progress,
                                               const std::atomic<bool>* stop) {
    // The cache holds the messages' words: the owner's only (0700 directory, 0600
    // files, -wal and -shm inherit the mode), caches of older versions tightened too.
    if (!makePrivateDirectory(cacheDir))
        return fail(ErrorCode::Io, QStringLiteral("cannot create the search cache directory"),
                    cacheDir);
    const QString cachePath = cachePathFor(sourcePath, cacheDir);
    for (const char* suffix : {"", "-wal", "-shm"})
        if (!restrictToOwner(cachePath + QLatin1String(suffix)))
            return fail(ErrorCode::Io, QStringLiteral("cannot make the search cache private"),
                        cachePath);
    if (!createPrivateFile(cachePath, false))
        return fail(ErrorCode::Io, QStringLiteral("cannot create the search cache"), cachePath);
    sqlite3* db = nullptr;
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI;
    if (sqlite3_open_v2(QFile::encodeName(cachePath).constData(), &db, flags, nullptr) !=
        SQLITE_OK) {
        sqlite3_close(db);
        return fail(ErrorCode::Io, QStringLiteral("cannot open the search cache"), cachePath);
    }
    sqlite3_busy_timeout(db, 30000);
    // The source is read without its -shm when it has none: a server that starts writing
    // it during the build must not leave rows of two states in the cache (SourceWatch).
    // The watch looks first; a -shm that appears before the ATTACH fails the first batch.
    auto watch = SourceWatch::start(sourcePath, 30000);
    if (!watch) {
        sqlite3_close(db);
        return std::unexpected(watch.error());
    }
    const QString uri = sqliteReadOnlyUri(sourcePath);
    Status ok = exec(db, QStringLiteral("PRAGMA journal_mode = WAL"));
    if (ok) {
        auto attached = scalar(db, QStringLiteral("ATTACH DATABASE ? AS src"), {uri});
        if (!attached)
            ok = std::unexpected(attached.error());
    }
    if (ok)
        ok = refresh(db, QStringLiteral("main"), QStringLiteral("src"), progress, stop,
                     [&watch] { return (*watch)->unchanged(); });
    sqlite3_close(db);
    if (!ok)
        return std::unexpected(ok.error().withSubject(sourcePath));
    return cachePath;
}

Result<qint64> SqliteFtsBuilder::indexedUpTo(const QString& cachePath) {
    if (!QFileInfo::exists(cachePath))
        return 0;
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(QFile::encodeName(cachePath).constData(), &db, SQLITE_OPEN_READONLY,
                        nullptr) != SQLITE_OK) {
        sqlite3_close(db);
        return fail(ErrorCode::Io, QStringLiteral("cannot open the search cache"), cachePath);
    }
    sqlite3_busy_timeout(db, 5000);
    auto hasState = scalar(db, QStringLiteral("SELECT 1 FROM sqlite_master WHERE name = ?"),
                           {QLatin1String(kState)});
    Result<QVariant> last = QVariant();
    if (!hasState)
        last = std::unexpected(hasState.error());
    else if (hasState->isValid())
        last = scalar(db, QStringLiteral("SELECT value FROM %1 WHERE name = 'last_id'")
                              .arg(QLatin1String(kState)));
    sqlite3_close(db);
    if (!last)
        return std::unexpected(last.error().withSubject(cachePath));
    return last->toLongLong();
}

QStringList SqliteFtsBuilder::words(const QString& text) {
    static const QRegularExpression split(QStringLiteral("[^\\p{L}\\p{N}_]+"));
    QStringList out;
    for (const QString& w : text.split(split, Qt::SkipEmptyParts))
        out << w.toLower();
    return out;
}

QString SqliteFtsBuilder::matchExpression(const QStringList& words) {
    QStringList quoted;
    for (const QString& w : words)
        quoted << QLatin1Char('"') + QString(w).replace(QLatin1Char('"'), QStringLiteral("\"\"")) +
                      QLatin1Char('"');
    return quoted.join(QLatin1Char(' '));
}

} // namespace ctx::store
