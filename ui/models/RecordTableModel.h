#pragma once

#include <QAbstractTableModel>
#include <QStringList>
#include <QVariantList>

namespace ctx::ui {

// A small, fully loaded table (sessions, memory, audit, tokens: each read with a
// bound limit on the worker). Values keep their types so a proxy sorts numbers as
// numbers; a row can be dimmed (expired memory, expired tokens, inactive sessions).
struct RecordRow {
    QVariantList values;
    QVariant key; // returned under KeyRole (a session id, a message id, ...)
    bool dimmed = false;
    QString toolTip;
};

class RecordTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Role { KeyRole = Qt::UserRole + 1, SortRole };
    explicit RecordTableModel(const QStringList& headers, QObject* parent = nullptr);

    void setRows(QList<RecordRow> rows);
    const RecordRow& rowAt(int row) const { return m_rows.at(row); }
    void setHtmlColumn(int column) { m_htmlColumn = column; }
    int htmlColumn() const { return m_htmlColumn; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QStringList m_headers;
    QList<RecordRow> m_rows;
    int m_htmlColumn = -1;
};

} // namespace ctx::ui
