#include "ReadWithoutShmVfs.h"

#include <sqlite3.h>

#include <algorithm>
#include <mutex>
#include <string_view>

namespace ctx {

namespace {

sqlite3_vfs* g_real = nullptr; // the default VFS this one wraps

struct ShimFile {
    sqlite3_file base; // first: SQLite sees this one
    sqlite3_file* real;
    bool besideSource; // the database, its -wal or its journal: never written
};

sqlite3_file* real(sqlite3_file* f) {
    return reinterpret_cast<ShimFile*>(f)->real;
}

bool besideSource(sqlite3_file* f) {
    return reinterpret_cast<ShimFile*>(f)->besideSource;
}

int xClose(sqlite3_file* f) {
    return real(f)->pMethods->xClose(real(f));
}
int xRead(sqlite3_file* f, void* out, int amount, sqlite3_int64 offset) {
    return real(f)->pMethods->xRead(real(f), out, amount, offset);
}
// Temporary files (sorts, temp tables) are SQLite's own, in the temp directory: they
// are written as usual.
int xWrite(sqlite3_file* f, const void* data, int amount, sqlite3_int64 offset) {
    return besideSource(f) ? SQLITE_READONLY
                           : real(f)->pMethods->xWrite(real(f), data, amount, offset);
}
int xTruncate(sqlite3_file* f, sqlite3_int64 size) {
    return besideSource(f) ? SQLITE_READONLY : real(f)->pMethods->xTruncate(real(f), size);
}
int xSync(sqlite3_file* f, int flags) {
    return besideSource(f) ? SQLITE_OK : real(f)->pMethods->xSync(real(f), flags);
}
int xFileSize(sqlite3_file* f, sqlite3_int64* size) {
    return real(f)->pMethods->xFileSize(real(f), size);
}
int xLock(sqlite3_file* f, int level) {
    return real(f)->pMethods->xLock(real(f), level);
}
int xUnlock(sqlite3_file* f, int level) {
    return real(f)->pMethods->xUnlock(real(f), level);
}
int xCheckReservedLock(sqlite3_file* f, int* out) {
    return real(f)->pMethods->xCheckReservedLock(real(f), out);
}
int xFileControl(sqlite3_file* f, int op, void* arg) {
    return real(f)->pMethods->xFileControl(real(f), op, arg);
}
int xSectorSize(sqlite3_file* f) {
    return real(f)->pMethods->xSectorSize(real(f));
}
int xDeviceCharacteristics(sqlite3_file* f) {
    return real(f)->pMethods->xDeviceCharacteristics(real(f));
}
// The shared memory is never opened: SQLite then builds the WAL index of the frames it
// reads in private memory (its "unreliable shm" path for read-only readers). The
// shared read lock that path takes has nothing to lock; it succeeds.
int xShmMap(sqlite3_file*, int, int, int, void volatile** out) {
    *out = nullptr;
    return SQLITE_READONLY_CANTINIT;
}
int xShmLock(sqlite3_file*, int, int, int flags) {
    return (flags & SQLITE_SHM_EXCLUSIVE) ? SQLITE_READONLY : SQLITE_OK;
}
void xShmBarrier(sqlite3_file*) {}
int xShmUnmap(sqlite3_file*, int) {
    return SQLITE_OK;
}
int xFetch(sqlite3_file* f, sqlite3_int64 offset, int amount, void** out) {
    return real(f)->pMethods->xFetch(real(f), offset, amount, out);
}
int xUnfetch(sqlite3_file* f, sqlite3_int64 offset, void* page) {
    return real(f)->pMethods->xUnfetch(real(f), offset, page);
}

const sqlite3_io_methods kMethods = {3,
                                     xClose,
                                     xRead,
                                     xWrite,
                                     xTruncate,
                                     xSync,
                                     xFileSize,
                                     xLock,
                                     xUnlock,
                                     xCheckReservedLock,
                                     xFileControl,
                                     xSectorSize,
                                     xDeviceCharacteristics,
                                     xShmMap,
                                     xShmLock,
                                     xShmBarrier,
                                     xShmUnmap,
                                     xFetch,
                                     xUnfetch};

int xOpen(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* outFlags) {
    ShimFile* s = reinterpret_cast<ShimFile*>(f);
    s->real = reinterpret_cast<sqlite3_file*>(s + 1);
    s->besideSource = (flags & (SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_WAL | SQLITE_OPEN_MAIN_JOURNAL |
                                SQLITE_OPEN_SUPER_JOURNAL)) != 0;
    // Nothing beside the source is created or opened for writing: not the -wal (SQLite
    // asks for it read-write, creating it if missing), not a journal.
    if (s->besideSource)
        flags = (flags & ~(SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)) | SQLITE_OPEN_READONLY;
    const int rc = g_real->xOpen(g_real, name, s->real, flags, outFlags);
    if (rc != SQLITE_OK || !s->real->pMethods || s->real->pMethods->iVersion < 3) {
        if (rc == SQLITE_OK && s->real->pMethods)
            s->real->pMethods->xClose(s->real);
        f->pMethods = nullptr;
        return rc != SQLITE_OK ? rc : SQLITE_CANTOPEN;
    }
    f->pMethods = &kMethods;
    return SQLITE_OK;
}

sqlite3_vfs g_vfs;

int xDelete(sqlite3_vfs* vfs, const char* name, int syncDir) {
    const std::string_view n(name);
    for (std::string_view suffix : {"-wal", "-shm", "-journal"}) // nothing beside the source
        if (n.size() >= suffix.size() && n.substr(n.size() - suffix.size()) == suffix)
            return SQLITE_READONLY;
    return g_real->xDelete(vfs == &g_vfs ? g_real : vfs, name, syncDir);
}

} // namespace

const char* ReadWithoutShmVfs::name() {
    static std::once_flag once;
    std::call_once(once, [] {
        g_real = sqlite3_vfs_find(nullptr);
        g_vfs = *g_real; // the real VFS's own functions for everything but files
        g_vfs.iVersion = std::min(g_real->iVersion, 3);
        g_vfs.szOsFile = int(sizeof(ShimFile)) + g_real->szOsFile;
        g_vfs.pNext = nullptr;
        g_vfs.zName = "ctx-read-without-shm";
        g_vfs.xOpen = xOpen;
        g_vfs.xDelete = xDelete;
        sqlite3_vfs_register(&g_vfs, 0);
    });
    return g_vfs.zName;
}

} // namespace ctx
