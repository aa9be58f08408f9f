#pragma once

#include "Hazard.h"
#include "core/values/RawValue.h"
#include "core/values/ServerColumnRules.h"
#include "core/values/TableSpec.h"
#include "core/values/ValueNormalizer.h"

#include <QList>

namespace ctx {

// A value as it will arrive in PostgreSQL: its kind (NormalizedValue's kinds) with
// integers and timestamps (UTC microseconds) as numbers, the rest as bytes.
struct TargetValue {
    NormalizedValue::Kind kind = NormalizedValue::Kind::Null;
    qint64 number = 0;
    QByteArray bytes;

    bool isNull() const { return kind == NormalizedValue::Kind::Null; }
    // The same value in the comparison's canonical form.
    NormalizedValue normalized() const;
    QString display() const;
};

// Facts about a row that need the rest of the source to know.
struct RowContext {
    bool sessionMissing = false; // its session_id is not in sessions
    bool parentMissing = false;  // messages: parent_message_id refers to no message
    bool duplicate = false;      // agent_memory: an older duplicate global key
    // sessions: the id this row gets instead of its own (NULL, or equal to another id
    // once cleaned); other tables: the id of the renamed session it refers to.
    const QByteArray* sessionKey = nullptr;
    // secure_tokens: the token_id this row gets (equal to another's once cleaned).
    const QByteArray* tokenId = nullptr;
};

struct ConvertedRow {
    QList<TargetValue> values; // in TableSpec column order
    QList<Finding> findings;
    bool dropped = false; // the row does not arrive (recorded instead)
};

// Converts one legacy row to its PostgreSQL form by the shared value rules
// (core/values), noting every hazard. Used by the assessment (to count and to
// preview) and by the migration (to load and to record rejects).
class RowConverter {
public:
    explicit RowConverter(const TableSpec& spec);
    const TableSpec& spec() const { return m_spec; }

    void convert(const QList<RawValue>& raw, const RowContext& context, ConvertedRow& out) const;
    // The reject row for a recorded finding, with the original bytes deep-copied.
    RejectRecord reject(const QList<RawValue>& raw, const ConvertedRow& row,
                        const Finding& finding) const;
    QString rowKey(const ConvertedRow& row) const;

    static QByteArray originalBytes(const RawValue& value, bool* isNull);

private:
    enum class Role : quint8 { Plain, SenderType, Content, Visibility, Parent, MemoryKey, Session };
    TargetValue convertText(const RawValue& v, int column, bool required,
                            QList<Finding>& findings) const;
    TargetValue convertJson(const RawValue& v, int column, QList<Finding>& findings) const;
    TargetValue convertTimestamp(const RawValue& v, int column, bool required,
                                 QList<Finding>& findings) const;
    TargetValue convertBoolean(const RawValue& v, int column, QList<Finding>& findings) const;
    TargetValue convertInteger(const RawValue& v, int column, QList<Finding>& findings) const;
    TargetValue convertBlob(const RawValue& v, int column, bool required,
                            QList<Finding>& findings) const;
    void applyRole(Role role, const RowContext& context, int column, TargetValue& value,
                   QList<Finding>& findings) const;
    // The server's CHECK or VARCHAR length on a text column (ServerColumnRules);
    // nullFilled: a NULL in a NOT NULL column was already noted for it.
    void applyServerRule(int column, bool nullFilled, ConvertedRow& row) const;
    void applyExpiryRule(ConvertedRow& row) const;

    TableSpec m_spec;
    QList<Role> m_roles;
    QList<bool> m_required; // NOT NULL in the PostgreSQL schema
    QList<ServerColumnRule> m_rules;
    bool m_sessions = false;
    int m_sessionColumn = -1; // session_id of messages, agent_memory, audit_log
    int m_tokenColumn = -1;   // secure_tokens.token_id
    int m_createdColumn = -1; // agent_memory.created_at
    int m_expiresColumn = -1; // agent_memory.expires_at
};

} // namespace ctx
