#pragma once

#include "SourceSnapshot.h"
#include "TransferStore.h"

namespace ctx {

// Decides the units of a fresh migration (big tables split in rowid ranges, one
// per job) and writes what only exists because the source lacks it: placeholder
// sessions for session ids nothing defines, recorded as such.
class TransferPlanner {
public:
    static Result<QList<TransferUnit>> plan(const SourceSnapshot& source, int jobs);
    static Status insertPlaceholders(PgLink& target, const QList<MissingSession>& missing,
                                     qint64 startedMicros);
};

} // namespace ctx
