#pragma once

#include "ChunkReader.h"

struct sqlite3;
struct sqlite3_stmt;

namespace ctx {

// Reads a SQLite table through the native handle, keeping each value's storage class.
class SqliteChunkReader final : public ChunkReader {
public:
    explicit SqliteChunkReader(const Connection& conn);
    ~SqliteChunkReader() override;

    Status start(const TablePlan& plan, const ChunkRange& range) override;
    Status fetch(std::vector<RawRow>& rows) override;
    Result<std::vector<CompareKey>> boundaries(const TablePlan& plan, int every) override;

private:
    Result<sqlite3_stmt*> prepare(const QString& sql);
    Error error(const QString& doing) const;
    void bind(int index, const CompareKey& key, bool asBytes);

    const Connection& m_conn;
    sqlite3* m_db = nullptr;
    sqlite3_stmt* m_stmt = nullptr;
    const TablePlan* m_plan = nullptr;
};

} // namespace ctx
