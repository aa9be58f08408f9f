// The migration wizard driven offscreen from source to finish against the real
// PostgreSQL sandbox: a cancelled run resumed by a wizard opened again on the same
// pair, verification green, the report and command line; then a target that
// already holds data (fresh refused, replace only with the database's name typed).
// With CTX_SCREENSHOT_DIR set, every page is saved as wizard-N-page.png.
#include "core/legacy/DemoWriter.h"
#include "support/TestDatabases.h"
#include "ui/wizard/AssessPage.h"
#include "ui/wizard/FinishPage.h"
#include "ui/wizard/MigrationWizard.h"
#include "ui/wizard/PlanPage.h"
#include "ui/wizard/RunPage.h"
#include "ui/wizard/SourcePage.h"
#include "ui/wizard/TargetPage.h"
#include "ui/wizard/VerifyPage.h"

#include <QFile>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace ctx;
using namespace ctx::ui;
using namespace ctx::test;

class TestWizard : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_source;
    std::unique_ptr<ScratchDatabase> m_target;

    static void shot(MigrationWizard& w, const QString& name) {
        const QString dir = qEnvironmentVariable("CTX_SCREENSHOT_DIR");
        if (dir.isEmpty())
            return;
        // grab() renders the widget as it stands: only events already posted (layout,
        // a result delivered before the call) must run first. No fixed wait.
        QCoreApplication::sendPostedEvents();
        QCoreApplication::processEvents();
        QVERIFY(w.grab().save(dir + QStringLiteral("/wizard-%1.png").arg(name)));
    }

    // Source and target pages, up to a tested connection; leaves the wizard on the target page.
    static void chooseSourceAndTarget(MigrationWizard& w, const QString& source,
                                      const DatabaseUrl& target, const QString& shotPrefix = {}) {
        w.show();
        QSignalSpy loaded(w.sourcePage(), &SourcePage::loaded);
        w.sourcePage()->setPath(source);
        QVERIFY2(loaded.wait(30000), qPrintable(w.sourcePage()->errorText()));
        QVERIFY(w.sourcePage()->isComplete());
        if (!shotPrefix.isEmpty())
            shot(w, QStringLiteral("1-source"));
        w.next();
        QCOMPARE(w.currentId(), int(MigrationWizard::TargetId));
        QVERIFY(!w.targetPage()->isComplete()); // not before Test connection
        QSignalSpy tested(w.targetPage(), &TargetPage::tested);
        w.targetPage()->setTargetUrl(target);
        w.targetPage()->testConnection();
        QVERIFY(tested.wait(30000));
        QVERIFY2(tested.first().first().toBool(), qPrintable(w.targetPage()->resultText()));
        QVERIFY(w.targetPage()->isComplete());
        QVERIFY(w.targetPage()->resultText().contains(QStringLiteral("PostgreSQL")));
        QVERIFY(!w.targetPage()->resultText().contains(target.password()));
        if (!shotPrefix.isEmpty())
            shot(w, QStringLiteral("2-target"));
    }

    static void assess(MigrationWizard& w) {
        QSignalSpy assessed(w.assessPage(), &AssessPage::assessed);
        w.next();
        QCOMPARE(w.currentId(), int(MigrationWizard::AssessId));
        QVERIFY(assessed.count() > 0 || assessed.wait(120000));
        QVERIFY(assessed.last().first().toBool());
    }

    static void runToEnd(MigrationWizard& w) {
        QSignalSpy finished(w.runPage(), &RunPage::runFinished);
        w.runPage()->startRun();
        QVERIFY(finished.wait(300000));
        QVERIFY2(finished.first().first().toBool(), qPrintable(w.runPage()->statusText()));
        QVERIFY(w.runPage()->isComplete());
        QCOMPARE(w.runPage()->overallPercent(), 100);
    }

    static void verifyGreen(MigrationWizard& w) {
        QSignalSpy verified(w.verifyPage(), &VerifyPage::verified);
        w.next();
        QCOMPARE(w.currentId(), int(MigrationWizard::VerifyId));
        QVERIFY(verified.wait(300000));
        QVERIFY2(verified.first().first().toBool(), qPrintable(w.verifyPage()->verdictText()));
        QVERIFY(w.verifyPage()->verdictGreen());
    }

