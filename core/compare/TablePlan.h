#pragma once

#include "core/values/RawValue.h"
#include "core/values/TableSpec.h"

#include <QStringList>
#include <optional>
#include <vector>

namespace ctx {

// A primary-key value in the one order both engines agree on: integers numerically,
// text byte-wise (SQLite BINARY, PostgreSQL COLLATE "C").
struct CompareKey {
    bool text = false;
    qint64 integer = 0;
    QByteArray bytes;

    static CompareKey from(const RawValue& value, bool textKey);
    QByteArray toText() const { return text ? bytes : QByteArray::number(integer); }
    int compare(const CompareKey& o) const;
    bool operator<(const CompareKey& o) const { return compare(o) < 0; }
};

// [from, to): an open end when empty.
struct ChunkRange {
    std::optional<CompareKey> from;
    std::optional<CompareKey> to;
};

using RawRow = std::vector<RawValue>;

// How one table is compared: its key, the columns both sides have (key first) and,
// for the server's tables, each column's value rule (TableSpec).
struct TablePlan {
    QString name;
    QString key;
    bool textKey = false;
    QStringList columns;     // compared columns; columns[0] is the key
    QList<ColumnSpec> specs; // value rules, one per column; empty: raw values compared as stored
    bool inA = true;
    bool inB = true;
    // A SQLite side's text key holds NULL or non-text values (a legacy TEXT PRIMARY
    // KEY allows NULL; BLOBs sort after all text): SQLite then orders and bounds the key
    // as bytes, NULL as empty, the order CompareKey uses; otherwise those rows fell
    // outside every bounded chunk and were never compared.
    bool keyAsBytes = false;

    bool normalized() const { return !specs.isEmpty(); }
};

} // namespace ctx
