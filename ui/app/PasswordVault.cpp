#include "PasswordVault.h"

#include <QMessageBox>
#include <qt6keychain/keychain.h>

namespace ctx::ui {

namespace {
const QString kService = QStringLiteral("context-studio");

PasswordVault::SaveDecision& saveDecision() {
    static PasswordVault::SaveDecision decide;
    return decide;
}

bool askToSave(QWidget* parent, const QString& key, PasswordSource source) {
    QMessageBox box(QMessageBox::Question, QObject::tr("Save the password?"),
                    QObject::tr("The password for %1 was found in %2. Save a copy in the "
                                "keychain?")
                        .arg(key, source == PasswordSource::Environment
                                      ? QStringLiteral("PGPASSWORD")
                                      : QObject::tr("the pgpass file")),
                    QMessageBox::Yes | QMessageBox::No, parent);
    box.setDefaultButton(QMessageBox::No);
    box.setObjectName(QStringLiteral("savePasswordQuestion"));
    return box.exec() == QMessageBox::Yes;
}
} // namespace

void PasswordVault::setSaveDecision(SaveDecision decide) {
    saveDecision() = std::move(decide);
}

void PasswordVault::offer(const QString& key, const QString& password, PasswordSource source) {
    if (!m_available)
        return;
    if (source == PasswordSource::Environment || source == PasswordSource::PgPassFile) {
        const bool save = saveDecision() ? saveDecision()(key, source)
                                         : askToSave(qobject_cast<QWidget*>(parent()), key, source);
        if (!save)
            return;
    }
    store(key, password);
}

PasswordVault::PasswordVault(QObject* parent)
    : QObject(parent) {}

void PasswordVault::markUnavailable(const QString& reason) {
    m_available = false;
    if (!m_told) {
        m_told = true;
        emit unavailable(reason);
    }
}

void PasswordVault::read(const QString& key, std::function<void(const QString&, bool)> done) {
    if (!m_available) {
        done({}, false);
        return;
    }
    auto* job = new QKeychain::ReadPasswordJob(kService, this);
    job->setAutoDelete(true);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this, [this, job, done](QKeychain::Job*) {
        if (job->error() == QKeychain::NoError) {
            done(job->textData(), true);
            return;
        }
        if (job->error() != QKeychain::EntryNotFound)
            markUnavailable(job->errorString());
        done({}, false);
    });
    job->start();
}

void PasswordVault::store(const QString& key, const QString& password) {
    if (!m_available)
        return;
    emit storing(key);
    auto* job = new QKeychain::WritePasswordJob(kService, this);
    job->setAutoDelete(true);
    job->setKey(key);
    job->setTextData(password);
    connect(job, &QKeychain::Job::finished, this, [this, job](QKeychain::Job*) {
        if (job->error() != QKeychain::NoError)
            markUnavailable(job->errorString());
    });
    job->start();
}

} // namespace ctx::ui
