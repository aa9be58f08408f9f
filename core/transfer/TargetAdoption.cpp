#include "TargetAdoption.h"

#include "core/db/Dialect.h"
#include "core/schema/SchemaDetector.h"
#include "core/schema/ServerSchema.h"

#include <algorithm>

namespace ctx {

namespace {

QByteArray arrayLiteral(const QStringList& names) {
    return "{" + names.join(QLatin1Char(',')).toUtf8() + "}"; // our fixed names only
}

QByteArray identifiers(const QStringList& names) {
    QStringList quoted;
    for (const QString& n : names)
        quoted << Dialect::quoteIdentifier(n);
    return quoted.join(QStringLiteral(", ")).toUtf8();
}

// Context Studio's bookkeeping tables, ours wherever they are.
const QStringList& bookkeepingTables() {
    static const QStringList t{"ctx_migration_rejects", "ctx_migration_progress",
                               "ctx_transfer_progress", "ctx_transfer_rejects",
                               "ctx_transfer_checksums"};
    return t;
}

// Views over, and foreign keys into, `tables` from anything that is not one of them.
Result<QList<std::pair<QString, QString>>> dependentsOf(PgLink& link, const QStringList& tables) {
    auto rows = link.query(
        "SELECT DISTINCT 'view ' || v.relname, 'over ' || t.relname FROM pg_depend d "
        "JOIN pg_rewrite r ON r.oid = d.objid JOIN pg_class v ON v.oid = r.ev_class "
        "JOIN pg_class t ON t.oid = d.refobjid WHERE d.classid = 'pg_rewrite'::regclass "
        "AND d.refclassid = 'pg_class'::regclass AND v.oid <> t.oid "
        "AND t.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) "
        "AND t.relname = ANY($1::text[]) "
        "UNION SELECT 'constraint ' || c.relname || '.' || con.conname, 'foreign key to ' || "
        "t.relname FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid "
        "JOIN pg_class t ON t.oid = con.confrelid WHERE con.contype = 'f' "
        "AND t.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) "
        "AND t.relname = ANY($1::text[]) AND NOT c.relname = ANY($1::text[]) "
        "UNION SELECT 'trigger ' || c.relname || '.' || tg.tgname, 'runs ' || p.proname || '()' "
        "FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid JOIN pg_proc p ON p.oid = "
        "tg.tgfoid WHERE p.proname IN ('ctx_set_updated_at', 'update_updated_at_column') "
        "AND NOT c.relname = ANY($1::text[]) ORDER BY 1",
        {arrayLiteral(tables)});
    if (!rows)
        return std::unexpected(rows.error());
    QList<std::pair<QString, QString>> found;
    for (const PgRow& r : *rows)
        found << std::pair{QString::fromUtf8(r[0]), QString::fromUtf8(r[1])};
    return found;
}

QString listed(const QStringList& items) {
    constexpr int kShown = 8;
    QString text = items.mid(0, kShown).join(QStringLiteral(", "));
    if (items.size() > kShown)
        text += QStringLiteral(" and %1 more").arg(items.size() - kShown);
    return text;
}

} // namespace

const QStringList& TargetAdoption::dataTables() {
    static const QStringList t{"sessions", "messages", "agent_memory", "audit_log",
                               "secure_tokens"};
    return t;
}

Result<TargetSurvey> TargetAdoption::survey(const Connection& conn, PgLink& link) {
    TargetSurvey s;
    auto info = SchemaDetector::detect(conn);
    if (!info)
        return std::unexpected(info.error());
    s.serverTables = info->sharedContext && info->serverTables;
    s.operatorObjects = info->operatorObjects;
    auto keys = link.scalar("SELECT count(*) FROM pg_constraint con JOIN pg_class c ON c.oid = "
                            "con.conrelid WHERE con.contype = 'f' AND c.relnamespace = (SELECT "
                            "oid FROM pg_namespace WHERE nspname = current_schema()) AND "
                            "c.relname = ANY($1::text[])",
                            {arrayLiteral(dataTables())});
    if (!keys)
        return std::unexpected(keys.error());
    s.keysPresent = keys->toLongLong() > 0;
    // The server's views over its tables (made by its file or by our version 4) are
    // part of the schema, not the operator's.
    auto deps =
        dependentsOf(link, dataTables() + bookkeepingTables() + QStringList{"schema_version"});
    if (!deps)
        return std::unexpected(deps.error());
    for (const auto& [label, why] : *deps) {
        const QString kind = label.section(QLatin1Char(' '), 0, 0);
        const QString name = label.section(QLatin1Char(' '), 1);
        if (ServerSchema::catalog().find(kind, name))
            continue;
        s.dependents << QStringLiteral("%1 (%2)").arg(label, why);
    }
    return s;
}

Status TargetAdoption::checkFresh(const TargetSurvey& survey, const QString& subject) {
    if (survey.dependents.isEmpty())
        return {};
    return fail(ErrorCode::Conflict,
                QStringLiteral("target holds objects of its own that depend on the tables the "
                               "migration loads: %1; use --replace to load beside them, or an "
                               "empty database")
                    .arg(listed(survey.dependents)),
                subject);
}

Status TargetAdoption::clear(PgLink& link, const TargetSurvey& survey, const TargetState& state) {
    // What would go: the server's tables keep every object and lose their rows (their
    // views stay valid), so only foreign keys into them stand in the way; Context
    // Studio's tables go whole, so everything that depends on them does.
    QStringList blocking;
    for (const QString& d : survey.dependents) {
        if (!survey.serverTables || d.contains(QLatin1String("(foreign key to ")))
            blocking << d;
    }
    if (!blocking.isEmpty())
        return fail(ErrorCode::Conflict,
                    QStringLiteral("--replace refused: %1 depend(s) on what it would %2; drop or "
                                   "change them first (nothing was changed)")
                        .arg(listed(blocking), survey.serverTables ? QStringLiteral("empty")
                                                                   : QStringLiteral("drop")),
                    link.subject());
    QStringList present;
    for (const QString& t : dataTables() + bookkeepingTables() + QStringList{"schema_version"}) {
        if (state.tables.contains(t))
            present << t;
    }
    if (present.isEmpty())
        return {};
    QByteArray sql = "BEGIN;";
    if (survey.serverTables) {
        QStringList keep, drop;
        for (const QString& t : present)
            (dataTables().contains(t) || !t.startsWith(QLatin1String("ctx_transfer_")) ? keep
                                                                                       : drop)
                << t;
        keep.removeAll(QStringLiteral("schema_version")); // the server's history stays
        if (!keep.isEmpty())
            sql += "TRUNCATE " + identifiers(keep) + " RESTART IDENTITY;";
        if (!drop.isEmpty())
            sql += "DROP TABLE " + identifiers(drop) + ";";
    } else {
        // Context Studio made the server's views and trigger function with the tables.
        sql += "DROP VIEW IF EXISTS active_sessions_with_activity, agent_memory_summary, "
               "audit_activity_summary;";
        sql += "DROP TABLE " + identifiers(present) + ";";
        sql += "DROP FUNCTION IF EXISTS ctx_set_updated_at();";
        sql += "DROP FUNCTION IF EXISTS update_updated_at_column();";
    }
    sql += "COMMIT;";
    if (auto ok = link.exec(sql); !ok) {
        (void)link.exec("ROLLBACK");
        return ok;
    }
    return {};
}

QList<QList<TransferUnit>> TargetAdoption::waves(const QList<TransferUnit>& units,
                                                 bool keysPresent) {
    if (!keysPresent)
        return {units};
    QList<TransferUnit> sessions, messages, rest;
    for (const TransferUnit& u : units) {
        if (u.table == QLatin1String("sessions"))
            sessions << u;
        else if (u.table == QLatin1String("messages"))
            messages << u;
        else
            rest << u;
    }
    std::sort(messages.begin(), messages.end(),
              [](const TransferUnit& a, const TransferUnit& b) { return a.after < b.after; });
    QList<QList<TransferUnit>> waves{sessions};
    for (const TransferUnit& m : messages)
        waves << QList<TransferUnit>{m};
    waves << rest;
    return waves;
}

} // namespace ctx
