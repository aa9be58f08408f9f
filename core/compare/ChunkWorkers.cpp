#include "ChunkWorkers.h"

#include "ChunkComparer.h"
#include "ChunkReader.h"
#include "ReadSession.h"

#include <algorithm>
#include <thread>

namespace ctx {

ChunkWorkers::ChunkWorkers(Setup setup)
    : m_setup(std::move(setup)) {}

void trimSamples(TableDiff& table, bool textKey, int limit) {
    auto keyOf = [textKey](const RowSample& s) {
        return textKey ? CompareKey{true, 0, s.key} : CompareKey{false, s.key.toLongLong(), {}};
    };
    std::stable_sort(table.samples.begin(), table.samples.end(),
                     [&](const RowSample& x, const RowSample& y) { return keyOf(x) < keyOf(y); });
    if (table.samples.size() > limit)
        table.samples.resize(limit);
}

void ChunkWorkers::merge(const QList<TableDiff>& local) {
    std::lock_guard lock(m_mutex);
    for (int i = 0; i < local.size(); ++i) {
        const TableDiff& l = local[i];
        TableDiff& t = (*m_tables)[i];
        t.aRows += l.aRows;
        t.bRows += l.bRows;
        t.identical += l.identical;
        t.equalNormalized += l.equalNormalized;
        t.different += l.different;
        t.onlyInA += l.onlyInA;
        t.onlyInB += l.onlyInB;
        t.explained += l.explained;
        t.chunks += l.chunks;
        t.chunksDiffering += l.chunksDiffering;
        for (auto it = l.columnDifferences.cbegin(); it != l.columnDifferences.cend(); ++it)
            t.columnDifferences[it.key()] += it.value();
        t.samples += l.samples;
        trimSamples(t, (*m_setup.plans)[i].textKey, m_setup.sampleRows);
    }
}

void ChunkWorkers::reportProgress(int table, qint64 rows) {
    std::lock_guard lock(m_mutex);
    ++m_chunksDone;
    m_rowsRead += rows;
    if (m_setup.progress)
        m_setup.progress(
            DiffProgress{(*m_setup.plans)[table].name, m_chunksDone, m_chunksTotal, m_rowsRead});
}

Status ChunkWorkers::workOrFail(const std::vector<ChunkTask>& tasks) {
    std::unique_ptr<ReadSession> a, b;
    std::unique_ptr<ChunkReader> readerA, readerB;
    QList<TableDiff> local;
    for (const TablePlan& p : *m_setup.plans) {
        local << TableDiff{};
        local.last().name = p.name;
    }
    std::vector<RawRow> rowsA, rowsB;
    for (size_t i = m_next++; i < tasks.size(); i = m_next++) {
        if (*m_setup.cancel)
            return fail(ErrorCode::Cancelled, QStringLiteral("comparison cancelled"));
        const ChunkTask& task = tasks[i];
        const TablePlan& plan = (*m_setup.plans)[task.table];
        if (plan.inA && !a) {
            auto s = ReadSession::open(m_setup.a, m_setup.snapshotA);
            if (!s)
                return std::unexpected(s.error());
            a = std::move(*s);
            readerA = ChunkReader::create(a->connection());
        }
        if (plan.inB && !b) {
            auto s = ReadSession::open(m_setup.b, m_setup.snapshotB);
            if (!s)
                return std::unexpected(s.error());
            b = std::move(*s);
            readerB = ChunkReader::create(b->connection());
        }
        if (!plan.inA)
            rowsA.clear();
        if (!plan.inB)
            rowsB.clear();
        if (plan.inB) // sent first: a PostgreSQL server works while A is read
            if (auto ok = readerB->start(plan, task.range); !ok)
                return ok;
        if (plan.inA) {
            if (auto ok = readerA->start(plan, task.range); !ok)
                return ok;
            if (auto ok = readerA->fetch(rowsA); !ok)
                return ok;
        }
        if (plan.inB)
            if (auto ok = readerB->fetch(rowsB); !ok)
                return ok;
        ChunkComparer comparer(plan, *m_setup.rejects, m_setup.sampleRows);
        comparer.compare(rowsA, rowsB, local[task.table]);
        reportProgress(task.table, qint64(rowsA.size() + rowsB.size()));
    }
    merge(local);
    return {};
}

void ChunkWorkers::work(const std::vector<ChunkTask>& tasks) {
    if (auto ok = workOrFail(tasks); !ok) {
        std::lock_guard lock(m_mutex);
        if (!m_error || m_error->code == ErrorCode::Cancelled)
            m_error = ok.error();
        *m_setup.cancel = true; // stop the other workers
    }
}

Status ChunkWorkers::run(const std::vector<ChunkTask>& tasks, QList<TableDiff>& tables) {
    m_tables = &tables;
    m_chunksTotal = qint64(tasks.size());
    const bool wasCancelled = *m_setup.cancel;
    const int n = std::max(1, std::min(m_setup.jobs, int(tasks.size())));
    std::vector<std::thread> threads;
    for (int i = 0; i < n; ++i)
        threads.emplace_back([this, &tasks] { work(tasks); });
    for (std::thread& t : threads)
        t.join();
    if (m_error)
        return std::unexpected(*m_error);
    if (wasCancelled)
        return fail(ErrorCode::Cancelled, QStringLiteral("comparison cancelled"));
    return {};
}

} // namespace ctx
