#include "CompareView.h"

#include "CompareExport.h"
#include "DiffSummaryTable.h"
#include "core/compare/DiffJob.h"
#include "ui/app/PasswordRequest.h"
#include "ui/app/PasswordVault.h"
#include "ui/app/UrlField.h"
#include "ui/views/InertText.h"
#include "ui/wizard/BackgroundJob.h"
#include "ui/wizard/ReportExport.h"
#include "ui/wizard/WizardFormat.h"

#include <QCheckBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

namespace ctx::ui {

namespace {
const QColor kDiffering(0xf8, 0xc8, 0xc8);
const QColor kExplained(0xfb, 0xe5, 0xb0);
} // namespace

CompareView::CompareView(QWidget* parent)
    : QWidget(parent)
    , m_a(new UrlField)
    , m_b(new UrlField)
    , m_vault(new PasswordVault(this))
    , m_run(new QPushButton(tr("Compare")))
    , m_cancel(new QPushButton(tr("Cancel")))
    , m_progress(new QProgressBar)
    , m_status(new QLabel)
    , m_summary(new DiffSummaryTable)
    , m_rows(new QListWidget)
    , m_detail(new QTableWidget)
    , m_normalized(new QCheckBox(tr("Normalized values")))
    , m_prev(new QPushButton(tr("◀ Previous difference")))
    , m_next(new QPushButton(tr("Next difference ▶")))
    , m_export(new QPushButton(tr("Export…")))
    , m_job(new BackgroundJob(this)) {
    setWindowTitle(tr("Compare databases"));
    m_a->setPlaceholderText(tr("A: a file path or postgresql:// URL"));
    m_b->setPlaceholderText(tr("B: a file path or postgresql:// URL"));
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::RichText);
    m_cancel->setEnabled(false);
    m_normalized->setChecked(true);
    m_detail->setColumnCount(3);
    m_detail->setHorizontalHeaderLabels({tr("Column"), tr("A"), tr("B")});
    m_detail->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_detail->verticalHeader()->hide();
    m_detail->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_detail->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_detail->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
    m_detail->setWordWrap(true);
    for (QPushButton* b : {m_prev, m_next, m_export})
        b->setEnabled(false);

