#pragma once

#include "PgLink.h"
#include "RowChecksum.h"
#include "SourceSnapshot.h"

#include <QHash>

namespace ctx {

// What the load did besides converting rows: the rows it dropped and the sessions it
// made up, so that the check expects the same.
struct ContentInputs {
    const QSet<qint64>* duplicates = nullptr; // agent_memory rowids that do not arrive
    const SessionKeys* keys = nullptr;        // renamed session and token ids
    QSet<QByteArray> placeholderIds;          // sessions made for missing ones
};

struct ContentSums {
    RowSum source; // every source row as RowConverter makes it (dropped rows left out)
    RowSum target; // every target row, placeholder sessions left out
    bool matches() const { return source == target; }
};

// The final verification by content, not counts: per table, a checksum of the source
// rows as converted against one of the target's rows read back with binary COPY (JSON
// compared canonically, since jsonb rewrites its text). An UPDATE on either side
// since the load shows. Source and target are read side by side (two threads): one
// pass over each, about as long as reading the source once.
class ContentCheck {
public:
    static Result<QHash<QString, ContentSums>> run(const SourceSnapshot& source, PgLink& target,
                                                   const ContentInputs& inputs);

    static Result<RowSum> sourceSide(const SourceSnapshot& source, const SourceTableLayout& layout,
                                     const ContentInputs& inputs);
    static Result<RowSum> targetSide(PgLink& target, const TableSpec& spec,
                                     const ContentInputs& inputs);
};

} // namespace ctx
