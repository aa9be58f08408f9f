#include "MigrationCatalog.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QRegularExpression>

namespace ctx {

QByteArray MigrationCatalog::readResource(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

QString MigrationCatalog::checksumOf(const QByteArray& sql) {
    return QString::fromLatin1(QCryptographicHash::hash(sql, QCryptographicHash::Sha256).toHex());
}

MigrationScript MigrationCatalog::make(int version, const QString& name, const QByteArray& sql) {
    MigrationScript s;
    s.version = version;
    s.name = name;
    s.sql = sql;
    s.checksum = checksumOf(sql);
    const QString first = QString::fromUtf8(sql).section(QLatin1Char('\n'), 0, 0);
    s.description = first.startsWith(QStringLiteral("--")) ? first.mid(2).trimmed() : name;
    static const QRegularExpression earlier(
        QStringLiteral("^-- earlier text: sha256 ([0-9a-f]{64})\\b"),
        QRegularExpression::MultilineOption);
    for (auto it = earlier.globalMatch(QString::fromUtf8(sql)); it.hasNext();)
        s.earlierChecksums << it.next().captured(1);
    return s;
}

QList<MigrationScript> MigrationCatalog::forEngine(Engine engine) {
    QList<MigrationScript> scripts;
    if (engine == Engine::Sqlite) {
        // Version 1 for a new, empty file: the server's original schema, from the
        // same fragments that build legacy fixtures.
        QByteArray v1 = "-- Version 1: the server's original schema (new databases only)\n";
        for (const char* part : {"common", "messages_v1", "memory_table_unique", "memory_common"})
            v1 += readResource(QStringLiteral(":/sql/legacy/%1.sql").arg(QLatin1String(part)));
        scripts << make(1, QStringLiteral("server_schema"), v1);
    }
    const QString dir = engine == Engine::Sqlite ? QStringLiteral(":/sql/sqlite")
                                                 : QStringLiteral(":/sql/postgres");
    static const QRegularExpression nameRe(QStringLiteral("^(\\d{3})_(\\w+)\\.sql$"));
    const QStringList files =
        QDir(dir).entryList({QStringLiteral("*.sql")}, QDir::Files, QDir::Name);
    for (const QString& file : files) {
        const auto m = nameRe.match(file);
        if (!m.hasMatch())
            continue;
        scripts << make(m.captured(1).toInt(), m.captured(2),
                        readResource(dir + QLatin1Char('/') + file));
    }
    return scripts;
}

int MigrationCatalog::latestVersion(Engine engine) {
    const auto scripts = forEngine(engine);
    return scripts.isEmpty() ? 0 : scripts.last().version;
}

} // namespace ctx
