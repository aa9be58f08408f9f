// A source read without its -shm (no server had it open) that a server starts writing
// while migrate, diff or the store reads it: another process commits and checkpoints
// in the middle of the read, at a point the test chooses (a handshake, no sleeps).
// Every finished result equals one state of the file, before or after the writer's
// transaction; otherwise the work fails in one line and a migration's target is not
// marked complete. Nothing is created beside a source that had no -wal/-shm.
#include "core/compare/DiffJob.h"
#include "core/db/Connection.h"
#include "core/store/SqliteFtsBuilder.h"
#include "core/store/Store.h"
#include "core/transfer/Migrator.h"
#include "support/LegacyFixtures.h"
#include "support/SourceWriter.h"
#include "support/TestDatabases.h"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

using namespace ctx;
using namespace ctx::test;

namespace {

constexpr int kMessages = 1500; // about 4 kB each: more pages than a read's cache holds
const QString kChanged = QStringLiteral("the source changed while it was read");
const QByteArray& kChange = kBeforeToAfter;

QStringList filesIn(const QString& dir) {
    return QDir(dir).entryList(QDir::Files | QDir::Hidden, QDir::Name);
}

// "before" or "after" when every session and message is of one state, else what mixes.
QString stateOf(qint64 sessionsBefore, qint64 sessionsAfter, qint64 messagesBefore,
                qint64 messagesAfter) {
    const qint64 sessions = fixture::kSessions, messages = kMessages + fixture::kMessages;
    if (sessionsBefore == sessions && messagesBefore == messages)
        return QStringLiteral("before");
    if (sessionsAfter == sessions && messagesAfter == messages)
        return QStringLiteral("after");
    return QStringLiteral("mixed: sessions %1 before/%2 after, messages %3 before/%4 after")
        .arg(sessionsBefore)
        .arg(sessionsAfter)
        .arg(messagesBefore)
        .arg(messagesAfter);
}

} // namespace

class TestSourceChanges : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    QString source(const QString& name, bool wal) {
        const QString path = m_dir.filePath(name + QStringLiteral("/source.db"));
        if (!QDir().mkpath(QFileInfo(path).path()) || !writeBeforeSource(path, wal, kMessages))
            return {};
        return path;
    }

    static QString sqliteState(const QString& path) {
        auto conn = Connection::open(DatabaseUrl::sqliteFile(path));
        if (!conn)
            return conn.error().oneLine();
        return state(**conn);
    }

    static QString state(const Connection& c) {
        auto n = [&](const char* sql) {
            return c.scalar(QLatin1String(sql)).value_or(QVariant()).toLongLong();
        };
        return stateOf(n("SELECT count(*) FROM sessions WHERE purpose LIKE 'before-%'"),
                       n("SELECT count(*) FROM sessions WHERE purpose LIKE 'after-%'"),
                       n("SELECT count(*) FROM messages WHERE content LIKE 'before-%'"),
                       n("SELECT count(*) FROM messages WHERE content LIKE 'after-%'"));
    }

