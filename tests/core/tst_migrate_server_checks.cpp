// Issue 16 item 4: rows that the server's CHECKs or VARCHAR lengths refuse (blank
// text, over-long text and ids, memory that expires before it was made) arrive by
// one written rule each, with the original bytes in ctx_migration_rejects; the
// assessment counts them with the action, the diff explains them, and the target is
// the server's exact schema (its CHECKs on during the load).
#include "core/assess/Assessor.h"
#include "core/schema/PgCatalogSnapshot.h"
#include "core/schema/ServerSchema.h"
#include "support/LegacyFixtures.h"
#include "support/MigrateAndDiff.h"
#include "support/TestDatabases.h"

#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace ctx;
using namespace ctx::test;

namespace {

const QString kLongId = QString(300, QLatin1Char('s'));
const QString kLongText = QString(300, QLatin1Char('w'));

QStringList refusedRows() {
    const QString longId = QLatin1Char('\'') + kLongId + QLatin1Char('\'');
    const QString longText = QLatin1Char('\'') + kLongText + QLatin1Char('\'');
    return {
        "PRAGMA ignore_check_constraints = 1",
        // A blank session id, purpose and creator; a message that uses it, all blank.
        "INSERT INTO sessions (id, purpose, created_at, created_by) VALUES (' ', '   ', "
        "1735689600, '')",
        "INSERT INTO messages (id, session_id, sender, sender_type, content, visibility, "
        "message_type, timestamp) VALUES (300, ' ', ' ', '  ', '   ', 'public', 'agent_response', "
        "1735689700)",
        // A session id longer than VARCHAR(255), its message and memory.
        "INSERT INTO sessions (id, purpose, created_at, created_by) VALUES (" + longId +
            ", 'long', 1735689600, 'tester')",
        "INSERT INTO messages (id, session_id, sender, sender_type, content, visibility, "
        "message_type, timestamp) VALUES (301, " +
            longId + ", " + longText + ", 'test', 'hi', 'public', " + longText + ", 1735689700)",
        "INSERT INTO agent_memory (agent_id, session_id, key, value, created_at, updated_at, "
        "expires_at) VALUES ('agent', " +
            longId + ", 'k', 'v', 1735689600, 1735689600, NULL)",
        // Memory: blank agent, key and value; one that expired before it was made.
        "INSERT INTO agent_memory (id, agent_id, session_id, key, value, created_at, updated_at) "
        "VALUES (900, '  ', NULL, ' ', '', 1735689600, 1735689600)",
        "INSERT INTO agent_memory (id, agent_id, session_id, key, value, created_at, updated_at, "
        "expires_at) VALUES (901, 'agent', NULL, 'gone', 'v', 1735689600, 1735689600, "
        "1735689500)",
        // Audit: blank event and agent, over-long resource and action.
        "INSERT INTO audit_log (id, timestamp, event_type, agent_id, resource, action) VALUES "
        "(900, 1735689600, ' ', '', " +
            longText + ", " + longText + ")",
        // A blank token id and agent.
        "INSERT INTO secure_tokens (token_id, encrypted_jwt, agent_id, expires_at, created_at) "
        "VALUES (' ', X'01', ' ', 1735689600, 1735689600)",
    };
}

} // namespace

class TestMigrateServerChecks : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    QString refusedFile() {
        const QString path = m_dir.filePath("refused.db");
        QFile::remove(path);
        if (auto ok = writeLegacyFile(path, LegacyVersion::V3a); !ok)
            qFatal("%s", qPrintable(ok.error().oneLine()));
        if (auto ok = execSql(path, refusedRows()); !ok)
            qFatal("%s", qPrintable(ok.error().oneLine()));
        return path;
    }
    static QVariant value(const Connection& c, const QString& sql) { return valueOf(c, sql); }
    static qint64 rejects(const Connection& c, const QString& reason) {
        return rejectCount(c, reason);
    }

