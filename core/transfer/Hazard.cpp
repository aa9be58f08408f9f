#include "Hazard.h"

namespace ctx {

bool isRecorded(Hazard hazard) {
    return hazard >= Hazard::UnparseableTimestamp;
}

QString hazardReason(Hazard hazard) {
    switch (hazard) {
    case Hazard::TimestampShape:
        return QStringLiteral("timestamp_shape");
    case Hazard::BooleanAsText:
        return QStringLiteral("boolean_as_text");
    case Hazard::StorageTypeMismatch:
        return QStringLiteral("storage_type_mismatch");
    case Hazard::NullSenderType:
        return QStringLiteral("null_sender_type");
    case Hazard::SessionMissing:
        return QStringLiteral("session_missing");
    case Hazard::WalOnlyRows:
        return QStringLiteral("wal_only_rows");
    case Hazard::UnparseableTimestamp:
        return QStringLiteral("unparseable_timestamp");
    case Hazard::InvalidBoolean:
        return QStringLiteral("invalid_boolean");
    case Hazard::InvalidInteger:
        return QStringLiteral("invalid_integer");
    case Hazard::NulBytes:
        return QStringLiteral("nul_bytes");
    case Hazard::InvalidUtf8:
        return QStringLiteral("invalid_utf8");
    case Hazard::ContentTooLong:
        return QStringLiteral("content_too_long");
    case Hazard::KeyTooLong:
        return QStringLiteral("key_too_long");
    case Hazard::InvalidJson:
        return QStringLiteral("invalid_json");
    case Hazard::JsonNulEscape:
        return QStringLiteral("json_nul_escape");
    case Hazard::JsonNumberTooLarge:
        return QStringLiteral("json_number_too_large");
    case Hazard::DanglingParent:
        return QStringLiteral("dangling_parent");
    case Hazard::InvalidVisibility:
        return QStringLiteral("invalid_visibility");
    case Hazard::NullInRequired:
        return QStringLiteral("null_in_required_column");
    case Hazard::DuplicateGlobalKey:
        return QStringLiteral("duplicate_global_key");
    case Hazard::DuplicateMemoryKey:
        return QStringLiteral("duplicate_memory_key");
    case Hazard::SessionIdRenamed:
        return QStringLiteral("session_id_renamed");
    case Hazard::SessionReferenceRenamed:
        return QStringLiteral("session_reference_renamed");
    case Hazard::TokenIdRenamed:
        return QStringLiteral("token_id_renamed");
    case Hazard::RecoveredSession:
        return QStringLiteral("recovered_session");
    case Hazard::UnreadableRange:
        return QStringLiteral("unreadable_range");
    case Hazard::BlankText:
        return QStringLiteral("blank_text");
    case Hazard::TextTooLong:
        return QStringLiteral("text_too_long");
    case Hazard::ExpiryNotAfterCreation:
        return QStringLiteral("expiry_not_after_creation");
    }
    return {};
}

QString hazardAction(Hazard hazard, bool requiredColumn) {
    switch (hazard) {
    case Hazard::TimestampShape:
        return QStringLiteral("converted to TIMESTAMPTZ (UTC)");
    case Hazard::BooleanAsText:
        return QStringLiteral("converted to boolean");
    case Hazard::StorageTypeMismatch:
        return QStringLiteral("converted by the column's type rule");
    case Hazard::NullSenderType:
        return QStringLiteral("stored as 'generic'");
    case Hazard::SessionMissing:
        return QStringLiteral("kept; a placeholder session is created for it");
    case Hazard::WalOnlyRows:
        return QStringLiteral("migrated (the source is read with its WAL)");
    case Hazard::UnparseableTimestamp:
        return requiredColumn ? QStringLiteral("stored as 1970-01-01 00:00:00 UTC (expired); "
                                               "original recorded")
                              : QStringLiteral("stored as NULL; original recorded");
    case Hazard::InvalidBoolean:
        return QStringLiteral("stored as NULL; original recorded");
    case Hazard::InvalidInteger:
        return QStringLiteral("stored as NULL; original recorded");
    case Hazard::NulBytes:
        return QStringLiteral("NUL bytes removed; original recorded");
    case Hazard::InvalidUtf8:
        return QStringLiteral("invalid sequences replaced by U+FFFD; original recorded");
    case Hazard::ContentTooLong:
        return QStringLiteral("truncated to 100,000 characters; original recorded");
    case Hazard::KeyTooLong:
        return QStringLiteral("truncated to 255 characters; original recorded");
    case Hazard::InvalidJson:
        return QStringLiteral("stored as NULL; original recorded");
    case Hazard::JsonNulEscape:
        return QStringLiteral("\\u0000 escapes removed; original recorded");
    case Hazard::JsonNumberTooLarge:
        return QStringLiteral("numbers longer than 1,000 characters stored as JSON strings "
                              "(scientific form); original recorded");
    case Hazard::DanglingParent:
        return QStringLiteral("parent_message_id set to NULL; original recorded");
    case Hazard::InvalidVisibility:
        return QStringLiteral("stored as 'admin_only' (most restrictive); original recorded");
    case Hazard::NullInRequired:
        return requiredColumn ? QStringLiteral("stored as the column's empty value, or as a "
                                               "marker where the server refuses empty text; "
                                               "recorded")
                              : QStringLiteral("stored as empty value; recorded");
    case Hazard::DuplicateGlobalKey:
        return QStringLiteral("older duplicate not loaded (newest kept); row recorded");
    case Hazard::DuplicateMemoryKey:
        return QStringLiteral("older duplicate not loaded (agent, session and key equal to a "
                              "newer row's once cleaned); row recorded");
    case Hazard::SessionIdRenamed:
        return QStringLiteral("stored under a new id (the id is NULL, blank, longer than 255 "
                              "characters, or equals another session's once cleaned); original "
                              "recorded");
    case Hazard::SessionReferenceRenamed:
        return QStringLiteral("refers to its session under that session's new id; original "
                              "recorded");
    case Hazard::TokenIdRenamed:
        return QStringLiteral("stored under a new token_id (blank, longer than 255 characters, "
                              "or equal to another token's once cleaned; it matches no issued "
                              "token); original recorded");
    case Hazard::RecoveredSession:
        return QStringLiteral("placeholder session created (metadata ctx_recovered=true)");
    case Hazard::UnreadableRange:
        return QStringLiteral("not migrated: SQLite cannot read these rows of the damaged file; "
                              "the rowid range and SQLite's error recorded");
    case Hazard::BlankText:
        return QStringLiteral("the server's CHECK refuses empty text: stored as a marker "
                              "('unknown', 'generic', '(empty message in the legacy file)', …); "
                              "original recorded");
    case Hazard::TextTooLong:
        return QStringLiteral("truncated to the column's VARCHAR length; original recorded");
    case Hazard::ExpiryNotAfterCreation:
        return QStringLiteral("expires_at set to created_at + 1 µs (still expired, as it was; "
                              "the server's CHECK wants it after created_at); original recorded");
    }
    return {};
}

} // namespace ctx
