#pragma once

#include "MigrationCatalog.h"
#include "SchemaInfo.h"
#include "core/db/Connection.h"

#include <climits>

namespace ctx {

struct SchemaStatus {
    SchemaInfo info;
    QList<MigrationScript> pending;
    // On tables the server's file made: scripts whose objects the server's schema already
    // has (ServerSchema::kProvidedThrough); recorded as applied, never run.
    QList<MigrationScript> provided;
    int latestVersion = 0;
};

struct UpgradeOptions {
    QString backupPath;             // SQLite: where the verified backup goes (default: beside it)
    int lockTimeoutMs = 30000;      // how long a second migrator waits before it fails
    int targetVersion = INT_MAX;    // stop after this version (the transfer loads data at 3)
    QList<MigrationScript> catalog; // empty: the engine's shipped scripts
    QString appliedBy;              // recorded in the history; default "ctxdb <version>"
};

struct UpgradeReport {
    int fromVersion = 0;
    int toVersion = 0;
    QList<int> applied;
    QString backupPath;
    qint64 milliseconds = 0;
};

// Versioned schema migrations for both engines: status, plan (SQL only) and
// upgrade in one transaction under a migration lock. Applied scripts whose
// checksum changed, or a history this build does not know, are refused.
class SchemaMigrator {
public:
    static Result<SchemaStatus> status(const Connection& conn,
                                       const QList<MigrationScript>& catalog = {});
    static Status validateHistory(const SchemaInfo& info, const QList<MigrationScript>& catalog);

    // Applies the pending scripts on an open, writable connection.
    static Result<UpgradeReport> applyPending(const Connection& conn,
                                              const UpgradeOptions& options);
    // Full flow for a URL. SQLite files are upgraded in place only after a verified
    // backup copy is written next to them; a failure leaves the file at its old version.
    static Result<UpgradeReport> upgrade(const DatabaseUrl& url, const UpgradeOptions& options);
};

} // namespace ctx
