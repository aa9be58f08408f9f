#pragma once

#include "TablePlan.h"
#include "core/db/Connection.h"

#include <memory>

namespace ctx {

// Reads one side of a comparison on the calling thread's own connection: rows of a
// key range in key order, and the key boundaries that cut a table into chunks.
// SQLite reads through the native sqlite3 handle (storage classes kept); PostgreSQL
// through libpq in text form (timestamptz in UTC, jsonb as text, bytea as bytes).
class ChunkReader {
public:
    static std::unique_ptr<ChunkReader> create(const Connection& conn);
    virtual ~ChunkReader() = default;

    // Starts reading a range (PostgreSQL sends the query and returns at once, so the
    // server works while the caller reads the other side).
    virtual Status start(const TablePlan& plan, const ChunkRange& range) = 0;
    // The rows of the started range, in key order.
    virtual Status fetch(std::vector<RawRow>& rows) = 0;
    // Every n-th key of the table in key order.
    virtual Result<std::vector<CompareKey>> boundaries(const TablePlan& plan, int every) = 0;
};

// SELECT list, range condition and ORDER BY shared by both readers.
struct ChunkQuery {
    static QString build(const TablePlan& plan, const ChunkRange& range, Engine engine);
    static QString orderedKey(const TablePlan& plan, Engine engine);
};

} // namespace ctx
