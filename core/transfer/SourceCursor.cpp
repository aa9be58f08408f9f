#include "SourceCursor.h"

#include "SessionKeys.h"
#include "core/db/Dialect.h"

#include <sqlite3.h>

namespace ctx {

namespace {

Error sqliteError(sqlite3* db, const QString& doing) {
    const int code = sqlite3_errcode(db) & 0xff;
    const ErrorCode ec = code == SQLITE_CORRUPT || code == SQLITE_NOTADB ? ErrorCode::Corrupt
                         : code == SQLITE_BUSY || code == SQLITE_LOCKED  ? ErrorCode::Locked
                         : code == SQLITE_IOERR                          ? ErrorCode::Io
                                                                         : ErrorCode::QueryFailed;
    return Error{ec, doing + QStringLiteral(": ") + QString::fromUtf8(sqlite3_errmsg(db)), {}};
}

QString q(const QString& identifier) {
    return Dialect::quoteIdentifier(identifier);
}

} // namespace

bool SourceTableLayout::hasColumn(const QString& name) const {
    for (int i = 0; i < spec.columns.size(); ++i)
        if (spec.columns[i].name == name)
            return present && columnPresent.value(i);
    return false;
}

RawValue SqliteRows::column(sqlite3_stmt* stmt, int i, bool zeroCopy) {
    switch (sqlite3_column_type(stmt, i)) {
    case SQLITE_INTEGER:
        return RawValue::fromInteger(sqlite3_column_int64(stmt, i));
    case SQLITE_FLOAT:
        return RawValue::fromReal(sqlite3_column_double(stmt, i));
    case SQLITE_TEXT: {
        const char* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
        const int n = sqlite3_column_bytes(stmt, i);
        return RawValue::fromText(zeroCopy ? QByteArray::fromRawData(p ? p : "", n)
                                           : QByteArray(p ? p : "", n));
    }
    case SQLITE_BLOB: {
        const char* p = static_cast<const char*>(sqlite3_column_blob(stmt, i));
        const int n = sqlite3_column_bytes(stmt, i);
        return RawValue::fromBlob(zeroCopy ? QByteArray::fromRawData(p ? p : "", n)
                                           : QByteArray(p ? p : "", n));
    }
    default:
        return RawValue::null();
    }
}

Status SqliteRows::each(sqlite3* db, const QByteArray& sql, const QList<qint64>& binds,
                        const RowFn& fn) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql.constData(), int(sql.size()), &st, nullptr) != SQLITE_OK) {
        sqlite3_finalize(st);
        return std::unexpected(sqliteError(db, QStringLiteral("cannot read the source")));
    }
    for (int i = 0; i < binds.size(); ++i)
        sqlite3_bind_int64(st, i + 1, binds[i]);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!fn(st)) {
            rc = SQLITE_DONE;
            break;
        }
    }
    Status result;
    if (rc != SQLITE_DONE)
        result = std::unexpected(sqliteError(db, QStringLiteral("reading the source failed")));
    sqlite3_finalize(st);
    return result;
}

Result<std::unique_ptr<SourceCursor>>
SourceCursor::open(sqlite3* db, const SourceTableLayout& layout, qint64 after, qint64 upTo,
                   const QSet<qint64>* duplicates, bool zeroCopy) {
    std::unique_ptr<SourceCursor> c(new SourceCursor);
    c->m_db = db;
    // Only global memory keys have older duplicates to drop.
    c->m_duplicates = layout.spec.name == QLatin1String("agent_memory") ? duplicates : nullptr;
    c->m_zeroCopy = zeroCopy;
    QStringList select{QStringLiteral("t.rowid")};
    for (int i = 0; i < layout.spec.columns.size(); ++i)
        select << (layout.columnPresent.value(i)
                       ? QStringLiteral("t.") + q(layout.spec.columns[i].name)
                       : QStringLiteral("NULL"));
    const bool sessionRef = layout.spec.name != QLatin1String("sessions") &&
                            layout.hasColumn(QStringLiteral("session_id"));
    select << (sessionRef ? QStringLiteral("(t.session_id IS NOT NULL AND NOT EXISTS (SELECT 1 "
                                           "FROM sessions s WHERE s.id = t.session_id))")
                          : QStringLiteral("0"));
    select << (layout.hasColumn(QStringLiteral("parent_message_id"))
                   ? QStringLiteral("(t.parent_message_id IS NOT NULL AND NOT EXISTS (SELECT 1 "
                                    "FROM messages p WHERE p.id = t.parent_message_id))")
                   : QStringLiteral("0"));
    const QString sql = QStringLiteral("SELECT %1 FROM %2 t WHERE t.rowid > ?1 AND t.rowid <= ?2 "
                                       "ORDER BY t.rowid")
                            .arg(select.join(QStringLiteral(", ")), q(layout.spec.name));
    const QByteArray utf8 = sql.toUtf8();
    if (sqlite3_prepare_v2(db, utf8.constData(), int(utf8.size()), &c->m_stmt, nullptr) !=
        SQLITE_OK)
        return std::unexpected(
            sqliteError(db, QStringLiteral("cannot read table %1").arg(layout.spec.name)));
    sqlite3_bind_int64(c->m_stmt, 1, after);
    sqlite3_bind_int64(c->m_stmt, 2, upTo);
    c->m_columns = int(layout.spec.columns.size());
    c->m_sessionsTable = layout.spec.name == QLatin1String("sessions");
    c->m_tokensTable = layout.spec.name == QLatin1String("secure_tokens");
    if (!c->m_sessionsTable && sessionRef)
        c->m_sessionColumn = int(layout.spec.columnNames().indexOf(QStringLiteral("session_id")));
    c->m_values.resize(c->m_columns);
    return c;
}

void SourceCursor::setSessionKeys(const SessionKeys* keys) {
    m_keys = keys && !keys->isEmpty() ? keys : nullptr;
}

SourceCursor::~SourceCursor() {
    sqlite3_finalize(m_stmt);
}

Result<bool> SourceCursor::next() {
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_DONE)
        return false;
    if (rc != SQLITE_ROW)
        return std::unexpected(sqliteError(m_db, QStringLiteral("reading the source failed")));
    m_rowid = sqlite3_column_int64(m_stmt, 0);
    m_rowBytes = 0;
    for (int i = 0; i < m_columns; ++i) {
        m_values[i] = SqliteRows::column(m_stmt, i + 1, m_zeroCopy);
        m_rowBytes += m_values[i].bytes.size() + 8;
    }
    m_context.sessionMissing = sqlite3_column_int(m_stmt, m_columns + 1) != 0;
    m_context.parentMissing = sqlite3_column_int(m_stmt, m_columns + 2) != 0;
    m_context.duplicate = m_duplicates && m_duplicates->contains(m_rowid);
    m_context.sessionKey = nullptr;
    m_context.tokenId = m_keys && m_tokensTable ? m_keys->renamedToken(m_rowid) : nullptr;
    if (m_keys && m_sessionsTable)
        m_context.sessionKey = m_keys->renamedRow(m_rowid);
    else if (m_keys && m_sessionColumn >= 0)
        m_context.sessionKey = m_keys->renamedReference(m_values[m_sessionColumn]);
    return true;
}

} // namespace ctx
