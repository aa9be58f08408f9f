#pragma once

#include <QObject>
#include <QString>
#include <atomic>
#include <thread>

namespace ctx::ui {

// Builds (or goes on building) the full-text side cache of a SQLite file on a thread
// of its own, with its own connections (SqliteFtsBuilder::refreshCache), so that the
// database's worker stays free for pages and for searches that answer from the newest
// messages meanwhile: the two use both cores. Batches commit as they go, so a build
// stopped by Cancel, by another database or by quitting goes on from there next time.
class SearchIndexBuild : public QObject {
    Q_OBJECT
public:
    explicit SearchIndexBuild(QObject* parent = nullptr);
    ~SearchIndexBuild() override; // stops the build and waits for its batch to roll back

    // Starts building for sourcePath unless a build for it is running already.
    void start(const QString& sourcePath);
    // Asks the running build to stop; returns at once, finished() follows.
    void stop();
    bool isRunning() const { return m_running; }
    const QString& sourcePath() const { return m_sourcePath; }

signals:
    // Message ids indexed so far of those missing at the start.
    void progress(qint64 done, qint64 total);
    // ok, or why not in one line; cancelled when stop() (or another start) ended it.
    void finished(bool ok, bool cancelled, const QString& message);

private:
    void join();
    std::thread m_thread;
    std::atomic<bool> m_stop{false};
    bool m_running = false;
    quint64 m_generation = 0; // of the build started last
    QString m_sourcePath;
};

} // namespace ctx::ui
