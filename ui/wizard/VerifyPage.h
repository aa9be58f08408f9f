#pragma once

#include <QWizardPage>
#include <memory>

class QLabel;
class QProgressBar;
class QPushButton;

namespace ctx {
class DiffJob;
}

namespace ctx::ui {

class BackgroundJob;
class DiffSummaryTable;
class MigrationWizard;

// Step 6: compares the source with the target (DiffJob, read-only on both sides)
// and shows the summary; green only when no difference is left unexplained.
class VerifyPage : public QWizardPage {
    Q_OBJECT
public:
    explicit VerifyPage(MigrationWizard* wizard);
    ~VerifyPage() override;
    void initializePage() override;
    bool isComplete() const override;
    void startVerify();
    void cancel();
    QString verdictText() const;
    bool verdictGreen() const;

signals:
    void verified(bool equal);

private:
    MigrationWizard* m_wizard;
    QLabel* m_verdict;
    QProgressBar* m_progress;
    QPushButton* m_again;
    QPushButton* m_cancel;
    DiffSummaryTable* m_table;
    BackgroundJob* m_job;
    std::shared_ptr<DiffJob> m_diff;
    bool m_green = false;
};

} // namespace ctx::ui
