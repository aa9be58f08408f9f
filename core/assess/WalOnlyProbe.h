#pragma once

#include "core/transfer/SourceSnapshot.h"

namespace ctx {

struct WalOnlyTable {
    QString table;
    qint64 rows = 0;            // rows the WAL adds to the main file
    QList<qint64> sampleRowids; // the first of them
};

// Finds rows that exist only in the -wal file: compares what a reader that
// ignores the WAL sees (the main file opened with immutable=1, no copy) with the
// snapshot, which reads through the WAL.
class WalOnlyProbe {
public:
    static Result<QList<WalOnlyTable>> run(const SourceSnapshot& snapshot);
};

} // namespace ctx
