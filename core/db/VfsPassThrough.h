#pragma once

#include <sqlite3.h>

namespace ctx::vfs {

// The file object of a VFS that wraps SQLite's default one: SQLite sees `base`; the
// wrapped VFS's own file lives right after the wrapper (szOsFile covers both).
struct WrappedFile {
    sqlite3_file base;
    sqlite3_file* real;
};

inline sqlite3_file* real(sqlite3_file* f) {
    return reinterpret_cast<WrappedFile*>(f)->real;
}

// The io methods that only hand the call to the wrapped file.
inline int passLock(sqlite3_file* f, int level) {
    return real(f)->pMethods->xLock(real(f), level);
}
inline int passCheckReservedLock(sqlite3_file* f, int* out) {
    return real(f)->pMethods->xCheckReservedLock(real(f), out);
}
inline int passSectorSize(sqlite3_file* f) {
    return real(f)->pMethods->xSectorSize(real(f));
}
inline int passDeviceCharacteristics(sqlite3_file* f) {
    return real(f)->pMethods->xDeviceCharacteristics(real(f));
}
inline int passUnfetch(sqlite3_file* f, sqlite3_int64 offset, void* page) {
    return real(f)->pMethods->xUnfetch(real(f), offset, page);
}

// Opens `name` through the wrapped VFS into the file's second half; on success the
// wrapper's methods take over. A wrapped file without version-3 methods is refused.
inline int openWrapped(sqlite3_vfs* wrapped, sqlite3_filename name, sqlite3_file* f, int flags,
                       int* outFlags, const sqlite3_io_methods* methods) {
    WrappedFile* w = reinterpret_cast<WrappedFile*>(f);
    const int rc = wrapped->xOpen(wrapped, name, w->real, flags, outFlags);
    if (rc != SQLITE_OK || !w->real->pMethods || w->real->pMethods->iVersion < 3) {
        if (rc == SQLITE_OK && w->real->pMethods)
            w->real->pMethods->xClose(w->real);
        f->pMethods = nullptr;
        return rc != SQLITE_OK ? rc : SQLITE_CANTOPEN;
    }
    f->pMethods = methods;
    return SQLITE_OK;
}

// A copy of the default VFS under another name whose xOpen (and what `adjust` sets) are
// the wrapper's; fileSize is the wrapper's file object before the wrapped one.
inline void registerWrapper(sqlite3_vfs& vfs, sqlite3_vfs*& wrapped, const char* name, int fileSize,
                            int (*open)(sqlite3_vfs*, sqlite3_filename, sqlite3_file*, int, int*)) {
    wrapped = sqlite3_vfs_find(nullptr);
    vfs = *wrapped;
    vfs.iVersion = wrapped->iVersion < 3 ? wrapped->iVersion : 3;
    vfs.szOsFile = fileSize + wrapped->szOsFile;
    vfs.pNext = nullptr;
    vfs.zName = name;
    vfs.xOpen = open;
}

} // namespace ctx::vfs
