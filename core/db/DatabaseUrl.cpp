#include "DatabaseUrl.h"

#include "PgPassFile.h"

#include <QDir>
#include <QFileInfo>
#include <QUrl>

#include <cstring>

namespace ctx {

QString engineName(Engine engine) {
    return engine == Engine::Sqlite ? QStringLiteral("sqlite") : QStringLiteral("postgresql");
}

bool isSecretParameter(const QString& key) {
    const QString k = key.toLower();
    for (const char* word : {"password", "passwd", "secret", "token"})
        if (k.contains(QLatin1String(word)))
            return true;
    return false;
}

namespace {
bool isNameByte(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '%';
}
} // namespace

void scrubSecretsInPlace(char* text) {
    const std::size_t size = std::strlen(text);
    // A postgres scheme ("postgresql+asyncpg:", "postgres:"), then any slashes: the user
    // info runs to the last '@' of the argument, its password from its first ':'.
    std::size_t colon = 0;
    while (colon < size && text[colon] != ':')
        ++colon;
    if (colon < size && QByteArray(text, qsizetype(colon)).toLower().startsWith("postgres")) {
        std::size_t start = colon + 1;
        while (start < size && text[start] == '/')
            ++start;
        std::size_t at = size;
        for (std::size_t i = start; i < size; ++i)
            if (text[i] == '@')
                at = i;
        std::size_t sep = start;
        while (sep < at && text[sep] != ':')
            ++sep;
        for (std::size_t i = sep + 1; at < size && i < at; ++i)
            text[i] = '*';
    }
    // key=value anywhere: the value of a secret key, up to the next '&'.
    for (std::size_t eq = 0; eq < size; ++eq) {
        if (text[eq] != '=')
            continue;
        std::size_t keyStart = eq;
        while (keyStart > 0 && isNameByte(text[keyStart - 1]))
            --keyStart;
        const QString key = QString::fromLatin1(text + keyStart, qsizetype(eq - keyStart));
        if (key.isEmpty() || !isSecretParameter(QUrl::fromPercentEncoding(key.toLatin1())))
            continue;
        std::size_t end = eq + 1;
        while (end < size && text[end] != '&')
            text[end++] = '*';
        eq = end;
    }
}

namespace {

QString decode(const QString& s) {
    return QUrl::fromPercentEncoding(s.toUtf8());
}

QString encodeComponent(const QString& s) {
    return QString::fromUtf8(QUrl::toPercentEncoding(s));
}

// Splits "scheme://rest" and returns the base scheme without a "+driver" suffix.
bool splitScheme(const QString& text, QString* scheme, QString* rest) {
    const qsizetype sep = text.indexOf(QStringLiteral("://"));
    if (sep <= 1) // no scheme, or a Windows drive letter ("C://" is not a URL here)
        return false;
    const QString full = text.left(sep).toLower();
    for (QChar c : full) {
        if (!(c.isLetterOrNumber() || c == QLatin1Char('+') || c == QLatin1Char('-') ||
              c == QLatin1Char('.')))
            return false;
    }
    *scheme = full.section(QLatin1Char('+'), 0, 0);
    *rest = text.mid(sep + 3);
    return true;
}

const QString kHostPortFails = QStringLiteral("the host/port part does not parse");

// A malformed PostgreSQL URL: the reason only, no part of the text (it may hold a
// password that did not parse as one).
std::unexpected<Error> invalidUrl(const QString& reason) {
    return fail(ErrorCode::InvalidArgument, QStringLiteral("invalid PostgreSQL URL: ") + reason);
}

// 1..65535 written in ASCII digits only, else 0.
int parsePort(const QString& text) {
    if (text.isEmpty() || text.size() > 5)
        return 0;
    int port = 0;
    for (QChar c : text) {
        if (c < QLatin1Char('0') || c > QLatin1Char('9'))
            return 0;
        port = port * 10 + (c.unicode() - '0');
    }
    return port <= 65535 ? port : 0;
}

// libpq's keywords are ASCII names: [A-Za-z_][A-Za-z0-9_]*.
bool isParameterName(const QString& key) {
    if (key.isEmpty() || key.at(0).isDigit())
        return false;
    for (QChar c : key)
        if (!(c.isLetterOrNumber() && c.unicode() < 128) && c != QLatin1Char('_'))
            return false;
    return true;
}

bool isPostgresScheme(const QString& scheme) {
    return scheme == QLatin1String("postgresql") || scheme == QLatin1String("postgres");
}

Result<DatabaseUrl> parseSqlite(const QString& original, const QString& rest) {
    // sqlite:///relative.db -> rest "/relative.db"; sqlite:////abs.db -> "//abs.db"
    QString path = rest;
    const qsizetype q = path.indexOf(QLatin1Char('?'));
    if (q >= 0)
        path.truncate(q);
    if (path.startsWith(QLatin1Char('/')))
        path.remove(0, 1);
    path = decode(path);
    if (path.isEmpty())
        return fail(ErrorCode::InvalidArgument, QStringLiteral("the URL names no database file"),
                    original);
    return DatabaseUrl::sqliteFile(path);
}

} // namespace

DatabaseUrl DatabaseUrl::sqliteFile(const QString& path) {
    DatabaseUrl url;
    url.m_engine = Engine::Sqlite;
    url.m_path = path;
    return url;
}

Result<DatabaseUrl> DatabaseUrl::parse(const QString& input) {
    const QString text = input.trimmed();
    if (text.isEmpty())
        return fail(ErrorCode::InvalidArgument, QStringLiteral("empty database URL"));

    QString scheme;
    QString rest;
    if (!splitScheme(text, &scheme, &rest)) {
        // "postgresql:/u:pw@h/db" is a mistyped URL, not a file to open and name in errors.
        const QString head = text.section(QLatin1Char(':'), 0, 0).toLower();
        if (text.contains(QLatin1Char(':')) &&
            isPostgresScheme(head.section(QLatin1Char('+'), 0, 0)))
            return invalidUrl(QStringLiteral("expected postgresql://"));
        if (text.startsWith(QStringLiteral("file:")))
            return sqliteFile(decode(text.mid(5)));
        return sqliteFile(text); // a plain path
    }
    if (scheme == QLatin1String("sqlite") || scheme == QLatin1String("file"))
        return parseSqlite(text, rest);
    if (!isPostgresScheme(scheme))
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("unsupported URL scheme '%1' (use a file path, sqlite:/// or "
                                   "postgresql://)")
                        .arg(scheme));

