// Message content names files and URLs; the inspector reads none of them (issue 17
// item 10). A FIFO named by content would hang the window if anything opened it, so a
// watchdog thread opens its write end whenever a reader appears: the reader is released
// at once (the test cannot hang) and the test fails. Every render of a message naming
// /dev/zero comes after such a FIFO probe, so a regression fails there instead of reading
// until memory runs out.
#include "core/db/Connection.h"
#include "support/LegacyFixtures.h"
#include "ui/models/MessageTableModel.h"
#include "ui/models/RecordTableModel.h"
#include "ui/views/InertText.h"
#include "ui/views/MessagePane.h"
#include "ui/workers/DatabaseSession.h"

#include <QAbstractTextDocumentLayout>
#include <QElapsedTimer>
#include <QLabel>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTextBrowser>
#include <QToolTip>
#include <QTreeWidget>
#include <atomic>
#include <fcntl.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

using namespace ctx;
using namespace ctx::ui;
using namespace ctx::test;

namespace {
// Counts the readers that open the FIFO and releases each at once (an empty write end).
class FifoWatch {
public:
    explicit FifoWatch(const QString& path)
        : m_path(path.toLocal8Bit()) {
        m_thread = std::thread([this] {
            while (!m_stop) {
                const int fd = ::open(m_path.constData(), O_WRONLY | O_NONBLOCK);
                if (fd >= 0) { // only succeeds while someone has it open for reading
                    ++m_readers;
                    ::close(fd);
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            }
        });
    }
    ~FifoWatch() {
        m_stop = true;
        m_thread.join();
    }
    int readers() const { return m_readers; }

private:
    QByteArray m_path;
    std::atomic<bool> m_stop{false};
    std::atomic<int> m_readers{0};
    std::thread m_thread;
};

int imagesIn(QTextDocument* doc) {
    int n = 0;
    for (QTextBlock b = doc->begin(); b.isValid(); b = b.next())
        for (auto it = b.begin(); !it.atEnd(); ++it)
            n += it.fragment().charFormat().isImageFormat() ? 1 : 0;
    return n;
}
} // namespace

class TestInertContent : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_file;
    QString m_fifo;
    QTcpServer m_http; // an http image would connect here
    std::unique_ptr<DatabaseSession> m_session;
    QHash<QString, qint64> m_ids; // name -> message id

    qint64 insert(const QString& name, const QString& content,
                  const QString& visibility = QStringLiteral("public")) {
        ConnectionOptions writable;
        writable.readOnly = false;
        auto conn = Connection::open(DatabaseUrl::sqliteFile(m_file), writable);
        if (!conn)
            return -1;
        // Legacy files without the visibility CHECK hold any text there.
        (*conn)->exec(QStringLiteral("PRAGMA ignore_check_constraints = ON"));
        auto id = (*conn)->scalar(
            QStringLiteral("INSERT INTO messages (session_id, sender, content, visibility, "
                           "message_type, timestamp) VALUES (?, 'mallory', ?, ?, "
                           "'agent_response', 1735690500) RETURNING id"),
            {fixture::kSessionA, content, visibility});
        const qint64 v = id ? id->toLongLong() : -1;
        m_ids.insert(name, v);
        return v;
    }

