#include "SourcePage.h"

#include "BackgroundJob.h"
#include "MigrationWizard.h"
#include "WizardFormat.h"
#include "core/inspect/DatabaseDiscovery.h"
#include "core/schema/SchemaDetector.h"
#include "core/transfer/SourceSnapshot.h"
#include "core/values/TableSpec.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace ctx::ui {

namespace {

Result<SourceSummary> summarize(const QString& path) {
    SourceSummary s;
    s.path = QFileInfo(path).absoluteFilePath();
    s.fileBytes = QFileInfo(path).size();
    const QFileInfo wal(path + QStringLiteral("-wal"));
    s.walBytes = wal.exists() ? wal.size() : -1;
    auto snap = SourceSnapshot::open(s.path, QStringLiteral("context-studio wizard"));
    if (!snap)
        return std::unexpected(snap.error());
    auto info = SchemaDetector::detect((*snap)->connection());
    if (!info)
        return std::unexpected(info.error());
    s.schema = *info;
    if (!s.schema.sharedContext)
        return fail(ErrorCode::NotADatabase,
                    QStringLiteral("not a shared-context-server database (no sessions and "
                                   "messages tables); pick the server's chat_history.db"),
                    s.path);
    for (const TableSpec& t : sharedContextTables()) {
        const auto* layout = (*snap)->layout(t.name);
        if (!layout || !layout->present) {
            s.rows.append({t.name, -1});
            continue;
        }
        auto st = (*snap)->stats(t.name);
        if (!st && st.error().code != ErrorCode::Corrupt)
            return std::unexpected(st.error());
        s.rows.append({t.name, st ? st->rows : -2}); // -2: damaged (the assessment tells more)
    }
    return s;
}

} // namespace

SourcePage::SourcePage(MigrationWizard* wizard)
    : QWizardPage(wizard)
    , m_wizard(wizard)
    , m_path(new QLineEdit)
    , m_found(new QListWidget)
    , m_info(new QLabel)
    , m_error(new QLabel)
    , m_job(new BackgroundJob(this)) {
    setTitle(tr("Source: the legacy SQLite file"));
    setSubTitle(tr("The file is opened read-only; nothing is written to it or beside it."));
    m_path->setPlaceholderText(tr("Path of chat_history.db"));
    auto* browse = new QPushButton(tr("Browse…"));
    auto* row = new QHBoxLayout;
    row->addWidget(m_path, 1);
    row->addWidget(browse);
    m_found->setMaximumHeight(90);
    m_info->setTextFormat(Qt::RichText);
    m_info->setWordWrap(true);
    m_info->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #b00020;"));
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(row);
    layout->addWidget(new QLabel(tr("Found in the server's default locations:")));
    layout->addWidget(m_found);
    layout->addWidget(m_error);
    layout->addWidget(m_info, 1);

    connect(browse, &QPushButton::clicked, this, [this] {
        const QString file =
            QFileDialog::getOpenFileName(this, tr("Legacy database"), m_path->text(),
                                         tr("SQLite files (*.db *.sqlite);;All (*)"));
        if (!file.isEmpty())
            setPath(file);
    });
    connect(m_path, &QLineEdit::editingFinished, this, &SourcePage::load);
    connect(m_found, &QListWidget::itemActivated, this,
            [this](QListWidgetItem* item) { setPath(item->data(Qt::UserRole).toString()); });
    connect(m_found, &QListWidget::itemClicked, this,
            [this](QListWidgetItem* item) { setPath(item->data(Qt::UserRole).toString()); });
    connect(m_job, &BackgroundJob::finished, this, [this] {
        if (!m_pending.isEmpty())
            load();
    });
    discover();
}

void SourcePage::discover() {
    for (const DiscoveredDatabase& d :
         DatabaseDiscovery::discover(DatabaseDiscovery::systemEnvironment())) {
        auto url = DatabaseUrl::parse(d.urlText);
        if (!url || !url->isSqlite())
            continue;
        auto* item = new QListWidgetItem(QStringLiteral("%1 — %2").arg(url->filePath(), d.origin));
        item->setData(Qt::UserRole, url->filePath());
        m_found->addItem(item);
    }
    if (m_found->count() == 0)
        m_found->addItem(tr("(none found — type or browse for the file)"));
}

void SourcePage::setPath(const QString& path) {
    m_path->setText(path);
    load();
}

void SourcePage::load() {
    const QString path = m_path->text().trimmed();
    const auto& current = m_wizard->state().source;
    if (path.isEmpty() || (current && QFileInfo(path).absoluteFilePath() == current->path))
        return; // editingFinished also fires on focus loss: nothing changed
    if (m_job->isRunning()) {
        m_pending = path;
        return;
    }
    m_pending.clear();
    m_wizard->state().source.reset();
    m_error->clear();
    m_info->setText(tr("Reading %1…").arg(htmlEscape(path)));
    emit completeChanged();
    m_job->start([this, path] {
        auto result = summarize(path);
        m_job->finish([this, path, result] {
            if (path != m_path->text().trimmed())
                return; // stale: the user picked another file meanwhile
            if (!result) {
                m_info->clear();
                m_error->setText(result.error().oneLine());
                emit failed(m_error->text());
                return;
            }
            m_wizard->state().source = *result;
            m_info->setText(infoText());
            emit completeChanged();
            emit loaded();
        });
    });
}

bool SourcePage::isComplete() const {
    return m_wizard->state().source.has_value();
}

QString SourcePage::errorText() const {
    return m_error->text();
}

QString SourcePage::infoText() const {
    const auto& src = m_wizard->state().source;
    if (!src)
        return {};
    QString html = QStringLiteral("<h3>%1</h3><table cellspacing=6>").arg(htmlEscape(src->path));
    auto row = [&html](const QString& k, const QString& v) {
        html += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>").arg(k, v);
    };
    row(tr("Schema version"),
        QStringLiteral("%1 (variant %2)%3")
            .arg(src->schema.version)
            .arg(htmlEscape(src->schema.variant), src->schema.mixed ? tr(", mixed") : QString()));
    row(tr("File size"), formatBytes(src->fileBytes));
    row(tr("WAL"), src->walBytes < 0 ? tr("no -wal file (everything is in the main file)")
                                     : tr("-wal file of %1: its rows are read too, the file is not "
                                          "checkpointed")
                                           .arg(formatBytes(src->walBytes)));
    for (const auto& [table, rows] : src->rows)
        row(table, rows == -2 ? tr("damaged: cannot be counted (the assessment says how much is "
                                   "readable)")
                   : rows < 0 ? tr("absent")
                              : tr("%1 rows").arg(formatCount(rows)));
    html += QStringLiteral("</table>");
    if (!src->schema.quirks.isEmpty()) {
        html += tr("<p><b>Quirks</b></p><ul>");
        for (const QString& q : src->schema.quirks)
            html += QStringLiteral("<li>%1</li>").arg(htmlEscape(q));
        html += QStringLiteral("</ul>");
    }
    return html;
}

} // namespace ctx::ui
