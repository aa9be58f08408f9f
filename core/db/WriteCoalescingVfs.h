#pragma once

namespace ctx {

// A SQLite VFS for bulk writers of a new file (ctxdb demo): the main database
// file's consecutive page writes are gathered into 64 kB writes. The kernel's cost
// of a buffered write is mostly per call and per 4 kB folio; written a page at a
// time, 2 GB took 2-6 s of system time here, in 64 kB writes 0.5-1.9 s. Any read,
// fetch (mmap), size query, truncate, sync, unlock, file control or close first
// writes out what is gathered, so SQLite always sees the file it wrote. Reads of the
// main file that run forward (the table scans of index builds) are served from a 4 MB
// read-ahead (ReadAhead): a system call per 4 MB, not per page, and no memory map
// whose pages stay resident; written pages are copied into it too. Journals, WAL
// and shared memory go straight through. Open with the URI parameter vfs=<name()>
// (ConnectionOptions::sqliteVfs).
class WriteCoalescingVfs {
public:
    static const char* name(); // registers the VFS on first use
};

} // namespace ctx
