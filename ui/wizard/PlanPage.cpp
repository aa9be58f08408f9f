#include "PlanPage.h"

#include "MigrationWizard.h"
#include "WizardFormat.h"
#include "core/schema/MigrationCatalog.h"
#include "core/schema/ServerSchema.h"
#include "core/values/TableSpec.h"

#include <QButtonGroup>
#include <QFontDatabase>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QRadioButton>
#include <QVBoxLayout>

namespace ctx::ui {

PlanPage::PlanPage(MigrationWizard* wizard)
    : QWizardPage(wizard)
    , m_wizard(wizard)
    , m_summary(new QLabel)
    , m_sql(new QPlainTextEdit)
    , m_order(new QLabel)
    , m_fresh(new QRadioButton(tr("Fresh: load into an empty target")))
    , m_replace(new QRadioButton(tr("Replace: drop Context Studio's tables in the target and "
                                    "load again")))
    , m_resume(new QRadioButton(tr("Resume the interrupted migration from its checkpoints")))
    , m_confirm(new QLineEdit)
    , m_confirmLabel(new QLabel) {
    setTitle(tr("Plan"));
    setSubTitle(tr("Nothing has been written yet. The run starts only when you press Start on "
                   "the next page."));
    m_summary->setWordWrap(true);
    m_order->setWordWrap(true);
    m_sql->setReadOnly(true);
    m_sql->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_sql->setLineWrapMode(QPlainTextEdit::NoWrap);
    auto* group = new QButtonGroup(this);
    auto* modes = new QGroupBox(tr("Target"));
    auto* modeLayout = new QVBoxLayout(modes);
    for (QRadioButton* b : {m_fresh, m_replace, m_resume}) {
        group->addButton(b);
        modeLayout->addWidget(b);
    }
    m_confirm->setPlaceholderText(tr("type the database name to confirm"));
    modeLayout->addWidget(m_confirmLabel);
    modeLayout->addWidget(m_confirm);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(modes);
    layout->addWidget(m_order);
    layout->addWidget(new QLabel(tr("Schema SQL that will run:")));
    layout->addWidget(m_sql, 1);
    for (QRadioButton* b : {m_fresh, m_replace, m_resume})
        connect(b, &QRadioButton::toggled, this, &PlanPage::update);
    connect(m_confirm, &QLineEdit::textChanged, this, &PlanPage::update);
}

void PlanPage::initializePage() {
    const WizardState& s = m_wizard->state();
    const bool holdsData = s.probe && !s.probe->state.nonEmptyTables.isEmpty();
    const bool resumable = s.resumable();
    const bool adopted = s.probe && s.probe->survey.serverTables;
    const QStringList dependents = s.probe ? s.probe->survey.dependents : QStringList();
    m_resume->setEnabled(resumable);
    m_fresh->setEnabled(!holdsData && dependents.isEmpty() &&
                        !(s.probe && s.probe->state.unfinishedTransfer));
    m_replace->setText(adopted ? tr("Replace: empty the server's tables (every table, view, "
                                    "index, trigger and constraint kept) and load again")
                               : tr("Replace: drop Context Studio's tables in the target and "
                                    "load again"));
    if (resumable)
        m_resume->setChecked(true);
    else if (m_fresh->isEnabled())
        m_fresh->setChecked(true);
    else
        m_replace->setChecked(true);
    const QString db = s.target ? s.target->database() : QString();
    m_confirmLabel->setText(
        tr("Replace deletes the data now in <b>%1</b>. Type <b>%1</b> to confirm:")
            .arg(htmlEscape(db)));
    QString summary = tr("From <b>%1</b> to <b>%2</b>.")
                          .arg(htmlEscape(s.sourcePath()),
                               htmlEscape(s.target ? s.target->redacted() : QString()));
    if (resumable)
        summary += tr(" The target holds an interrupted migration of this file: Resume continues "
                      "where it stopped.");
    else if (holdsData)
        summary += tr(" The target already holds data (%1): a fresh load is not possible; replace "
                      "it or go Back and choose an empty database.")
                       .arg(htmlEscape(s.probe->state.nonEmptyTables.join(QStringLiteral(", "))));
    if (adopted)
        summary += tr(" The target's tables were made by the server's own schema file: the rows "
                      "are loaded into them and none of its objects is dropped or changed.");
    if (s.probe && !s.probe->survey.operatorObjects.isEmpty())
        summary += tr("<br>Your own objects (kept): %1.")
                       .arg(htmlEscape(s.probe->survey.operatorObjects.join(QStringLiteral(", "))));
    if (!dependents.isEmpty())
        summary += tr("<br><b>Objects of yours depend on the tables the migration loads:</b> %1. "
                      "A fresh load is refused beside them; Replace %2.")
                       .arg(htmlEscape(dependents.join(QStringLiteral(", "))),
                            adopted ? tr("keeps views over them but is refused while a table of "
                                         "yours has a foreign key into them")
                                    : tr("is refused until they are dropped: it never drops "
                                         "what Context Studio did not create"));
    m_summary->setText(summary);
    QStringList order;
    for (const TableSpec& t : sharedContextTables())
        order << t.name;
    m_order->setText(tr("Table order: %1 (big tables split into row ranges loaded by %2 "
                        "workers), then indexes, then a row count check per table.")
                         .arg(order.join(QStringLiteral(" → ")))
                         .arg(s.jobs));
    QString sql;
    for (const MigrationScript& m : MigrationCatalog::forEngine(Engine::Postgres)) {
        if (adopted && m.version <= ServerSchema::kProvidedThrough) {
            sql += tr("-- version %1 (%2): the server's own objects are there already; not run\n\n")
                       .arg(m.version)
                       .arg(m.name);
            continue;
        }
        sql += QStringLiteral("-- %1 version %2: %3 (%4)\n")
                   .arg(m.version <= 3 ? tr("before the load,") : tr("after the load,"))
                   .arg(m.version)
                   .arg(m.name, m.description);
        sql += QString::fromUtf8(m.sql).trimmed() + QStringLiteral("\n\n");
    }
    m_sql->setPlainText(sql);
    update();
}

void PlanPage::update() {
    const bool replace = m_replace->isChecked();
    m_confirm->setVisible(replace);
    m_confirmLabel->setVisible(replace);
    WizardState& s = m_wizard->state();
    s.mode = m_resume->isChecked()    ? TransferMode::Resume
             : m_replace->isChecked() ? TransferMode::Replace
                                      : TransferMode::Fresh;
    emit completeChanged();
}

bool PlanPage::isComplete() const {
    const WizardState& s = m_wizard->state();
    if (m_replace->isChecked())
        return s.target && m_confirm->text() == s.target->database();
    return (m_fresh->isChecked() && m_fresh->isEnabled()) ||
           (m_resume->isChecked() && m_resume->isEnabled());
}

bool PlanPage::validatePage() {
    update();
    return isComplete();
}

void PlanPage::chooseFresh() {
    m_fresh->setChecked(true);
}

void PlanPage::chooseResume() {
    m_resume->setChecked(true);
}

void PlanPage::chooseReplace(const QString& confirmation) {
    m_replace->setChecked(true);
    m_confirm->setText(confirmation);
}

bool PlanPage::resumeOffered() const {
    return m_resume->isEnabled();
}

QString PlanPage::summaryText() const {
    return m_summary->text();
}

QString PlanPage::sqlText() const {
    return m_sql->toPlainText();
}

} // namespace ctx::ui
