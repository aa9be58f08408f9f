// Private copies stay private (issue 17, item 8): a backup, the full-text side cache
// (with its -wal and -shm) and an export are created 0600 under a umask of 022,
// whatever the source's mode, in directories 0700 when Context Studio makes them; a
// cache or export left world-readable by an older version is narrowed; a backup is
// never wider than its source.
#include "core/PrivateFiles.h"
#include "core/db/Connection.h"
#include "core/inspect/TableExport.h"
#include "core/schema/SqliteBackup.h"
#include "core/store/SqliteFtsBuilder.h"
#include "support/LegacyFixtures.h"

#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>

using namespace ctx;
using namespace ctx::test;

namespace {
int modeOf(const QString& path) {
    struct stat st {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return -1;
    return int(st.st_mode & 07777);
}
} // namespace

class TestPrivateFiles : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_source;

private Q_SLOTS:
    void initTestCase() {
        ::umask(022); // the usual umask: files 0644 and directories 0755 unless asked
        m_source = m_dir.filePath("chat_history.db");
        QVERIFY(writeLegacyFile(m_source, LegacyVersion::V3b));
        QVERIFY(::chmod(QFile::encodeName(m_source).constData(), 0644) == 0);
    }

    void backupIsTheOwnersOnly() {
        ConnectionOptions ro;
        ro.readOnly = true;
        auto conn = Connection::open(DatabaseUrl::sqliteFile(m_source), ro);
        QVERIFY2(conn, conn ? "" : qPrintable(conn.error().oneLine()));
        const QString backup = m_dir.filePath("chat_history.db.backup");
        auto ok = SqliteBackup::write(**conn, backup);
        QVERIFY2(ok, ok ? "" : qPrintable(ok.error().oneLine()));
        QCOMPARE(modeOf(backup), 0600);
        QVERIFY(!SqliteBackup::write(**conn, backup)); // never over an existing file
        QCOMPARE(modeOf(backup), 0600);

        // A source its owner cannot write: the copy is read-only too.
        QVERIFY(::chmod(QFile::encodeName(m_source).constData(), 0444) == 0);
        const QString second = m_dir.filePath("chat_history.db.backup2");
        ok = SqliteBackup::write(**conn, second);
        QVERIFY(::chmod(QFile::encodeName(m_source).constData(), 0644) == 0);
        QVERIFY2(ok, ok ? "" : qPrintable(ok.error().oneLine()));
        QCOMPARE(modeOf(second), 0400);
    }

    void searchCacheIsTheOwnersOnly() {
        const QString root = m_dir.filePath("cache/context-studio");
        const QString cacheDir = root + "/fts";
        auto cache = store::SqliteFtsBuilder::refreshCache(m_source, cacheDir, {});
        QVERIFY2(cache, cache ? "" : qPrintable(cache.error().oneLine()));
        QCOMPARE(modeOf(*cache), 0600);
        for (const char* suffix : {"-wal", "-shm"})
            if (QFile::exists(*cache + suffix))
                QCOMPARE(modeOf(*cache + suffix), 0600);
        QCOMPARE(modeOf(cacheDir), 0700);
        QCOMPARE(modeOf(root), 0700);

        // A cache an older version left readable by everyone is narrowed when used.
        QVERIFY(::chmod(QFile::encodeName(cacheDir).constData(), 0755) == 0);
        QVERIFY(::chmod(QFile::encodeName(*cache).constData(), 0644) == 0);
        cache = store::SqliteFtsBuilder::refreshCache(m_source, cacheDir, {});
        QVERIFY2(cache, cache ? "" : qPrintable(cache.error().oneLine()));
        QCOMPARE(modeOf(*cache), 0600);
        QCOMPARE(modeOf(cacheDir), 0700);
    }

    void exportIsTheOwnersOnly() {
        for (const QString name : {"messages.csv", "messages.json"}) {
            const QString path = m_dir.filePath(name);
            TableExportWriter writer;
            QVERIFY(writer.open(path, TableExportWriter::formatForPath(path), {"id", "content"}));
            QVERIFY(writer.writeRow({1, "secret plans"}));
            QVERIFY(writer.finish());
            QCOMPARE(modeOf(path), 0600);
        }
        // Written over an existing world-readable file: narrowed too.
        const QString existing = m_dir.filePath("existing.csv");
        QFile f(existing);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        QVERIFY(::chmod(QFile::encodeName(existing).constData(), 0644) == 0);
        TableExportWriter writer;
        QVERIFY(writer.open(existing, TableExportWriter::Format::Csv, {"id"}));
        QVERIFY(writer.finish());
        QCOMPARE(modeOf(existing), 0600);
    }

    void devicesAreLeftAlone() {
        const int before = modeOf("/dev/null");
        QVERIFY(restrictToOwner("/dev/null"));
        QCOMPARE(modeOf("/dev/null"), before);
    }
};

QTEST_GUILESS_MAIN(TestPrivateFiles)
#include "tst_private_files.moc"
