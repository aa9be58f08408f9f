#include "PasswordVault.h"

#include <qt6keychain/keychain.h>

namespace ctx::ui {

namespace {
const QString kService = QStringLiteral("context-studio");
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
