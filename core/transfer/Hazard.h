#pragma once

#include <QByteArray>
#include <QString>

namespace ctx {

// Everything a legacy value or row can need beyond a plain copy. Notes are
// conversions by rule (counted by the assessment); the others change or drop a
// value and are recorded in ctx_migration_rejects with the original bytes.
enum class Hazard : quint8 {
    // notes
    TimestampShape,      // detail: the TimestampShape
    BooleanAsText,       // 'true', 't', '1' stored as text
    StorageTypeMismatch, // detail: the StorageType found
    NullSenderType,      // NULL or missing sender_type
    SessionMissing,      // the row refers to a session the source lacks
    WalOnlyRows,         // rows that live only in the -wal file (assessment)
    // recorded
    UnparseableTimestamp,
    InvalidBoolean,
    InvalidInteger,
    NulBytes,
    InvalidUtf8,
    ContentTooLong,
    KeyTooLong,
    InvalidJson,
    JsonNulEscape,
    JsonNumberTooLarge, // a number PostgreSQL refuses or would expand (1e200000)
    DanglingParent,
    InvalidVisibility,
    NullInRequired,
    DuplicateGlobalKey,
    DuplicateMemoryKey,      // agent, session and key equal to a newer row's once cleaned
    SessionIdRenamed,        // a NULL session id, or one equal to another once cleaned
    SessionReferenceRenamed, // a reference to such a session follows it
    TokenIdRenamed,          // a token_id equal to another's once cleaned
    RecoveredSession,        // a placeholder session the migration created
    UnreadableRange,         // rows of a damaged file SQLite cannot read (--salvage)
    // The server's CHECKs and lengths (ServerColumnRules), one rule each.
    BlankText,              // empty or spaces only where a *_not_empty CHECK refuses it
    TextTooLong,            // longer than the column's VARCHAR(n); detail: n
    ExpiryNotAfterCreation, // agent_memory.expires_at not after created_at
};

bool isRecorded(Hazard hazard);
// Stable reason code stored in ctx_migration_rejects.reason and used in reports.
QString hazardReason(Hazard hazard);
// What the migration does about it, in words.
QString hazardAction(Hazard hazard, bool requiredColumn = false);

// One hazard found in one row; column -1 means the whole row.
struct Finding {
    int column = -1;
    Hazard hazard = Hazard::TimestampShape;
    quint8 detail = 0;
};

// One row of ctx_migration_rejects.
struct RejectRecord {
    QString table;
    QString rowKey;
    QString column; // empty: the whole row
    QByteArray original;
    bool originalIsNull = false;
    QString reason;
    QString action;
};

inline constexpr qsizetype kMaxContentCharacters = 100000;
inline constexpr qsizetype kMaxKeyCharacters = 255;
inline const QByteArray kRecoveredPurpose = "Recovered: session missing in source";

} // namespace ctx
