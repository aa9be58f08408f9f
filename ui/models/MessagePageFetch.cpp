#include "MessagePageFetch.h"

#include "core/store/Store.h"

#include <algorithm>

namespace ctx::ui {

Message listRowOf(Message message) {
    if (message.content.size() > kPreviewChars)
        message.content = message.content.left(kPreviewChars);
    message.content.squeeze();
    message.metadataJson.clear();
    message.rawTimestamp.bytes.squeeze();
    return message;
}

PageReply fetchMessagePage(const Connection& conn, const PageRequest& request) {
    PageReply reply;
    reply.page = request.page;
    MessageQuery q = request.base;
    q.withTotal = request.withTotal;
    q.limit = std::clamp(request.limit, 1, 1000);
    q.after = request.from == PageRequest::From::Anchor ? request.anchor : QString();
    q.fromEnd = request.from == PageRequest::From::End;
    auto page = MessageStore(conn).page(q);
    if (!page) {
        reply.error = page.error();
        return reply;
    }
    reply.total = page->total;
    reply.hasMore = page->hasMore;
    QList<Message>& all = page->messages;
    if (q.fromEnd)
        std::reverse(all.begin(), all.end());
    const int first = std::min<int>(request.skip, int(all.size()));
    const int count = std::min<int>(request.pageSize, int(all.size()) - first);
    reply.rows.reserve(count);
    for (int i = first; i < first + count; ++i)
        reply.rows << listRowOf(std::move(all[i]));
    return reply;
}

Result<qint64> countMessages(const Connection& conn, const MessageQuery& base) {
    return MessageStore(conn).count(base);
}

Result<QStringList> fetchAnchors(const Connection& conn, const MessageQuery& base, int every) {
    MessageQuery q = base;
    q.after.clear();
    q.fromEnd = false;
    q.withTotal = false;
    return MessageStore(conn).anchors(q, every);
}

} // namespace ctx::ui