private slots:
    void migrateWhileAServerWrites() {
        const QString path = source(QStringLiteral("migrate"), true);
        QVERIFY(!path.isEmpty());
        auto target = ScratchDatabase::create(Engine::Postgres, QStringLiteral("srcchg"));
        QVERIFY2(target, target ? "" : qPrintable(target.error().oneLine()));
        SourceWriter writer(path);
        QVERIFY(writer.started());
        QByteArray wrote;
        MigrateOptions o;
        o.sourcePath = path;
        o.target = (*target)->url();
        o.jobs = 1;
        // The first table loaded (sessions) is done, messages are next: the writer
        // commits and checkpoints now, and the load goes on once it has.
        o.onEvent = [&](const MigrateEvent& e) {
            if (e.type == MigrateEvent::Type::Progress && wrote.isEmpty())
                wrote = writer.sql(kChange) + " / " + writer.checkpoint();
        };
        auto summary = Migrator::run(o);
        QVERIFY2(wrote.startsWith("ok / ok 0"), wrote.constData());
        auto pg = (*target)->connect(true);
        QVERIFY(pg);
        // Complete: the progress table of a finished migration says 'done'.
        auto done = (*pg)->scalar(
            QStringLiteral("SELECT to_regclass('ctx_migration_progress') IS NOT NULL"));
        if (done && done->toBool())
            done = (*pg)->scalar(QStringLiteral(
                "SELECT EXISTS (SELECT 1 FROM ctx_migration_progress WHERE status = 'done')"));
        QVERIFY2(done, done ? "" : qPrintable(done.error().oneLine()));
        if (!summary) {
            const QString line = summary.error().oneLine();
            qInfo("the migration stopped: %s", qPrintable(line));
            QVERIFY2(line.contains(kChanged) && !line.contains(QLatin1Char('\n')),
                     qPrintable(line));
            QVERIFY2(!done->toBool(), "a migration that failed is marked complete");
            return;
        }
        const QString got = state(**pg);
        QVERIFY2(summary->ok && (got == QLatin1String("before") || got == QLatin1String("after")),
                 qPrintable(QStringLiteral("verified: %1; target: %2").arg(summary->ok).arg(got)));
    }

    void diffWhileAServerWrites() {
        const QString path = source(QStringLiteral("diff"), true);
        QVERIFY(!path.isEmpty());
        const QString copy = m_dir.filePath(QStringLiteral("diff/before.db"));
        QVERIFY(QFile::copy(path, copy));
        const QStringList files = filesIn(QFileInfo(path).path());
        SourceWriter writer(path);
        QVERIFY(writer.started());
        DiffOptions o;
        o.a = DatabaseUrl::sqliteFile(path);
        o.b = DatabaseUrl::sqliteFile(copy);
        o.jobs = 1;
        o.chunkRows = 200;
        DiffJob job(o);
        QByteArray wrote;
        job.setProgressCallback([&](const DiffProgress& p) {
            if (p.table == QLatin1String("messages") && wrote.isEmpty())
                wrote = writer.sql(kChange) + " / " + writer.checkpoint();
        });
        auto report = job.run();
        QVERIFY2(wrote.startsWith("ok / ok 0"), wrote.constData());
        QVERIFY(filesIn(QFileInfo(path).path()) != files); // the writer's -wal and -shm
        if (!report) {
            const QString line = report.error().oneLine();
            qInfo("the comparison stopped: %s", qPrintable(line));
            QVERIFY2(line.contains(kChanged) && !line.contains(QLatin1Char('\n')),
                     qPrintable(line));
            return;
        }
        // Against the copy: all equal (before) or every changed row different (after).
        for (const TableDiff& t : report->tables) {
            if (t.name != QLatin1String("messages") && t.name != QLatin1String("sessions"))
                continue;
            QVERIFY2(report->equal() || t.identical + t.equalNormalized == 0,
                     qPrintable(QStringLiteral("%1: %2 equal, %3 different")
                                    .arg(t.name)
                                    .arg(t.identical + t.equalNormalized)
                                    .arg(t.different)));
        }
    }

    void pagingWhileAServerWrites() {
        const QString path = source(QStringLiteral("paging"), true);
        QVERIFY(!path.isEmpty());
        auto conn = Connection::open(DatabaseUrl::sqliteFile(path));
        QVERIFY(conn);
        MessageQuery q;
        q.sessionId = fixture::kSessionA;
        q.limit = 100;
        auto first = MessageStore(**conn).page(q);
        QVERIFY2(first, first ? "" : qPrintable(first.error().oneLine()));
        QVERIFY((*conn)->sourceUnchanged());
        SourceWriter writer(path);
        const QByteArray wrote = writer.sql(kChange) + " / " + writer.checkpoint();
        QVERIFY2(wrote.startsWith("ok / ok 0"), wrote.constData());
        q.after = first->nextCursor;
        auto second = MessageStore(**conn).page(q);
        // The page read under the writer does not count: the watch says so.
        const Status unchanged = (*conn)->sourceUnchanged();
        QVERIFY(!unchanged);
        QVERIFY2(unchanged.error().oneLine().contains(kChanged),
                 qPrintable(unchanged.error().oneLine()));
        // Opened again (as the inspector does), the file is read through the writer's
        // -shm: the page is "after".
        QVERIFY((*conn)->reopenChangedSource());
        QVERIFY((*conn)->sourceUnchanged());
        second = MessageStore(**conn).page(q);
        QVERIFY2(second, second ? "" : qPrintable(second.error().oneLine()));
        QCOMPARE(second->messages.size(), 100);
        for (const Message& m : second->messages)
            QVERIFY2(m.content.startsWith(QLatin1String("after-")), qPrintable(m.content.left(20)));
        QCOMPARE(state(**conn), QStringLiteral("after"));
    }

    // A rollback-journal file: a writer commits in place; its change counter says so.
    void rollbackFileWrittenWhileOpen() {
        const QString path = source(QStringLiteral("rollback"), false);
        QVERIFY(!path.isEmpty());
        auto conn = Connection::open(DatabaseUrl::sqliteFile(path));
        QVERIFY(conn);
        QCOMPARE(state(**conn), QStringLiteral("before"));
        QVERIFY((*conn)->sourceUnchanged());
        SourceWriter writer(path);
        QCOMPARE(writer.sql(kChange), QByteArray("ok")); // a reader does not block it
        QVERIFY(!(*conn)->sourceUnchanged());
        QCOMPARE(sqliteState(path), QStringLiteral("after"));
    }

    // The search side cache of a source read without its -shm: a batch read after a
    // writer checkpointed into the file is not kept; the next build reads it as it is.
    void searchCacheWhileAServerWrites() {
        const QString path = m_dir.filePath(QStringLiteral("fts/source.db"));
        QVERIFY(QDir().mkpath(QFileInfo(path).path()));
        QVERIFY(writeLegacyFile(path, LegacyVersion::V3b, true));
        QVERIFY(execSql(path, {QStringLiteral("PRAGMA journal_mode=WAL"),
                               QStringLiteral("WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT "
                                              "i + 1 FROM c WHERE i < 30000) INSERT INTO "
                                              "messages (session_id, sender, content) SELECT "
                                              "'%1', 'agent', 'before ' || i FROM c")
                                   .arg(fixture::kSessionA)}));
        QVERIFY(!QFileInfo::exists(path + QStringLiteral("-shm")));
        SourceWriter writer(path);
        QByteArray wrote;
        auto cache = store::SqliteFtsBuilder::refreshCache(
            path, m_dir.filePath(QStringLiteral("fts-cache")), [&](qint64, qint64) {
                if (wrote.isEmpty()) // the first batch is committed; the second comes next
                    wrote = writer.sql("UPDATE messages SET content = 'after' WHERE id > 20") +
                            " / " + writer.checkpoint();
            });
        QVERIFY2(wrote.startsWith("ok / ok 0"), wrote.constData());
        QVERIFY(!cache);
        QVERIFY2(cache.error().oneLine().contains(kChanged), qPrintable(cache.error().oneLine()));
        cache = store::SqliteFtsBuilder::refreshCache(
            path, m_dir.filePath(QStringLiteral("fts-cache")), {});
        QVERIFY2(cache, cache ? "" : qPrintable(cache.error().oneLine()));
    }

    // What makes a -shm that is not there a witness: while a reader has the file open,
    // a writer can commit and checkpoint, but neither remove its -wal/-shm when it
    // closes nor take the file out of WAL mode (both need an EXCLUSIVE lock).
    void aWriterCannotHideWhileTheFileIsRead() {
        const QString path = source(QStringLiteral("hide"), true);
        QVERIFY(!path.isEmpty());
        const QString shm = path + QStringLiteral("-shm");
        auto conn = Connection::open(DatabaseUrl::sqliteFile(path));
        QVERIFY(conn);
        {
            SourceWriter writer(path);
            QCOMPARE(writer.sql("PRAGMA busy_timeout = 200"), QByteArray("ok"));
            QCOMPARE(writer.sql(kChange), QByteArray("ok"));
            QVERIFY(writer.checkpoint().startsWith("ok 0"));
            QVERIFY(writer.sql("PRAGMA journal_mode = DELETE").startsWith("error"));
        } // the writer closes: its last-connection cleanup cannot run
        QVERIFY(QFileInfo::exists(shm));
        QVERIFY(!(*conn)->sourceUnchanged());
        conn->reset(); // closed: the next writer cleans up
        QVERIFY(execSql(path, {QStringLiteral("SELECT count(*) FROM sessions")}));
        QVERIFY(!QFileInfo::exists(shm));
    }

    // Reading a file that has no -wal/-shm (WAL or rollback journal) creates nothing
    // beside it and changes none of its bytes; the watch's lock does not stop a
    // WAL writer from committing and checkpointing.
    void nothingCreatedBesideTheSource() {
        for (bool wal : {true, false}) {
            const QString path =
                source(wal ? QStringLiteral("quiet-wal") : QStringLiteral("quiet-rollback"), wal);
            QVERIFY(!path.isEmpty());
            const QString dir = QFileInfo(path).path();
            const QStringList files = filesIn(dir);
            const FileFingerprint bytes = FileFingerprint::of(path);
            {
                auto conn = Connection::open(DatabaseUrl::sqliteFile(path));
                QVERIFY(conn);
                QCOMPARE(state(**conn), QStringLiteral("before"));
                DiffOptions o;
                o.a = o.b = DatabaseUrl::sqliteFile(path);
                auto report = DiffJob(o).run();
                QVERIFY2(report && report->equal(),
                         report ? "unequal" : qPrintable(report.error().oneLine()));
                QCOMPARE(filesIn(dir), files);
                QVERIFY((*conn)->sourceUnchanged());
            }
            QCOMPARE(filesIn(dir), files);
            QVERIFY(FileFingerprint::of(path) == bytes);
        }
    }
};

int main(int argc, char** argv) {
    if (const int code = SourceWriter::runIfWriter(argc, argv); code >= 0)
        return code;
    QCoreApplication app(argc, argv);
    TestSourceChanges test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_source_changes.moc"
