#pragma once

#include "MigrateTypes.h"
#include "core/schema/MigrationLock.h"

namespace ctx {

// `ctxdb migrate` as a job: a legacy SQLite file into PostgreSQL, fast (binary
// COPY into bare tables from --jobs workers, each with its own connections,
// indexes after), resumable (checkpoints in the batch's own transaction) and
// losing nothing (every change recorded in ctx_migration_rejects). Cancellable;
// progress through MigrateOptions::onEvent.
class Migrator {
public:
    static Result<MigrateSummary> run(const MigrateOptions& options);
    // The one advisory lock of every writer of a target's schema (schema upgrade, the
    // inspector's migrations view, migrate), held by migrate from its first check to its
    // verification: an upgrade cannot slip in between migrate's steps, nor migrate
    // start under an upgrade. Session locks stack, so migrate's own schema steps on the
    // same connection take it again.
    static constexpr qint64 kLockKey = MigrationLock::kAdvisoryKey;
    // How long a run waits for the server sessions of a killed run to end (they check
    // for their lost client every second).
    static constexpr int kEarlierRunWaitMs = 15000;
};

} // namespace ctx
