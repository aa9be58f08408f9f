#pragma once

#include <QHash>
#include <QList>
#include <algorithm>

namespace ctx::ui {

// A bounded least-recently-used cache of pages: never more than capacity() pages,
// the page used longest ago evicted first. A lazy model's memory stays flat however
// far a user scrolls.
template <class Page> class PageCache {
public:
    explicit PageCache(int capacity = 50)
        : m_capacity(std::max(1, capacity)) {}

    int capacity() const { return m_capacity; }
    void setCapacity(int capacity) {
        m_capacity = std::max(1, capacity);
        evict();
    }
    int size() const { return int(m_pages.size()); }
    int highWater() const { return m_highWater; }
    bool contains(int page) const { return m_pages.contains(page); }

    // The page, marked as used most recently; nullptr when absent.
    const Page* get(int page) {
        auto it = m_pages.find(page);
        if (it == m_pages.end())
            return nullptr;
        touch(page);
        return &it.value();
    }
    // Without touching the recency order.
    const Page* peek(int page) const {
        auto it = m_pages.constFind(page);
        return it == m_pages.cend() ? nullptr : &it.value();
    }
    // Inserts or replaces; returns the pages evicted to stay within the bound.
    QList<int> insert(int page, Page value) {
        m_pages.insert(page, std::move(value));
        touch(page);
        QList<int> evicted = evict();
        m_highWater = std::max(m_highWater, size());
        return evicted;
    }
    void clear() {
        m_pages.clear();
        m_order.clear();
    }

private:
    void touch(int page) {
        if (!m_order.isEmpty() && m_order.constLast() == page)
            return;
        m_order.removeOne(page);
        m_order.append(page);
    }
    QList<int> evict() {
        QList<int> evicted;
        while (m_pages.size() > m_capacity && !m_order.isEmpty()) {
            const int oldest = m_order.takeFirst();
            m_pages.remove(oldest);
            evicted << oldest;
        }
        return evicted;
    }

    int m_capacity;
    int m_highWater = 0;
    QHash<int, Page> m_pages;
    QList<int> m_order; // least recently used first
};

} // namespace ctx::ui
