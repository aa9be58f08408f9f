#pragma once

#include "core/db/DatabaseUrl.h"

#include <QMainWindow>

class QLabel;
class QTableView;

namespace ctx::ui {

// The inspector's main window: opens a database and shows its schema state.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    void openDatabase(const QString& urlText);
    QString statusText() const;

private:
    QLabel* m_summary;
    QLabel* m_status;
};

} // namespace ctx::ui
