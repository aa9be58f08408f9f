#pragma once

#include "core/schema/SchemaInfo.h"
#include "core/transfer/Hazard.h"
#include "core/transfer/SalvageReader.h"

#include <QList>
#include <QString>

namespace ctx {

// One hazard in one column (or whole rows when column is empty), with how often it
// occurs, the first rows that show it and what the migration does about it.
struct HazardEntry {
    QString table;
    QString column;
    Hazard hazard = Hazard::TimestampShape;
    QString detail; // e.g. the timestamp shape or the storage class found
    qint64 count = 0;
    QList<qint64> sampleRowids; // up to 5, for SamplePreview
    QStringList sampleKeys;     // the same rows' keys (ids) as shown
    QString action;
    bool recorded = false; // written to ctx_migration_rejects by the migration
};

struct TableAssessment {
    QString name;
    bool present = false;
    qint64 rows = 0;
    qint64 walOnlyRows = -1; // -1: could not tell
    qint64 payloadBytes = 0; // stored bytes of all values
    // A damaged file (quick_check fails): rows counts the readable rows only, and these
    // rowid ranges cannot be read (what migrate --salvage records).
    QList<UnreadableRange> unreadable;
};

struct AssessReport {
    QString path;
    qint64 fileBytes = 0;
    qint64 walBytes = 0;
    SchemaInfo schema;
    QStringList quickCheck; // {"ok"} when sound
    bool salvaged = false;  // damaged: the rest describes the readable rows
    QList<TableAssessment> tables;
    QList<HazardEntry> hazards;
    qint64 missingSessions = 0; // placeholder sessions the migration will create
    qint64 droppedDuplicates = 0;
    qint64 estimatedTargetBytes = 0;
    double estimatedSeconds = 0;
    qint64 milliseconds = 0;

    bool quickCheckOk() const { return quickCheck == QStringList{QStringLiteral("ok")}; }
    qint64 recordedCount() const;
};

} // namespace ctx
