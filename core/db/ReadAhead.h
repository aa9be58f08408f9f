#pragma once

#include <QtGlobal>
#include <functional>
#include <memory>

namespace ctx {

// A read-ahead buffer for one file whose reads run forward through it (SQLite's table
// scans while ctxdb demo builds its indexes): one large read serves the next few
// thousand pages, where SQLite alone makes a system call per page, or through a memory
// map holds every page it touched resident in the process (and stops at 2 GB). The
// buffer is a fixed size whatever the file's; writes through written() keep the bytes
// it holds equal to the file's. One thread at a time.
class ReadAhead {
public:
    // Reads up to `capacity` bytes at `offset` into `into`; answers how many were read
    // (fewer at the end of the file), or -1 on an error.
    using Fill = std::function<qint64(char* into, qint64 capacity, qint64 offset)>;

    explicit ReadAhead(qint64 capacity);

    // Copies [offset, offset + amount) into out from the buffer, refilled from `fill`
    // when the reads run forward past it; false: not held, the caller reads it.
    bool read(void* out, int amount, qint64 offset, const Fill& fill);
    void written(const void* data, int amount, qint64 offset);
    void truncated(qint64 size);

    qint64 capacity() const { return m_capacity; }
    qint64 fills() const { return m_fills; }

private:
    bool holds(qint64 offset, qint64 amount) const {
        return offset >= m_start && offset + amount <= m_start + m_length;
    }

    const qint64 m_capacity;
    std::unique_ptr<char[]> m_buffer; // allocated on the first forward read
    qint64 m_start = 0;
    qint64 m_length = 0; // bytes of the file held from m_start
    qint64 m_next = -1;  // where the last read ended
    qint64 m_fills = 0;
};

} // namespace ctx
