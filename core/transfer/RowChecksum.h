#pragma once

#include "RowConverter.h"

namespace ctx {

// Checksums of rows that stay the same from one run, process or machine to the next
// (Qt's qHash does not: it is seeded per process and differs by CPU), fast enough to
// run over every row of a 2 GB source as it is read (several GB/s, 64-bit). Not
// cryptographic: it detects changes, not an adversary who forges them.
class RowChecksum {
public:
    static quint64 bytes(const char* data, qsizetype size, quint64 seed);
    // A source row exactly as read: rowid, then each value's storage class and value.
    static quint64 raw(qint64 rowid, const QList<RawValue>& values);
    // A row as it arrives in PostgreSQL: each value's kind and number or bytes.
    static quint64 target(const QList<TargetValue>& values);
};

// The checksum of a set of rows: the count and the sum of their row checksums, so
// that it does not depend on the order rows are read in and adds up batch by batch.
struct RowSum {
    qint64 rows = 0;
    quint64 sum = 0;
    void add(quint64 rowChecksum) {
        ++rows;
        sum += rowChecksum;
    }
    bool operator==(const RowSum& o) const { return rows == o.rows && sum == o.sum; }
};

} // namespace ctx
