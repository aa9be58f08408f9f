#pragma once

#include "core/Error.h"

struct sqlite3;

namespace ctx::store {

// ctx_rank(fts_table, idf1, idf2, ...): FTS5's bm25() with each word's inverse document
// frequency given by the caller instead of counted over the whole index. bm25() counts,
// for every query, the rows holding each word: a walk over the word's whole doclist
// (60 ms at a million messages, ten times that at ten million, for a word in most
// messages). A search ranks only the newest matches and estimates the frequencies from
// the newest ids, so its cost no longer grows with the database. Same formula as bm25()
// (k1 = 1.2, b = 0.75, every column weighted 1), lower is better; given the exact
// frequencies it orders rows exactly as bm25() does.
class Fts5Rank {
public:
    static constexpr const char* kFunction = "ctx_rank";
    // Registers ctx_rank on this connection's FTS5 (again is harmless).
    static Status install(sqlite3* db);
    // FTS5's idf for a word found in `rowsWithWord` of `rows` rows.
    static double idf(qint64 rows, qint64 rowsWithWord);
};

} // namespace ctx::store
