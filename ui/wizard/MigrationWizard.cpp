#include "MigrationWizard.h"

#include "AssessPage.h"
#include "FinishPage.h"
#include "PlanPage.h"
#include "RunPage.h"
#include "SourcePage.h"
#include "TargetPage.h"
#include "VerifyPage.h"
#include "ui/app/PasswordVault.h"

#include <QMessageBox>

namespace ctx::ui {

MigrationWizard::MigrationWizard(QWidget* parent)
    : QWizard(parent)
    , m_vault(new PasswordVault(this))
    , m_source(new SourcePage(this))
    , m_target(new TargetPage(this))
    , m_assess(new AssessPage(this))
    , m_plan(new PlanPage(this))
    , m_run(new RunPage(this))
    , m_verify(new VerifyPage(this))
    , m_finish(new FinishPage(this)) {
    setWindowTitle(tr("Migrate to PostgreSQL"));
    setWizardStyle(QWizard::ModernStyle);
    setOption(QWizard::NoBackButtonOnLastPage, true);
    setOption(QWizard::NoCancelButtonOnLastPage, true);
    setPage(SourceId, m_source);
    setPage(TargetId, m_target);
    setPage(AssessId, m_assess);
    setPage(PlanId, m_plan);
    setPage(RunId, m_run);
    setPage(VerifyId, m_verify);
    setPage(FinishId, m_finish);
    setStartId(SourceId);
    resize(1100, 760);
}

void MigrationWizard::reject() {
    if (m_run->isRunning()) {
        const auto answer = QMessageBox::question(
            this, tr("Migration running"),
            tr("A migration is running. Cancel it? It stays resumable: open the wizard with "
               "the same source and target again and choose Resume."));
        if (answer != QMessageBox::Yes)
            return;
        m_run->cancelRun();
        return;
    }
    QWizard::reject();
}

} // namespace ctx::ui