    // Shows the message in a pane, laid out and painted, as a user would see it.
    bool render(MessagePane& pane, const QString& name) {
        QSignalSpy loaded(&pane, &MessagePane::loaded);
        pane.showMessage(m_ids.value(name));
        if (!loaded.wait(30000))
            return false;
        QTextDocument* doc = pane.contentView()->document();
        doc->documentLayout()->documentSize();
        pane.grab();
        return true;
    }

private Q_SLOTS:
    void initTestCase() {
        qputenv("XDG_CONFIG_HOME", m_dir.filePath(QStringLiteral("config")).toUtf8());
        m_file = m_dir.filePath(QStringLiteral("chat_history.db"));
        m_fifo = m_dir.filePath(QStringLiteral("fifo"));
        QVERIFY(writeLegacyFile(m_file, LegacyVersion::V3b));
        QCOMPARE(::mkfifo(m_fifo.toLocal8Bit().constData(), 0600), 0);
        QVERIFY(m_http.listen(QHostAddress::LocalHost));
        const QString http =
            QStringLiteral("http://127.0.0.1:%1/pixel.png").arg(m_http.serverPort());
        QVERIFY(insert("fifo", QStringLiteral("A FIFO: ![pipe](%1) and a [link](%1)").arg(m_fifo)) >
                0);
        QVERIFY(insert("fifo-file-url", QStringLiteral("![pipe](file://%1)").arg(m_fifo)) > 0);
        QVERIFY(insert("fifo-reference",
                       QStringLiteral("![pipe][p]\n\n[p]: %1 \"title\"\n").arg(m_fifo)) > 0);
        QVERIFY(insert("fifo-html", QStringLiteral("<img src=\"%1\"> and <style>@import \"%1\";"
                                                   "</style> and <link rel=stylesheet href=\"%1\">")
                                        .arg(m_fifo)) > 0);
        QVERIFY(insert("zero", QStringLiteral("![](/dev/zero) ![zero](/dev/zero)")) > 0);
        QVERIFY(insert("passwd", QStringLiteral("![p](file:///etc/passwd) ![](/etc/passwd)")) > 0);
        QVERIFY(insert("http", QStringLiteral("![remote](%1) ![](%1)").arg(http)) > 0);
        QVERIFY(insert("hostile-visibility", QStringLiteral("plain"),
                       QStringLiteral("<img src=\"%1\">").arg(m_fifo)) > 0);
        QVERIFY(insert("long", QStringLiteral("word ").repeated(60000)) > 0); // 300,000 chars
        // Qt's Markdown import is quadratic in links and code spans: minutes for these.
        QVERIFY(insert("links", QStringLiteral("[a](b) ").repeated(14000)) > 0);
        QVERIFY(insert("code-spans", QStringLiteral("`c` ").repeated(24000)) > 0);
        m_session = std::make_unique<DatabaseSession>(DatabaseUrl::sqliteFile(m_file), true);
        QSignalSpy opened(m_session.get(), &DatabaseSession::opened);
        m_session->open();
        QVERIFY(opened.wait(30000));
    }

    void cleanupTestCase() { m_session.reset(); }

    // The FIFO named every way Markdown allows (inline, file URL, reference, raw HTML,
    // a CSS @import, a header field): nothing opens it, and the window goes on.
    void aFifoNamedByContentIsNeverOpened() {
        FifoWatch watch(m_fifo);
        const int asked = InertTextDocument::resourceRequests();
        MessagePane pane;
        pane.resize(700, 500);
        pane.show();
        pane.setSession(m_session.get());
        QElapsedTimer timer;
        timer.start();
        for (const char* name :
             {"fifo", "fifo-file-url", "fifo-reference", "fifo-html", "hostile-visibility"}) {
            QVERIFY2(render(pane, QString::fromLatin1(name)), name);
            QTest::qWait(50); // the watchdog looks every 10 ms
            QVERIFY2(watch.readers() == 0, name);
            QCOMPARE(imagesIn(pane.contentView()->document()), 0);
            // Qt's own image handler is replaced: it would load the file by name.
            QVERIFY(pane.contentView()->document()->documentLayout()->handlerForObject(
                QTextFormat::ImageObject));
            if (QLatin1String(name) == QLatin1String("fifo-html")) // raw HTML is shown as text
                QVERIFY(pane.contentView()->toPlainText().contains(QStringLiteral("<img src=")));
        }
        QCOMPARE(InertTextDocument::resourceRequests(), asked);
        QVERIFY(render(pane, QStringLiteral("fifo")));
        QVERIFY2(pane.contentView()->toPlainText().contains(QStringLiteral("[image: pipe <") +
                                                            m_fifo + QStringLiteral(">]")),
                 qPrintable(pane.contentView()->toPlainText()));
        QVERIFY(!pane.contentView()->openLinks());
        QVERIFY(timer.elapsed() < 20000);

        // Tooltips of stored text (the list, the thread, the raw values) are plain text:
        // a tooltip taken for HTML would load the image.
        const QString hostile = QStringLiteral("<img src=\"%1\"> hover me").arg(m_fifo);
        const QString tip = plainToolTip(hostile);
        QVERIFY(!tip.contains(QStringLiteral("<img")));
        QToolTip::showText(pane.mapToGlobal(QPoint(20, 20)), tip, &pane);
        QTest::qWait(100);
        QToolTip::hideText();
        RecordTableModel records({QStringLiteral("value")});
        RecordRow row;
        row.values = {hostile};
        records.setRows({row});
        QVERIFY(!records.data(records.index(0, 0), Qt::ToolTipRole).toString().contains("<img"));
        QCOMPARE(plainToolTip(QStringLiteral("no tags")), QStringLiteral("no tags"));
        QCOMPARE(watch.readers(), 0);
    }

