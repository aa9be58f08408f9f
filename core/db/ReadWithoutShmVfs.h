#pragma once

namespace ctx {

// A SQLite VFS for reading a WAL-mode file whose -wal is there but whose -shm is not
// (a server that was killed, or files copied without it), without creating anything
// beside it. SQLite's own read-only open would create the -shm; this one never touches
// it and tells SQLite the shared memory is read-only and uninitialised
// (SQLITE_READONLY_CANTINIT), so SQLite reads the -wal's committed frames into private
// memory, as it does on read-only media. The -wal is opened read-only; nothing is
// written. Open with the URI parameters mode=ro&vfs=<name()>.
class ReadWithoutShmVfs {
public:
    static const char* name(); // registers the VFS on first use
};

} // namespace ctx
