#pragma once

#include <QPointer>
#include <QWidget>

class QLineEdit;
class QTableView;
class QSortFilterProxyModel;

namespace ctx::ui {

class DatabaseSession;
class RecordTableModel;

// The sessions of a database: purpose, creator, active flag, message count, agents,
// last activity; sortable by any column, filtered by any text.
class SessionsView : public QWidget {
    Q_OBJECT
public:
    enum Column {
        IdColumn,
        PurposeColumn,
        CreatorColumn,
        ActiveColumn,
        MessagesColumn,
        AgentsColumn,
        LastActivityColumn
    };
    explicit SessionsView(QWidget* parent = nullptr);

    void setSession(DatabaseSession* session);
    void reload();
    bool selectSession(const QString& id);
    QString currentSessionId() const;
    QString largestSessionId() const;
    QStringList agentsOf(const QString& id) const;
    int sessionCount() const;
    QTableView* table() const { return m_table; }
    QLineEdit* filterEdit() const { return m_filter; }

signals:
    void sessionSelected(const QString& id);
    void loaded(int sessions);
    void failed(const QString& message);

private:
    QPointer<DatabaseSession> m_session;
    QLineEdit* m_filter;
    QTableView* m_table;
    RecordTableModel* m_model;
    QSortFilterProxyModel* m_proxy;
};

} // namespace ctx::ui
