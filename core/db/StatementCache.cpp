#include "StatementCache.h"

#include "Connection.h"
#include "InlineBinds.h"

#include <QDateTime>
#include <QSqlError>
#include <QTime>
#include <QUuid>
#include <optional>
#include <sqlite3.h>

namespace ctx {

namespace {

constexpr qsizetype kKept = 64;

// SQL NULL as Qt's drivers bind it: besides an empty QVariant, a null string, byte
// array or uuid and an invalid date or time (QString() binds NULL, QString("") an
// empty text).
bool bindsNull(const QVariant& v) {
    if (v.isNull())
        return true;
    switch (v.typeId()) {
    case QMetaType::QString:
        return v.toString().isNull();
    case QMetaType::QByteArray:
        return v.toByteArray().isNull();
    case QMetaType::QDateTime:
        return !v.toDateTime().isValid();
    case QMetaType::QDate:
        return !v.toDate().isValid();
    case QMetaType::QTime:
        return !v.toTime().isValid();
    case QMetaType::QUuid:
        return v.toUuid().isNull();
    default:
        return false;
    }
}

int bindText(sqlite3_stmt* stmt, int index, const QString& text) {
    const QByteArray utf8 = text.toUtf8();
    return sqlite3_bind_text64(stmt, index, utf8.constData(), sqlite3_uint64(utf8.size()),
                               SQLITE_TRANSIENT, SQLITE_UTF8);
}

// The same storage classes as Qt's QSQLITE driver binds, so that a statement compares
// and stores alike whichever way it runs.
int bindValue(sqlite3_stmt* stmt, int index, const QVariant& v) {
    if (bindsNull(v))
        return sqlite3_bind_null(stmt, index);
    switch (v.typeId()) {
    case QMetaType::QByteArray: {
        const QByteArray bytes = v.toByteArray();
        return sqlite3_bind_blob64(stmt, index, bytes.constData(), sqlite3_uint64(bytes.size()),
                                   SQLITE_TRANSIENT);
    }
    case QMetaType::Int:
    case QMetaType::Bool:
        return sqlite3_bind_int(stmt, index, v.toInt());
    case QMetaType::Double:
        return sqlite3_bind_double(stmt, index, v.toDouble());
    case QMetaType::UInt:
    case QMetaType::LongLong:
        return sqlite3_bind_int64(stmt, index, v.toLongLong());
    case QMetaType::QDateTime:
        return bindText(stmt, index, v.toDateTime().toString(Qt::ISODateWithMs));
    case QMetaType::QTime:
        return bindText(stmt, index, v.toTime().toString(QStringLiteral("hh:mm:ss.zzz")));
    default:
        return bindText(stmt, index, v.toString());
    }
}

class SqliteRow final : public Row {
public:
    explicit SqliteRow(sqlite3_stmt* stmt)
        : m_stmt(stmt) {}
    QVariant value(int column) const override {
        switch (sqlite3_column_type(m_stmt, column)) {
        case SQLITE_INTEGER:
            return QVariant(qint64(sqlite3_column_int64(m_stmt, column)));
        case SQLITE_FLOAT:
            return QVariant(sqlite3_column_double(m_stmt, column));
        case SQLITE_NULL:
            return QVariant(QMetaType::fromType<QString>());
        case SQLITE_BLOB: {
            const auto* data = static_cast<const char*>(sqlite3_column_blob(m_stmt, column));
            return QVariant(QByteArray(data, sqlite3_column_bytes(m_stmt, column)));
        }
        default: {
            const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, column));
            return QVariant(QString::fromUtf8(text, sqlite3_column_bytes(m_stmt, column)));
        }
        }
    }

private:
    sqlite3_stmt* m_stmt;
};