    DatabaseUrl url;
    url.m_engine = Engine::Postgres;
    QString query;
    if (const qsizetype q = rest.indexOf(QLatin1Char('?')); q >= 0) {
        query = rest.mid(q + 1);
        rest.truncate(q);
    }
    QString authority = rest;
    QString path;
    if (const qsizetype slash = rest.indexOf(QLatin1Char('/')); slash >= 0) {
        authority = rest.left(slash);
        path = rest.mid(slash + 1);
    }
    // An '@' past the host part is the end of a user info holding a raw '/' or '?':
    // libpq and SQLAlchemy would read different hosts, and the password would land in
    // the database name or a parameter. Refused without echoing any of it.
    if (path.contains(QLatin1Char('@')) || query.contains(QLatin1Char('@')))
        return invalidUrl(QStringLiteral("'@' after the host part (percent-encode '/', '?' and "
                                         "'@' in user names and passwords: %2F, %3F, %40)"));
    url.m_database = decode(path);
    if (const qsizetype at = authority.lastIndexOf(QLatin1Char('@')); at >= 0) {
        const QString userInfo = authority.left(at);
        authority = authority.mid(at + 1);
        const qsizetype colon = userInfo.indexOf(QLatin1Char(':'));
        url.m_user = decode(colon >= 0 ? userInfo.left(colon) : userInfo);
        if (colon >= 0)
            url.setPassword(decode(userInfo.mid(colon + 1)));
    }
    QString hostPart = authority;
    QString portPart;
    if (hostPart.startsWith(QLatin1Char('['))) { // IPv6 literal
        const qsizetype close = hostPart.indexOf(QLatin1Char(']'));
        if (close < 0)
            return invalidUrl(kHostPortFails);
        portPart = hostPart.mid(close + 1);
        hostPart = hostPart.mid(1, close - 1);
        if (!portPart.isEmpty() && !portPart.startsWith(QLatin1Char(':')))
            return invalidUrl(kHostPortFails);
        portPart.remove(0, 1);
    } else if (const qsizetype colon = hostPart.lastIndexOf(QLatin1Char(':')); colon >= 0) {
        portPart = hostPart.mid(colon + 1);
        hostPart = hostPart.left(colon);
        if (portPart.isEmpty())
            return invalidUrl(kHostPortFails);
    }
    url.m_host = decode(hostPart);
    if (!portPart.isEmpty()) {
        const int port = parsePort(portPart);
        if (port == 0)
            return invalidUrl(kHostPortFails);
        url.m_port = port;
    }
    for (const QString& pair : query.split(QLatin1Char('&'), Qt::SkipEmptyParts)) {
        const qsizetype eq = pair.indexOf(QLatin1Char('='));
        const QString key = eq >= 0 ? pair.left(eq) : pair;
        if (!isParameterName(key))
            return invalidUrl(QStringLiteral("a query parameter name does not parse"));
        const QString value = decode(eq >= 0 ? pair.mid(eq + 1) : QString());
        if (key == QLatin1String("host")) {
            url.m_host = value;
        } else if (key == QLatin1String("port")) {
            url.m_port = parsePort(value);
            if (url.m_port == 0)
                return invalidUrl(QStringLiteral("the port parameter is not a number from 1 "
                                                 "to 65535"));
        } else if (key == QLatin1String("user")) {
            url.m_user = value;
        } else if (key == QLatin1String("password")) {
            url.setPassword(value);
        } else if (key == QLatin1String("dbname")) {
            url.m_database = value;
        } else {
            url.m_params.insert(key, value);
        }
    }
    static const QStringList sslModes{"disable", "allow",     "prefer",
                                      "require", "verify-ca", "verify-full"};
    if (url.m_params.contains(QStringLiteral("sslmode")) && !sslModes.contains(url.sslMode()))
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("invalid sslmode '%1' (one of %2)")
                        .arg(url.sslMode(), sslModes.join(QStringLiteral(", "))),
                    url.redacted());
    if (url.m_database.isEmpty())
        url.m_database = url.m_user.isEmpty() ? QStringLiteral("postgres") : url.m_user;
    return url;
}

