#include "ReadWithoutShmVfs.h"

#include "VfsPassThrough.h"

#include <mutex>
#include <string_view>

namespace ctx {

namespace {

sqlite3_vfs* g_real = nullptr; // the default VFS this one wraps

using vfs::real;

struct ShimFile {
    vfs::WrappedFile wrapped; // first: SQLite sees its base
    bool besideSource;        // the database, its -wal or its journal: never written
};

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
int xUnlock(sqlite3_file* f, int level) {
    return real(f)->pMethods->xUnlock(real(f), level);
}
int xFileControl(sqlite3_file* f, int op, void* arg) {
    return real(f)->pMethods->xFileControl(real(f), op, arg);
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

const sqlite3_io_methods kMethods = {3,
                                     xClose,
                                     xRead,
                                     xWrite,
                                     xTruncate,
                                     xSync,
                                     xFileSize,
                                     vfs::passLock,
                                     xUnlock,
                                     vfs::passCheckReservedLock,
                                     xFileControl,
                                     vfs::passSectorSize,
                                     vfs::passDeviceCharacteristics,
                                     xShmMap,
                                     xShmLock,
                                     xShmBarrier,
                                     xShmUnmap,
                                     xFetch,
                                     vfs::passUnfetch};

int xOpen(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* outFlags) {
    ShimFile* s = reinterpret_cast<ShimFile*>(f);
    s->wrapped.real = reinterpret_cast<sqlite3_file*>(s + 1);
    s->besideSource = (flags & (SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_WAL | SQLITE_OPEN_MAIN_JOURNAL |
                                SQLITE_OPEN_SUPER_JOURNAL)) != 0;
    // Nothing beside the source is created or opened for writing: not the -wal (SQLite
    // asks for it read-write, creating it if missing), not a journal.
    if (s->besideSource)
        flags = (flags & ~(SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)) | SQLITE_OPEN_READONLY;
    return vfs::openWrapped(g_real, name, f, flags, outFlags, &kMethods);
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
        vfs::registerWrapper(g_vfs, g_real, "ctx-read-without-shm", int(sizeof(ShimFile)), xOpen);
        g_vfs.xDelete = xDelete;
        sqlite3_vfs_register(&g_vfs, 0);
    });
    return g_vfs.zName;
}

} // namespace ctx
