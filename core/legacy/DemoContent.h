#pragma once

#include <QtGlobal>
#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace ctx {

// Deterministic generator of realistic shared-context-server rows for a seed:
// sessions, agent messages with threads and every timestamp shape, memory,
// audit rows and tokens. Holds no database code (DemoWriter writes the rows).
class DemoContent {
public:
    struct Stamp {
        bool isText = false;
        bool isInteger = false;
        double seconds = 0;
        std::string text;
    };
    struct Session {
        std::string id, purpose, createdBy, metadata;
        Stamp created, updated;
        bool active = true;
        bool activeAsText = false;
    };
    struct Message {
        const std::string* sessionId = nullptr;
        const std::string* sender = nullptr;
        const std::string* senderType = nullptr; // null: an old row without a type
        const std::string* visibility = nullptr;
        const std::string* messageType = nullptr;
        std::string content, metadata;
        Stamp timestamp;
        qint64 parent = 0;
    };
    struct Memory {
        std::string agent, sessionId, key, value;
        Stamp created, expires;
        bool hasExpiry = false;
    };
    struct Audit {
        std::string event, agent, sessionId, resource, action, result, metadata;
        Stamp time;
    };
    struct Token {
        std::string tokenId, bytes, agent;
        Stamp created, expires;
    };

    DemoContent(quint64 seed, qint64 messages);

    const std::vector<Session>& sessions() const { return m_sessions; }
    void nextMessage(qint64 id, Message& out);
    // Rows after the messages, one at a time (a 10M demo has a million audit rows: kept
    // in a list they cost hundreds of MB). Call in this order, i from 0 to the count,
    // so that a seed gives the same rows.
    qint64 memoryCount() const { return std::max<qint64>(20, m_total / 100); }
    void nextMemory(qint64 i, Memory& out);
    qint64 auditCount() const { return std::max<qint64>(50, m_total / 10); }
    void nextAudit(qint64 i, Audit& out);
    qint64 tokenCount() const { return std::max<qint64>(5, m_total / 1000); }
    void nextToken(qint64 i, Token& out);

    static constexpr double kStart = 1735689600.0;    // 2025-01-01 00:00:00 UTC
    static constexpr double kEpochEra = 1748736000.0; // 2025-06-01: REAL epoch from here on

private:
    Stamp stamp(double seconds);
    std::string words(int count);
    std::string hex(int digits);
    int pick(int n) { return int(m_rng() % quint64(n)); }

    std::string slice(int approxChars);

    std::mt19937_64 m_rng;
    std::string m_corpus; // pre-generated words; message bodies are slices of it
    qint64 m_total;
    double m_clock = kStart;
    double m_step = 1.0; // mean seconds between messages: the demo spans ten months
    std::vector<Session> m_sessions;
    std::vector<std::vector<qint64>> m_recent; // per session: recent message ids
};

} // namespace ctx
