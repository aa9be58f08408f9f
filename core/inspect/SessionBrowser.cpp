#include "SessionBrowser.h"

#include "core/values/Timestamp.h"

namespace ctx {

Result<QList<SessionInfo>> SessionBrowser::quickList(const Connection& conn, int limit) {
    const Dialect& d = conn.dialect();
    auto q = conn.exec(QStringLiteral("SELECT id, purpose, created_by, CAST(is_active AS TEXT), "
                                      "%1 FROM sessions ORDER BY id LIMIT ?")
                           .arg(d.timestampSelect(QStringLiteral("created_at"))),
                       {std::max(1, limit)});
    if (!q)
        return std::unexpected(q.error());
    QList<SessionInfo> out;
    while (q->next()) {
        SessionInfo s;
        s.id = q->value(0).toString();
        s.purpose = q->value(1).toString();
        s.createdBy = q->value(2).toString();
        const QString active = q->value(3).toString().toLower();
        s.active = !(active == QLatin1String("0") || active == QLatin1String("false") ||
                     active == QLatin1String("f"));
        if (!q->value(4).isNull())
            s.createdAt = Timestamp::parse(RawValue::fromVariant(q->value(4))).micros;
        s.messageCount = -1;
        out << s;
    }
    return out;
}

} // namespace ctx
