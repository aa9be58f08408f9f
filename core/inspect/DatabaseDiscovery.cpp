#include "DatabaseDiscovery.h"

#include "core/db/DatabaseUrl.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcessEnvironment>
#include <QSet>

namespace ctx {

namespace {

QString unquote(QString value) {
    value = value.trimmed();
    if (value.size() >= 2 &&
        (value.front() == QLatin1Char('"') || value.front() == QLatin1Char('\'')) &&
        value.back() == value.front())
        return value.mid(1, value.size() - 2);
    // An unquoted value ends at an inline comment.
    if (const qsizetype hash = value.indexOf(QStringLiteral(" #")); hash >= 0)
        value = value.left(hash).trimmed();
    return value;
}

// A relative SQLite location is relative to the directory the server ran in.
QString resolvedText(const QString& text, const QString& baseDir) {
    auto url = DatabaseUrl::parse(text);
    if (!url || !url->isSqlite())
        return text;
    const QString path = url->filePath();
    if (QFileInfo(path).isAbsolute())
        return QDir::cleanPath(path);
    return QDir::cleanPath(QDir(baseDir).absoluteFilePath(path));
}

} // namespace

DatabaseDiscovery::Environment DatabaseDiscovery::systemEnvironment() {
    const auto env = QProcessEnvironment::systemEnvironment();
    Environment e;
    e.currentDir = QDir::currentPath();
    e.home = QDir::homePath();
    e.xdgDataHome = env.value(QStringLiteral("XDG_DATA_HOME"));
#ifdef Q_OS_WIN
    e.appData = env.value(QStringLiteral("APPDATA"));
#endif
    return e;
}

QMap<QString, QString> DatabaseDiscovery::parseDotEnv(const QString& text) {
    QMap<QString, QString> values;
    for (QString line : text.split(QLatin1Char('\n'))) {
        line = line.trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        if (line.startsWith(QStringLiteral("export ")))
            line = line.mid(7).trimmed();
        const qsizetype eq = line.indexOf(QLatin1Char('='));
        if (eq <= 0)
            continue;
        values.insert(line.left(eq).trimmed(), unquote(line.mid(eq + 1)));
    }
    return values;
}

QList<DiscoveredDatabase> DatabaseDiscovery::discover(const Environment& env) {
    QList<DiscoveredDatabase> found;
    QSet<QString> seen;
    auto add = [&](const QString& text, const QString& origin, bool mustExist) {
        if (text.isEmpty() || seen.contains(text))
            return;
        auto url = DatabaseUrl::parse(text);
        if (!url)
            return;
        if (url->isSqlite() && mustExist && !QFileInfo(url->filePath()).isFile())
            return;
        seen.insert(text);
        found.append({text, origin});
    };

    QFile dotEnv(QDir(env.currentDir).filePath(QStringLiteral(".env")));
    if (dotEnv.open(QIODevice::ReadOnly)) {
        const auto values = parseDotEnv(QString::fromUtf8(dotEnv.readAll()));
        for (const QString& key :
             {QStringLiteral("DATABASE_URL"), QStringLiteral("DATABASE_PATH")}) {
            const QString value = values.value(key);
            if (!value.isEmpty())
                add(resolvedText(value, env.currentDir), QStringLiteral(".env %1").arg(key), true);
        }
    }

    const QString name = defaultFileName();
    const QString sub = QStringLiteral("shared-context-server");
    add(QDir(env.currentDir).filePath(name), QStringLiteral("working directory"), true);
    const QString xdg = env.xdgDataHome.isEmpty()
                            ? QDir(env.home).filePath(QStringLiteral(".local/share"))
                            : env.xdgDataHome;
    add(QDir(QDir(xdg).filePath(sub)).filePath(name), QStringLiteral("XDG data directory"), true);
    if (!env.appData.isEmpty())
        add(QDir(QDir(env.appData).filePath(sub)).filePath(name), QStringLiteral("%APPDATA%"),
            true);
    add(QDir(QDir(env.home).filePath(QStringLiteral(".shared-context-server"))).filePath(name),
        QStringLiteral("~/.shared-context-server"), true);
    return found;
}

} // namespace ctx
