#pragma once

#include "TestDatabases.h"
#include "core/db/Connection.h"

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

} // namespace ctx::test
