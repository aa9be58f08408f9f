#pragma once

#include "core/db/Connection.h"
#include "core/store/StoreTypes.h"

#include <optional>

namespace ctx::ui {

// How a lazy list reaches one page without OFFSET: from the start, from a keyset
// anchor (a cursor every N rows, fetched once per filter), or backwards from the end.
struct PageRequest {
    enum class From { Start, Anchor, End };
    MessageQuery base;
    int page = 0;
    int pageSize = 200;
    From from = From::Start;
    QString anchor; // From::Anchor
    int skip = 0;   // rows between where the query starts and the page
    int limit = 0;  // rows to read (skip + page size, at most 1000)
    bool withTotal = false;
};

struct PageReply {
    int page = -1;
    bool skipped = false; // went stale before it ran
    QList<Message> rows;  // list form: content cut to a preview, metadata dropped
    qint64 total = -1;
    bool hasMore = false; // the query holds rows beyond those read
    std::optional<Error> error;
};

// Runs on the worker thread.
PageReply fetchMessagePage(const Connection& conn, const PageRequest& request);

// The number of rows a query matches (MessageStore::count); runs on the worker.
Result<qint64> countMessages(const Connection& conn, const MessageQuery& base);

// A message as a list row keeps: the first characters of its content, no metadata.
Message listRowOf(Message message);
constexpr int kPreviewChars = 240;

// Every `every`-th keyset cursor of a query's order (anchors[k] starts row k*every).
Result<QStringList> fetchAnchors(const Connection& conn, const MessageQuery& base, int every);

} // namespace ctx::ui
