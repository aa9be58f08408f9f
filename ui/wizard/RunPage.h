#pragma once

#include "core/transfer/MigrateTypes.h"

#include <QElapsedTimer>
#include <QHash>
#include <QWizardPage>

class QGridLayout;
class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;

namespace ctx::ui {

class BackgroundJob;
class MigrationWizard;

// Step 5: the Migrator on a worker thread: per table a bar with rows/s and ETA,
// an overall bar, a live log, Cancel (the run stays resumable) and Resume.
class RunPage : public QWizardPage {
    Q_OBJECT
public:
    explicit RunPage(MigrationWizard* wizard);
    void initializePage() override;
    bool isComplete() const override;
    bool isRunning() const;

    void startRun();
    void cancelRun();
    QString logText() const;
    QString statusText() const;
    int overallPercent() const;

signals:
    void runFinished(bool ok);
    void progressed(const QString& table, qint64 done, qint64 total);

private:
    struct TableRow {
        QProgressBar* bar = nullptr;
        QLabel* rate = nullptr;
        QLabel* eta = nullptr;
        qint64 total = 0;
        qint64 done = 0;
        qint64 firstDone = -1;
        qint64 firstMs = 0;
    };
    void buildTableRows();
    void onEvent(const MigrateEvent& e);
    void onFinished(const Result<MigrateSummary>& result);
    void updateOverall();
    void log(const QString& line);

    MigrationWizard* m_wizard;
    QLabel* m_status;
    QGridLayout* m_grid;
    QProgressBar* m_overall;
    QLabel* m_overallLabel;
    QPlainTextEdit* m_log;
    QPushButton* m_start;
    QPushButton* m_cancel;
    BackgroundJob* m_job;
    QHash<QString, TableRow> m_rows;
    QStringList m_tableOrder;
    QElapsedTimer m_clock;
};

} // namespace ctx::ui
