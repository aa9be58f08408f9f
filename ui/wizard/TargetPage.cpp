#include "TargetPage.h"

#include "BackgroundJob.h"
#include "MigrationWizard.h"
#include "WizardFormat.h"
#include "core/inspect/TargetProbe.h"
#include "ui/app/PasswordVault.h"
#include "ui/app/RecentDatabases.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QUrl>
#include <QVBoxLayout>

namespace ctx::ui {

TargetPage::TargetPage(MigrationWizard* wizard)
    : QWizardPage(wizard)
    , m_wizard(wizard)
    , m_url(new QLineEdit)
    , m_host(new QLineEdit(QStringLiteral("localhost")))
    , m_port(new QSpinBox)
    , m_database(new QLineEdit)
    , m_user(new QLineEdit)
    , m_password(new QLineEdit)
    , m_sslMode(new QComboBox)
    , m_test(new QPushButton(tr("Test connection")))
    , m_result(new QLabel)
    , m_keychain(new QLabel)
    , m_job(new BackgroundJob(this)) {
    setTitle(tr("Target: the PostgreSQL database"));
    setSubTitle(tr("Paste a DATABASE_URL or fill in the fields. Testing only reads."));
    m_url->setPlaceholderText(
        QStringLiteral("postgresql://user@host:5432/database?sslmode=prefer"));
    m_port->setRange(1, 65535);
    m_port->setValue(5432);
    m_password->setEchoMode(QLineEdit::Password);
    m_sslMode->addItems({QStringLiteral("disable"), QStringLiteral("allow"),
                         QStringLiteral("prefer"), QStringLiteral("require"),
                         QStringLiteral("verify-ca"), QStringLiteral("verify-full")});
    m_sslMode->setCurrentText(QStringLiteral("prefer"));
    m_result->setTextFormat(Qt::RichText);
    m_result->setWordWrap(true);
    m_result->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_keychain->setWordWrap(true);
    auto* form = new QFormLayout;
    form->addRow(tr("URL"), m_url);
    form->addRow(tr("Host"), m_host);
    form->addRow(tr("Port"), m_port);
    form->addRow(tr("Database"), m_database);
    form->addRow(tr("User"), m_user);
    form->addRow(tr("Password"), m_password);
    form->addRow(tr("TLS (sslmode)"), m_sslMode);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_keychain);
    layout->addWidget(m_test, 0, Qt::AlignLeft);
    layout->addWidget(m_result, 1);

    connect(m_url, &QLineEdit::editingFinished, this, &TargetPage::urlEdited);
    for (QLineEdit* e : {m_host, m_database, m_user, m_password})
        connect(e, &QLineEdit::textEdited, this, &TargetPage::fieldsChanged);
    connect(m_port, &QSpinBox::valueChanged, this, &TargetPage::fieldsChanged);
    connect(m_sslMode, &QComboBox::currentTextChanged, this, &TargetPage::fieldsChanged);
    connect(m_test, &QPushButton::clicked, this, &TargetPage::testConnection);
    connect(m_wizard->vault(), &PasswordVault::unavailable, this, [this](const QString& reason) {
        m_keychain->setText(tr("No keychain available (%1): the password is kept only while "
                               "this window is open.")
                                .arg(reason));
    });
}

void TargetPage::setUrl(const QString& urlText) {
    m_url->setText(urlText);
    urlEdited();
}

void TargetPage::setTargetUrl(const DatabaseUrl& url) {
    m_syncing = true;
    m_host->setText(url.host());
    m_port->setValue(url.port());
    m_database->setText(url.database());
    m_user->setText(url.user());
    m_sslMode->setCurrentText(url.sslMode());
    m_password->setText(url.password());
    m_syncing = false;
    fieldsChanged();
}

void TargetPage::urlEdited() {
    if (m_syncing || m_url->text().trimmed().isEmpty())
        return;
    if (const auto current = currentUrl();
        current && current->redacted().replace(QStringLiteral(":***@"), QStringLiteral("@")) ==
                       m_url->text().trimmed())
        return; // editingFinished also fires on focus loss: nothing changed
    auto url = DatabaseUrl::parse(m_url->text().trimmed());
    if (!url || !url->isPostgres()) {
        m_result->setText(QStringLiteral("<span style='color:#b00020'>%1</span>")
                              .arg(htmlEscape(url ? tr("the target must be a PostgreSQL URL "
                                                       "(postgresql://…)")
                                                  : url.error().oneLine())));
        return;
    }
    m_syncing = true;
    m_host->setText(url->host());
    m_port->setValue(url->port());
    m_database->setText(url->database());
    m_user->setText(url->user());
    m_sslMode->setCurrentText(url->sslMode());
    if (url->hasPassword())
        m_password->setText(url->password());
    m_syncing = false;
    fieldsChanged(); // shows the URL without its password
    if (!url->hasPassword() && m_password->text().isEmpty()) {
        const QString key = RecentDatabases::storable(*url);
        m_wizard->vault()->read(key, [this](const QString& pw, bool found) {
            if (found && m_password->text().isEmpty()) {
                m_password->setText(pw);
                m_keychain->setText(tr("Password taken from the keychain."));
            }
        });
    }
}

