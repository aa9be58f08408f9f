#include "SqliteChunkReader.h"

#include <sqlite3.h>

#include <cstring>

namespace ctx {

SqliteChunkReader::SqliteChunkReader(const Connection& conn)
    : m_conn(conn)
    , m_db(conn.sqliteHandle()) {}

SqliteChunkReader::~SqliteChunkReader() {
    sqlite3_finalize(m_stmt);
}

Error SqliteChunkReader::error(const QString& doing) const {
    return Error{ErrorCode::QueryFailed,
                 QStringLiteral("%1: %2").arg(doing, QString::fromUtf8(sqlite3_errmsg(m_db))),
                 m_conn.subject()};
}

Result<sqlite3_stmt*> SqliteChunkReader::prepare(const QString& sql) {
    sqlite3_finalize(m_stmt);
    m_stmt = nullptr;
    const QByteArray text = sql.toUtf8();
    if (sqlite3_prepare_v2(m_db, text.constData(), int(text.size()), &m_stmt, nullptr) != SQLITE_OK)
        return std::unexpected(error(QStringLiteral("cannot read")));
    return m_stmt;
}

void SqliteChunkReader::bind(int index, const CompareKey& key, bool asBytes) {
    if (key.text && asBytes)
        sqlite3_bind_blob(m_stmt, index, key.bytes.constData(), int(key.bytes.size()),
                          SQLITE_TRANSIENT);
    else if (key.text)
        sqlite3_bind_text(m_stmt, index, key.bytes.constData(), int(key.bytes.size()),
                          SQLITE_TRANSIENT);
    else
        sqlite3_bind_int64(m_stmt, index, key.integer);
}

Status SqliteChunkReader::start(const TablePlan& plan, const ChunkRange& range) {
    if (!m_db)
        return fail(ErrorCode::QueryFailed, QStringLiteral("no SQLite handle"), m_conn.subject());
    if (auto s = prepare(ChunkQuery::build(plan, range, Engine::Sqlite)); !s)
        return std::unexpected(s.error());
    int n = 0;
    if (range.from)
        bind(++n, *range.from, plan.keyAsBytes);
    if (range.to)
        bind(++n, *range.to, plan.keyAsBytes);
    m_plan = &plan;
    return {};
}

Status SqliteChunkReader::fetch(std::vector<RawRow>& rows) {
    // Rows and their byte buffers are reused from the previous chunk (no allocation
    // per value once warmed up); a buffer a caller still shares is detached, not changed.
    const size_t columns = size_t(m_plan->columns.size());
    size_t n = 0;
    auto setBytes = [](RawValue& v, const void* p, int size) {
        v.bytes.resize(size);
        if (size > 0)
            std::memcpy(v.bytes.data(), p, size_t(size));
    };
    int rc;
    while ((rc = sqlite3_step(m_stmt)) == SQLITE_ROW) {
        if (n == rows.size())
            rows.emplace_back();
        RawRow& row = rows[n++];
        row.resize(columns);
        for (int i = 0; i < int(columns); ++i) {
            RawValue& v = row[size_t(i)];
            v.type = StorageType::Null;
            switch (sqlite3_column_type(m_stmt, i)) {
            case SQLITE_INTEGER:
                v.type = StorageType::Integer;
                v.integer = sqlite3_column_int64(m_stmt, i);
                break;
            case SQLITE_FLOAT:
                v.type = StorageType::Real;
                v.real = sqlite3_column_double(m_stmt, i);
                break;
            case SQLITE_TEXT: {
                const unsigned char* p = sqlite3_column_text(m_stmt, i);
                v.type = StorageType::Text;
                setBytes(v, p, sqlite3_column_bytes(m_stmt, i));
                break;
            }
            case SQLITE_BLOB: {
                const void* p = sqlite3_column_blob(m_stmt, i);
                v.type = StorageType::Blob;
                setBytes(v, p, sqlite3_column_bytes(m_stmt, i));
                break;
            }
            default:
                break;
            }
        }
    }
    rows.resize(n);
    if (rc != SQLITE_DONE)
        return std::unexpected(error(QStringLiteral("reading %1").arg(m_plan->name)));
    return {};
}

Result<std::vector<CompareKey>> SqliteChunkReader::boundaries(const TablePlan& plan, int every) {
    const QString sql =
        QStringLiteral("SELECT %1 FROM %2 ORDER BY %3")
            .arg(plan.keyAsBytes ? ChunkQuery::orderedKey(plan, Engine::Sqlite)
                                 : Dialect::quoteIdentifier(plan.key),
                 Dialect::quoteIdentifier(plan.name), ChunkQuery::orderedKey(plan, Engine::Sqlite));
    if (auto s = prepare(sql); !s)
        return std::unexpected(s.error());
    std::vector<CompareKey> keys;
    qint64 n = 0;
    int rc;
    while ((rc = sqlite3_step(m_stmt)) == SQLITE_ROW) {
        if (++n % every != 0)
            continue;
        RawValue v;
        if (sqlite3_column_type(m_stmt, 0) == SQLITE_INTEGER)
            v = RawValue::fromInteger(sqlite3_column_int64(m_stmt, 0));
        else
            v = RawValue::fromText(
                QByteArray(static_cast<const char*>(sqlite3_column_blob(m_stmt, 0)),
                           sqlite3_column_bytes(m_stmt, 0)));
        keys.push_back(CompareKey::from(v, plan.textKey));
    }
    if (rc != SQLITE_DONE)
        return std::unexpected(error(QStringLiteral("reading keys of %1").arg(plan.name)));
    return keys;
}

} // namespace ctx
