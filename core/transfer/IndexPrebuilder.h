#pragma once

#include "core/db/DatabaseUrl.h"
#include "core/schema/MigrationCatalog.h"

#include <QList>
#include <QString>
#include <atomic>

namespace ctx {

class PgLink;

// One "CREATE [UNIQUE] INDEX IF NOT EXISTS … ON table …" statement of a schema script.
struct IndexBuild {
    QString table;
    QByteArray sql;
};

// Builds the indexes of the pending PostgreSQL schema scripts ahead of applying
// them, on several connections at once. A single CREATE INDEX leaves a core idle
// whenever it is not in a parallel phase (a GIN build never is); two connections
// keep both busy. The scripts then find each index built (IF NOT EXISTS) and apply
// the rest (keys, triggers, history) in their own transaction, as always. An index
// either exists completely or not at all, so a run killed here resumes cleanly.
class IndexPrebuilder {
public:
    // The index statements of the scripts, in script order.
    static QList<IndexBuild> collect(const QList<MigrationScript>& scripts);
    // Keeps the builds whose table exists already (a script may create the table
    // itself), biggest table first: the long builds start at once, small ones fill in.
    static Status schedule(PgLink& link, QList<IndexBuild>& builds);
    static Status build(const DatabaseUrl& target, const QList<IndexBuild>& builds, int connections,
                        const std::atomic<bool>* cancel = nullptr);
};

} // namespace ctx