    auto* form = new QFormLayout;
    form->addRow(tr("A"), m_a);
    form->addRow(tr("B"), m_b);
    auto* runBar = new QHBoxLayout;
    runBar->addWidget(m_run);
    runBar->addWidget(m_cancel);
    runBar->addWidget(m_progress, 1);
    runBar->addWidget(m_export);
    auto* nav = new QHBoxLayout;
    nav->addWidget(m_prev);
    nav->addWidget(m_next);
    nav->addStretch(1);
    nav->addWidget(m_normalized);
    auto* drill = new QSplitter(Qt::Horizontal);
    drill->addWidget(m_rows);
    drill->addWidget(m_detail);
    drill->setStretchFactor(1, 3);
    auto* lower = new QWidget;
    auto* lowerLayout = new QVBoxLayout(lower);
    lowerLayout->setContentsMargins(0, 0, 0, 0);
    lowerLayout->addLayout(nav);
    lowerLayout->addWidget(drill, 1);
    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(m_summary);
    split->addWidget(lower);
    split->setStretchFactor(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addLayout(runBar);
    layout->addWidget(m_status);
    layout->addWidget(split, 1);

    connect(m_run, &QPushButton::clicked, this, &CompareView::compare);
    connect(m_cancel, &QPushButton::clicked, this, &CompareView::cancel);
    connect(m_export, &QPushButton::clicked, this, &CompareView::exportAs);
    connect(m_prev, &QPushButton::clicked, this, &CompareView::previousDifference);
    connect(m_next, &QPushButton::clicked, this, &CompareView::nextDifference);
    connect(m_normalized, &QCheckBox::toggled, this, &CompareView::showSample);
    connect(m_summary, &QTableWidget::currentCellChanged, this,
            [this](int row) { showTable(row); });
    connect(m_rows, &QListWidget::currentRowChanged, this, &CompareView::showSample);
    resize(1200, 800);
}

CompareView::~CompareView() {
    cancel();
}

void CompareView::setDatabases(const QString& a, const QString& b) {
    m_a->setUrlText(a);
    m_b->setUrlText(b);
}

void CompareView::setDatabases(const DatabaseUrl& a, const QString& b) {
    m_a->setUrl(a);
    m_b->setUrlText(b);
}

bool CompareView::isRunning() const {
    return m_job->isRunning();
}

void CompareView::compare() {
    if (isRunning())
        return;
    auto a = m_a->url();
    auto b = m_b->url();
    if (!a || !b) {
        m_status->setText(QStringLiteral("<span style='color:#b00020'>%1</span>")
                              .arg(htmlEscape((!a ? a.error() : b.error()).oneLine() +
                                              tr(" — give a file path or a postgresql:// URL"))));
        return;
    }
    PasswordRequest::complete(this, m_vault, *a, [this, b = *b](const DatabaseUrl& withA) {
        PasswordRequest::complete(this, m_vault, b,
                                  [this, withA](const DatabaseUrl& withB) { run(withA, withB); });
    });
}

void CompareView::run(const DatabaseUrl& a, const DatabaseUrl& b) {
    if (isRunning())
        return;
    DiffOptions o;
    o.a = a;
    o.b = b;
    o.sampleRows = 500;
    m_report.reset();
    m_summary->setRowCount(0);
    m_rows->clear();
    m_detail->setRowCount(0);
    m_run->setEnabled(false);
    m_cancel->setEnabled(true);
    m_progress->setRange(0, 0);
    m_status->setText(tr("Comparing %1 with %2 (read-only)…")
                          .arg(htmlEscape(a.redacted()), htmlEscape(b.redacted())));
    m_diff = std::make_shared<DiffJob>(o);
    auto diff = m_diff;
    m_job->start([this, diff] {
        diff->setProgressCallback([this](const DiffProgress& p) {
            m_job->post([this, p] {
                if (p.chunksTotal <= 0)
                    return;
                m_progress->setRange(0, int(p.chunksTotal));
                m_progress->setValue(int(p.chunksDone));
                m_progress->setFormat(QStringLiteral("%1 %p%").arg(p.table));
            });
        });
        auto report = diff->run();
        m_job->finish([this, report] {
            m_run->setEnabled(true);
            m_cancel->setEnabled(false);
            m_progress->setRange(0, 1);
            m_progress->setValue(report ? 1 : 0);
            m_progress->setFormat(QStringLiteral("%p%"));
            if (!report) {
                m_status->setText(QStringLiteral("<span style='color:#b00020'>%1</span>")
                                      .arg(htmlEscape(report.error().oneLine())));
                emit compared(false);
                return;
            }
            m_report = *report;
            showReport();
            emit compared(true);
        });
    });
}

void CompareView::cancel() {
    if (m_diff)
        m_diff->cancel();
    m_job->cancel();
}

void CompareView::showReport() {
    const DiffReport& r = *m_report;
    QString text = r.equal()
                       ? tr("<b style='color:#1b7f3b'>No unexplained difference</b>")
                       : tr("<b style='color:#b00020'>%1 unexplained differing rows, %2 schema "
                            "differences</b>")
                             .arg(formatCount(r.unexplainedRows()))
                             .arg(r.schemaDifferences());
    text +=
        tr(" — A: %1 (%2), B: %3 (%4), %5 ms")
            .arg(htmlEscape(r.a), htmlEscape(r.aVersion), htmlEscape(r.b), htmlEscape(r.bVersion))
            .arg(r.milliseconds);
    for (const SchemaFinding& f : r.schema)
        if (f.level == SchemaFinding::Level::Difference)
            text += QStringLiteral("<br>%1: %2").arg(htmlEscape(f.table), htmlEscape(f.text));
    m_status->setText(text);
    m_differences.clear();
    for (int t = 0; t < r.tables.size(); ++t)
        for (int s = 0; s < r.tables[t].samples.size(); ++s)
            m_differences.append({t, s});
    m_summary->setReport(r);
    m_export->setEnabled(true);
    m_prev->setEnabled(!m_differences.isEmpty());
    m_next->setEnabled(!m_differences.isEmpty());
    if (!m_differences.isEmpty())
        nextDifference();
    else if (!r.tables.isEmpty())
        m_summary->setCurrentCell(0, 0);
}

const TableDiff* CompareView::currentTable() const {
    if (!m_report || m_tableIndex < 0 || m_tableIndex >= m_report->tables.size())
        return nullptr;
    return &m_report->tables[m_tableIndex];
}

void CompareView::selectTable(const QString& table) {
    for (int r = 0; r < m_summary->rowCount(); ++r)
        if (m_summary->tableAt(r) == table)
            m_summary->setCurrentCell(r, 0);
}

void CompareView::showTable(int tableIndex) {
    if (tableIndex == m_tableIndex)
        return;
    m_tableIndex = tableIndex;
    m_rows->clear();
    m_detail->setRowCount(0);
    const TableDiff* t = currentTable();
    if (!t)
        return;
    for (const RowSample& s : t->samples) {
        auto* item = new QListWidgetItem(QStringLiteral("%1 = %2 · %3%4")
                                             .arg(t->key, QString::fromUtf8(s.key),
                                                  rowSampleKindName(s.kind),
                                                  s.explained ? tr(" (explained)") : QString()));
        item->setBackground(s.explained ? kExplained : kDiffering);
        item->setForeground(Qt::black);
        m_rows->addItem(item);
    }
    if (t->samples.isEmpty())
        m_rows->addItem(t->unexplained() + t->explained > 0
                            ? tr("(differences counted but no rows kept)")
                            : tr("(no differing rows)"));
    else
        m_rows->setCurrentRow(0);
}

void CompareView::showSample() {
    m_detail->setRowCount(0);
    const TableDiff* t = currentTable();
    const int index = m_rows->currentRow();
    if (!t || index < 0 || index >= t->samples.size())
        return;
    const RowSample& s = t->samples[index];
    const bool normalized = m_normalized->isChecked();
    m_detail->setRowCount(int(s.columns.size()));
    for (int r = 0; r < s.columns.size(); ++r) {
        const ColumnSample& c = s.columns[r];
        const bool hasA = s.kind != RowSample::Kind::OnlyInB;
        const bool hasB = s.kind != RowSample::Kind::OnlyInA;
        const QString a = !hasA        ? tr("(row absent)")
                          : normalized ? c.normA.display()
                                       : c.rawA.display();
        const QString b = !hasB        ? tr("(row absent)")
                          : normalized ? c.normB.display()
                                       : c.rawB.display();
        const bool differs = normalized ? !(c.normA == c.normB) : !(c.rawA == c.rawB);
        auto* name =
            new QTableWidgetItem(c.column + (c.explained ? tr(" (explained)") : QString()));
        auto* left = new QTableWidgetItem(a);
        auto* right = new QTableWidgetItem(b);
        left->setToolTip(plainToolTip(a)); // stored values, never taken for HTML
        right->setToolTip(plainToolTip(b));
        if (differs || !hasA || !hasB) {
            const QColor colour = c.explained ? kExplained : kDiffering;
            for (QTableWidgetItem* it : {left, right}) {
                it->setBackground(colour);
                it->setForeground(Qt::black);
            }
        }
        m_detail->setItem(r, 0, name);
        m_detail->setItem(r, 1, left);
        m_detail->setItem(r, 2, right);
    }
    m_detail->resizeRowsToContents();
}

void CompareView::nextDifference() {
    if (m_differences.isEmpty())
        return;
    const QPair<int, int> here{m_tableIndex, m_rows->currentRow()};
    int i = 0;
    while (i < m_differences.size() && m_differences[i] <= here)
        ++i;
    const auto target = m_differences[i % m_differences.size()];
    m_summary->setCurrentCell(target.first, 0);
    showTable(target.first);
    m_rows->setCurrentRow(target.second);
}

void CompareView::previousDifference() {
    if (m_differences.isEmpty())
        return;
    const QPair<int, int> here{m_tableIndex, m_rows->currentRow()};
    int i = int(m_differences.size()) - 1;
    while (i >= 0 && m_differences[i] >= here)
        --i;
    const auto target = m_differences[(i + m_differences.size()) % m_differences.size()];
    m_summary->setCurrentCell(target.first, 0);
    showTable(target.first);
    m_rows->setCurrentRow(target.second);
}

void CompareView::setNormalized(bool normalized) {
    m_normalized->setChecked(normalized);
}

Status CompareView::exportTo(const QString& path) {
    if (!m_report)
        return fail(ErrorCode::InvalidArgument, tr("compare first"));
    return ReportExport::write(path, CompareExport::render(*m_report, path));
}

void CompareView::exportAs() {
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export comparison"), QStringLiteral("comparison.html"),
        tr("HTML (*.html);;JSON (*.json);;CSV (*.csv)"));
    if (path.isEmpty())
        return;
    auto ok = exportTo(path);
    m_status->setText(ok ? tr("Saved %1").arg(htmlEscape(path)) : htmlEscape(ok.error().oneLine()));
}

QString CompareView::statusText() const {
    return m_status->text();
}

} // namespace ctx::ui
