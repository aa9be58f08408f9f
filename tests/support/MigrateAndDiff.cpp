#include "MigrateAndDiff.h"

#include "core/compare/DiffJob.h"
#include "core/transfer/Migrator.h"

#include <QtGlobal>
#include <atomic>

namespace ctx::test {

Result<MigrateSummary> migrationStoppedAfter(MigrateOptions options, int batches) {
    std::atomic<bool> cancel{false};
    int seen = 0;
    options.jobs = 1;
    options.cancel = &cancel;
    options.onEvent = [&](const MigrateEvent& e) {
        if (e.type == MigrateEvent::Type::Progress && ++seen >= batches)
            cancel = true;
    };
    return Migrator::run(options);
}

QVariant valueOf(const Connection& c, const QString& sql) {
    auto v = c.scalar(sql);
    return v ? *v : QVariant(QStringLiteral("<error: %1>").arg(v.error().oneLine()));
}

qint64 rejectCount(const Connection& c, const QString& reason) {
    return valueOf(c, QStringLiteral("SELECT count(*) FROM ctx_migration_rejects WHERE reason = "
                                     "'%1'")
                          .arg(reason))
        .toLongLong();
}

std::unique_ptr<Connection> migrateResumeAndDiff(const QString& path, const ScratchDatabase& db,
                                                 qint64 explained, bool sameSchema,
                                                 bool interrupt) {
    MigrateOptions o;
    o.sourcePath = path;
    o.target = db.url();
    o.jobs = 2;
    o.limits.rows = 3;
    if (interrupt) { // stopped after two batches, as a cancel or a kill would
        auto stopped = migrationStoppedAfter(o, 2);
        if (stopped) {
            qWarning("the first run was not stopped");
            return nullptr;
        }
        if (stopped.error().code != ErrorCode::Cancelled) // --resume must finish it
            qWarning("first run: %s", qPrintable(stopped.error().oneLine()));
        o.resume = true;
    }
    auto summary = Migrator::run(o);
    if (!summary)
        qWarning("migrate: %s", qPrintable(summary.error().oneLine()));
    if (!summary || !summary->ok)
        return nullptr;
    o.resume = true;
    auto again = Migrator::run(o);
    if (!again || !again->alreadyComplete || !again->ok) {
        qWarning("--resume did not find the migration complete");
        return nullptr;
    }
    DiffOptions d;
    d.a = DatabaseUrl::sqliteFile(path);
    d.b = db.url();
    d.chunkRows = 4;
    d.sampleRows = 20;
    auto report = DiffJob(d).run();
    if (!report) {
        qWarning("diff: %s", qPrintable(report.error().oneLine()));
        return nullptr;
    }
    auto source = Connection::open(DatabaseUrl::sqliteFile(path), ConnectionOptions{});
    if (!source)
        return nullptr;
    qint64 seen = 0;
    for (const TableDiff& t : report->tables) {
        seen += t.explained;
        // Every source row was read: NULL or BLOB keys are no reason to skip one.
        const auto rows =
            (*source)->scalar(QStringLiteral("SELECT count(*) FROM \"%1\"").arg(t.name));
        if (t.inA && t.skipped.isEmpty() && (!rows || rows->toLongLong() != t.aRows)) {
            qWarning("%s: the diff read %lld rows of the source's %lld", qPrintable(t.name),
                     t.aRows, rows ? rows->toLongLong() : -1);
            return nullptr;
        }
        for (const RowSample& s : t.samples)
            if (!s.explained)
                qWarning("unexplained %s row %s (%s)", qPrintable(t.name), s.key.constData(),
                         qPrintable(rowSampleKindName(s.kind)));
    }
    const bool equal = sameSchema ? report->equal() : report->unexplainedRows() == 0;
    if (!equal || seen < explained) {
        qWarning("diff not equal (%lld unexplained, %lld explained)", report->unexplainedRows(),
                 seen);
        return nullptr;
    }
    auto conn = db.connect();
    return conn ? std::move(*conn) : nullptr;
}

} // namespace ctx::test
