#pragma once

#include "Hazard.h"
#include "PgLink.h"
#include "RowChecksum.h"

#include <QHash>
#include <QStringList>

namespace ctx {

// A slice of one table, rowids in (after, last], loaded and checkpointed on its own.
struct TransferUnit {
    QString name; // "messages", or "messages#2" when the table is split
    QString table;
    qint64 after = 0;
    qint64 last = 0;
    qint64 sourceRows = 0;
    qint64 rowsDone = 0;
    qint64 lastKey = 0; // rowid of the last row committed
    bool done = false;
    double seconds = 0;
};

// The checksum of the source rows one batch loaded: rowids in (after, last], as read
// (RowChecksum::raw), so that --resume can tell whether they changed since.
struct RangeChecksum {
    QString unit;
    QString table;
    qint64 after = 0;
    qint64 last = 0;
    RowSum source;
};

struct TransferSource {
    QString path;
    qint64 bytes = 0;
    QByteArray fingerprint;
    QString status; // loading, done
};

// What the target holds before a run.
struct TargetState {
    QStringList tables;              // all tables of the current schema
    QStringList nonEmptyTables;      // tables holding rows
    bool unfinishedTransfer = false; // staging tables of a migration that did not finish
    bool finishedTransfer = false;   // ctx_migration_progress says a migration completed
    QByteArray finishedFingerprint;
};

// The migration's own bookkeeping in the target. During the load it lives in
// staging tables (ctx_transfer_*), because schema script 005 creates the final
// ctx_migration_rejects and ctx_migration_progress together with indexes that are
// built only after the load; finish() moves it there in one transaction.
// Every checkpoint is written in the same transaction as the batch it describes.
class TransferStore {
public:
    explicit TransferStore(PgLink& link)
        : m_link(link) {}

    Result<TargetState> inspect();

    Status createStaging();
    Status writeSource(const TransferSource& source);
    Result<TransferSource> readSource();
    Status insertUnits(const QList<TransferUnit>& units);
    Result<QList<TransferUnit>> units();
    Status checkpoint(const TransferUnit& unit);
    Status recordChecksum(const RangeChecksum& range);
    // Every recorded range, by table and rowid; nullopt when the unfinished migration
    // was started by a version that kept none (no ctx_transfer_checksums table).
    Result<std::optional<QList<RangeChecksum>>> checksums();
    Status recordRejects(const QList<RejectRecord>& rejects);

    // Moves the records into ctx_migration_rejects/progress and drops the staging tables.
    Status finish();
    // Reject counts from the final table (or staging while unfinished).
    Result<QHash<QString, qint64>> rejectsBy(const QByteArray& column);

private:
    PgLink& m_link;
};

} // namespace ctx