// Resets a statement when the reading ends, however it ends; a statement prepared for
// one nested call only is finalized instead.
class StatementUse {
public:
    StatementUse(sqlite3_stmt* stmt, bool kept)
        : m_stmt(stmt)
        , m_kept(kept) {}
    ~StatementUse() {
        if (m_kept) {
            sqlite3_reset(m_stmt);
            sqlite3_clear_bindings(m_stmt);
        } else {
            sqlite3_finalize(m_stmt);
        }
    }
    StatementUse(const StatementUse&) = delete;
    StatementUse& operator=(const StatementUse&) = delete;

private:
    sqlite3_stmt* m_stmt;
    bool m_kept;
};

} // namespace

StatementCache::StatementCache(const Connection& connection)
    : m_connection(connection) {}

StatementCache::~StatementCache() {
    // The connection closes next: every statement goes, none can be running now.
    for (sqlite3_stmt* stmt : std::as_const(m_sqlite))
        sqlite3_finalize(stmt);
    for (sqlite3_stmt* stmt : std::as_const(m_retired))
        sqlite3_finalize(stmt);
}

void StatementCache::release(sqlite3_stmt* stmt) {
    if (sqlite3_stmt_busy(stmt))
        m_retired << stmt; // its reading resets it; finalized once it has ended
    else
        sqlite3_finalize(stmt);
}

void StatementCache::finalizeRetired() {
    m_retired.removeIf([](sqlite3_stmt* stmt) {
        if (sqlite3_stmt_busy(stmt))
            return false;
        sqlite3_finalize(stmt);
        return true;
    });
}

void StatementCache::dropIdle() {
    finalizeRetired();
    m_sqlite.removeIf([](const auto& kept) {
        if (sqlite3_stmt_busy(kept.value()))
            return false;
        sqlite3_finalize(kept.value());
        return true;
    });
    m_queries.removeIf([](const auto& kept) { return !kept.value().isActive(); });
}

void StatementCache::clear() {
    finalizeRetired();
    for (sqlite3_stmt* stmt : std::as_const(m_sqlite))
        release(stmt);
    m_sqlite.clear();
    m_queries.clear(); // a PostgreSQL query being read lives on in its reader's copy
}

Status StatementCache::forEachRow(const QString& sql, const QVariantList& binds,
                                  const RowHandler& onRow) {
    if (m_connection.engine() == Engine::Sqlite) {
        if (!m_db)
            m_db = m_connection.sqliteHandle();
        if (m_db)
            return sqliteRows(sql, binds, onRow);
    }
    return queryRows(sql, binds, onRow);
}

Error StatementCache::sqliteError(int code) const {
    const QString text = QString::fromUtf8(sqlite3_errmsg(m_db));
    return m_connection.errorFrom(
        QSqlError(QString(), text, QSqlError::StatementError, QString::number(code)));
}

