#pragma once

#include "DiffTypes.h"
#include "RejectIndex.h"
#include "TablePlan.h"

#include <atomic>
#include <mutex>

namespace ctx {

// One unit of work: a key range of one table.
struct ChunkTask {
    int table = 0;
    ChunkRange range;
};

// Runs chunk comparisons on N threads, each with its own read sessions on A and B
// (joining the exported PostgreSQL snapshots), and merges their counts per table.
class ChunkWorkers {
public:
    struct Setup {
        DatabaseUrl a, b;
        QString snapshotA, snapshotB; // PostgreSQL sides: the coordinator's snapshot
        int jobs = 2;
        int sampleRows = 0;
        const QList<TablePlan>* plans = nullptr;
        const RejectIndex* rejects = nullptr;
        std::atomic<bool>* cancel = nullptr;
        DiffProgressCallback progress;
    };
    explicit ChunkWorkers(Setup setup);

    // Compares every task; `tables` has one entry per plan and receives the counts.
    Status run(const std::vector<ChunkTask>& tasks, QList<TableDiff>& tables);

private:
    void work(const std::vector<ChunkTask>& tasks);
    Status workOrFail(const std::vector<ChunkTask>& tasks);
    void merge(const QList<TableDiff>& local);
    void reportProgress(int table, qint64 rows);

    Setup m_setup;
    std::atomic<size_t> m_next{0};
    std::mutex m_mutex;
    QList<TableDiff>* m_tables = nullptr;
    std::optional<Error> m_error;
    qint64 m_chunksDone = 0;
    qint64 m_chunksTotal = 0;
    qint64 m_rowsRead = 0;
};

// Keeps the samples with the smallest keys, in key order.
void trimSamples(TableDiff& table, bool textKey, int limit);

} // namespace ctx
