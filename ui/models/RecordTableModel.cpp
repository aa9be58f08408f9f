#include "RecordTableModel.h"

#include "ui/views/InertText.h"

#include <QApplication>
#include <QPalette>

namespace ctx::ui {

RecordTableModel::RecordTableModel(const QStringList& headers, QObject* parent)
    : QAbstractTableModel(parent)
    , m_headers(headers) {}

void RecordTableModel::setRows(QList<RecordRow> rows) {
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

int RecordTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RecordTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_headers.size());
}

QVariant RecordTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const RecordRow& row = m_rows.at(index.row());
    const QVariant value = row.values.value(index.column());
    switch (role) {
    case Qt::DisplayRole:
        if (value.typeId() == QMetaType::Bool)
            return value.toBool() ? tr("yes") : tr("no");
        return value;
    case SortRole:
        return value;
    case KeyRole:
        return row.key;
    case Qt::ToolTipRole:
        // Stored text is shown as it is: never taken for HTML (which could name files).
        if (!row.toolTip.isEmpty())
            return plainToolTip(row.toolTip);
        if (index.column() == m_htmlColumn)
            return {};
        return value.typeId() == QMetaType::QString ? QVariant(plainToolTip(value.toString()))
                                                    : value;
    case Qt::ForegroundRole:
        return row.dimmed ? QVariant(QApplication::palette().brush(QPalette::PlaceholderText))
                          : QVariant();
    case Qt::TextAlignmentRole: {
        const int t = value.typeId();
        const bool numeric =
            t == QMetaType::Int || t == QMetaType::LongLong || t == QMetaType::Double;
        return numeric ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    }
    default:
        return {};
    }
}

QVariant RecordTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (role != Qt::DisplayRole || orientation != Qt::Horizontal)
        return {};
    return m_headers.value(section);
}

} // namespace ctx::ui
