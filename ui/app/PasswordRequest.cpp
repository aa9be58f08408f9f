#include "PasswordRequest.h"

#include "PasswordVault.h"
#include "RecentDatabases.h"

#include <QInputDialog>
#include <QPointer>

namespace ctx::ui {

namespace {

PasswordRequest::Prompt& prompt() {
    static PasswordRequest::Prompt p;
    return p;
}

std::optional<QString> ask(QWidget* parent, const QString& key) {
    if (prompt())
        return prompt()(parent, key);
    bool ok = false;
    const QString typed = QInputDialog::getText(parent, QObject::tr("Password"),
                                                QObject::tr("Password for %1").arg(key),
                                                QLineEdit::Password, QString(), &ok);
    return ok ? std::optional<QString>(typed) : std::nullopt;
}

} // namespace

void PasswordRequest::setPrompt(Prompt p) {
    prompt() = std::move(p);
}

void PasswordRequest::complete(QWidget* parent, PasswordVault* vault, const DatabaseUrl& given,
                               Done done) {
    DatabaseUrl url = given;
    if (!url.isPostgres() || url.hasPassword()) {
        done(url);
        return;
    }
    url.resolvePassword(); // PGPASSWORD, ~/.pgpass
    if (url.hasPassword() || !vault) {
        if (!url.hasPassword())
            if (auto typed = ask(parent, RecentDatabases::storable(url)))
                url.setPassword(*typed);
        done(url);
        return;
    }
    const QString key = RecentDatabases::storable(url);
    QPointer<QWidget> alive(parent);
    vault->read(key, [alive, parent, url, key, done](const QString& stored, bool found) {
        if (parent && !alive)
            return; // the window closed while the keychain answered
        DatabaseUrl completed = url;
        if (found)
            completed.setPassword(stored);
        else if (auto typed = ask(parent, key))
            completed.setPassword(*typed);
        done(completed);
    });
}

} // namespace ctx::ui
