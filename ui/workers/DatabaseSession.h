#pragma once

#include "core/db/Connection.h"
#include "core/schema/SchemaInfo.h"
#include "core/store/StoreTypes.h"

#include <QObject>
#include <QPointer>
#include <QThread>
#include <atomic>
#include <functional>
#include <memory>

namespace ctx {
class SearchIndex;
class QueryCanceller;
} // namespace ctx

namespace ctx::ui {

// What lives on the worker thread: the connection and the objects bound to it.
struct WorkerContext {
    std::unique_ptr<Connection> conn;
    std::unique_ptr<SearchIndex> search;
    std::unique_ptr<QueryCanceller> canceller;
    std::shared_ptr<void> console; // the SQL console's open result (QueryRunner)
    ~WorkerContext();
};

// What opening found out, shown in the status bar and the schema view; the row counts
// (health) come later, from countRowsOn.
struct OpenInfo {
    Engine engine = Engine::Sqlite;
    QString serverVersion;
    SchemaInfo schema;
    Health health;
};

// One open database: a worker thread that owns its Connection (Qt Sql needs one
// connection per thread). The GUI posts jobs; each runs on the worker and its
// result comes back on the GUI thread to a receiver, and only while that
// receiver still exists. No query ever runs on the GUI thread.
class DatabaseSession : public QObject {
    Q_OBJECT
public:
    DatabaseSession(const DatabaseUrl& url, bool readOnly, QObject* parent = nullptr);
    ~DatabaseSession() override;

    const DatabaseUrl& url() const { return m_url; }
    bool isReadOnly() const { return m_readOnly; }
    bool isOpen() const { return m_open; }
    const OpenInfo& info() const { return m_info; }
    int pendingJobs() const { return m_pending; }

    // Connects on the worker; emits opened() or openFailed().
    void open();
    // Counts the rows of every table (the status bar's and the schema view's figures)
    // on another session's worker, so that the counts, seconds on ten million messages,
    // never hold up this one's pages; keeps them in info().health, emits healthChanged().
    void countRowsOn(DatabaseSession* worker);

    // Runs job(context) on the worker, then done(result) on the GUI thread if
    // receiver is still alive.
    template <class T>
    void run(QObject* receiver, std::function<T(WorkerContext&)> job,
             std::function<void(const T&)> done) {
        ++m_pending;
        emit busyChanged(m_pending);
        QPointer<QObject> guard(receiver);
        auto task = [this, job = std::move(job), done = std::move(done), guard]() mutable {
            auto result = std::make_shared<T>(job(*m_ctx));
            if (reopenIfSourceChanged()) // what it read may mix two states: read again
                result = std::make_shared<T>(job(*m_ctx));
            QMetaObject::invokeMethod(
                this,
                [this, result, done = std::move(done), guard]() {
                    --m_pending;
                    emit busyChanged(m_pending);
                    if (guard)
                        done(*result);
                },
                Qt::QueuedConnection);
        };
        post(std::move(task));
    }

    // Stops the statement running now (sqlite3_interrupt / PQcancel); thread-safe.
    void interrupt();
    // Called by a job on the worker to report how far it is; delivered as
    // progress() on the GUI thread.
    void reportProgress(const QString& task, qint64 done, qint64 total) {
        emit progress(task, done, total);
    }

signals:
    void opened();
    void openFailed(const ctx::Error& error);
    void healthChanged();
    void busyChanged(int pendingJobs);
    void progress(const QString& task, qint64 done, qint64 total);

private:
    void post(std::function<void()> task);
    // On the worker, after a job: a SQLite file read without its -shm that a server
    // has started writing (Connection::sourceUnchanged) is opened again.
    bool reopenIfSourceChanged();

    DatabaseUrl m_url;
    bool m_readOnly = true;
    bool m_open = false;
    OpenInfo m_info;
    QThread m_thread;
    QObject* m_target = nullptr; // lives on m_thread
    std::unique_ptr<WorkerContext> m_ctx;
    std::atomic<bool> m_closing{false};
    int m_pending = 0;
};

} // namespace ctx::ui
