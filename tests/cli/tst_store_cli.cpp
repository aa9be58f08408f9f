// The store's inspection commands as a user runs them on a legacy file: tables on a
// terminal, --json for scripts (pages with next_cursor/total/has_more), one-line
// errors with exit 2 for usage and 1 for failures; sources stay untouched except
// by cleanup.
#include "support/CliRunner.h"
#include "support/LegacyFixtures.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace ctx;
using namespace ctx::test;

class TestStoreCli : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_db;
    QProcessEnvironment m_env = QProcessEnvironment::systemEnvironment();

    CliResult run(const QStringList& args) { return runCtxdb(args, m_env); }
    QJsonDocument json(const QStringList& args) {
        const CliResult r = run(args + QStringList{"--json"});
        if (r.exitCode != 0)
            qWarning() << r.all();
        return QJsonDocument::fromJson(r.out);
    }
    static void verifyOneLineError(const CliResult& r, int code, const QString& reason) {
        QCOMPARE(r.exitCode, code);
        QVERIFY2(r.out.isEmpty(), r.out.constData());
        const QString err = QString::fromUtf8(r.err).trimmed();
        QVERIFY2(!err.contains('\n'), qPrintable(err));
        QVERIFY2(err.contains(reason, Qt::CaseInsensitive), qPrintable(err));
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_env.insert("XDG_CACHE_HOME", m_dir.filePath("cache"));
        m_db = m_dir.filePath("chat_history.db");
        QVERIFY(writeLegacyFile(m_db, LegacyVersion::V3b).has_value());
    }

    void sessionsTableAndJson() {
        const CliResult r = run({"sessions", m_db});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.all().contains(fixture::kSessionA));
        QVERIFY(r.all().contains("messages"));
        const QJsonArray rows = json({"sessions", m_db}).array();
        QCOMPARE(rows.size(), 2);
        for (const QJsonValue& row : rows)
            if (row["id"] == fixture::kSessionA) {
                QCOMPARE(row["messages"].toInt(), 5);
                QCOMPARE(row["agents"].toArray().size(), 3);
            }
        // --no-agents: the same counts, the agents left out (null, not an empty list).
        const QJsonArray counted = json({"sessions", m_db, "--no-agents"}).array();
        QCOMPARE(counted.size(), 2);
        for (qsizetype i = 0; i < counted.size(); ++i) {
            QCOMPARE(counted[i]["id"], rows[i]["id"]);
            QCOMPARE(counted[i]["messages"], rows[i]["messages"]);
            QCOMPARE(counted[i]["last_activity"], rows[i]["last_activity"]);
            QVERIFY(counted[i]["agents"].isNull());
        }
    }

    void messagesPagesWithCursor() {
        const FileFingerprint before = FileFingerprint::of(m_db);
        QJsonObject page = json({"messages", m_db, fixture::kSessionA, "--limit", "2"}).object();
        QCOMPARE(page["total"].toInt(), 5);
        QVERIFY(page["has_more"].toBool());
        QCOMPARE(page["rows"].toArray().size(), 2);
        QVERIFY(page["rows"][0].toObject().contains("content"));
        QList<int> ids;
        for (int guard = 0; guard < 10; ++guard) {
            for (const QJsonValue& row : page["rows"].toArray())
                ids << row["id"].toInt();
            if (!page["has_more"].toBool())
                break;
            page = json({"messages", m_db, fixture::kSessionA, "--limit", "2", "--after",
                         page["next_cursor"].toString()})
                       .object();
        }
        QCOMPARE(ids.size(), 5);
        QCOMPARE(QSet<int>(ids.begin(), ids.end()).size(), 5);
        const QJsonObject asClaude =
            json({"messages", m_db, fixture::kSessionA, "--as", "claude-main"}).object();
        QCOMPARE(asClaude["total"].toInt(), 3);
        const QJsonObject since = json({"messages", m_db, fixture::kSessionA, "--since",
                                        "2025-01-01T00:05:00Z", "--until", "2025-01-01 00:06:01"})
                                      .object();
        QCOMPARE(since["total"].toInt(), 2); // messages 2 and 3
        const QJsonObject bySender =
            json({"messages", m_db, fixture::kSessionA, "--sender", "gemini-research"}).object();
        QCOMPARE(bySender["total"].toInt(), 2);
        const CliResult table = run({"messages", m_db, fixture::kSessionA});
        QCOMPARE(table.exitCode, 0);
        QVERIFY(table.all().contains("Hello from claude"));
        QVERIFY(table.all().contains("5 of 5 messages"));
        QVERIFY(FileFingerprint::of(m_db) == before);
    }

    void usageErrorsExitTwo() {
        verifyOneLineError(run({"messages", m_db, "session_nope"}), 2, "not a session id");
        verifyOneLineError(run({"messages", m_db, fixture::kSessionA, "--limit", "0"}), 2,
                           "--limit");
        verifyOneLineError(run({"messages", m_db, fixture::kSessionA, "--limit", "1001"}), 2,
                           "--limit");
        verifyOneLineError(run({"messages", m_db, fixture::kSessionA, "--since", "yesterday"}), 2,
                           "--since");
        verifyOneLineError(run({"messages", m_db, fixture::kSessionA, "--as", "x", "--admin"}), 2,
                           "either");
        verifyOneLineError(run({"messages", m_db, fixture::kSessionA, "--after", "garbage!"}), 2,
                           "cursor");
        verifyOneLineError(run({"thread", m_db, "abc"}), 2, "message id");
        verifyOneLineError(run({"memory", m_db, "--global", "--session", fixture::kSessionA}), 2,
                           "either");
        verifyOneLineError(run({"cleanup", m_db, "--audit-days", "-3"}), 2, "--audit-days");
        verifyOneLineError(run({"sessions"}), 2, "argument");
    }

    void failuresExitOne() {
        verifyOneLineError(run({"sessions", m_dir.filePath("missing.db")}), 1, "no such file");
        verifyOneLineError(run({"messages", m_db, "session_00000000000000ff"}), 1, "no session");
        verifyOneLineError(run({"thread", m_db, "999"}), 1, "no message 999");
    }

    void threadSearchMemoryAuditHealth() {
        const QJsonArray thread = json({"thread", m_db, "2"}).array();
        QCOMPARE(thread.size(), 3);
        QCOMPARE(thread[0]["role"].toString(), QString("ancestor"));
        QCOMPARE(thread[1]["id"].toString(), QString("2"));
        QCOMPARE(thread[2]["role"].toString(), QString("reply"));

        const QJsonArray hits = json({"search", m_db, "hello"}).array();
        QCOMPARE(hits.size(), 1);
        QCOMPARE(hits[0]["id"].toString(), QString("1"));
        const CliResult scan = run({"search", m_db, "hello", "--no-index"});
        QCOMPARE(scan.exitCode, 0);
        QVERIFY(scan.all().contains("every message, newest first"));

        const QJsonArray global = json({"memory", m_db, "--global"}).array();
        QCOMPARE(global.size(), 1); // cache.ttl has expired
        QCOMPARE(global[0]["key"].toString(), QString("global.pref"));
        QCOMPARE(json({"memory", m_db, "--prefix", "task."}).array().size(), 1);

        QCOMPARE(json({"audit", m_db}).array().size(), 3);
        QCOMPARE(json({"audit", m_db, "--agent", "intruder"}).array().size(), 1);
        QCOMPARE(json({"audit", m_db, "--event", "message_added"}).array().size(), 1);

        const QJsonObject health = json({"health", m_db}).object();
        QCOMPARE(health["engine"].toString(), QString("sqlite"));
        QCOMPARE(health["row_counts"]["messages"].toInt(), 6);
        QCOMPARE(health["schema_version"].toInt(), 3);
    }

    void cleanupDryRunThenDelete() {
        const QString copy = m_dir.filePath("cleanup.db");
        QVERIFY(writeLegacyFile(copy, LegacyVersion::V3b).has_value());
        const FileFingerprint before = FileFingerprint::of(copy);
        const QJsonObject dry = json({"cleanup", copy, "--dry-run"}).object();
        QCOMPARE(dry["expired_memory"].toInt(), 2);
        QCOMPARE(dry["expired_tokens"].toInt(), 2);
        QCOMPARE(dry["old_audit"].toInt(), 3);
        QVERIFY(FileFingerprint::of(copy) == before);
        const CliResult done = run({"cleanup", copy, "--audit-days", "0"});
        QCOMPARE(done.exitCode, 0);
        QVERIFY2(done.all().contains("deleted 2 expired memory entries, 2 expired tokens, 0 "
                                     "audit rows"),
                 qPrintable(done.all()));
        QCOMPARE(json({"audit", copy}).array().size(), 3);
        QCOMPARE(json({"cleanup", copy, "--dry-run"}).object()["expired_memory"].toInt(), 0);
    }

    void helpHasExamples() {
        for (const char* command :
             {"sessions", "messages", "thread", "search", "memory", "audit", "cleanup", "health"}) {
            const CliResult r = run({command, "--help"});
            QCOMPARE(r.exitCode, 0);
            QVERIFY2(r.all().contains("Examples:"), command);
            QVERIFY2(r.all().contains(QStringLiteral("ctxdb %1").arg(command)), command);
        }
    }
};

QTEST_GUILESS_MAIN(TestStoreCli)
#include "tst_store_cli.moc"
