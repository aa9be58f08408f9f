#include "MixedTimeSession.h"

#include "LegacyFixtures.h"

#include <QStringList>

namespace ctx::test {

namespace {

struct Row {
    qint64 id;
    const char* timestamp; // SQL literal
    const char* visibility;
    const char* sender;
};

// T = 1735689600 = 2025-01-01 00:00:00 UTC.
const QList<Row>& rows() {
    static const QList<Row> r{
        {101, "1735689600.5", "public", "claude-main"},                             // T+0.5
        {102, "'2025-01-01 00:00:00'", "private", "gemini-research"},               // T
        {103, "'2025-01-01T01:00:00.250000+01:00'", "public", "gemini-research"},   // T+0.25
        {104, "1735689601", "private", "claude-main"},                              // T+1
        {105, "'2024-12-31T19:00:03-05:00'", "agent_only", "claude-main"},          // T+3
        {106, "'2025-01-01T00:00:02Z'", "public", "gemini-research"},               // T+2
        {107, "'2025-01-01T00:00:01.500000+00:00'", "admin_only", "admin-console"}, // T+1.5
        {108, "1735689599.0", "public", "gemini-research"},                         // T-1
        {109, "'2025-01-01 00:00:04'", "public", "claude-main"},                    // T+4
        {110, "1735689604", "private", "gemini-research"},                   // T+4, after 109
        {111, "NULL", "public", "gemini-research"},                          // first
        {112, "'not a time'", "public", "claude-main"},                      // last
        {113, "'2025-01-01T05:30:03.5+05:30'", "public", "gemini-research"}, // T+3.5
        {114, "'2025-01-01T00:00:00.75Z'", "private", "claude-main"},        // T+0.75
    };
    return r;
}

} // namespace

namespace mixed {

const QList<qint64>& idsInTimeOrder() {
    static const QList<qint64> ids{111, 108, 102, 103, 101, 114, 104,
                                   107, 106, 105, 113, 109, 110, 112};
    return ids;
}

const QList<qint64>& idsInStorageOrder() {
    static const QList<qint64> ids{111, 108, 101, 104, 110, 105, 102,
                                   109, 114, 107, 106, 103, 113, 112};
    return ids;
}

QList<qint64> idsVisibleToClaude() {
    QList<qint64> out;
    for (qint64 id : idsInTimeOrder())
        for (const Row& r : rows())
            if (r.id == id && (QByteArray(r.visibility) == "public" ||
                               (QByteArray(r.sender) == "claude-main" &&
                                QByteArray(r.visibility) != "admin_only")))
                out << id;
    return out;
}

} // namespace mixed

Status addMixedTimeSession(const QString& path) {
    QStringList sql{QStringLiteral("INSERT INTO sessions (id, purpose, created_by) VALUES ('%1', "
                                   "'mixed shapes', 'claude-main')")
                        .arg(mixed::kSession)};
    for (const Row& r : rows())
        sql << QStringLiteral("INSERT INTO messages (id, session_id, sender, content, visibility, "
                              "timestamp) VALUES (%1, '%2', '%3', 'row %1', '%4', %5)")
                   .arg(r.id)
                   .arg(mixed::kSession, QLatin1String(r.sender), QLatin1String(r.visibility),
                        QLatin1String(r.timestamp));
    return execSql(path, sql);
}

} // namespace ctx::test
