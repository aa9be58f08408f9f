// The inspector on a database made from the server's own schema file (issue 16 item
// 2): the status bar, the schema tab and the schema migrations view say "3 (server's
// PostgreSQL schema)" and name the operator's own objects; the view's upgrade takes it
// to the latest version and the label stays.
#include "support/ServerSchemaDb.h"
#include "support/TestDatabases.h"
#include "ui/MainWindow.h"
#include "ui/app/PasswordVault.h"
#include "ui/schemaview/SchemaMigrationsView.h"
#include "ui/views/SchemaView.h"
#include "ui/views/SessionsView.h"

#include <QLabel>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>

using namespace ctx;
using namespace ctx::ui;
using namespace ctx::test;

class TestUiServerSchema : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<ScratchDatabase> m_db;

    QString url() const {
        return m_db->url().redacted().replace(QStringLiteral(":***@"), QStringLiteral("@"));
    }
    static QString statusBarText(MainWindow& w) {
        QStringList texts;
        for (QLabel* l : w.statusBar()->findChildren<QLabel*>())
            texts << l->text();
        return texts.join(QStringLiteral(" | "));
    }

private Q_SLOTS:
    void initTestCase() {
        qputenv("XDG_CONFIG_HOME", m_dir.filePath(QStringLiteral("config")).toUtf8());
        qputenv("XDG_DATA_HOME", m_dir.filePath(QStringLiteral("data")).toUtf8());
        auto db = ScratchDatabase::create(Engine::Postgres, QStringLiteral("uiserver"));
        QVERIFY2(db, db ? "" : qPrintable(db.error().oneLine()));
        m_db = std::move(*db);
        auto conn = m_db->connect(false);
        QVERIFY(conn);
        QVERIFY(runServerSchemaFile(**conn));
        QVERIFY((*conn)->exec("CREATE VIEW my_recent AS SELECT id FROM messages"));
        qputenv("PGPASSWORD", m_db->url().password().toUtf8());
        // Never save the password found in PGPASSWORD (no dialog asks).
        PasswordVault::setSaveDecision([](const QString&, PasswordSource) { return false; });
    }

    void statusBarAndSchemaTabSayItIsTheServers() {
        MainWindow w;
        w.show();
        QSignalSpy sessions(w.sessionsView(), &SessionsView::loaded);
        w.openDatabase(url());
        QVERIFY2(sessions.wait(30000), qPrintable(w.errorText()));
        QTRY_VERIFY2(statusBarText(w).contains("schema 3 (server's PostgreSQL schema)"),
                     qPrintable(statusBarText(w)));
        w.showTab(MainWindow::SchemaTab);
        QTRY_VERIFY2(
            w.schemaView()->summaryText().contains("Schema version 3 (server's PostgreSQL schema)"),
            qPrintable(w.schemaView()->summaryText()));
        QVERIFY(w.schemaView()->summaryText().contains("view my_recent"));
    }

    void migrationsViewUpgradesKeepingTheLabel() {
        SchemaMigrationsView view;
        QSignalSpy loaded(&view, &SchemaMigrationsView::loaded);
        view.setDatabase(url());
        QVERIFY(loaded.wait(60000));
        QVERIFY2(loaded.first().first().toBool(), qPrintable(view.messageText()));
        QVERIFY2(view.summaryText().contains("3 (server's PostgreSQL schema)"),
                 qPrintable(view.summaryText()));
        QVERIFY(view.summaryText().contains("Provided by the server's schema (recorded, not "
                                            "run): 4"));
        QVERIFY(view.summaryText().contains("view my_recent"));
        QVERIFY(view.canApply());
        QSignalSpy applied(&view, &SchemaMigrationsView::applied);
        QSignalSpy reloaded(&view, &SchemaMigrationsView::loaded);
        view.apply();
        QVERIFY(applied.wait(60000));
        QVERIFY2(applied.first().first().toBool(), qPrintable(view.messageText()));
        QVERIFY(reloaded.wait(60000));
        QVERIFY2(view.summaryText().contains("6 (server's PostgreSQL schema)"),
                 qPrintable(view.summaryText()));
    }
};

QTEST_MAIN(TestUiServerSchema)
#include "tst_ui_server_schema.moc"
