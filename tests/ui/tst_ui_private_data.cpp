// What the inspector keeps of a user's secrets (issue 17, items 7, 8 and 13), offscreen:
// console history lives in a 0600 file (never in the settings file, and an older
// version's entries are moved out of it); the recent-databases list holds no
// password and no secret parameter, a malformed URL found in a .env shows none of its
// password; reports are the owner's only; a password found in
// PGPASSWORD or the pgpass file reaches the keychain only when the user says yes (the
// question preselects No), while a password given in the URL is kept as before.
#include "core/PrivateFiles.h"
#include "support/DiffLoader.h"
#include "support/LegacyFixtures.h"
#include "support/TestDatabases.h"
#include "ui/MainWindow.h"
#include "ui/app/PasswordVault.h"
#include "ui/app/RecentDatabases.h"
#include "ui/console/ConsoleHistory.h"
#include "ui/console/SqlConsole.h"
#include "ui/console/SqlEditor.h"
#include "ui/views/OpenDialog.h"
#include "ui/views/SessionsView.h"
#include "ui/wizard/ReportExport.h"
#include "ui/workers/DatabaseSession.h"

#include <QApplication>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <sys/stat.h>

using namespace ctx;
using namespace ctx::ui;
using namespace ctx::test;

namespace {
int modeOf(const QString& path) {
    struct stat st {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return -1;
    return int(st.st_mode & 07777);
}

bool openAndWait(MainWindow& w, const QString& url) {
    QSignalSpy loaded(w.sessionsView(), &SessionsView::loaded);
    w.openDatabase(url);
    return loaded.wait(30000);
}
} // namespace

class TestUiPrivateData : public QObject {
    Q_OBJECT
    QTemporaryDir m_home;

    QString configDir() const { return m_home.filePath("XDG_CONFIG_HOME"); }

private Q_SLOTS:
    void initTestCase() {
        ::umask(022);
        for (const char* var : {"XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME"})
            qputenv(var, m_home.filePath(QString::fromLatin1(var)).toUtf8());
        qunsetenv("PGPASSWORD");
        qunsetenv("PGPASSFILE");
    }

    void consoleHistoryIsAPrivateFile() {
        const QString file = m_home.filePath("chat_history.db");
        QVERIFY(writeLegacyFile(file, LegacyVersion::V3b));
        // What an older version left in the settings file is moved out at the first read.
        const QString oldKey =
            QStringLiteral("console/history/") +
            QString::fromLatin1(file.toUtf8().toBase64(QByteArray::Base64UrlEncoding));
        QSettings().setValue(oldKey, QStringList{"SELECT 'old-secret-1234'"});
        QSettings().sync();
        {
            MainWindow w;
            w.show();
            QVERIFY(openAndWait(w, file));
            SqlConsole* console = w.console();
            QTRY_VERIFY_WITH_TIMEOUT(w.consoleSession() && w.consoleSession()->isOpen(), 30000);
            console->editor()->setText(QStringLiteral("SELECT 'new-secret-5678'"));
            QSignalSpy done(console, &SqlConsole::finished);
            console->run(SqlConsole::Scope::All);
            QVERIFY(done.wait(30000));
            QCOMPARE(console->history(),
                     QStringList({"SELECT 'new-secret-5678'", "SELECT 'old-secret-1234'"}));
            w.close();
        }
        QSettings().sync();
        QVERIFY(!QSettings().contains(oldKey));
        QCOMPARE(filesContaining(configDir(), "secret-"), QStringList());
        const QString path = ConsoleHistory::pathFor(file);
        QCOMPARE(filesContaining(m_home.path(), "new-secret-5678"), QStringList{path});
        QCOMPARE(modeOf(path), 0600);
        QCOMPARE(modeOf(ConsoleHistory::directory()), 0700);
    }

    void recentDatabasesKeepNoSecret() {
        auto url = DatabaseUrl::parse(
            "postgresql://u:Pw9Secret@h/db?sslpassword=Kx8Secret&sslmode=require");
        QVERIFY(url);
        RecentDatabases::add(*url);
        QSettings().sync();
        QCOMPARE(RecentDatabases::list().first(),
                 QStringLiteral("postgresql://u@h:5432/db?sslmode=require"));
        QCOMPARE(filesContaining(m_home.path(), "Kx8Secret"), QStringList());
        QCOMPARE(filesContaining(m_home.path(), "Pw9Secret"), QStringList());
    }

