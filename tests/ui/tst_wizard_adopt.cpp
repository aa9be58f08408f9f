// The wizard's plan page on a target made from the server's own schema file (issue 16
// item 3): it says the tables are adopted and names the operator's objects; with
// objects that depend on the tables a fresh load is not offered and they are listed;
// without, the run loads into the server's tables and keeps every object.
#include "support/LegacyFixtures.h"
#include "support/ServerSchemaDb.h"
#include "support/TestDatabases.h"
#include "ui/wizard/AssessPage.h"
#include "ui/wizard/MigrationWizard.h"
#include "ui/wizard/PlanPage.h"
#include "ui/wizard/RunPage.h"
#include "ui/wizard/SourcePage.h"
#include "ui/wizard/TargetPage.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace ctx;
using namespace ctx::ui;
using namespace ctx::test;

class TestWizardAdopt : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_source;

    static std::unique_ptr<ScratchDatabase> serverDatabase(const QString& tag,
                                                           const QStringList& extra) {
        auto db = ScratchDatabase::create(Engine::Postgres, tag);
        if (!db)
            qFatal("%s", qPrintable(db.error().oneLine()));
        auto conn = (*db)->connect(false);
        if (!conn || !runServerSchemaFile(**conn))
            qFatal("the server's file did not run");
        for (const QString& sql : extra) {
            if (!(*conn)->exec(sql))
                qFatal("%s", qPrintable(sql));
        }
        return std::move(*db);
    }

    // Source, target (tested), assessment, then the plan page.
    void toPlan(MigrationWizard& w, const DatabaseUrl& target) {
        w.show();
        QSignalSpy loaded(w.sourcePage(), &SourcePage::loaded);
        w.sourcePage()->setPath(m_source);
        QVERIFY2(loaded.wait(30000), qPrintable(w.sourcePage()->errorText()));
        w.next();
        QSignalSpy tested(w.targetPage(), &TargetPage::tested);
        w.targetPage()->setTargetUrl(target);
        w.targetPage()->testConnection();
        QVERIFY(tested.wait(30000));
        QVERIFY2(tested.first().first().toBool(), qPrintable(w.targetPage()->resultText()));
        QSignalSpy assessed(w.assessPage(), &AssessPage::assessed);
        w.next();
        QVERIFY(assessed.count() > 0 || assessed.wait(120000));
        w.next();
        QCOMPARE(w.currentId(), int(MigrationWizard::PlanId));
    }

private Q_SLOTS:
    void initTestCase() {
        qputenv("XDG_CONFIG_HOME", m_dir.filePath(QStringLiteral("config")).toUtf8());
        m_source = m_dir.filePath(QStringLiteral("legacy.db"));
        QVERIFY(writeLegacyFile(m_source, LegacyVersion::V3a));
    }

    void dependentsAreListedAndFreshIsNotOffered() {
        auto db = serverDatabase(
            "wizdep", {"CREATE VIEW my_recent AS SELECT id FROM messages",
                       "CREATE TABLE billing (sid varchar(255) REFERENCES sessions(id))"});
        MigrationWizard w;
        toPlan(w, db->url());
        const QString summary = w.planPage()->summaryText();
        QVERIFY2(summary.contains("made by the server's own schema file"), qPrintable(summary));
        QVERIFY2(summary.contains("view my_recent (over messages)"), qPrintable(summary));
        QVERIFY2(summary.contains("constraint billing.billing_sid_fkey (foreign key to sessions)"),
                 qPrintable(summary));
        QVERIFY(summary.contains("table billing"));
        w.planPage()->chooseFresh();
        QVERIFY(!w.planPage()->isComplete());
        QVERIFY(w.planPage()->sqlText().contains("the server's own objects are there already"));
    }

    void loadsIntoTheServersTablesKeepingEveryObject() {
        auto db = serverDatabase("wizok", {"CREATE INDEX my_sender_idx ON messages (sender)"});
        auto before = snapshotOf(db->url());
        QVERIFY(before);
        MigrationWizard w;
        toPlan(w, db->url());
        QVERIFY(w.planPage()->summaryText().contains("index my_sender_idx"));
        QVERIFY(w.planPage()->isComplete());
        QCOMPARE(int(w.state().mode), int(TransferMode::Fresh));
        w.next();
        QSignalSpy finished(w.runPage(), &RunPage::runFinished);
        w.runPage()->startRun();
        QVERIFY(finished.wait(300000));
        QVERIFY2(finished.first().first().toBool(), qPrintable(w.runPage()->logText()));
        auto after = snapshotOf(db->url());
        QVERIFY(after);
        const QStringList changes = serverObjectChanges(*before, *after);
        QVERIFY2(changes.isEmpty(), qPrintable(changes.join('\n')));
    }
};

QTEST_MAIN(TestWizardAdopt)
#include "tst_wizard_adopt.moc"
