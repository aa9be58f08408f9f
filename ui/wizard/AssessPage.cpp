#include "AssessPage.h"

#include "BackgroundJob.h"
#include "MigrationWizard.h"
#include "ReportExport.h"
#include "WizardFormat.h"
#include "core/assess/AssessJson.h"
#include "core/assess/Assessor.h"
#include "core/assess/SamplePreview.h"
#include "ui/views/InertText.h"

#include <QCheckBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace ctx::ui {

namespace {
constexpr int kFindingRole = Qt::UserRole;
constexpr int kLoadedRole = Qt::UserRole + 1;
} // namespace

AssessPage::AssessPage(MigrationWizard* wizard)
    : QWizardPage(wizard)
    , m_wizard(wizard)
    , m_status(new QLabel)
    , m_salvage(new QCheckBox(tr("Salvage: carry every readable row and record the rest")))
    , m_progress(new QProgressBar)
    , m_cancel(new QPushButton(tr("Cancel")))
    , m_exportHtml(new QPushButton(tr("Export HTML…")))
    , m_exportJson(new QPushButton(tr("Export JSON…")))
    , m_tree(new QTreeWidget)
    , m_job(new BackgroundJob(this))
    , m_sampleJob(new BackgroundJob(this)) {
    setTitle(tr("Assessment"));
    setSubTitle(tr("What the migration will meet in this file and what it does about it. "
                   "Expand a finding to see sample rows as stored and as they will arrive."));
    m_status->setWordWrap(true);
    m_tree->setColumnCount(5);
    m_tree->setHeaderLabels(
        {tr("Finding"), tr("Count"), tr("As stored"), tr("As it will arrive"), tr("Action")});
    m_tree->setAlternatingRowColors(true);
    m_tree->header()->setSectionResizeMode(QHeaderView::Interactive);
    m_tree->setColumnWidth(0, 430);
    m_tree->setColumnWidth(1, 70);
    m_tree->setColumnWidth(2, 170);
    m_tree->setColumnWidth(3, 170);
    auto* bar = new QHBoxLayout;
    bar->addWidget(m_progress, 1);
    bar->addWidget(m_cancel);
    bar->addWidget(m_exportHtml);
    bar->addWidget(m_exportJson);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_status);
    layout->addWidget(m_salvage);
    m_salvage->setVisible(false);
    connect(m_salvage, &QCheckBox::toggled, this, [this](bool on) {
        m_wizard->state().salvage = on;
        emit completeChanged();
    });
    layout->addLayout(bar);
    layout->addWidget(m_tree, 1);
    connect(m_cancel, &QPushButton::clicked, this, &AssessPage::cancel);
    connect(m_exportHtml, &QPushButton::clicked, this,
            [this] { exportAs(QStringLiteral("html")); });
    connect(m_exportJson, &QPushButton::clicked, this,
            [this] { exportAs(QStringLiteral("json")); });
    connect(m_tree, &QTreeWidget::itemExpanded, this, &AssessPage::loadSamples);
}

void AssessPage::initializePage() {
    if (m_wizard->state().assessment && m_assessedPath == m_wizard->state().sourcePath())
        return;
    start();
}

void AssessPage::start() {
    if (m_job->isRunning())
        return;
    auto& state = m_wizard->state();
    state.assessment.reset();
    state.salvage = false;
    m_salvage->setChecked(false);
    m_salvage->setVisible(false);
    m_tree->clear();
    m_exportHtml->setEnabled(false);
    m_exportJson->setEnabled(false);
    m_cancel->setEnabled(true);
    m_progress->setRange(0, 0);
    m_status->setText(tr("Assessing %1 (read-only)…").arg(state.sourcePath()));
    emit completeChanged();
    const QString path = state.sourcePath();
    m_job->start([this, path] {
        AssessOptions o;
        o.path = path;
        o.cancel = m_job->cancelFlag();
        o.progress = [this](const AssessProgress& p) {
            m_job->post([this, p] {
                m_progress->setRange(0, p.total > 0 ? 1000 : 0);
                if (p.total > 0)
                    m_progress->setValue(int(1000.0 * double(p.done) / double(p.total)));
                m_status->setText(tr("Assessing: %1 %2").arg(p.phase, p.table));
            });
        };
        auto report = Assessor::run(o);
        m_job->finish([this, path, report] {
            m_cancel->setEnabled(false);
            m_progress->setRange(0, 1);
            m_progress->setValue(report ? 1 : 0);
            if (!report) {
                m_status->setText(tr("%1 — go Back and pick the file again to retry.")
                                      .arg(report.error().oneLine()));
                emit assessed(false);
                return;
            }
            m_wizard->state().assessment = *report;
            m_assessedPath = path;
            showReport();
            emit completeChanged();
            emit assessed(true);
        });
    });
}

void AssessPage::cancel() {
    m_job->cancel();
    m_sampleJob->cancel();
}

