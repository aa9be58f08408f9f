// A source whose -wal is there but whose -shm is not (a server killed hard, files
// copied without the -shm): a read-only open reads the rows that live only in the -wal
// and creates nothing beside the file; database and -wal keep their bytes.
#include "core/db/Connection.h"
#include "support/LegacyFixtures.h"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

using namespace ctx;
using namespace ctx::test;

class TestReadWithoutShm : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    // A WAL-mode file with 3 rows in the database and 2 only in the -wal, no -shm.
    QString walOnlyFile(const QString& name) {
        const QString path = m_dir.filePath(name);
        if (QFile f(path); !f.open(QIODevice::WriteOnly)) // an empty file is a new database
            return {};
        if (!execSql(path, {QStringLiteral("PRAGMA journal_mode=WAL"),
                            QStringLiteral("CREATE TABLE t(x TEXT)"),
                            QStringLiteral("INSERT INTO t VALUES ('a'), ('b'), ('c')"),
                            QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)")}))
            return {};
        if (!execSqlIntoWalOnly(path, {QStringLiteral("INSERT INTO t VALUES ('wal 1'), ('wal 2')"),
                                       QStringLiteral("CREATE INDEX t_x ON t(x)")}))
            return {};
        QFile::remove(path + QStringLiteral("-shm"));
        return path;
    }

    QStringList filesIn(const QString& path) const {
        return QFileInfo(path).dir().entryList(QDir::Files | QDir::Hidden, QDir::Name);
    }

private slots:
    void readsTheWalRowsAndCreatesNothing() {
        const QString path = walOnlyFile(QStringLiteral("wal-only.db"));
        QVERIFY(!path.isEmpty());
        QVERIFY(QFileInfo::exists(path + QStringLiteral("-wal")));
        QVERIFY(!QFileInfo::exists(path + QStringLiteral("-shm")));
        const FileFingerprint db = FileFingerprint::of(path);
        const FileFingerprint wal = FileFingerprint::of(path + QStringLiteral("-wal"));
        const QStringList before = filesIn(path);
        {
            auto conn = Connection::open(DatabaseUrl::sqliteFile(path));
            QVERIFY2(conn, conn ? "" : qPrintable(conn.error().oneLine()));
            auto n = (*conn)->scalar(QStringLiteral("SELECT count(*) FROM t"));
            QVERIFY2(n, n ? "" : qPrintable(n.error().oneLine()));
            QCOMPARE(n->toInt(), 5); // the two rows living only in the -wal are read
            // A sort larger than the page cache spills to SQLite's own temporary files,
            // which are written as usual.
            auto sorted = (*conn)->scalar(QStringLiteral(
                "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < "
                "300000) SELECT count(*) FROM (SELECT i || hex(randomblob(60)) AS v FROM c "
                "ORDER BY v)"));
            QVERIFY2(sorted, sorted ? "" : qPrintable(sorted.error().oneLine()));
            QCOMPARE(sorted->toInt(), 300000);
            auto written = (*conn)->exec(QStringLiteral("INSERT INTO t VALUES ('no')"));
            QVERIFY(!written);
            QCOMPARE(filesIn(path), before);
        }
        QCOMPARE(filesIn(path), before); // no -shm, even after close
        QVERIFY(FileFingerprint::of(path) == db);
        QVERIFY(FileFingerprint::of(path + QStringLiteral("-wal")) == wal);
    }
};

QTEST_GUILESS_MAIN(TestReadWithoutShm)
#include "tst_read_without_shm.moc"
