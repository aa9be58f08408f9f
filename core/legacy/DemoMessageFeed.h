#pragma once

#include "DemoContent.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

namespace ctx {

// Generates the demo's messages on a thread of its own, a few batches ahead of the
// writer, so that making up rows and SQLite's inserts run on separate cores
// (generation alone is about a sixth of the load). One generator in one order:
// the rows are the same for a seed as when written from a single thread.
class DemoMessageFeed {
public:
    using Batch = std::vector<DemoContent::Message>;

    // content is used by the feed's thread until the last batch is taken or the
    // feed is destroyed; do not touch it meanwhile.
    DemoMessageFeed(DemoContent& content, qint64 messages);
    ~DemoMessageFeed(); // stops the generator and waits for it
    DemoMessageFeed(const DemoMessageFeed&) = delete;
    DemoMessageFeed& operator=(const DemoMessageFeed&) = delete;

    // The next batch, in id order starting at 1; nullptr after the last. Valid until
    // the next call.
    const Batch* next();

private:
    void produce();

    static constexpr size_t kBatchSize = 256;
    static constexpr size_t kBatchesAhead = 8;

    DemoContent& m_content;
    const qint64 m_messages;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<Batch> m_ready;
    std::vector<Batch> m_spare; // handed back, reused with their strings' capacity
    Batch m_current;
    bool m_finished = false;
    bool m_stop = false;
    std::thread m_thread; // last: starts once everything above exists
};

} // namespace ctx
