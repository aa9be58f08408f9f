// ctxdb diff engine: a legacy SQLite file (A) against its copy on the engine under
// test (B): a SQLite file copy, or a PostgreSQL load by the shared value rules. A copy
// compares equal; each single change is then found exactly.
#include "core/compare/DiffJob.h"
#include "support/DiffLoader.h"
#include "support/LegacyFixtures.h"
#include "support/TestDatabases.h"

#include <QtTest>

using namespace ctx;
using namespace ctx::test;

class TestDiff : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_a;
    std::unique_ptr<ScratchDatabase> m_b;
    bool pg() const { return engineUnderTest() == Engine::Postgres; }

    Result<DiffReport> diff(int chunkRows = 3) {
        DiffOptions o;
        o.a = DatabaseUrl::sqliteFile(m_a);
        o.b = m_b->url();
        o.jobs = 2;
        o.chunkRows = chunkRows;
        o.sampleRows = 5;
        DiffJob job(o);
        return job.run();
    }
    static const TableDiff& table(const DiffReport& r, const QString& name) {
        for (const TableDiff& t : r.tables)
            if (t.name == name)
                return t;
        static TableDiff none;
        return none;
    }
    // One statement on B, spelled for its engine; updated_at triggers do not fire, so
    // that the statement is the only change.
    void changeB(const QString& sqliteSql, const QString& pgSql = {}) {
        if (!pg()) {
            QVERIFY2(execSql(m_b->url().filePath(),
                             {"DROP TRIGGER sessions_updated_at_trigger",
                              "DROP TRIGGER agent_memory_updated_at_trigger", sqliteSql})
                         .has_value(),
                     "sqlite change");
            return;
        }
        // Replica mode (to plant rows the constraints refuse) is the superuser's.
        const Status r = execAsReplica(m_b->url(), pgSql.isEmpty() ? sqliteSql : pgSql);
        QVERIFY2(r.has_value(), r ? "" : qPrintable(r.error().oneLine()));
    }
    // Exactly one unexplained difference, in this table (and column). On PostgreSQL the
    // load's recorded rejects explain other rows, which stay explained.
    void expectOneDifference(const DiffReport& r, const QString& name, const QString& column) {
        QCOMPARE(r.unexplainedRows(), 1);
        QVERIFY(!r.equal());
        const TableDiff& t = table(r, name);
        QCOMPARE(t.unexplained(), 1);
        QList<RowSample> unexplained;
        for (const RowSample& s : t.samples)
            if (!s.explained)
                unexplained << s;
        QCOMPARE(unexplained.size(), 1);
        m_sample = unexplained[0];
        if (!column.isEmpty()) {
            QCOMPARE(m_sample.kind, RowSample::Kind::Different);
            QCOMPARE(m_sample.columns.size(), 1);
            QCOMPARE(m_sample.columns[0].column, column);
            QVERIFY(t.columnDifferences.value(column) >= 1);
        }
    }
    RowSample m_sample;

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_a = m_dir.filePath("legacy.db");
        QVERIFY(writeLegacyFile(m_a, LegacyVersion::V3b).has_value());
        QStringList plant{
            "UPDATE sessions SET metadata = '{\"n\":9007199254740993,\"priority\":1}' WHERE id = "
            "'session_fedcba9876543210'",
            "INSERT INTO audit_log (timestamp, event_type, agent_id, session_id, resource, action, "
            "result, metadata) VALUES (1735689600, 'probe', 'claude-main', NULL, NULL, 'x', 'ok', "
            "'{}')",
            // Hazards of LEGACY_FORMAT.md: NUL byte, invalid UTF-8, unparseable time, a message
            // whose session does not exist, NULL sender_type, is_active as text.
            "INSERT INTO messages (id, session_id, sender, sender_type, content, visibility, "
            "timestamp) VALUES (60, 'session_0123456789abcdef', 'claude-main', 'claude', "
            "CAST(X'41004200' AS TEXT), 'public', 1735689800.25)",
            "INSERT INTO messages (id, session_id, sender, sender_type, content, visibility, "
            "timestamp) VALUES (61, 'session_0123456789abcdef', CAST(X'C328' AS TEXT), 'claude', "
            "'bad sender bytes', 'public', '2025-01-01 00:20:00')",
            "INSERT INTO messages (id, session_id, sender, sender_type, content, visibility, "
            "timestamp) VALUES (62, 'session_0123456789abcdef', 'claude-main', 'claude', "
            "'bad time', 'public', 'yesterday-ish')",
            "INSERT INTO messages (id, session_id, sender, sender_type, content, visibility, "
            "timestamp) VALUES (63, 'session_0000000000000000', 'ghost', NULL, 'orphan', "
            "'public', 1735689900)",
            "UPDATE sessions SET is_active = 'yes' WHERE id = 'session_0123456789abcdef'",
        };
        // Text keys whose byte order differs from any locale's order.
        for (const char* id : {"session_a-b", "session_a.b", "session_a_b", "Session_Z",
                               "session_ä", "session_z", "session_€", "session_o'q", "session_ ",
                               "session_A", "session_a", "session_\t", "session_ab", "session_Ä"})
            plant << QStringLiteral("INSERT INTO sessions (id, purpose, created_at, is_active, "
                                    "created_by) VALUES ('%1', 'p', 1735689600, 1, 'x')")
                         .arg(QString::fromUtf8(id).replace("'", "''"));
        auto ok = execSql(m_a, plant);
        QVERIFY2(ok.has_value(), ok ? "" : qPrintable(ok.error().oneLine()));
        // Committed rows that live only in the -wal file.
        ok = execSqlIntoWalOnly(
            m_a, {"INSERT INTO messages (id, session_id, sender, sender_type, content, visibility, "
                  "timestamp) VALUES (50, 'session_fedcba9876543210', 'claude-main', 'claude', "
                  "'only in the wal', 'public', '2025-08-20T12:00:00.5Z')"});
        QVERIFY(ok.has_value());
    }

    void init() {
        auto b = ScratchDatabase::create(engineUnderTest(), "diffb");
        QVERIFY2(b.has_value(), b ? "" : qPrintable(b.error().oneLine()));
        m_b = std::move(*b);
        auto ok =
            pg() ? loadIntoPostgres(m_a, m_b->url()) : copySqliteFile(m_a, m_b->url().filePath());
        QVERIFY2(ok.has_value(), ok ? "" : qPrintable(ok.error().oneLine()));
    }
    void cleanup() { m_b.reset(); }

    void copyComparesEqual() {
        auto r = diff();
        QVERIFY2(r.has_value(), r ? "" : qPrintable(r.error().oneLine()));
        QVERIFY(r->equal());
        QCOMPARE(r->schemaDifferences(), 0);
        const TableDiff& m = table(*r, "messages");
        QCOMPARE(m.aRows, 11); // 6 fixture rows, 4 planted, 1 only in the -wal file
        QCOMPARE(m.bRows, 11);
        QVERIFY(m.chunks > 3);
        const TableDiff& s = table(*r, "sessions");
        QCOMPARE(s.aRows, 16);
        QCOMPARE(s.onlyInA, 0); // text keys ordered the same on both sides
        if (!pg()) {
            QCOMPARE(s.onlyInB, 0);
            for (const TableDiff& t : r->tables) {
                QCOMPARE(t.identical, t.aRows);
                QCOMPARE(t.explained, 0);
            }
            return;
        }
        // PostgreSQL: timestamps and booleans are equal only after normalization; the
        // hazards are explained by recorded rejects (NUL, bad UTF-8, bad time, placeholder).
        QVERIFY(m.equalNormalized > 0);
        QCOMPARE(m.different, 3);
        QCOMPARE(m.explained, 3);
        QCOMPARE(s.onlyInB, 1);
        QCOMPARE(s.explained, 1);
        QCOMPARE(s.bRows, 17);
        QCOMPARE(m.identical + m.equalNormalized + m.different, 11);
    }

    void oneColumnOfOneRowChanged() {
        changeB("UPDATE messages SET content = 'A reply!' WHERE id = 2");
        auto r = diff();
        QVERIFY(r.has_value());
        expectOneDifference(*r, "messages", "content");
        QCOMPARE(m_sample.key, QByteArray("2"));
        QCOMPARE(m_sample.columns[0].rawB.bytes, QByteArray("A reply!"));
    }

    void rowDeleted() {
        changeB("DELETE FROM audit_log WHERE id = 2");
        auto r = diff();
        QVERIFY(r.has_value());
        expectOneDifference(*r, "audit_log", {});
        QCOMPARE(table(*r, "audit_log").onlyInA, 1);
    }

    void rowAdded() {
        changeB("INSERT INTO messages (id, session_id, sender, sender_type, content, visibility, "
                "timestamp) VALUES (100, 'session_0123456789abcdef', 'x', 'claude', 'new', "
                "'public', '2025-01-01 00:00:00')");
        auto r = diff();
        QVERIFY(r.has_value());
        expectOneDifference(*r, "messages", {});
        QCOMPARE(table(*r, "messages").onlyInB, 1);
    }

    void timestampOffByOneMicrosecond() {
        changeB(
            "UPDATE messages SET timestamp = '2025-01-01T00:01:40.500001+00:00' WHERE id = 1",
            "UPDATE messages SET timestamp = timestamp + interval '1 microsecond' WHERE id = 1");
        auto r = diff();
        QVERIFY(r.has_value());
        expectOneDifference(*r, "messages", "timestamp");
        const ColumnSample& c = m_sample.columns[0];
        QCOMPARE(c.normB.bytes.toLongLong() - c.normA.bytes.toLongLong(), 1);
    }

    void jsonWithKeysReorderedIsEqual() {
        changeB("UPDATE sessions SET metadata = '{ \"tags\": [\"a\"], \"priority\": 1 }' "
                "WHERE id = 'session_0123456789abcdef'");
        auto r = diff();
        QVERIFY(r.has_value());
        QVERIFY(r->equal());
        QVERIFY(table(*r, "sessions").equalNormalized >= 1);
    }

    void jsonNumberChanged() {
        changeB("UPDATE sessions SET metadata = '{\"priority\":2,\"tags\":[\"a\"]}' WHERE id = "
                "'session_0123456789abcdef'");
        auto r = diff();
        QVERIFY(r.has_value());
        expectOneDifference(*r, "sessions", "metadata");
    }

    void bigIntegerChangedInItsLastDigit() {
        changeB("UPDATE sessions SET metadata = '{\"n\":9007199254740992,\"priority\":1}' WHERE id "
                "= 'session_fedcba9876543210'");
        auto r = diff();
        QVERIFY(r.has_value());
        expectOneDifference(*r, "sessions", "metadata");
    }

    void tokenByteChanged() {
        changeB(
            "UPDATE secure_tokens SET encrypted_jwt = X'67414141414100ff80fe0103' WHERE id = 1",
            "UPDATE secure_tokens SET encrypted_jwt = '\\x67414141414100ff80fe0103' WHERE id = 1");
        auto r = diff();
        QVERIFY(r.has_value());
        expectOneDifference(*r, "secure_tokens", "encrypted_jwt");
        const ColumnSample& c = m_sample.columns[0];
        QCOMPARE(c.rawA.type, StorageType::Blob);
        QCOMPARE(c.rawB.bytes.size(), 12);
    }

    void nullTurnedIntoEmptyText() {
        changeB("UPDATE audit_log SET resource = '' WHERE event_type = 'probe'");
        auto r = diff();
        QVERIFY(r.has_value());
        expectOneDifference(*r, "audit_log", "resource");
        const ColumnSample& c = m_sample.columns[0];
        QVERIFY(c.rawA.isNull());
        QCOMPARE(c.rawB.type, StorageType::Text);
    }

    void tableEmptyOnOneSideOnly() {
        changeB("DELETE FROM agent_memory");
        auto r = diff();
        QVERIFY(r.has_value());
        const TableDiff& t = table(*r, "agent_memory");
        QCOMPARE(t.aRows, 4);
        QCOMPARE(t.bRows, 0);
        QCOMPARE(t.onlyInA, 4);
        QCOMPARE(r->unexplainedRows(), 4);
    }

    void textKeyChangedIsFoundInItsChunk() {
        changeB("UPDATE sessions SET purpose = 'q' WHERE id = 'session_€'");
        auto r = diff(2);
        QVERIFY(r.has_value());
        expectOneDifference(*r, "sessions", "purpose");
        QCOMPARE(m_sample.key, QByteArray("session_€"));
    }

    void differentChunkSizesAgree() {
        changeB("DELETE FROM messages WHERE id = 4");
        for (int rows : {1, 2, 7, 1000}) {
            auto r = diff(rows);
            QVERIFY(r.has_value());
            QCOMPARE(r->unexplainedRows(), 1);
            QCOMPARE(table(*r, "messages").onlyInA, 1);
        }
    }

    // A recorded reject explains only what its action makes of the source value
    // (message 60's NUL bytes removed: 'AB'); anything else in that column is tampering,
    // shown as an unexplained difference.
    void valueChangedInARejectedColumnIsUnexplained() {
        if (!pg())
            return; // rejects exist only where the PostgreSQL load recorded them
        bool first = true;
        for (const char* tampered : {"tampered after migration", "AB?", "A B"}) {
            if (!first) { // a fresh copy for each
                cleanup();
                init();
            }
            first = false;
            changeB(QStringLiteral("UPDATE messages SET content = '%1' WHERE id = 60")
                        .arg(QLatin1String(tampered)));
            auto r = diff();
            QVERIFY2(r.has_value(), r ? "" : qPrintable(r.error().oneLine()));
            expectOneDifference(*r, "messages", "content");
            QCOMPARE(m_sample.key, QByteArray("60"));
            QCOMPARE(table(*r, "messages").explained, 2); // the other two hazards still
        }
    }
};

QTEST_GUILESS_MAIN(TestDiff)
#include "tst_diff.moc"
