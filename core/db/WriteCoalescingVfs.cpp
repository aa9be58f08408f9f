#include "WriteCoalescingVfs.h"

#include "ReadAhead.h"
#include "VfsPassThrough.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <mutex>

namespace ctx {

namespace {

// SQLite's unix VFS writes at most 128 kB - 1 bytes in one call (seekAndWrite masks
// the length with 0x1ffff), so gathered writes stay well below that.
constexpr int kCapacity = 64 * 1024;
// Reads that run forward through the main file are served 4 MB at a time.
constexpr qint64 kReadAhead = 4 * 1024 * 1024;

sqlite3_vfs* g_real = nullptr; // the default VFS this one wraps

struct CoalescingFile {
    vfs::WrappedFile wrapped; // first: SQLite sees its base
    char* buffer;             // null: writes go straight through
    sqlite3_int64 start;
    int length;
    ReadAhead* ahead; // main file: forward reads in large ones; null: reads go through
};

CoalescingFile* cf(sqlite3_file* f) {
    return reinterpret_cast<CoalescingFile*>(f);
}

using vfs::real;

int flush(sqlite3_file* f) {
    CoalescingFile* c = cf(f);
    if (c->length == 0)
        return SQLITE_OK;
    const int rc = real(f)->pMethods->xWrite(real(f), c->buffer, c->length, c->start);
    c->length = 0;
    return rc;
}

bool overlaps(const CoalescingFile* c, sqlite3_int64 offset, sqlite3_int64 amount) {
    return c->length > 0 && offset < c->start + c->length && c->start < offset + amount;
}

int xClose(sqlite3_file* f) {
    const int flushed = flush(f);
    const int closed = real(f)->pMethods->xClose(real(f));
    std::free(cf(f)->buffer);
    cf(f)->buffer = nullptr;
    delete cf(f)->ahead;
    cf(f)->ahead = nullptr;
    return flushed != SQLITE_OK ? flushed : closed;
}

// One read of up to `capacity` bytes for the read-ahead, after writing out what is
// gathered (it may lie in the range or extend the file).
qint64 fillAhead(sqlite3_file* f, char* into, qint64 capacity, sqlite3_int64 offset) {
    sqlite3_int64 size = 0;
    if (flush(f) != SQLITE_OK || real(f)->pMethods->xFileSize(real(f), &size) != SQLITE_OK)
        return -1;
    const qint64 n = std::min<qint64>(capacity, size - offset);
    if (n <= 0 || real(f)->pMethods->xRead(real(f), into, int(n), offset) != SQLITE_OK)
        return -1;
    return n;
}

int xRead(sqlite3_file* f, void* out, int amount, sqlite3_int64 offset) {
    if (ReadAhead* ahead = cf(f)->ahead;
        ahead && ahead->read(out, amount, offset, [f](char* into, qint64 capacity, qint64 at) {
            return fillAhead(f, into, capacity, at);
        }))
        return SQLITE_OK;
    if (overlaps(cf(f), offset, amount))
        if (const int rc = flush(f); rc != SQLITE_OK)
            return rc;
    return real(f)->pMethods->xRead(real(f), out, amount, offset);
}

int xWrite(sqlite3_file* f, const void* data, int amount, sqlite3_int64 offset) {
    CoalescingFile* c = cf(f);
    if (c->ahead)
        c->ahead->written(data, amount, offset);
    if (!c->buffer || amount > kCapacity) {
        if (const int rc = flush(f); rc != SQLITE_OK)
            return rc;
        return real(f)->pMethods->xWrite(real(f), data, amount, offset);
    }
    if (c->length > 0) {
        const sqlite3_int64 end = c->start + c->length;
        if (offset >= c->start && offset + amount <= end) { // a page written again
            std::memcpy(c->buffer + (offset - c->start), data, size_t(amount));
            return SQLITE_OK;
        }
        if (offset == end && c->length + amount <= kCapacity) { // the next page
            std::memcpy(c->buffer + c->length, data, size_t(amount));
            c->length += amount;
            return SQLITE_OK;
        }
        if (const int rc = flush(f); rc != SQLITE_OK)
            return rc;
    }
    c->start = offset;
    std::memcpy(c->buffer, data, size_t(amount));
    c->length = amount;
    return SQLITE_OK;
}

// Every other call sees the file as written: gathered pages go out first.
int xTruncate(sqlite3_file* f, sqlite3_int64 size) {
    if (cf(f)->ahead)
        cf(f)->ahead->truncated(size);
    const int rc = flush(f);
    return rc != SQLITE_OK ? rc : real(f)->pMethods->xTruncate(real(f), size);
}
int xSync(sqlite3_file* f, int flags) {
    const int rc = flush(f);
    return rc != SQLITE_OK ? rc : real(f)->pMethods->xSync(real(f), flags);
}
int xFileSize(sqlite3_file* f, sqlite3_int64* size) {
    const int rc = flush(f);
    return rc != SQLITE_OK ? rc : real(f)->pMethods->xFileSize(real(f), size);
}
int xUnlock(sqlite3_file* f, int level) {
    const int rc = flush(f);
    return rc != SQLITE_OK ? rc : real(f)->pMethods->xUnlock(real(f), level);
}
int xFileControl(sqlite3_file* f, int op, void* arg) {
    const int rc = flush(f);
    return rc != SQLITE_OK ? rc : real(f)->pMethods->xFileControl(real(f), op, arg);
}
int xShmMap(sqlite3_file* f, int region, int size, int extend, void volatile** out) {
    return real(f)->pMethods->xShmMap(real(f), region, size, extend, out);
}
int xShmLock(sqlite3_file* f, int offset, int n, int flags) {
    return real(f)->pMethods->xShmLock(real(f), offset, n, flags);
}
void xShmBarrier(sqlite3_file* f) {
    real(f)->pMethods->xShmBarrier(real(f));
}
int xShmUnmap(sqlite3_file* f, int deleteFlag) {
    return real(f)->pMethods->xShmUnmap(real(f), deleteFlag);
}
int xFetch(sqlite3_file* f, sqlite3_int64 offset, int amount, void** out) {
    if (overlaps(cf(f), offset, amount))
        if (const int rc = flush(f); rc != SQLITE_OK)
            return rc;
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
    CoalescingFile* c = cf(f);
    c->wrapped.real = reinterpret_cast<sqlite3_file*>(c + 1);
    c->buffer = nullptr;
    c->start = 0;
    c->length = 0;
    c->ahead = nullptr;
    if (const int rc = vfs::openWrapped(g_real, name, f, flags, outFlags, &kMethods);
        rc != SQLITE_OK)
        return rc;
    if (flags & SQLITE_OPEN_MAIN_DB) {
        c->buffer = static_cast<char*>(std::malloc(kCapacity));
        if (!c->buffer) {
            real(f)->pMethods->xClose(real(f));
            f->pMethods = nullptr;
            return SQLITE_NOMEM;
        }
        c->ahead = new ReadAhead(kReadAhead);
    }
    return SQLITE_OK;
}

sqlite3_vfs g_vfs;

} // namespace

const char* WriteCoalescingVfs::name() {
    static std::once_flag once;
    std::call_once(once, [] {
        vfs::registerWrapper(g_vfs, g_real, "ctx-write-coalescing", int(sizeof(CoalescingFile)),
                             xOpen);
        sqlite3_vfs_register(&g_vfs, 0);
    });
    return g_vfs.zName;
}

} // namespace ctx
