// A corpus of broken SQLite files against every command that reads a source: a
// one-line error or a partial report, never a crash or a hang, never a write.
#include "support/BrokenFiles.h"
#include "support/CliRunner.h"
#include "support/LegacyFixtures.h"
#include "support/TestDatabases.h"

#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

using namespace ctx;
using namespace ctx::test;

class TestHostileFiles : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QStringList m_corpus;

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_corpus = writeBrokenSqliteFiles(m_dir.path());
        QVERIFY(m_corpus.size() >= 12);
    }

    void everyCommandFailsCleanly_data() {
        QTest::addColumn<QStringList>("command");
        QTest::newRow("schema status") << QStringList{"schema", "status"};
        QTest::newRow("assess") << QStringList{"assess"};
        QTest::newRow("sessions") << QStringList{"sessions"};
        QTest::newRow("search") << QStringList{"search", "@", "agent"};
        QTest::newRow("health") << QStringList{"health"};
        QTest::newRow("diff") << QStringList{"diff", "@", "@"};
    }
    void everyCommandFailsCleanly() {
        QFETCH(QStringList, command);
        for (const QString& path : m_corpus) {
            QStringList args = command;
            if (args.contains("@"))
                args.replaceInStrings("@", path);
            else
                args << path;
            const QStringList before = QDir(m_dir.path()).entryList(QDir::Files, QDir::Name);
            const FileFingerprint print = FileFingerprint::of(path);
            const CliResult r = runCtxdb(args, QProcessEnvironment::systemEnvironment(), 120000);
            const QString what =
                args.join(' ') + " -> " + QString::number(r.exitCode) + ": " +
                QString::fromUtf8(r.err.left(600)).replace(QLatin1Char('\n'), "\\n");
            QVERIFY2(r.exitCode == 0 || r.exitCode == 1 || r.exitCode == 3, qPrintable(what));
            if (r.exitCode == 1) {
                const QString err = QString::fromUtf8(r.err).trimmed();
                QVERIFY2(!err.isEmpty() && !err.contains('\n') && err.startsWith("ctxdb: "),
                         qPrintable(what));
            }
            QVERIFY2(FileFingerprint::of(path) == print, qPrintable("changed: " + what));
            QCOMPARE(QDir(m_dir.path()).entryList(QDir::Files, QDir::Name), before);
        }
    }

    void migrateFailsCleanly() {
        auto target = ScratchDatabase::create(Engine::Postgres, "hostile");
        QVERIFY2(target, target ? "" : qPrintable(target.error().oneLine()));
        const DatabaseUrl url = (*target)->url();
        const QString urlText = urlWithPassword(url);
        for (const QString& path : m_corpus) {
            const FileFingerprint print = FileFingerprint::of(path);
            const CliResult r = runCtxdb({"migrate", path, urlText, "--replace"},
                                         QProcessEnvironment::systemEnvironment(), 120000);
            const QString what = path + " -> " + QString::number(r.exitCode) + ": " +
                                 QString::fromUtf8(r.err.left(300));
            QVERIFY2(r.exitCode == 0 || r.exitCode == 1, qPrintable(what));
            QVERIFY2(!r.all().contains(url.password()), "password printed");
            QVERIFY2(FileFingerprint::of(path) == print, qPrintable("changed: " + what));
        }
    }
    void damagedSourceRefusedBeforeWriting() {
        // A file with corrupt pages made migrate create the tables, load the rows in
        // front of the first bad page and stop. It is refused, in one line naming the
        // damage, before anything is written to the target.
        int refused = 0;
        for (const QString& path : m_corpus) {
            if (!QFileInfo(path).fileName().startsWith("flipped-"))
                continue;
            auto target = ScratchDatabase::create(Engine::Postgres, "damaged");
            QVERIFY2(target, target ? "" : qPrintable(target.error().oneLine()));
            const DatabaseUrl url = (*target)->url();
            const QString urlText = urlWithPassword(url);
            const CliResult r = runCtxdb({"migrate", path, urlText},
                                         QProcessEnvironment::systemEnvironment(), 120000);
            const QString err = QString::fromUtf8(r.err).trimmed();
            const QString what = path + " -> " + QString::number(r.exitCode) + ": " + err;
            if (r.exitCode == 0)
                continue; // the flips hit no page structure quick_check reads
            auto conn = (*target)->connect();
            QVERIFY(conn.has_value());
            auto tables = (*conn)->scalar(
                QStringLiteral("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"));
            QVERIFY(tables.has_value());
            QVERIFY2(tables->toInt() == 0, qPrintable("target written: " + what));
            QCOMPARE(r.exitCode, 1);
            QVERIFY2(err.startsWith("ctxdb: ") && !err.contains('\n'), qPrintable(what));
            if (err.contains("damaged (quick_check: "))
                ++refused;
        }
        QVERIFY(refused > 0);
    }
};

QTEST_GUILESS_MAIN(TestHostileFiles)
#include "tst_hostile_files.moc"
