#pragma once

#include "core/Error.h"

#include <QWizardPage>

class QLabel;
class QLineEdit;
class QTextBrowser;

namespace ctx::ui {

class MigrationWizard;

// Step 7: the report (HTML and JSON, URLs redacted), a button opening the target
// in the inspector and the `ctxdb migrate` command line doing the same headless.
class FinishPage : public QWizardPage {
    Q_OBJECT
public:
    explicit FinishPage(MigrationWizard* wizard);
    void initializePage() override;
    Status saveReport(const QString& path); // .html or .json by suffix
    QString commandLine() const;
    QString reportHtml() const;

private:
    void saveAs(const QString& suffix);

    MigrationWizard* m_wizard;
    QTextBrowser* m_report;
    QLineEdit* m_command;
    QLabel* m_status;
};

} // namespace ctx::ui
