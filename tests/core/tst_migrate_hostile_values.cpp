// Values and keys a legacy SQLite file can hold that PostgreSQL refuses: each ends as a
// stored value or a recorded reject, the migration finishes (and --resume of it), and
// the diff says equal with every difference explained. Numbers never expand.
#include "tst_migrate_fixture.h"

#include "core/compare/DiffJob.h"
#include "core/store/StoreValues.h"
#include "core/transfer/Migrator.h"
#include "core/values/JsonCanonical.h"
#include "core/values/ValueNormalizer.h"
#include "support/MigrateAndDiff.h"
#include "support/TestDatabases.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace ctx;
using namespace ctx::test;

namespace {

// A message row of a version-3a file; the arguments are SQL expressions.
QString message(int id, const QString& session, const QString& metadata,
                const QString& parent = QStringLiteral("NULL"),
                const QString& timestamp = QStringLiteral("1735689900")) {
    return QStringLiteral("INSERT INTO messages (id, session_id, sender, sender_type, content, "
                          "visibility, message_type, metadata, timestamp, parent_message_id) "
                          "VALUES (%1, %2, 'hostile', 'test', 'x', 'public', 'agent_response', "
                          "%3, %4, %5)")
        .arg(id)
        .arg(session, metadata, timestamp, parent);
}

QString session(const QString& id) {
    return QStringLiteral("INSERT INTO sessions (id, purpose, created_at, updated_at, is_active, "
                          "created_by, metadata) VALUES (%1, 'hostile', 1735689600, 1735689600, "
                          "1, 'tester', NULL)")
        .arg(id);
}

QString hexText(const QByteArray& bytes) {
    return QStringLiteral("CAST(X'%1' AS TEXT)").arg(QString::fromLatin1(bytes.toHex()));
}

} // namespace

class TestMigrateHostileValues : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString fileWith(const QString& name, const QStringList& statements) {
        const QString path = m_dir.filePath(name);
        if (auto ok = writeLegacyFile(path, LegacyVersion::V3a); !ok)
            qFatal("%s", qPrintable(ok.error().oneLine()));
        QStringList all{QStringLiteral("PRAGMA ignore_check_constraints = 1")};
        all << statements;
        if (auto ok = execSql(path, all); !ok)
            qFatal("%s", qPrintable(ok.error().oneLine()));
        return path;
    }
    static std::unique_ptr<ScratchDatabase> scratch(const QString& tag) {
        auto db = ScratchDatabase::create(Engine::Postgres, tag);
        if (!db)
            qFatal("%s", qPrintable(db.error().oneLine())); // no server: FAIL, never skip
        return std::move(*db);
    }
    static QVariant value(const Connection& c, const QString& sql) { return valueOf(c, sql); }
    static qint64 rejects(const Connection& c, const QString& reason) {
        return rejectCount(c, reason);
    }

    std::unique_ptr<Connection> migrateAndDiff(const QString& path, const ScratchDatabase& db,
                                               qint64 explained, bool sameSchema = true,
                                               bool interrupt = false) {
        return migrateResumeAndDiff(path, db, explained, sameSchema, interrupt);
    }

