#include "LegacyFixtures.h"

#include <QCryptographicHash>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>

#include <sqlite3.h>
#include <sys/stat.h>

namespace ctx::test {

namespace {

Status runAll(sqlite3* db, const QStringList& statements) {
    for (const QString& s : statements) {
        char* err = nullptr;
        if (sqlite3_exec(db, s.toUtf8().constData(), nullptr, nullptr, &err) != SQLITE_OK) {
            const QString msg = QString::fromUtf8(err ? err : "?") + QStringLiteral(" in: ") + s;
            sqlite3_free(err);
            return fail(ErrorCode::QueryFailed, msg);
        }
    }
    return {};
}

QStringList fixtureRows(LegacyVersion v) {
    using namespace fixture;
    const bool hasType = v != LegacyVersion::V1;
    const QString typeCol = hasType ? QStringLiteral("sender_type, ") : QString();
    auto type = [&](const QString& t) { return hasType ? t + QStringLiteral(", ") : QString(); };
    QStringList s{
        QStringLiteral(
            "INSERT INTO sessions (id, purpose, created_at, updated_at, is_active, "
            "created_by, metadata) VALUES ('%1', 'Plan the release', 1735689600.25, "
            "'2025-01-01 00:00:01', 1, 'claude-main', '{\"priority\":1,\"tags\":[\"a\"]}')")
            .arg(kSessionA),
        QStringLiteral(
            "INSERT INTO sessions (id, purpose, created_at, updated_at, is_active, "
            "created_by, metadata) VALUES ('%1', 'Review', '2025-08-20T12:00:00.123456+00:00', "
            "'2025-08-20T12:00:00Z', 'true', 'gemini-research', NULL)")
            .arg(kSessionB),
    };
    const QString insert =
        QStringLiteral("INSERT INTO messages (id, session_id, sender, %1content, "
                       "visibility, message_type, metadata, timestamp, "
                       "parent_message_id) VALUES ")
            .arg(typeCol);
    s << insert + QStringLiteral("(1, '%1', 'claude-main', %2'Hello from claude', 'public', "
                                 "'agent_response', '{\"model\":\"claude\"}', 1735689700.5, NULL)")
                      .arg(kSessionA, type("'claude'"))
      << insert + QStringLiteral("(2, '%1', 'gemini-research', %2'A reply', 'public', "
                                 "'agent_response', NULL, '2025-01-01T00:05:00+00:00', 1)")
                      .arg(kSessionA, type("NULL"))
      << insert + QStringLiteral("(3, '%1', 'claude-main', %2'My private note', 'private', "
                                 "'agent_response', NULL, '2025-01-01 00:06:00', 2)")
                      .arg(kSessionA, type("'claude'"))
      << insert + QStringLiteral("(4, '%1', 'gemini-research', %2'Only for me', 'agent_only', "
                                 "'agent_response', NULL, 1735690000, NULL)")
                      .arg(kSessionA, type("'gemini'"))
      << insert + QStringLiteral("(5, '%1', 'admin-console', %2'Admins only', 'admin_only', "
                                 "'system_message', '{}', '2025-01-01T00:10:00Z', NULL)")
                      .arg(kSessionA, type("'admin'"))
      << insert + QStringLiteral("(6, '%1', 'claude-main', %2'Second session', 'public', "
                                 "'agent_response', NULL, 1755691200.123456, NULL)")
                      .arg(kSessionB, type("'claude'"));
    s << QStringLiteral("INSERT INTO agent_memory (agent_id, session_id, key, value, metadata, "
                        "created_at, updated_at, expires_at) VALUES "
                        "('claude-main', NULL, 'global.pref', '{\"theme\":\"dark\"}', '{}', "
                        "1735689600, 1735689600, NULL),"
                        "('claude-main', '%1', 'task.state', 'raw string value', '{}', "
                        "'2025-01-01 00:00:00', '2025-01-01 00:00:00', NULL),"
                        "('gemini-research', NULL, 'cache.ttl', '42', '{}', 1735689600.0, "
                        "1735689600.0, 1735693200.0),"
                        "('gemini-research', '%1', 'expired.key', '\"old\"', '{}', 1000.0, "
                        "1000.0, 2000.0)")
             .arg(kSessionA)
      << QStringLiteral("INSERT INTO audit_log (timestamp, event_type, agent_id, session_id, "
                        "resource, action, result, metadata) VALUES "
                        "(1735689600.5, 'session_created', 'claude-main', '%1', 'session', "
                        "'create', 'success', '{}'),"
                        "('2025-01-01 00:01:00', 'message_added', 'gemini-research', '%1', "
                        "'message', 'add', 'success', '{\"id\":2}'),"
                        "('2025-08-20T12:00:00+02:00', 'authentication_failed', 'intruder', "
                        "NULL, 'auth', 'login', 'failure', '{}')")
             .arg(kSessionA);
    if (v == LegacyVersion::V3a || v == LegacyVersion::V3b)
        s << QStringLiteral("INSERT INTO secure_tokens (token_id, encrypted_jwt, agent_id, "
                            "expires_at, created_at) VALUES "
                            "('sct_11111111-2222-4333-8444-555555555555', "
                            "X'67414141414100ff80fe0102', 'claude-main', 1735776000.0, "
                            "1735689600.0),"
                            "('sct_66666666-7777-4888-9999-aaaaaaaaaaaa', X'00', "
                            "'gemini-research', '2025-01-02 00:00:00', '2025-01-01 00:00:00')");
    return s;
}

} // namespace

Status execSql(const QString& path, const QStringList& statements) {
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(QFile::encodeName(path).constData(), &db, SQLITE_OPEN_READWRITE, nullptr) !=
        SQLITE_OK) {
        sqlite3_close(db);
        return fail(ErrorCode::Io, QStringLiteral("cannot open"), path);
    }
    auto ok = runAll(db, statements);
    sqlite3_close(db);
    return ok;
}

