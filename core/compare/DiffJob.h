#pragma once

#include "DiffTypes.h"

#include <atomic>

namespace ctx {

struct TablePlan;
class RejectIndex;
class Connection;

// Compares two databases (SQLite or PostgreSQL, any pair), schema and data, row by
// row. A long job: run() blocks the calling thread while --jobs worker threads, each
// with its own connections, compare key-range chunks; progress is reported through a
// callback and cancel() stops it between chunks. PostgreSQL workers share one
// exported snapshot; each SQLite connection reads in one read transaction.
class DiffJob {
public:
    explicit DiffJob(DiffOptions options);
    void setProgressCallback(DiffProgressCallback callback) { m_progress = std::move(callback); }
    void cancel() { m_cancel = true; }
    bool cancelled() const { return m_cancel; }

    Result<DiffReport> run();

private:
    Status checkSequences(const Connection& conn, const QString& side,
                          const QList<TablePlan>& plans, QList<SchemaFinding>& out) const;

    DiffOptions m_options;
    DiffProgressCallback m_progress;
    std::atomic<bool> m_cancel{false};
};

} // namespace ctx
