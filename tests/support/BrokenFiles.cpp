#include "BrokenFiles.h"

#include "core/legacy/DemoWriter.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <optional>
#include <sqlite3.h>

namespace ctx::test {

namespace {

bool writeFile(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

} // namespace

QStringList writeBrokenSqliteFiles(const QString& dir) {
    const QString good = QDir(dir).filePath(QStringLiteral("good-source.db"));
    DemoOptions o;
    o.path = good;
    o.messages = 3000;
    o.seed = 3;
    if (!DemoWriter::write(o))
        return {};
    QFile f(good);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QByteArray bytes = f.readAll();
    f.close();
    QFile::remove(good);
    if (bytes.size() < 64 * 1024)
        return {};

    QList<std::pair<QString, QByteArray>> files;
    for (int percent : {1, 10, 50, 90})
        files.append({QStringLiteral("truncated-%1.db").arg(percent),
                      bytes.left(bytes.size() * percent / 100 + 37)});
    QRandomGenerator rng(20261126);
    for (int n : {1, 2, 3}) {
        QByteArray flipped = bytes;
        for (int i = 0; i < 40 * n; ++i) {
            const qsizetype at = 100 + qsizetype(rng.bounded(int(flipped.size() - 100)));
            flipped[at] = char(flipped[at] ^ char(1 + rng.bounded(255)));
        }
        files.append({QStringLiteral("flipped-%1.db").arg(n), flipped});
    }
    QByteArray zeroed = bytes;
    zeroed.replace(0, 100, QByteArray(100, '\0'));
    files.append({QStringLiteral("zeroed-header.db"), zeroed});
    QByteArray pageSize = bytes;
    pageSize[16] = 0x02; // claims 512-byte pages
    pageSize[17] = 0x00;
    files.append({QStringLiteral("wrong-page-size.db"), pageSize});
    QByteArray random(256 * 1024, Qt::Uninitialized);
    for (char& c : random)
        c = char(rng.bounded(256));
    files.append({QStringLiteral("encrypted-looking.db"), random});
    QByteArray wal("\x37\x7f\x06\x82\x00\x2d\xe2\x18", 8);
    wal += QByteArray(4096, 'w');
    files.append({QStringLiteral("orphan.db-wal"), wal});

    QStringList corpus;
    for (const auto& [name, content] : files) {
        const QString path = QDir(dir).filePath(name);
        if (!writeFile(path, content))
            return {};
        corpus << path;
    }
    corpus << QDir(dir).filePath(QStringLiteral("orphan.db"));
    return corpus;
}

QList<int> tableLeafPages(const QString& path, const QString& table) {
    QList<int> pages;
    sqlite3* db = nullptr;
    const QByteArray file = QFile::encodeName(path);
    if (sqlite3_open_v2(file.constData(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt* st = nullptr;
        const char* sql = "SELECT pageno FROM dbstat WHERE name = ?1 AND pagetype = 'leaf' "
                          "ORDER BY path";
        if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) == SQLITE_OK) {
            const QByteArray name = table.toUtf8();
            sqlite3_bind_text(st, 1, name.constData(), int(name.size()), SQLITE_TRANSIENT);
            while (sqlite3_step(st) == SQLITE_ROW)
                pages << sqlite3_column_int(st, 0);
        }
        sqlite3_finalize(st);
    }
    sqlite3_close_v2(db);
    return pages;
}

bool corruptPages(const QString& path, const QList<int>& pages) {
    QFile f(path);
    if (!f.open(QIODevice::ReadWrite))
        return false;
    const QByteArray header = f.read(100);
    if (header.size() < 100)
        return false;
    int pageSize = (quint8(header[16]) << 8) | quint8(header[17]);
    if (pageSize == 1)
        pageSize = 65536;
    for (int page : pages) {
        QByteArray garbage(pageSize, char(0xEE)); // 0xEE: no page type
        if (page < 2 || !f.seek(qint64(page - 1) * pageSize) || f.write(garbage) != pageSize)
            return false;
    }
    return true;
}

QList<qint64> rowidsOf(const QString& path, const QString& table) {
    QList<qint64> ids;
    sqlite3* db = nullptr;
    sqlite3_open_v2(QFile::encodeName(path).constData(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt* st = nullptr;
    const QByteArray sql = "SELECT rowid FROM \"" + table.toUtf8() + "\" ORDER BY rowid";
    if (sqlite3_prepare_v2(db, sql.constData(), -1, &st, nullptr) == SQLITE_OK)
        while (sqlite3_step(st) == SQLITE_ROW)
            ids << sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close_v2(db);
    return ids;
}

CarefulRead carefulRead(const QList<qint64>& original, const QString& damaged,
                        const QString& table) {
    CarefulRead r;
    sqlite3* db = nullptr;
    sqlite3_open_v2(QFile::encodeName(damaged).constData(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt* st = nullptr;
    const QByteArray sql = "SELECT rowid, * FROM \"" + table.toUtf8() + "\" WHERE rowid = ?1";
    sqlite3_prepare_v2(db, sql.constData(), -1, &st, nullptr);
    std::optional<qint64> previous; // last readable rowid
    bool inRun = false;
    auto close = [&](std::optional<qint64> next) {
        r.ranges << QStringLiteral("rowid %1..%2")
                        .arg(previous ? QString::number(*previous + 1) : QString(),
                             next ? QString::number(*next - 1) : QString());
        inRun = false;
    };
    for (qint64 id : original) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, id);
        if (sqlite3_step(st) == SQLITE_ROW) {
            if (inRun)
                close(id);
            r.readable << id;
            previous = id;
        } else {
            inRun = true;
            ++r.unreadableRows;
        }
    }
    if (inRun)
        close(std::nullopt);
    sqlite3_finalize(st);
    sqlite3_close_v2(db);
    return r;
}

} // namespace ctx::test
