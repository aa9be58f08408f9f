#pragma once

#include "AssessReport.h"
#include "core/Error.h"

#include <atomic>
#include <functional>

namespace ctx {

struct AssessProgress {
    QString phase; // "check", "scan", "wal"
    QString table;
    qint64 done = 0;
    qint64 total = 0;
};

struct AssessOptions {
    QString path;
    bool quickCheck = true;
    // Called from the thread that runs the job; the GUI forwards it with a queued signal.
    std::function<void(const AssessProgress&)> progress;
    const std::atomic<bool>* cancel = nullptr;
};

// The read-only pre-flight of a legacy file: schema version and quirks, integrity,
// row counts, every hazard per column with samples and the migration's action,
// WAL-only rows and an estimate. One pass per table through the native API with
// the migration's own converter, so what it reports is what the migration does.
class Assessor {
public:
    static Result<AssessReport> run(const AssessOptions& options);
};

} // namespace ctx
