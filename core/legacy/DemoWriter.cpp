#include "DemoWriter.h"

#include "DemoContent.h"
#include "DemoMessageFeed.h"
#include "LegacySchemaWriter.h"
#include "core/db/Connection.h"
#include "core/db/WriteCoalescingVfs.h"

#include <QElapsedTimer>
#include <QFileInfo>

#include <sqlite3.h>

namespace ctx {

namespace {

// A prepared statement with positional binding, finalized on scope exit.
class Insert {
public:
    Insert(sqlite3* db, const char* sql)
        : m_db(db) {
        sqlite3_prepare_v2(db, sql, -1, &m_st, nullptr);
    }
    ~Insert() { sqlite3_finalize(m_st); }
    // Bound without a copy (SQLITE_STATIC): the string must live until step(), so
    // temporaries are refused at compile time and literals take the const char* form.
    Insert& text(int i, const std::string& s) {
        sqlite3_bind_text(m_st, i, s.data(), int(s.size()), SQLITE_STATIC);
        return *this;
    }
    Insert& text(int i, std::string&& s) = delete;
    Insert& text(int i, const char* literal) {
        sqlite3_bind_text(m_st, i, literal, -1, SQLITE_STATIC);
        return *this;
    }
    Insert& integer(int i, qint64 v) {
        sqlite3_bind_int64(m_st, i, v);
        return *this;
    }
    Insert& real(int i, double v) {
        sqlite3_bind_double(m_st, i, v);
        return *this;
    }
    Insert& blob(int i, const std::string& b) {
        sqlite3_bind_blob(m_st, i, b.data(), int(b.size()), SQLITE_STATIC);
        return *this;
    }
    Insert& null(int i) {
        sqlite3_bind_null(m_st, i);
        return *this;
    }
    Insert& value(int i, const DemoContent::Stamp& t) {
        if (t.isText)
            return text(i, t.text);
        if (t.isInteger)
            return integer(i, qint64(t.seconds));
        return real(i, t.seconds);
    }
    Status step() {
        const int rc = sqlite3_step(m_st);
        sqlite3_reset(m_st);
        if (rc != SQLITE_DONE)
            return fail(ErrorCode::Io, QString::fromUtf8(sqlite3_errmsg(m_db)));
        return {};
    }
    bool ok() const { return m_st != nullptr; }

private:
    sqlite3* m_db;
    sqlite3_stmt* m_st = nullptr;
};

Status exec(sqlite3* db, const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
        const QString msg = QString::fromUtf8(err ? err : "unknown error");
        sqlite3_free(err);
        return fail(ErrorCode::Io, msg);
    }
    return {};
}

} // namespace

