// A source that changed between runs, and a target changed after the load, against the
// real PostgreSQL: --resume refuses when a row it already loaded was updated in place
// (same counts, same rowids) and leaves the target as it was; a change in a range not
// loaded yet is carried; a run from an older version (no checksums) resumes and is
// checked by content at the end; the final verification compares content, not counts.
#include "tst_migrate_fixture.h"

#include "core/transfer/Migrator.h"
#include "core/transfer/PgBinaryCopy.h"
#include "core/transfer/RowChecksum.h"
#include "support/TestDatabases.h"

#include <QTemporaryDir>
#include <QTest>

using namespace ctx;
using namespace ctx::test;

class TestMigrateChangedSource : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString plantedFile(const QString& name) {
        const QString path = m_dir.filePath(name);
        if (auto ok = writeLegacyFile(path, LegacyVersion::V3a); !ok)
            qFatal("%s", qPrintable(ok.error().oneLine()));
        if (auto ok = execSql(path, hazards::statements(LegacyVersion::V3a)); !ok)
            qFatal("%s", qPrintable(ok.error().oneLine()));
        return path;
    }
    static std::unique_ptr<ScratchDatabase> scratch(const QString& tag) {
        auto db = ScratchDatabase::create(Engine::Postgres, tag);
        if (!db)
            qFatal("%s", qPrintable(db.error().oneLine())); // no server: FAIL, never skip
        return std::move(*db);
    }
    static MigrateOptions options(const QString& path, const ScratchDatabase& db) {
        MigrateOptions o;
        o.sourcePath = path;
        o.target = db.url();
        o.jobs = 1;
        o.limits.rows = 2;
        return o;
    }
    static QString text(const ScratchDatabase& db, const QString& sql) {
        auto c = db.connect();
        if (!c)
            return c.error().oneLine();
        auto v = (*c)->scalar(sql);
        return v ? v->toString() : QStringLiteral("<error: %1>").arg(v.error().oneLine());
    }
    static void exec(const ScratchDatabase& db, const QString& sql) {
        auto c = db.connect();
        QVERIFY(c.has_value());
        auto ok = (*c)->exec(sql);
        QVERIFY2(ok.has_value(), ok ? "" : qPrintable(ok.error().oneLine()));
    }
    // Everything the target holds, rows and bookkeeping: equal digests, nothing written.
    static QString targetDigest(const ScratchDatabase& db) {
        QString all;
        for (const char* t :
             {"sessions", "messages", "agent_memory", "audit_log", "secure_tokens",
              "ctx_transfer_progress", "ctx_transfer_rejects", "ctx_transfer_checksums"})
            all += text(db, QStringLiteral("SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY "
                                           "t::text), '')) FROM %1 t")
                                .arg(QLatin1String(t)));
        return all;
    }
    // Stops a migration after `events` progress events (at most one each 250 ms, the first
    // at the first batch; messages load first: they have the most rows).
    static void interrupt(const QString& path, const ScratchDatabase& db, int events) {
        std::atomic<bool> cancel{false};
        MigrateOptions o = options(path, db);
        int seen = 0;
        o.cancel = &cancel;
        o.onEvent = [&](const MigrateEvent& e) {
            if (e.type == MigrateEvent::Type::Progress && ++seen >= events)
                cancel = true;
        };
        auto stopped = Migrator::run(o);
        QVERIFY(!stopped.has_value());
        QCOMPARE(stopped.error().code, ErrorCode::Cancelled);
    }
    static const TableSummary* table(const MigrateSummary& s, const QString& name) {
        for (const TableSummary& t : s.tables)
            if (t.name == name)
                return &t;
        return nullptr;
    }

