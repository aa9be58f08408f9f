// Rows Context Studio writes into a server's SQLite file keep the shape the server
// itself writes in each column, so the server's own comparisons still answer right:
// its audit cleanup (`timestamp < ISO text`), its memory purge and reads
// (`expires_at < time.time()`), and memory's updated_at as text. In SQLite every number
// sorts before every text: an audit row stored as REAL is "older" than any ISO cutoff.
#include "core/store/Store.h"
#include "core/values/ServerTimestampShapes.h"
#include "core/values/Timestamp.h"
#include "support/LegacyFixtures.h"

#include <QDateTime>
#include <QtTest>
#include <sqlite3.h>

using namespace ctx;
using namespace ctx::test;

namespace {

qint64 nowMicros() {
    return QDateTime::currentMSecsSinceEpoch() * 1000;
}

// The server's cutoff text for a time, as Python writes it: isoformat() of a UTC time.
QString pythonIso(qint64 micros) {
    return QDateTime::fromMSecsSinceEpoch(micros / 1000, Qt::UTC)
               .toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz")) +
           QStringLiteral("000+00:00");
}

} // namespace

class TestServerSqliteShapes : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<Connection> m_conn;

    // Runs one of the server's own statements, with its own kind of bound value.
    qint64 count(const QString& sql, const QVariant& bound) {
        auto r = m_conn->scalar(sql, {bound});
        if (!r) {
            qWarning() << r.error().oneLine();
            return -1;
        }
        return r->toLongLong();
    }

private Q_SLOTS:
    void init() {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("server_%1.db").arg(QTest::currentTestFunction()));
        QVERIFY(writeLegacyFile(m_path, LegacyVersion::V3b, false).has_value());
        auto conn = openWritableSqlite(m_path);
        QVERIFY(conn.has_value());
        m_conn = std::move(*conn);
    }
    void cleanup() { m_conn.reset(); }

    void serverShapesByColumn() {
        QCOMPARE(serverTimestampShape(u"audit_log", u"timestamp"), StoredTimestampShape::IsoText);
        QCOMPARE(serverTimestampShape(u"secure_tokens", u"expires_at"),
                 StoredTimestampShape::IsoText);
        QCOMPARE(serverTimestampShape(u"agent_memory", u"updated_at"),
                 StoredTimestampShape::IsoText);
        QCOMPARE(serverTimestampShape(u"agent_memory", u"expires_at"),
                 StoredTimestampShape::EpochSeconds);
        QCOMPARE(serverTimestampShape(u"messages", u"timestamp"),
                 StoredTimestampShape::EpochSeconds);
        QCOMPARE(Timestamp::toServerIso(1755691200LL * 1000000 + 42),
                 QString("2025-08-20T12:00:00.000042+00:00"));
        QCOMPARE(Timestamp::toServerIso(1755691200LL * 1000000),
                 QString("2025-08-20T12:00:00+00:00"));
    }

    // The server's audit cleanup deletes rows older than N days by comparing the text
    // column with an ISO cutoff: only the 40-day-old row is older than 30 days.
    void auditCleanupOfTheServerKeepsRecentRows() {
        AuditStore audit(*m_conn);
        AuditEvent e;
        e.eventType = QStringLiteral("message_added");
        e.agentId = QStringLiteral("auditor");
        QVERIFY(audit.append(e).has_value());
        e.eventType = QStringLiteral("login");
        e.timestamp = nowMicros() - 40LL * 86400 * 1000000;
        QVERIFY(audit.append(e).has_value());
        const QString cutoff = pythonIso(nowMicros() - 30LL * 86400 * 1000000);
        QCOMPARE(
            count(QStringLiteral("SELECT count(*) FROM audit_log WHERE timestamp < ?"), cutoff),
            qint64(1));
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM audit_log WHERE timestamp < ? AND "
                                      "event_type = 'login'"),
                       cutoff),
                 qint64(1));
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM audit_log WHERE typeof(timestamp) = "
                                      "'text' AND timestamp LIKE ?"),
                       QStringLiteral("____-__-__T__:__:__%+00:00")),
                 qint64(2));
    }

    // The server's memory reads and purge compare expires_at with a float (time.time()),
    // and its updated_at is text: a live entry is not purged, an expired one is.
    void memoryPurgeOfTheServerSeesTheTtl() {
        MemoryStore memory(*m_conn);
        MemoryWrite w;
        w.agentId = QStringLiteral("agent-a");
        w.key = QStringLiteral("live");
        w.value = QStringLiteral("\"v\"");
        w.ttlSeconds = 3600;
        QVERIFY(memory.set(w).has_value());
        w.key = QStringLiteral("forever");
        w.ttlSeconds = 0;
        QVERIFY(memory.set(w).has_value());
        w.key = QStringLiteral("live");
        w.value = QStringLiteral("\"v2\""); // an update takes the same shapes
        w.ttlSeconds = 3600;
        QVERIFY(memory.set(w).has_value());
        const double now = double(nowMicros()) / 1e6;
        const QString purge = QStringLiteral(
            "SELECT count(*) FROM agent_memory WHERE expires_at IS NOT NULL AND expires_at < ?");
        QCOMPARE(count(purge, now), qint64(0));
        QCOMPARE(count(purge, now + 7200), qint64(1));
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM agent_memory WHERE expires_at IS NULL "
                                      "OR expires_at > ?"),
                       now),
                 qint64(2));
        // Text in both rows: ours (isoformat) on insert; on update, the server's own
        // trigger sets CURRENT_TIMESTAMP text after our value.
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM agent_memory WHERE "
                                      "typeof(created_at) = 'real' AND typeof(updated_at) = "
                                      "'text' AND (updated_at LIKE ? OR key = 'live')"),
                       QStringLiteral("____-__-__T__:__:__%+00:00")),
                 qint64(2));
        // The server's own CHECK (expires_at > created_at) compares like with like.
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM agent_memory WHERE expires_at IS NOT "
                                      "NULL AND NOT (expires_at > created_at) AND ? = 0"),
                       0),
                 qint64(0));
    }

    // Sessions and messages are REAL epoch seconds, as the server writes them: its
    // get_messages ORDER BY timestamp puts new rows after the server's own.
    void sessionsAndMessagesAreEpochSeconds() {
        SessionStore sessions(*m_conn);
        auto id = sessions.create(QStringLiteral("shapes"), QStringLiteral("agent-a"));
        QVERIFY(id.has_value());
        MessageStore messages(*m_conn);
        NewMessage m;
        m.sessionId = *id;
        m.sender = QStringLiteral("agent-a");
        m.content = QStringLiteral("hello");
        QVERIFY(messages.add(m).has_value());
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM messages WHERE typeof(timestamp) = "
                                      "'real' AND session_id = ?"),
                       *id),
                 qint64(1));
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM sessions WHERE typeof(created_at) = "
                                      "'real' AND id = ?"),
                       *id),
                 qint64(1));
    }
};

QTEST_GUILESS_MAIN(TestServerSqliteShapes)
#include "tst_server_sqlite_shapes.moc"
