// `ctxdb messages` on a legacy file whose session mixes timestamp shapes prints the
// session in true time order, page after page through --after, newest first with
// --from-end (issue 16, item 6); the file keeps its bytes and gets nothing beside it.
#include "support/CliRunner.h"
#include "support/LegacyFixtures.h"
#include "support/MixedTimeSession.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace ctx;
using namespace ctx::test;

class TestTimeOrderCli : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_db;
    QProcessEnvironment m_env = QProcessEnvironment::systemEnvironment();

    // Every page of `ctxdb messages --json`, following next_cursor.
    QList<qint64> walk(const QStringList& extra) {
        QList<qint64> ids;
        QString after;
        for (int guard = 0; guard < 100; ++guard) {
            QStringList args{"messages", m_db, mixed::kSession, "--json"};
            args << extra;
            if (!after.isEmpty())
                args << "--after" << after;
            const CliResult r = runCtxdb(args, m_env);
            if (r.exitCode != 0) {
                qWarning() << r.all();
                return {};
            }
            const QJsonObject page = QJsonDocument::fromJson(r.out).object();
            for (const QJsonValue& row : page["rows"].toArray())
                ids << qint64(row.toObject()["id"].toDouble());
            if (!page["has_more"].toBool())
                break;
            after = page["next_cursor"].toString();
        }
        return ids;
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_env.insert("XDG_CACHE_HOME", m_dir.filePath("cache"));
        QDir().mkpath(m_dir.filePath("src"));
        m_db = m_dir.filePath("src/chat_history.db");
        QVERIFY(writeLegacyFile(m_db, LegacyVersion::V3b).has_value());
        QVERIFY(addMixedTimeSession(m_db).has_value());
    }

    void pagesInTimeOrder() {
        const FileFingerprint before = FileFingerprint::of(m_db);
        QCOMPARE(walk({"--limit", "3"}), mixed::idsInTimeOrder());
        QList<qint64> newestFirst = mixed::idsInTimeOrder();
        std::reverse(newestFirst.begin(), newestFirst.end());
        QCOMPARE(walk({"--limit", "4", "--from-end"}), newestFirst);
        QCOMPARE(walk({"--limit", "2", "--as", "claude-main"}), mixed::idsVisibleToClaude());
        QVERIFY(FileFingerprint::of(m_db) == before);
        QCOMPARE(QDir(m_dir.filePath("src")).entryList(QDir::Files),
                 QStringList{"chat_history.db"});
    }

    // The table a person reads shows the same order: each id's line comes after the
    // line of the id before it in time.
    void tableInTimeOrder() {
        const CliResult r = runCtxdb({"messages", m_db, mixed::kSession}, m_env);
        QCOMPARE(r.exitCode, 0);
        const QString out = QString::fromUtf8(r.out);
        qsizetype at = -1;
        for (qint64 id : mixed::idsInTimeOrder()) {
            const qsizetype next =
                out.indexOf(QRegularExpression(QStringLiteral("(^|\\n)\\s*%1\\s").arg(id)), at + 1);
            QVERIFY2(next > at, qPrintable(QStringLiteral("id %1 out of order").arg(id)));
            at = next;
        }
    }
};

QTEST_GUILESS_MAIN(TestTimeOrderCli)
#include "tst_time_order_cli.moc"
