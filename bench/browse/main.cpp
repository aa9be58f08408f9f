// bench/browse: launch to first rows (and to the exact count), jump to the end of the largest
// session, full- text search, then a scroll through the whole session, with a GUI-thread heartbeat
// from launch to the end: the longest stall of each phase and of the whole run.
//   browse [database | message count] (default 1000000: the demo file of that size in
//   /tmp/ctx-bench, made first when missing, after a check of the free space; a file
//   path or a PostgreSQL URL works too). The file's search side cache is deleted first,
//   so the first search is on a never-indexed file.
//   browse [database | message count] --open-only: launch to the first rows and the
//   count only (no jumps, search or scroll), for working on the opening.
#include "BrowseProbe.h"
#include "core/db/Connection.h"
#include "core/legacy/DemoWriter.h"
#include "core/store/SqliteFtsBuilder.h"
#include "core/store/Store.h"
#include "ui/MainWindow.h"
#include "ui/models/MessageTableModel.h"
#include "ui/views/MessagesView.h"
#include "ui/views/SearchView.h"
#include "ui/views/SessionsView.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QHeaderView>
#include <QScrollBar>
#include <QStorageInfo>
#include <QTableView>
#include <QTemporaryDir>
#include <QTextStream>
#include <cstdio>

using namespace ctx;
using namespace ctx::ui;

namespace {
QTextStream out(stdout);

// The largest session, found before the clock starts (not part of any figure).
QString largestSession(const QString& urlText, qint64* count) {
    auto url = DatabaseUrl::parse(urlText);
    if (!url)
        return {};
    auto conn = Connection::open(*url);
    if (!conn)
        return {};
    auto q = (*conn)->exec(QStringLiteral("SELECT session_id, COUNT(*) FROM messages GROUP BY "
                                          "session_id ORDER BY 2 DESC LIMIT 1"));
    if (!q || !q->next())
        return {};
    *count = q->value(1).toLongLong();
    return q->value(0).toString();
}

bool rowsLoaded(MessageTableModel* model, int first, int last) {
    return model->isRowLoaded(first) && model->isRowLoaded(last);
}

// The demo file of `messages` messages, made when missing; empty (and why, printed)
// when the disk cannot hold it and its search index.
QString demoFile(qint64 messages) {
    const QString dir = QStringLiteral("/tmp/ctx-bench");
    QDir().mkpath(dir);
    const QString path = QStringLiteral("%1/demo-%2.db").arg(dir).arg(messages);
    if (QFileInfo::exists(path))
        return path;
    // 2.1 KB per message in the file, 0.35 KB in the search index, and room to spare.
    const qint64 needed = messages * 2800;
    const qint64 free = QStorageInfo(dir).bytesAvailable();
    if (free < needed) {
        out << "browse: " << messages << " messages need about " << needed / (1 << 30)
            << " GB free in " << dir << ", " << free / (1 << 30) << " GB are" << Qt::endl;
        return {};
    }
    out << "making " << path << " (" << messages << " messages)…" << Qt::endl;
    DemoOptions o;
    o.path = path;
    o.messages = messages;
    auto made = DemoWriter::write(o);
    if (!made) {
        out << "browse: " << made.error().oneLine() << Qt::endl;
        QFile::remove(path);
        return {};
    }
    // The demo writer maps the file it writes: its pages are not the inspector's, so the
    // peak resident set starts again here ("5": reset VmHWM).
    QFile clear(QStringLiteral("/proc/self/clear_refs"));
    if (!clear.open(QIODevice::WriteOnly) || clear.write("5") != 1)
        out << "browse: cannot reset the peak RSS after making the demo; peak_rss_mb counts it"
            << Qt::endl;
    return path;
}
} // namespace

