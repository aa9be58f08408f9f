#pragma once

#include "core/Error.h"
#include "core/values/RawValue.h"

#include <QHash>
#include <QList>
#include <optional>

struct sqlite3;

namespace ctx {

// A session id that messages, memory or audit rows use but sessions lacks.
struct MissingSession {
    QByteArray id;     // as stored (the first of those that arrive as the same id)
    QByteArray target; // the id the placeholder session gets (cleaned)
    qint64 rows = 0;   // rows of messages, agent_memory and audit_log that use it
};

// How legacy session ids arrive as PostgreSQL's primary key. A legacy TEXT PRIMARY
// KEY allows NULL (any number of them) and ids that differ as stored but are equal
// once cleaned (NUL bytes removed, invalid UTF-8 repaired, a BLOB read as text).
// Clean text ids always keep themselves; among ids that clean to the same text the
// first by rowid keeps it; the others, and every NULL id, get an id of their own
// (`<cleaned>~<rowid>`, `ctx_null_id_<rowid>`), and the rows that refer to such a
// session by its stored value follow it. Both are recorded as rejects. An id the
// server's schema refuses (blank, longer than VARCHAR(255)) arrives in
// ServerColumnRules::keyForm, and so do the references to it. The other unique text,
// secure_tokens.token_id, gets the same rules (nothing refers to it).
class SessionKeys {
public:
    static Result<SessionKeys> read(sqlite3* db);

    // The text a stored id arrives as by the text and key-form rules; empty for NULL.
    static std::optional<QByteArray> cleaned(const RawValue& id);
    // The text rule alone (NUL removed, UTF-8 repaired, other types as text).
    static std::optional<QByteArray> cleanedText(const RawValue& value);

    bool isEmpty() const { return m_rows.isEmpty() && m_tokens.isEmpty(); }
    qsizetype renamedCount() const { return m_rows.size(); }
    // The id a sessions row (by rowid) gets instead of its own, or null.
    const QByteArray* renamedRow(qint64 rowid) const;
    // The id a reference to a renamed session arrives as, or null.
    const QByteArray* renamedReference(const RawValue& sessionId) const;
    // The token_id a secure_tokens row (by rowid) gets instead of its own, or null.
    const QByteArray* renamedToken(qint64 rowid) const;

    // Whether some session arrives with this (cleaned) id.
    Result<bool> arrives(sqlite3* db, const QByteArray& id) const;

private:
    static QByteArray tag(const RawValue& id);
    static Result<bool> cleanIdExists(sqlite3* db, const QByteArray& id);
    static Result<bool> earlierCleanId(sqlite3* db, const QByteArray& id, qint64 rowid);
    Status readTokens(sqlite3* db);

    QHash<qint64, QByteArray> m_rows;       // sessions rowid -> new id
    QHash<qint64, QByteArray> m_tokens;     // secure_tokens rowid -> new token_id
    QHash<QByteArray, QByteArray> m_refs;   // tag(stored id) -> new id
    QHash<QByteArray, bool> m_dirtyTargets; // ids that sessions with unclean ids arrive as
};

} // namespace ctx