std::optional<DatabaseUrl> TargetPage::currentUrl() const {
    QString text = QStringLiteral("postgresql://%1@%2:%3/%4?sslmode=%5")
                       .arg(QString::fromUtf8(QUrl::toPercentEncoding(m_user->text())),
                            QString::fromUtf8(QUrl::toPercentEncoding(m_host->text())))
                       .arg(m_port->value())
                       .arg(QString::fromUtf8(QUrl::toPercentEncoding(m_database->text())),
                            m_sslMode->currentText());
    auto url = DatabaseUrl::parse(text);
    if (!url || m_database->text().isEmpty())
        return std::nullopt;
    if (!m_password->text().isEmpty())
        url->setPassword(m_password->text());
    return *url;
}

void TargetPage::fieldsChanged() {
    if (m_syncing)
        return;
    m_wizard->state().probe.reset();
    m_wizard->state().target.reset();
    m_result->clear();
    if (auto url = currentUrl()) {
        m_syncing = true;
        m_url->setText(url->redacted().replace(QStringLiteral(":***@"), QStringLiteral("@")));
        m_syncing = false;
    }
    emit completeChanged();
}

void TargetPage::testConnection() {
    auto url = currentUrl();
    if (!url) {
        m_result->setText(tr("Fill in at least host and database, or paste a URL."));
        return;
    }
    if (m_job->isRunning())
        return;
    m_test->setEnabled(false);
    m_result->setText(tr("Connecting to %1…").arg(htmlEscape(url->redacted())));
    const DatabaseUrl target = *url;
    m_job->start([this, target] {
        auto probe = TargetProbe::probe(target);
        m_job->finish([this, target, probe] {
            m_test->setEnabled(true);
            if (!probe) {
                m_result->setText(
                    QStringLiteral("<span style='color:#b00020'>%1</span><br>%2")
                        .arg(htmlEscape(probe.error().oneLine()),
                             tr("Check host, port, user and password, that the server accepts "
                                "connections from here (pg_hba.conf) and that the database "
                                "exists (createdb).")));
                emit tested(false);
                return;
            }
            m_wizard->state().target = target;
            m_wizard->state().probe = *probe;
            if (target.hasPassword())
                m_wizard->vault()->store(RecentDatabases::storable(target), target.password());
            showProbe();
            emit completeChanged();
            emit tested(true);
        });
    });
}

void TargetPage::showProbe() {
    const auto& p = *m_wizard->state().probe;
    QString html = QStringLiteral("<table cellspacing=5>");
    auto row = [&html](const QString& k, const QString& v) {
        html += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>").arg(k, v);
    };
    auto yes = [](bool b) { return b ? QStringLiteral("yes") : QStringLiteral("<b>no</b>"); };
    row(tr("Server"), tr("PostgreSQL %1").arg(htmlEscape(p.serverVersion)));
    row(tr("Encoding"), htmlEscape(p.encoding));
    row(tr("User"), QStringLiteral("%1%2").arg(htmlEscape(p.user),
                                               p.superuser ? tr(" (superuser)") : QString()));
    row(tr("May create tables"), yes(p.canCreateInSchema));
    row(tr("Database size"), formatBytes(p.databaseBytes));
    row(tr("Free disk space"), htmlEscape(p.freeSpace));
    const QStringList ours = p.state.tables;
    row(tr("Context Studio tables"),
        ours.isEmpty() ? tr("none (a fresh target)") : htmlEscape(ours.join(QStringLiteral(", "))));
    row(tr("Holding data"),
        p.state.nonEmptyTables.isEmpty()
            ? tr("no")
            : QStringLiteral("<b>%1</b>")
                  .arg(htmlEscape(p.state.nonEmptyTables.join(QStringLiteral(", ")))));
    if (p.state.unfinishedTransfer)
        row(tr("Interrupted migration"), tr("<b>yes</b>, of %1 — the plan offers Resume")
                                             .arg(htmlEscape(p.unfinishedSourcePath)));
    html += QStringLiteral("</table>");
    for (const QString& problem : p.problems)
        html += QStringLiteral("<p style='color:#b00020'>%1</p>").arg(htmlEscape(problem));
    if (p.problems.isEmpty())
        html += tr("<p style='color:#1b7f3b'><b>Connection OK.</b></p>");
    m_result->setText(html);
}

bool TargetPage::isComplete() const {
    const auto& p = m_wizard->state().probe;
    return p.has_value() && p->problems.isEmpty();
}

QString TargetPage::resultText() const {
    return m_result->text();
}

} // namespace ctx::ui
