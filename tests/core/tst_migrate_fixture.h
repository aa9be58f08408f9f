#pragma once
// Hazards planted into legacy fixtures, shared by tst_assess and tst_migrate: every
// value shape LEGACY_FORMAT.md says real files hold, with the ids the tests expect.

#include "support/LegacyFixtures.h"

#include <QStringList>

// QVERIFY2 evaluates its message even when the check passes: only ask a failed result.
#define CTX_VERIFY_OK(r)                                                                           \
    QVERIFY2((r).has_value(), (r).has_value() ? "" : qPrintable((r).error().oneLine()))

namespace ctx::test::hazards {

inline const QString kMissingSession = QStringLiteral("session_missing000000000");
inline const QString kGoneSession = QStringLiteral("session_gone0000000000000");
constexpr int kFirstPlanted = 7; // messages 7..15 are planted
constexpr int kLastPlanted = 15;

inline bool hasSenderType(LegacyVersion v) {
    return v != LegacyVersion::V1;
}
inline bool hasTokens(LegacyVersion v) {
    return v == LegacyVersion::V3a || v == LegacyVersion::V3b;
}
// 3b's partial unique index forbids duplicate global keys; the others let them in.
inline bool allowsDuplicateGlobalKeys(LegacyVersion v) {
    return v != LegacyVersion::V3b;
}

inline QString message(LegacyVersion v, int id, const QString& session, const QString& sender,
                       const QString& senderType, const QString& content, const QString& metadata,
                       const QString& timestamp, const QString& parent = QStringLiteral("NULL")) {
    if (!hasSenderType(v))
        return QStringLiteral("INSERT INTO messages (id, session_id, sender, content, visibility, "
                              "message_type, metadata, timestamp, parent_message_id) VALUES (%1, "
                              "%2, %3, %4, 'public', 'agent_response', %5, %6, %7)")
            .arg(id)
            .arg(session, sender, content, metadata, timestamp, parent);
    return QStringLiteral("INSERT INTO messages (id, session_id, sender, sender_type, content, "
                          "visibility, message_type, metadata, timestamp, parent_message_id) "
                          "VALUES (%1, %2, %3, %4, %5, 'public', 'agent_response', %6, %7, %8)")
        .arg(id)
        .arg(session, sender, senderType, content, metadata, timestamp, parent);
}

// Plants every hazard the version can hold. Expected findings (V3a): see the tests.
inline QStringList statements(LegacyVersion v) {
    const QString a = QLatin1Char('\'') + fixture::kSessionA + QLatin1Char('\'');
    const QString missing = QLatin1Char('\'') + kMissingSession + QLatin1Char('\'');
    QStringList s{QStringLiteral("PRAGMA ignore_check_constraints = 1")};
    s << message(v, 7, missing, "'orphan-agent'", "'claude'",
                 "CAST(X'48656c6c6f00776f726c64' AS TEXT)", "NULL", "1735689800.0")
      << message(v, 8, a, "'claude-main'", "'claude'", "CAST(X'48e9' AS TEXT)", "NULL",
                 "1735689801")
      << message(v, 9, a, "'claude-main'", "'claude'", "replace(hex(zeroblob(100005)), '00', 'x')",
                 "NULL", "1735689802")
      << message(v, 10, a, "'claude-main'", "'claude'", "'reply to nothing'", "NULL", "1735689803",
                 "9999")
      << message(v, 11, a, "'claude-main'", "'claude'", "'bad json'", "'{bad'", "1735689804")
      << message(v, 12, a, "'claude-main'", "'claude'", "'nul in json'", "'{\"a\":\"x\\u0000y\"}'",
                 "1735689805")
      << message(v, 13, a, "'claude-main'", "'claude'", "'when?'", "NULL", "'not a time'")
      << message(v, 14, a, "'claude-main'", "NULL", "'no type'", "NULL", "1735689807")
      << message(v, 15, a, "X'616263'", "'claude'", "'blob sender'", "NULL", "1735689808");
    s << QStringLiteral("INSERT INTO sessions (id, purpose, created_at, updated_at, is_active, "
                        "created_by, metadata) VALUES ('session_cccccccccccccccc', 'Odd flag', "
                        "1735689600, 1735689600, 'maybe', 'tester', NULL)");
    s << QStringLiteral("INSERT INTO agent_memory (id, agent_id, session_id, key, value, metadata, "
                        "created_at, updated_at) VALUES (7, 'gemini-research', '%1', 'k', 'v', "
                        "'{}', 1735689600, 1735689600)")
             .arg(kGoneSession);
    if (allowsDuplicateGlobalKeys(v))
        s << QStringLiteral("INSERT INTO agent_memory (id, agent_id, session_id, key, value, "
                            "metadata, created_at, updated_at) VALUES "
                            "(5, 'claude-main', NULL, 'global.pref', '\"newest\"', '{}', "
                            "1735689700, 1735689700), "
                            "(6, 'claude-main', NULL, 'global.pref', '\"older\"', '{}', "
                            "1735689500, 1735689500)");
    s << QStringLiteral("INSERT INTO audit_log (timestamp, event_type, agent_id, session_id, "
                        "resource, action, result, metadata) VALUES (1735689600, 'message_added', "
                        "'orphan-agent', %1, 'message', 'add', 'success', '{}')")
             .arg(missing);
    if (hasTokens(v))
        s << QStringLiteral("INSERT INTO secure_tokens (id, token_id, encrypted_jwt, agent_id, "
                            "expires_at, created_at) VALUES (3, "
                            "'sct_00000000-0000-4000-8000-000000000003', X'0001fffe', "
                            "'claude-main', 'never', 1735689600)");
    return s;
}

// Two more messages that live only in the -wal file.
inline QStringList walTail(LegacyVersion v) {
    const QString a = QLatin1Char('\'') + fixture::kSessionA + QLatin1Char('\'');
    return {message(v, 100, a, "'claude-main'", "'claude'", "'wal one'", "NULL", "1735689900"),
            message(v, 101, a, "'claude-main'", "'claude'", "'wal two'", "NULL", "1735689901")};
}

} // namespace ctx::test::hazards
