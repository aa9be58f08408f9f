#pragma once

#include "core/Error.h"

#include <QMap>
#include <QString>

namespace ctx {

enum class Engine { Sqlite, Postgres };
QString engineName(Engine engine);

// Where a URL's password came from: the user gave it (in the URL, typed, the
// keychain), or it was found in PGPASSWORD or the pgpass file. Passwords found in the
// environment are not copied anywhere without asking.
enum class PasswordSource { None, Given, Environment, PgPassFile };

// Query parameters whose values are secrets (password, sslpassword, any *token* or
// *secret*): printed as "***", never stored.
bool isSecretParameter(const QString& key);

// Overwrites with '*', in place, every secret in a command-line argument: the password
// of a postgres URL's user info (up to the last '@', wherever the first '/' is) and
// the value of every secret parameter. Used on argv so that ps never shows them.
void scrubSecretsInPlace(char* text);

// A database location in any form the server's users have: a plain file path,
// sqlite:///relative.db, sqlite:////abs.db, sqlite+aiosqlite:///…, postgres://,
// postgresql://user:pw@host:port/db?sslmode=…, postgresql+asyncpg://…, and
// Unix-socket hosts (percent-encoded path as host, or ?host=/dir).
// A PostgreSQL URL is refused when it would be read differently by different tools
// (an '@' after the host part: a '/' or '?' in a password that is not percent-encoded,
// a query parameter name that is not a name); such errors echo no part of the URL.
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
    PasswordSource passwordSource() const { return m_passwordSource; }
    QString database() const { return m_database; }
    QMap<QString, QString> parameters() const { return m_params; }
    QString parameter(const QString& key, const QString& fallback = {}) const;
    QString sslMode() const {
        return parameter(QStringLiteral("sslmode"), QStringLiteral("prefer"));
    }

    void setPassword(const QString& password, PasswordSource source = PasswordSource::Given);
    // The same server and credentials, another database.
    DatabaseUrl withDatabase(const QString& database) const;
    void setParameter(const QString& key, const QString& value) { m_params.insert(key, value); }

    // Fills the password from PGPASSWORD, then from the pgpass file (PGPASSFILE or
    // ~/.pgpass), when the URL itself carries none.
    void resolvePassword();

    // The URL with the password and secret parameters replaced by "***": the only form
    // ever printed.
    QString redacted() const;
    // The URL without the password and secret parameters: the form kept in settings
    // (recent databases) and the keychain's key.
    QString withoutSecrets() const;
    // A short name for titles: the file name, or db@host.
    QString displayName() const;

private:
    QString format(bool withSecrets) const;
    Engine m_engine = Engine::Sqlite;
    QString m_path;
    QString m_host;
    int m_port = 5432;
    QString m_user;
    QString m_password;
    bool m_hasPassword = false;
    PasswordSource m_passwordSource = PasswordSource::None;
    QString m_database;
    QMap<QString, QString> m_params;
};

} // namespace ctx
