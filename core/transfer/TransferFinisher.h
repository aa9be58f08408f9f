#pragma once

#include "ContentCheck.h"
#include "MigrateTypes.h"
#include "SourceSnapshot.h"
#include "TransferStore.h"

namespace ctx {

// After the load: the remaining schema migrations (indexes, keys, GIN and FTS
// indexes, triggers, partial unique index, ctx tables), the records moved to
// ctx_migration_*, sequences set past max(id), ANALYZE; then per-table counts and
// content (ContentCheck).
// Each step is idempotent, so a run killed here finishes with --resume.
class TransferFinisher {
public:
    // jobs: connections that build the indexes side by side (IndexPrebuilder).
    static Status finish(const Connection& control, PgLink& link, int jobs,
                         const std::atomic<bool>* cancel = nullptr);
    static Status verify(const SourceSnapshot& source, PgLink& link,
                         const QHash<QString, double>& seconds, const ContentInputs& inputs,
                         MigrateSummary& summary);

private:
    static Status prebuildIndexes(const Connection& control, PgLink& link, int jobs,
                                  const std::atomic<bool>* cancel);
};

} // namespace ctx
