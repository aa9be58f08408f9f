#include "SchemaComparer.h"

#include "TablePlanner.h"
#include "ValueClass.h"
#include "core/values/TableSpec.h"

#include <QSet>

namespace ctx {

namespace {

using Level = SchemaFinding::Level;

QSet<QString> uniqueSignatures(const TableInfo& t) {
    QSet<QString> s;
    for (const IndexInfo& i : t.uniqueIndexes)
        s << QStringLiteral("unique (%1)%2")
                 .arg(i.columns.join(QStringLiteral(", ")),
                      i.predicate.isEmpty() ? QString() : QStringLiteral(" where ") + i.predicate);
    return s;
}

QSet<QString> foreignKeySignatures(const TableInfo& t) {
    QSet<QString> s;
    for (const ForeignKeyInfo& f : t.foreignKeys)
        s << QStringLiteral("foreign key (%1) -> %2(%3) on delete %4")
                 .arg(f.columns.join(QStringLiteral(", ")), f.refTable,
                      f.refColumns.join(QStringLiteral(", ")), f.onDelete);
    return s;
}

void setDifference(const QSet<QString>& a, const QSet<QString>& b, const QString& table,
                   QList<SchemaFinding>& out) {
    QStringList onlyA(a.begin(), a.end()), onlyB(b.begin(), b.end());
    onlyA.sort();
    onlyB.sort();
    for (const QString& s : onlyA)
        if (!b.contains(s))
            out << SchemaFinding{Level::Note, table, s + QStringLiteral(" only in A")};
    for (const QString& s : onlyB)
        if (!a.contains(s))
            out << SchemaFinding{Level::Note, table, s + QStringLiteral(" only in B")};
}

} // namespace

void SchemaComparer::checkGlobalMemoryRule(const TableInfo& t, const QString& side, Engine engine,
                                           QList<SchemaFinding>& out) {
    for (const IndexInfo& i : t.uniqueIndexes) {
        QStringList cols = i.columns;
        cols.sort();
        if (cols == QStringList{"agent_id", "key"} &&
            i.predicate == QLatin1String("session_id is null"))
            return;
    }
    // A legacy file may lack it (its table-level UNIQUE treats NULL session ids as
    // distinct); a PostgreSQL target must have it.
    out << SchemaFinding{engine == Engine::Postgres ? Level::Difference : Level::Note, t.name,
                         QStringLiteral("global memory keys are not unique on %1 (no unique "
                                        "(agent_id, key) where session_id is null)")
                             .arg(side)};
}

void SchemaComparer::compareTable(const TableInfo& a, const TableInfo& b, Engine ea, Engine eb,
                                  QList<SchemaFinding>& out) {
    const TableSpec* spec = findTable(a.name);
    for (const ColumnInfo& ca : a.columns) {
        const ColumnInfo* cb = b.column(ca.name);
        if (!cb) {
            out << SchemaFinding{spec && spec->column(ca.name) ? Level::Note : Level::Difference,
                                 a.name, QStringLiteral("column %1 only in A").arg(ca.name)};
            continue;
        }
        const ValueClass va = classifyType(ea, ca.declaredType);
        const ValueClass vb = classifyType(eb, cb->declaredType);
        if (!compatibleClasses(va, vb))
            out << SchemaFinding{Level::Difference, a.name,
                                 QStringLiteral("column %1: %2 (%3) in A and %4 (%5) in B cannot "
                                                "hold the same values")
                                     .arg(ca.name, ca.declaredType, valueClassName(va),
                                          cb->declaredType, valueClassName(vb))};
        if (ca.notNull != cb->notNull && !ca.primaryKey)
            out << SchemaFinding{Level::Note, a.name,
                                 QStringLiteral("column %1 is NOT NULL only in %2")
                                     .arg(ca.name, ca.notNull ? "A" : "B")};
    }
    for (const ColumnInfo& cb : b.columns)
        if (!a.column(cb.name))
            out << SchemaFinding{spec && spec->column(cb.name) ? Level::Note : Level::Difference,
                                 a.name, QStringLiteral("column %1 only in B").arg(cb.name)};
    if (a.primaryKey() != b.primaryKey())
        out << SchemaFinding{Level::Difference, a.name,
                             QStringLiteral("primary key (%1) in A, (%2) in B")
                                 .arg(a.primaryKey().join(", "), b.primaryKey().join(", "))};
    setDifference(uniqueSignatures(a), uniqueSignatures(b), a.name, out);
    setDifference(foreignKeySignatures(a), foreignKeySignatures(b), a.name, out);
}

QList<SchemaFinding> SchemaComparer::compare(const DatabaseSchema& a, const DatabaseSchema& b,
                                             const QString& onlyTable) {
    QList<SchemaFinding> out;
    QStringList names = a.tables.keys();
    for (const QString& n : b.tables.keys())
        if (!names.contains(n))
            names << n;
    names.sort();
    for (const QString& name : names) {
        if (TablePlanner::isBookkeeping(name) || (!onlyTable.isEmpty() && name != onlyTable))
            continue;
        const bool inA = a.tables.contains(name), inB = b.tables.contains(name);
        if (inA && inB)
            compareTable(a.tables[name], b.tables[name], a.engine, b.engine, out);
        else // rows the other side lacks are counted by the data part
            out << SchemaFinding{Level::Note, name,
                                 QStringLiteral("table only in %1").arg(inA ? "A" : "B")};
        if (name == QLatin1String("agent_memory")) {
            if (inA)
                checkGlobalMemoryRule(a.tables[name], QStringLiteral("A"), a.engine, out);
            if (inB)
                checkGlobalMemoryRule(b.tables[name], QStringLiteral("B"), b.engine, out);
        }
    }
    return out;
}

} // namespace ctx
