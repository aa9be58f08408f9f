#include "MessageValidation.h"

#include "Store.h"
#include "StoreValues.h"

namespace ctx::store {

bool isKnownVisibility(const QString& v) {
    return v == QLatin1String("public") || v == QLatin1String("private") ||
           v == QLatin1String("agent_only") || v == QLatin1String("admin_only");
}

Result<QString> validateNewMessage(const NewMessage& m) {
    if (!SessionStore::isValidId(m.sessionId))
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("invalid session id '%1' (expected session_ + 16 lowercase "
                                   "hex digits)")
                        .arg(m.sessionId.left(80)));
    if (auto ok = requireText(m.sender, QStringLiteral("sender"), 100); !ok)
        return std::unexpected(ok.error());
    if (auto ok = requireText(m.senderType, QStringLiteral("sender_type"), 50); !ok)
        return std::unexpected(ok.error());
    if (auto ok = requireText(m.content, QStringLiteral("content"), kMaxContentCharacters); !ok)
        return std::unexpected(ok.error());
    if (!isKnownVisibility(m.visibility))
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("invalid visibility '%1' (public, private, agent_only or "
                                   "admin_only)")
                        .arg(m.visibility.left(40)));
    if (auto ok = requireText(m.messageType, QStringLiteral("message_type"), 50); !ok)
        return std::unexpected(ok.error());
    return canonicalJsonObject(m.metadataJson, QStringLiteral("message metadata"));
}

Status validateViewer(const Viewer& viewer) {
    if (!viewer.admin && viewer.agentId.trimmed().isEmpty())
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("an agent viewer needs an agent id (or read as admin)"));
    return {};
}

bool isVisibleTo(const Message& m, const Viewer& viewer) {
    if (viewer.admin || m.visibility == QLatin1String("public"))
        return true;
    return (m.visibility == QLatin1String("private") ||
            m.visibility == QLatin1String("agent_only")) &&
           m.sender == viewer.agentId;
}

} // namespace ctx::store