Status execSqlIntoWalOnly(const QString& path, const QStringList& statements) {
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(QFile::encodeName(path).constData(), &db, SQLITE_OPEN_READWRITE, nullptr) !=
        SQLITE_OK) {
        sqlite3_close(db);
        return fail(ErrorCode::Io, QStringLiteral("cannot open"), path);
    }
    int on = 1;
    sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, &on);
    auto ok = runAll(db, QStringList{QStringLiteral("PRAGMA journal_mode=WAL"),
                                     QStringLiteral("PRAGMA wal_autocheckpoint=0")} +
                             statements);
    sqlite3_close(db);
    return ok;
}

Result<std::unique_ptr<Connection>> openWritableSqlite(const QString& path) {
    ConnectionOptions o;
    o.readOnly = false;
    o.createIfMissing = true;
    return Connection::open(DatabaseUrl::sqliteFile(path), o);
}

Status writeLegacyFile(const QString& path, LegacyVersion version, bool withRows) {
    {
        auto conn = openWritableSqlite(path);
        if (!conn)
            return std::unexpected(conn.error());
        if (auto ok = LegacySchemaWriter::create(**conn, version); !ok)
            return ok;
    }
    if (!withRows)
        return {};
    return execSql(path, fixtureRows(version));
}

QByteArray contentDigest(const QString& path, const QStringList& only) {
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(QFile::encodeName(path).constData(), &db, SQLITE_OPEN_READONLY, nullptr) !=
        SQLITE_OK) {
        sqlite3_close(db);
        return {};
    }
    QStringList tables = only;
    sqlite3_stmt* st = nullptr;
    if (tables.isEmpty()) {
        sqlite3_prepare_v2(db,
                           "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE "
                           "'sqlite_%' AND name <> 'schema_version' ORDER BY name",
                           -1, &st, nullptr);
        while (sqlite3_step(st) == SQLITE_ROW)
            tables << QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
        sqlite3_finalize(st);
    }
    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (const QString& t : tables) {
        hash.addData(t.toUtf8());
        const QByteArray sql = "SELECT * FROM \"" + t.toUtf8() + "\" ORDER BY rowid";
        if (sqlite3_prepare_v2(db, sql.constData(), -1, &st, nullptr) != SQLITE_OK)
            continue;
        while (sqlite3_step(st) == SQLITE_ROW) {
            for (int c = 0; c < sqlite3_column_count(st); ++c) {
                const int type = sqlite3_column_type(st, c);
                hash.addData(QByteArray(1, char(type)));
                const void* blob = sqlite3_column_blob(st, c);
                const int n = sqlite3_column_bytes(st, c);
                hash.addData(QByteArray::number(n) + ':');
                if (blob)
                    hash.addData(QByteArrayView(static_cast<const char*>(blob), n));
            }
        }
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return hash.result();
}

FileFingerprint FileFingerprint::of(const QString& path) {
    FileFingerprint f;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return f;
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(&file);
    f.sha256 = hash.result();
    f.size = file.size();
    struct stat st {};
    if (::stat(QFile::encodeName(path).constData(), &st) == 0)
        f.mtimeNs = qint64(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec;
    return f;
}

QStringList filesContaining(const QString& root, const QByteArray& needle) {
    QStringList hits;
    QDirIterator it(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile f(path);
        if (f.open(QIODevice::ReadOnly) && f.readAll().contains(needle))
            hits << path;
    }
    return hits;
}

} // namespace ctx::test
