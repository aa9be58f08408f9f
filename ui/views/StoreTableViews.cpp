// The memory, audit and token views: loaders over the store, nothing else.
#include "RecordListView.h"

#include "core/store/Store.h"

#include <QDateTime>

namespace ctx::ui {

namespace {
QVariant utcText(std::optional<qint64> micros) {
    if (!micros)
        return QString();
    return QDateTime::fromMSecsSinceEpoch(*micros / 1000, Qt::UTC)
        .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

qint64 nowMicros() {
    return QDateTime::currentMSecsSinceEpoch() * 1000;
}

QString remaining(std::optional<qint64> expiresAt) {
    if (!expiresAt)
        return QObject::tr("never expires");
    const qint64 left = (*expiresAt - nowMicros()) / 1000000;
    if (left <= 0)
        return QObject::tr("expired");
    if (left < 3600)
        return QObject::tr("%1 min").arg((left + 59) / 60);
    if (left < 86400)
        return QObject::tr("%1 h %2 min").arg(left / 3600).arg((left % 3600) / 60);
    return QObject::tr("%1 d %2 h").arg(left / 86400).arg((left % 86400) / 3600);
}

std::optional<qint64> parseUtc(const QString& text) {
    if (text.isEmpty())
        return std::nullopt;
    QDateTime t = QDateTime::fromString(text, Qt::ISODate);
    if (!t.isValid())
        return std::nullopt;
    if (t.timeSpec() == Qt::LocalTime)
        t.setTimeSpec(Qt::UTC);
    return t.toMSecsSinceEpoch() * 1000;
}
} // namespace

RecordListView* makeMemoryView(QWidget* parent) {
    return new RecordListView(
        {QObject::tr("Agent"), QObject::tr("Scope"), QObject::tr("Key"), QObject::tr("Value"),
         QObject::tr("Updated (UTC)"), QObject::tr("Expires (UTC)"), QObject::tr("TTL left")},
        {QObject::tr("agent"), QObject::tr("session id (empty: all)"), QObject::tr("key prefix")},
        [](const Connection& conn, const QStringList& f) -> Result<QList<RecordRow>> {
            MemoryQuery q;
            q.agentId = f.value(0);
            q.sessionId = f.value(1);
            q.prefix = f.value(2);
            q.limit = 5000;
            q.includeExpired = true;
            auto entries = MemoryStore(conn).list(q);
            if (!entries)
                return std::unexpected(entries.error());
            QList<RecordRow> rows;
            const qint64 now = nowMicros();
            for (const MemoryEntry& e : *entries) {
                RecordRow r;
                r.values = {e.agentId,
                            e.sessionId.isEmpty() ? QObject::tr("global") : e.sessionId,
                            e.key,
                            e.value.left(300),
                            utcText(e.updatedAt ? e.updatedAt : e.createdAt),
                            utcText(e.expiresAt),
                            remaining(e.expiresAt)};
                r.key = e.id;
                r.dimmed = e.expiresAt && *e.expiresAt <= now;
                r.toolTip = e.value.left(2000);
                rows << r;
            }
            return rows;
        },
        parent);
}

RecordListView* makeAuditView(QWidget* parent) {
    return new RecordListView(
        {QObject::tr("Time (UTC)"), QObject::tr("Event"), QObject::tr("Agent"),
         QObject::tr("Session"), QObject::tr("Resource"), QObject::tr("Action"),
         QObject::tr("Result"), QObject::tr("Metadata")},
        {QObject::tr("agent"), QObject::tr("event type"), QObject::tr("session id"),
         QObject::tr("since (ISO, UTC)"), QObject::tr("until (ISO, UTC)")},
        [](const Connection& conn, const QStringList& f) -> Result<QList<RecordRow>> {
            AuditQuery q;
            q.agentId = f.value(0);
            q.eventType = f.value(1);
            q.sessionId = f.value(2);
            q.since = parseUtc(f.value(3));
            q.until = parseUtc(f.value(4));
            q.limit = 5000;
            auto events = AuditStore(conn).query(q);
            if (!events)
                return std::unexpected(events.error());
            QList<RecordRow> rows;
            for (const AuditEvent& e : *events) {
                RecordRow r;
                r.values = {utcText(e.timestamp), e.eventType, e.agentId, e.sessionId,
                            e.resource,           e.action,    e.result,  e.metadataJson};
                r.key = e.id;
                rows << r;
            }
            return rows;
        },
        parent);
}

RecordListView* makeTokensView(QWidget* parent) {
    return new RecordListView(
        {QObject::tr("Token id"), QObject::tr("Agent"), QObject::tr("Encrypted bytes"),
         QObject::tr("Created (UTC)"), QObject::tr("Expires (UTC)"), QObject::tr("State")},
        {QObject::tr("agent")},
        [](const Connection& conn, const QStringList& f) -> Result<QList<RecordRow>> {
            auto tokens = TokenStore(conn).list(f.value(0), 5000);
            if (!tokens)
                return std::unexpected(tokens.error());
            QList<RecordRow> rows;
            for (const TokenInfo& t : *tokens) {
                RecordRow r;
                r.values = {t.tokenId,
                            t.agentId,
                            QObject::tr("%n byte(s)", nullptr, int(t.byteLength)),
                            utcText(t.createdAt),
                            utcText(t.expiresAt),
                            t.expired ? QObject::tr("expired") : QObject::tr("valid")};
                r.key = t.id;
                r.dimmed = t.expired;
                rows << r;
            }
            return rows;
        },
        parent);
}

} // namespace ctx::ui
