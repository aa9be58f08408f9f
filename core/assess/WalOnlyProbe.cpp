#include "WalOnlyProbe.h"

#include <QFile>
#include <QUrl>
#include <sqlite3.h>

namespace ctx {

namespace {

// count(*) and max(rowid) of a table in the main file only; rows -1 when absent.
std::pair<qint64, qint64> mainFileStats(sqlite3* db, const QString& table) {
    std::pair<qint64, qint64> r{-1, 0};
    const QByteArray sql =
        "SELECT count(*), coalesce(max(rowid), 0) FROM " + Dialect::quoteIdentifier(table).toUtf8();
    (void)SqliteRows::each(db, sql, {}, [&](sqlite3_stmt* row) {
        r = {sqlite3_column_int64(row, 0), sqlite3_column_int64(row, 1)};
        return false;
    });
    return r;
}

} // namespace

Result<QList<WalOnlyTable>> WalOnlyProbe::run(const SourceSnapshot& snapshot) {
    QList<WalOnlyTable> result;
    const QByteArray uri = "file:" + QUrl::toPercentEncoding(snapshot.path(), "/") + "?immutable=1";
    sqlite3* mainOnly = nullptr;
    if (sqlite3_open_v2(uri.constData(), &mainOnly, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI,
                        nullptr) != SQLITE_OK) {
        const QString msg = QString::fromUtf8(sqlite3_errmsg(mainOnly));
        sqlite3_close(mainOnly);
        return fail(ErrorCode::Io, QStringLiteral("cannot read the main file alone: ") + msg,
                    snapshot.path());
    }
    for (const SourceTableLayout& l : snapshot.layouts()) {
        if (!l.present)
            continue;
        auto full = snapshot.stats(l.spec.name);
        if (!full) {
            sqlite3_close(mainOnly);
            return std::unexpected(full.error());
        }
        const auto [mainRows, mainMax] = mainFileStats(mainOnly, l.spec.name);
        WalOnlyTable t;
        t.table = l.spec.name;
        t.rows = std::max<qint64>(0, full->rows - std::max<qint64>(0, mainRows));
        if (t.rows > 0) {
            const QByteArray sql = "SELECT rowid FROM " +
                                   Dialect::quoteIdentifier(l.spec.name).toUtf8() +
                                   " WHERE rowid > ?1 ORDER BY rowid LIMIT 5";
            (void)SqliteRows::each(snapshot.handle(), sql, {mainMax}, [&](sqlite3_stmt* row) {
                t.sampleRowids << sqlite3_column_int64(row, 0);
                return true;
            });
        }
        result << t;
    }
    sqlite3_close(mainOnly);
    return result;
}

} // namespace ctx
