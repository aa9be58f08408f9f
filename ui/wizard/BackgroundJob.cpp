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

bool BackgroundJob::start(std::function<void()> work) {
    if (m_thread)
        return false;
    m_cancel = false;
    m_thread = new QThread;
    auto* worker = new JobWorker(std::move(work));
    worker->moveToThread(m_thread);
    connect(m_thread, &QThread::started, worker, [worker, thread = m_thread] {
        worker->run();
        thread->quit();
    });
    connect(m_thread, &QThread::finished, worker, &QObject::deleteLater);
    QThread* thread = m_thread;
    connect(m_thread, &QThread::finished, this, [this, thread] {
        if (m_thread != thread)
            return;
        thread->wait();
        thread->deleteLater();
        m_thread = nullptr;
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