Result<sqlite3_stmt*> StatementCache::prepareSqlite(const QString& sql) {
    const QByteArray utf8 = sql.toUtf8();
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    const int rc = sqlite3_prepare_v3(m_db, utf8.constData(), int(utf8.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(stmt);
        return std::unexpected(sqliteError(rc));
    }
    if (!stmt) // only whitespace or comments
        return fail(ErrorCode::QueryFailed,
                    QStringLiteral("no statement in '%1'").arg(sql.left(80)),
                    m_connection.subject());
    if (tail && !QByteArray(tail).trimmed().isEmpty()) {
        sqlite3_finalize(stmt);
        return fail(ErrorCode::QueryFailed,
                    QStringLiteral("one statement at a time: '%1'").arg(sql.left(80)),
                    m_connection.subject());
    }
    return stmt;
}

Status StatementCache::sqliteRows(const QString& sql, const QVariantList& binds,
                                  const RowHandler& onRow) {
    sqlite3_stmt* stmt = m_sqlite.value(sql);
    const bool nested = stmt && sqlite3_stmt_busy(stmt);
    if (!stmt || nested) {
        auto fresh = prepareSqlite(sql);
        if (!fresh)
            return std::unexpected(fresh.error());
        stmt = *fresh;
        if (!nested) {
            if (m_sqlite.size() >= kKept)
                dropIdle();
            m_sqlite.insert(sql, stmt);
        }
    }
    const bool kept = !nested;
    StatementUse use(stmt, kept);
    if (sqlite3_bind_parameter_count(stmt) != binds.size())
        return fail(ErrorCode::QueryFailed,
                    QStringLiteral("parameter count mismatch: %1 given, the statement has %2")
                        .arg(binds.size())
                        .arg(sqlite3_bind_parameter_count(stmt)),
                    m_connection.subject());
    for (qsizetype i = 0; i < binds.size(); ++i)
        if (const int rc = bindValue(stmt, int(i + 1), binds[i]); rc != SQLITE_OK)
            return std::unexpected(sqliteError(rc));
    const SqliteRow row(stmt);
    for (;;) {
        const int rc = sqlite3_step(stmt);
        if (rc == SQLITE_DONE)
            return {};
        if (rc != SQLITE_ROW)
            return std::unexpected(sqliteError(sqlite3_extended_errcode(m_db)));
        if (onRow && !onRow(row))
            return {};
    }
}

Status StatementCache::queryRows(const QString& sql, const QVariantList& binds,
                                 const RowHandler& onRow) {
    // Not forward-only: Qt's PostgreSQL driver then receives the whole result before
    // the first row, and a statement run from inside onRow cannot discard the rest of it
    // (in forward-only mode it streams rows). The store's statements return small
    // results (a page holds at most 1001 rows).
    //
    // PostgreSQL cannot PREPARE every statement (SHOW, SET): without values a statement
    // runs as a simple query, as Connection::exec runs it.
    //
    // Through a transaction pooler nothing is kept: the values go inline (InlineBinds).
    if (binds.isEmpty() || m_connection.throughPooler()) {
        QString text = sql;
        if (!binds.isEmpty()) {
            auto inlined = inlineBinds(sql, binds, m_connection.database().driver());
            if (!inlined)
                return std::unexpected(inlined.error().withSubject(m_connection.subject()));
            text = *inlined;
        }
        QSqlQuery q(m_connection.database());
        if (!q.exec(text))
            return std::unexpected(m_connection.errorFrom(q.lastError()));
        while (q.next())
            if (onRow && !onRow(QueryRow(q)))
                break;
        return {};
    }
    // A copy shares the prepared statement: dropping kept ones cannot pull it away.
    std::optional<QSqlQuery> use;
    const auto kept = m_queries.constFind(sql);
    if (kept != m_queries.cend() && !kept->isActive()) {
        use = *kept;
    } else {
        QSqlQuery fresh(m_connection.database());
        if (!fresh.prepare(sql))
            return std::unexpected(m_connection.errorFrom(fresh.lastError()));
        if (kept == m_queries.cend()) { // else nested in a reading of the same text
            if (m_queries.size() >= kKept)
                dropIdle();
            m_queries.insert(sql, fresh);
        }
        use = fresh;
    }
    QSqlQuery& q = *use;
    for (qsizetype i = 0; i < binds.size(); ++i)
        q.bindValue(int(i), binds[i]);
    if (!q.exec()) {
        const Error e = m_connection.errorFrom(q.lastError());
        q.finish();
        // A kept statement that failed is prepared anew next time: a plan whose result
        // changed under it ("cached plan must not change result type", after another
        // connection's upgrade) or a statement the server lost fails only once.
        if (auto it = m_queries.find(sql); it != m_queries.end() && !it->isActive())
            m_queries.erase(it);
        return std::unexpected(e);
    }
    while (q.next())
        if (onRow && !onRow(QueryRow(q)))
            break;
    // Ends the reading (the statement stays prepared on the server). Qt keeps the last
    // result until the next run: at most a page of rows per kept statement.
    q.finish();
    return {};
}

} // namespace ctx
