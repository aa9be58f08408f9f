#pragma once

#include "WizardState.h"

#include <QWizard>

namespace ctx::ui {

class PasswordVault;
class SourcePage;
class TargetPage;
class AssessPage;
class PlanPage;
class RunPage;
class VerifyPage;
class FinishPage;

// The operator's guided path from a legacy SQLite file to a verified PostgreSQL
// database: source, target, assessment, plan, run, verification, report. Drives
// the Assessor, Migrator and DiffJob engines on worker threads; nothing touches a
// database before the user starts it on the Run page.
class MigrationWizard : public QWizard {
    Q_OBJECT
public:
    enum PageId { SourceId, TargetId, AssessId, PlanId, RunId, VerifyId, FinishId };
    explicit MigrationWizard(QWidget* parent = nullptr);

    WizardState& state() { return m_state; }
    PasswordVault* vault() const { return m_vault; }

    SourcePage* sourcePage() const { return m_source; }
    TargetPage* targetPage() const { return m_target; }
    AssessPage* assessPage() const { return m_assess; }
    PlanPage* planPage() const { return m_plan; }
    RunPage* runPage() const { return m_run; }
    VerifyPage* verifyPage() const { return m_verify; }
    FinishPage* finishPage() const { return m_finish; }

signals:
    // The user asks to open the migrated target in the inspector (URL text
    // without password; the password is in the keychain or asked for).
    void openInInspector(const QString& urlText);

protected:
    void reject() override;

private:
    WizardState m_state;
    PasswordVault* m_vault;
    SourcePage* m_source;
    TargetPage* m_target;
    AssessPage* m_assess;
    PlanPage* m_plan;
    RunPage* m_run;
    VerifyPage* m_verify;
    FinishPage* m_finish;
};

} // namespace ctx::ui
