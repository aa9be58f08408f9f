#include "Store.h"
#include "StoreValues.h"

namespace ctx {

using namespace store;

const StoreFeatures& TokenStore::features() const {
    if (!m_features)
        m_features = StoreFeatures::detect(m_conn);
    return *m_features;
}

Result<QList<TokenInfo>> TokenStore::list(const QString& agentId, int limit) {
    if (limit < 1)
        return fail(ErrorCode::InvalidArgument, QStringLiteral("limit must be at least 1"),
                    m_conn.subject());
    QList<TokenInfo> out;
    if (!features().secureTokens) // version 1 and 2 files, and some that say 3
        return out;
    const Dialect& d = m_conn.dialect();
    QVariantList binds;
    QString where;
    if (!agentId.isEmpty()) {
        where = QStringLiteral(" WHERE agent_id = ?");
        binds << agentId;
    }
    binds << limit;
    // The encrypted bytes stay in the database: only their length is read.
    auto q = m_conn.exec(QStringLiteral("SELECT id, token_id, agent_id, %1, %2, %3 FROM "
                                        "secure_tokens%4 ORDER BY id LIMIT ?")
                             .arg(d.byteLengthOf(QStringLiteral("encrypted_jwt")),
                                  d.timestampSelect(QStringLiteral("created_at")),
                                  d.timestampSelect(QStringLiteral("expires_at")), where),
                         binds);
    if (!q)
        return std::unexpected(q.error());
    const qint64 now = nowMicros();
    while (q->next()) {
        TokenInfo t;
        t.id = q->value(0).toLongLong();
        t.tokenId = readText(q->value(1));
        t.agentId = readText(q->value(2));
        t.byteLength = q->value(3).toLongLong();
        t.createdAt = readTimestamp(q->value(4));
        t.expiresAt = readTimestamp(q->value(5));
        t.expired = t.expiresAt && *t.expiresAt <= now;
        out << t;
    }
    return out;
}

} // namespace ctx
