// A corpus of broken SQLite files against every command that reads a source: a
// one-line error or a partial report, never a crash or a hang, never a write.
#include "core/legacy/DemoWriter.h"
#include "support/CliRunner.h"
#include "support/LegacyFixtures.h"
#include "support/TestDatabases.h"

#include <QDir>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>

using namespace ctx;
using namespace ctx::test;

class TestHostileFiles : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QByteArray m_good;
    QStringList m_corpus;

    QString write(const QString& name, const QByteArray& bytes) {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
            qFatal("cannot write %s", qPrintable(path));
        m_corpus << path;
        return path;
    }

private Q_SLOTS:
    void initTestCase() {
        const QString good = m_dir.filePath("good.db");
        DemoOptions o;
        o.path = good;
        o.messages = 3000;
        o.seed = 3;
        QVERIFY(DemoWriter::write(o));
        QFile f(good);
        QVERIFY(f.open(QIODevice::ReadOnly));
        m_good = f.readAll();
        QVERIFY(m_good.size() > 64 * 1024);
        QFile::remove(good);

        for (int percent : {1, 10, 50, 90})
            write(QStringLiteral("truncated-%1.db").arg(percent),
                  m_good.left(m_good.size() * percent / 100 + 37));
        QRandomGenerator rng(20261126);
        for (int n : {1, 2, 3}) {
            QByteArray flipped = m_good;
            for (int i = 0; i < 40 * n; ++i) {
                const qsizetype at = 100 + qsizetype(rng.bounded(int(flipped.size() - 100)));
                flipped[at] = char(flipped[at] ^ char(1 + rng.bounded(255)));
            }
            write(QStringLiteral("flipped-%1.db").arg(n), flipped);
        }
        QByteArray zeroed = m_good;
        zeroed.replace(0, 100, QByteArray(100, '\0'));
        write("zeroed-header.db", zeroed);
        QByteArray pageSize = m_good;
        pageSize[16] = 0x02; // claims 512-byte pages
        pageSize[17] = 0x00;
        write("wrong-page-size.db", pageSize);
        QByteArray random(256 * 1024, Qt::Uninitialized);
        for (char& c : random)
            c = char(rng.bounded(256));
        write("encrypted-looking.db", random);
        // A WAL without its database: the -wal file alone, and the missing file.
        QByteArray wal("\x37\x7f\x06\x82\x00\x2d\xe2\x18", 8);
        wal += QByteArray(4096, 'w');
        write("orphan.db-wal", wal);
        m_corpus << m_dir.filePath("orphan.db");
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
            const QString what = args.join(' ') + " -> " + QString::number(r.exitCode) + ": " +
                                 QString::fromUtf8(r.err.left(300));
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
        const QString urlText = url.redacted().replace("***", url.password());
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
};

QTEST_GUILESS_MAIN(TestHostileFiles)
#include "tst_hostile_files.moc"
