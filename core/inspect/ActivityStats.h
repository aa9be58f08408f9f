#pragma once

#include "core/db/Connection.h"
#include "core/store/StoreTypes.h"

#include <QHash>
#include <QList>
#include <QStringList>

namespace ctx {

// Messages per hour per agent over the most recent hours that hold messages.
struct HourlyActivity {
    QList<qint64> hours;                  // start of each hour, Unix seconds, oldest first
    QStringList agents;                   // the busiest first; the rest are summed under "others"
    QHash<QString, QList<qint64>> counts; // agent -> one count per hour
    qint64 total = 0;
    static QString othersLabel() { return QStringLiteral("others"); }
};

class ActivityStats {
public:
    // sessionId empty: the whole database. Counts only the messages the viewer may see
    // (the store's visibility rules, as in the message list).
    static Result<HourlyActivity> messagesPerHour(const Connection& conn, const QString& sessionId,
                                                  const Viewer& viewer, int hours = 48,
                                                  int maxAgents = 8);
};

} // namespace ctx