Result<DemoSummary> DemoWriter::write(const DemoOptions& options) {
    QElapsedTimer timer;
    timer.start();
    if (options.messages < 0)
        return fail(ErrorCode::InvalidArgument, QStringLiteral("--messages must be 0 or more"));
    if (QFileInfo::exists(options.path))
        return fail(ErrorCode::Conflict, QStringLiteral("file exists; choose a new path"),
                    options.path);
    ConnectionOptions co;
    co.readOnly = false;
    co.createIfMissing = true;
    co.sqliteVfs = QString::fromLatin1(WriteCoalescingVfs::name());
    auto conn = Connection::open(DatabaseUrl::sqliteFile(options.path), co);
    if (!conn)
        return std::unexpected(conn.error());
    sqlite3* db = (*conn)->sqliteHandle();
    auto failed = [&](const Error& e) { return std::unexpected(e.withSubject(options.path)); };
    // No memory map (mmap_size=0): SQLite's keeps every page it touched resident (1.9 GB
    // of RSS at 1M messages) and stops at 2 GB, past which a scan read a page per system
    // call; the VFS reads forward scans ahead instead (WriteCoalescingVfs). The load only
    // appends, so a 16 MB page cache does: with 128 MB the same CPU time (12.2-12.9 s
    // against 12.4 s at 1M) and 111 MB more RSS.
    if (auto ok = exec(db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA threads=2; "
                           "PRAGMA mmap_size=0; PRAGMA ignore_check_constraints=ON; "
                           "PRAGMA cache_size=-16384; PRAGMA foreign_keys=OFF");
        !ok)
        return failed(ok.error());
    if (auto ok = LegacySchemaWriter::create(**conn, LegacyVersion::V3b); !ok)
        return failed(ok.error());

    // Load into bare tables and build the server's indexes afterwards: the same
    // schema and rows, written several times faster.
    QStringList indexes;
    if (auto q = (*conn)->exec(QStringLiteral("SELECT name, sql FROM sqlite_master WHERE type = "
                                              "'index' AND sql IS NOT NULL"))) {
        QStringList names;
        while (q->next()) {
            names << q->value(0).toString();
            indexes << q->value(1).toString();
        }
        q->finish();
        for (const QString& name : names)
            (void)(*conn)->exec(
                QStringLiteral("DROP INDEX %1").arg(Dialect::quoteIdentifier(name)));
    }
    DemoContent content(options.seed, options.messages);
    DemoSummary summary;
    if (auto ok = exec(db, "BEGIN"); !ok)
        return failed(ok.error());
    Insert session(db, "INSERT INTO sessions (id, purpose, created_at, updated_at, is_active, "
                       "created_by, metadata) VALUES (?,?,?,?,?,?,?)");
    for (const DemoContent::Session& s : content.sessions()) {
        session.text(1, s.id).text(2, s.purpose).value(3, s.created).value(4, s.updated);
        if (s.activeAsText)
            session.text(5, s.active ? "true" : "false");
        else
            session.integer(5, s.active ? 1 : 0);
        session.text(6, s.createdBy);
        s.metadata.empty() ? session.null(7) : session.text(7, s.metadata);
        if (auto ok = session.step(); !ok)
            return failed(ok.error());
        ++summary.sessions;
    }
    Insert message(db, "INSERT INTO messages (id, session_id, sender, sender_type, content, "
                       "visibility, message_type, metadata, timestamp, parent_message_id) "
                       "VALUES (?,?,?,?,?,?,?,?,?,?)");
    {
        DemoMessageFeed feed(content, options.messages);
        qint64 i = 0;
        while (const DemoMessageFeed::Batch* batch = feed.next()) {
            for (const DemoContent::Message& m : *batch) {
                message.integer(1, ++i).text(2, *m.sessionId).text(3, *m.sender);
                m.senderType ? message.text(4, *m.senderType) : message.null(4);
                message.text(5, m.content).text(6, *m.visibility).text(7, *m.messageType);
                m.metadata.empty() ? message.null(8) : message.text(8, m.metadata);
                message.value(9, m.timestamp);
                m.parent > 0 ? message.integer(10, m.parent) : message.null(10);
                if (auto ok = message.step(); !ok)
                    return failed(ok.error());
                if (options.progress && i % 50000 == 0)
                    options.progress(i, options.messages);
            }
        }
    }
    summary.messages = options.messages;
    Insert memory(db, "INSERT INTO agent_memory (agent_id, session_id, key, value, metadata, "
                      "created_at, updated_at, expires_at) VALUES (?,?,?,?,?,?,?,?)");
    DemoContent::Memory mm;
    for (qint64 i = 0; i < content.memoryCount(); ++i) {
        content.nextMemory(i, mm);
        memory.text(1, mm.agent);
        mm.sessionId.empty() ? memory.null(2) : memory.text(2, mm.sessionId);
        memory.text(3, mm.key)
            .text(4, mm.value)
            .text(5, "{}")
            .value(6, mm.created)
            .value(7, mm.created);
        mm.hasExpiry ? memory.value(8, mm.expires) : memory.null(8);
        if (auto ok = memory.step(); !ok)
            return failed(ok.error());
        ++summary.memory;
    }
    Insert audit(db, "INSERT INTO audit_log (timestamp, event_type, agent_id, session_id, "
                     "resource, action, result, metadata) VALUES (?,?,?,?,?,?,?,?)");
    DemoContent::Audit a;
    for (qint64 i = 0; i < content.auditCount(); ++i) {
        content.nextAudit(i, a);
        audit.value(1, a.time).text(2, a.event).text(3, a.agent);
        a.sessionId.empty() ? audit.null(4) : audit.text(4, a.sessionId);
        audit.text(5, a.resource).text(6, a.action).text(7, a.result).text(8, a.metadata);
        if (auto ok = audit.step(); !ok)
            return failed(ok.error());
        ++summary.audit;
    }
    Insert token(db, "INSERT INTO secure_tokens (token_id, encrypted_jwt, agent_id, expires_at, "
                     "created_at) VALUES (?,?,?,?,?)");
    DemoContent::Token t;
    for (qint64 i = 0; i < content.tokenCount(); ++i) {
        content.nextToken(i, t);
        token.text(1, t.tokenId)
            .blob(2, t.bytes)
            .text(3, t.agent)
            .value(4, t.expires)
            .value(5, t.created);
        if (auto ok = token.step(); !ok)
            return failed(ok.error());
        ++summary.tokens;
    }
    // Commit the rows first: each index build then scans the table, which the VFS reads
    // ahead 4 MB at a time. The sorter works in runs as big as the page cache: SQLite's
    // default 2 MB runs sort in the CPU's cache, and PRAGMA threads sorts them on the
    // second core. Measured per messages index: 1.0-1.2 s with 16 MB, 0.6-0.8 s with 2 MB.
    if (auto ok = exec(db, "COMMIT; BEGIN; PRAGMA cache_size=-2000; PRAGMA threads=4"); !ok)
        return failed(ok.error());
    for (const QString& index : indexes) {
        if (auto ok = exec(db, index.toUtf8().constData()); !ok)
            return failed(ok.error());
    }
    if (auto ok = exec(db, "COMMIT"); !ok)
        return failed(ok.error());
    if (auto ok = exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL"); !ok)
        return failed(ok.error());
    summary.milliseconds = timer.elapsed();
    return summary;
}

} // namespace ctx