private Q_SLOTS:
    void initTestCase() {
        qputenv("XDG_CONFIG_HOME", m_dir.filePath(QStringLiteral("config")).toUtf8());
        m_source = m_dir.filePath(QStringLiteral("chat_history.db"));
        DemoOptions demo;
        demo.path = m_source;
        demo.messages = 20000;
        QVERIFY(DemoWriter::write(demo));
        auto target = ScratchDatabase::create(Engine::Postgres, QStringLiteral("wizard"));
        QVERIFY2(target, target ? "" : qPrintable(target.error().oneLine()));
        m_target = std::move(*target);
    }

    void cancelThenResumeInANewWizardToAGreenFinish() {
        {
            MigrationWizard w;
            chooseSourceAndTarget(w, m_source, m_target->url(), QStringLiteral("shots"));
            QVERIFY(w.state().probe->state.nonEmptyTables.isEmpty());
            assess(w);
            QVERIFY(w.assessPage()->findings()->topLevelItemCount() > 0);
            // The first finding with samples expands to rows as stored / as they arrive.
            QTreeWidgetItem* withSamples = nullptr;
            for (int i = 0; i < w.assessPage()->findings()->topLevelItemCount() && !withSamples;
                 ++i) {
                auto* item = w.assessPage()->findings()->topLevelItem(i);
                if (item->childIndicatorPolicy() == QTreeWidgetItem::ShowIndicator)
                    withSamples = item;
            }
            QVERIFY(withSamples);
            QSignalSpy samples(w.assessPage(), &AssessPage::samplesLoaded);
            withSamples->setExpanded(true);
            QVERIFY(samples.wait(30000));
            QVERIFY(withSamples->childCount() > 0);
            QVERIFY(!withSamples->child(0)->text(2).isEmpty());
            QVERIFY(!withSamples->child(0)->text(3).isEmpty());
            const QString json = m_dir.filePath(QStringLiteral("assessment.json"));
            const QString html = m_dir.filePath(QStringLiteral("assessment.html"));
            QVERIFY(w.assessPage()->exportTo(json));
            QVERIFY(w.assessPage()->exportTo(html));
            QFile jf(json);
            QVERIFY(jf.open(QIODevice::ReadOnly));
            QVERIFY(jf.readAll().contains("\"hazards\""));
            shot(w, QStringLiteral("3-assessment"));

            w.next();
            QCOMPARE(w.currentId(), int(MigrationWizard::PlanId));
            QVERIFY(w.planPage()->isComplete());
            QCOMPARE(int(w.state().mode), int(TransferMode::Fresh));
            QVERIFY(!w.planPage()->resumeOffered());
            QVERIFY(w.planPage()->sqlText().contains(QStringLiteral("CREATE TABLE")));
            shot(w, QStringLiteral("4-plan"));

            w.state().limits.rows = 500; // many small batches: a cancel lands mid-table
            w.next();
            QCOMPARE(w.currentId(), int(MigrationWizard::RunId));
            QVERIFY(!w.runPage()->isRunning()); // nothing starts by itself
            QVERIFY(!w.runPage()->isComplete());
            bool cancelled = false;
            connect(w.runPage(), &RunPage::progressed, &w, [&](const QString&, qint64, qint64) {
                if (!cancelled) {
                    cancelled = true;
                    w.runPage()->cancelRun();
                }
            });
            QSignalSpy finished(w.runPage(), &RunPage::runFinished);
            w.runPage()->startRun();
            QVERIFY2(finished.wait(300000), qPrintable(w.runPage()->logText()));
            QVERIFY(cancelled);
            QCOMPARE(finished.first().first().toBool(), false);
            QVERIFY2(w.runPage()->statusText().contains(QStringLiteral("Cancelled")),
                     qPrintable(w.runPage()->statusText()));
            QVERIFY(!w.runPage()->isComplete());
            shot(w, QStringLiteral("5-run-cancelled"));
        }
        // The same pair opened again: the wizard offers Resume and finishes.
        MigrationWizard w;
        chooseSourceAndTarget(w, m_source, m_target->url());
        QVERIFY(w.state().probe->state.unfinishedTransfer);
        QVERIFY(w.state().resumable());
        assess(w);
        w.next();
        QVERIFY(w.planPage()->resumeOffered());
        QCOMPARE(int(w.state().mode), int(TransferMode::Resume));
        QVERIFY(w.planPage()->isComplete());
        w.next();
        runToEnd(w);
        QVERIFY(w.state().summary->resumed);
        QVERIFY(w.runPage()->logText().contains(QStringLiteral("load")));
        shot(w, QStringLiteral("5-run"));
        verifyGreen(w);
        shot(w, QStringLiteral("6-verify"));

        w.next();
        QCOMPARE(w.currentId(), int(MigrationWizard::FinishId));
        const QString command = w.finishPage()->commandLine();
        QVERIFY2(command.contains(QStringLiteral("ctxdb migrate ") + m_source),
                 qPrintable(command));
        QVERIFY(command.contains(QStringLiteral("--resume")));
        QVERIFY(!command.contains(m_target->url().password()));
        const QString report = m_dir.filePath(QStringLiteral("report.json"));
        QVERIFY(w.finishPage()->saveReport(report));
        QFile rf(report);
        QVERIFY(rf.open(QIODevice::ReadOnly));
        const QByteArray bytes = rf.readAll();
        QVERIFY(!bytes.contains(m_target->url().password().toUtf8()));
        QVERIFY(bytes.contains("\"verification\""));
        QVERIFY(bytes.contains("\"rejects_by_reason\""));
        QVERIFY(w.finishPage()->reportHtml().contains(QStringLiteral("messages")));
        QSignalSpy open(&w, &MigrationWizard::openInInspector);
        for (auto* b : w.finishPage()->findChildren<QPushButton*>())
            if (b->text().contains(QStringLiteral("inspector")))
                b->click();
        QCOMPARE(open.count(), 1);
        QVERIFY(!open.first().first().toString().contains(m_target->url().password()));
        shot(w, QStringLiteral("7-finish"));
    }

    void targetHoldingDataNeedsTypedReplace() {
        MigrationWizard w;
        chooseSourceAndTarget(w, m_source, m_target->url());
        QVERIFY(!w.state().probe->state.nonEmptyTables.isEmpty());
        assess(w);
        w.next();
        QCOMPARE(w.currentId(), int(MigrationWizard::PlanId));
        QVERIFY(!w.planPage()->resumeOffered());
        QCOMPARE(int(w.state().mode), int(TransferMode::Replace));
        QVERIFY(!w.planPage()->isComplete()); // nothing typed yet
        w.planPage()->chooseFresh();
        QVERIFY(!w.planPage()->isComplete()); // fresh is not possible here
        w.planPage()->chooseReplace(QStringLiteral("not-the-name"));
        QVERIFY(!w.planPage()->isComplete());
        w.planPage()->chooseReplace(m_target->url().database());
        QVERIFY(w.planPage()->isComplete());
        w.next();
        QCOMPARE(w.currentId(), int(MigrationWizard::RunId));
        runToEnd(w);
        QVERIFY(!w.state().summary->resumed);
        verifyGreen(w);
        w.next();
        QVERIFY(w.finishPage()->commandLine().contains(QStringLiteral("--replace")));
    }

    void unreadableSourceIsOneLineWithTheWayForward() {
        MigrationWizard w;
        const QString bogus = m_dir.filePath(QStringLiteral("not-a-db.db"));
        QFile f(bogus);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("this is not sqlite, just text long enough to be looked at.............");
        f.close();
        QSignalSpy failed(w.sourcePage(), &SourcePage::failed);
        w.sourcePage()->setPath(bogus);
        QVERIFY(failed.wait(30000));
        QVERIFY(!w.sourcePage()->isComplete());
        QVERIFY(!w.sourcePage()->errorText().isEmpty());
        QVERIFY(!w.sourcePage()->errorText().contains(QLatin1Char('\n')));
    }
};

QTEST_MAIN(TestWizard)
#include "tst_wizard.moc"
