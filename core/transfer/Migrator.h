#pragma once

#include "MigrateTypes.h"

namespace ctx {

// `ctxdb migrate` as a job: a legacy SQLite file into PostgreSQL, fast (binary
// COPY into bare tables from --jobs workers, each with its own connections,
// indexes after), resumable (checkpoints in the batch's own transaction) and
// losing nothing (every change recorded in ctx_migration_rejects). Cancellable;
// progress through MigrateOptions::onEvent.
class Migrator {
public:
    static Result<MigrateSummary> run(const MigrateOptions& options);
    static constexpr qint64 kLockKey = 0x6374786d69677274; // "ctxmigrt"
};

} // namespace ctx
