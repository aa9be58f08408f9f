#include "Migrator.h"

#include "EarlierRunSessions.h"
#include "ResumeCheck.h"
#include "SalvageCopy.h"
#include "TargetAdoption.h"
#include "TransferFinisher.h"
#include "TransferPlanner.h"
#include "TransferRun.h"
#include "core/schema/SchemaDetector.h"
#include "core/schema/SchemaMigrator.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFileInfo>

namespace ctx {

namespace {

Status refuseOrClear(PgLink& link, const TargetSurvey& survey, const TargetState& st,
                     const MigrateOptions& o, const QByteArray& fingerprint, bool* resuming,
                     bool* complete, const QString& subject) {
    *resuming = false;
    *complete = false;
    if (o.replace)
        return TargetAdoption::clear(link, survey, st);
    if (st.unfinishedTransfer) {
        if (!o.resume)
            return fail(ErrorCode::Conflict,
                        QStringLiteral("target holds an unfinished migration; run again with "
                                       "--resume to continue it or --replace to start over"),
                        subject);
        *resuming = true;
        return {};
    }
    if (o.resume && st.finishedTransfer && st.finishedFingerprint == fingerprint) {
        *complete = true;
        return {};
    }
    if (!st.nonEmptyTables.isEmpty())
        return fail(ErrorCode::Conflict,
                    QStringLiteral("target already holds data (%1)%2; use --replace to %3, or "
                                   "an empty database")
                        .arg(st.nonEmptyTables.mid(0, 6).join(QStringLiteral(", ")),
                             o.resume ? QStringLiteral(" and no unfinished migration to resume")
                                      : QString(),
                             survey.serverTables
                                 ? QStringLiteral("replace the rows (the server's tables and "
                                                  "your objects are kept)")
                                 : QStringLiteral("drop and recreate Context Studio's tables")),
                    subject);
    // Empty: tables left by an earlier attempt that never committed its plan go (the
    // server's stay: they are loaded into).
    return TargetAdoption::clear(link, survey, st);
}

} // namespace

Result<MigrateSummary> Migrator::run(const MigrateOptions& o) {
    QElapsedTimer total;
    total.start();
    const qint64 startedMicros = QDateTime::currentMSecsSinceEpoch() * 1000;
    auto emitPhase = [&](const QString& phase, const QString& message) {
        if (o.onEvent)
            o.onEvent(MigrateEvent{MigrateEvent::Type::Phase, phase, message, {}, 0, 0, 0, -1});
    };
    if (!o.target.isPostgres())
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("the target must be a PostgreSQL URL (postgresql://…)"),
                    o.target.redacted());
    std::unique_ptr<SalvageCopy> salvage; // outlives the snapshot that reads it
    MigrateOptions readFrom = o;          // where the rows are read: the source, or its copy
    auto source = SourceSnapshot::open(o.sourcePath, QStringLiteral("ctxdb migrate"));
    if (!source)
        return std::unexpected(source.error());
    auto schema = SchemaDetector::detect((*source)->connection());
    if (!schema)
        return std::unexpected(schema.error());
    if (!schema->sharedContext)
        return fail(ErrorCode::NotADatabase,
                    QStringLiteral("not a shared-context-server database (no sessions and "
                                   "messages tables)"),
                    o.sourcePath);
    // A damaged file is refused before anything is written: the load used to write the
    // rows in front of the first bad page and then stop, at every --resume.
    if (const QStringList damage = (*source)->damage(); !damage.isEmpty() && !o.salvage) {
        return fail(ErrorCode::Corrupt,
                    QStringLiteral("the source file is damaged (quick_check: %1%2); nothing was "
                                   "written to the target (--salvage carries every readable row)")
                        .arg(damage.first().simplified())
                        .arg(damage.size() > 1
                                 ? QStringLiteral("; %1 more problems").arg(damage.size() - 1)
                                 : QString()),
                    o.sourcePath);
    } else if (!damage.isEmpty()) {
        // --salvage: every later step reads a private copy of the readable rows.
        emitPhase(QStringLiteral("salvage"),
                  QStringLiteral("the source is damaged: copying every readable row"));
        auto copy = SalvageCopy::make(**source, o.cancel);
        if (!copy)
            return std::unexpected(copy.error());
        salvage = std::move(*copy);
        auto readable = SourceSnapshot::open(salvage->path(), QStringLiteral("ctxdb migrate"));
        if (!readable)
            return std::unexpected(readable.error());
        *source = std::move(*readable);
        readFrom.sourcePath = salvage->path();
    }
    auto fingerprint = (*source)->fingerprint();
    if (!fingerprint)
        return std::unexpected(fingerprint.error());

