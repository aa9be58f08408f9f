#pragma once

#include "DiffTypes.h"
#include "SchemaModel.h"

namespace ctx {

// The schema part of a comparison: tables and columns mapped by name, type pairs that
// cannot hold the same values, nullability, primary keys, unique indexes (with the
// global-memory rule), foreign keys.
class SchemaComparer {
public:
    static QList<SchemaFinding> compare(const DatabaseSchema& a, const DatabaseSchema& b,
                                        const QString& onlyTable);

private:
    static void compareTable(const TableInfo& a, const TableInfo& b, Engine ea, Engine eb,
                             QList<SchemaFinding>& out);
    static void checkGlobalMemoryRule(const TableInfo& t, const QString& side, Engine engine,
                                      QList<SchemaFinding>& out);
};

} // namespace ctx
