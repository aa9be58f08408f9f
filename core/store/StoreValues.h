#pragma once

#include "core/Error.h"

#include <QString>
#include <QVariant>
#include <optional>

namespace ctx::store {

// The current time, UTC microseconds since the epoch.
qint64 nowMicros();
// A stored timestamp in any shape (REAL/INTEGER epoch, ISO text, CURRENT_TIMESTAMP
// text, PostgreSQL text form) as UTC microseconds; empty when NULL or unparseable.
std::optional<qint64> readTimestamp(const QVariant& value);
// is_active as the server wrote it: 1/0, 'true'/'false', 't'/'f'; NULL is the default.
bool readBool(const QVariant& value, bool fallback);
QString readText(const QVariant& value);
std::optional<qint64> readOptionalId(const QVariant& value);
// Unicode characters, as SQLite length() and PostgreSQL char_length() count them.
qint64 characterCount(const QString& text);

// Validates a JSON object given by a caller and returns its canonical compact text
// (empty input gives an empty result: stored as NULL or the table's default).
Result<QString> canonicalJsonObject(const QString& json, const QString& what);
// Text that must hold something besides whitespace, at most maxChars characters.
Status requireText(const QString& value, const QString& what, qint64 maxChars);

} // namespace ctx::store
