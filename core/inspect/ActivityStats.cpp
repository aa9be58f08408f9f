#include "ActivityStats.h"

#include "core/store/MessageRows.h"
#include "core/store/MessageValidation.h"

#include <QMap>
#include <algorithm>

namespace ctx {

Result<HourlyActivity> ActivityStats::messagesPerHour(const Connection& conn,
                                                      const QString& sessionId,
                                                      const Viewer& viewer, int hours,
                                                      int maxAgents) {
    if (auto ok = store::validateViewer(viewer); !ok)
        return std::unexpected(ok.error().withSubject(conn.subject()));
    HourlyActivity activity;
    const QString epoch = conn.dialect().epochSecondsOf(QStringLiteral("timestamp"));
    // CAST to an integer then integer division: an hour bucket on both engines.
    const QString bucket = QStringLiteral("(CAST(%1 AS BIGINT) / 3600)").arg(epoch);
    store::SqlWhere filter;
    filter.add(QStringLiteral("1 = 1"));
    if (!sessionId.isEmpty())
        filter.add(QStringLiteral("session_id = ?"), {sessionId});
    store::addVisibility(filter, viewer);
    const QString where = filter.conditions.join(QStringLiteral(" AND "));
    const QVariantList binds = filter.binds;

    auto last = conn.scalar(
        QStringLiteral("SELECT MAX(%1) FROM messages WHERE %2").arg(bucket, where), binds);
    if (!last)
        return std::unexpected(last.error());
    if (last->isNull())
        return activity;
    const qint64 lastHour = last->toLongLong();
    const qint64 firstHour = lastHour - hours + 1;

    QVariantList rangeBinds = binds;
    rangeBinds << double(firstHour) * 3600.0;
    auto rows = conn.exec(QStringLiteral("SELECT COALESCE(sender, ''), %1, COUNT(*) FROM messages "
                                         "WHERE %2 AND %3 >= ? GROUP BY 1, 2")
                              .arg(bucket, where, epoch),
                          rangeBinds);
    if (!rows)
        return std::unexpected(rows.error());

    QHash<QString, QMap<qint64, qint64>> perAgent;
    QHash<QString, qint64> totals;
    while (rows->next()) {
        const QString agent = rows->value(0).toString();
        const qint64 hour = rows->value(1).toLongLong();
        const qint64 n = rows->value(2).toLongLong();
        if (hour < firstHour || hour > lastHour)
            continue;
        perAgent[agent][hour] += n;
        totals[agent] += n;
        activity.total += n;
    }
    QStringList agents = totals.keys();
    std::sort(agents.begin(), agents.end(), [&](const QString& a, const QString& b) {
        return totals.value(a) != totals.value(b) ? totals.value(a) > totals.value(b) : a < b;
    });
    const bool needOthers = agents.size() > maxAgents;
    for (qint64 h = firstHour; h <= lastHour; ++h)
        activity.hours << h * 3600;
    for (int i = 0; i < agents.size(); ++i) {
        const QString label =
            (needOthers && i >= maxAgents - 1) ? HourlyActivity::othersLabel() : agents.at(i);
        if (!activity.counts.contains(label)) {
            activity.agents << label;
            activity.counts.insert(label, QList<qint64>(hours, 0));
        }
        auto& counts = activity.counts[label];
        const auto& byHour = perAgent.value(agents.at(i));
        for (auto it = byHour.cbegin(); it != byHour.cend(); ++it)
            counts[int(it.key() - firstHour)] += it.value();
    }
    return activity;
}

} // namespace ctx
