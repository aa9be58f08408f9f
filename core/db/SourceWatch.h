#pragma once

#include "core/Error.h"

#include <QString>
#include <memory>

namespace ctx {

// Guards a read-only SQLite open that goes without a -shm beside the file: immutable
// (neither -wal nor -shm) or ReadWithoutShmVfs (a -wal alone). Such a read registers
// with no lock SQLite's writers respect, so a server that starts writing the file
// later can checkpoint pages into it while they are read (torn reads, "malformed",
// a migration made of two states of the file). SQLite offers no lock that stops a
// WAL checkpoint other than the -shm's own (its checkpoint and read-mark bytes), and
// the -shm is not there to lock: creating it would change the user's directory. So
// the watch makes a change visible instead, and every result read through such an
// open is checked with unchanged() before it counts:
//  - WAL-mode file (header byte 19 == 2): before looking for -wal and -shm, the watch
//    takes a read lock on SQLite's SHARED byte range of the database file, as every
//    WAL reader holds one while it has the file open. A writer that starts later can
//    write and checkpoint (it needs SHARED only, which does not conflict), but it
//    must create the -shm first, and it cannot remove the -shm again while the lock
//    is held: the last connection deletes -wal/-shm only under an EXCLUSIVE lock,
//    switching the file out of WAL mode needs EXCLUSIVE, and exclusive locking mode
//    (a WAL without -shm) needs EXCLUSIVE. So "-shm still absent" proves no writer
//    touched the file. The lock is an open-file-description lock (Linux): unlike a
//    POSIX lock, no close() of the same file elsewhere in the process drops it.
//  - rollback-journal file (byte 19 == 1): every commit rewrites page 1 first
//    (pages are written in page order) with a new file change counter (offset 24),
//    so the counter read after the work names every commit that touched a page it
//    read. No lock: a writer is never blocked by a reader that only looks.
// Either way size, inode and modification time are compared too (a file replaced or
// rewritten by something that is not SQLite). With a -shm at open (a server runs),
// SQLite's own read marks keep each read transaction consistent: nothing to watch.
class SourceWatch {
public:
    // Looks at the file now. waitMs: how long to wait for a writer's EXCLUSIVE lock
    // (a server closing) to end before the file counts as locked.
    static Result<std::unique_ptr<SourceWatch>> start(const QString& path, int waitMs);
    ~SourceWatch();
    SourceWatch(const SourceWatch&) = delete;
    SourceWatch& operator=(const SourceWatch&) = delete;

    // The URI query that reads the file as found: mode=ro through a server's -shm,
    // ReadWithoutShmVfs for a -wal alone, immutable for neither.
    QString uriQuery() const;
    // Whether reads need unchanged() (no -shm at open).
    bool needed() const { return !m_start.shm; }
    // Fine while the file is as start() found it; otherwise one line: "the source
    // changed while it was read (a server started writing it)".
    Status unchanged() const;

    struct State {
        bool exists = false, wal = false, shm = false;
        quint64 dev = 0, ino = 0, walIno = 0;
        qint64 size = -1, walSize = -1;
        qint64 mtimeNs = 0, walMtimeNs = 0;
        QByteArray header; // bytes 0..99 of the database file
    };

private:
    SourceWatch() = default;
    State look() const;

    QString m_path;
    int m_fd = -1;
    bool m_walMode = false;
    State m_start;
};

} // namespace ctx
