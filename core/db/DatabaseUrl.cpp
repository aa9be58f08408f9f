#include "DatabaseUrl.h"

#include "PgPassFile.h"

#include <QDir>
#include <QFileInfo>
#include <QUrl>

namespace ctx {

QString engineName(Engine engine) {
    return engine == Engine::Sqlite ? QStringLiteral("sqlite") : QStringLiteral("postgresql");
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
        if (text.startsWith(QStringLiteral("file:")))
            return sqliteFile(decode(text.mid(5)));
        return sqliteFile(text); // a plain path
    }
    if (scheme == QLatin1String("sqlite") || scheme == QLatin1String("file"))
        return parseSqlite(text, rest);
    if (scheme != QLatin1String("postgresql") && scheme != QLatin1String("postgres"))
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
    if (const qsizetype slash = rest.indexOf(QLatin1Char('/')); slash >= 0) {
        authority = rest.left(slash);
        url.m_database = decode(rest.mid(slash + 1));
    }
    if (const qsizetype at = authority.lastIndexOf(QLatin1Char('@')); at >= 0) {
        const QString userInfo = authority.left(at);
        authority = authority.mid(at + 1);
        const qsizetype colon = userInfo.indexOf(QLatin1Char(':'));
        url.m_user = decode(colon >= 0 ? userInfo.left(colon) : userInfo);
        if (colon >= 0) {
            url.m_password = decode(userInfo.mid(colon + 1));
            url.m_hasPassword = true;
        }
    }
    QString hostPart = authority;
    QString portPart;
    if (hostPart.startsWith(QLatin1Char('['))) { // IPv6 literal
        const qsizetype close = hostPart.indexOf(QLatin1Char(']'));
        if (close < 0)
            return fail(ErrorCode::InvalidArgument, QStringLiteral("unclosed '[' in host"),
                        url.redacted());
        portPart = hostPart.mid(close + 1);
        hostPart = hostPart.mid(1, close - 1);
        if (portPart.startsWith(QLatin1Char(':')))
            portPart.remove(0, 1);
    } else if (const qsizetype colon = hostPart.lastIndexOf(QLatin1Char(':')); colon >= 0) {
        portPart = hostPart.mid(colon + 1);
        hostPart = hostPart.left(colon);
    }
    url.m_host = decode(hostPart);
    if (!portPart.isEmpty()) {
        bool ok = false;
        const int port = portPart.toInt(&ok);
        if (!ok || port < 1 || port > 65535)
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("invalid port '%1'").arg(portPart), url.redacted());
        url.m_port = port;
    }
    for (const QString& pair : query.split(QLatin1Char('&'), Qt::SkipEmptyParts)) {
        const qsizetype eq = pair.indexOf(QLatin1Char('='));
        const QString key = decode(eq >= 0 ? pair.left(eq) : pair);
        const QString value = decode(eq >= 0 ? pair.mid(eq + 1) : QString());
        if (key == QLatin1String("host"))
            url.m_host = value;
        else if (key == QLatin1String("port"))
            url.m_port = value.toInt();
        else if (key == QLatin1String("user"))
            url.m_user = value;
        else if (key == QLatin1String("password"))
            url.setPassword(value);
        else if (key == QLatin1String("dbname"))
            url.m_database = value;
        else
            url.m_params.insert(key, value);
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

void DatabaseUrl::setPassword(const QString& password) {
    m_password = password;
    m_hasPassword = true;
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
        setPassword(QString::fromLocal8Bit(env));
        return;
    }
    const QString host =
        m_host.isEmpty() || hostIsSocketDirectory() ? QStringLiteral("localhost") : m_host;
    const QString user = m_user.isEmpty() ? QString::fromLocal8Bit(qgetenv("USER")) : m_user;
    if (auto pw = PgPassFile::lookup(PgPassFile::defaultPath(), host, m_port, m_database, user))
        setPassword(*pw);
}

QString DatabaseUrl::redacted() const {
    if (m_engine == Engine::Sqlite)
        return m_path;
    QString s = QStringLiteral("postgresql://");
    if (!m_user.isEmpty() || m_hasPassword) {
        s += encodeComponent(m_user);
        if (m_hasPassword)
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
    for (auto it = m_params.cbegin(); it != m_params.cend(); ++it)
        pairs << encodeComponent(it.key()) + QLatin1Char('=') + encodeComponent(it.value());
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
