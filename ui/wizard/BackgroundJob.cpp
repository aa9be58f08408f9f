#include "BackgroundJob.h"

#include <QThread>

namespace ctx::ui {

namespace {

// Lives on the job's thread; runs the work when the thread starts.
class JobWorker : public QObject {
public:
    explicit JobWorker(std::function<void()> work)
        : m_work(std::move(work)) {}
    void run() {
        m_work();
        m_work = nullptr; // drop captured resources on the worker thread
    }

private:
    std::function<void()> m_work;
};

} // namespace

BackgroundJob::BackgroundJob(QObject* parent)
    : QObject(parent) {}

BackgroundJob::~BackgroundJob() {
    if (!m_thread)
        return;
    m_cancel = true;
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
}

void BackgroundJob::reap() {
    if (!m_thread)
        return;
    m_thread->wait();
    m_thread->deleteLater();
    m_thread = nullptr;
}

bool BackgroundJob::start(std::function<void()> work) {
    if (isRunning())
        return false;
    reap(); // the previous work returned; its thread is only quitting
    m_cancel = false;
    m_thread = new QThread;
    m_workDone = std::make_shared<std::atomic<bool>>(false);
    auto* worker = new JobWorker([work = std::move(work), done = m_workDone] {
        work();
        *done = true; // also when the work forgot finish()
    });
    worker->moveToThread(m_thread);
    connect(m_thread, &QThread::started, worker, [worker, thread = m_thread] {
        worker->run();
        thread->quit();
    });
    connect(m_thread, &QThread::finished, worker, &QObject::deleteLater);
    QThread* thread = m_thread;
    connect(m_thread, &QThread::finished, this, [this, thread] {
        if (m_thread != thread)
            return; // reaped by a newer start()
        reap();
        emit finished();
    });
    m_thread->start();
    return true;
}

void BackgroundJob::post(std::function<void()> fn) {
    QPointer<BackgroundJob> self(this);
    QMetaObject::invokeMethod(
        this,
        [self, fn = std::move(fn)] {
            if (self)
                fn();
        },
        Qt::QueuedConnection);
}

} // namespace ctx::ui

namespace ctx::ui {

void BackgroundJob::finish(std::function<void()> fn) {
    *m_workDone = true;
    post(std::move(fn));
}

} // namespace ctx::ui
