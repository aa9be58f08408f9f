#include "SchemaBrowser.h"

#include <QSet>

namespace ctx {

QStringList SchemaOverview::completionWords() const {
    QSet<QString> words;
    for (const auto& t : tables) {
        words.insert(t.name);
        for (const auto& c : t.columns)
            words.insert(c.name);
    }
    QStringList list(words.begin(), words.end());
    list.sort();
    return list;
}

Result<SchemaOverview> SchemaBrowser::read(const Connection& conn) {
    return conn.engine() == Engine::Sqlite ? readSqlite(conn) : readPostgres(conn);
}

Result<SchemaOverview> SchemaBrowser::readSqlite(const Connection& conn) {
    SchemaOverview overview;
    auto objects = conn.exec(
        QStringLiteral("SELECT type, name, tbl_name, COALESCE(sql, '') FROM sqlite_master "
                       "WHERE type IN ('table', 'view', 'index', 'trigger') ORDER BY type, name"));
    if (!objects)
        return std::unexpected(objects.error());
    while (objects->next()) {
        const QString type = objects->value(0).toString();
        SchemaObject o{objects->value(1).toString(), objects->value(2).toString(),
                       objects->value(3).toString()};
        if (type == QLatin1String("index"))
            overview.indexes << o;
        else if (type == QLatin1String("trigger"))
            overview.triggers << o;
        else {
            if (type == QLatin1String("view"))
                overview.views << o;
            if (o.name.startsWith(QLatin1String("sqlite_")))
                continue;
            overview.tables << TableDescription{
                o.name, type == QLatin1String("view"), {}, o.definition};
        }
    }
    for (auto& table : overview.tables) {
        auto cols = conn.exec(QStringLiteral("SELECT name, type, \"notnull\", dflt_value, pk "
                                             "FROM pragma_table_info(?) ORDER BY cid"),
                              {table.name});
        if (!cols)
            return std::unexpected(cols.error());
        while (cols->next())
            table.columns << ColumnDescription{
                cols->value(0).toString(), cols->value(1).toString(), cols->value(2).toInt() != 0,
                cols->value(4).toInt() != 0, cols->value(3).toString()};
    }
    std::sort(overview.tables.begin(), overview.tables.end(),
              [](const auto& a, const auto& b) { return a.name < b.name; });
    return overview;
}

Result<SchemaOverview> SchemaBrowser::readPostgres(const Connection& conn) {
    SchemaOverview overview;
    auto tables = conn.exec(
        QStringLiteral("SELECT t.table_name, t.table_type = 'VIEW', COALESCE(v.definition, '') "
                       "FROM information_schema.tables t LEFT JOIN pg_views v "
                       "ON v.schemaname = t.table_schema AND v.viewname = t.table_name "
                       "WHERE t.table_schema = current_schema() ORDER BY t.table_name"));
    if (!tables)
        return std::unexpected(tables.error());
    while (tables->next()) {
        TableDescription t{tables->value(0).toString(),
                           tables->value(1).toBool(),
                           {},
                           tables->value(2).toString()};
        if (t.isView)
            overview.views << SchemaObject{t.name, t.name, t.sql};
        overview.tables << t;
    }
    for (auto& table : overview.tables) {
        auto cols = conn.exec(
            QStringLiteral(
                "SELECT c.column_name, c.data_type, c.is_nullable = 'NO', "
                "COALESCE(c.column_default, ''), EXISTS (SELECT 1 FROM "
                "information_schema.table_constraints tc JOIN "
                "information_schema.key_column_usage k ON k.constraint_name = tc.constraint_name "
                "AND k.constraint_schema = tc.constraint_schema WHERE tc.constraint_type = "
                "'PRIMARY KEY' AND tc.table_schema = c.table_schema AND tc.table_name = "
                "c.table_name AND k.column_name = c.column_name) "
                "FROM information_schema.columns c WHERE c.table_schema = current_schema() "
                "AND c.table_name = ? ORDER BY c.ordinal_position"),
            {table.name});
        if (!cols)
            return std::unexpected(cols.error());
        while (cols->next())
            table.columns << ColumnDescription{cols->value(0).toString(), cols->value(1).toString(),
                                               cols->value(2).toBool(), cols->value(4).toBool(),
                                               cols->value(3).toString()};
    }
    auto indexes = conn.exec(QStringLiteral("SELECT indexname, tablename, indexdef FROM pg_indexes "
                                            "WHERE schemaname = current_schema() ORDER BY 1"));
    if (!indexes)
        return std::unexpected(indexes.error());
    while (indexes->next())
        overview.indexes << SchemaObject{indexes->value(0).toString(), indexes->value(1).toString(),
                                         indexes->value(2).toString()};
    auto triggers = conn.exec(QStringLiteral(
        "SELECT t.tgname, c.relname, pg_get_triggerdef(t.oid) FROM pg_trigger t "
        "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE NOT t.tgisinternal AND n.nspname = current_schema() ORDER BY 1"));
    if (!triggers)
        return std::unexpected(triggers.error());
    while (triggers->next())
        overview.triggers << SchemaObject{triggers->value(0).toString(),
                                          triggers->value(1).toString(),
                                          triggers->value(2).toString()};
    return overview;
}

} // namespace ctx
