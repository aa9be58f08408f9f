#include "TableSpec.h"

namespace ctx {

QString logicalTypeName(LogicalType type) {
    switch (type) {
    case LogicalType::Integer:
        return QStringLiteral("integer");
    case LogicalType::Text:
        return QStringLiteral("text");
    case LogicalType::Boolean:
        return QStringLiteral("boolean");
    case LogicalType::Timestamp:
        return QStringLiteral("timestamp");
    case LogicalType::Json:
        return QStringLiteral("json");
    case LogicalType::Blob:
        return QStringLiteral("blob");
    }
    return {};
}

const ColumnSpec* TableSpec::column(const QString& n) const {
    for (const ColumnSpec& c : columns)
        if (c.name == n)
            return &c;
    return nullptr;
}

QStringList TableSpec::columnNames() const {
    QStringList names;
    for (const ColumnSpec& c : columns)
        names << c.name;
    return names;
}

const QList<TableSpec>& sharedContextTables() {
    using L = LogicalType;
    static const QList<TableSpec> tables{
        {"sessions",
         "id",
         true,
         {{"id", L::Text, false},
          {"purpose", L::Text, false},
          {"created_at", L::Timestamp},
          {"updated_at", L::Timestamp},
          {"is_active", L::Boolean},
          {"created_by", L::Text, false},
          {"metadata", L::Json}}},
        {"messages",
         "id",
         false,
         {{"id", L::Integer, false},
          {"session_id", L::Text, false},
          {"sender", L::Text, false},
          {"sender_type", L::Text, true, "generic"},
          {"content", L::Text, false},
          {"visibility", L::Text},
          {"message_type", L::Text},
          {"metadata", L::Json},
          {"timestamp", L::Timestamp},
          {"parent_message_id", L::Integer}}},
        {"agent_memory",
         "id",
         false,
         {{"id", L::Integer, false},
          {"agent_id", L::Text, false},
          {"session_id", L::Text},
          {"key", L::Text, false},
          {"value", L::Text, false},
          {"metadata", L::Json},
          {"created_at", L::Timestamp},
          {"updated_at", L::Timestamp},
          {"expires_at", L::Timestamp}}},
        {"audit_log",
         "id",
         false,
         {{"id", L::Integer, false},
          {"timestamp", L::Timestamp},
          {"event_type", L::Text, false},
          {"agent_id", L::Text, false},
          {"session_id", L::Text},
          {"resource", L::Text},
          {"action", L::Text},
          {"result", L::Text},
          {"metadata", L::Json}}},
        {"secure_tokens",
         "id",
         false,
         {{"id", L::Integer, false},
          {"token_id", L::Text, false},
          {"encrypted_jwt", L::Blob, false},
          {"agent_id", L::Text, false},
          {"expires_at", L::Timestamp, false},
          {"created_at", L::Timestamp}}},
    };
    return tables;
}

const TableSpec* findTable(const QString& name) {
    for (const TableSpec& t : sharedContextTables())
        if (t.name == name)
            return &t;
    return nullptr;
}

} // namespace ctx
