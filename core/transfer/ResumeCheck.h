#pragma once

#include "SourceSnapshot.h"
#include "TransferStore.h"

#include <functional>

namespace ctx {

// Before --resume loads anything new: the source rows the interrupted run already
// loaded are read again and checked against the checksums recorded with each batch's
// checkpoint. An UPDATE in place keeps the counts and rowid bounds the fingerprint
// holds, and would otherwise leave the target with the old rows beside new ones.
// One pass over the loaded ranges; the target is not written when they differ.
class ResumeCheck {
public:
    using Note = std::function<void(const QString& message)>;
    // Refuses (Conflict, one line naming the table and rowids) when a loaded range
    // differs. A run started by a version that kept no checksums resumes: `note` says
    // how many rows cannot be checked now (the final verification compares them), and
    // the checksum table is created so that the rest is recorded.
    static Status run(const SourceSnapshot& source, TransferStore& store, const Note& note);

private:
    // Checks one unit's ranges; adds rows loaded without a checksum to *unchecked.
    static Status checkUnit(const SourceSnapshot& source, const TransferUnit& unit,
                            const QList<RangeChecksum>& ranges, qint64* unchecked);
};

} // namespace ctx
