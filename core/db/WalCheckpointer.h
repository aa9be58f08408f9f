#pragma once

#include <QString>
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

struct sqlite3;

namespace ctx {

// Moves WAL frames into a SQLite database file on a background thread, so that no
// commit pays for a checkpoint. SQLite's own autocheckpoint runs inside the commit
// that crosses 1000 WAL pages: that writer waits for the copy and two fsyncs (the
// 8-9 ms p99 of add_message in bench_store). One checkpointer serves every writable
// connection of this process to one file; its thread and connection start with the
// first checkpoint needed and end with the last connection. Other processes (the
// server) keep their own autocheckpoint.
class WalCheckpointer {
public:
    static constexpr int kPagesBeforeCheckpoint = 1000; // SQLite's autocheckpoint default

    // The checkpointer of the file at path (shared by this process's connections).
    static std::shared_ptr<WalCheckpointer> forFile(const QString& path);

    // Replaces db's autocheckpoint with a request to this checkpointer. db must close
    // before the last shared_ptr to this object is released.
    void watch(sqlite3* db);

    // Blocks until no checkpoint is requested or running (tests).
    void waitIdle();
    // Checkpoints completed so far (tests).
    qint64 checkpointsDone() const { return m_done.load(); }

    ~WalCheckpointer();
    WalCheckpointer(const WalCheckpointer&) = delete;
    WalCheckpointer& operator=(const WalCheckpointer&) = delete;

private:
    explicit WalCheckpointer(const QString& path)
        : m_path(path) {}
    static int onCommit(void* self, sqlite3* db, const char* schema, int walPages);
    void request();
    void run();
    void checkpointOnce(sqlite3** own);

    QString m_path;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_idle;
    bool m_requested = false;
    bool m_running = false;
    bool m_stop = false;
    std::thread m_thread;
    std::atomic<qint64> m_done{0};
};

} // namespace ctx
