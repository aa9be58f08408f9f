#pragma once

#include "core/db/Connection.h"
#include "ui/models/RecordTableModel.h"

#include <QPointer>
#include <QWidget>
#include <functional>

class QLabel;
class QLineEdit;
class QTableView;
class QSortFilterProxyModel;

namespace ctx::ui {

class DatabaseSession;

// A sortable table read from the store on the worker, with a row of filter fields
// passed to the loader (memory, audit log, tokens).
class RecordListView : public QWidget {
    Q_OBJECT
public:
    using Loader =
        std::function<Result<QList<RecordRow>>(const Connection&, const QStringList& filters)>;
    RecordListView(const QStringList& headers, const QStringList& filterNames, Loader loader,
                   QWidget* parent = nullptr);

    void setSession(DatabaseSession* session);
    void setFilter(int field, const QString& value);
    void reload();
    RecordTableModel* model() const { return m_model; }
    QTableView* table() const { return m_table; }

signals:
    void loaded(int rows);
    void failed(const QString& message);

private:
    QPointer<DatabaseSession> m_session;
    Loader m_loader;
    QList<QLineEdit*> m_filters;
    QTableView* m_table;
    QLabel* m_info;
    RecordTableModel* m_model;
    QSortFilterProxyModel* m_proxy;
    quint64 m_generation = 0;
};

// The three views over the store's smaller tables.
RecordListView* makeMemoryView(QWidget* parent = nullptr);
RecordListView* makeAuditView(QWidget* parent = nullptr);
RecordListView* makeTokensView(QWidget* parent = nullptr);

} // namespace ctx::ui
