// The write-gathering SQLite VFS of ctxdb demo: a file written through it has the
// same bytes as one written through SQLite's own VFS, whatever the mix of writes,
// rewrites, reads (also those served by its read-ahead), mmap fetches, truncation and
// journal modes.
#include "core/db/Connection.h"
#include "core/db/WriteCoalescingVfs.h"

#include <QCryptographicHash>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace ctx;

class TestWriteCoalescingVfs : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    static QByteArray digest(const QString& path) {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return {};
        QCryptographicHash h(QCryptographicHash::Sha256);
        h.addData(&f);
        return h.result().toHex();
    }

    // The same statements, deterministic, through one VFS or the other.
    // Returns the path; *seen gets what reads in between saw.
    QString write(const QString& name, const QString& vfs, const QString& journal, QString* seen) {
        const QString path = m_dir.filePath(name);
        {
            ConnectionOptions o;
            o.readOnly = false;
            o.createIfMissing = true;
            o.sqliteVfs = vfs;
            auto conn = Connection::open(DatabaseUrl::sqliteFile(path), o);
            if (!conn)
                qFatal("%s", qPrintable(conn.error().oneLine()));
            Connection& c = **conn;
            const QStringList script{
                QStringLiteral("PRAGMA journal_mode=%1").arg(journal),
                "PRAGMA cache_size=20", // pages spill and are read back mid-transaction
                "PRAGMA mmap_size=1048576",
                "CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT, n INTEGER)",
                "BEGIN",
                "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 6000) "
                "INSERT INTO t SELECT i, printf('%.*c', 50 + (i * 7919) % 3000, 'x'), i FROM s",
                "UPDATE t SET body = body || 'rewritten' WHERE id % 7 = 0",
                "CREATE INDEX t_n ON t(n, body)",
                "COMMIT",
                "DELETE FROM t WHERE id % 3 = 0",
                "VACUUM", // rewrites and truncates the file
                "INSERT INTO t (body, n) SELECT body, n + 1 FROM t WHERE id % 5 = 0",
            };
            for (const QString& sql : script) {
                auto ok = c.exec(sql);
                if (!ok)
                    qFatal("%s: %s", qPrintable(sql), qPrintable(ok.error().oneLine()));
            }
            *seen = c.scalar("SELECT count(*) || ' ' || sum(body LIKE '%rewritten') || ' ' || "
                             "(SELECT integrity_check FROM pragma_integrity_check) FROM t")
                        ->toString();
        }
        return path;
    }

private Q_SLOTS:
    void sameBytesAsSqlitesOwnVfs_data() {
        QTest::addColumn<QString>("journal");
        QTest::newRow("journal off (ctxdb demo)") << "OFF";
        QTest::newRow("rollback journal") << "DELETE";
        QTest::newRow("wal") << "WAL";
    }
    void sameBytesAsSqlitesOwnVfs() {
        QFETCH(QString, journal);
        QString plainSeen, gatheredSeen;
        const QString plain = write("plain-" + journal + ".db", QString(), journal, &plainSeen);
        const QString gathered =
            write("gathered-" + journal + ".db", QString::fromLatin1(WriteCoalescingVfs::name()),
                  journal, &gatheredSeen);
        // Reads in between saw every gathered write.
        QCOMPARE(gatheredSeen, QString("4800 686 ok"));
        QCOMPARE(plainSeen, gatheredSeen);
        QVERIFY(QFileInfo(plain).size() > 1000000);
        QCOMPARE(QFileInfo(gathered).size(), QFileInfo(plain).size());
        QCOMPARE(digest(gathered), digest(plain));
    }

    void unknownVfsIsRefused() {
        ConnectionOptions o;
        o.readOnly = false;
        o.createIfMissing = true;
        o.sqliteVfs = QStringLiteral("no-such-vfs");
        const QString path = m_dir.filePath("refused.db");
        auto conn = Connection::open(DatabaseUrl::sqliteFile(path), o);
        QVERIFY(!conn);
        QVERIFY2(conn.error().oneLine().contains("no-such-vfs"),
                 qPrintable(conn.error().oneLine()));
        QVERIFY(!QFileInfo::exists(path));
    }
};

QTEST_GUILESS_MAIN(TestWriteCoalescingVfs)
#include "tst_write_coalescing_vfs.moc"
