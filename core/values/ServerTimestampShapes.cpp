#include "ServerTimestampShapes.h"

namespace ctx {

StoredTimestampShape serverTimestampShape(QStringView table, QStringView column) {
    // Text: agent_memory.updated_at, audit_log.timestamp, secure_tokens.expires_at and
    // created_at. REAL: sessions' times, messages.timestamp, agent_memory.created_at and
    // expires_at (the memory purge compares them with a float).
    if (table == QStringView(u"audit_log") || table == QStringView(u"secure_tokens"))
        return StoredTimestampShape::IsoText;
    if (table == QStringView(u"agent_memory") && column == QStringView(u"updated_at"))
        return StoredTimestampShape::IsoText;
    return StoredTimestampShape::EpochSeconds;
}

} // namespace ctx
