// The inspector against hostile input and with secrets, offscreen: every broken SQLite
// file of the corpus gives one readable error line (or opens what is readable), the
// window keeps running and the file keeps its bytes; a PostgreSQL connection opened
// with a password is remembered without the password in any file the application
// writes (settings, console history, caches).
#include "support/BrokenFiles.h"
#include "support/DiffLoader.h"
#include "support/LegacyFixtures.h"
#include "support/TestDatabases.h"
#include "ui/MainWindow.h"
#include "ui/app/RecentDatabases.h"
#include "ui/console/SqlConsole.h"
#include "ui/console/SqlEditor.h"
#include "ui/views/SessionsView.h"
#include "ui/workers/DatabaseSession.h"

#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace ctx;
using namespace ctx::ui;
using namespace ctx::test;

class TestUiReliability : public QObject {
    Q_OBJECT
    QTemporaryDir m_home;
    QTemporaryDir m_corpusDir;

private Q_SLOTS:
    void initTestCase() {
        for (const char* var : {"XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME"})
            qputenv(var, m_home.filePath(QString::fromLatin1(var)).toUtf8());
    }

    void brokenFilesGiveOneReadableLine() {
        const QStringList corpus = writeBrokenSqliteFiles(m_corpusDir.path());
        QVERIFY(corpus.size() >= 12);
        const QStringList filesBefore = QDir(m_corpusDir.path()).entryList(QDir::Files);
        MainWindow w;
        w.show();
        int failures = 0;
        for (const QString& path : corpus) {
            const FileFingerprint before = FileFingerprint::of(path);
            QSignalSpy failed(&w, &MainWindow::databaseFailed);
            QSignalSpy listFailed(w.sessionsView(), &SessionsView::failed);
            QSignalSpy loaded(w.sessionsView(), &SessionsView::loaded);
            w.openDatabase(path);
            QTRY_VERIFY2_WITH_TIMEOUT(failed.count() + listFailed.count() + loaded.count() > 0,
                                      qPrintable("neither opened nor refused: " + path), 30000);
            if (failed.count() + listFailed.count() > 0) {
                ++failures;
                const QString error = w.errorText();
                QVERIFY2(!error.isEmpty() && !error.contains(QLatin1Char('\n')), qPrintable(error));
                QVERIFY2(error.contains(QFileInfo(path).fileName()), qPrintable(error));
            }
            // The views' own reads of a half-readable file have finished: no job is left
            // on the database's worker.
            QTRY_VERIFY_WITH_TIMEOUT(!w.session() || w.session()->pendingJobs() == 0, 30000);
            QVERIFY2(FileFingerprint::of(path) == before, qPrintable("changed: " + path));
        }
        QVERIFY2(failures >= corpus.size() / 2, "most of the corpus must be refused");
        QCOMPARE(QDir(m_corpusDir.path()).entryList(QDir::Files), filesBefore);

        // The application keeps running: a good file opens afterwards.
        const QString good = m_corpusDir.filePath(QStringLiteral("chat_history.db"));
        QVERIFY(writeLegacyFile(good, LegacyVersion::V3b));
        QSignalSpy loaded(w.sessionsView(), &SessionsView::loaded);
        w.openDatabase(good);
        QVERIFY(loaded.wait(30000));
        QVERIFY(w.errorText().isEmpty());
        QCOMPARE(w.sessionsView()->sessionCount(), fixture::kSessions);
    }

    void rememberedConnectionKeepsNoPassword() {
        auto target = ScratchDatabase::create(Engine::Postgres, "uisecret");
        QVERIFY2(target, target ? "" : qPrintable(target.error().oneLine()));
        const QString legacy = m_corpusDir.filePath(QStringLiteral("to-load.db"));
        QVERIFY(writeLegacyFile(legacy, LegacyVersion::V3b));
        auto loadedOk = loadIntoPostgres(legacy, (*target)->url());
        QVERIFY2(loadedOk, loadedOk ? "" : qPrintable(loadedOk.error().oneLine()));
        const DatabaseUrl url = (*target)->url();
        const QByteArray password = url.password().toUtf8();
        QVERIFY(password.size() >= 8);
        {
            MainWindow w;
            w.show();
            QSignalSpy loaded(w.sessionsView(), &SessionsView::loaded);
            w.openDatabase(urlWithPassword(url));
            QVERIFY2(loaded.wait(30000), qPrintable(w.errorText()));
            QCOMPARE(w.sessionsView()->sessionCount(), fixture::kSessions);
            QVERIFY(!w.errorText().contains(QString::fromUtf8(password)));
            SqlConsole* console = w.console();
            QTRY_VERIFY_WITH_TIMEOUT(w.consoleSession() && w.consoleSession()->isOpen(), 30000);
            console->editor()->setText(QStringLiteral("SELECT COUNT(*) FROM messages"));
            QSignalSpy done(console, &SqlConsole::finished);
            console->run(SqlConsole::Scope::All);
            QVERIFY(done.wait(30000));
            QVERIFY(!console->history().isEmpty());
            w.close();
        }
        QSettings().sync();
        const QStringList recent = RecentDatabases::list();
        QVERIFY2(!recent.isEmpty() && recent.first().contains(url.host()),
                 qPrintable(recent.join(", ")));
        QVERIFY(
            !filesContaining(m_home.path(), QByteArray("SELECT COUNT(*) FROM messages")).isEmpty());
        QCOMPARE(filesContaining(m_home.path(), password), QStringList());
    }
};

QTEST_MAIN(TestUiReliability)
#include "tst_ui_reliability.moc"
