#pragma once

#include "core/db/Connection.h"

#include <QStringList>

namespace ctx::bench {

inline constexpr const char* kNeedle = "zanzibar"; // in every 1000th message

// Both engines hold the same rows: the demo writer's legacy (3b) file, plus the needle
// word, is migrated into PostgreSQL (ctxdb migrate's engine) and then upgraded in place
// to the current schema. Each returns the session ids, the largest session first, so
// "the big session" is the same session with the same messages on both engines.
Result<QStringList> buildSqlite(const QString& path, qint64 messages, const DatabaseUrl& pg);
// The PostgreSQL side of buildSqlite(), after its migration: statistics and the
// visibility map as autovacuum would leave them.
Result<QStringList> preparePostgres(const DatabaseUrl& url);
// How many messages a session holds.
Result<qint64> messageCount(const DatabaseUrl& url, const QString& sessionId);

} // namespace ctx::bench
