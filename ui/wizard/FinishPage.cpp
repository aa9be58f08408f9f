#include "FinishPage.h"

#include "MigrationWizard.h"
#include "ReportExport.h"
#include "ui/app/RecentDatabases.h"

#include <QApplication>
#include <QClipboard>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace ctx::ui {

FinishPage::FinishPage(MigrationWizard* wizard)
    : QWizardPage(wizard)
    , m_wizard(wizard)
    , m_report(new QTextBrowser)
    , m_command(new QLineEdit)
    , m_status(new QLabel) {
    setTitle(tr("Finish"));
    setSubTitle(tr("The migration report. Passwords never appear in it."));
    m_command->setReadOnly(true);
    m_command->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    auto* saveHtml = new QPushButton(tr("Save report HTML…"));
    auto* saveJson = new QPushButton(tr("Save report JSON…"));
    auto* open = new QPushButton(tr("Open target in the inspector"));
    auto* copy = new QPushButton(tr("Copy"));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(saveHtml);
    buttons->addWidget(saveJson);
    buttons->addStretch(1);
    buttons->addWidget(open);
    auto* command = new QHBoxLayout;
    command->addWidget(m_command, 1);
    command->addWidget(copy);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_report, 1);
    layout->addWidget(new QLabel(tr("The same migration without the window:")));
    layout->addLayout(command);
    layout->addLayout(buttons);
    layout->addWidget(m_status);
    connect(saveHtml, &QPushButton::clicked, this, [this] { saveAs(QStringLiteral("html")); });
    connect(saveJson, &QPushButton::clicked, this, [this] { saveAs(QStringLiteral("json")); });
    connect(copy, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(m_command->text()); });
    connect(open, &QPushButton::clicked, this, [this] {
        const auto& target = m_wizard->state().target;
        if (target)
            emit m_wizard->openInInspector(RecentDatabases::storable(*target));
    });
}

void FinishPage::initializePage() {
    m_report->setHtml(ReportExport::migrationHtml(m_wizard->state()));
    m_command->setText(commandLine());
    m_command->setCursorPosition(0);
}

QString FinishPage::commandLine() const {
    return m_wizard->state().commandLine();
}

QString FinishPage::reportHtml() const {
    return ReportExport::migrationHtml(m_wizard->state());
}

Status FinishPage::saveReport(const QString& path) {
    const QByteArray bytes =
        path.endsWith(QStringLiteral(".json"))
            ? QJsonDocument(ReportExport::migrationJson(m_wizard->state())).toJson()
            : reportHtml().toUtf8();
    return ReportExport::write(path, bytes);
}

void FinishPage::saveAs(const QString& suffix) {
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save report"), QStringLiteral("migration-report.%1").arg(suffix),
        suffix == QLatin1String("json") ? tr("JSON (*.json)") : tr("HTML (*.html)"));
    if (path.isEmpty())
        return;
    auto ok = saveReport(path);
    m_status->setText(ok ? tr("Saved %1").arg(path) : ok.error().oneLine());
}

} // namespace ctx::ui
