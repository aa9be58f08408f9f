// Passwords never appear in what the tool prints, in the files it writes, or in its
// process title: a migration and a comparison run with a password in the URL, then
// every line printed and every file written is searched for it.
#include "core/legacy/DemoWriter.h"
#include "support/CliRunner.h"
#include "support/LegacyFixtures.h"
#include "support/TestDatabases.h"

#include <QDateTime>
#include <QDirIterator>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

using namespace ctx;
using namespace ctx::test;

class TestSecrets : public QObject {
    Q_OBJECT
    QTemporaryDir m_home;
    QDateTime m_started = QDateTime::currentDateTimeUtc().addSecs(-1);

    // Files written since the test started, anywhere ctxdb could have written them (its
    // home and XDG folders, the working directory, the system's temporary directory),
    // that hold `needle`. The sandbox server's own folder keeps its URL: left out.
    QStringList filesWrittenHolding(const QByteArray& needle) const {
        const QString sandbox = QString::fromLocal8Bit(qgetenv("CTX_PG_SANDBOX_DIR"));
        QStringList found;
        for (const QString& root :
             {m_home.path(), QDir::currentPath(), QStringLiteral("/tmp"), QDir::tempPath()}) {
            QDirIterator it(root, QDir::Files | QDir::Hidden | QDir::NoSymLinks,
                            QDirIterator::Subdirectories);
            while (it.hasNext()) {
                const QString path = it.next();
                const QFileInfo info = it.fileInfo();
                if ((!sandbox.isEmpty() && path.startsWith(sandbox)) ||
                    info.lastModified() < m_started || info.size() > 64 * 1024 * 1024)
                    continue;
                QFile f(path);
                if (f.open(QIODevice::ReadOnly) && f.readAll().contains(needle) &&
                    !found.contains(path))
                    found << path;
            }
        }
        return found;
    }

    QProcessEnvironment isolatedEnvironment() const {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("HOME", m_home.path());
        env.insert("XDG_CONFIG_HOME", m_home.filePath("config"));
        env.insert("XDG_CACHE_HOME", m_home.filePath("cache"));
        env.insert("XDG_DATA_HOME", m_home.filePath("data"));
        env.insert("TMPDIR", m_home.filePath("tmp"));
        QDir().mkpath(m_home.filePath("tmp"));
        return env;
    }

private Q_SLOTS:
    void migrationAndComparisonNeverShowThePassword() {
        auto target = ScratchDatabase::create(Engine::Postgres, "secrets");
        QVERIFY2(target, target ? "" : qPrintable(target.error().oneLine()));
        const DatabaseUrl url = (*target)->url();
        const QByteArray password = url.password().toUtf8();
        QVERIFY(password.size() >= 8);
        const QString withPassword = urlWithPassword(url);
        const QString source = m_home.filePath("legacy.db");
        QVERIFY(writeLegacyFile(source, LegacyVersion::V3b));
        const auto env = isolatedEnvironment();
        QList<CliResult> runs;
        runs << runCtxdb({"assess", source}, env);
        runs << runCtxdb({"migrate", source, withPassword}, env);
        runs << runCtxdb({"migrate", source, withPassword, "--json"}, env); // refused: has data
        runs << runCtxdb({"diff", source, withPassword}, env);
        runs << runCtxdb({"diff", source, withPassword, "--json", "--rows", "5"}, env);
        runs << runCtxdb({"schema", "status", withPassword, "--json"}, env);
        runs << runCtxdb({"health", withPassword}, env);
        DatabaseUrl wrong = url;
        wrong.setPassword(QString::fromUtf8(password) + "x");
        runs << runCtxdb({"sessions", urlWithPassword(wrong)}, env);
        runs << runCtxdb({"assess", withPassword}, env); // a URL where a file belongs
        // Every run ends as it should (a crash, exit -1, is no pass).
        const QList<int> expected{0, 0, 1, 0, 0, 0, 0, 1, 2};
        for (qsizetype i = 0; i < runs.size(); ++i)
            QVERIFY2(runs[i].exitCode == expected[i],
                     qPrintable(QStringLiteral("run %1 exited %2: %3")
                                    .arg(i)
                                    .arg(runs[i].exitCode)
                                    .arg(runs[i].all().right(300))));
        for (const CliResult& r : runs) {
            QVERIFY2(!r.out.contains(password), r.out.constData());
            QVERIFY2(!r.err.contains(password), r.err.constData());
        }
        QVERIFY(runs[1].all().contains("***") || !runs[1].all().contains("postgresql://"));
        QCOMPARE(filesWrittenHolding(password), QStringList());
    }

    // Passwords with a raw '/' or '?', and sslpassword=, in URLs that do not parse or do
    // not connect: every command's one line names the reason and shows no part of them.
    void malformedUrlsShowNoPartOfThePassword() {
        const QString source = m_home.filePath("legacy-malformed.db");
        QVERIFY(writeLegacyFile(source, LegacyVersion::V3b));
        const QStringList urls{
            "postgresql://bob:Kx7s3/Wq9et@127.0.0.1:1/db",
            "postgresql://bob:Kx7s3?Wq9et@127.0.0.1:1/db",
            "postgresql://bob:Kx7s3/Wq9et@[::1/db",
            "postgresql:/bob:Kx7s3Wq9et@127.0.0.1:1/db",
            "postgresql://bob@127.0.0.1:1/db?sslpassword=Kx7s3Wq9et",
            "postgresql://bob@127.0.0.1:1/db?sslpassword=Kx7s3Wq9et&sslmode=bad",
        };
        const auto env = isolatedEnvironment();
        for (const QString& url : urls) {
            QList<CliResult> runs;
            runs << runCtxdb({"sessions", url}, env) << runCtxdb({"assess", url}, env)
                 << runCtxdb({"schema", "status", url}, env) << runCtxdb({"health", url}, env)
                 << runCtxdb({"diff", source, url}, env) << runCtxdb({"migrate", source, url}, env);
            for (const CliResult& r : runs) {
                const QString all = r.all();
                QVERIFY2(r.exitCode != 0, qPrintable(all));
                for (const char* piece : {"Kx7s3", "Wq9et"})
                    QVERIFY2(!all.contains(QLatin1String(piece)), qPrintable(url + " -> " + all));
            }
        }
        QCOMPARE(filesContaining(m_home.path(), "Kx7s3"), QStringList());
    }

    void processTitleHidesThePassword() {
        // A server that accepts and never answers keeps ctxdb waiting in connect.
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        const QByteArray password = "S3cretPassw0rdForTitle";
        const QString url = QStringLiteral("postgresql://agent:%1@127.0.0.1:%2/db")
                                .arg(QString::fromUtf8(password))
                                .arg(silent.serverPort());
        QProcess p;
        p.setProcessEnvironment(isolatedEnvironment());
        p.start(QString::fromLocal8Bit(qgetenv("CTXDB_BIN")), {"schema", "status", url});
        QVERIFY(p.waitForStarted());
        // ctxdb scrubs its arguments before it connects: once it is connecting, read them.
        QVERIFY(silent.waitForNewConnection(30000));
        QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(p.processId()));
        QVERIFY(cmdline.open(QIODevice::ReadOnly));
        const QByteArray title = cmdline.readAll();
        QVERIFY2(title.contains("127.0.0.1"), title.constData());
        QVERIFY2(!title.contains(password), title.constData());
        p.kill();
        p.waitForFinished();
    }
};

QTEST_GUILESS_MAIN(TestSecrets)
#include "tst_secrets.moc"
