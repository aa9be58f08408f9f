#pragma once

#include "core/db/DatabaseUrl.h"
#include "core/values/ValueNormalizer.h"

#include <QList>
#include <QMap>
#include <QString>
#include <functional>

namespace ctx {

// What `ctxdb diff` and the GUI compare view ask for.
struct DiffOptions {
    DatabaseUrl a;
    DatabaseUrl b;
    QString table;        // empty: every table
    int sampleRows = 0;   // differing rows kept per table for display (--rows N)
    int jobs = 2;         // worker threads, each with its own connection to A and B
    int chunkRows = 5000; // rows per key-range chunk
};

// One schema observation. A Difference makes the databases unequal; a Note is shown
// but expected (legacy shapes, a column added by a later schema version, ...).
struct SchemaFinding {
    enum class Level { Note, Difference };
    Level level = Level::Note;
    QString table; // empty: database-wide
    QString text;
};

// One differing column of one differing row, both sides raw and normalized.
struct ColumnSample {
    QString column;
    RawValue rawA;
    RawValue rawB;
    NormalizedValue normA;
    NormalizedValue normB;
    bool explained = false;
};

struct RowSample {
    enum class Kind { Different, OnlyInA, OnlyInB };
    Kind kind = Kind::Different;
    QByteArray key; // the key as text (decimal integer or text bytes)
    bool explained = false;
    QList<ColumnSample> columns; // differing columns (all columns of the present side for OnlyIn*)
};
QString rowSampleKindName(RowSample::Kind kind);

struct TableDiff {
    QString name;
    QString key;
    bool normalized = true; // false: no value rules known, raw values compared
    bool inA = true;
    bool inB = true;
    QString skipped; // why the data was not compared (no usable key, ...)
    qint64 aRows = 0;
    qint64 bRows = 0;
    qint64 identical = 0;       // same raw representation
    qint64 equalNormalized = 0; // equal only after normalization
    qint64 different = 0;       // on both sides, differing after normalization
    qint64 onlyInA = 0;
    qint64 onlyInB = 0;
    qint64 explained = 0; // differing rows fully explained by recorded rejects
    qint64 chunks = 0;
    qint64 chunksDiffering = 0;
    QMap<QString, qint64> columnDifferences; // column -> differing rows (explained included)
    QList<RowSample> samples;                // ordered by key, at most sampleRows

    qint64 unexplained() const { return different + onlyInA + onlyInB - explained; }
};

struct DiffReport {
    QString a; // redacted
    QString b;
    QString aVersion; // schema version and variant on each side
    QString bVersion;
    QList<SchemaFinding> schema;
    QList<TableDiff> tables;
    qint64 milliseconds = 0;

    qint64 unexplainedRows() const;
    int schemaDifferences() const;
    // True only without unexplained data differences and schema differences.
    bool equal() const { return unexplainedRows() == 0 && schemaDifferences() == 0; }
};

struct DiffProgress {
    QString table;
    qint64 chunksDone = 0;
    qint64 chunksTotal = 0;
    qint64 rowsRead = 0;
};
// Called from worker threads; must be thread-safe and quick.
using DiffProgressCallback = std::function<void(const DiffProgress&)>;

} // namespace ctx
