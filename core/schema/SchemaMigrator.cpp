#include "SchemaMigrator.h"

#include "MigrationLock.h"
#include "SchemaDetector.h"
#include "SchemaHistory.h"
#include "ServerSchema.h"
#include "SqliteBackup.h"
#include "core/Version.h"
#include "core/db/SqlScript.h"

#include <QElapsedTimer>
#include <QHash>

namespace ctx {

namespace {

QList<MigrationScript> catalogFor(Engine engine, const QList<MigrationScript>& given) {
    return given.isEmpty() ? MigrationCatalog::forEngine(engine) : given;
}

} // namespace

Status SchemaMigrator::validateHistory(const SchemaInfo& info,
                                       const QList<MigrationScript>& catalog) {
    QHash<int, MigrationScript> byVersion;
    for (const MigrationScript& s : catalog)
        byVersion.insert(s.version, s);
    const int latest = catalog.isEmpty() ? 0 : catalog.last().version;
    if (info.version > latest)
        return fail(ErrorCode::SchemaMismatch,
                    QStringLiteral("database is at schema version %1, newer than this build "
                                   "knows (%2); use a newer Context Studio")
                        .arg(info.version)
                        .arg(latest));
    QList<int> recorded;
    for (const HistoryEntry& e : info.history) {
        recorded << e.version;
        if (e.checksum.isEmpty())
            continue; // written by the server itself: nothing to compare
        const auto it = byVersion.constFind(e.version);
        if (it == byVersion.constEnd())
            return fail(ErrorCode::SchemaMismatch,
                        QStringLiteral("history records migration %1, which this build does not "
                                       "have")
                            .arg(e.version));
        if (it->checksum != e.checksum && !it->earlierChecksums.contains(e.checksum))
            return fail(ErrorCode::SchemaMismatch,
                        QStringLiteral("migration %1 (%2) was changed after it was applied: "
                                       "recorded checksum %3…, script has %4…; refusing to "
                                       "continue")
                            .arg(e.version)
                            .arg(it->name, e.checksum.left(12), it->checksum.left(12)));
    }
    // Our own scripts (4+) must have been applied in order, with no gap.
    for (const HistoryEntry& e : info.history) {
        if (e.checksum.isEmpty())
            continue;
        for (const MigrationScript& s : catalog) {
            if (s.version >= 4 && s.version < e.version && !recorded.contains(s.version))
                return fail(ErrorCode::SchemaMismatch,
                            QStringLiteral("migration %1 is missing from the history while %2 is "
                                           "applied: scripts were reordered")
                                .arg(s.version)
                                .arg(e.version));
        }
    }
    return {};
}

Result<SchemaStatus> SchemaMigrator::status(const Connection& conn,
                                            const QList<MigrationScript>& given) {
    auto info = SchemaDetector::detect(conn);
    if (!info)
        return std::unexpected(info.error());
    SchemaStatus st;
    st.info = *info;
    const auto catalog = catalogFor(conn.engine(), given);
    st.latestVersion = catalog.isEmpty() ? 0 : catalog.last().version;
    if (!info->sharedContext && !info->empty && conn.engine() == Engine::Sqlite)
        return fail(ErrorCode::NotADatabase,
                    QStringLiteral("not a shared-context-server database (it has tables: %1)")
                        .arg(info->foreignTables.mid(0, 5).join(QStringLiteral(", "))),
                    conn.subject());
    if (auto ok = validateHistory(*info, catalog); !ok)
        return std::unexpected(ok.error().withSubject(conn.subject()));
    // The server's file made the tables at its version 3: Context Studio's scripts that
    // make the server's objects would only collide with them (or change them).
    const bool adopted = info->serverTables && info->version == ServerSchema::kVersion;
    for (const MigrationScript& s : catalog) {
        if (s.version > info->version)
            (adopted && s.version <= ServerSchema::kProvidedThrough ? st.provided : st.pending)
                << s;
    }
    return st;
}

Result<UpgradeReport> SchemaMigrator::applyPending(const Connection& conn,
                                                   const UpgradeOptions& options) {
    QElapsedTimer total;
    total.start();
    MigrationLock lock(conn);
    const bool pooled = conn.throughPooler(); // the lock is then the transaction's
    if (!pooled) {
        if (auto ok = lock.acquire(options.lockTimeoutMs); !ok)
            return std::unexpected(ok.error());
    }
    if (auto ok = conn.begin(true); !ok) {
        Error e = ok.error();
        if (e.code == ErrorCode::Locked)
            e.message = QStringLiteral("another writer or migration holds the database (waited "
                                       "%1 s)")
                            .arg(options.lockTimeoutMs / 1000.0, 0, 'f', 1);
        return std::unexpected(e);
    }
    if (pooled) {
        if (auto ok = lock.acquire(options.lockTimeoutMs); !ok) {
            conn.rollback();
            return std::unexpected(ok.error());
        }
    }
    // Read the state inside the lock: a migrator that waited sees what the first did.
    auto st = status(conn, options.catalog);
    if (!st) {
        conn.rollback();
        return std::unexpected(st.error());
    }
    UpgradeReport report;
    report.fromVersion = st->info.version;
    report.toVersion = st->info.version;
    const QString by = options.appliedBy.isEmpty()
                           ? QStringLiteral("ctxdb %1").arg(QLatin1String(CTX_VERSION))
                           : options.appliedBy;
    const SchemaHistory history(conn);
    for (const MigrationScript& script : st->provided) {
        if (script.version > options.targetVersion)
            break;
        Status ok = history.ensureExtended();
        if (ok)
            ok = history.record(
                {script.version,
                 {},
                 script.description + QStringLiteral(" (provided by the server's schema, not run)"),
                 script.checksum,
                 by,
                 0});
        if (!ok) {
            conn.rollback();
            return std::unexpected(ok.error());
        }
        report.applied << script.version;
        report.toVersion = script.version;
    }
    for (const MigrationScript& script : st->pending) {
        if (script.version > options.targetVersion)
            break;
        QElapsedTimer timer;
        timer.start();
        for (const QString& statement : SqlScript::statements(QString::fromUtf8(script.sql))) {
            if (auto r = conn.exec(statement); !r) {
                conn.rollback();
                Error e = r.error();
                e.message = QStringLiteral("migration %1 (%2) failed, nothing was changed: %3")
                                .arg(script.version)
                                .arg(script.name, e.message);
                return std::unexpected(e);
            }
        }
        // The history table may only appear with script 1 (SQLite) or need our columns.
        if (auto ok = history.ensureExtended(); !ok) {
            conn.rollback();
            return std::unexpected(ok.error());
        }
        HistoryEntry entry{script.version,  {}, script.description,
                           script.checksum, by, timer.elapsed()};
        if (auto ok = history.record(entry); !ok) {
            conn.rollback();
            return std::unexpected(ok.error());
        }
        report.applied << script.version;
        report.toVersion = script.version;
    }
    if (auto ok = conn.commit(); !ok) {
        conn.rollback();
        return std::unexpected(ok.error());
    }
    if (!report.applied.isEmpty()) // a kept plan may read columns that changed
        conn.forgetStatements();
    report.milliseconds = total.elapsed();
    return report;
}

Result<UpgradeReport> SchemaMigrator::upgrade(const DatabaseUrl& url,
                                              const UpgradeOptions& options) {
    ConnectionOptions readOnly;
    readOnly.readOnly = true;
    readOnly.applicationName = QStringLiteral("ctxdb schema");
    auto reader = Connection::open(url, readOnly);
    if (!reader)
        return std::unexpected(reader.error());
    auto st = status(**reader, options.catalog);
    if (!st)
        return std::unexpected(st.error());
    if (st->pending.isEmpty() && st->provided.isEmpty()) {
        UpgradeReport nothing;
        nothing.fromVersion = nothing.toVersion = st->info.version;
        return nothing;
    }
    QString backupPath;
    if (url.isSqlite() && !st->info.empty) {
        backupPath = options.backupPath.isEmpty() ? SqliteBackup::defaultPathFor(url.filePath())
                                                  : options.backupPath;
        if (auto ok = SqliteBackup::write(**reader, backupPath); !ok)
            return std::unexpected(ok.error());
    }
    reader->reset();
    ConnectionOptions write;
    write.readOnly = false;
    write.busyTimeoutMs = options.lockTimeoutMs;
    write.applicationName = QStringLiteral("ctxdb schema upgrade");
    auto writer = Connection::open(url, write);
    if (!writer)
        return std::unexpected(writer.error());
    auto report = applyPending(**writer, options);
    if (report)
        report->backupPath = backupPath;
    return report;
}

} // namespace ctx
