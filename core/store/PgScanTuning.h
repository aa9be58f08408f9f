#pragma once

#include "core/db/Connection.h"

#include <QVariantList>
#include <optional>

namespace ctx::store {

// What makes PostgreSQL's scan without an index (MessageScan::newestFirst) as fast as
// the server can read: a cheaper test of content in front of the exact one, and plan
// settings for the ranges of ids, in a transaction of the scan's own.
//
// Where the time went (1M messages of 1.3 KB, one core): lower() under the column's
// collation widens every character and folds it with towlower(), about 7.7 s for the
// table; decompressing content (lz4) and strpos() itself cost about 1.7 s; ILIKE
// lowers as lower() does. lower() under the "C" collation folds ASCII bytes only,
// about 4 s with the same decompression and strpos().
class PgScanTuning {
public:
    // The needle in content, case-insensitively, as the server's lower() finds it
    // (`strpos(lower(content), lower(needle)) > 0`); when the ASCII fold finding it is
    // a necessary condition (asciiFoldIsNecessary), that cheaper test runs first and
    // the exact one only where it passed. `column` is qualified, e.g. "m.content".
    struct Condition {
        QString sql;
        QVariantList binds;
    };
    static Condition contentMatch(const QString& column, const QString& needle);
    // Whether every text that lower() under any collation finds `needle` in also holds
    // it under an ASCII-only fold: the needle is ASCII without i or k. Folding maps
    // each ASCII character to one of its own case class (Turkish I to dotless ı at
    // most), and the only other characters that lower to or with an ASCII letter or ı
    // are İ (to i, or i and a combining dot), the Kelvin sign (to k), ı itself, the
    // Turkish I with a combining dot (to i) and Lithuanian Ì, Í, Ĩ (to i, a dot and
    // the accent): all about i or k.
    static bool asciiFoldIsNecessary(const QString& needle);

    explicit PgScanTuning(const Connection& conn)
        : m_conn(conn) {}
    ~PgScanTuning(); // ends the scan's transaction (it only read)
    PgScanTuning(const PgScanTuning&) = delete;
    PgScanTuning& operator=(const PgScanTuning&) = delete;
    // Opens the scan's transaction, without JIT (80-100 ms of compiling per range, for
    // expressions whose time is spent in lower()). Nothing is changed when the caller
    // is inside a transaction already: its settings would outlive the scan.
    Status begin();
    // A range expected to hold fewer matches than are still wanted is read to its end
    // anyway: it may then use the server's parallel plan (a backward index scan stops
    // at the LIMIT early but runs in one process). `whole` false: the index scan.
    Status readWholeRange(bool whole);

private:
    const Connection& m_conn;
    bool m_began = false;
    std::optional<bool> m_whole;
};

} // namespace ctx::store
