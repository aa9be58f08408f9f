#pragma once

#include "PgLink.h"
#include "TransferStore.h"
#include "core/db/Connection.h"

namespace ctx {

struct TransferUnit;

// What a target's own objects mean for `ctxdb migrate` into it. Tables the server's
// schema file made are adopted: loaded into, never dropped, every object of the
// operator's kept. Tables Context Studio made may be replaced, but never by DROP …
// CASCADE: whatever else depends on them is listed and the run refused.
struct TargetSurvey {
    bool serverTables = false;   // made by the server's file (or by anyone but us)
    bool keysPresent = false;    // foreign keys exist during the load (load in order)
    QStringList operatorObjects; // labels of the operator's own objects (kept)
    // Operator objects that depend on the migration's tables: "view v (over messages)",
    // "constraint orders.orders_sid_fkey (foreign key to sessions)".
    QStringList dependents;
};

class TargetAdoption {
public:
    static Result<TargetSurvey> survey(const Connection& conn, PgLink& link);
    // Before anything is written, without --replace / --resume: refuses a target whose
    // operator objects depend on the migration's tables, naming them.
    static Status checkFresh(const TargetSurvey& survey, const QString& subject);
    // --replace, or tables an earlier attempt left empty: the server's tables are emptied
    // (TRUNCATE, every object kept), Context Studio's dropped; never CASCADE. Refuses,
    // listing them, when an operator's object depends on what would go.
    static Status clear(PgLink& link, const TargetSurvey& survey, const TargetState& state);
    // The load in waves: with foreign keys present sessions first, then each messages
    // range in rowid order (a reply's parent is committed before it), then the rest.
    static QList<QList<TransferUnit>> waves(const QList<TransferUnit>& units, bool keysPresent);

    static const QStringList& dataTables(); // the server's five tables
};

} // namespace ctx
