#pragma once

#include "core/db/DatabaseUrl.h"

#include <QString>
#include <functional>
#include <optional>

class QWidget;

namespace ctx::ui {

class PasswordVault;

// Completes a PostgreSQL URL's password before any view connects: the URL's own, then
// PGPASSWORD or the pgpass file, then the keychain, else a masked dialog. The inspector,
// the compare view and the schema migrations view all ask this way.
class PasswordRequest {
public:
    using Done = std::function<void(const DatabaseUrl&)>;
    // Calls `done` (now, or once the keychain answered; never after `parent` is gone) with
    // the URL to connect with; without a password when the user cancels the dialog, as
    // trust or peer authentication may still let them in. SQLite files pass through.
    static void complete(QWidget* parent, PasswordVault* vault, const DatabaseUrl& url, Done done);

    // The dialog: the typed password, or nothing when cancelled. Tests install their own;
    // an empty function restores the QInputDialog.
    using Prompt = std::function<std::optional<QString>(QWidget* parent, const QString& key)>;
    static void setPrompt(Prompt prompt);
};

} // namespace ctx::ui