private Q_SLOTS:
    void jsonNumbersNeverExpand() {
        const CanonicalJson one = JsonCanonical::canonicalize("{\"n\":1e999999}");
        QVERIFY(one.ok);
        QCOMPARE(one.text, QByteArray("{\"n\":1e+999999}"));
        QVERIFY(one.hasHugeNumber);
        // 2,000 of them in one value: kilobytes, not gigabytes, and quickly.
        QByteArray many = "[";
        for (int i = 0; i < 2000; ++i)
            many += i ? ",1e999999" : "1e999999";
        many += ']';
        QElapsedTimer timer;
        timer.start();
        const CanonicalJson all = JsonCanonical::canonicalize(many);
        QVERIFY(all.ok);
        QVERIFY(all.text.size() < 2 * many.size());
        QVERIFY(timer.elapsed() < 2000);
        const QByteArray quoted = JsonCanonical::hugeNumbersAsStrings(all.text);
        QCOMPARE(quoted.count('"'), 4000);
        // The same value printed in full (as PostgreSQL prints a numeric) or scientific
        // compares equal; short numbers keep their exact decimal.
        bool ok = false;
        const QByteArray full = "1" + QByteArray(1000, '0');
        QCOMPARE(JsonCanonical::canonicalNumber(full, &ok), QByteArray("1e+1000"));
        QCOMPARE(JsonCanonical::canonicalNumber("1e1000", &ok), QByteArray("1e+1000"));
        QCOMPARE(JsonCanonical::canonicalNumber("100.0e998", &ok), QByteArray("1e+1000"));
        QCOMPARE(JsonCanonical::canonicalNumber("1e998", &ok), "1" + QByteArray(998, '0'));
        QCOMPARE(JsonCanonical::canonicalNumber("-12.50e-3000", &ok), QByteArray("-1.25e-2999"));
        QCOMPARE(JsonCanonical::canonicalNumber("0e999999", &ok), QByteArray("0"));
        QCOMPARE(JsonCanonical::canonicalNumber("1.50", &ok), QByteArray("1.50"));
        QVERIFY(ok);
        // Trailing zeros are not the value: 0.1000…0 stays plain (scale kept), and every
        // canonical number canonicalizes to itself (the JSON fuzz target's invariant).
        const QByteArray tenth = "0.1" + QByteArray(1000, '0');
        QCOMPARE(JsonCanonical::canonicalNumber(tenth, &ok), tenth);
        for (const QByteArray& literal : {tenth, QByteArray("1e1000"), QByteArray("-12.50e-3000"),
                                          QByteArray("0.0"), full, QByteArray("9.90e1001")}) {
            const QByteArray canonical = JsonCanonical::canonicalNumber(literal, &ok);
            QCOMPARE(JsonCanonical::canonicalNumber(canonical, &ok), canonical);
        }
        QRandomGenerator rng(17); // numbers around the 1,000-character edge, zeros likely
        for (int i = 0; i < 3000; ++i) {
            auto digits = [&](int n) {
                QByteArray d;
                for (int k = 0; k < n; ++k)
                    d += rng.bounded(3) ? '0' : char('0' + rng.bounded(10));
                return d;
            };
            QByteArray literal = rng.bounded(2) ? "-" : "";
            QByteArray whole = digits(1 + int(rng.bounded(3)));
            while (whole.size() > 1 && whole[0] == '0')
                whole.remove(0, 1);
            literal += whole;
            if (rng.bounded(2))
                literal += '.' + digits(1 + int(rng.bounded(6)));
            literal += 'e' + QByteArray::number(int(rng.bounded(2200)) - 1100);
            const QByteArray canonical = JsonCanonical::canonicalNumber(literal, &ok);
            QVERIFY2(ok, literal.constData());
            QVERIFY2(canonical.size() <= 1000 + literal.size(), literal.constData());
            QVERIFY2(JsonCanonical::canonicalNumber(canonical, &ok) == canonical,
                     literal.constData());
        }
        // Canonical is a fixed point, and the migration's rule quotes only huge numbers.
        QCOMPARE(JsonCanonical::canonicalize(one.text).text, one.text);
        // The store refuses such a number, as it refuses \u0000, before writing anything.
        const auto stored = store::canonicalJsonObject("{\"n\":1e200000}", "metadata");
        QVERIFY(!stored.has_value());
        QVERIFY(stored.error().message.contains("number longer than 1000 characters"));
        QVERIFY(store::canonicalJsonObject("{\"n\":1e3}", "metadata").has_value());
        QCOMPARE(JsonCanonical::hugeNumbersAsStrings("{\"a\":\"1e+5\",\"b\":[1e+5000,-2]}"),
                 QByteArray("{\"a\":\"1e+5\",\"b\":[\"1e+5000\",-2]}"));
    }

    void outOfRangeRealIsNoInteger() {
        // 1e30 has no BIGINT; casting it to qint64 was undefined and gave garbage.
        const auto n = ValueNormalizer::normalize(LogicalType::Integer, RawValue::fromReal(1e30));
        QCOMPARE(n.kind, NormalizedValue::Kind::Invalid);
        const auto k = ValueNormalizer::normalize(LogicalType::Integer,
                                                  RawValue::fromReal(-9223372036854775808.0));
        QCOMPARE(k.bytes, QByteArray("-9223372036854775808"));
    }

    void valuesPostgresRefusesAreRecorded() {
        QByteArray many = "[";
        for (int i = 0; i < 2000; ++i)
            many += i ? ",1e999999" : "1e999999";
        many += ']';
        const QString a = QLatin1Char('\'') + fixture::kSessionA + QLatin1Char('\'');
        const QString path = fileWith(
            "values.db",
            {message(200, a, "'{\"n\":1e200000,\"keep\":\"yes\"}'"),
             message(201, a, QLatin1Char('\'') + QString::fromLatin1(many) + QLatin1Char('\'')),
             message(202, a, "'{\"tiny\":1e-200000,\"neg\":-2.5E+131073,\"ok\":1e3}'"),
             message(203, a, "NULL", "1e30", "1e300"), message(204, a, "NULL", "'abc'", "X'00'"),
             message(205, a, "'1e400000'", "'99999999999999999999'"),
             QStringLiteral("UPDATE sessions SET metadata = '{\"n\":-1E+999999}', is_active = "
                            "X'01' WHERE id = '%1'")
                 .arg(fixture::kSessionB)});
        auto db = scratch("hostval");
        auto conn = migrateAndDiff(path, *db, 7);
        QVERIFY(conn);
        const Connection& c = *conn;
        QCOMPARE(value(c, "SELECT count(*) FROM messages WHERE id >= 200").toInt(), 6);
        QCOMPARE(value(c, "SELECT metadata->>'keep' FROM messages WHERE id = 200").toString(),
                 "yes");
        QCOMPARE(value(c, "SELECT metadata->>'n' FROM messages WHERE id = 200").toString(),
                 "1e+200000");
        QCOMPARE(
            value(c, "SELECT jsonb_array_length(metadata) FROM messages WHERE id = 201").toInt(),
            2000);
        QCOMPARE(value(c, "SELECT metadata->>'ok' FROM messages WHERE id = 202").toString(),
                 "1000");
        QCOMPARE(value(c, "SELECT metadata #>> '{}' FROM messages WHERE id = 205").toString(),
                 "1e+400000");
        QVERIFY(value(c, "SELECT parent_message_id FROM messages WHERE id = 203").isNull());
        QVERIFY(value(c, "SELECT timestamp FROM messages WHERE id = 204").isNull());
        // Every stored value is small: no number expanded.
        QVERIFY(value(c, "SELECT max(octet_length(metadata::text)) FROM messages").toInt() < 40000);
        QCOMPARE(rejects(c, "json_number_too_large"), 5);
        QCOMPARE(value(c, "SELECT encode(original, 'escape') FROM ctx_migration_rejects WHERE "
                          "reason = 'json_number_too_large' AND row_key = '200'")
                     .toString(),
                 "{\"n\":1e200000,\"keep\":\"yes\"}");
        QVERIFY(rejects(c, "invalid_integer") >= 3); // 1e30, 'abc', 20 digits
        QVERIFY(rejects(c, "unparseable_timestamp") >= 2);
    }
    void nullSessionIdHidesNoOrphan() {
        // A legacy TEXT PRIMARY KEY allows NULL ids, several of them. One made NOT IN
        // unknown for every orphan: no placeholder, and the foreign key failed at every
        // --resume.
        const QString path =
            fileWith("nullid.db", {session("NULL"), session("NULL"),
                                   message(210, "'session_orphan0000000000'", "NULL")});
        auto db = scratch("hostnull");
        auto conn = migrateAndDiff(path, *db, 3);
        QVERIFY(conn);
        const Connection& c = *conn;
        QCOMPARE(value(c, "SELECT count(*) FROM sessions").toInt(), 2 + 2 + 1);
        QCOMPARE(value(c, "SELECT string_agg(id, ',' ORDER BY id) FROM sessions WHERE id LIKE "
                          "'ctx_null_id_%'")
                     .toString(),
                 "ctx_null_id_3,ctx_null_id_4");
        QCOMPARE(value(c, "SELECT metadata->>'ctx_recovered' FROM sessions WHERE id = "
                          "'session_orphan0000000000'")
                     .toString(),
                 "true");
        QCOMPARE(rejects(c, "session_id_renamed"), 2);
        QCOMPARE(rejects(c, "recovered_session"), 1);
        QVERIFY(value(c, "SELECT original IS NULL FROM ctx_migration_rejects WHERE row_key = "
                         "'ctx_null_id_3'")
                    .toBool());
    }

    void idsEqualAfterCleaningKeptApart() {
        // Stored ids that differ but clean to one id: NUL removed, a BLOB read as text,
        // two invalid UTF-8 bytes both repaired to U+FFFD. Each session keeps its rows.
        const QByteArray a = fixture::kSessionA.toUtf8();
        const QString blob = QStringLiteral("X'%1'").arg(QString::fromLatin1(a.toHex()));
        const QString nul = hexText(a + QByteArray(1, '\0'));
        const QString ff = hexText("session_dirty\xff");
        const QString fe = hexText("session_dirty\xfe");
        const QString path = fileWith(
            "dupids.db",
            {session(nul), session(blob), session(ff), session(fe), message(211, nul, "NULL"),
             message(212, blob, "NULL"), message(213, ff, "NULL"), message(214, fe, "NULL"),
             QStringLiteral("INSERT INTO agent_memory (agent_id, session_id, key, "
                            "value, metadata, created_at, updated_at) VALUES "
                            "('claude-main', %1, 'k', 'v', '{}', 1735689600, "
                            "1735689600)")
                 .arg(blob)});
        auto db = scratch("hostdup");
        auto conn = migrateAndDiff(path, *db, 8);
        QVERIFY(conn);
        const Connection& c = *conn;
        QCOMPARE(value(c, "SELECT count(*) FROM sessions").toInt(), 2 + 4);
        const QString dirty = QString::fromUtf8("session_dirty\xEF\xBF\xBD");
        auto sessionOf = [&](int id) {
            return value(c, QStringLiteral("SELECT session_id FROM messages WHERE id = %1").arg(id))
                .toString();
        };
        QCOMPARE(sessionOf(211), fixture::kSessionA + "~3");
        QCOMPARE(sessionOf(212), fixture::kSessionA + "~4");
        QCOMPARE(sessionOf(213), dirty);
        QCOMPARE(sessionOf(214), dirty + "~6");
        QCOMPARE(sessionOf(1), fixture::kSessionA); // the clean id keeps its own rows
        QCOMPARE(value(c, "SELECT session_id FROM agent_memory WHERE key = 'k' AND agent_id = "
                          "'claude-main' AND session_id IS NOT NULL AND value = 'v'")
                     .toString(),
                 fixture::kSessionA + "~4");
        QCOMPARE(rejects(c, "session_id_renamed"), 3);
        QCOMPARE(rejects(c, "session_reference_renamed"), 4); // 3 messages, 1 memory
        QCOMPARE(value(c, QStringLiteral("SELECT encode(original, 'hex') FROM "
                                         "ctx_migration_rejects WHERE reason = "
                                         "'session_id_renamed' AND row_key = '%1~4'")
                              .arg(fixture::kSessionA))
                     .toString(),
                 QString::fromLatin1(a.toHex()));
    }

    void orphanIdsEqualAfterCleaningShareOnePlaceholder() {
        // Two missing ids that clean to one: one placeholder (two broke its primary key),
        // and a missing id that cleans to an existing session's id needs none.
        const QString path = fileWith(
            "ghosts.db",
            {message(215, "'ghost'", "NULL"),
             message(216, hexText(QByteArray("ghost\0", 6)), "NULL"),
             message(217, hexText(fixture::kSessionB.toUtf8() + QByteArray(1, '\0')), "NULL")});
        auto db = scratch("hostghost");
        auto conn = migrateAndDiff(path, *db, 3);
        QVERIFY(conn);
        const Connection& c = *conn;
        QCOMPARE(value(c, "SELECT count(*) FROM sessions").toInt(), 2 + 1);
        QCOMPARE(rejects(c, "recovered_session"), 1);
        QCOMPARE(value(c, "SELECT count(*) FROM messages WHERE session_id = 'ghost'").toInt(), 2);
        QCOMPARE(value(c, "SELECT session_id FROM messages WHERE id = 217").toString(),
                 fixture::kSessionB);
    }
    void memoryKeysEqualAfterCleaningKeepTheNewest() {
        // UNIQUE (agent_id, session_id, key) and the global-key index are built after
        // the load: keys equal once cleaned (NUL removed) or cut to 255 characters made
        // them fail at every --resume. The newest row stays; the older is recorded.
        const QString memory = QStringLiteral(
            "INSERT INTO agent_memory (agent_id, session_id, key, value, metadata, created_at, "
            "updated_at) VALUES ('hostile', %1, %2, %3, '{}', %4, %4)");
        const QString a = QLatin1Char('\'') + fixture::kSessionA + QLatin1Char('\'');
        const QString longKey = QStringLiteral("'%1'").arg(QString(255, QLatin1Char('k')));
        const QString path = fileWith(
            "memkeys.db", {memory.arg(a, "'k'", "'old'", "1735689600"),
                           memory.arg(a, hexText(QByteArray("k\0", 2)), "'new'", "1735689700"),
                           memory.arg("NULL", longKey + " || 'x'", "'new'", "1735689700"),
                           memory.arg("NULL", longKey + " || 'y'", "'old'", "1735689600")});
        auto db = scratch("hostmem");
        auto conn = migrateAndDiff(path, *db, 2);
        QVERIFY(conn);
        const Connection& c = *conn;
        QCOMPARE(value(c, "SELECT string_agg(value, ',') FROM agent_memory WHERE agent_id = "
                          "'hostile'")
                     .toString(),
                 "new,new");
        QCOMPARE(rejects(c, "duplicate_memory_key"), 1);
        QCOMPARE(rejects(c, "duplicate_global_key"), 1);
        QCOMPARE(rejects(c, "key_too_long"), 2); // a dropped row's findings are recorded too
    }

    void tokenIdsEqualAfterCleaningKeptApart() {
        const QString token = QStringLiteral(
            "INSERT INTO secure_tokens (token_id, encrypted_jwt, agent_id, expires_at, "
            "created_at) VALUES (%1, X'0102', 'hostile', 1735689600, 1735689600)");
        const QString path =
            fileWith("tokens.db", {token.arg("'sct_dup'"), token.arg("X'7363745f647570'"),
                                   token.arg(hexText(QByteArray("sct_dup\0", 8)))});
        auto db = scratch("hosttok");
        auto conn = migrateAndDiff(path, *db, 2);
        QVERIFY(conn);
        const Connection& c = *conn;
        QCOMPARE(value(c, "SELECT string_agg(token_id, ',' ORDER BY id) FROM secure_tokens "
                          "WHERE agent_id = 'hostile'")
                     .toString(),
                 "sct_dup,sct_dup~4,sct_dup~5");
        QCOMPARE(rejects(c, "token_id_renamed"), 2);
    }

    void repeatedIdsWithoutPrimaryKeyKeptApart() {
        // A hand-made file whose sessions table lost its PRIMARY KEY holds one id twice.
        const QString path = fileWith(
            "nopk.db",
            {"PRAGMA legacy_alter_table = ON", "ALTER TABLE sessions RENAME TO sessions_old",
             "CREATE TABLE sessions (id TEXT, purpose TEXT NOT NULL, created_at TIMESTAMP, "
             "updated_at TIMESTAMP, is_active BOOLEAN, created_by TEXT NOT NULL, metadata TEXT)",
             "INSERT INTO sessions SELECT id, purpose, created_at, updated_at, is_active, "
             "created_by, metadata FROM sessions_old",
             "DROP TABLE sessions_old",
             session(QLatin1Char('\'') + fixture::kSessionA + QLatin1Char('\''))});
        auto db = scratch("hostnopk");
        auto conn = migrateAndDiff(path, *db, 1, false); // its sessions have no PRIMARY KEY
        QVERIFY(conn);
        const Connection& c = *conn;
        QCOMPARE(value(c, "SELECT count(*) FROM sessions").toInt(), 3);
        QCOMPARE(value(c, QStringLiteral("SELECT count(*) FROM messages WHERE session_id = '%1'")
                              .arg(fixture::kSessionA))
                     .toInt(),
                 value(c, "SELECT count(*) FROM messages WHERE session_id LIKE 'session_0123%'")
                     .toInt());
        QCOMPARE(rejects(c, "session_id_renamed"), 1);
    }
    void interruptedMigrationResumes() {
        // Before, a refused value or a broken key failed every --resume at the same row.
        const QString a = QLatin1Char('\'') + fixture::kSessionA + QLatin1Char('\'');
        const QString path =
            fileWith("resume.db",
                     {session("NULL"), session(hexText("session_dirty\xff")),
                      session(hexText("session_dirty\xfe")), message(220, a, "'{\"n\":1e200000}'"),
                      message(221, hexText("session_dirty\xfe"), "NULL"),
                      message(222, "'session_orphan0000000000'", "NULL")});
        auto db = scratch("hostres");
        auto conn = migrateAndDiff(path, *db, 5, true, true);
        QVERIFY(conn);
        QCOMPARE(rejects(*conn, "json_number_too_large"), 1); // once, not once per attempt
        QCOMPARE(rejects(*conn, "session_id_renamed"), 2);
        QCOMPARE(rejects(*conn, "recovered_session"), 1);
    }
};

QTEST_GUILESS_MAIN(TestMigrateHostileValues)
#include "tst_migrate_hostile_values.moc"
