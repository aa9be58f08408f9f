#include "ReadAhead.h"

#include <algorithm>
#include <cstring>

namespace ctx {

ReadAhead::ReadAhead(qint64 capacity)
    : m_capacity(capacity) {}

bool ReadAhead::read(void* out, int amount, qint64 offset, const Fill& fill) {
    if (amount <= 0 || amount > m_capacity)
        return false;
    const qint64 previous = m_next;
    m_next = offset + amount;
    if (!holds(offset, amount)) {
        // Forward: right after the last read, or not far past what is held (a scan skips
        // the pages it already has in its cache). Anything else is read page by page.
        const qint64 end = m_start + m_length;
        const bool forward =
            offset == previous || (m_length > 0 && offset >= end && offset < end + m_capacity);
        if (!forward)
            return false;
        if (!m_buffer)
            m_buffer = std::make_unique<char[]>(size_t(m_capacity));
        m_start = offset;
        m_length = std::max<qint64>(0, fill(m_buffer.get(), m_capacity, offset));
        ++m_fills;
        if (!holds(offset, amount))
            return false; // the end of the file, or an error: the caller reads it
    }
    std::memcpy(out, m_buffer.get() + (offset - m_start), size_t(amount));
    return true;
}

void ReadAhead::written(const void* data, int amount, qint64 offset) {
    const qint64 from = std::max(offset, m_start);
    const qint64 to = std::min(offset + amount, m_start + m_length);
    if (from < to)
        std::memcpy(m_buffer.get() + (from - m_start),
                    static_cast<const char*>(data) + (from - offset), size_t(to - from));
}

void ReadAhead::truncated(qint64 size) {
    m_length = std::clamp<qint64>(size - m_start, 0, m_length);
}

} // namespace ctx
