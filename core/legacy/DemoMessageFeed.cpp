#include "DemoMessageFeed.h"

#include <algorithm>

namespace ctx {

DemoMessageFeed::DemoMessageFeed(DemoContent& content, qint64 messages)
    : m_content(content)
    , m_messages(messages)
    , m_thread([this] { produce(); }) {}

DemoMessageFeed::~DemoMessageFeed() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_changed.notify_all();
    m_thread.join();
}

void DemoMessageFeed::produce() {
    qint64 id = 1;
    while (id <= m_messages) {
        Batch batch;
        {
            std::unique_lock lock(m_mutex);
            m_changed.wait(lock, [this] { return m_stop || m_ready.size() < kBatchesAhead; });
            if (m_stop)
                return;
            if (!m_spare.empty()) {
                batch = std::move(m_spare.back());
                m_spare.pop_back();
            }
        }
        batch.resize(size_t(std::min<qint64>(qint64(kBatchSize), m_messages - id + 1)));
        for (DemoContent::Message& m : batch)
            m_content.nextMessage(id++, m);
        {
            std::lock_guard lock(m_mutex);
            m_ready.push_back(std::move(batch));
        }
        m_changed.notify_all();
    }
    {
        std::lock_guard lock(m_mutex);
        m_finished = true;
    }
    m_changed.notify_all();
}

const DemoMessageFeed::Batch* DemoMessageFeed::next() {
    std::unique_lock lock(m_mutex);
    if (!m_current.empty()) {
        m_spare.push_back(std::move(m_current));
        m_current = Batch();
    }
    m_changed.wait(lock, [this] { return !m_ready.empty() || m_finished; });
    if (m_ready.empty())
        return nullptr;
    m_current = std::move(m_ready.front());
    m_ready.pop_front();
    lock.unlock();
    m_changed.notify_all();
    return &m_current;
}

} // namespace ctx
