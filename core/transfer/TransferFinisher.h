#pragma once

#include "MigrateTypes.h"
#include "SourceSnapshot.h"
#include "TransferStore.h"

namespace ctx {

// After the load: the remaining schema migrations (indexes, keys, GIN and FTS
// indexes, triggers, partial unique index, ctx tables), the records moved to
// ctx_migration_*, sequences set past max(id), ANALYZE; then per-table counts.
// Each step is idempotent, so a run killed here finishes with --resume.
class TransferFinisher {
public:
    static Status finish(const Connection& control, PgLink& link);
    static Status verify(const SourceSnapshot& source, PgLink& link,
                         const QHash<QString, double>& seconds, MigrateSummary& summary);
};

} // namespace ctx
