#pragma once

#include <QStringView>

namespace ctx {

// How a timestamp is stored in a SQLite column.
enum class StoredTimestampShape {
    EpochSeconds, // REAL Unix epoch seconds: 1755691200.123456
    IsoText,      // Python's isoformat() of a UTC time: 2025-08-20T12:00:00.123456+00:00
};

// The shape the server itself (release 1.2.0) writes into each timestamp column of its
// SQLite file (../shared/LEGACY_FORMAT.md, "What the server writes today"). The server
// compares some of those columns as text (token and audit cleanup: `expires_at < '…'`)
// and others as numbers (memory purge: `expires_at < time.time()`), and in SQLite every
// number sorts before every text: a row written in the other shape would be purged at
// once, or never. Whatever Context Studio writes into a server's file follows this.
StoredTimestampShape serverTimestampShape(QStringView table, QStringView column);

} // namespace ctx
