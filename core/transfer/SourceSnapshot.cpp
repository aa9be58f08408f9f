#include "SourceSnapshot.h"

#include "core/values/ServerColumnRules.h"

#include "core/values/TextBytes.h"
#include "core/values/Timestamp.h"

#include <QCryptographicHash>
#include <cstring>
#include <sqlite3.h>

namespace ctx {

Result<std::unique_ptr<SourceSnapshot>> SourceSnapshot::open(const QString& path,
                                                             const QString& applicationName) {
    std::unique_ptr<SourceSnapshot> s(new SourceSnapshot);
    s->m_path = path;
    ConnectionOptions options;
    options.readOnly = true;
    options.applicationName = applicationName;
    options.sqliteCacheKiB = ConnectionOptions::kScanCacheKiB; // one pass over the file
    auto conn = Connection::open(DatabaseUrl::sqliteFile(path), options);
    if (!conn)
        return std::unexpected(conn.error());
    s->m_conn = std::move(*conn);
    char* err = nullptr;
    // BEGIN plus a first read pins the snapshot (WAL readers see one state until COMMIT).
    if (sqlite3_exec(s->handle(), "BEGIN; SELECT count(*) FROM sqlite_master;", nullptr, nullptr,
                     &err) != SQLITE_OK) {
        const QString msg = QString::fromUtf8(err ? err : "?");
        sqlite3_free(err);
        return fail(ErrorCode::QueryFailed, QStringLiteral("cannot start a read: ") + msg, path);
    }
    if (auto ok = s->readLayouts(); !ok)
        return std::unexpected(ok.error().withSubject(path));
    return s;
}

SourceSnapshot::~SourceSnapshot() {
    if (m_conn)
        sqlite3_exec(handle(), "COMMIT", nullptr, nullptr, nullptr);
}

Status SourceSnapshot::readLayouts() {
    for (const TableSpec& spec : sharedContextTables()) {
        SourceTableLayout l;
        l.spec = spec;
        l.present = m_conn->tableExists(spec.name);
        const QStringList columns = l.present ? m_conn->columnsOf(spec.name) : QStringList();
        for (const ColumnSpec& c : spec.columns)
            l.columnPresent << columns.contains(c.name);
        m_layouts << l;
    }
    return {};
}

Status SourceSnapshot::unchanged() const {
    if (auto ok = m_conn->sourceUnchanged(); !ok)
        return fail(ok.error().code,
                    ok.error().message +
                        QStringLiteral("; the target was not marked complete: stop the server "
                                       "or run the migration again"),
                    m_path);
    return {};
}

const SourceTableLayout* SourceSnapshot::layout(const QString& table) const {
    for (const SourceTableLayout& l : m_layouts)
        if (l.spec.name == table)
            return &l;
    return nullptr;
}

QStringList SourceSnapshot::damage(int limit) const {
    QStringList lines;
    auto ok = SqliteRows::each(handle(), "PRAGMA quick_check(" + QByteArray::number(limit) + ")",
                               {}, [&](sqlite3_stmt* row) {
                                   const QString line = SqliteRows::column(row, 0, true).display();
                                   if (line != QLatin1String("ok"))
                                       lines << line;
                                   return true;
                               });
    if (!ok)
        lines << ok.error().message;
    return lines;
}

Result<TableStats> SourceSnapshot::stats(const QString& table) const {
    TableStats st;
    const SourceTableLayout* l = layout(table);
    if (!l || !l->present)
        return st;
    const QByteArray sql = "SELECT count(*), coalesce(min(rowid), 0), coalesce(max(rowid), 0) "
                           "FROM " +
                           Dialect::quoteIdentifier(table).toUtf8();
    auto ok = SqliteRows::each(handle(), sql, {}, [&](sqlite3_stmt* row) {
        st.rows = sqlite3_column_int64(row, 0);
        st.minRowid = sqlite3_column_int64(row, 1);
        st.maxRowid = sqlite3_column_int64(row, 2);
        return false;
    });
    if (!ok)
        return std::unexpected(ok.error().withSubject(m_path));
    return st;
}

Result<QByteArray> SourceSnapshot::fingerprint() const {
    QCryptographicHash hash(QCryptographicHash::Sha256);
    auto ok = SqliteRows::each(handle(),
                               "SELECT type, name, coalesce(sql, '') FROM sqlite_master "
                               "ORDER BY type, name",
                               {}, [&](sqlite3_stmt* row) {
                                   for (int i = 0; i < 3; ++i) {
                                       hash.addData(SqliteRows::column(row, i, true).bytes);
                                       hash.addData(QByteArrayView("\x1f", 1));
                                   }
                                   return true;
                               });
    if (!ok)
        return std::unexpected(ok.error().withSubject(m_path));
    for (const SourceTableLayout& l : m_layouts) {
        auto st = stats(l.spec.name);
        if (!st)
            return std::unexpected(st.error());
        hash.addData(QStringLiteral("%1:%2:%3:%4;")
                         .arg(l.spec.name)
                         .arg(st->rows)
                         .arg(st->minRowid)
                         .arg(st->maxRowid)
                         .toUtf8());
    }
    return hash.result().toHex();
}

Result<QList<MissingSession>> SourceSnapshot::missingSessions(const SessionKeys& keys) const {
    QStringList parts;
    for (const char* table : {"messages", "agent_memory", "audit_log"}) {
        const SourceTableLayout* l = layout(QLatin1String(table));
        if (l && l->hasColumn(QStringLiteral("session_id")))
            parts << QStringLiteral("SELECT session_id AS sid, rowid AS rid FROM %1 "
                                    "WHERE session_id IS NOT NULL")
                         .arg(QLatin1String(table));
    }
    QList<MissingSession> result;
    if (parts.isEmpty())
        return result;
    QHash<QByteArray, qsizetype> byTarget;
    auto add = [&](const RawValue& stored, qint64 rows) -> Status {
        const QByteArray target = SessionKeys::cleaned(stored).value_or(QByteArray());
        if (auto it = byTarget.constFind(target); it != byTarget.cend()) {
            result[*it].rows += rows;
            return {};
        }
        auto present = keys.arrives(handle(), target);
        if (!present)
            return std::unexpected(present.error());
        if (*present) // e.g. 'x\0' refers to no session as stored, but arrives as 'x'
            return {};
        byTarget.insert(target, result.size());
        result << MissingSession{QByteArray(stored.bytes.constData(), stored.bytes.size()), target,
                                 rows};
        if (stored.type == StorageType::Integer || stored.type == StorageType::Real)
            result.last().id = target;
        return {};
    };
    // Grouped by stored value, in order of first use. NOT EXISTS, not NOT IN: one NULL
    // sessions.id made NOT IN unknown for every row and hid every orphan.
    const QByteArray sql = "SELECT sid, count(*) FROM (" +
                           parts.join(QStringLiteral(" UNION ALL ")).toUtf8() +
                           ") u WHERE NOT EXISTS (SELECT 1 FROM sessions s WHERE s.id = u.sid) "
                           "GROUP BY sid ORDER BY min(rid)";
    Status added;
    auto ok = SqliteRows::each(handle(), sql, {}, [&](sqlite3_stmt* row) {
        added = add(SqliteRows::column(row, 0, true), sqlite3_column_int64(row, 1));
        return bool(added);
    });
    if (ok && added && layout(QStringLiteral("messages"))->hasColumn(QStringLiteral("session_id")))
        ok = SqliteRows::each(handle(), "SELECT count(*) FROM messages WHERE session_id IS NULL",
                              {}, [&](sqlite3_stmt* row) {
                                  if (const qint64 n = sqlite3_column_int64(row, 0); n > 0)
                                      added = add(RawValue::fromText(QByteArray("")), n);
                                  return false;
                              });
    if (ok && !added)
        ok = added;
    if (!ok)
        return std::unexpected(ok.error().withSubject(m_path));
    return result;
}

Result<DuplicateMemory> SourceSnapshot::duplicateMemory(const SessionKeys& keys) const {
    DuplicateMemory d;
    const SourceTableLayout* l = layout(QStringLiteral("agent_memory"));
    if (!l || !l->present)
        return d;
    struct Best {
        qint64 rowid = 0;
        qint64 micros = 0;
        int count = 0;
    };
    // Keys compared as they will arrive (cleaned text, the server's column rules: a key
    // cut to 255 characters, a blank one's marker; a renamed session's new id), so that neither
    // UNIQUE (agent_id, session_id, key) nor the partial unique index of global keys can refuse
    // them after the load. Held as 128-bit digests: no copy of every key.
    QHash<QByteArray, Best> best;
    QList<qint64> dropped;
    auto column = [&](const char* name) {
        return l->hasColumn(QLatin1String(name)) ? QByteArray(name) : QByteArray("NULL");
    };
    const QByteArray sql = "SELECT rowid, agent_id, " + column("session_id") + ", key, " +
                           column("updated_at") + ", " + column("created_at") +
                           " FROM agent_memory ORDER BY rowid";
    QByteArray arrival;
    const ServerColumnRule agentRule = ServerColumnRules::of("agent_memory", "agent_id");
    const ServerColumnRule keyRule = ServerColumnRules::of("agent_memory", "key");
    auto ok = SqliteRows::each(handle(), sql, {}, [&](sqlite3_stmt* row) {
        const qint64 rowid = sqlite3_column_int64(row, 0);
        const RawValue session = SqliteRows::column(row, 2, true);
        arrival = session.isNull() ? "G" : "S";
        arrival += ServerColumnRules::arrival(
            agentRule, SessionKeys::cleanedText(SqliteRows::column(row, 1, true)).value_or(""),
            rowid); // agent_memory.id is its rowid
        arrival += '\0';
        if (!session.isNull()) {
            const QByteArray* renamed = keys.renamedReference(session);
            arrival += renamed ? *renamed : SessionKeys::cleaned(session).value_or("");
            arrival += '\0';
        }
        arrival += ServerColumnRules::arrival(
            keyRule, SessionKeys::cleanedText(SqliteRows::column(row, 3, true)).value_or(""),
            rowid);
        QByteArray digest(16, Qt::Uninitialized);
        const quint64 h1 = qHashBits(arrival.constData(), size_t(arrival.size()), 0x9E3779B9);
        const quint64 h2 = qHashBits(arrival.constData(), size_t(arrival.size()), 0x85EBCA6B);
        std::memcpy(digest.data(), &h1, 8);
        std::memcpy(digest.data() + 8, &h2, 8);
        auto time = Timestamp::parse(SqliteRows::column(row, 4, true)).micros;
        if (!time)
            time = Timestamp::parse(SqliteRows::column(row, 5, true)).micros;
        const qint64 micros = time.value_or(std::numeric_limits<qint64>::min());
        auto it = best.find(digest);
        if (it == best.end()) {
            best.insert(digest, Best{rowid, micros, 1});
            return true;
        }
        ++it->count;
        if (micros >= it->micros) { // newer (or as new and later written): it stays
            dropped << it->rowid;
            it->rowid = rowid;
            it->micros = micros;
        } else {
            dropped << rowid;
        }
        return true;
    });
    if (!ok)
        return std::unexpected(ok.error().withSubject(m_path));
    for (const Best& b : std::as_const(best))
        if (b.count > 1)
            ++d.groups;
    std::sort(dropped.begin(), dropped.end());
    d.dropped = QSet<qint64>(dropped.begin(), dropped.end());
    d.sampleDropped = dropped.mid(0, 5);
    return d;
}

} // namespace ctx
