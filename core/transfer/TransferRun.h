#pragma once

#include "MigrateTypes.h"

#include <QElapsedTimer>
#include <QMutex>

namespace ctx {

// The load phase: --jobs worker threads take units (largest first); each opens its
// own read-only snapshot of the source (checked to be the same snapshot by its
// fingerprint) and its own PostgreSQL connection. The first failure stops the
// others at their next batch; committed batches stay, so --resume continues.
class TransferRun {
public:
    TransferRun(const MigrateOptions& options, const QByteArray& fingerprint,
                const QSet<qint64>& duplicates, const SessionKeys& keys)
        : m_options(options)
        , m_fingerprint(fingerprint)
        , m_duplicates(duplicates)
        , m_keys(keys) {}

    Status execute(QList<TransferUnit> units);

private:
    void worker();
    Status workOn(PgLink& link, const SourceSnapshot& source);
    bool takeUnit(TransferUnit* unit);
    void batchDone(const TransferUnit& unit, qint64 rows);
    void failWith(const Error& e);

    const MigrateOptions& m_options;
    QByteArray m_fingerprint;
    const QSet<qint64>& m_duplicates;
    const SessionKeys& m_keys;
    QMutex m_mutex;
    QList<TransferUnit> m_queue;
    QHash<QString, qint64> m_done, m_total;
    qint64 m_rowsThisRun = 0, m_rowsLeftAtStart = 0;
    QElapsedTimer m_timer;
    qint64 m_lastEventMs = -1000;
    std::atomic<bool> m_stop{false};
    std::optional<Error> m_error;
};

} // namespace ctx
