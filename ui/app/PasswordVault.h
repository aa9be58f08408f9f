#pragma once

#include "core/db/DatabaseUrl.h"

#include <QObject>
#include <functional>

namespace ctx::ui {

// PostgreSQL passwords in the OS keychain (QtKeychain), keyed by the redacted URL;
// never in settings files. Without a Secret Service (headless machines, CI) the
// keychain fails: the vault then says so once and the caller asks each time.
class PasswordVault : public QObject {
    Q_OBJECT
public:
    explicit PasswordVault(QObject* parent = nullptr);

    // done(password, found): found is false when nothing is stored or no keychain.
    void read(const QString& key, std::function<void(const QString&, bool)> done);
    void store(const QString& key, const QString& password);
    // Stores a password the user gave (URL, typed, keychain); one that was found in
    // PGPASSWORD or the pgpass file only when the save decision says yes.
    void offer(const QString& key, const QString& password, PasswordSource source);
    bool isAvailable() const { return m_available; }

    // Whether a password found in the environment may be copied into the keychain. The
    // default asks (QMessageBox, "No" preselected); tests install their own. An empty
    // function restores the default.
    using SaveDecision = std::function<bool(const QString& key, PasswordSource source)>;
    static void setSaveDecision(SaveDecision decide);

signals:
    // A password is handed to the keychain for `key`.
    void storing(const QString& key);
    // Emitted once, the first time the keychain turns out to be unusable.
    void unavailable(const QString& reason);

private:
    void markUnavailable(const QString& reason);
    bool m_available = true;
    bool m_told = false;
};

} // namespace ctx::ui
