#include "RunPage.h"

#include "BackgroundJob.h"
#include "MigrationWizard.h"
#include "WizardFormat.h"
#include "core/transfer/Migrator.h"

#include <QDateTime>
#include <QFontDatabase>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace ctx::ui {

RunPage::RunPage(MigrationWizard* wizard)
    : QWizardPage(wizard)
    , m_wizard(wizard)
    , m_status(new QLabel)
    , m_grid(new QGridLayout)
    , m_overall(new QProgressBar)
    , m_overallLabel(new QLabel)
    , m_log(new QPlainTextEdit)
    , m_start(new QPushButton(tr("Start migration")))
    , m_cancel(new QPushButton(tr("Cancel")))
    , m_job(new BackgroundJob(this)) {
    setTitle(tr("Run"));
    setSubTitle(tr("Cancel stops after the current batch; everything committed so far stays "
                   "and the run can be resumed."));
    m_status->setWordWrap(true);
    m_log->setReadOnly(true);
    m_log->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_log->setMaximumBlockCount(5000);
    m_overall->setRange(0, 1000);
    m_cancel->setEnabled(false);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_start);
    buttons->addWidget(m_cancel);
    buttons->addStretch(1);
    auto* overall = new QHBoxLayout;
    overall->addWidget(new QLabel(tr("Overall")));
    overall->addWidget(m_overall, 1);
    overall->addWidget(m_overallLabel);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(m_status);
    layout->addLayout(m_grid);
    layout->addLayout(overall);
    layout->addWidget(m_log, 1);
    connect(m_start, &QPushButton::clicked, this, &RunPage::startRun);
    connect(m_cancel, &QPushButton::clicked, this, &RunPage::cancelRun);
}

void RunPage::initializePage() {
    if (isRunning())
        return;
    buildTableRows();
    const WizardState& s = m_wizard->state();
    m_start->setText(s.mode == TransferMode::Resume    ? tr("Resume migration")
                     : s.mode == TransferMode::Replace ? tr("Replace and migrate")
                                                       : tr("Start migration"));
    m_start->setEnabled(!s.summary || !s.summary->ok);
    m_status->setText(
        tr("Ready: %1 → %2. Press %3 to begin.")
            .arg(s.sourcePath(), s.target ? s.target->redacted() : QString(), m_start->text()));
}

