#include "OpenDialog.h"

#include "core/db/DatabaseUrl.h"
#include "core/inspect/DatabaseDiscovery.h"
#include "ui/app/RecentDatabases.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace ctx::ui {

OpenDialog::OpenDialog(QWidget* parent)
    : QDialog(parent)
    , m_url(new QLineEdit)
    , m_description(new QLabel)
    , m_known(new QListWidget)
    , m_write(new QCheckBox(tr("Open in write mode (default: read-only, nothing is written)"))) {
    setWindowTitle(tr("Open a database"));
    m_url->setPlaceholderText(
        tr("chat_history.db, sqlite:///./chat_history.db or postgresql://user@host/db"));
    m_url->setClearButtonEnabled(true);
    m_description->setWordWrap(true);
    auto* browse = new QPushButton(tr("File…"));
    auto* row = new QHBoxLayout;
    row->addWidget(m_url, 1);
    row->addWidget(browse);

    const QStringList recent = RecentDatabases::list();
    for (const QString& r : recent) {
        auto* item = new QListWidgetItem(tr("%1   (recent)").arg(r), m_known);
        item->setData(Qt::UserRole, r);
    }
    for (const DiscoveredDatabase& d :
         DatabaseDiscovery::discover(DatabaseDiscovery::systemEnvironment())) {
        auto url = DatabaseUrl::parse(d.urlText);
        const QString shown = url ? RecentDatabases::storable(*url) : d.urlText;
        if (recent.contains(shown))
            continue;
        auto* item = new QListWidgetItem(tr("%1   (found: %2)").arg(shown, d.origin), m_known);
        item->setData(Qt::UserRole, d.urlText); // may carry a .env password, never shown
    }
    if (m_known->count() == 0)
        new QListWidgetItem(tr("No recent or discovered databases"), m_known);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Open | QDialogButtonBox::Cancel);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("File or URL (paste a server's DATABASE_URL):")));
    layout->addLayout(row);
    layout->addWidget(m_description);
    layout->addWidget(new QLabel(tr("Recent and discovered:")));
    layout->addWidget(m_known, 1);
    layout->addWidget(m_write);
    layout->addWidget(buttons);
    resize(640, 420);

    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_url, &QLineEdit::textChanged, this, &OpenDialog::updateDescription);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Open a SQLite database"), QString(),
            tr("SQLite databases (*.db *.sqlite *.sqlite3);;All files (*)"));
        if (!path.isEmpty())
            m_url->setText(path);
    });
    connect(m_known, &QListWidget::currentItemChanged, this, [this](QListWidgetItem* item) {
        if (item && item->data(Qt::UserRole).isValid())
            m_url->setText(item->data(Qt::UserRole).toString());
    });
    connect(m_known, &QListWidget::itemActivated, this, [this](QListWidgetItem* item) {
        if (item->data(Qt::UserRole).isValid())
            accept();
    });
    updateDescription();
}

QString OpenDialog::describe(const QString& text) {
    if (text.trimmed().isEmpty())
        return tr("Type a path or URL.");
    auto url = DatabaseUrl::parse(text.trimmed());
    if (!url)
        return url.error().oneLine();
    if (url->isSqlite())
        return tr("SQLite file %1").arg(url->filePath());
    return tr("PostgreSQL database %1 on %2:%3 as %4 · TLS mode: %5%6")
        .arg(url->database(), url->host().isEmpty() ? tr("local socket") : url->host())
        .arg(url->port())
        .arg(url->user().isEmpty() ? tr("(default user)") : url->user(), url->sslMode(),
             url->hasPassword() ? tr(" · password given") : QString());
}

void OpenDialog::updateDescription() {
    m_description->setText(describe(m_url->text()));
}

QString OpenDialog::urlText() const {
    return m_url->text().trimmed();
}

bool OpenDialog::writeMode() const {
    return m_write->isChecked();
}

void OpenDialog::setUrlText(const QString& text) {
    m_url->setText(text);
}

} // namespace ctx::ui
