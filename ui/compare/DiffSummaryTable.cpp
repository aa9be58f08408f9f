#include "DiffSummaryTable.h"

#include "ui/wizard/WizardFormat.h"

#include <QHeaderView>

namespace ctx::ui {

DiffSummaryTable::DiffSummaryTable(QWidget* parent)
    : QTableWidget(parent) {
    setColumnCount(9);
    setHorizontalHeaderLabels({tr("Table"), tr("Rows in A"), tr("Rows in B"), tr("Identical"),
                               tr("Equal normalized"), tr("Different"), tr("Only in A"),
                               tr("Only in B"), tr("Explained")});
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    // No selection highlight: it would hide the colour code; the current row keeps focus.
    setSelectionMode(QAbstractItemView::NoSelection);
    verticalHeader()->hide();
    horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
}

QColor DiffSummaryTable::colourOf(const TableDiff& t) {
    if (!t.skipped.isEmpty() || !t.inA || !t.inB)
        return QColor(0xe0, 0xe0, 0xe0);
    if (t.unexplained() > 0)
        return QColor(0xf8, 0xc8, 0xc8);
    if (t.explained > 0)
        return QColor(0xfb, 0xe5, 0xb0);
    return QColor(0xc8, 0xec, 0xd0);
}

void DiffSummaryTable::setReport(const DiffReport& report) {
    setRowCount(0);
    setRowCount(int(report.tables.size()));
    for (int r = 0; r < report.tables.size(); ++r) {
        const TableDiff& t = report.tables[r];
        QString name = t.name;
        if (!t.skipped.isEmpty())
            name += QStringLiteral(" (not compared: %1)").arg(t.skipped);
        else if (!t.inA || !t.inB)
            name += t.inA ? tr(" (only in A)") : tr(" (only in B)");
        const QStringList cells{name,
                                formatCount(t.aRows),
                                formatCount(t.bRows),
                                formatCount(t.identical),
                                formatCount(t.equalNormalized),
                                formatCount(t.different),
                                formatCount(t.onlyInA),
                                formatCount(t.onlyInB),
                                formatCount(t.explained)};
        const QColor colour = colourOf(t);
        for (int c = 0; c < cells.size(); ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            item->setBackground(colour);
            item->setForeground(Qt::black);
            if (c > 0)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            if (c == 0)
                item->setData(Qt::UserRole, t.name);
            setItem(r, c, item);
        }
    }
}

QString DiffSummaryTable::tableAt(int row) const {
    const QTableWidgetItem* it = item(row, 0);
    return it ? it->data(Qt::UserRole).toString() : QString();
}

} // namespace ctx::ui