void RunPage::buildTableRows() {
    while (QLayoutItem* item = m_grid->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    m_rows.clear();
    m_tableOrder.clear();
    const auto& src = m_wizard->state().source;
    if (!src)
        return;
    int r = 0;
    for (auto [table, rows] : src->rows) {
        const auto& assessed = m_wizard->state().assessment;
        for (const TableAssessment& t : assessed ? assessed->tables : QList<TableAssessment>())
            if (rows == -2 && t.name == table) // damaged: what --salvage reads
                rows = t.rows;
        if (rows < 0)
            continue;
        TableRow row;
        row.bar = new QProgressBar;
        row.bar->setRange(0, 1000);
        row.bar->setValue(0);
        row.bar->setFormat(QStringLiteral("0 / %1").arg(formatCount(rows)));
        row.rate = new QLabel(QStringLiteral("–"));
        row.eta = new QLabel(QStringLiteral("–"));
        row.rate->setMinimumWidth(110);
        row.eta->setMinimumWidth(110);
        row.total = rows;
        m_grid->addWidget(new QLabel(table), r, 0);
        m_grid->addWidget(row.bar, r, 1);
        m_grid->addWidget(row.rate, r, 2);
        m_grid->addWidget(row.eta, r, 3);
        m_grid->setColumnStretch(1, 1);
        m_rows.insert(table, row);
        m_tableOrder << table;
        ++r;
    }
    updateOverall();
}

bool RunPage::isRunning() const {
    return m_job->isRunning();
}

void RunPage::startRun() {
    if (isRunning())
        return;
    WizardState& s = m_wizard->state();
    if (!s.source || !s.target)
        return;
    s.summary.reset();
    s.verification.reset();
    buildTableRows();
    m_start->setEnabled(false);
    m_cancel->setEnabled(true);
    m_clock.start();
    s.runStarted = QDateTime::currentDateTimeUtc();
    log(tr("Starting (%1): %2").arg(m_start->text(), s.commandLine()));
    m_status->setText(tr("Running…"));
    emit completeChanged();
    MigrateOptions o;
    o.sourcePath = s.sourcePath();
    o.target = *s.target;
    o.resume = s.mode == TransferMode::Resume;
    o.replace = s.mode == TransferMode::Replace;
    o.salvage = s.salvage;
    o.jobs = s.jobs;
    o.limits = s.limits;
    m_job->start([this, o]() mutable {
        o.cancel = m_job->cancelFlag();
        o.onEvent = [this](const MigrateEvent& e) { m_job->post([this, e] { onEvent(e); }); };
        auto result = Migrator::run(o);
        m_job->finish([this, result] { onFinished(result); });
    });
}

void RunPage::cancelRun() {
    if (!isRunning())
        return;
    m_job->cancel();
    m_cancel->setEnabled(false);
    log(tr("Cancelling after the current batch…"));
}

void RunPage::onEvent(const MigrateEvent& e) {
    if (e.type == MigrateEvent::Type::Phase) {
        log(QStringLiteral("[%1] %2").arg(e.phase, e.message));
        return;
    }
    auto it = m_rows.find(e.table);
    if (it == m_rows.end())
        return;
    TableRow& row = *it;
    const qint64 now = m_clock.elapsed();
    if (row.firstDone < 0) {
        row.firstDone = row.done;
        row.firstMs = now;
    }
    row.done = e.done;
    row.total = std::max(row.total, e.total);
    row.bar->setValue(row.total > 0 ? int(1000.0 * double(row.done) / double(row.total)) : 1000);
    row.bar->setFormat(
        QStringLiteral("%1 / %2").arg(formatCount(row.done), formatCount(row.total)));
    const double secs = double(now - row.firstMs) / 1000.0;
    const double rate = secs > 0.2 ? double(row.done - row.firstDone) / secs : e.rowsPerSecond;
    row.rate->setText(tr("%1 rows/s").arg(formatCount(qint64(rate))));
    row.eta->setText(row.done >= row.total ? tr("done")
                     : rate > 0
                         ? tr("ETA %1").arg(formatSeconds(double(row.total - row.done) / rate))
                         : QStringLiteral("–"));
    if (e.etaSeconds >= 0)
        m_overallLabel->setText(
            tr("%1 rows/s, ETA %2")
                .arg(formatCount(qint64(e.rowsPerSecond)), formatSeconds(e.etaSeconds)));
    updateOverall();
    emit progressed(e.table, e.done, e.total);
}

void RunPage::updateOverall() {
    qint64 done = 0, total = 0;
    for (const TableRow& r : std::as_const(m_rows)) {
        done += std::min(r.done, r.total);
        total += r.total;
    }
    m_overall->setValue(total > 0 ? int(1000.0 * double(done) / double(total)) : 0);
    m_overall->setFormat(QStringLiteral("%p%"));
}

void RunPage::onFinished(const Result<MigrateSummary>& result) {
    WizardState& s = m_wizard->state();
    s.runFinished = QDateTime::currentDateTimeUtc();
    m_cancel->setEnabled(false);
    if (!result) {
        const bool cancelled = result.error().code == ErrorCode::Cancelled || m_job->isCancelled();
        if (cancelled) {
            s.mode = TransferMode::Resume;
            m_start->setText(tr("Resume migration"));
            m_status->setText(tr("Cancelled. What was loaded is kept with its checkpoints: "
                                 "press Resume to continue, now or after reopening the wizard "
                                 "with the same source and target."));
        } else {
            m_status->setText(tr("%1. Fix the cause and press Resume to continue from the last "
                                 "checkpoint.")
                                  .arg(result.error().oneLine()));
            s.mode = TransferMode::Resume;
            m_start->setText(tr("Resume migration"));
        }
        m_start->setEnabled(true);
        log(m_status->text());
        emit completeChanged();
        emit runFinished(false);
        return;
    }
    s.summary = *result;
    for (const TableSummary& t : result->tables) {
        auto it = m_rows.find(t.name);
        if (it == m_rows.end())
            continue;
        it->done = it->total = t.targetRows;
        it->bar->setValue(1000);
        it->bar->setFormat(
            QStringLiteral("%1 / %2").arg(formatCount(t.targetRows), formatCount(t.expectedRows)));
        it->eta->setText(t.ok() ? tr("done in %1").arg(formatSeconds(t.seconds))
                         : t.targetRows != t.expectedRows ? tr("COUNT DIFFERS")
                                                          : tr("CONTENT DIFFERS"));
    }
    updateOverall();
    m_overall->setValue(1000);
    m_status->setText(
        result->ok ? tr("Done in %1: every table's rows and content verified%2.")
                         .arg(formatSeconds(result->totalSeconds),
                              result->alreadyComplete ? tr(" (the target was already complete)")
                                                      : QString())
                   : tr("Finished, but row counts or content differ: see the log; the "
                        "verification on the next page shows where."));
    log(m_status->text());
    m_start->setEnabled(false);
    emit completeChanged();
    emit runFinished(result->ok);
}

void RunPage::log(const QString& line) {
    const QString stamped = QStringLiteral("%1  %2").arg(
        QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss")), line);
    m_log->appendPlainText(stamped);
    m_wizard->state().log << stamped;
}

bool RunPage::isComplete() const {
    const auto& s = m_wizard->state().summary;
    return s.has_value(); // reset when a run starts, set when it ends
}

QString RunPage::logText() const {
    return m_log->toPlainText();
}

QString RunPage::statusText() const {
    return m_status->text();
}

int RunPage::overallPercent() const {
    return m_overall->value() / 10;
}

} // namespace ctx::ui
