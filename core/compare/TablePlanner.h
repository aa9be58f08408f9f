#pragma once

#include "DiffTypes.h"
#include "SchemaModel.h"
#include "TablePlan.h"

namespace ctx {

// Decides which tables are compared and how: tables mapped by name, the columns both
// sides have, the key, and the value rules (TableSpec) for the server's tables. Tables
// without value rules are compared raw; bookkeeping tables (schema history, migration
// rejects and progress) are left out.
class TablePlanner {
public:
    struct Plan {
        QList<TablePlan> tables;
        QList<TableDiff> skipped; // tables that cannot be compared row by row, with why
    };
    static Plan plan(const DatabaseSchema& a, const DatabaseSchema& b, const QString& onlyTable);
    static bool isBookkeeping(const QString& table);
};

} // namespace ctx
