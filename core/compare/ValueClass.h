#pragma once

#include "core/db/DatabaseUrl.h"

namespace ctx {

// What values a declared column type can hold, across engines: SQLite affinities
// (with TIMESTAMP and BOOLEAN declarations told apart) and PostgreSQL types.
enum class ValueClass { Integer, Real, Numeric, Text, Blob, Boolean, Timestamp, Json, Other };

ValueClass classifyType(Engine engine, const QString& declaredType);
QString valueClassName(ValueClass c);
// Whether two column types can hold the same values (TEXT vs JSONB yes, a
// TIMESTAMP-affinity column vs TIMESTAMPTZ yes, TEXT vs INTEGER or BLOB vs TEXT no).
bool compatibleClasses(ValueClass a, ValueClass b);

} // namespace ctx