    // A .env whose DATABASE_URL has a raw '/' in its password: the old parser read
    // "5398" as a port and "Wq9et@h/db" as the database, and the Open dialog listed both.
    void discoveredMalformedUrlShowsNoPassword() {
        const QString project = m_home.filePath("project");
        QVERIFY(QDir().mkpath(project));
        QFile env(project + "/.env");
        QVERIFY(env.open(QIODevice::WriteOnly));
        env.write("DATABASE_URL=postgresql://bob:5398/Wq9et@h/db\n");
        env.close();
        const QString before = QDir::currentPath();
        QVERIFY(QDir::setCurrent(project));
        OpenDialog dialog;
        QVERIFY(QDir::setCurrent(before));
        auto* list = dialog.findChild<QListWidget*>();
        QVERIFY(list);
        QStringList shown;
        for (int i = 0; i < list->count(); ++i)
            shown << list->item(i)->text();
        for (const char* piece : {"5398", "Wq9et"})
            QVERIFY2(!shown.join('|').contains(QLatin1String(piece)), qPrintable(shown.join('|')));
    }

    void reportsAreTheOwnersOnly() {
        const QString path = m_home.filePath("report.html");
        QVERIFY(ReportExport::write(path, "<p>rows</p>"));
        QCOMPARE(modeOf(path), 0600);
    }

    void environmentPasswordsAreKeptOnlyWhenAllowed() {
        auto target = ScratchDatabase::create(Engine::Postgres, "uiasksave");
        QVERIFY2(target, target ? "" : qPrintable(target.error().oneLine()));
        const QString legacy = m_home.filePath("to-load.db");
        QVERIFY(writeLegacyFile(legacy, LegacyVersion::V3b));
        auto loadedOk = loadIntoPostgres(legacy, (*target)->url());
        QVERIFY2(loadedOk, loadedOk ? "" : qPrintable(loadedOk.error().oneLine()));
        const DatabaseUrl full = (*target)->url();
        const QString bare = full.withoutSecrets();
        const QString pgpass = m_home.filePath("pgpass");
        QFile f(pgpass);
        QVERIFY(f.open(QIODevice::WriteOnly, kPrivateFile));
        f.write("*:*:*:*:" + full.password().toUtf8() + "\n");
        f.close();

        for (PasswordSource source : {PasswordSource::Environment, PasswordSource::PgPassFile}) {
            if (source == PasswordSource::Environment) {
                qputenv("PGPASSWORD", full.password().toUtf8());
            } else {
                qunsetenv("PGPASSWORD");
                qputenv("PGPASSFILE", pgpass.toUtf8());
            }
            for (bool answer : {false, true}) {
                QList<PasswordSource> asked;
                PasswordVault::setSaveDecision([&](const QString& key, PasswordSource s) {
                    asked << s;
                    return answer && !key.contains(full.password());
                });
                MainWindow w;
                w.show();
                auto* vault = w.findChild<PasswordVault*>();
                QVERIFY(vault);
                QSignalSpy storing(vault, &PasswordVault::storing);
                QVERIFY2(openAndWait(w, bare), qPrintable(w.errorText()));
                QCOMPARE(asked, QList<PasswordSource>{source});
                QCOMPARE(storing.count(), answer ? 1 : 0);
            }
        }
        qunsetenv("PGPASSFILE");

        // Without an installed decision the user is asked, and Enter answers No.
        PasswordVault::setSaveDecision({});
        qputenv("PGPASSWORD", full.password().toUtf8());
        {
            MainWindow w;
            w.show();
            QSignalSpy storing(w.findChild<PasswordVault*>(), &PasswordVault::storing);
            bool askedWithNo = false;
            QTimer poll;
            connect(&poll, &QTimer::timeout, this, [&] {
                for (QWidget* top : QApplication::topLevelWidgets()) {
                    auto* box = qobject_cast<QMessageBox*>(top);
                    if (!box || !box->isVisible())
                        continue;
                    askedWithNo = box->standardButton(box->defaultButton()) == QMessageBox::No;
                    QTest::keyClick(box, Qt::Key_Return);
                }
            });
            poll.start(50);
            QVERIFY2(openAndWait(w, bare), qPrintable(w.errorText()));
            QVERIFY(askedWithNo);
            QCOMPARE(storing.count(), 0);
        }
        qunsetenv("PGPASSWORD");

        // A password the user gave in the URL is kept without a question, as before.
        QList<PasswordSource> asked;
        PasswordVault::setSaveDecision([&](const QString&, PasswordSource s) {
            asked << s;
            return false;
        });
        MainWindow w;
        w.show();
        QSignalSpy storing(w.findChild<PasswordVault*>(), &PasswordVault::storing);
        QVERIFY2(openAndWait(w, urlWithPassword(full)), qPrintable(w.errorText()));
        QVERIFY(asked.isEmpty());
        QCOMPARE(storing.count(), 1);
        PasswordVault::setSaveDecision({});
    }
};

QTEST_MAIN(TestUiPrivateData)
#include "tst_ui_private_data.moc"
