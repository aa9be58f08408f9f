#pragma once

#include "core/transfer/SourceSnapshot.h"

namespace ctx {

// One column of a sample row: as stored in the legacy file and as it will arrive.
struct PreviewCell {
    QString column;
    QString storageType; // SQLite storage class as stored
    QString stored;      // the stored value, readable
    QString arrives;     // the converted value ("NULL" when it becomes NULL)
    QStringList hazards; // reason codes found in this column
};

struct PreviewRow {
    QString table;
    qint64 rowid = 0;
    QString key;
    bool dropped = false; // an older duplicate global memory key: recorded, not loaded
    QList<PreviewCell> cells;
};

// Shows a sample row "as stored and as it will arrive", by the migration's rules
// (for the assessment's samples in the GUI wizard and the CLI).
class SamplePreview {
public:
    static Result<PreviewRow> row(const SourceSnapshot& snapshot, const QString& table,
                                  qint64 rowid);
};

} // namespace ctx
