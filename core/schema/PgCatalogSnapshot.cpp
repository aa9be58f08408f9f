#include "PgCatalogSnapshot.h"

#include <QSqlQuery>
#include <algorithm>

namespace ctx {

namespace {

bool lessThan(const CatalogObject& a, const CatalogObject& b) {
    return a.kind != b.kind ? a.kind < b.kind : a.name < b.name;
}

// Not an extension's object: extensions installed into public (Supabase does) bring
// functions and tables the schema does not own.
const char* const kNotExtension = " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = %1 "
                                  "AND d.deptype = 'e')";

QString notExtension(const char* oid) {
    return QString::fromLatin1(kNotExtension).arg(QLatin1String(oid));
}

// Each query returns kind, name, definition.
QStringList queries() {
    return {
        QStringLiteral("SELECT 'table', c.relname, 'table' FROM pg_class c WHERE c.relnamespace "
                       "= (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) AND "
                       "c.relkind IN ('r', 'p')") +
            notExtension("c.oid"),
        QStringLiteral(
            "SELECT 'column', c.table_name || '.' || c.column_name, "
            "CASE WHEN c.data_type IN ('USER-DEFINED', 'ARRAY') THEN c.udt_name ELSE c.data_type "
            "END || coalesce('(' || c.character_maximum_length || ')', '') || "
            "CASE WHEN c.is_nullable = 'NO' THEN ' NOT NULL' ELSE '' END || "
            "coalesce(' DEFAULT ' || c.column_default, '') "
            "FROM information_schema.columns c JOIN information_schema.tables t ON "
            "t.table_schema = c.table_schema AND t.table_name = c.table_name "
            "WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'"),
        // NOT NULL is a column's (PostgreSQL 18 also lists it here as contype 'n').
        QStringLiteral("SELECT 'constraint', r.relname || '.' || con.conname, "
                       "pg_get_constraintdef(con.oid) FROM pg_constraint con JOIN pg_class r ON "
                       "r.oid = con.conrelid WHERE r.relnamespace = (SELECT oid FROM pg_namespace "
                       "WHERE nspname = current_schema()) "
                       "AND con.contype IN ('c', 'f', 'p', 'u', 'x')") +
            notExtension("r.oid"),
        QStringLiteral("SELECT 'index', i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN "
                       "pg_class i ON i.oid = x.indexrelid WHERE i.relnamespace = "
                       "(SELECT oid FROM pg_namespace WHERE nspname = current_schema())") +
            notExtension("x.indrelid"),
        QStringLiteral("SELECT 'trigger', r.relname || '.' || t.tgname, pg_get_triggerdef(t.oid) "
                       "FROM pg_trigger t JOIN pg_class r ON r.oid = t.tgrelid WHERE NOT "
                       "t.tgisinternal AND r.relnamespace = (SELECT oid FROM pg_namespace WHERE "
                       "nspname = current_schema())"),
        QStringLiteral("SELECT 'function', p.proname || '(' || "
                       "pg_get_function_identity_arguments(p.oid) || ')', "
                       "pg_get_functiondef(p.oid) FROM pg_proc p WHERE p.pronamespace = "
                       "(SELECT oid FROM pg_namespace WHERE nspname = current_schema()) AND "
                       "p.prokind IN ('f', 'p')") +
            notExtension("p.oid"),
        QStringLiteral("SELECT 'view', c.relname, pg_get_viewdef(c.oid) FROM pg_class c WHERE "
                       "c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = "
                       "current_schema()) AND c.relkind IN ('v', "
                       "'m')") +
            notExtension("c.oid"),
    };
}

QString quoted(const CatalogObject& o) {
    constexpr int kShown = 160; // a function body or view is named, not printed whole
    const QString d = o.definition.size() > kShown ? o.definition.left(kShown) + QStringLiteral("…")
                                                   : o.definition;
    return QLatin1Char('\'') + d + QLatin1Char('\'');
}

} // namespace

QString CatalogDifference::describe() const {
    switch (type) {
    case Type::Missing:
        return QStringLiteral("%1 missing (expected %2)").arg(expected.label(), quoted(expected));
    case Type::Extra:
        return QStringLiteral("%1 extra (%2)").arg(actual.label(), quoted(actual));
    case Type::Changed:
        break;
    }
    return QStringLiteral("%1 differs: expected %2, found %3")
        .arg(expected.label(), quoted(expected), quoted(actual));
}

Result<PgCatalogSnapshot> PgCatalogSnapshot::read(const Connection& conn) {
    if (conn.engine() != Engine::Postgres)
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("a catalog snapshot needs a PostgreSQL database"),
                    conn.subject());
    PgCatalogSnapshot snapshot;
    for (const QString& sql : queries()) {
        auto q = conn.exec(sql);
        if (!q)
            return std::unexpected(q.error());
        while (q->next())
            snapshot.m_objects << CatalogObject{q->value(0).toString(), q->value(1).toString(),
                                                q->value(2).toString().simplified()};
    }
    std::sort(snapshot.m_objects.begin(), snapshot.m_objects.end(), lessThan);
    return snapshot;
}

PgCatalogSnapshot PgCatalogSnapshot::fromText(const QString& text) {
    PgCatalogSnapshot snapshot;
    for (const QString& line : text.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        const QStringList f = line.split(QLatin1Char('\t'));
        if (f.size() == 3 && !line.startsWith(QLatin1Char('#')))
            snapshot.m_objects << CatalogObject{f[0], f[1], f[2].simplified()};
    }
    std::sort(snapshot.m_objects.begin(), snapshot.m_objects.end(), lessThan);
    return snapshot;
}

QString PgCatalogSnapshot::toText() const {
    QString text;
    for (const CatalogObject& o : m_objects)
        text += o.kind + QLatin1Char('\t') + o.name + QLatin1Char('\t') + o.definition +
                QLatin1Char('\n');
    return text;
}

const CatalogObject* PgCatalogSnapshot::find(const QString& kind, const QString& name) const {
    const CatalogObject key{kind, name, {}};
    const auto it = std::lower_bound(m_objects.begin(), m_objects.end(), key, lessThan);
    return it != m_objects.end() && it->kind == kind && it->name == name ? &*it : nullptr;
}

void PgCatalogSnapshot::add(CatalogObject object) {
    object.definition = object.definition.simplified();
    const auto it = std::lower_bound(m_objects.begin(), m_objects.end(), object, lessThan);
    m_objects.insert(it, std::move(object));
}

QList<CatalogDifference> PgCatalogSnapshot::compare(const PgCatalogSnapshot& expected,
                                                    const PgCatalogSnapshot& actual) {
    QList<CatalogDifference> diffs;
    auto e = expected.m_objects.cbegin();
    auto a = actual.m_objects.cbegin();
    using T = CatalogDifference::Type;
    while (e != expected.m_objects.cend() || a != actual.m_objects.cend()) {
        if (a == actual.m_objects.cend() || (e != expected.m_objects.cend() && lessThan(*e, *a))) {
            diffs << CatalogDifference{T::Missing, *e++, {}};
        } else if (e == expected.m_objects.cend() || lessThan(*a, *e)) {
            diffs << CatalogDifference{T::Extra, {}, *a++};
        } else {
            if (e->definition != a->definition)
                diffs << CatalogDifference{T::Changed, *e, *a};
            ++e;
            ++a;
        }
    }
    return diffs;
}

} // namespace ctx
