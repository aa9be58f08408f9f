// The migration wizard on a damaged source (corrupt pages): the source page still opens
// it, the assessment lists the unreadable rowid ranges and refuses by default (Next stays
// off); "Salvage" states the consequence, goes on, and the run carries exactly the rows
// a careful per-rowid read can read and verifies green, against the real PostgreSQL
// sandbox.
#include "core/legacy/DemoWriter.h"
#include "support/BrokenFiles.h"
#include "support/TestDatabases.h"
#include "ui/wizard/AssessPage.h"
#include "ui/wizard/MigrationWizard.h"
#include "ui/wizard/PlanPage.h"
#include "ui/wizard/RunPage.h"
#include "ui/wizard/SourcePage.h"
#include "ui/wizard/TargetPage.h"
#include "ui/wizard/VerifyPage.h"

#include <QCheckBox>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace ctx;
using namespace ctx::ui;
using namespace ctx::test;

class TestWizardSalvage : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private Q_SLOTS:
    void damagedSourceIsRefusedUnlessSalvaged() {
        qputenv("XDG_CONFIG_HOME", m_dir.filePath(QStringLiteral("config")).toUtf8());
        const QString good = m_dir.filePath("good.db");
        const QString damaged = m_dir.filePath("chat_history.db");
        DemoOptions demo;
        demo.path = good;
        demo.messages = 3000;
        demo.seed = 17;
        QVERIFY(DemoWriter::write(demo));
        QVERIFY(QFile::copy(good, damaged));
        const QList<int> leaves = tableLeafPages(good, "messages");
        QVERIFY(leaves.size() > 20);
        QVERIFY(corruptPages(damaged, {leaves[4], leaves[5], leaves[15]}));
        const CarefulRead expected = carefulRead(rowidsOf(good, "messages"), damaged, "messages");
        QCOMPARE(expected.ranges.size(), 2);
        auto target = ScratchDatabase::create(Engine::Postgres, QStringLiteral("wizard_salvage"));
        QVERIFY2(target, target ? "" : qPrintable(target.error().oneLine()));

        MigrationWizard w;
        w.show();
        QSignalSpy loaded(w.sourcePage(), &SourcePage::loaded);
        w.sourcePage()->setPath(damaged);
        QVERIFY2(loaded.wait(30000), qPrintable(w.sourcePage()->errorText()));
        QVERIFY(w.sourcePage()->isComplete());
        w.next();
        QSignalSpy tested(w.targetPage(), &TargetPage::tested);
        w.targetPage()->setTargetUrl((*target)->url());
        w.targetPage()->testConnection();
        QVERIFY(tested.wait(30000));
        QVERIFY(tested.first().first().toBool());
        QSignalSpy assessed(w.assessPage(), &AssessPage::assessed);
        w.next();
        QCOMPARE(w.currentId(), int(MigrationWizard::AssessId));
        QVERIFY(assessed.count() > 0 || assessed.wait(120000));
        QVERIFY(assessed.last().first().toBool());

        // Refused by default, the consequence stated, the ranges listed first.
        QCheckBox* salvage = w.assessPage()->salvageChoice();
        QVERIFY(salvage->isVisible());
        QVERIFY(!salvage->isChecked());
        QVERIFY(!w.assessPage()->isComplete());
        QVERIFY(!w.state().salvage);
        const QString status = w.assessPage()->statusText();
        QVERIFY2(status.contains("refuses") && status.contains("unreadable_range") &&
                     status.contains(
                         QStringLiteral("%1 unreadable rowid ranges").arg(expected.ranges.size())),
                 qPrintable(status));
        QTreeWidgetItem* first = w.assessPage()->findings()->topLevelItem(0);
        QVERIFY(first->text(0).startsWith("messages — unreadable_range"));
        QCOMPARE(first->childCount(), int(expected.ranges.size()));
        for (int i = 0; i < first->childCount(); ++i)
            QCOMPARE(first->child(i)->text(0), expected.ranges[i]);
        QVERIFY(!w.state().commandLine().contains("--salvage"));

        salvage->setChecked(true);
        QVERIFY(w.assessPage()->isComplete());
        QVERIFY(w.state().salvage);
        QVERIFY(w.state().commandLine().contains("--salvage"));
        w.next();
        QCOMPARE(w.currentId(), int(MigrationWizard::PlanId));
        w.next();
        QCOMPARE(w.currentId(), int(MigrationWizard::RunId));
        QSignalSpy finished(w.runPage(), &RunPage::runFinished);
        w.runPage()->startRun();
        QVERIFY(finished.wait(300000));
        QVERIFY2(finished.first().first().toBool(), qPrintable(w.runPage()->logText()));
        auto conn = (*target)->connect();
        QVERIFY(conn.has_value());
        auto n = (*conn)->scalar(QStringLiteral("SELECT count(*) FROM messages"));
        QVERIFY(n.has_value());
        QCOMPARE(n->toLongLong(), qint64(expected.readable.size()));
        auto recorded = (*conn)->scalar(QStringLiteral(
            "SELECT count(*) FROM ctx_migration_rejects WHERE reason = 'unreadable_range'"));
        QVERIFY(recorded.has_value());
        QCOMPARE(recorded->toLongLong(), qint64(expected.ranges.size()));
        // The verification reads the damaged source's readable rows: green.
        QSignalSpy verified(w.verifyPage(), &VerifyPage::verified);
        w.next();
        QCOMPARE(w.currentId(), int(MigrationWizard::VerifyId));
        QVERIFY(verified.wait(300000));
        QVERIFY2(verified.first().first().toBool() && w.verifyPage()->verdictGreen(),
                 qPrintable(w.verifyPage()->verdictText()));
    }
};

QTEST_MAIN(TestWizardSalvage)
#include "tst_wizard_salvage.moc"