void AssessPage::showReport() {
    const AssessReport& r = *m_wizard->state().assessment;
    qint64 rows = 0;
    for (const TableAssessment& t : r.tables)
        rows += t.rows;
    m_status->setText(
        tr("%1 rows in %2 tables; %3 findings, %4 values recorded in ctx_migration_rejects; "
           "%5 placeholder sessions; integrity check: %6. Estimated time %7, about %8 in "
           "PostgreSQL.")
            .arg(formatCount(rows))
            .arg(r.tables.size())
            .arg(r.hazards.size())
            .arg(formatCount(r.recordedCount()))
            .arg(r.missingSessions)
            .arg(r.quickCheck.join(QStringLiteral("; ")), formatSeconds(r.estimatedSeconds),
                 formatBytes(r.estimatedTargetBytes)));
    for (int i = 0; i < r.hazards.size(); ++i) {
        const HazardEntry& h = r.hazards[i];
        const QString where = h.column.isEmpty() ? h.table : h.table + '.' + h.column;
        auto* item = new QTreeWidgetItem(
            m_tree,
            {QStringLiteral("%1 — %2%3")
                 .arg(where, hazardReason(h.hazard),
                      h.detail.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(h.detail)),
             formatCount(h.count), QString(), QString(), h.action});
        item->setData(0, kFindingRole, i);
        item->setToolTip(4, h.action);
        if (h.recorded)
            item->setForeground(0, QColor(0xb0, 0x50, 0x00));
        if (!h.sampleRowids.isEmpty())
            item->setChildIndicatorPolicy(QTreeWidgetItem::ShowIndicator);
    }
    if (r.salvaged)
        showDamage();
    m_exportHtml->setEnabled(true);
    m_exportJson->setEnabled(true);
}

void AssessPage::showDamage() {
    const AssessReport& r = *m_wizard->state().assessment;
    qint64 rows = 0, ranges = 0;
    for (const TableAssessment& t : r.tables) {
        rows += t.rows;
        ranges += t.unreadable.size();
        if (t.unreadable.isEmpty())
            continue;
        auto* item = new QTreeWidgetItem(
            m_tree, {QStringLiteral("%1 — %2").arg(t.name, hazardReason(Hazard::UnreadableRange)),
                     formatCount(t.unreadable.size()), QString(), QString(),
                     hazardAction(Hazard::UnreadableRange)});
        item->setForeground(0, QColor(0xb0, 0x00, 0x00));
        for (const UnreadableRange& u : t.unreadable)
            new QTreeWidgetItem(item, {u.rowKey(), QString(), QString(), QString(), u.error});
        m_tree->insertTopLevelItem(0, m_tree->takeTopLevelItem(m_tree->indexOfTopLevelItem(item)));
    }
    m_status->setText(
        tr("This file is damaged (integrity check: %1). The migration refuses it and writes "
           "nothing, unless you choose Salvage: then the %2 rows SQLite can still read are "
           "migrated, and the %3 unreadable rowid ranges listed first below are not; each is "
           "recorded in ctx_migration_rejects (reason unreadable_range, with SQLite's error).")
            .arg(r.quickCheck.value(0), formatCount(rows))
            .arg(ranges));
    m_salvage->setVisible(true);
}

void AssessPage::loadSamples(QTreeWidgetItem* item) {
    if (item->parent() || item->data(0, kLoadedRole).toBool() || m_sampleJob->isRunning())
        return;
    item->setData(0, kLoadedRole, true);
    const HazardEntry h =
        m_wizard->state().assessment->hazards[item->data(0, kFindingRole).toInt()];
    const QString path = m_wizard->state().sourcePath();
    m_sampleJob->start([this, item, h, path] {
        QList<PreviewRow> rows;
        QString error;
        auto snap = SourceSnapshot::open(path, QStringLiteral("context-studio wizard"));
        if (!snap)
            error = snap.error().oneLine();
        for (qint64 rowid : h.sampleRowids) {
            if (!snap || m_sampleJob->isCancelled())
                break;
            auto row = SamplePreview::row(**snap, h.table, rowid);
            if (row)
                rows << *row;
            else
                error = row.error().oneLine();
        }
        m_sampleJob->finish([this, item, h, rows, error] {
            if (m_tree->indexOfTopLevelItem(item) < 0)
                return;
            for (const PreviewRow& row : rows) {
                for (const PreviewCell& cell : row.cells) {
                    if (!h.column.isEmpty() ? cell.column != h.column : cell.hazards.isEmpty())
                        continue;
                    auto* child = new QTreeWidgetItem(
                        item,
                        {QStringLiteral("row %1 · %2%3")
                             .arg(row.key, cell.column,
                                  row.dropped ? tr(" (dropped duplicate)") : QString()),
                         QString(), QStringLiteral("%1 [%2]").arg(cell.stored, cell.storageType),
                         cell.arrives, cell.hazards.join(QStringLiteral(", "))});
                    child->setToolTip(2, plainToolTip(cell.stored)); // never taken for HTML
                    child->setToolTip(3, plainToolTip(cell.arrives));
                    if (cell.stored != cell.arrives)
                        child->setBackground(3, QColor(0xff, 0xf3, 0xc4));
                }
            }
            if (!error.isEmpty())
                new QTreeWidgetItem(item, {error});
            emit samplesLoaded();
        });
    });
}

Status AssessPage::exportTo(const QString& path) {
    const auto& r = m_wizard->state().assessment;
    if (!r)
        return fail(ErrorCode::InvalidArgument, tr("no assessment yet"));
    const QByteArray bytes = path.endsWith(QStringLiteral(".json"))
                                 ? QJsonDocument(assessReportToJson(*r)).toJson()
                                 : ReportExport::assessmentHtml(*r).toUtf8();
    return ReportExport::write(path, bytes);
}

void AssessPage::exportAs(const QString& suffix) {
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export assessment"), QStringLiteral("assessment.%1").arg(suffix),
        suffix == QLatin1String("json") ? tr("JSON (*.json)") : tr("HTML (*.html)"));
    if (path.isEmpty())
        return;
    auto ok = exportTo(path);
    m_status->setText(ok ? tr("Saved %1").arg(path) : ok.error().oneLine());
}

QString AssessPage::statusText() const {
    return m_status->text();
}

bool AssessPage::isComplete() const {
    // A damaged source goes on only with Salvage chosen: refused by default.
    const auto& state = m_wizard->state();
    return state.assessment.has_value() && (!state.assessment->salvaged || state.salvage);
}

} // namespace ctx::ui