QString DatabaseUrl::parameter(const QString& key, const QString& fallback) const {
    return m_params.value(key, fallback);
}

void DatabaseUrl::setPassword(const QString& password, PasswordSource source) {
    m_password = password;
    m_hasPassword = true;
    m_passwordSource = source;
}

DatabaseUrl DatabaseUrl::withDatabase(const QString& database) const {
    DatabaseUrl copy = *this;
    copy.m_database = database;
    return copy;
}

void DatabaseUrl::resolvePassword() {
    if (m_engine != Engine::Postgres || m_hasPassword)
        return;
    const QByteArray env = qgetenv("PGPASSWORD");
    if (!env.isEmpty()) {
        setPassword(QString::fromLocal8Bit(env), PasswordSource::Environment);
        return;
    }
    const QString host =
        m_host.isEmpty() || hostIsSocketDirectory() ? QStringLiteral("localhost") : m_host;
    const QString user = m_user.isEmpty() ? QString::fromLocal8Bit(qgetenv("USER")) : m_user;
    if (auto pw = PgPassFile::lookup(PgPassFile::defaultPath(), host, m_port, m_database, user))
        setPassword(*pw, PasswordSource::PgPassFile);
}

QString DatabaseUrl::redacted() const {
    return format(true);
}

QString DatabaseUrl::withoutSecrets() const {
    return format(false);
}

QString DatabaseUrl::format(bool withSecrets) const {
    if (m_engine == Engine::Sqlite)
        return m_path;
    QString s = QStringLiteral("postgresql://");
    if (!m_user.isEmpty() || (withSecrets && m_hasPassword)) {
        s += encodeComponent(m_user);
        if (withSecrets && m_hasPassword)
            s += QStringLiteral(":***");
        s += QLatin1Char('@');
    }
    if (m_host.contains(QLatin1Char(':')))
        s += QLatin1Char('[') + m_host + QLatin1Char(']');
    else
        s += encodeComponent(m_host);
    s += QLatin1Char(':') + QString::number(m_port);
    s += QLatin1Char('/') + encodeComponent(m_database);
    QStringList pairs;
    for (auto it = m_params.cbegin(); it != m_params.cend(); ++it) {
        const bool secret = isSecretParameter(it.key());
        if (secret && !withSecrets)
            continue;
        pairs << encodeComponent(it.key()) + QLatin1Char('=') +
                     (secret ? QStringLiteral("***") : encodeComponent(it.value()));
    }
    if (!pairs.isEmpty())
        s += QLatin1Char('?') + pairs.join(QLatin1Char('&'));
    return s;
}

QString DatabaseUrl::displayName() const {
    if (m_engine == Engine::Sqlite)
        return QFileInfo(m_path).fileName();
    return m_database + QLatin1Char('@') +
           (m_host.isEmpty() ? QStringLiteral("localhost") : m_host);
}

} // namespace ctx
