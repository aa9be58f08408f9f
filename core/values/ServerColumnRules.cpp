#include "ServerColumnRules.h"

#include "TextBytes.h"

#include <QCryptographicHash>
#include <QHash>

namespace ctx {

namespace {

struct Entry {
    const char* table;
    const char* column;
    ServerColumnRule rule;
};

const QHash<QString, ServerColumnRule>& rules() {
    static const QHash<QString, ServerColumnRule> byName = [] {
        const QByteArray unknown = "unknown";
        const Entry entries[] = {
            {"sessions", "id", {255, false, true, {}}},
            {"sessions", "purpose", {0, true, false, "(no purpose in the legacy file)"}},
            {"sessions", "created_by", {255, true, false, unknown}},
            {"messages", "session_id", {255, true, true, {}}},
            {"messages", "sender", {255, true, false, unknown}},
            {"messages", "sender_type", {50, true, false, "generic"}},
            {"messages", "content", {0, true, false, "(empty message in the legacy file)"}},
            {"messages", "visibility", {20, false, false, {}}},
            {"messages", "message_type", {50, false, false, {}}},
            {"agent_memory", "agent_id", {255, true, false, unknown}},
            {"agent_memory", "session_id", {255, false, true, {}}},
            {"agent_memory", "key", {255, true, false, "ctx_blank_key_%1"}},
            {"agent_memory", "value", {0, true, false, "(empty value in the legacy file)"}},
            {"audit_log", "event_type", {100, true, false, unknown}},
            {"audit_log", "agent_id", {255, true, false, unknown}},
            {"audit_log", "session_id", {255, false, true, {}}},
            {"audit_log", "resource", {255, false, false, {}}},
            {"audit_log", "action", {100, false, false, {}}},
            {"audit_log", "result", {100, false, false, {}}},
            {"secure_tokens", "token_id", {255, true, true, {}}},
            {"secure_tokens", "agent_id", {255, true, false, unknown}},
        };
        QHash<QString, ServerColumnRule> h;
        for (const Entry& e : entries)
            h.insert(QLatin1String(e.table) + QLatin1Char('.') + QLatin1String(e.column), e.rule);
        return h;
    }();
    return byName;
}

} // namespace

ServerColumnRule ServerColumnRules::of(const QString& table, const QString& column) {
    return rules().value(table + QLatin1Char('.') + column);
}

bool ServerColumnRules::isBlank(const QByteArray& utf8) {
    for (char c : utf8)
        if (c != ' ')
            return false;
    return true;
}

bool ServerColumnRules::isKeyForm(const QByteArray& utf8) {
    return !isBlank(utf8) &&
           (utf8.size() <= kKeyChars || TextBytes::characterCount(utf8) <= kKeyChars);
}

QByteArray ServerColumnRules::keyForm(const QByteArray& utf8) {
    if (isBlank(utf8))
        return "ctx_blank_id_" + QByteArray::number(utf8.size());
    if (isKeyForm(utf8))
        return utf8;
    const QByteArray hash =
        QCryptographicHash::hash(utf8, QCryptographicHash::Sha256).toHex().left(16);
    return TextBytes::truncatedToCharacters(utf8, 200) + '~' + hash;
}

std::optional<QByteArray> ServerColumnRules::changed(const ServerColumnRule& rule,
                                                     const QByteArray& utf8, qint64 rowKey) {
    if (rule.key)
        return isKeyForm(utf8) ? std::nullopt : std::optional<QByteArray>(keyForm(utf8));
    if (rule.notBlank && isBlank(utf8)) {
        QByteArray marker = rule.marker;
        return marker.replace("%1", QByteArray::number(rowKey));
    }
    if (rule.maxChars > 0 && utf8.size() > rule.maxChars &&
        TextBytes::characterCount(utf8) > rule.maxChars)
        return TextBytes::truncatedToCharacters(utf8, rule.maxChars);
    return std::nullopt;
}

} // namespace ctx