    ConnectionOptions co;
    co.readOnly = false;
    co.applicationName = QStringLiteral("ctxdb migrate");
    auto control = Connection::open(o.target, co);
    if (!control)
        return std::unexpected(control.error());
    const QString subject = o.target.redacted();
    PgLink link((*control)->pgHandle(), subject);
    const auto waitNotice = [&](const QString& m) { emitPhase(QStringLiteral("wait"), m); };
    // Through a transaction pooler the session lock would stay on whichever server
    // connection took it: a transaction of its own holds the lock for the run instead.
    std::unique_ptr<PooledRunLock> pooledLock;
    if ((*control)->throughPooler()) {
        auto held = PooledRunLock::take(**control);
        if (!held)
            return std::unexpected(held.error());
        pooledLock = std::move(*held);
    } else {
        // After a crash the old run's session may hold the lock until its statement
        // notices the lost client: --resume and --replace wait for that a little.
        const int waitMs = o.resume || o.replace ? kEarlierRunWaitMs : 0;
        if (auto ok = EarlierRunSessions::lock(link, kLockKey, waitMs, waitNotice); !ok)
            return std::unexpected(ok.error());
    }
    if (auto ok = EarlierRunSessions::awaitEnd(link, !(*control)->throughPooler(),
                                               kEarlierRunWaitMs, waitNotice);
        !ok)
        return std::unexpected(ok.error());
    TransferStore store(link);
    auto state = store.inspect();
    if (!state)
        return std::unexpected(state.error());
    auto survey = TargetAdoption::survey(**control, link);
    if (!survey)
        return std::unexpected(survey.error());
    if (!o.replace && !o.resume) {
        if (auto ok = TargetAdoption::checkFresh(*survey, subject); !ok)
            return std::unexpected(ok.error());
    }
    bool resuming = false, complete = false;
    if (auto ok =
            refuseOrClear(link, *survey, *state, o, *fingerprint, &resuming, &complete, subject);
        !ok)
        return std::unexpected(ok.error());

    auto keys = SessionKeys::read((*source)->handle());
    if (!keys)
        return std::unexpected(keys.error().withSubject(o.sourcePath));
    auto dups = (*source)->duplicateMemory(*keys);
    if (!dups)
        return std::unexpected(dups.error());
    auto missing = (*source)->missingSessions(*keys);
    if (!missing)
        return std::unexpected(missing.error());
    MigrateSummary summary;
    summary.resumed = resuming || complete;
    summary.alreadyComplete = complete;
    summary.recoveredSessions = missing->size();
    summary.droppedDuplicates = dups->dropped.size();

