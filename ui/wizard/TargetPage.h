#pragma once

#include "core/db/DatabaseUrl.h"

#include <QWizardPage>
#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace ctx::ui {

class BackgroundJob;
class MigrationWizard;

// Step 2: the PostgreSQL target as a URL or as fields (the password goes to the
// keychain, never to settings), and "Test connection": server version, encoding,
// permissions, our tables and whether they hold data, an interrupted migration.
class TargetPage : public QWizardPage {
    Q_OBJECT
public:
    explicit TargetPage(MigrationWizard* wizard);
    // Fills the fields from a URL (its password moves to the password field).
    void setUrl(const QString& urlText);
    void setTargetUrl(const DatabaseUrl& url); // with its password, for automation
    void testConnection();
    bool isComplete() const override;
    std::optional<DatabaseUrl> currentUrl() const;
    QString resultText() const;

signals:
    void tested(bool ok);

private:
    void fieldsChanged();
    void urlEdited();
    void showProbe();

    MigrationWizard* m_wizard;
    QLineEdit* m_url;
    QLineEdit* m_host;
    QSpinBox* m_port;
    QLineEdit* m_database;
    QLineEdit* m_user;
    QLineEdit* m_password;
    QComboBox* m_sslMode;
    QPushButton* m_test;
    QLabel* m_result;
    QLabel* m_keychain;
    BackgroundJob* m_job;
    bool m_syncing = false;
};

} // namespace ctx::ui
