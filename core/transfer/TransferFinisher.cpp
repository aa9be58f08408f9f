#include "TransferFinisher.h"

#include "IndexPrebuilder.h"
#include "core/db/Dialect.h"
#include "core/schema/SchemaMigrator.h"

namespace ctx {

namespace {

QByteArray lit(const QString& name) {
    return "'" + name.toUtf8() + "'"; // our own fixed table names only
}

} // namespace

Status TransferFinisher::prebuildIndexes(const Connection& control, PgLink& link, int jobs,
                                         const std::atomic<bool>* cancel) {
    auto st = SchemaMigrator::status(control);
    if (!st)
        return std::unexpected(st.error());
    QList<IndexBuild> builds = IndexPrebuilder::collect(st->pending);
    if (auto ok = IndexPrebuilder::schedule(link, builds); !ok)
        return ok;
    return IndexPrebuilder::build(control.url(), builds, jobs, cancel);
}

Status TransferFinisher::finish(const Connection& control, PgLink& link, int jobs,
                                const std::atomic<bool>* cancel) {
    TransferStore store(link);
    auto state = store.inspect();
    if (!state)
        return std::unexpected(state.error());
    if (state->unfinishedTransfer) {
        auto pending = link.scalar("SELECT count(*) FROM ctx_transfer_progress WHERE unit <> "
                                   "'(source)' AND status <> 'done'");
        if (!pending)
            return std::unexpected(pending.error());
        if (pending->toLongLong() != 0)
            return fail(ErrorCode::QueryFailed,
                        QStringLiteral("%1 unit(s) are not loaded yet; run again with --resume")
                            .arg(QString::fromUtf8(*pending)),
                        link.subject());
    }
    // Index builds are server work: give them memory there (our process stays small).
    // Not through a transaction pooler: the settings would stay on a server connection.
    if (!control.throughPooler()) {
        (void)link.exec("SET maintenance_work_mem = '512MB'");
        (void)link.exec("SET max_parallel_maintenance_workers = 2");
    }
    if (auto ok = prebuildIndexes(control, link, jobs, cancel); !ok)
        return ok;
    UpgradeOptions all;
    all.appliedBy = QStringLiteral("ctxdb migrate");
    if (auto r = SchemaMigrator::applyPending(control, all); !r)
        return std::unexpected(r.error());
    if (state->unfinishedTransfer) {
        QByteArray sql = "BEGIN;";
        for (const char* t : {"messages", "agent_memory", "audit_log", "secure_tokens"})
            sql += "SELECT setval(pg_get_serial_sequence(" + lit(QLatin1String(t)) +
                   ", 'id'), coalesce((SELECT max(id) FROM " + QByteArray(t) + "), 0) + 1, false);";
        Status ok = link.exec(sql);
        if (ok)
            ok = store.finish();
        if (ok)
            ok = link.exec("COMMIT");
        if (!ok) {
            (void)link.exec("ROLLBACK");
            return ok;
        }
    }
    return link.exec("ANALYZE");
}

Status TransferFinisher::verify(const SourceSnapshot& source, PgLink& link,
                                const QHash<QString, double>& seconds, const ContentInputs& inputs,
                                MigrateSummary& summary) {
    TransferStore store(link);
    auto byTable = store.rejectsBy("table_name");
    if (!byTable)
        return std::unexpected(byTable.error());
    auto byReason = store.rejectsBy("reason");
    if (!byReason)
        return std::unexpected(byReason.error());
    summary.rejectsByReason = *byReason;
    auto content = ContentCheck::run(source, link, inputs);
    if (!content)
        return std::unexpected(content.error());
    summary.tables.clear();
    summary.ok = true;
    for (const SourceTableLayout& l : source.layouts()) {
        auto st = source.stats(l.spec.name);
        if (!st)
            return std::unexpected(st.error());
        TableSummary t;
        t.name = l.spec.name;
        t.sourceRows = st->rows;
        t.expectedRows = st->rows;
        if (t.name == QLatin1String("sessions"))
            t.expectedRows += summary.recoveredSessions;
        if (t.name == QLatin1String("agent_memory"))
            t.expectedRows -= summary.droppedDuplicates;
        auto n = link.scalar("SELECT count(*) FROM " + Dialect::quoteIdentifier(t.name).toUtf8());
        if (!n)
            return std::unexpected(n.error());
        t.targetRows = n->toLongLong();
        t.rejected = byTable->value(t.name);
        t.seconds = seconds.value(t.name);
        t.contentMatches = content->value(t.name).matches();
        summary.ok = summary.ok && t.ok();
        summary.tables << t;
    }
    return {};
}

} // namespace ctx
