#pragma once

#include "SourceSnapshot.h"
#include "TransferStore.h"

#include <atomic>
#include <functional>

namespace ctx {

struct BatchLimits {
    qint64 rows = 50000;
    qint64 bytes = 32LL << 20;      // COPY payload per transaction
    qint64 rejectBytes = 8LL << 20; // original bytes of rejects held per transaction
    qint64 sendChunk = 1LL << 20;   // bytes handed to libpq at a time
};

// Loads one unit: batches of rows read from the snapshot, converted, sent with
// binary COPY, their rejects recorded and the unit's checkpoint updated, all in
// one transaction per batch. A kill at any point leaves data and checkpoint in
// agreement; the next run continues after the checkpoint.
class UnitLoader {
public:
    using BatchDone = std::function<void(const TransferUnit& unit, qint64 rows)>;

    UnitLoader(const SourceSnapshot& source, PgLink& target, const QSet<qint64>& duplicates,
               const SessionKeys& keys, const BatchLimits& limits, const std::atomic<bool>* stop,
               const std::atomic<bool>* cancel)
        : m_source(source)
        , m_target(target)
        , m_duplicates(duplicates)
        , m_keys(keys)
        , m_limits(limits)
        , m_stop(stop)
        , m_cancel(cancel) {}

    Status load(TransferUnit& unit, const BatchDone& onBatch);

private:
    // One transaction; *finished when the unit has no more rows.
    Status batch(SourceCursor& cursor, const RowConverter& conv, TransferUnit& unit, bool* finished,
                 qint64* rows);
    bool stopped() const { return (m_stop && m_stop->load()) || (m_cancel && m_cancel->load()); }

    const SourceSnapshot& m_source;
    PgLink& m_target;
    const QSet<qint64>& m_duplicates;
    const SessionKeys& m_keys;
    BatchLimits m_limits;
    const std::atomic<bool>* m_stop;
    const std::atomic<bool>* m_cancel;
};

} // namespace ctx
