#pragma once

#include "core/compare/DiffTypes.h"

#include <QTableWidget>

namespace ctx::ui {

// The per-table summary of a comparison, colour-coded: green equal, amber only
// explained differences, red unexplained ones, grey not compared.
class DiffSummaryTable : public QTableWidget {
    Q_OBJECT
public:
    explicit DiffSummaryTable(QWidget* parent = nullptr);
    void setReport(const DiffReport& report);
    // The table name of a row.
    QString tableAt(int row) const;
    // The colour a table's row is shown in (for tests and the HTML export).
    static QColor colourOf(const TableDiff& t);
};

} // namespace ctx::ui
