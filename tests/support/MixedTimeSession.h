#pragma once

#include "core/Error.h"

#include <QList>
#include <QString>

namespace ctx::test {

// A session whose timestamp column holds every shape the server wrote, in rows whose
// storage order (SQLite's: NULL, numbers, then text by its characters) differs from
// their time order: REAL and INTEGER epoch seconds, CURRENT_TIMESTAMP text, ISO with
// +00:00, with other offsets and with Z, a NULL and an unparseable text.
namespace mixed {
inline const QString kSession = QStringLiteral("session_00000000000000aa");
// The ids in true time order (ties by id; NULL first, unparseable last), written down
// by hand from the times below, not computed by the code under test.
const QList<qint64>& idsInTimeOrder();
// The ids as SQLite's own index on (session_id, timestamp) orders them.
const QList<qint64>& idsInStorageOrder();
// The ids of rows sent by "claude-main" or public (what that agent may see), in time order.
QList<qint64> idsVisibleToClaude();
} // namespace mixed

// Adds the session and its rows to a legacy file (writeLegacyFile's schema).
Status addMixedTimeSession(const QString& path);

} // namespace ctx::test
