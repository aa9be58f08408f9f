#pragma once

#include <QWizardPage>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QRadioButton;

namespace ctx::ui {

class MigrationWizard;

// Step 4: what will run — the schema SQL (tables before the load, indexes and
// Context Studio's tables after), the table order — and how: a fresh target,
// replace (typed confirmation naming the database) or resume.
class PlanPage : public QWizardPage {
    Q_OBJECT
public:
    explicit PlanPage(MigrationWizard* wizard);
    void initializePage() override;
    bool isComplete() const override;
    bool validatePage() override;

    void chooseFresh();
    void chooseResume();
    // Replace; confirmation must be the target database's name.
    void chooseReplace(const QString& confirmation);
    bool resumeOffered() const;
    QString sqlText() const;
    QString summaryText() const;

private:
    void update();

    MigrationWizard* m_wizard;
    QLabel* m_summary;
    QPlainTextEdit* m_sql;
    QLabel* m_order;
    QRadioButton* m_fresh;
    QRadioButton* m_replace;
    QRadioButton* m_resume;
    QLineEdit* m_confirm;
    QLabel* m_confirmLabel;
};

} // namespace ctx::ui
