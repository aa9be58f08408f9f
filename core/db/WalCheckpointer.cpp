#include "WalCheckpointer.h"

#include <QFileInfo>
#include <cstring>
#include <map>
#include <sqlite3.h>

namespace ctx {

namespace {

// Never destroyed: a connection that outlives static destruction (a global, a thread
// still ending at exit) must still find them.
std::mutex& registryMutex() {
    static auto* m = new std::mutex;
    return *m;
}

std::map<QString, std::weak_ptr<WalCheckpointer>>& registry() {
    static auto* r = new std::map<QString, std::weak_ptr<WalCheckpointer>>;
    return *r;
}

} // namespace

std::shared_ptr<WalCheckpointer> WalCheckpointer::forFile(const QString& path) {
    const QFileInfo info(path);
    const QString key =
        info.canonicalFilePath().isEmpty() ? info.absoluteFilePath() : info.canonicalFilePath();
    std::lock_guard lock(registryMutex());
    auto& slot = registry()[key];
    if (auto existing = slot.lock())
        return existing;
    std::shared_ptr<WalCheckpointer> made(new WalCheckpointer(key));
    slot = made;
    return made;
}

void WalCheckpointer::watch(sqlite3* db) {
    sqlite3_wal_hook(db, &WalCheckpointer::onCommit, this); // also ends autocheckpoint
}

int WalCheckpointer::onCommit(void* self, sqlite3* db, const char* schema, int walPages) {
    if (walPages < kPagesBeforeCheckpoint)
        return SQLITE_OK;
    if (std::strcmp(schema, "main") == 0)
        static_cast<WalCheckpointer*>(self)->request();
    else // an attached file: what autocheckpoint would have done
        (void)sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    return SQLITE_OK;
}

void WalCheckpointer::request() {
    std::lock_guard lock(m_mutex);
    if (m_stop)
        return;
    m_requested = true;
    if (!m_thread.joinable())
        m_thread = std::thread([this] { run(); });
    m_wake.notify_one();
}

void WalCheckpointer::run() {
    sqlite3* own = nullptr;
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_wake.wait(lock, [this] { return m_requested || m_stop; });
        if (m_stop)
            break;
        m_requested = false;
        m_running = true;
        lock.unlock();
        checkpointOnce(&own);
        lock.lock();
        m_running = false;
        if (!m_requested)
            m_idle.notify_all();
    }
    lock.unlock();
    if (own)
        sqlite3_close_v2(own); // the last connection to close also folds in the WAL
}

void WalCheckpointer::checkpointOnce(sqlite3** own) {
    if (!*own) {
        const QByteArray path = m_path.toUtf8();
        if (sqlite3_open_v2(path.constData(), own, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
            sqlite3_close_v2(*own); // the writers' commits still succeed; retried next time
            *own = nullptr;
            return;
        }
        sqlite3_busy_timeout(*own, 50);
        // Until it reads the file, a connection does not know it is in WAL mode and
        // its checkpoints do nothing.
        (void)sqlite3_exec(*own, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr);
    }
    // PASSIVE: copies what no reader still needs and never blocks a writer. Busy or
    // partial results are fine: the next request continues.
    (void)sqlite3_wal_checkpoint_v2(*own, "main", SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    ++m_done;
}

void WalCheckpointer::waitIdle() {
    std::unique_lock lock(m_mutex);
    m_idle.wait(lock, [this] { return !m_requested && !m_running; });
}

WalCheckpointer::~WalCheckpointer() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
        m_wake.notify_all();
    }
    if (m_thread.joinable())
        m_thread.join();
    std::lock_guard lock(registryMutex());
    auto it = registry().find(m_path);
    if (it != registry().end() && it->second.expired())
        registry().erase(it);
}

} // namespace ctx
