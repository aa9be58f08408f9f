#pragma once

#include "core/db/Dialect.h"
#include "core/db/SqlLexer.h"

#include <QString>

struct sqlite3;

namespace ctx {

// What the SQL console may send on a read-only connection. The engines do most of the
// guarding (SQLite: a read-only open, query_only and an authorizer; PostgreSQL: each
// statement alone in its own protocol message, inside a READ ONLY transaction that is
// rolled back); this class refuses, on the statement's tokens, what those would let
// through: transaction and session control, file access, and the built-in functions
// that act outside the transaction (signals to other backends, advisory locks, large
// objects, connections elsewhere, configuration).
//
// Not seen: a function defined in the database that calls one of those itself runs
// with the database's own rights; the READ ONLY transaction still refuses its writes.
class ReadOnlyGuard {
public:
    // Why the statement may not run in read-only mode (empty: it may). The text must be
    // one statement; several are refused.
    static QString refusal(const QString& statement, Engine engine, const SqlLexRules& rules);
    // The first keyword of a statement, upper-case (comments and spaces skipped).
    static QString firstKeyword(const QString& statement, const SqlLexRules& rules);
    // SQLite: whether PRAGMA name, with or without an argument, only reads.
    static bool pragmaOnlyReads(const QString& name, bool hasArgument);

    // SQLite: refuses, while installed, every action a read-only console must not
    // take (writes, ATTACH, DETACH, transactions, savepoints, pragmas that set, the
    // functions that load code or write files). Removed by the destructor.
    class SqliteAuthorizer {
    public:
        explicit SqliteAuthorizer(sqlite3* db);
        ~SqliteAuthorizer();
        SqliteAuthorizer(const SqliteAuthorizer&) = delete;
        SqliteAuthorizer& operator=(const SqliteAuthorizer&) = delete;
        // The last refused action, for the error message.
        const QString& refused() const { return m_refused; }

    private:
        static int check(void* self, int action, const char* a, const char* b, const char* c,
                         const char* d);
        sqlite3* m_db;
        QString m_refused;
    };
};

} // namespace ctx