    // /dev/zero, /etc/passwd and an http URL: never asked for, never read, never fetched.
    void namedFilesAndUrlsAreNeverRead() {
        MessagePane pane;
        pane.resize(700, 500);
        pane.show();
        pane.setSession(m_session.get());
        {
            // The probe first: were images still loaded, this fails here instead of
            // reading /dev/zero below until memory runs out.
            FifoWatch watch(m_fifo);
            QVERIFY(render(pane, QStringLiteral("fifo")));
            QTest::qWait(50);
            QCOMPARE(watch.readers(), 0);
        }
        const int asked = InertTextDocument::resourceRequests();
        QElapsedTimer timer;
        timer.start();
        for (const char* name : {"zero", "passwd", "http"}) {
            QVERIFY2(render(pane, QString::fromLatin1(name)), name);
            QCOMPARE(imagesIn(pane.contentView()->document()), 0);
        }
        QVERIFY(timer.elapsed() < 20000);
        QCOMPARE(InertTextDocument::resourceRequests(), asked);
        QVERIFY(pane.contentView()->toPlainText().contains(QStringLiteral("[image: remote <http")));
        QVERIFY(!pane.contentView()->toPlainText().contains(QStringLiteral("root:")));
        QTest::qWait(100);
        QVERIFY(!m_http.hasPendingConnections());
        // An inert document answers every resource request with nothing.
        InertTextDocument doc;
        QVERIFY(doc.resource(QTextDocument::ImageResource, QUrl::fromLocalFile("/etc/passwd"))
                    .isNull());
        QCOMPARE(InertTextDocument::resourceRequests(), asked + 1);
    }

    // What is rendered is bounded: 300,000 characters render as the first 100,000 and a
    // note; the raw values still give the full length.
    void renderedTextIsBounded() {
        MessagePane pane;
        pane.resize(700, 500);
        pane.show();
        pane.setSession(m_session.get());
        QElapsedTimer timer;
        timer.start();
        QVERIFY(render(pane, QStringLiteral("long")));
        QVERIFY2(timer.elapsed() < 20000, qPrintable(QString::number(timer.elapsed())));
        const QString shown = pane.contentView()->toPlainText();
        QVERIFY2(shown.size() <= MessagePane::kMaxRenderedCharacters + 200,
                 qPrintable(QString::number(shown.size())));
        QVERIFY(shown.contains(QStringLiteral("more characters not shown")));
        const auto raw = pane.rawTree()->findItems(QStringLiteral("content"), Qt::MatchExactly);
        QVERIFY(!raw.isEmpty());
        QVERIFY(raw.first()->text(1).startsWith(QStringLiteral("300000 characters")));

        // Too much Markdown structure to lay out quickly: shown as plain text, at once.
        for (const char* name : {"links", "code-spans"}) {
            timer.restart();
            QVERIFY2(render(pane, QString::fromLatin1(name)), name);
            QVERIFY2(timer.elapsed() < 10000, qPrintable(QString::number(timer.elapsed())));
            QVERIFY2(
                pane.contentView()->toPlainText().contains(QStringLiteral("shown as plain text")),
                name);
        }
        QVERIFY(pane.contentView()->toPlainText().startsWith(QStringLiteral("`c` `c`")));
        // Ordinary Markdown stays Markdown.
        QVERIFY(render(pane, QStringLiteral("fifo")));
        QVERIFY(!pane.contentView()->toPlainText().contains(QStringLiteral("plain text")));
        QCOMPARE(markdownMarks(QStringLiteral("a `b` [c](http://d) www.e.f\n")), 11);
    }
};

QTEST_MAIN(TestInertContent)
#include "tst_ui_inert_content.moc"
