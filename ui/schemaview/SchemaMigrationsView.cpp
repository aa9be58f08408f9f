#include "SchemaMigrationsView.h"

#include "core/schema/SqliteBackup.h"
#include "ui/app/PasswordRequest.h"
#include "ui/app/PasswordVault.h"
#include "ui/app/UrlField.h"
#include "ui/wizard/BackgroundJob.h"
#include "ui/wizard/WizardFormat.h"

#include <QCheckBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

namespace ctx::ui {

SchemaMigrationsView::SchemaMigrationsView(QWidget* parent)
    : QWidget(parent)
    , m_url(new UrlField)
    , m_vault(new PasswordVault(this))
    , m_summary(new QLabel)
    , m_pending(new QListWidget)
    , m_sql(new QPlainTextEdit)
    , m_backupPath(new QLineEdit)
    , m_backupAck(new QCheckBox(tr("Write and verify this backup first (required)")))
    , m_backupLabel(new QLabel(tr("Step 1 — backup:")))
    , m_apply(new QPushButton(tr("Apply pending migrations")))
    , m_history(new QTableWidget)
    , m_message(new QLabel)
    , m_job(new BackgroundJob(this)) {
    setWindowTitle(tr("Schema migrations"));
    m_url->setPlaceholderText(tr("a file path or postgresql:// URL"));
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::RichText);
    m_message->setWordWrap(true);
    m_sql->setReadOnly(true);
    m_sql->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_history->setColumnCount(6);
    m_history->setHorizontalHeaderLabels({tr("Version"), tr("Applied at"), tr("Description"),
                                          tr("Checksum"), tr("Applied by"), tr("Duration")});
    m_history->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_history->verticalHeader()->hide();
    m_history->horizontalHeader()->setStretchLastSection(true);
    auto* refresh = new QPushButton(tr("Read status"));
    auto* top = new QHBoxLayout;
    top->addWidget(m_url, 1);
    top->addWidget(refresh);
    auto* pendingSplit = new QSplitter(Qt::Horizontal);
    pendingSplit->addWidget(m_pending);
    pendingSplit->addWidget(m_sql);
    pendingSplit->setStretchFactor(1, 3);
    auto* backup = new QHBoxLayout;
    backup->addWidget(m_backupLabel);
    backup->addWidget(m_backupPath, 1);
    backup->addWidget(m_backupAck);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_summary);
    layout->addWidget(new QLabel(tr("Pending migrations:")));
    layout->addWidget(pendingSplit, 2);
    layout->addLayout(backup);
    layout->addWidget(m_apply, 0, Qt::AlignLeft);
    layout->addWidget(m_message);
    layout->addWidget(new QLabel(tr("History:")));
    layout->addWidget(m_history, 2);
    connect(refresh, &QPushButton::clicked, this, &SchemaMigrationsView::refresh);
    connect(m_url, &QLineEdit::returnPressed, this, &SchemaMigrationsView::refresh);
    connect(m_apply, &QPushButton::clicked, this, &SchemaMigrationsView::apply);
    connect(m_backupAck, &QCheckBox::toggled, this, &SchemaMigrationsView::updateApply);
    connect(m_pending, &QListWidget::currentRowChanged, this, [this](int row) {
        if (m_status && row >= 0 && row < m_status->pending.size())
            m_sql->setPlainText(QString::fromUtf8(m_status->pending[row].sql));
    });
    updateApply();
    resize(1000, 760);
}

void SchemaMigrationsView::setDatabase(const QString& urlText) {
    m_url->setUrlText(urlText);
    refresh();
}

void SchemaMigrationsView::setDatabase(const DatabaseUrl& url) {
    m_url->setUrl(url);
    refresh();
}

std::optional<DatabaseUrl> SchemaMigrationsView::url() const {
    auto url = m_url->url();
    if (!url)
        return std::nullopt;
    url->resolvePassword();
    return *url;
}

void SchemaMigrationsView::refresh() {
    const auto given = m_url->url();
    if (!given) {
        m_message->setText(tr("Give a file path or a postgresql:// URL."));
        return;
    }
    if (m_job->isRunning())
        return;
    PasswordRequest::complete(this, m_vault, *given, [this](const DatabaseUrl& target) {
        if (target.hasPassword())
            m_url->setUrl(target); // kept, not shown, for apply()
        read(target);
    });
}

void SchemaMigrationsView::read(const DatabaseUrl& url) {
    if (m_job->isRunning())
        return;
    const std::optional<DatabaseUrl> target = url;
    m_status.reset();
    updateApply();
    m_message->setText(tr("Reading %1 (read-only)…").arg(target->redacted()));
    m_job->start([this, t = *target] {
        Result<SchemaStatus> status = [&]() -> Result<SchemaStatus> {
            auto conn = Connection::open(t, ConnectionOptions{});
            if (!conn)
                return std::unexpected(conn.error());
            return SchemaMigrator::status(**conn);
        }();
        m_job->finish([this, t, status] {
            if (!status) {
                m_message->setText(status.error().oneLine());
                emit loaded(false);
                return;
            }
            m_status = *status;
            if (t.isSqlite() && m_backupPath->text().isEmpty())
                m_backupPath->setText(SqliteBackup::defaultPathFor(t.filePath()));
            m_message->clear();
            showStatus();
            emit loaded(true);
        });
    });
}

