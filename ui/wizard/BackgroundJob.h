#pragma once

#include <QObject>
#include <QPointer>
#include <atomic>
#include <functional>
#include <memory>

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
    // False as soon as the work has returned (its thread may still be winding down).
    bool isRunning() const { return m_thread != nullptr && !(m_workDone && *m_workDone); }
    bool isCancelled() const { return m_cancel; }
    const std::atomic<bool>* cancelFlag() const { return &m_cancel; }

    // From the worker thread: run fn on the GUI thread, in order, unless the job is gone.
    void post(std::function<void()> fn);
    // From the worker thread, as its last step: marks the work done, then posts fn.
    void finish(std::function<void()> fn);

signals:
    void finished();

private:
    void reap(); // joins a thread whose work has returned
    QThread* m_thread = nullptr;
    std::shared_ptr<std::atomic<bool>> m_workDone;
    std::atomic<bool> m_cancel{false};
};

} // namespace ctx::ui
