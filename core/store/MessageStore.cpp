#include "MessageRows.h"
#include "MessageValidation.h"
#include "Store.h"
#include "StoreValues.h"
#include "WriteTransaction.h"

#include <QSet>

namespace ctx {

using namespace store;

const StoreFeatures& MessageStore::features() const {
    if (!m_features)
        m_features = StoreFeatures::detect(m_conn);
    return *m_features;
}

Result<qint64> MessageStore::add(const NewMessage& message) {
    auto metadata = validateNewMessage(message);
    if (!metadata)
        return std::unexpected(metadata.error().withSubject(m_conn.subject()));
    const Dialect& d = m_conn.dialect();
    const bool withType = features().senderType;
    const QString sql =
        QStringLiteral("INSERT INTO messages (session_id, sender, %1content, visibility, "
                       "message_type, metadata, \"timestamp\", parent_message_id) VALUES "
                       "(?, ?, %2?, ?, ?, %3, %4, ?) RETURNING id")
            .arg(withType ? QStringLiteral("sender_type, ") : QString(),
                 withType ? QStringLiteral("?, ") : QString(), d.jsonParameter(),
                 d.timestampParameter());
    QVariantList binds{message.sessionId, message.sender};
    if (withType)
        binds << message.senderType;
    binds << message.content << message.visibility << message.messageType
          << (metadata->isEmpty() ? QVariant() : QVariant(*metadata))
          << d.timestampBinding(nowMicros())
          << (message.parentId ? QVariant(*message.parentId) : QVariant());
    qint64 id = 0;
    auto ok = runWrite(m_conn, [&](WriteAttempt&) -> Status {
        auto session = m_conn.scalar(QStringLiteral("SELECT 1 FROM sessions WHERE id = ?"),
                                     {message.sessionId});
        if (!session)
            return std::unexpected(session.error());
        if (!session->isValid())
            return fail(ErrorCode::NotFound,
                        QStringLiteral("no session '%1'").arg(message.sessionId), m_conn.subject());
        if (message.parentId) {
            auto parent = m_conn.scalar(QStringLiteral("SELECT 1 FROM messages WHERE id = ?"),
                                        {*message.parentId});
            if (!parent)
                return std::unexpected(parent.error());
            if (!parent->isValid())
                return fail(ErrorCode::NotFound,
                            QStringLiteral("no parent message %1").arg(*message.parentId),
                            m_conn.subject());
        }
        auto inserted = m_conn.scalar(sql, binds);
        if (!inserted)
            return std::unexpected(inserted.error());
        id = inserted->toLongLong();
        return {};
    });
    if (!ok)
        return std::unexpected(ok.error());
    return id;
}

Result<Message> MessageStore::get(qint64 id) {
    auto q = m_conn.exec(QStringLiteral("SELECT %1 FROM messages WHERE id = ?")
                             .arg(messageColumns(m_conn.dialect(), features())),
                         {id});
    if (!q)
        return std::unexpected(q.error());
    if (!q->next())
        return fail(ErrorCode::NotFound, QStringLiteral("no message %1").arg(id), m_conn.subject());
    return readMessage(*q);
}

Result<Message> MessageStore::get(qint64 id, const Viewer& viewer) {
    if (auto ok = validateViewer(viewer); !ok)
        return std::unexpected(ok.error().withSubject(m_conn.subject()));
    auto message = get(id);
    if (message && !isVisibleTo(*message, viewer)) // the answer for a message that is not there
        return fail(ErrorCode::NotFound, QStringLiteral("no message %1").arg(id), m_conn.subject());
    return message;
}

Result<MessageThread> MessageStore::thread(qint64 id, const Viewer& viewer) {
    auto message = get(id, viewer);
    if (!message)
        return std::unexpected(message.error());
    MessageThread t;
    t.message = *message;
    // Ancestors: follow parent_message_id (dangling ids and cycles exist in legacy files).
    QSet<qint64> seen{id};
    std::optional<qint64> parent = message->parentId;
    while (parent && !seen.contains(*parent) && seen.size() < 100000) {
        seen.insert(*parent);
        auto p = get(*parent);
        if (!p) {
            if (p.error().code == ErrorCode::NotFound)
                break;
            return std::unexpected(p.error());
        }
        if (isVisibleTo(*p, viewer))
            t.ancestors.prepend(*p);
        parent = p->parentId;
    }
    // Replies, direct and indirect: UNION (not ALL) stops at cycles.
    SqlWhere where;
    where.add(QStringLiteral("m.id IN (SELECT id FROM replies)"));
    where.add(QStringLiteral("m.id <> ?"), {id});
    addVisibility(where, viewer, QStringLiteral("m"));
    const QString sql =
        QStringLiteral("WITH RECURSIVE replies(id) AS (SELECT id FROM messages WHERE "
                       "parent_message_id = ? UNION SELECT c.id FROM messages c JOIN replies r "
                       "ON c.parent_message_id = r.id) SELECT %1 FROM messages m%2 ORDER BY "
                       "m.\"timestamp\", m.id")
            .arg(messageColumns(m_conn.dialect(), features(), QStringLiteral("m")), where.text());
    auto q = m_conn.exec(sql, QVariantList{id} + where.binds);
    if (!q)
        return std::unexpected(q.error());
    while (q->next())
        t.replies << readMessage(*q);
    return t;
}

} // namespace ctx