void SchemaMigrationsView::showStatus() {
    const SchemaStatus& s = *m_status;
    const bool sqlite = s.info.engine == Engine::Sqlite;
    QString html = tr("<b>Version %1</b> (variant %2) of %3 known; %4 pending.")
                       .arg(htmlEscape(schemaVersionLabel(s.info)))
                       .arg(htmlEscape(s.info.variant))
                       .arg(s.latestVersion)
                       .arg(s.pending.size() + s.provided.size());
    if (!s.provided.isEmpty())
        html += tr("<br>Provided by the server's schema (recorded, not run): %1")
                    .arg(s.provided.first().version == s.provided.last().version
                             ? QString::number(s.provided.first().version)
                             : QStringLiteral("%1–%2")
                                   .arg(s.provided.first().version)
                                   .arg(s.provided.last().version));
    if (!s.info.serverDrift.isEmpty())
        html += tr("<br>The server's objects that differ: %1")
                    .arg(htmlEscape(s.info.serverDrift.join(QStringLiteral("; "))));
    if (!s.info.operatorObjects.isEmpty())
        html += tr("<br>Your own objects (kept): %1")
                    .arg(htmlEscape(s.info.operatorObjects.join(QStringLiteral(", "))));
    if (!s.info.quirks.isEmpty())
        html += tr("<br>Quirks: %1").arg(htmlEscape(s.info.quirks.join(QStringLiteral("; "))));
    m_summary->setText(html);
    m_pending->clear();
    m_sql->clear();
    for (const MigrationScript& m : s.pending)
        m_pending->addItem(QStringLiteral("%1 %2 — %3").arg(m.version).arg(m.name, m.description));
    if (!s.pending.isEmpty())
        m_pending->setCurrentRow(0);
    m_backupLabel->setVisible(sqlite);
    m_backupPath->setVisible(sqlite);
    m_backupAck->setVisible(sqlite);
    m_history->setRowCount(int(s.info.history.size()));
    for (int r = 0; r < s.info.history.size(); ++r) {
        const HistoryEntry& h = s.info.history[r];
        const QStringList cells{QString::number(h.version),
                                h.appliedAt,
                                h.description,
                                h.checksum.isEmpty() ? tr("(written by the server)") : h.checksum,
                                h.appliedBy,
                                h.durationMs < 0 ? QStringLiteral("–")
                                                 : QStringLiteral("%1 ms").arg(h.durationMs)};
        for (int c = 0; c < cells.size(); ++c)
            m_history->setItem(r, c, new QTableWidgetItem(cells[c]));
    }
    m_history->resizeColumnsToContents();
    updateApply();
}

bool SchemaMigrationsView::canApply() const {
    if (!m_status || (m_status->pending.isEmpty() && m_status->provided.isEmpty()) ||
        m_job->isRunning())
        return false;
    if (m_status->info.engine == Engine::Sqlite)
        return m_backupAck->isChecked() && !m_backupPath->text().trimmed().isEmpty();
    return true;
}

void SchemaMigrationsView::updateApply() {
    m_apply->setEnabled(canApply());
}

void SchemaMigrationsView::acknowledgeBackup(bool yes) {
    m_backupAck->setChecked(yes);
}

void SchemaMigrationsView::apply() {
    const auto target = url();
    if (!canApply() || !target)
        return;
    UpgradeOptions o;
    o.backupPath = m_backupPath->text().trimmed();
    o.appliedBy = QStringLiteral("context-studio");
    m_apply->setEnabled(false);
    m_message->setText(
        target->isSqlite()
            ? tr("Writing and verifying the backup %1, then applying…").arg(o.backupPath)
            : tr("Applying…"));
    m_job->start([this, t = *target, o] {
        auto report = SchemaMigrator::upgrade(t, o);
        m_job->finish([this, report] {
            if (!report) {
                m_message->setText(tr("%1 — the database stays at its old version.")
                                       .arg(report.error().oneLine()));
                updateApply();
                emit applied(false);
                return;
            }
            QStringList versions;
            for (int v : report->applied)
                versions << QString::number(v);
            m_message->setText(
                tr("Applied %1 in %2 ms%3.")
                    .arg(versions.join(QStringLiteral(", ")))
                    .arg(report->milliseconds)
                    .arg(report->backupPath.isEmpty()
                             ? QString()
                             : tr("; verified backup at %1").arg(report->backupPath)));
            const QString done = m_message->text();
            connect(
                this, &SchemaMigrationsView::loaded, this,
                [this, done] { m_message->setText(done); }, Qt::SingleShotConnection);
            emit applied(true);
            connect(m_job, &BackgroundJob::finished, this, &SchemaMigrationsView::refresh,
                    Qt::SingleShotConnection);
        });
    });
}

QString SchemaMigrationsView::summaryText() const {
    return m_summary->text();
}

QString SchemaMigrationsView::messageText() const {
    return m_message->text();
}

} // namespace ctx::ui
