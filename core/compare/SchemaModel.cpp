#include "SchemaModel.h"

#include <QRegularExpression>
#include <QSqlQuery>

namespace ctx {

namespace {

Result<QSqlQuery> pragma(const Connection& conn, const QString& name, const QString& arg) {
    return conn.exec(QStringLiteral("SELECT * FROM pragma_%1(?)").arg(name), {arg});
}

QString partialCondition(const QString& createSql) {
    const qsizetype at = createSql.lastIndexOf(QRegularExpression(
        QStringLiteral("\\bWHERE\\b"), QRegularExpression::CaseInsensitiveOption));
    return at < 0 ? QString() : createSql.mid(at + 5);
}

Status readSqliteTable(const Connection& conn, TableInfo& t) {
    auto cols = pragma(conn, QStringLiteral("table_info"), t.name);
    if (!cols)
        return std::unexpected(cols.error());
    while (cols->next())
        t.columns << ColumnInfo{cols->value(1).toString(), cols->value(2).toString(),
                                cols->value(3).toInt() != 0, cols->value(5).toInt() > 0};
    auto idx = pragma(conn, QStringLiteral("index_list"), t.name);
    if (!idx)
        return std::unexpected(idx.error());
    QList<std::pair<QString, bool>> unique; // name, partial
    while (idx->next())
        if (idx->value(2).toInt() == 1 && idx->value(3).toString() != QLatin1String("pk"))
            unique << std::pair{idx->value(1).toString(), idx->value(4).toInt() == 1};
    for (const auto& [name, partial] : unique) {
        IndexInfo info{name, {}, {}};
        auto ic = pragma(conn, QStringLiteral("index_info"), name);
        if (!ic)
            return std::unexpected(ic.error());
        while (ic->next())
            info.columns << ic->value(2).toString();
        if (partial) {
            auto sql = conn.scalar(
                QStringLiteral("SELECT sql FROM sqlite_master WHERE type='index' AND name=?"),
                {name});
            if (!sql)
                return std::unexpected(sql.error());
            info.predicate = normalizedPredicate(partialCondition(sql->toString()));
        }
        t.uniqueIndexes << info;
    }
    auto fk = pragma(conn, QStringLiteral("foreign_key_list"), t.name);
    if (!fk)
        return std::unexpected(fk.error());
    QMap<int, ForeignKeyInfo> byId;
    while (fk->next()) {
        ForeignKeyInfo& f = byId[fk->value(0).toInt()];
        f.refTable = fk->value(2).toString();
        f.columns << fk->value(3).toString();
        f.refColumns << fk->value(4).toString();
        f.onDelete = fk->value(6).toString().toLower();
    }
    t.foreignKeys = byId.values();
    return {};
}

Result<DatabaseSchema> readSqlite(const Connection& conn) {
    DatabaseSchema s;
    s.engine = Engine::Sqlite;
    auto names = conn.exec(conn.dialect().listTablesQuery());
    if (!names)
        return std::unexpected(names.error());
    QStringList tables;
    while (names->next())
        tables << names->value(0).toString();
    for (const QString& name : tables) {
        TableInfo t;
        t.name = name;
        if (auto ok = readSqliteTable(conn, t); !ok)
            return std::unexpected(ok.error());
        s.tables.insert(name, t);
    }
    return s;
}

const char* kPgColumns =
    "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, "
    "COALESCE(a.attnum = ANY(p.conkey), false) FROM pg_class c "
    "JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema() "
    "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
    "LEFT JOIN pg_constraint p ON p.conrelid = c.oid AND p.contype = 'p' "
    "WHERE c.relkind IN ('r', 'p') ORDER BY c.relname, a.attnum";

const char* kPgUnique =
    "SELECT c.relname, i.relname, "
    "(SELECT array_to_string(array_agg(pg_get_indexdef(x.indexrelid, k, true) ORDER BY k), ',') "
    " FROM generate_series(1, x.indnkeyatts) k), COALESCE(pg_get_expr(x.indpred, x.indrelid), '') "
    "FROM pg_index x JOIN pg_class c ON c.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid "
    "JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema() "
    "WHERE x.indisunique AND NOT x.indisprimary ORDER BY 1, 2";

const char* kPgForeignKeys =
    "SELECT c.relname, f.relname, "
    "(SELECT array_to_string(array_agg(a.attname ORDER BY k.i), ',') FROM unnest(p.conkey) "
    " WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = p.conrelid AND a.attnum = k.n), "
    "(SELECT array_to_string(array_agg(a.attname ORDER BY k.i), ',') FROM unnest(p.confkey) "
    " WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = p.confrelid AND a.attnum = k.n), "
    "CASE p.confdeltype WHEN 'c' THEN 'cascade' WHEN 'n' THEN 'set null' WHEN 'd' THEN "
    "'set default' WHEN 'r' THEN 'restrict' ELSE 'no action' END "
    "FROM pg_constraint p JOIN pg_class c ON c.oid = p.conrelid "
    "JOIN pg_class f ON f.oid = p.confrelid "
    "JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema() "
    "WHERE p.contype = 'f' ORDER BY 1, p.conname";

Result<DatabaseSchema> readPostgres(const Connection& conn) {
    DatabaseSchema s;
    s.engine = Engine::Postgres;
    auto cols = conn.exec(QString::fromLatin1(kPgColumns));
    if (!cols)
        return std::unexpected(cols.error());
    while (cols->next()) {
        TableInfo& t = s.tables[cols->value(0).toString()];
        t.name = cols->value(0).toString();
        t.columns << ColumnInfo{cols->value(1).toString(), cols->value(2).toString(),
                                cols->value(3).toBool(), cols->value(4).toBool()};
    }
    auto uq = conn.exec(QString::fromLatin1(kPgUnique));
    if (!uq)
        return std::unexpected(uq.error());
    while (uq->next())
        if (s.tables.contains(uq->value(0).toString()))
            s.tables[uq->value(0).toString()].uniqueIndexes
                << IndexInfo{uq->value(1).toString(), uq->value(2).toString().split(','),
                             normalizedPredicate(uq->value(3).toString())};
    auto fk = conn.exec(QString::fromLatin1(kPgForeignKeys));
    if (!fk)
        return std::unexpected(fk.error());
    while (fk->next())
        if (s.tables.contains(fk->value(0).toString()))
            s.tables[fk->value(0).toString()].foreignKeys
                << ForeignKeyInfo{fk->value(2).toString().split(','), fk->value(1).toString(),
                                  fk->value(3).toString().split(','), fk->value(4).toString()};
    return s;
}

} // namespace

const ColumnInfo* TableInfo::column(const QString& n) const {
    for (const ColumnInfo& c : columns)
        if (c.name == n)
            return &c;
    return nullptr;
}

QStringList TableInfo::columnNames() const {
    QStringList names;
    for (const ColumnInfo& c : columns)
        names << c.name;
    return names;
}

QStringList TableInfo::primaryKey() const {
    QStringList names;
    for (const ColumnInfo& c : columns)
        if (c.primaryKey)
            names << c.name;
    return names;
}

QString normalizedPredicate(const QString& predicate) {
    QString p = predicate.toLower();
    p.remove(QLatin1Char('(')).remove(QLatin1Char(')')).remove(QLatin1Char('"'));
    return p.simplified();
}

Result<DatabaseSchema> DatabaseSchema::read(const Connection& conn) {
    return conn.engine() == Engine::Sqlite ? readSqlite(conn) : readPostgres(conn);
}

Result<std::optional<qint64>> nextSequenceValue(const Connection& conn, const QString& table,
                                                const QString& keyColumn) {
    auto seq = conn.scalar(QStringLiteral("SELECT pg_get_serial_sequence(?, ?)"),
                           {Dialect::quoteIdentifier(table), keyColumn});
    if (!seq)
        return std::unexpected(seq.error());
    if (seq->isNull())
        return std::optional<qint64>{};
    // The sequence's own row tells last_value and is_called (pg_sequences hides a
    // last_value set with is_called = false, as a migration's setval(..., false) does).
    auto names = conn.exec(QStringLiteral("SELECT s.schemaname, s.sequencename, s.increment_by "
                                          "FROM pg_sequences s WHERE format('%I.%I', "
                                          "s.schemaname, s.sequencename) = ?"),
                           {seq->toString()});
    if (!names)
        return std::unexpected(names.error());
    if (!names->next())
        return std::optional<qint64>{};
    const QString qualified = Dialect::quoteIdentifier(names->value(0).toString()) +
                              QLatin1Char('.') +
                              Dialect::quoteIdentifier(names->value(1).toString());
    const qint64 increment = names->value(2).toLongLong();
    auto q = conn.exec(QStringLiteral("SELECT last_value, is_called FROM %1").arg(qualified));
    if (!q)
        return std::unexpected(q.error());
    if (!q->next())
        return std::optional<qint64>{};
    const qint64 last = q->value(0).toLongLong();
    return std::optional<qint64>{q->value(1).toBool() ? last + increment : last};
}

} // namespace ctx
