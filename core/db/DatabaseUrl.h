#pragma once

#include "core/Error.h"

#include <QMap>
#include <QString>

namespace ctx {

enum class Engine { Sqlite, Postgres };
QString engineName(Engine engine);

// A database location in any form the server's users have: a plain file path,
// sqlite:///relative.db, sqlite:////abs.db, sqlite+aiosqlite:///…, postgres://,
// postgresql://user:pw@host:port/db?sslmode=…, postgresql+asyncpg://…, and
// Unix-socket hosts (percent-encoded path as host, or ?host=/dir).
class DatabaseUrl {
public:
    static Result<DatabaseUrl> parse(const QString& text);
    static DatabaseUrl sqliteFile(const QString& path);

    Engine engine() const { return m_engine; }
    bool isSqlite() const { return m_engine == Engine::Sqlite; }
    bool isPostgres() const { return m_engine == Engine::Postgres; }

    // SQLite
    QString filePath() const { return m_path; }

    // PostgreSQL
    QString host() const { return m_host; } // empty = libpq default socket
    bool hostIsSocketDirectory() const { return m_host.startsWith(QLatin1Char('/')); }
    int port() const { return m_port; }
    QString user() const { return m_user; }
    QString password() const { return m_password; }
    bool hasPassword() const { return m_hasPassword; }
    QString database() const { return m_database; }
    QMap<QString, QString> parameters() const { return m_params; }
    QString parameter(const QString& key, const QString& fallback = {}) const;
    QString sslMode() const {
        return parameter(QStringLiteral("sslmode"), QStringLiteral("prefer"));
    }

    void setPassword(const QString& password);
    // The same server and credentials, another database.
    DatabaseUrl withDatabase(const QString& database) const;
    void setParameter(const QString& key, const QString& value) { m_params.insert(key, value); }

    // Fills the password from PGPASSWORD, then from the pgpass file (PGPASSFILE or
    // ~/.pgpass), when the URL itself carries none.
    void resolvePassword();

    // The URL with the password replaced by "***": the only form ever printed.
    QString redacted() const;
    // A short name for titles: the file name, or db@host.
    QString displayName() const;

private:
    Engine m_engine = Engine::Sqlite;
    QString m_path;
    QString m_host;
    int m_port = 5432;
    QString m_user;
    QString m_password;
    bool m_hasPassword = false;
    QString m_database;
    QMap<QString, QString> m_params;
};

} // namespace ctx
