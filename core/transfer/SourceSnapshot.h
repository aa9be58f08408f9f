#pragma once

#include "SessionKeys.h"
#include "SourceCursor.h"
#include "core/db/Connection.h"

#include <QHash>

namespace ctx {

struct TableStats {
    qint64 rows = 0;
    qint64 minRowid = 0;
    qint64 maxRowid = 0;
    qint64 pageBytes = 0; // pages the table and its indexes use (dbstat), 0 if unknown
};

// Of memory rows whose agent, session and key are equal once cleaned (global keys:
// agent and key) the newest stays; the others are dropped.
struct DuplicateMemory {
    QSet<qint64> dropped;
    qint64 groups = 0;
    QList<qint64> sampleDropped;
};

// A legacy file opened read-only, held in one read transaction so every read
// sees one snapshot even while the server writes (the -wal file included).
class SourceSnapshot {
public:
    static Result<std::unique_ptr<SourceSnapshot>> open(const QString& path,
                                                        const QString& applicationName);
    ~SourceSnapshot();

    const Connection& connection() const { return *m_conn; }
    sqlite3* handle() const { return m_conn->sqliteHandle(); }
    const QString& path() const { return m_path; }
    const QList<SourceTableLayout>& layouts() const { return m_layouts; }
    // Fails when the file was opened without its -shm and a server has started writing
    // it since (SourceWatch): what was read may mix two states of the file.
    Status unchanged() const;
    const SourceTableLayout* layout(const QString& table) const;

    Result<TableStats> stats(const QString& table) const;
    // What PRAGMA quick_check finds wrong (at most `limit` lines); empty when the file
    // is sound. A check the damage itself stops is one line too.
    QStringList damage(int limit = 20) const;
    // Identifies the snapshot's content: schema and every table's count and rowid range.
    Result<QByteArray> fingerprint() const;
    // Session ids used by other tables that no session arrives as (keys: how session
    // ids arrive): one placeholder each, also when several stored ids clean to one id.
    // A NULL messages.session_id counts as '' (NOT NULL in PostgreSQL).
    Result<QList<MissingSession>> missingSessions(const SessionKeys& keys) const;
    Result<DuplicateMemory> duplicateMemory(const SessionKeys& keys) const;

private:
    SourceSnapshot() = default;
    Status readLayouts();

    QString m_path;
    std::unique_ptr<Connection> m_conn;
    QList<SourceTableLayout> m_layouts;
};

} // namespace ctx
