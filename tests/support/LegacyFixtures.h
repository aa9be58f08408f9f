#pragma once

#include "core/legacy/LegacySchemaWriter.h"

#include <QByteArray>
#include <QStringList>

namespace ctx::test {

// Well-known rows every fixture holds (when written with rows).
namespace fixture {
inline const QString kSessionA = QStringLiteral("session_0123456789abcdef");
inline const QString kSessionB = QStringLiteral("session_fedcba9876543210");
constexpr int kSessions = 2;
constexpr int kMessages = 6;
constexpr int kMemory = 4;
constexpr int kAudit = 3;
constexpr int kTokens = 2; // versions 3a and 3b only
} // namespace fixture

// Writes a legacy SQLite file of the given version, built exactly as the server
// built it, with rows in the server's value shapes: timestamps as REAL epoch, ISO
// with offset, Z, CURRENT_TIMESTAMP text and integers; is_active as 1 and 'true';
// a thread; every visibility; global, session and TTL memory; opaque token bytes.
Status writeLegacyFile(const QString& path, LegacyVersion version, bool withRows = true);

// A writable connection to the SQLite file at path, created when missing.
Result<std::unique_ptr<Connection>> openWritableSqlite(const QString& path);

// Runs statements on a SQLite file through the native API (for planting hazards).
Status execSql(const QString& path, const QStringList& statements);

// Runs statements and leaves their rows only in the -wal file (no checkpoint on
// close), as a server that was still running would have left them.
Status execSqlIntoWalOnly(const QString& path, const QStringList& statements);

// SHA-256 over every row of the given tables (every table when empty), each value
// with its storage class, in rowid order: equal digests mean equal data.
QByteArray contentDigest(const QString& path, const QStringList& tables = {});

// What proves a file untouched: its bytes' SHA-256, size and modification time.
struct FileFingerprint {
    QByteArray sha256;
    qint64 size = -1;
    qint64 mtimeNs = -1;
    static FileFingerprint of(const QString& path);
    bool operator==(const FileFingerprint& o) const {
        return sha256 == o.sha256 && size == o.size && mtimeNs == o.mtimeNs;
    }
};

// Every file below root (hidden ones and subdirectories included) whose bytes contain
// needle: where a secret must never be found.
QStringList filesContaining(const QString& root, const QByteArray& needle);

} // namespace ctx::test
