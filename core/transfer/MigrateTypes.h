#pragma once

#include "UnitLoader.h"
#include "core/db/DatabaseUrl.h"

#include <QHash>
#include <atomic>
#include <functional>

namespace ctx {

// What a migration the user stopped says, wherever it stopped: it can be resumed.
inline std::unexpected<Error> migrationCancelled(const DatabaseUrl& target) {
    return fail(ErrorCode::Cancelled,
                QStringLiteral("migration cancelled; run again with --resume to continue"),
                target.redacted());
}

struct MigrateEvent {
    enum class Type { Phase, Progress };
    Type type = Type::Phase;
    QString phase; // prepare, load, indexes, verify, done
    QString message;
    QString table;
    qint64 done = 0;
    qint64 total = 0;
    double rowsPerSecond = 0;
    double etaSeconds = -1;
};

struct MigrateOptions {
    QString sourcePath;
    DatabaseUrl target;
    bool resume = false;
    bool replace = false;
    // A damaged source (quick_check fails) is refused unless salvage is set: then every
    // row SQLite can still read is carried and each unreadable rowid range recorded.
    bool salvage = false;
    int jobs = 2;
    BatchLimits limits;
    // Called from worker threads, one call at a time; the GUI forwards it queued.
    std::function<void(const MigrateEvent&)> onEvent;
    const std::atomic<bool>* cancel = nullptr;
};

struct TableSummary {
    QString name;
    qint64 sourceRows = 0;
    qint64 expectedRows = 0; // source rows + recovered placeholders - dropped duplicates
    qint64 targetRows = 0;
    qint64 rejected = 0;
    qint64 unreadableRanges = 0; // --salvage: rowid ranges of the damaged source not read
    double seconds = 0;
    // The target's rows equal the source's as converted, value for value (ContentCheck).
    bool contentMatches = true;
    bool ok() const { return targetRows == expectedRows && contentMatches; }
};

struct MigrateSummary {
    bool ok = false; // every table's count and content verified
    bool resumed = false;
    bool alreadyComplete = false;
    QList<TableSummary> tables;
    QHash<QString, qint64> rejectsByReason;
    qint64 recoveredSessions = 0;
    qint64 droppedDuplicates = 0;
    bool salvaged = false; // the source was damaged; its readable rows were carried
    qint64 unreadableRanges = 0;
    double dataSeconds = 0;
    double finishSeconds = 0;
    double verifySeconds = 0; // counts and content (ContentCheck)
    double totalSeconds = 0;
};

} // namespace ctx
