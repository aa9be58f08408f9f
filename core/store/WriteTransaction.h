#pragma once

#include "core/db/Connection.h"

#include <functional>

namespace ctx::store {

// Runs `body` inside a write transaction (SQLite: BEGIN IMMEDIATE, so that the write
// lock is taken up front and busy_timeout applies; PostgreSQL: BEGIN), commits, and
// retries a bounded number of times when the database reports it is busy or a
// concurrent writer won a race (SQLITE_BUSY, deadlock, unique violation flagged as
// retryable by the body). On any error everything is rolled back: nothing written.
struct WriteAttempt {
    bool retryConflict = false; // the body sets this when a Conflict may be a race
};
Status runWrite(const Connection& conn, const std::function<Status(WriteAttempt&)>& body);

} // namespace ctx::store
