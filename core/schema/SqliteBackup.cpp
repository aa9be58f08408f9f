#include "SqliteBackup.h"

#include "core/PrivateFiles.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>

#include <sqlite3.h>

namespace ctx {

QString SqliteBackup::defaultPathFor(const QString& databasePath) {
    return databasePath + QStringLiteral(".backup-") +
           QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss"));
}

Status SqliteBackup::write(const Connection& source, const QString& backupPath) {
    if (QFileInfo::exists(backupPath))
        return fail(ErrorCode::Conflict, QStringLiteral("backup file already exists"), backupPath);
    sqlite3* src = source.sqliteHandle();
    if (!src)
        return fail(ErrorCode::InvalidArgument, QStringLiteral("backup needs a SQLite source"),
                    source.subject());
    // The copy is the owner's only (0600, its journal too), whatever the umask; SQLite
    // would create it 0644.
    if (auto made = createPrivateFile(backupPath, true); !made)
        return fail(made.error().code == ErrorCode::Conflict ? ErrorCode::Conflict : ErrorCode::Io,
                    QStringLiteral("backup failed: %1").arg(made.error().message), backupPath);
    sqlite3* dest = nullptr;
    const QByteArray path = QFile::encodeName(backupPath);
    int rc = sqlite3_open_v2(path.constData(), &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                             nullptr);
    auto cleanup = [&](const QString& why) {
        sqlite3_close(dest);
        QFile::remove(backupPath);
        return fail(ErrorCode::Io, QStringLiteral("backup failed: %1").arg(why), backupPath);
    };
    if (rc != SQLITE_OK)
        return cleanup(QString::fromUtf8(sqlite3_errstr(rc)));
    sqlite3_backup* backup = sqlite3_backup_init(dest, "main", src, "main");
    if (!backup)
        return cleanup(QString::fromUtf8(sqlite3_errmsg(dest)));
    do {
        rc = sqlite3_backup_step(backup, 4096);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
            sqlite3_sleep(50);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE)
        return cleanup(QString::fromUtf8(sqlite3_errstr(rc)));
    rc = sqlite3_close(dest);
    if (rc != SQLITE_OK)
        return fail(ErrorCode::Io, QStringLiteral("backup failed: %1").arg(sqlite3_errstr(rc)),
                    backupPath);
    // No wider than the source: a source its owner cannot write gives a read-only copy.
    const QString sourcePath = source.url().filePath();
    if (QFileInfo::exists(sourcePath) && !(QFile::permissions(sourcePath) & QFile::WriteOwner))
        QFile::setPermissions(backupPath, QFile::ReadOwner);
    return verify(source, backupPath);
}

Status SqliteBackup::verify(const Connection& source, const QString& backupPath) {
    ConnectionOptions ro;
    ro.readOnly = true;
    ro.sqliteCacheKiB = ConnectionOptions::kScanCacheKiB; // one pass over the file
    auto copy = Connection::open(DatabaseUrl::sqliteFile(backupPath), ro);
    if (!copy)
        return std::unexpected(copy.error());
    auto check = (*copy)->scalar(QStringLiteral("PRAGMA quick_check"));
    if (!check || check->toString() != QLatin1String("ok"))
        return fail(ErrorCode::Corrupt, QStringLiteral("backup failed its quick_check"),
                    backupPath);
    auto tables = source.exec(source.dialect().listTablesQuery());
    if (!tables)
        return std::unexpected(tables.error());
    while (tables->next()) {
        const QString t = Dialect::quoteIdentifier(tables->value(0).toString());
        const QString sql = QStringLiteral("SELECT count(*) FROM %1").arg(t);
        auto a = source.scalar(sql);
        auto b = (*copy)->scalar(sql);
        if (!a || !b || a->toLongLong() != b->toLongLong())
            return fail(ErrorCode::Corrupt,
                        QStringLiteral("backup differs from the source in table %1").arg(t),
                        backupPath);
    }
    return {};
}

} // namespace ctx
