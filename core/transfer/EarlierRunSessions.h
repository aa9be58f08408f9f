#pragma once

#include "PgLink.h"

#include <functional>

namespace ctx {

// Server sessions left by a `ctxdb migrate` that was killed. PostgreSQL runs a statement
// to its end after its client is gone (an index build, ANALYZE, a schema script), so a
// run started right after a crash could meet the old run's migration lock or build the
// same index beside it. Our connections ask the server to check for a lost client every
// second (Connection::configurePostgres), so such sessions end soon: this waits for them.
class EarlierRunSessions {
public:
    using Notify = std::function<void(const QString&)>;

    // Takes the session migration lock on `link`, waiting up to `waitMs` for a holder
    // to go away (0: refuse at once). The refusal names the holder's server process.
    static Status lock(PgLink& link, qint64 key, int waitMs, const Notify& notify);

    // Called with the migration lock held: no live migrator has sessions on this
    // database, so any other session named "ctxdb migrate…" that is not idle belongs to
    // a killed run. Waits for them to end (ending them after a while when `terminate`),
    // and refuses in one line naming them when they outlive `waitMs`.
    static Status awaitEnd(PgLink& link, bool terminate, int waitMs, const Notify& notify);
};

} // namespace ctx
