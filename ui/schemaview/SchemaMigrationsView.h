#pragma once

#include "core/schema/SchemaMigrator.h"

#include <QWidget>
#include <optional>

class QCheckBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;

namespace ctx::ui {

class BackgroundJob;
class PasswordVault;
class UrlField;

// The schema migrations of one database: current version and quirks, the pending
// scripts with their SQL, Apply (for SQLite after a verified backup, whose path is
// shown and must be acknowledged), and the history with checksums and durations.
// Status reads only; Apply is the one explicit step that writes.
class SchemaMigrationsView : public QWidget {
    Q_OBJECT
public:
    explicit SchemaMigrationsView(QWidget* parent = nullptr);
    // As typed: a password in the URL is kept but never shown.
    void setDatabase(const QString& urlText);
    // With its password (the inspector's open database).
    void setDatabase(const DatabaseUrl& url);
    // Asks for a missing PostgreSQL password (keychain, then a dialog), then reads.
    void refresh();
    void apply();
    bool canApply() const;
    void acknowledgeBackup(bool yes);
    const std::optional<SchemaStatus>& status() const { return m_status; }
    QString messageText() const;
    QString summaryText() const;
    QTableWidget* history() const { return m_history; }
    QListWidget* pending() const { return m_pending; }

signals:
    void loaded(bool ok);
    void applied(bool ok);

private:
    void showStatus();
    void updateApply();
    std::optional<DatabaseUrl> url() const;
    void read(const DatabaseUrl& url);

    UrlField* m_url;
    PasswordVault* m_vault;
    QLabel* m_summary;
    QListWidget* m_pending;
    QPlainTextEdit* m_sql;
    QLineEdit* m_backupPath;
    QCheckBox* m_backupAck;
    QLabel* m_backupLabel;
    QPushButton* m_apply;
    QTableWidget* m_history;
    QLabel* m_message;
    BackgroundJob* m_job;
    std::optional<SchemaStatus> m_status;
};

} // namespace ctx::ui
