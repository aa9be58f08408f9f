#include "PgPassFile.h"

#include <QDir>
#include <QFile>
#include <QStringList>

namespace ctx {

QString PgPassFile::defaultPath() {
    const QByteArray env = qgetenv("PGPASSFILE");
    if (!env.isEmpty())
        return QString::fromLocal8Bit(env);
#ifdef Q_OS_WIN
    return QString::fromLocal8Bit(qgetenv("APPDATA")) + QStringLiteral("/postgresql/pgpass.conf");
#else
    return QDir::homePath() + QStringLiteral("/.pgpass");
#endif
}

QStringList PgPassFile::splitLine(const QString& line) {
    if (line.startsWith(QLatin1Char('#')) || line.trimmed().isEmpty())
        return {};
    QStringList fields;
    QString current;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const QChar c = line.at(i);
        if (c == QLatin1Char('\\') && i + 1 < line.size()) {
            current += line.at(++i);
        } else if (c == QLatin1Char(':') && fields.size() < 4) {
            fields << current;
            current.clear();
        } else {
            current += c;
        }
    }
    fields << current;
    return fields.size() == 5 ? fields : QStringList{};
}

std::optional<QString> PgPassFile::lookup(const QString& path, const QString& host, int port,
                                          const QString& database, const QString& user) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return std::nullopt;
    const QStringList wanted{host, QString::number(port), database, user};
    while (!file.atEnd()) {
        const QString line = QString::fromUtf8(file.readLine()).remove(QLatin1Char('\n'));
        const QStringList fields =
            splitLine(line.endsWith(QLatin1Char('\r')) ? line.chopped(1) : line);
        if (fields.isEmpty())
            continue;
        bool match = true;
        for (int i = 0; i < 4 && match; ++i)
            match = fields[i] == QLatin1String("*") || fields[i] == wanted[i];
        if (match)
            return fields[4];
    }
    return std::nullopt;
}

} // namespace ctx
