#pragma once

#include "ChunkReader.h"

struct pg_conn;
struct pg_result;

namespace ctx {

// Reads a PostgreSQL table through libpq on the connection's own handle, one chunk
// per query (memory bounded by the chunk), sent asynchronously. Text and bytes of the
// fetched rows point into the libpq result until the next start(): callers that keep a
// value longer deep-copy it.
class PostgresChunkReader final : public ChunkReader {
public:
    explicit PostgresChunkReader(const Connection& conn);
    ~PostgresChunkReader() override;

    Status start(const TablePlan& plan, const ChunkRange& range) override;
    Status fetch(std::vector<RawRow>& rows) override;
    Result<std::vector<CompareKey>> boundaries(const TablePlan& plan, int every) override;

private:
    Status send(const QString& sql, const QList<QByteArray>& params);
    Result<pg_result*> receive(); // caller frees with PQclear
    Error error(const QString& doing) const;

    const Connection& m_conn;
    pg_conn* m_pg = nullptr;
    const TablePlan* m_plan = nullptr;
    bool m_pending = false;
    pg_result* m_rows = nullptr; // the last chunk: its values point into it
};

} // namespace ctx
