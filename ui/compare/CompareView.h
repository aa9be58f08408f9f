#pragma once

#include "core/compare/DiffTypes.h"
#include "core/db/DatabaseUrl.h"

#include <QPair>
#include <QWidget>
#include <memory>
#include <optional>

class QCheckBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;
class QTableWidget;

namespace ctx {
class DiffJob;
}

namespace ctx::ui {

class BackgroundJob;
class DiffSummaryTable;
class PasswordVault;
class UrlField;

// Compare any two databases: pick A and B, run DiffJob on a worker thread
// (progress, Cancel), see the per-table summary colour-coded, drill into a table's
// differing rows side by side with the differing cells highlighted, switch raw /
// normalized values, step through differences, export HTML, JSON or CSV.
class CompareView : public QWidget {
    Q_OBJECT
public:
    explicit CompareView(QWidget* parent = nullptr);
    ~CompareView() override;

    // As typed: a password in a URL is kept but never shown.
    void setDatabases(const QString& a, const QString& b);
    // A with its password (the inspector's open database), B as typed.
    void setDatabases(const DatabaseUrl& a, const QString& b);
    // Asks for a missing PostgreSQL password (keychain, then a dialog), then compares.
    void compare();
    void cancel();
    bool isRunning() const;
    const std::optional<DiffReport>& report() const { return m_report; }

    void selectTable(const QString& table);
    void nextDifference();
    void previousDifference();
    void setNormalized(bool normalized);
    Status exportTo(const QString& path);

    DiffSummaryTable* summary() const { return m_summary; }
    QListWidget* rowList() const { return m_rows; }
    QTableWidget* sideBySide() const { return m_detail; }
    QString statusText() const;

signals:
    void compared(bool ok);

private:
    void run(const DatabaseUrl& a, const DatabaseUrl& b);
    void showReport();
    void showTable(int tableIndex);
    void showSample();
    void exportAs();
    const TableDiff* currentTable() const;

    UrlField* m_a;
    UrlField* m_b;
    PasswordVault* m_vault;
    QPushButton* m_run;
    QPushButton* m_cancel;
    QProgressBar* m_progress;
    QLabel* m_status;
    DiffSummaryTable* m_summary;
    QListWidget* m_rows;
    QTableWidget* m_detail;
    QCheckBox* m_normalized;
    QPushButton* m_prev;
    QPushButton* m_next;
    QPushButton* m_export;
    BackgroundJob* m_job;
    std::shared_ptr<DiffJob> m_diff;
    std::optional<DiffReport> m_report;
    QList<QPair<int, int>> m_differences; // (table index, sample index) in display order
    int m_tableIndex = -1;
};

} // namespace ctx::ui
