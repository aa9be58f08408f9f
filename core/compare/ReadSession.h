#pragma once

#include "core/db/Connection.h"

#include <memory>

namespace ctx {

// A read-only connection inside one consistent read transaction. PostgreSQL: the
// first session exports its snapshot (REPEATABLE READ), the others import it, so that
// every worker sees the same data. SQLite: a read transaction that includes rows
// living only in the -wal file.
class ReadSession {
public:
    // Opens a session; `snapshot` empty on PostgreSQL exports a new one into *exported.
    static Result<std::unique_ptr<ReadSession>> open(const DatabaseUrl& url,
                                                     const QString& snapshot = {});
    ~ReadSession();

    const Connection& connection() const { return *m_conn; }
    QString snapshot() const { return m_snapshot; }

private:
    ReadSession() = default;
    std::unique_ptr<Connection> m_conn;
    QString m_snapshot;
};

} // namespace ctx
