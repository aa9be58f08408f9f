#include "SalvageCopy.h"

#include "SourceSnapshot.h"
#include "core/db/Dialect.h"

#include <QDir>
#include <QFile>
#include <sqlite3.h>

namespace ctx {

namespace {

// The private file the readable rows are written to, one transaction, no journal.
class CopyFile {
public:
    ~CopyFile() { sqlite3_close_v2(m_db); }

    Status open(const QString& path) {
        QFile file(path); // created 0600 before SQLite opens it
        if (!file.open(QIODevice::WriteOnly) ||
            !file.setPermissions(QFile::ReadOwner | QFile::WriteOwner))
            return fail(ErrorCode::Io, QStringLiteral("cannot create the salvage copy"), path);
        file.close();
        const QByteArray name = QFile::encodeName(path);
        if (sqlite3_open_v2(name.constData(), &m_db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
            return std::unexpected(error(QStringLiteral("cannot open the salvage copy")));
        return exec("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; BEGIN");
    }
    Status exec(const QByteArray& sql) {
        if (sqlite3_exec(m_db, sql.constData(), nullptr, nullptr, nullptr) != SQLITE_OK)
            return std::unexpected(error(QStringLiteral("writing the salvage copy")));
        return {};
    }
    sqlite3* handle() const { return m_db; }
    Error error(const QString& doing) const {
        return Error{ErrorCode::Io,
                     doing + QStringLiteral(": ") + QString::fromUtf8(sqlite3_errmsg(m_db)),
                     {}};
    }

private:
    sqlite3* m_db = nullptr;
};

// CREATE statements of the source's schema for one table: the table's, then its indexes'.
Result<QList<QByteArray>> createStatements(sqlite3* db, const QString& table) {
    sqlite3_stmt* st = nullptr;
    const char* sql = "SELECT sql FROM sqlite_master WHERE tbl_name = ?1 AND sql IS NOT NULL "
                      "AND type IN ('table', 'index') ORDER BY type = 'index', rowid";
    QList<QByteArray> statements;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, nullptr);
    if (rc == SQLITE_OK) {
        const QByteArray name = table.toUtf8();
        sqlite3_bind_text(st, 1, name.constData(), int(name.size()), SQLITE_TRANSIENT);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
            statements << QByteArray(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)),
                                     sqlite3_column_bytes(st, 0));
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE || statements.isEmpty())
        return fail(ErrorCode::Corrupt,
                    QStringLiteral("cannot read the schema of %1: %2")
                        .arg(table, QString::fromUtf8(sqlite3_errmsg(db))),
                    {});
    return statements;
}

Result<QByteArray> insertStatement(sqlite3* copy, const QString& table) {
    QByteArray columns = "rowid", params = "?1";
    sqlite3_stmt* st = nullptr;
    const QByteArray sql = "PRAGMA table_info(" + Dialect::quoteIdentifier(table).toUtf8() + ")";
    int n = 1;
    if (sqlite3_prepare_v2(copy, sql.constData(), -1, &st, nullptr) == SQLITE_OK) {
        while (sqlite3_step(st) == SQLITE_ROW) {
            const QString column =
                QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(st, 1)));
            columns += ", " + Dialect::quoteIdentifier(column).toUtf8();
            params += ", ?" + QByteArray::number(++n);
        }
    }
    sqlite3_finalize(st);
    if (n == 1)
        return fail(ErrorCode::Io,
                    QStringLiteral("no columns in the salvage copy of %1").arg(table), {});
    return "INSERT INTO " + Dialect::quoteIdentifier(table).toUtf8() + " (" + columns +
           ") VALUES (" + params + ")";
}

// Texts of the source's schema: one column of sqlite_master rows, in their order.
QList<QByteArray> schemaTexts(sqlite3* db, const char* sql) {
    QList<QByteArray> texts;
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) == SQLITE_OK)
        while (sqlite3_step(st) == SQLITE_ROW)
            texts << QByteArray(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)),
                                sqlite3_column_bytes(st, 0));
    sqlite3_finalize(st);
    return texts;
}

