#pragma once

#include "core/Error.h"

#include <QString>
#include <functional>

namespace ctx {

struct DemoOptions {
    QString path;
    qint64 messages = 10000;
    quint64 seed = 42;
    std::function<void(qint64 done, qint64 total)> progress; // called every 50,000 rows
};

struct DemoSummary {
    qint64 sessions = 0;
    qint64 messages = 0;
    qint64 memory = 0;
    qint64 audit = 0;
    qint64 tokens = 0;
    qint64 milliseconds = 0;
};

// Writes a version-3b SQLite file the way shared-context-server wrote it: WAL mode,
// timestamps in every shape the server used (REAL epoch, ISO with offsets or Z,
// CURRENT_TIMESTAMP text, integers), threads through parent_message_id, every
// visibility, memory with TTL, audit rows and opaque token bytes. Deterministic
// for a seed; refuses to overwrite an existing file.
class DemoWriter {
public:
    static Result<DemoSummary> write(const DemoOptions& options);
};

} // namespace ctx
