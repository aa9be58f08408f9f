// The inspector pages through a source that had no -wal/-shm (read without them) while
// a server starts writing it: another process commits and checkpoints between two page
// fetches. The page fetched after it equals one state of the file (here the new one:
// the session noticed the change, opened the file again and fetched the page again),
// never a mix of the two or a "malformed" error.
#include "core/store/Store.h"
#include "support/LegacyFixtures.h"
#include "support/SourceWriter.h"
#include "ui/models/MessageTableModel.h"
#include "ui/workers/DatabaseSession.h"

#include <QApplication>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace ctx;
using namespace ctx::test;
using namespace ctx::ui;

namespace {
constexpr int kMessages = 1500;
}

class TestUiSourceChanges : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    static bool load(MessageTableModel& model, int row) {
        model.data(model.index(row, MessageTableModel::IdColumn));
        return QTest::qWaitFor([&] { return model.isRowLoaded(row); }, 30000);
    }

private slots:
    void pagesAfterAServerStartedWritingAreOneState() {
        const QString path = m_dir.filePath(QStringLiteral("source.db"));
        QVERIFY(writeBeforeSource(path, true, kMessages));
        DatabaseSession session(DatabaseUrl::sqliteFile(path), true);
        QSignalSpy opened(&session, &DatabaseSession::opened);
        session.open();
        QVERIFY(opened.wait(30000));
        MessageTableModel model;
        model.setSession(&session);
        QSignalSpy total(&model, &MessageTableModel::totalKnown);
        QStringList failures;
        connect(&model, &MessageTableModel::loadFailed, this,
                [&](const QString& message) { failures << message; });
        MessageQuery q;
        q.sessionId = fixture::kSessionA;
        model.setQuery(q);
        QVERIFY(total.wait(30000));
        QVERIFY(load(model, 0));
        const int rows = model.rowCount();
        QVERIFY(rows > kMessages);
        QVERIFY(model.data(model.index(0, MessageTableModel::ContentColumn))
                    .toString()
                    .startsWith(QLatin1String("before-")));

        SourceWriter writer(path);
        const QByteArray wrote = writer.sql(kBeforeToAfter) + " / " + writer.checkpoint();
        QVERIFY2(wrote.startsWith("ok / ok 0"), wrote.constData());

        const int far = rows - model.pageSize() / 2; // a page not fetched yet
        QVERIFY2(load(model, far), qPrintable(failures.join(QLatin1Char('\n'))));
        const int first = far / model.pageSize() * model.pageSize();
        QMap<QString, int> states;
        for (int row = first; row < std::min(rows, first + model.pageSize()); ++row) {
            const QString content =
                model.data(model.index(row, MessageTableModel::ContentColumn)).toString();
            states[content.section(QLatin1Char('-'), 0, 0)] += 1;
        }
        QVERIFY2(states.size() == 1 && (states.contains(QStringLiteral("before")) ||
                                        states.contains(QStringLiteral("after"))),
                 qPrintable(QStringLiteral("page from row %1: %2 before, %3 after, %4 other")
                                .arg(first)
                                .arg(states.value(QStringLiteral("before")))
                                .arg(states.value(QStringLiteral("after")))
                                .arg(model.pageSize() - states.value(QStringLiteral("before")) -
                                     states.value(QStringLiteral("after")))));
        // Later jobs read the file as it is now, through the writer's -shm.
        using Count = Result<QVariant>;
        Count after = fail(ErrorCode::QueryFailed, QStringLiteral("no answer"));
        bool done = false;
        session.run<Count>(
            &model,
            [](WorkerContext& ctx) -> Count {
                return ctx.conn->scalar(
                    QStringLiteral("SELECT count(*) FROM messages WHERE content LIKE 'after-%'"));
            },
            [&](const Count& r) {
                after = r;
                done = true;
            });
        QTRY_VERIFY_WITH_TIMEOUT(done, 30000);
        QVERIFY2(after, after ? "" : qPrintable(after.error().oneLine()));
        QCOMPARE(after->toInt(), kMessages + fixture::kMessages);
    }
};

int main(int argc, char** argv) {
    if (const int code = SourceWriter::runIfWriter(argc, argv); code >= 0)
        return code;
    QApplication app(argc, argv);
    TestUiSourceChanges test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_ui_source_changes.moc"
