// The compare view offscreen on a legacy file and its PostgreSQL migration with one
// planted difference (a message's content changed in the target): the summary
// shows exactly that row in messages, the side-by-side highlights exactly that
// cell, navigation and the raw/normalized toggle work, and the exports carry it.
// With CTX_SCREENSHOT_DIR set, the view is saved as compare-*.png.
#include "core/transfer/Migrator.h"
#include "support/LegacyFixtures.h"
#include "support/TestDatabases.h"
#include "ui/app/PasswordRequest.h"
#include "ui/compare/CompareView.h"
#include "ui/compare/DiffSummaryTable.h"

#include <QFile>
#include <QLineEdit>
#include <QListWidget>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace ctx;
using namespace ctx::ui;
using namespace ctx::test;

class TestCompareView : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_source;
    std::unique_ptr<ScratchDatabase> m_target;
    qint64 m_plantedId = 0;

    static void shot(QWidget& w, const QString& name) {
        const QString dir = qEnvironmentVariable("CTX_SCREENSHOT_DIR");
        if (dir.isEmpty())
            return;
        // grab() renders the widget as it stands: only events already posted (layout,
        // a result delivered before the call) must run first. No fixed wait.
        QCoreApplication::sendPostedEvents();
        QCoreApplication::processEvents();
        QVERIFY(w.grab().save(dir + QStringLiteral("/compare-%1.png").arg(name)));
    }

    void compareAndWait(CompareView& view) {
        QSignalSpy done(&view, &CompareView::compared);
        view.compare();
        QVERIFY(view.isRunning());
        QVERIFY(done.wait(300000));
        QVERIFY2(done.first().first().toBool(), qPrintable(view.statusText()));
    }

    QString targetText() const {
        // The password comes from PGPASSWORD, the way an operator would pass it.
        return m_target->url().redacted().replace(QStringLiteral(":***@"), QStringLiteral("@"));
    }

