#include "VerifyPage.h"

#include "BackgroundJob.h"
#include "MigrationWizard.h"
#include "WizardFormat.h"
#include "core/compare/DiffJob.h"
#include "ui/compare/DiffSummaryTable.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace ctx::ui {

VerifyPage::VerifyPage(MigrationWizard* wizard)
    : QWizardPage(wizard)
    , m_wizard(wizard)
    , m_verdict(new QLabel)
    , m_progress(new QProgressBar)
    , m_again(new QPushButton(tr("Verify again")))
    , m_cancel(new QPushButton(tr("Cancel")))
    , m_table(new DiffSummaryTable)
    , m_job(new BackgroundJob(this)) {
    setTitle(tr("Verify"));
    setSubTitle(tr("Every row of the source compared with the target by the migration's value "
                   "rules; differences recorded as rejects count as explained."));
    m_verdict->setWordWrap(true);
    m_verdict->setTextFormat(Qt::RichText);
    auto* bar = new QHBoxLayout;
    bar->addWidget(m_progress, 1);
    bar->addWidget(m_cancel);
    bar->addWidget(m_again);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_verdict);
    layout->addLayout(bar);
    layout->addWidget(m_table, 1);
    connect(m_again, &QPushButton::clicked, this, &VerifyPage::startVerify);
    connect(m_cancel, &QPushButton::clicked, this, &VerifyPage::cancel);
}

VerifyPage::~VerifyPage() {
    cancel();
}

void VerifyPage::initializePage() {
    if (!m_wizard->state().verification)
        startVerify(); // reads both sides only
}

void VerifyPage::startVerify() {
    WizardState& s = m_wizard->state();
    if (m_job->isRunning() || !s.source || !s.target)
        return;
    s.verification.reset();
    m_green = false;
    m_table->setRowCount(0);
    m_again->setEnabled(false);
    m_cancel->setEnabled(true);
    m_progress->setRange(0, 0);
    m_verdict->setText(tr("Comparing %1 with %2…")
                           .arg(htmlEscape(s.sourcePath()), htmlEscape(s.target->redacted())));
    emit completeChanged();
    DiffOptions o;
    o.a = DatabaseUrl::sqliteFile(s.sourcePath());
    o.b = *s.target;
    o.jobs = s.jobs;
    m_diff = std::make_shared<DiffJob>(o);
    auto diff = m_diff;
    m_job->start([this, diff] {
        diff->setProgressCallback([this](const DiffProgress& p) {
            m_job->post([this, p] {
                if (p.chunksTotal > 0) {
                    m_progress->setRange(0, int(p.chunksTotal));
                    m_progress->setValue(int(p.chunksDone));
                }
            });
        });
        auto report = diff->run();
        m_job->finish([this, report] {
            m_cancel->setEnabled(false);
            m_again->setEnabled(true);
            m_progress->setRange(0, 1);
            m_progress->setValue(1);
            if (!report) {
                m_verdict->setText(QStringLiteral("<span style='color:#b00020'>%1</span> — %2")
                                       .arg(htmlEscape(report.error().oneLine()),
                                            tr("press Verify again to retry.")));
                emit completeChanged();
                emit verified(false);
                return;
            }
            m_wizard->state().verification = *report;
            m_table->setReport(*report);
            m_green = report->equal();
            qint64 explained = 0;
            for (const TableDiff& t : report->tables)
                explained += t.explained;
            m_verdict->setText(
                m_green ? tr("<p style='color:#1b7f3b;font-size:large'><b>✔ Verified: no "
                             "unexplained difference</b> (%1 rows differ only as recorded in "
                             "ctx_migration_rejects).</p>")
                              .arg(formatCount(explained))
                        : tr("<p style='color:#b00020;font-size:large'><b>✘ %1 unexplained "
                             "differing rows, %2 schema differences.</b> Open Compare databases… "
                             "to see them row by row.</p>")
                              .arg(formatCount(report->unexplainedRows()))
                              .arg(report->schemaDifferences()));
            emit completeChanged();
            emit verified(m_green);
        });
    });
}

void VerifyPage::cancel() {
    if (m_diff)
        m_diff->cancel();
    m_job->cancel();
}

bool VerifyPage::isComplete() const {
    return m_wizard->state().verification.has_value(); // reset when a run starts
}

QString VerifyPage::verdictText() const {
    return m_verdict->text();
}

bool VerifyPage::verdictGreen() const {
    return m_green;
}

} // namespace ctx::ui