int main(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QTemporaryDir config;
    qputenv("XDG_CONFIG_HOME", config.path().toUtf8());
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Context Studio Bench"));
    QStringList args = app.arguments().mid(1);
    const bool openOnly = args.removeAll(QStringLiteral("--open-only")) > 0;
    const QString arg = args.value(0, QStringLiteral("1000000"));
    bool isCount = false;
    const qint64 count = arg.toLongLong(&isCount);
    const QString db = isCount ? demoFile(count) : arg;
    if (db.isEmpty())
        return 1;
    // The first search is on a never-indexed file: this file's search side cache goes
    // (the time-order cache of its sessions stays, as a user who opened it before has it).
    if (DatabaseUrl::parse(db) && DatabaseUrl::parse(db)->isSqlite()) {
        const QString searchCache =
            store::SqliteFtsBuilder::cachePathFor(db, SearchIndex::cacheDirectory());
        for (const char* suffix : {"", "-wal", "-shm"})
            QFile::remove(searchCache + QLatin1String(suffix));
    }
    qint64 sessionRows = 0;
    const QString session = largestSession(db, &sessionRows);
    if (session.isEmpty()) {
        out << "browse: cannot read " << db << Qt::endl;
        return 1;
    }
    out << "database " << DatabaseUrl::parse(db)->redacted() << ", largest session " << session
        << " with " << sessionRows << " messages" << Qt::endl;

    // 1. Launch (window built) to the first rows painted.
    QElapsedTimer clock;
    clock.start();
    MainWindow window;
    window.show();
    StallMeter stalls;
    MessagesView* messages = window.messagesView();
    MessageTableModel* model = messages->model();
    qint64 listedMs = -1, countedMs = -1, agentsMs = -1;
    QObject::connect(window.sessionsView(), &SessionsView::listed, &window, [&] {
        listedMs = clock.elapsed();
        window.sessionsView()->selectSession(session);
    });
    QObject::connect(window.sessionsView(), &SessionsView::loaded, &window,
                     [&] { countedMs = clock.elapsed(); });
    QObject::connect(window.sessionsView(), &SessionsView::agentsLoaded, &window,
                     [&] { agentsMs = clock.elapsed(); });
    window.openDatabase(db);
    // The first rows are painted before the list knows its exact length (an estimate
    // meanwhile); the count follows on the other connection.
    if (!waitUntil([&] { return model->isRowLoaded(0); })) {
        out << "browse: no rows (" << window.errorText() << ")" << Qt::endl;
        return 1;
    }
    messages->table()->viewport()->repaint(); // painted, not only loaded
    const qint64 firstRowsMs = clock.elapsed();
    const qint64 rowsShown = model->rowCount();
    const bool exactAtFirstRows = model->isTotalKnown();
    if (!waitUntil([&] { return model->isTotalKnown(); })) {
        out << "browse: no count (" << window.errorText() << ")" << Qt::endl;
        return 1;
    }
    const qint64 countMs = clock.elapsed();
    // The longest stall of each phase; max_stall_ms is the whole run's (launch, open,
    // jumps, the index build and searches, the scroll), not only the scroll's.
    QList<std::pair<const char*, qint64>> phaseStalls;
    auto endPhase = [&](const char* name) {
        phaseStalls.append({name, stalls.maxStallMs()});
        stalls.reset();
    };
    endPhase("open");
    out << "first rows painted after " << firstRowsMs << " ms (" << rowsShown
        << " rows in the list, " << (exactAtFirstRows ? "exact" : "an estimate")
        << "); exact count " << model->total() << " after " << countMs << " ms" << Qt::endl;
    if (openOnly) {
        waitUntil([&] { return agentsMs >= 0; }, 900000);
        out << "sessions listed after " << listedMs << " ms, with counts after " << countedMs
            << " ms, with agents after " << agentsMs << " ms" << Qt::endl;
        out << "first_rows_ms=" << firstRowsMs << " count_ms=" << countMs
            << " max_stall_ms=" << phaseStalls.first().second << " peak_rss_mb=" << peakRssMb()
            << Qt::endl;
        return 0;
    }

    // 2. Jump to the end, then to the middle (by anchor once they are in).
    QElapsedTimer t;
    t.start();
    messages->jumpToEnd();
    const int last = model->rowCount() - 1;
    waitUntil([&] { return model->isRowLoaded(last); });
    messages->table()->viewport()->repaint();
    const qint64 jumpMs = t.elapsed();
    out << "jump to the end: " << jumpMs << " ms" << Qt::endl;
    waitUntil([&] { return model->anchorsReady(); });
    t.restart();
    messages->jumpToRow(model->rowCount() / 2 + 77);
    waitUntil([&] { return model->isRowLoaded(model->rowCount() / 2 + 77); });
    out << "jump to the middle (anchors ready): " << t.elapsed() << " ms" << Qt::endl;
    endPhase("jumps");

    // 3. Search all messages. The first search, on a never-indexed file, is timed to
    //    its first results; then the index is built in the background (the search
    //    runs again through it), and the next searches are timed.
    SearchView* search = window.searchView();
    t.restart();
    int done = 0;
    bool built = false;
    QObject::connect(search, &SearchView::finished, &window, [&] { ++done; });
    QObject::connect(search, &SearchView::indexBuildFinished, &window, [&] { built = true; });
    search->search(QStringLiteral("deploy schema"));
    waitUntil([&] { return done >= 1; }, 900000);
    search->table()->viewport()->repaint();
    const qint64 firstSearchMs = t.elapsed();
    out << "first search, never-indexed file: " << firstSearchMs << " ms to " << search->hitCount()
        << " hits (" << search->infoText() << ")" << Qt::endl;
    if (!search->lastAnswerIndexed()) {
        waitUntil([&] { return built && done >= 2; }, 3600000);
        out << "full search index built in the background after " << t.elapsed() << " ms"
            << Qt::endl;
    }
    const int before = done;
    t.restart();
    search->search(QStringLiteral("migrate thread"));
    waitUntil([&] { return done >= before + 1; });
    const qint64 searchMs = t.elapsed();
    out << "search for two common words: " << searchMs << " ms, " << search->hitCount()
        << " hits (worker " << search->lastSearchMs() << " ms)" << Qt::endl;
    t.restart();
    search->search(QStringLiteral("999987"));
    waitUntil([&] { return done >= before + 2; });
    out << "search for a rare word: " << t.elapsed() << " ms, " << search->hitCount()
        << " hits (worker " << search->lastSearchMs() << " ms)" << Qt::endl;
    endPhase("search (index build included)");

    // 4. Scroll the whole session from the start to the end, page by page, with
    //    the heartbeat running.
    QScrollBar* bar = messages->table()->verticalScrollBar();
    const int visible = std::max(1, messages->table()->viewport()->height() /
                                        messages->table()->verticalHeader()->defaultSectionSize());
    t.restart();
    int stallRow = -1;
    qint64 worst = 0;
    const int rows = model->rowCount();
    for (int top = 0; top < rows; top += model->pageSize()) {
        bar->setValue(top);
        const int bottom = std::min(rows - 1, top + visible - 1);
        const bool ok = waitUntil([&] { return rowsLoaded(model, top, bottom); });
        if (stalls.maxStallMs() > worst) {
            worst = stalls.maxStallMs();
            stallRow = top;
        }
        if (!ok) {
            out << "browse: row " << top << " never arrived" << Qt::endl;
            return 1;
        }
    }
    const qint64 scrollMs = t.elapsed();
    endPhase("scroll");
    qint64 maxStall = 0;
    out << "longest stall per phase:";
    for (const auto& [name, ms] : phaseStalls) {
        out << " " << name << " " << ms << " ms;";
        maxStall = std::max(maxStall, ms);
    }
    out << Qt::endl;
    const qint64 rss = peakRssMb();
    out << "scrolled " << rows << " rows in " << scrollMs << " ms; cache high water "
        << model->cachedPagesHighWater() << " of " << model->maxCachedPages() << " pages of "
        << model->pageSize() << " rows; " << model->pagesFetched() << " pages fetched; longest "
        << "stall near row " << stallRow << Qt::endl;
    out << "first_rows_ms=" << firstRowsMs << " first_search_ms=" << firstSearchMs
        << " page_jump_ms=" << jumpMs << " search_ms=" << searchMs << " peak_rss_mb=" << rss
        << " max_stall_ms=" << maxStall << " count_ms=" << countMs << Qt::endl;
    return 0;
}