private Q_SLOTS:
    void initTestCase() {
        qputenv("XDG_CONFIG_HOME", m_dir.filePath(QStringLiteral("config")).toUtf8());
        m_source = m_dir.filePath(QStringLiteral("chat_history.db"));
        QVERIFY(writeLegacyFile(m_source, LegacyVersion::V3b));
        auto target = ScratchDatabase::create(Engine::Postgres, QStringLiteral("compareview"));
        QVERIFY2(target, target ? "" : qPrintable(target.error().oneLine()));
        m_target = std::move(*target);
        qputenv("PGPASSWORD", m_target->url().password().toUtf8());
        MigrateOptions o;
        o.sourcePath = m_source;
        o.target = m_target->url();
        auto summary = Migrator::run(o);
        QVERIFY2(summary, summary ? "" : qPrintable(summary.error().oneLine()));
        QVERIFY(summary->ok);
    }

    void identicalAfterMigrationIsGreen() {
        CompareView view;
        view.show();
        view.setDatabases(m_source, targetText());
        compareAndWait(view);
        QVERIFY(view.report()->equal());
        QVERIFY(view.statusText().contains(QStringLiteral("No unexplained difference")));
        for (int r = 0; r < view.summary()->rowCount(); ++r)
            QVERIFY(view.summary()->item(r, 0)->background().color() != QColor(0xf8, 0xc8, 0xc8));
    }

    // The operator's path: a target URL without its password and no PGPASSWORD. The view
    // asks (a prompt of the test's own), once; a password typed into a URL field is
    // never shown, and used without asking; a cancelled prompt fails in one line.
    void passwordIsAskedForAndNeverShown() {
        struct Restore { // the other tests pass the password in PGPASSWORD
            QByteArray password = qgetenv("PGPASSWORD");
            ~Restore() {
                PasswordRequest::setPrompt({});
                qputenv("PGPASSWORD", password);
                qunsetenv("PGPASSFILE");
            }
        } restore;
        qunsetenv("PGPASSWORD");
        qputenv("PGPASSFILE", m_dir.filePath(QStringLiteral("no-pgpass")).toUtf8());
        const QString password = m_target->url().password();
        QStringList asked;
        PasswordRequest::setPrompt([&](QWidget*, const QString& key) -> std::optional<QString> {
            asked << key;
            return password;
        });
        auto compareOnce = [](CompareView& view) {
            QSignalSpy done(&view, &CompareView::compared);
            view.compare();
            return done.wait(300000) && done.first().first().toBool();
        };
        CompareView view;
        view.setDatabases(m_source, targetText());
        QVERIFY2(compareOnce(view), qPrintable(view.statusText()));
        QCOMPARE(asked.size(), 1);
        QVERIFY(!asked.first().contains(password));

        view.setDatabases(m_source, m_target->url().redacted().replace("***", password));
        for (const QLineEdit* field : view.findChildren<QLineEdit*>())
            QVERIFY2(!field->text().contains(password), qPrintable(field->text()));
        view.resize(1000, 400);
        view.show();
        shot(view, QStringLiteral("password-hidden"));
        QVERIFY2(compareOnce(view), qPrintable(view.statusText()));
        QCOMPARE(asked.size(), 1);

        PasswordRequest::setPrompt(
            [](QWidget*, const QString&) { return std::optional<QString>(); });
        view.setDatabases(m_source, targetText());
        QVERIFY(!compareOnce(view));
        QVERIFY(!view.statusText().contains(password));
    }

    void plantedDifferenceIsShownExactly() {
        auto conn = m_target->connect();
        QVERIFY(conn);
        auto id = (*conn)->scalar(QStringLiteral("SELECT min(id) FROM messages"));
        QVERIFY(id);
        m_plantedId = id->toLongLong();
        QVERIFY((*conn)->exec(QStringLiteral("UPDATE messages SET content = 'planted change' "
                                             "WHERE id = ?"),
                              {m_plantedId}));
        conn->reset();

        CompareView view;
        view.resize(1400, 900);
        view.show();
        view.setDatabases(m_source, targetText());
        compareAndWait(view);
        const DiffReport& r = *view.report();
        QVERIFY(!r.equal());
        QCOMPARE(r.unexplainedRows(), qint64(1));
        for (const TableDiff& t : r.tables) {
            const qint64 expected = t.name == QLatin1String("messages") ? 1 : 0;
            QCOMPARE(t.different, expected);
            QCOMPARE(t.onlyInA + t.onlyInB, qint64(0));
        }
        // The view jumped to the first (only) difference: messages, that row, that cell.
        QCOMPARE(view.summary()->tableAt(view.summary()->currentRow()), QStringLiteral("messages"));
        QCOMPARE(view.summary()->item(view.summary()->currentRow(), 0)->background().color(),
                 QColor(0xf8, 0xc8, 0xc8));
        QCOMPARE(view.rowList()->count(), 1);
        QVERIFY(view.rowList()->item(0)->text().contains(QString::number(m_plantedId)));
        QTableWidget* side = view.sideBySide();
        QCOMPARE(side->rowCount(), 1);
        QCOMPARE(side->item(0, 0)->text(), QStringLiteral("content"));
        QCOMPARE(side->item(0, 2)->text(), QStringLiteral("planted change"));
        QVERIFY(side->item(0, 1)->text() != side->item(0, 2)->text());
        QCOMPARE(side->item(0, 1)->background().color(), QColor(0xf8, 0xc8, 0xc8));
        shot(view, QStringLiteral("planted-difference"));

        view.setNormalized(false);
        QCOMPARE(side->item(0, 2)->text(), QStringLiteral("planted change"));
        view.setNormalized(true);
        view.nextDifference(); // wraps around to the same single difference
        QCOMPARE(view.rowList()->currentRow(), 0);
        view.previousDifference();
        QCOMPARE(view.summary()->tableAt(view.summary()->currentRow()), QStringLiteral("messages"));

        for (const QString& suffix :
             {QStringLiteral("json"), QStringLiteral("csv"), QStringLiteral("html")}) {
            const QString path = m_dir.filePath(QStringLiteral("cmp.") + suffix);
            QVERIFY(view.exportTo(path));
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QByteArray bytes = f.readAll();
            QVERIFY2(bytes.contains("planted change"), qPrintable(suffix));
            QVERIFY(!bytes.contains(m_target->url().password().toUtf8()));
        }
        view.selectTable(QStringLiteral("sessions"));
        shot(view, QStringLiteral("summary"));
    }

    void unreachableDatabaseIsOneReadableLine() {
        CompareView view;
        view.setDatabases(m_source, QStringLiteral("postgresql://nobody@127.0.0.1:1/none"));
        QSignalSpy done(&view, &CompareView::compared);
        view.compare();
        QVERIFY(done.wait(60000));
        QCOMPARE(done.first().first().toBool(), false);
        QVERIFY(view.statusText().contains(QStringLiteral("127.0.0.1")));
    }
};

QTEST_MAIN(TestCompareView)
#include "tst_compare_view.moc"
