#pragma once

#include "RawValue.h"

#include <optional>

namespace ctx {

// The shapes legacy timestamp columns hold, mixed within one column.
enum class TimestampShape {
    Null,
    EpochInteger, // 1735689600
    EpochReal,    // 1735689600.123456
    EpochText,    // '1735689600.5' stored as text
    IsoOffset,    // 2025-08-20T12:00:00.123456+00:00 (any offset)
    IsoZulu,      // 2025-08-20T12:00:00Z
    IsoNaive,     // 2025-08-20T12:00:00 (UTC)
    SqliteText,   // 2025-08-20 12:00:00 (CURRENT_TIMESTAMP, UTC)
    Unparseable,
};
QString timestampShapeName(TimestampShape shape);

struct ParsedTimestamp {
    TimestampShape shape = TimestampShape::Null;
    std::optional<qint64> micros; // UTC microseconds since the epoch; empty when unparseable
};

// One rule for every timestamp shape, used by assessment, migration and comparison:
// a naive time is UTC; fractions are rounded to microseconds as PostgreSQL does.
class Timestamp {
public:
    static ParsedTimestamp parse(const RawValue& value);
    static std::optional<qint64> parseText(const QByteArray& text, TimestampShape* shape = nullptr);
    static qint64 fromEpochSeconds(double seconds);
    // 2025-08-20 12:00:00.123456+00 — PostgreSQL's text input for TIMESTAMPTZ.
    static QByteArray toPostgresText(qint64 micros);
    static QString toIso(qint64 micros); // 2025-08-20T12:00:00.123456Z
    // As the server's Python writes a UTC time, datetime.isoformat():
    // 2025-08-20T12:00:00.123456+00:00, and no fraction when it is zero.
    static QString toServerIso(qint64 micros);
};

} // namespace ctx
