#include "TablePlanner.h"

#include "ValueClass.h"

namespace ctx {

bool TablePlanner::isBookkeeping(const QString& table) {
    return table == QLatin1String("schema_version") || table.startsWith(QLatin1String("sqlite_")) ||
           table.startsWith(QLatin1String("ctx_migration_"));
}

namespace {

std::optional<TablePlan> planTable(const QString& name, const TableInfo* a, const TableInfo* b,
                                   const DatabaseSchema& sa, QString* why) {
    const TableInfo* present = a ? a : b;
    TablePlan plan;
    plan.name = name;
    plan.inA = a != nullptr;
    plan.inB = b != nullptr;
    auto onBoth = [&](const QString& column) {
        return (!a || a->column(column)) && (!b || b->column(column));
    };
    if (const TableSpec* spec = findTable(name)) {
        plan.key = spec->key;
        plan.textKey = spec->textKey;
        if (!onBoth(spec->key)) {
            *why = QStringLiteral("key column %1 missing").arg(spec->key);
            return std::nullopt;
        }
        plan.columns << spec->key;
        plan.specs << *spec->column(spec->key);
        for (const ColumnSpec& c : spec->columns)
            if (c.name != spec->key && onBoth(c.name)) {
                plan.columns << c.name;
                plan.specs << c;
            }
        return plan;
    }
    const QStringList keyA = a ? a->primaryKey() : QStringList();
    const QStringList keyB = b ? b->primaryKey() : QStringList();
    const QStringList key = a ? keyA : keyB;
    if (key.size() != 1 || (a && b && keyA != keyB)) {
        *why = QStringLiteral("no single-column primary key shared by both sides");
        return std::nullopt;
    }
    plan.key = key.first();
    const ValueClass keyClass = classifyType(sa.engine, present->column(plan.key)->declaredType);
    plan.textKey = keyClass != ValueClass::Integer;
    plan.columns << plan.key;
    for (const ColumnInfo& c : present->columns)
        if (c.name != plan.key && onBoth(c.name))
            plan.columns << c.name;
    return plan;
}

} // namespace

TablePlanner::Plan TablePlanner::plan(const DatabaseSchema& a, const DatabaseSchema& b,
                                      const QString& onlyTable) {
    Plan result;
    QStringList names = a.tables.keys();
    for (const QString& n : b.tables.keys())
        if (!names.contains(n))
            names << n;
    names.sort();
    for (const QString& name : names) {
        if (isBookkeeping(name) || (!onlyTable.isEmpty() && name != onlyTable))
            continue;
        const auto ia = a.tables.constFind(name);
        const auto ib = b.tables.constFind(name);
        const TableInfo* ta = ia != a.tables.cend() ? &*ia : nullptr;
        const TableInfo* tb = ib != b.tables.cend() ? &*ib : nullptr;
        QString why;
        auto p = planTable(name, ta, tb, ta ? a : b, &why);
        if (p) {
            result.tables << *p;
            continue;
        }
        TableDiff skipped;
        skipped.name = name;
        skipped.inA = ta != nullptr;
        skipped.inB = tb != nullptr;
        skipped.skipped = why;
        result.skipped << skipped;
    }
    return result;
}

} // namespace ctx
