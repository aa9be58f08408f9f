#pragma once

#include "TablePlan.h"
#include "core/transfer/RowConverter.h"

#include <QSet>
#include <optional>

namespace ctx {

// What a migration's recorded action makes of a source row: the values a correct load
// holds in the target, by the migration's own conversion rules (RowConverter). A
// difference in a column with a recorded reject is explained only when the target holds
// exactly that value (the NUL bytes removed, the repaired UTF-8, NULL for invalid JSON,
// the truncation, the renamed key), never merely because something was recorded.
class RecordedAction {
public:
    explicit RecordedAction(const TablePlan& plan);
    // False for tables without the server's value rules: nothing to compute.
    bool usable() const { return m_converter.has_value(); }

    // The target's expected values, in the plan's column order, for a source row whose
    // recorded reasons are `reasons`; renamed keys are taken from the target row (the
    // rename itself is recorded and compared as a key).
    QList<NormalizedValue> expected(const RawRow& source, const RawRow& target,
                                    const QSet<QString>& reasons) const;

private:
    int planColumn(const QString& name) const;
    const TablePlan& m_plan;
    std::optional<RowConverter> m_converter;
    QList<int> m_specToPlan; // TableSpec column -> plan column (-1: not compared)
};

} // namespace ctx
