#pragma once

#include <QObject>
#include <QPointer>
#include <atomic>
#include <functional>

class QThread;

namespace ctx::ui {

// Runs one piece of work on its own QThread (through a worker QObject living
// there), so the GUI thread never waits for a database. The work opens its own
// Connection on that thread, reports through post() (run on the GUI thread,
// dropped when the job is gone) and watches cancelFlag(). Destroying the job
// cancels it and waits for the thread.
class BackgroundJob : public QObject {
    Q_OBJECT
public:
    explicit BackgroundJob(QObject* parent = nullptr);
    ~BackgroundJob() override;

    // Starts work unless a run is still going; returns false then.
    bool start(std::function<void()> work);
    void cancel() { m_cancel = true; }
    bool isRunning() const { return m_thread != nullptr; }
    bool isCancelled() const { return m_cancel; }
    const std::atomic<bool>* cancelFlag() const { return &m_cancel; }

    // From the worker thread: run fn on the GUI thread, in order, unless the job is gone.
    void post(std::function<void()> fn);

signals:
    void finished();

private:
    QThread* m_thread = nullptr;
    std::atomic<bool> m_cancel{false};
};

} // namespace ctx::ui