private Q_SLOTS:
    void refusedRowsArriveByRule() {
        const QString path = refusedFile();
        auto db = ScratchDatabase::create(Engine::Postgres, "srvchk");
        if (!db)
            qFatal("%s", qPrintable(db.error().oneLine())); // no server: FAIL, never skip
        auto conn = migrateResumeAndDiff(path, **db, 11);
        QVERIFY(conn);
        const Connection& c = *conn;
        // The target is the server's schema, object for object: its CHECKs held the load.
        auto snapshot = PgCatalogSnapshot::read(c);
        QVERIFY(snapshot);
        QVERIFY(ServerSchema::match(*snapshot).complete);
        // Blank text: markers; the blank session id and its reference agree.
        QCOMPARE(value(c, "SELECT purpose || '|' || created_by FROM sessions WHERE id = "
                          "'ctx_blank_id_1'")
                     .toString(),
                 QString("(no purpose in the legacy file)|unknown"));
        QCOMPARE(value(c, "SELECT session_id || '|' || sender || '|' || sender_type || '|' || "
                          "content FROM messages WHERE id = 300")
                     .toString(),
                 QString("ctx_blank_id_1|unknown|generic|(empty message in the legacy file)"));
        // The long id: 200 characters, '~' and 16 hex digits, the same for its rows.
        const QString longId =
            value(c, "SELECT session_id FROM messages WHERE id = 301").toString();
        QVERIFY2(QRegularExpression("^s{200}~[0-9a-f]{16}$").match(longId).hasMatch(),
                 qPrintable(longId));
        QCOMPARE(value(c, QStringLiteral("SELECT count(*) FROM agent_memory WHERE session_id = "
                                         "'%1'")
                              .arg(longId))
                     .toInt(),
                 1);
        QCOMPARE(value(c, "SELECT length(sender) || ',' || length(message_type) FROM messages "
                          "WHERE id = 301")
                     .toString(),
                 QString("255,50"));
        QCOMPARE(value(c, "SELECT agent_id || '|' || key || '|' || value FROM agent_memory "
                          "WHERE id = 900")
                     .toString(),
                 QString("unknown|ctx_blank_key_900|(empty value in the legacy file)"));
        QCOMPARE(
            value(c, "SELECT expires_at - created_at FROM agent_memory WHERE id = 901").toString(),
            QString("00:00:00.000001"));
        QCOMPARE(value(c, "SELECT event_type || '|' || agent_id || '|' || length(resource) || "
                          "'|' || length(action) FROM audit_log WHERE id = 900")
                     .toString(),
                 QString("unknown|unknown|255|100"));
        QCOMPARE(value(c, "SELECT token_id || '|' || agent_id FROM secure_tokens WHERE "
                          "encrypted_jwt = '\\x01'")
                     .toString(),
                 QString("ctx_blank_id_1|unknown"));
        // Every change is recorded with the original bytes.
        QCOMPARE(rejects(c, "blank_text"), 11);
        QCOMPARE(rejects(c, "text_too_long"), 4);
        QCOMPARE(rejects(c, "expiry_not_after_creation"), 1);
        QCOMPARE(rejects(c, "session_id_renamed"), 2);
        QCOMPARE(rejects(c, "session_reference_renamed"), 3);
        QCOMPARE(rejects(c, "token_id_renamed"), 1);
        QCOMPARE(value(c, "SELECT encode(original, 'escape') FROM ctx_migration_rejects WHERE "
                          "reason = 'blank_text' AND table_name = 'messages' AND column_name = "
                          "'content'")
                     .toString(),
                 QString("   "));
        QCOMPARE(value(c, "SELECT encode(original, 'escape') FROM ctx_migration_rejects WHERE "
                          "reason = 'session_id_renamed' AND row_key = '" +
                              longId + "'")
                     .toString(),
                 kLongId);
    }

    void assessmentCountsThemWithTheAction() {
        AssessOptions o;
        o.path = refusedFile();
        auto report = Assessor::run(o);
        QVERIFY2(report, report ? "" : qPrintable(report.error().oneLine()));
        QHash<QString, qint64> counts;
        QString tooLong;
        for (const HazardEntry& h : report->hazards) {
            counts[hazardReason(h.hazard)] += h.count;
            if (h.hazard == Hazard::TextTooLong && h.column == "sender")
                tooLong = h.detail + " / " + h.action;
            if (h.hazard == Hazard::BlankText)
                QVERIFY(h.recorded && !h.sampleKeys.isEmpty());
        }
        QCOMPARE(counts.value("blank_text"), 11);
        QCOMPARE(counts.value("text_too_long"), 4);
        QCOMPARE(counts.value("expiry_not_after_creation"), 1);
        QCOMPARE(tooLong, QString("VARCHAR(255) / truncated to the column's VARCHAR length; "
                                  "original recorded"));
    }
};

QTEST_GUILESS_MAIN(TestMigrateServerChecks)
#include "tst_migrate_server_checks.moc"
