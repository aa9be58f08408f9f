#include "ConsoleHistory.h"

#include "core/PrivateFiles.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QSettings>
#include <QStandardPaths>

namespace ctx::ui {

namespace {
const QString kOldGroup = QStringLiteral("console/history");

QStringList readFile(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QStringList list;
    for (const QJsonValue& v : QJsonDocument::fromJson(f.readAll()).array())
        if (v.isString())
            list << v.toString();
    return list;
}
} // namespace

QString ConsoleHistory::directory() {
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
        .filePath(QStringLiteral("console-history"));
}

QString ConsoleHistory::pathFor(const QString& key) {
    const QByteArray hash =
        QCryptographicHash::hash(key.toUtf8(), QCryptographicHash::Sha256).toHex().left(32);
    return QDir(directory()).filePath(QString::fromLatin1(hash) + QStringLiteral(".json"));
}

QStringList ConsoleHistory::load(const QString& key) {
    if (key.isEmpty())
        return {};
    moveOutOfSettings();
    return readFile(pathFor(key)).mid(0, kLimit);
}

Status ConsoleHistory::save(const QString& key, const QStringList& statements) {
    if (key.isEmpty())
        return {};
    if (auto dir = makePrivateDirectory(directory()); !dir)
        return dir;
    const QString path = pathFor(key);
    QSaveFile f(path);
    const QByteArray bytes =
        QJsonDocument(QJsonArray::fromStringList(statements.mid(0, kLimit))).toJson();
    if (!f.open(QIODevice::WriteOnly) || !f.setPermissions(kPrivateFile) ||
        f.write(bytes) != bytes.size() || !f.commit())
        return fail(ErrorCode::Io,
                    QStringLiteral("cannot write the console history: %1").arg(f.errorString()),
                    path);
    return {};
}

void ConsoleHistory::moveOutOfSettings() {
    QSettings settings;
    settings.beginGroup(kOldGroup);
    const QStringList keys = settings.childKeys();
    for (const QString& encoded : keys) {
        const QString key = QString::fromUtf8(
            QByteArray::fromBase64(encoded.toLatin1(), QByteArray::Base64UrlEncoding));
        QStringList merged = readFile(pathFor(key));
        for (const QString& sql : settings.value(encoded).toStringList())
            if (!merged.contains(sql))
                merged << sql;
        if (save(key, merged))
            settings.remove(encoded);
    }
    settings.endGroup();
}

} // namespace ctx::ui
