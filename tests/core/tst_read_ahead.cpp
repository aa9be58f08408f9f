// The read-ahead of ctxdb demo's VFS: forward reads come from one buffer of a fixed
// size whatever the file's, every byte it gives is the file's (also after writes and
// truncation), and reads that jump about are left to the caller.
#include "core/db/ReadAhead.h"

#include <QtTest>
#include <algorithm>
#include <cstring>

using namespace ctx;

namespace {

// A "file" in memory and a fill that counts what it read.
struct File {
    QByteArray bytes;
    qint64 readBytes = 0;
    qint64 largestFill = 0;
    ReadAhead::Fill fill() {
        return [this](char* into, qint64 capacity, qint64 offset) -> qint64 {
            const qint64 n = std::min<qint64>(capacity, bytes.size() - offset);
            if (n <= 0)
                return 0;
            std::memcpy(into, bytes.constData() + offset, size_t(n));
            readBytes += n;
            largestFill = std::max(largestFill, n);
            return n;
        };
    }
    void write(ReadAhead& ahead, qint64 offset, const QByteArray& data) {
        if (bytes.size() < offset + data.size())
            bytes.resize(offset + data.size(), '\0');
        bytes.replace(offset, data.size(), data);
        ahead.written(data.constData(), int(data.size()), offset);
    }
};

QByteArray pattern(int size, int seed) {
    QByteArray b(size, Qt::Uninitialized);
    for (int i = 0; i < size; ++i)
        b[i] = char((i * 131 + seed * 7 + i / 4096) % 251);
    return b;
}

constexpr int kPage = 4096;

} // namespace

class TestReadAhead : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // Scans of files 4 and 64 times the buffer: every page right, all but the first
    // served, the file read once, in reads no bigger than the buffer.
    void forwardScanIsBoundedAndExact() {
        for (const int pages : {64, 1024}) {
            File file{pattern(pages * kPage, pages)};
            ReadAhead ahead(16 * kPage);
            const qint64 size = file.bytes.size();
            int notServed = 0;
            char page[kPage];
            for (qint64 at = 0; at < size; at += kPage) {
                if (at % (17 * kPage) == 5 * kPage)
                    continue; // a page the caller had cached
                if (!ahead.read(page, kPage, at, file.fill())) {
                    ++notServed; // the caller reads it
                    continue;
                }
                QVERIFY2(std::memcmp(page, file.bytes.constData() + at, kPage) == 0,
                         qPrintable(QString::number(at)));
            }
            QCOMPARE(notServed, 1); // the first read: nothing says yet that reads go forward
            QCOMPARE(file.largestFill, ahead.capacity());
            QVERIFY2(file.readBytes <= size - kPage, qPrintable(QString::number(file.readBytes)));
            QVERIFY(ahead.fills() <= size / ahead.capacity() + 1);
        }
    }

    // Reads that jump back or far ahead are not served: a random read must not cost a
    // buffer's worth.
    void jumpsAreLeftToTheCaller() {
        File file{pattern(64 * kPage, 1)};
        ReadAhead ahead(8 * kPage);
        char page[kPage];
        QVERIFY(!ahead.read(page, kPage, 40 * kPage, file.fill()));
        QVERIFY(!ahead.read(page, kPage, 3 * kPage, file.fill()));
        QCOMPARE(file.readBytes, 0);
        QVERIFY(ahead.read(page, kPage, 4 * kPage, file.fill())); // right after the last one
        QVERIFY(!ahead.read(page, kPage, 60 * kPage, file.fill()));
        QVERIFY(!ahead.read(page, kPage, 0, file.fill()));
        QCOMPARE(file.readBytes, 8 * kPage);
    }

    // Bytes written after they were buffered are read back as written; a truncated
    // file's end is not served from the buffer.
    void writesAndTruncationAreSeen() {
        File file{pattern(32 * kPage, 2)};
        ReadAhead ahead(16 * kPage);
        char page[kPage];
        QVERIFY(!ahead.read(page, kPage, 0, file.fill()));
        QVERIFY(ahead.read(page, kPage, kPage, file.fill()));
        const QByteArray changed(kPage + 100, 'w');
        file.write(ahead, 3 * kPage - 50, changed); // straddles two pages
        for (qint64 at = 2 * kPage; at < 6 * kPage; at += kPage) {
            QVERIFY(ahead.read(page, kPage, at, file.fill()));
            QVERIFY2(std::memcmp(page, file.bytes.constData() + at, kPage) == 0,
                     qPrintable(QString::number(at)));
        }
        file.bytes.truncate(8 * kPage);
        ahead.truncated(8 * kPage);
        QVERIFY(ahead.read(page, kPage, 7 * kPage, file.fill()));
        QVERIFY(!ahead.read(page, kPage, 8 * kPage, file.fill()));
    }

    // At the end of the file, a page the fill could not read whole is the caller's.
    void shortReadAtTheEnd() {
        File file{pattern(3 * kPage + 10, 3)};
        ReadAhead ahead(8 * kPage);
        char page[kPage];
        QVERIFY(!ahead.read(page, kPage, 0, file.fill())); // first read: not yet forward
        QVERIFY(ahead.read(page, kPage, kPage, file.fill()));
        QVERIFY(ahead.read(page, kPage, 2 * kPage, file.fill()));
        QVERIFY(!ahead.read(page, kPage, 3 * kPage, file.fill()));
        QVERIFY(ahead.read(page, 10, 3 * kPage, file.fill()));
        QVERIFY(std::memcmp(page, file.bytes.constData() + 3 * kPage, 10) == 0);
    }
};

QTEST_GUILESS_MAIN(TestReadAhead)
#include "tst_read_ahead.moc"
