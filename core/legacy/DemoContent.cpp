#include "DemoContent.h"

#include <QDateTime>
#include <QTimeZone>
#include <cstdio>

namespace ctx {

namespace {

const std::vector<std::string> kAgents{"claude-main", "claude-review", "gemini-research",
                                       "gpt-planner", "admin-console", "system",
                                       "test-runner", "codex-helper"};
const std::vector<std::string> kTypes{"claude", "claude", "gemini", "generic",
                                      "admin",  "system", "test",   "generic"};
const std::vector<std::string> kVisibility{"public",     "public",    "public", "public",
                                           "public",     "public",    "public", "private",
                                           "agent_only", "admin_only"};
const std::string kAgentResponse = "agent_response";
const std::string kSystemMessage = "system_message";
const std::vector<std::string> kWords{
    "the",   "agent",  "context", "session", "memory", "review",   "plan",     "test",
    "build", "deploy", "schema",  "query",   "index",  "message",  "thread",   "result",
    "error", "retry",  "cache",   "token",   "search", "migrate",  "verify",   "compare",
    "fix",   "check",  "value",   "server",  "client", "database", "postgres", "sqlite",
    "row",   "column", "json",    "parse",   "commit", "branch",   "merge",    "issue"};

std::string isoTime(double seconds, const char* suffix, bool withT, bool micros) {
    const qint64 whole = qint64(seconds);
    const QDateTime t = QDateTime::fromSecsSinceEpoch(whole, Qt::UTC);
    std::string s = t.toString(withT ? QStringLiteral("yyyy-MM-ddTHH:mm:ss")
                                     : QStringLiteral("yyyy-MM-dd HH:mm:ss"))
                        .toStdString();
    if (micros) {
        char buf[16];
        std::snprintf(buf, sizeof buf, ".%06d", int((seconds - double(whole)) * 1e6));
        s += buf;
    }
    return s + suffix;
}

} // namespace

DemoContent::DemoContent(quint64 seed, qint64 messages)
    : m_rng(seed)
    , m_total(messages) {
    const qint64 count = std::max<qint64>(5, messages / 2000);
    for (qint64 i = 0; i < count; ++i) {
        Session s;
        s.id = "session_" + hex(16);
        s.purpose = i == 0 ? "Main agent coordination (the long-running one)"
                           : "Task " + std::to_string(i) + ": " + words(4);
        s.createdBy = kAgents[size_t(pick(int(kAgents.size())))];
        s.created = stamp(kStart + double(i) * 60.0);
        s.updated = s.created;
        s.active = pick(5) != 0;
        s.activeAsText = pick(20) == 0; // booleans stored as text happen
        if (pick(2) == 0)
            s.metadata =
                "{\"project\":\"" + words(1) + "\",\"priority\":" + std::to_string(pick(5)) + "}";
        m_sessions.push_back(std::move(s));
    }
    m_recent.resize(m_sessions.size());
    m_step = 26e6 / double(std::max<qint64>(messages, 1));
    m_corpus = words(40000);
}

std::string DemoContent::slice(int approxChars) {
    // Start and end on word boundaries of the corpus, so bodies read like text.
    size_t start = size_t(pick(int(m_corpus.size()) - approxChars - 16));
    start = m_corpus.find(' ', start) + 1;
    size_t end = m_corpus.find(' ', start + size_t(approxChars));
    return m_corpus.substr(start, end - start);
}

DemoContent::Stamp DemoContent::stamp(double seconds) {
    Stamp t;
    t.seconds = seconds;
    const int r = pick(100);
    if (seconds >= kEpochEra && r < 90)
        return t; // REAL epoch seconds, the server's main form since mid-2025
    if (r < 10) {
        t.isInteger = true;
        t.seconds = double(qint64(seconds));
        return t;
    }
    t.isText = true;
    if (r < 55)
        t.text = isoTime(seconds, "+00:00", true, true);
    else if (r < 85)
        t.text = isoTime(seconds, "", false, false); // CURRENT_TIMESTAMP
    else
        t.text = isoTime(seconds, "Z", true, true);
    if (t.isText && r >= 85)
        t.seconds =
            double(qint64(seconds)) + double(qint64((seconds - qint64(seconds)) * 1e6)) / 1e6;
    return t;
}

std::string DemoContent::hex(int digits) {
    static const char* h = "0123456789abcdef";
    std::string s;
    for (int i = 0; i < digits; ++i)
        s += h[pick(16)];
    return s;
}

std::string DemoContent::words(int count) {
    std::string s;
    for (int i = 0; i < count; ++i) {
        if (i)
            s += ' ';
        s += kWords[size_t(pick(int(kWords.size())))];
    }
    return s;
}

void DemoContent::nextMessage(qint64 id, Message& m) {
    // A quarter of all messages go to the first (largest) session.
    const size_t sessionIndex = pick(4) == 0 ? 0 : size_t(pick(int(m_sessions.size())));
    m.sessionId = &m_sessions[sessionIndex].id;
    const int agent = pick(int(kAgents.size()));
    m.sender = &kAgents[size_t(agent)];
    m.senderType = (m_clock < kStart + 5e6 && pick(10) == 0) ? nullptr : &kTypes[size_t(agent)];
    m.visibility = &kVisibility[size_t(pick(int(kVisibility.size())))];
    m.messageType = pick(50) == 0 ? &kSystemMessage : &kAgentResponse;
    m_clock += m_step * (0.5 + double(pick(1000000)) / 1e6) + double(pick(1000000)) / 1e12;
    m.timestamp = stamp(m_clock);
    m.content = "Step " + std::to_string(id) + ": " + slice(300 + pick(2000));
    if (pick(8) == 0)
        m.content += "\n\n```sql\nSELECT id, sender FROM messages WHERE session_id = ?;\n```\n";
    m.metadata.clear();
    if (pick(10) < 6)
        m.metadata = "{\"model\":\"" + kTypes[size_t(agent)] +
                     "\",\"tokens\":" + std::to_string(50 + pick(4000)) + ",\"tags\":[\"" +
                     words(1) + "\"]}";
    auto& recent = m_recent[sessionIndex];
    m.parent = (!recent.empty() && pick(6) == 0) ? recent[size_t(pick(int(recent.size())))] : 0;
    if (recent.size() < 16)
        recent.push_back(id);
    else
        recent[size_t(pick(16))] = id;
}

void DemoContent::nextMemory(qint64 i, Memory& m) {
    m.agent = kAgents[size_t(pick(int(kAgents.size())))];
    m.sessionId.clear();
    if (pick(3) != 0)
        m.sessionId = m_sessions[size_t(pick(int(m_sessions.size())))].id;
    m.key = "note." + words(1) + "." + std::to_string(i);
    m.value = pick(2) ? "{\"summary\":\"" + words(8) + "\",\"step\":" + std::to_string(i) + "}"
                      : words(6); // raw strings happen
    const double t = kStart + double(i) * 3600.0;
    m.created = stamp(t);
    m.hasExpiry = false;
    if (pick(3) == 0) {
        // TTL rows: the server wrote expires_at = created_at + seconds, both numeric.
        m.created = Stamp{false, false, t, {}};
        m.hasExpiry = true;
        m.expires = Stamp{false, false, t + 60.0 * (1 + pick(100000)), {}};
    }
}

void DemoContent::nextAudit(qint64 i, Audit& a) {
    static const std::vector<std::string> events{
        "session_created",        "message_added",         "memory_set",
        "authentication_success", "authentication_failed", "memory_get"};
    a.event = events[size_t(pick(int(events.size())))];
    a.agent = kAgents[size_t(pick(int(kAgents.size())))];
    a.sessionId.clear();
    if (pick(4) != 0)
        a.sessionId = m_sessions[size_t(pick(int(m_sessions.size())))].id;
    a.resource = a.sessionId.empty() ? "memory" : "session";
    a.action = a.event;
    a.result = a.event == "authentication_failed" ? "failure" : "success";
    a.metadata = "{\"request\":" + std::to_string(i) + "}";
    a.time = stamp(kStart + double(i) * (m_clock - kStart) / double(auditCount()));
}

void DemoContent::nextToken(qint64 i, Token& t) {
    t.tokenId = "sct_" + hex(8) + "-" + hex(4) + "-4" + hex(3) + "-a" + hex(3) + "-" + hex(12);
    t.agent = kAgents[size_t(pick(int(kAgents.size())))];
    t.bytes = "gAAAAA";
    const int len = 120 + pick(80);
    for (int b = 0; b < len; ++b)
        t.bytes += char(pick(256)); // opaque bytes, not valid UTF-8
    const double created = kStart + double(i) * 7200.0;
    t.created = stamp(created);
    t.expires = stamp(created + 86400.0);
}

} // namespace ctx
