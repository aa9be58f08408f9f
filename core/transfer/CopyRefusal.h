#pragma once

#include "core/Error.h"

#include <QList>

namespace ctx {

// A COPY batch the target refused because of one row (a CHECK, a length, NOT NULL, a
// key): one line that names the constraint, the table and the row's key and source
// rowid instead of the server's multi-part message with the whole row in it. The
// batch's transaction is rolled back by the caller; earlier batches stay checkpointed.
class CopyRefusal {
public:
    // rowids: the source rowid of each row sent in the batch, in order (COPY's "line N").
    static Error explain(const Error& copyError, const QString& table, const QList<qint64>& rowids);
};

} // namespace ctx