Result<SalvageTable> copyTable(sqlite3* source, CopyFile& copy, const QString& table,
                               const std::atomic<bool>* cancel) {
    auto statements = createStatements(source, table);
    if (!statements)
        return std::unexpected(statements.error());
    // sqlite_sequence exists in the copy once a table with AUTOINCREMENT does, filled
    // by the rows copied: it takes the source's own values instead.
    const bool sequence = table == QLatin1String("sqlite_sequence");
    if (auto ok =
            copy.exec(sequence ? QByteArray("DELETE FROM sqlite_sequence") : statements->first());
        !ok)
        return std::unexpected(ok.error());
    auto insertSql = insertStatement(copy.handle(), table);
    if (!insertSql)
        return std::unexpected(insertSql.error());
    sqlite3_stmt* insert = nullptr;
    if (sqlite3_prepare_v2(copy.handle(), insertSql->constData(), -1, &insert, nullptr) !=
        SQLITE_OK)
        return std::unexpected(copy.error(QStringLiteral("writing the salvage copy")));
    const int parameters = sqlite3_bind_parameter_count(insert);
    auto salvaged = SalvageReader::read(
        source, table,
        [&](sqlite3_stmt* row) -> Status {
            for (int i = 0; i < parameters; ++i)
                sqlite3_bind_value(insert, i + 1, sqlite3_column_value(row, i));
            const int rc = sqlite3_step(insert);
            sqlite3_reset(insert);
            if (rc != SQLITE_DONE)
                return std::unexpected(copy.error(QStringLiteral("writing the salvage copy")));
            return {};
        },
        cancel);
    sqlite3_finalize(insert);
    if (!salvaged)
        return std::unexpected(salvaged.error());
    for (qsizetype i = 1; i < statements->size(); ++i) // indexes, over the rows copied
        if (auto ok = copy.exec(statements->at(i)); !ok)
            return std::unexpected(ok.error());
    return salvaged;
}

} // namespace

Result<std::unique_ptr<SalvageCopy>> SalvageCopy::make(const SourceSnapshot& damaged,
                                                       const std::atomic<bool>* cancel) {
    std::unique_ptr<SalvageCopy> s(new SalvageCopy);
    if (!s->m_dir.isValid())
        return fail(ErrorCode::Io,
                    QStringLiteral("cannot create a private directory for the salvage copy: %1")
                        .arg(s->m_dir.errorString()),
                    QDir::tempPath());
    s->m_path = s->m_dir.filePath(QStringLiteral("salvaged.db"));
    CopyFile copy;
    Status ok = copy.open(s->m_path);
    // Every ordinary table with its rows (the schema's own, e.g. schema_version, too, so
    // that the copy is detected and compared as the file is); virtual tables and their
    // shadow tables are left out.
    const QList<QByteArray> tables = schemaTexts(
        damaged.handle(),
        "SELECT name FROM sqlite_master m WHERE type = 'table' AND (name NOT LIKE 'sqlite%' OR "
        "name = 'sqlite_sequence') AND coalesce(sql, '') NOT LIKE 'CREATE VIRTUAL%' AND NOT "
        "EXISTS (SELECT 1 FROM sqlite_master v WHERE v.sql LIKE 'CREATE VIRTUAL%' AND m.name "
        "LIKE v.name || '\\_%' ESCAPE '\\') ORDER BY name = 'sqlite_sequence', rowid");
    for (const QByteArray& name : tables) {
        if (!ok)
            break;
        auto t = copyTable(damaged.handle(), copy, QString::fromUtf8(name), cancel);
        if (!t)
            ok = std::unexpected(t.error());
        else
            s->m_tables << *t;
    }
    // Views and triggers carry no rows; one the copy cannot hold is left out.
    for (const QByteArray& sql :
         schemaTexts(damaged.handle(), "SELECT sql FROM sqlite_master WHERE type IN "
                                       "('view', 'trigger') AND sql IS NOT NULL ORDER BY "
                                       "type = 'trigger', rowid"))
        if (ok)
            (void)copy.exec(sql);
    if (ok)
        ok = copy.exec("COMMIT");
    if (!ok)
        return std::unexpected(ok.error().withSubject(damaged.path()));
    return s;
}

const SalvageTable* SalvageCopy::table(const QString& name) const {
    for (const SalvageTable& t : m_tables)
        if (t.name == name)
            return &t;
    return nullptr;
}

qint64 SalvageCopy::unreadableRanges() const {
    qint64 n = 0;
    for (const SalvageTable& t : m_tables)
        n += t.unreadable.size();
    return n;
}

QList<RejectRecord> SalvageCopy::rejects() const {
    QList<RejectRecord> records;
    for (const SalvageTable& t : m_tables)
        for (const UnreadableRange& r : t.unreadable)
            records << RejectRecord{t.name,
                                    r.rowKey(),
                                    {},
                                    {},
                                    true,
                                    hazardReason(Hazard::UnreadableRange),
                                    QStringLiteral("not migrated: SQLite cannot read these rows "
                                                   "(%1)")
                                        .arg(r.error)};
    return records;
}

} // namespace ctx
