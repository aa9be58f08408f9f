#pragma once

#include "AssessReport.h"

#include <QJsonObject>

namespace ctx {

// The assessment as JSON, the one shape shared by `ctxdb assess --json` and the
// wizard's exported report: source, sizes, schema, quick_check, tables, hazards (with
// sample row ids and keys and the migration's action) and the estimates.
QJsonObject assessReportToJson(const AssessReport& report);

} // namespace ctx