private Q_SLOTS:
    void checksumsAreStableAndBinaryRowsReadBack() {
        // Recorded in targets: the same on every machine and in every later version.
        QCOMPARE(RowChecksum::bytes("", 0, 0), Q_UINT64_C(0x05844b3a71d7545d));
        QCOMPARE(RowChecksum::bytes("messages rows 1..50000", 22, 3),
                 Q_UINT64_C(0x166daf19b5491bc3));
        QCOMPARE(RowChecksum::raw(7, {RawValue::fromText("x"), RawValue::fromInteger(1),
                                      RawValue::null(), RawValue::fromReal(0.5)}),
                 Q_UINT64_C(0x0ecf1261f90fabd3));
        QVERIFY(RowChecksum::raw(1, {RawValue::fromText("a")}) !=
                RowChecksum::raw(1, {RawValue::fromBlob("a")}));
        QVERIFY(RowChecksum::raw(1, {RawValue::fromInteger(0)}) !=
                RowChecksum::raw(1, {RawValue::null()}));

        using Kind = NormalizedValue::Kind;
        const QList<TargetValue> row{{Kind::Integer, -5, {}},
                                     {Kind::Timestamp, 1700000000123456, {}},
                                     {Kind::Boolean, 0, "t"},
                                     {Kind::Json, 0, "{\"a\":1}"},
                                     {Kind::Text, 0, QByteArray("h\xc3\xa9", 3)},
                                     {Kind::Bytes, 0, QByteArray("\0\1", 2)},
                                     {Kind::Null, 0, {}}};
        const QList<LogicalType> types{
            LogicalType::Integer, LogicalType::Timestamp, LogicalType::Boolean, LogicalType::Json,
            LogicalType::Text,    LogicalType::Blob,      LogicalType::Text};
        // JSON is read back as the server's text (selected ::text), not jsonb's binary form.
        QList<TargetValue> sent = row;
        sent[3].kind = Kind::Text;
        QByteArray first;
        PgBinaryCopy::header(first);
        PgBinaryCopy::row(sent, first);
        QList<TargetValue> back;
        bool isRow = false;
        QVERIFY(PgBinaryCopy::readRow(first, types, back, &isRow));
        QVERIFY(isRow);
        QCOMPARE(RowChecksum::target(back), RowChecksum::target(row));
        QByteArray trailer;
        PgBinaryCopy::trailer(trailer);
        QVERIFY(PgBinaryCopy::readRow(trailer, types, back, &isRow));
        QVERIFY(!isRow);
        QVERIFY(!PgBinaryCopy::readRow(first.left(first.size() - 1), types, back, &isRow));
    }

    void changedLoadedRowRefusedTargetUnchanged() {
        const QString path = plantedFile("loaded.db");
        auto db = scratch("chgloaded");
        interrupt(path, *db, 1);
        const QString loaded = text(*db, "SELECT min(id) FROM messages");
        QVERIFY(loaded.toLongLong() > 0);
        QVERIFY(text(*db, "SELECT count(*) FROM messages").toLongLong() < 15);
        // In place: the same count, the same rowids, the same schema.
        QVERIFY(
            execSql(path, {"UPDATE messages SET content = 'edited later' WHERE id = " + loaded}));
        const QString before = targetDigest(*db);
        MigrateOptions resume = options(path, *db);
        resume.resume = true;
        auto refused = Migrator::run(resume);
        QVERIFY(!refused.has_value());
        QCOMPARE(refused.error().code, ErrorCode::Conflict);
        const QString message = refused.error().message;
        QVERIFY2(message.startsWith("source changed since the interrupted run: messages rows 1.."),
                 qPrintable(message));
        QVERIFY2(message.contains("differ; start again with --replace"), qPrintable(message));
        QVERIFY(!message.contains('\n'));
        QCOMPARE(targetDigest(*db), before);
        // Refused again, not half-resumed by the first attempt.
        QVERIFY(!Migrator::run(resume).has_value());
        QCOMPARE(targetDigest(*db), before);
    }

    void changeNotYetLoadedIsCarried() {
        const QString path = plantedFile("unloaded.db");
        auto db = scratch("chgunloaded");
        interrupt(path, *db, 1);
        QCOMPARE(text(*db, "SELECT count(*) FROM messages WHERE id = 15"), QStringLiteral("0"));
        QVERIFY(execSql(path, {"UPDATE messages SET content = 'edited later' WHERE id = 15"}));
        MigrateOptions resume = options(path, *db);
        resume.resume = true;
        auto finished = Migrator::run(resume);
        CTX_VERIFY_OK(finished);
        QVERIFY(finished->ok);
        QCOMPARE(text(*db, "SELECT content FROM messages WHERE id = 15"),
                 QStringLiteral("edited later"));
        QCOMPARE(text(*db, "SELECT count(*) FROM messages"), QStringLiteral("15"));
        QCOMPARE(text(*db, "SELECT to_regclass('ctx_transfer_checksums') IS NULL"),
                 QStringLiteral("true")); // the bookkeeping goes with the staging tables
    }

    void olderRunWithoutChecksumsResumesAndIsCheckedAtTheEnd() {
        const QString path = plantedFile("older.db");
        auto db = scratch("chgolder");
        interrupt(path, *db, 1);
        exec(*db, "DROP TABLE ctx_transfer_checksums"); // as a version before them left it
        QStringList notes;
        MigrateOptions resume = options(path, *db);
        resume.resume = true;
        resume.onEvent = [&](const MigrateEvent& e) {
            if (e.type == MigrateEvent::Type::Phase)
                notes << e.message;
        };
        auto finished = Migrator::run(resume);
        CTX_VERIFY_OK(finished);
        QVERIFY(finished->ok);
        const QString said = notes.join(QLatin1Char('\n'));
        QVERIFY2(said.contains("rows were loaded by an older ctxdb that kept no checksums") &&
                     said.contains("the final verification compares every row's content"),
                 qPrintable(said));

        // The same, with a loaded row changed: the load resumes, the verification fails.
        const QString path2 = plantedFile("older2.db");
        auto db2 = scratch("chgolder2");
        interrupt(path2, *db2, 1);
        exec(*db2, "DROP TABLE ctx_transfer_checksums");
        const QString loaded = text(*db2, "SELECT min(id) FROM messages");
        QVERIFY(execSql(path2, {"UPDATE messages SET content = 'edited' WHERE id = " + loaded}));
        MigrateOptions resume2 = options(path2, *db2);
        resume2.resume = true;
        auto checked = Migrator::run(resume2);
        CTX_VERIFY_OK(checked);
        QVERIFY(!checked->ok);
        QVERIFY(!table(*checked, "messages")->contentMatches);
        QCOMPARE(table(*checked, "messages")->targetRows,
                 table(*checked, "messages")->expectedRows);
    }

    void finalVerificationComparesContent() {
        const QString path = plantedFile("verify.db");
        auto db = scratch("chgverify");
        MigrateOptions o = options(path, *db);
        o.limits.rows = 50000;
        auto first = Migrator::run(o);
        CTX_VERIFY_OK(first);
        QVERIFY(first->ok); // every hazard, placeholder and dropped duplicate accounted for
        for (const TableSummary& t : first->tables)
            QVERIFY2(t.contentMatches, qPrintable(t.name));
        MigrateOptions again = o;
        again.resume = true; // a finished migration: verification only

        // jsonb rewritten in place to the same value is no difference.
        exec(*db, "UPDATE messages SET metadata = metadata");
        auto same = Migrator::run(again);
        CTX_VERIFY_OK(same);
        QVERIFY(same->alreadyComplete);
        QVERIFY(same->ok);

        // A target row tampered with after the load.
        const QString original = text(*db, "SELECT content FROM messages WHERE id = 3");
        exec(*db, "UPDATE messages SET content = 'tampered' WHERE id = 3");
        auto tampered = Migrator::run(again);
        CTX_VERIFY_OK(tampered);
        QVERIFY(!tampered->ok);
        QVERIFY(!table(*tampered, "messages")->contentMatches);
        QCOMPARE(table(*tampered, "messages")->targetRows,
                 table(*tampered, "messages")->expectedRows); // counts alone said pass
        QVERIFY(table(*tampered, "sessions")->ok());
        exec(*db, "UPDATE messages SET content = '" + original + "' WHERE id = 3");
        auto restored = Migrator::run(again);
        CTX_VERIFY_OK(restored);
        QVERIFY(restored->ok);

        // A session's time moved by one microsecond: timestamps compare exactly.
        exec(*db, "UPDATE sessions SET created_at = created_at + interval '1 microsecond' WHERE "
                  "id = '" +
                      fixture::kSessionA + "'");
        auto moved = Migrator::run(again);
        CTX_VERIFY_OK(moved);
        QVERIFY(!moved->ok);
        QVERIFY(!table(*moved, "sessions")->contentMatches);
        exec(*db, "UPDATE sessions SET created_at = created_at - interval '1 microsecond' WHERE "
                  "id = '" +
                      fixture::kSessionA + "'");

        // A source row updated in place after the migration finished.
        QVERIFY(execSql(path, {"UPDATE agent_memory SET value = 'changed' WHERE rowid = 1"}));
        auto changed = Migrator::run(again);
        CTX_VERIFY_OK(changed);
        QVERIFY(!changed->ok);
        QVERIFY(!table(*changed, "agent_memory")->contentMatches);
        QVERIFY(table(*changed, "messages")->ok());
    }
};

QTEST_GUILESS_MAIN(TestMigrateChangedSource)
#include "tst_migrate_changed_source.moc"
