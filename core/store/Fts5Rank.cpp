#include "Fts5Rank.h"

#include <QVarLengthArray>
#include <cmath>
#include <sqlite3.h>

namespace ctx::store {

namespace {

constexpr double kK1 = 1.2;
constexpr double kB = 0.75;

fts5_api* fts5Api(sqlite3* db) {
    fts5_api* api = nullptr;
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, nullptr) == SQLITE_OK) {
        sqlite3_bind_pointer(st, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
        sqlite3_step(st);
    }
    sqlite3_finalize(st);
    return api;
}

void rank(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* result, int argc,
          sqlite3_value** argv) {
    const int phrases = api->xPhraseCount(fts);
    if (argc != phrases) {
        sqlite3_result_error(result, "ctx_rank: one idf argument per phrase expected", -1);
        return;
    }
    sqlite3_int64 rows = 0;
    sqlite3_int64 tokens = 0;
    int docTokens = 0;
    int instances = 0;
    int rc = api->xRowCount(fts, &rows);
    if (rc == SQLITE_OK)
        rc = api->xColumnTotalSize(fts, -1, &tokens);
    if (rc == SQLITE_OK)
        rc = api->xColumnSize(fts, -1, &docTokens);
    if (rc == SQLITE_OK)
        rc = api->xInstCount(fts, &instances);
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(result, rc);
        return;
    }
    QVarLengthArray<double, 8> frequency(phrases);
    std::fill(frequency.begin(), frequency.end(), 0.0);
    for (int i = 0; i < instances; ++i) {
        int phrase = 0, column = 0, offset = 0;
        if (api->xInst(fts, i, &phrase, &column, &offset) == SQLITE_OK && phrase >= 0 &&
            phrase < phrases)
            frequency[phrase] += 1.0;
    }
    const double average = rows > 0 ? double(tokens) / double(rows) : 1.0;
    const double norm = kK1 * (1.0 - kB + kB * double(docTokens) / std::max(average, 1e-9));
    double score = 0.0;
    for (int p = 0; p < phrases; ++p)
        score += sqlite3_value_double(argv[p]) * frequency[p] * (kK1 + 1.0) / (frequency[p] + norm);
    sqlite3_result_double(result, -score);
}

} // namespace

double Fts5Rank::idf(qint64 rows, qint64 rowsWithWord) {
    const double value =
        std::log((double(rows - rowsWithWord) + 0.5) / (double(rowsWithWord) + 0.5));
    return value <= 0.0 ? 1e-6 : value; // as bm25(): a word in most rows still counts
}

Status Fts5Rank::install(sqlite3* db) {
    fts5_api* api = fts5Api(db);
    if (!api || api->xCreateFunction(api, kFunction, nullptr, &rank, nullptr) != SQLITE_OK)
        return fail(ErrorCode::QueryFailed,
                    QStringLiteral("full-text index: cannot register %1: %2")
                        .arg(QLatin1String(kFunction), QString::fromUtf8(sqlite3_errmsg(db))));
    return {};
}

} // namespace ctx::store
