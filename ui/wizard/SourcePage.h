#pragma once

#include <QWizardPage>

class QLabel;
class QLineEdit;
class QListWidget;

namespace ctx::ui {

class BackgroundJob;
class MigrationWizard;

// Step 1: the legacy file, typed, browsed or picked from the ones found in the
// server's default locations; shows its version, size, row counts and WAL state.
class SourcePage : public QWizardPage {
    Q_OBJECT
public:
    explicit SourcePage(MigrationWizard* wizard);
    void setPath(const QString& path);
    bool isComplete() const override;
    QString infoText() const;
    QString errorText() const;

signals:
    void loaded();
    void failed(const QString& message);

private:
    void load();
    void discover();

    MigrationWizard* m_wizard;
    QLineEdit* m_path;
    QListWidget* m_found;
    QLabel* m_info;
    QLabel* m_error;
    BackgroundJob* m_job;
    QString m_pending;
};

} // namespace ctx::ui
