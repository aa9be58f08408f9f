#pragma once

#include "TestDatabases.h"
#include "core/db/Connection.h"
#include "core/transfer/MigrateTypes.h"

#include <memory>

namespace ctx::test {

// Migrates (small batches, two workers), checks that --resume of the finished
// migration has nothing left to do, and that the diff says equal with `explained`
// rows or more explained. Returns a connection to the target.
// With sameSchema false the schemas may differ (a hand-made source), not the data;
// with interrupt the first run stops after two batches and --resume finishes it.
std::unique_ptr<Connection> migrateResumeAndDiff(const QString& path, const ScratchDatabase& db,
                                                 qint64 explained, bool sameSchema = true,
                                                 bool interrupt = false);

// A migration stopped after `batches` batches, as a cancel or a kill would: one worker,
// the cancel flag raised by the progress events. Its result (expected: Cancelled).
Result<MigrateSummary> migrationStoppedAfter(MigrateOptions options, int batches);

// A target's first value of a query, or "<error: …>" so that a comparison names it.
QVariant valueOf(const Connection& c, const QString& sql);
// Rows of ctx_migration_rejects with this reason.
qint64 rejectCount(const Connection& c, const QString& reason);

} // namespace ctx::test
