// ctxdb on a damaged source (corrupt pages): migrate refuses it in one line and writes
// nothing; migrate --salvage carries exactly the readable rows and records each
// unreadable rowid range; assess says how much is readable; no private copy is left.
#include "core/legacy/DemoWriter.h"
#include "support/BrokenFiles.h"
#include "support/CliRunner.h"
#include "support/LegacyFixtures.h"
#include "support/TestDatabases.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace ctx;
using namespace ctx::test;

class TestSalvageCli : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QTemporaryDir m_tmp; // TMPDIR of every ctxdb run: the salvage copy must not stay
    QString m_good, m_damaged;
    QHash<QString, CarefulRead> m_expected;
    const QStringList m_tables{"sessions", "messages", "agent_memory", "audit_log",
                               "secure_tokens"};

    static std::unique_ptr<ScratchDatabase> scratch(const QString& tag) {
        auto db = ScratchDatabase::create(Engine::Postgres, tag);
        if (!db)
            qFatal("%s", qPrintable(db.error().oneLine())); // no server: FAIL, never skip
        return std::move(*db);
    }
    static QString urlText(const ScratchDatabase& db) { return urlWithPassword(db.url()); }
    CliResult run(const QStringList& args) {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("TMPDIR", m_tmp.path());
        const CliResult r = runCtxdb(args, env, 300000);
        const QStringList left =
            QDir(m_tmp.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot);
        if (!left.isEmpty())
            qWarning("left in TMPDIR: %s", qPrintable(left.join(", ")));
        return left.isEmpty() ? r : CliResult{-2, r.out, r.err};
    }
    static QStringList column(const Connection& c, const QString& sql) {
        QStringList values;
        auto q = c.exec(sql);
        if (!q)
            return {QStringLiteral("<error: %1>").arg(q.error().oneLine())};
        while (q->next())
            values << q->value(0).toString();
        return values;
    }
    static QJsonObject lastJsonLine(const QByteArray& out) {
        const QList<QByteArray> lines = out.trimmed().split('\n');
        return QJsonDocument::fromJson(lines.isEmpty() ? QByteArray() : lines.last()).object();
    }
    qint64 expectedRanges() const {
        qint64 n = 0;
        for (const CarefulRead& r : m_expected)
            n += r.ranges.size();
        return n;
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid() && m_tmp.isValid());
        m_good = m_dir.filePath("good.db");
        m_damaged = m_dir.filePath("damaged.db");
        DemoOptions o;
        o.path = m_good;
        o.messages = 3000;
        o.seed = 17;
        QVERIFY(DemoWriter::write(o).has_value());
        QVERIFY(QFile::copy(m_good, m_damaged));
        const QList<int> messages = tableLeafPages(m_good, "messages");
        const QList<int> memory = tableLeafPages(m_good, "agent_memory");
        QVERIFY(messages.size() > 20 && memory.size() > 1);
        QVERIFY(corruptPages(m_damaged, {messages[2], messages[3], messages[9], memory.last()}));
        for (const QString& t : m_tables)
            m_expected.insert(t, carefulRead(rowidsOf(m_good, t), m_damaged, t));
        QCOMPARE(m_expected["messages"].ranges.size(), 2);
        QCOMPARE(m_expected["agent_memory"].ranges.size(), 1);
    }

    void helpTeachesSalvage() {
        const CliResult r = run({"migrate", "--help"});
        QCOMPARE(r.exitCode, 0);
        const QString help = r.all().simplified();
        QVERIFY2(help.contains("--salvage") && help.contains("unreadable_range") &&
                     help.contains("refused and nothing is written"),
                 qPrintable(help));
    }

    void refusedInOneLineWithoutSalvage() {
        const FileFingerprint before = FileFingerprint::of(m_damaged);
        auto db = scratch("salvage_cli_refused");
        const CliResult r = run({"migrate", m_damaged, urlText(*db)});
        const QString err = QString::fromUtf8(r.err).trimmed();
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(err.startsWith("ctxdb: ") && !err.contains('\n') &&
                     err.contains("damaged (quick_check: ") && err.contains("--salvage"),
                 qPrintable(err));
        auto conn = db->connect();
        QVERIFY(conn.has_value());
        QCOMPARE(column(**conn, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"),
                 QStringList{"0"});
        QVERIFY(FileFingerprint::of(m_damaged) == before);
    }

    void salvageCarriesTheReadableRows() {
        const FileFingerprint before = FileFingerprint::of(m_damaged);
        auto db = scratch("salvage_cli");
        const CliResult r = run({"migrate", m_damaged, urlText(*db), "--salvage", "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject summary = lastJsonLine(r.out);
        QCOMPARE(summary.value("status").toString(), QString("ok"));
        QCOMPARE(summary.value("salvaged").toBool(), true);
        QCOMPARE(qint64(summary.value("unreadable_ranges").toDouble()), expectedRanges());
        for (const QJsonValue& v : summary.value("tables").toArray()) {
            const QJsonObject t = v.toObject();
            const CarefulRead& e = m_expected[t.value("name").toString()];
            QCOMPARE(qint64(t.value("source_rows").toDouble()), qint64(e.readable.size()));
            QCOMPARE(qint64(t.value("unreadable_ranges").toDouble()), qint64(e.ranges.size()));
        }
        auto conn = db->connect();
        QVERIFY(conn.has_value());
        for (const QString& table : m_tables)
            QCOMPARE(column(**conn, QStringLiteral("SELECT row_key FROM ctx_migration_rejects "
                                                   "WHERE reason = 'unreadable_range' AND "
                                                   "table_name = '%1' ORDER BY id")
                                        .arg(table)),
                     m_expected[table].ranges);
        QCOMPARE(column(**conn, "SELECT count(*) FROM messages").value(0).toLongLong(),
                 m_expected["messages"].readable.size());
        QVERIFY(FileFingerprint::of(m_damaged) == before);
        // Text: the salvage is said, and --resume of the finished run has nothing to do.
        const CliResult again = run({"migrate", m_damaged, urlText(*db), "--salvage", "--resume"});
        QVERIFY2(again.exitCode == 0, again.err.constData());
        const QString text = QString::fromUtf8(again.out);
        QVERIFY2(
            text.contains("already complete") &&
                text.contains(
                    QStringLiteral("%1 unreadable rowid range(s) recorded").arg(expectedRanges())),
            qPrintable(text));
    }

    void salvageOfASoundFileIsAPlainMigration() {
        auto db = scratch("salvage_cli_sound");
        const CliResult r = run({"migrate", m_good, urlText(*db), "--salvage", "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject summary = lastJsonLine(r.out);
        QCOMPARE(summary.value("status").toString(), QString("ok"));
        QCOMPARE(summary.value("salvaged").toBool(), false);
        QCOMPARE(summary.value("unreadable_ranges").toDouble(), 0.0);
    }

    void assessSaysHowMuchIsReadable() {
        const CliResult json = run({"assess", m_damaged, "--json"});
        QCOMPARE(json.exitCode, 1); // quick_check failed: said, and exit 1
        const QJsonObject report = QJsonDocument::fromJson(json.out).object();
        QCOMPARE(report.value("salvaged").toBool(), true);
        for (const QJsonValue& v : report.value("tables").toArray()) {
            const QJsonObject t = v.toObject();
            if (!t.value("present").toBool())
                continue;
            const CarefulRead& e = m_expected[t.value("name").toString()];
            QCOMPARE(qint64(t.value("readable_rows").toDouble()), qint64(e.readable.size()));
            QStringList keys;
            for (const QJsonValue& u : t.value("unreadable_ranges").toArray())
                keys << u.toObject().value("row_key").toString();
            QCOMPARE(keys, e.ranges);
        }
        const CliResult text = run({"assess", m_damaged});
        QCOMPARE(text.exitCode, 1);
        const QString out = QString::fromUtf8(text.out);
        QVERIFY2(out.contains("readable_rows") && out.contains("unreadable_ranges") &&
                     out.contains("migrate --salvage carries") &&
                     out.contains(m_expected["agent_memory"].ranges.first()),
                 qPrintable(out));
        QVERIFY2(QString::fromUtf8(text.err).trimmed().count('\n') == 0, text.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestSalvageCli)
#include "tst_salvage_cli.moc"