    if (resuming) {
        auto recorded = store.readSource();
        if (!recorded)
            return std::unexpected(recorded.error());
        if (recorded->fingerprint != *fingerprint)
            return fail(ErrorCode::Conflict,
                        QStringLiteral("the unfinished migration in the target was made from "
                                       "another source (%1, %2 bytes) or the file changed "
                                       "since; use --replace to start over")
                            .arg(recorded->path)
                            .arg(recorded->bytes),
                        subject);
        // Same counts and rowid bounds, but maybe not the same rows: checked range by range.
        if (auto ok = ResumeCheck::run(
                **source, store, [&](const QString& m) { emitPhase(QStringLiteral("check"), m); });
            !ok)
            return std::unexpected(ok.error());
    } else if (!complete) {
        emitPhase(QStringLiteral("prepare"), QStringLiteral("creating the tables (schema 3)"));
        UpgradeOptions upTo3;
        upTo3.targetVersion = 3;
        upTo3.appliedBy = QStringLiteral("ctxdb migrate");
        if (auto r = SchemaMigrator::applyPending(**control, upTo3); !r)
            return std::unexpected(r.error());
        auto units = TransferPlanner::plan(**source, o.jobs);
        if (!units)
            return std::unexpected(units.error());
        Status prepared = link.exec("BEGIN");
        if (prepared)
            prepared = store.createStaging();
        if (prepared)
            prepared = store.writeSource({QFileInfo(o.sourcePath).absoluteFilePath(),
                                          QFileInfo(o.sourcePath).size(), *fingerprint,
                                          QStringLiteral("loading")});
        if (prepared)
            prepared = store.insertUnits(*units);
        if (prepared)
            prepared = TransferPlanner::insertPlaceholders(link, *missing, startedMicros);
        if (prepared && salvage)
            prepared = store.recordRejects(salvage->rejects());
        if (prepared)
            prepared = link.exec("COMMIT");
        if (!prepared) {
            (void)link.exec("ROLLBACK");
            return std::unexpected(prepared.error());
        }
    }

    QHash<QString, double> seconds;
    if (!complete) {
        auto units = store.units();
        if (!units)
            return std::unexpected(units.error());
        emitPhase(QStringLiteral("load"), QStringLiteral("loading rows"));
        QElapsedTimer data;
        data.start();
        // Into the server's tables their foreign keys hold during the load: in waves.
        for (const auto& wave : TargetAdoption::waves(*units, survey->keysPresent)) {
            TransferRun run(readFrom, *fingerprint, dups->dropped, *keys);
            if (auto ok = run.execute(wave); !ok)
                return std::unexpected(ok.error());
        }
        summary.dataSeconds = double(data.nsecsElapsed()) / 1e9;
        if (auto loaded = store.units()) {
            for (const TransferUnit& u : *loaded)
                seconds[u.table] += u.seconds;
        }
        // Every row was read from one state of the file, or it is not marked complete.
        if (auto ok = (*source)->unchanged(); !ok)
            return std::unexpected(ok.error());
        QElapsedTimer finish;
        finish.start();
        emitPhase(QStringLiteral("indexes"),
                  QStringLiteral("building indexes and constraints (schema 4+)"));
        if (auto ok = TransferFinisher::finish(**control, link, o.jobs, o.cancel); !ok)
            return std::unexpected(ok.error());
        summary.finishSeconds = double(finish.nsecsElapsed()) / 1e9;
    }
    emitPhase(QStringLiteral("verify"), QStringLiteral("verifying every row's content"));
    QElapsedTimer verifying;
    verifying.start();
    ContentInputs content{&dups->dropped, &*keys, {}};
    for (const MissingSession& m : std::as_const(*missing))
        content.placeholderIds.insert(m.target);
    if (auto ok = TransferFinisher::verify(**source, link, seconds, content, summary); !ok)
        return std::unexpected(ok.error());
    if (salvage) {
        summary.salvaged = true;
        summary.unreadableRanges = salvage->unreadableRanges();
        for (TableSummary& t : summary.tables)
            if (const SalvageTable* st = salvage->table(t.name))
                t.unreadableRanges = st->unreadable.size();
    }
    summary.verifySeconds = double(verifying.nsecsElapsed()) / 1e9;
    if (!pooledLock)
        (void)link.exec("SELECT pg_advisory_unlock(" + QByteArray::number(kLockKey) + ")");
    summary.totalSeconds = double(total.nsecsElapsed()) / 1e9;
    emitPhase(QStringLiteral("done"), summary.ok ? QStringLiteral("verified")
                                                 : QStringLiteral("row counts or content differ"));
    return summary;
}

} // namespace ctx
