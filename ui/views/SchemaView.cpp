#include "SchemaView.h"

#include "InertText.h"
#include "core/inspect/SchemaBrowser.h"
#include "ui/workers/DatabaseSession.h"

#include <QFontDatabase>
#include <QHeaderView>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTextBrowser>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace ctx::ui {

SchemaView::SchemaView(QWidget* parent)
    : QWidget(parent)
    , m_tree(new QTreeWidget)
    , m_definition(new QPlainTextEdit)
    , m_summary(new QTextBrowser) {
    m_tree->setHeaderLabels({tr("Object"), tr("Type"), tr("Details")});
    m_tree->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_tree->setAlternatingRowColors(true);
    m_definition->setReadOnly(true);
    m_definition->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_definition->setPlaceholderText(tr("Select an object to see its definition"));
    auto* left = new QSplitter(Qt::Vertical);
    left->addWidget(m_tree);
    left->addWidget(m_definition);
    left->setStretchFactor(0, 3);
    auto* split = new QSplitter(Qt::Horizontal);
    split->setObjectName(QStringLiteral("schemaSplitter"));
    split->addWidget(left);
    split->addWidget(m_summary);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);
    connect(m_tree, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) {
        m_definition->setPlainText(item ? item->data(0, Qt::UserRole).toString() : QString());
    });
}

void SchemaView::setSession(DatabaseSession* session) {
    if (m_session)
        disconnect(m_session, nullptr, this, nullptr);
    m_session = session;
    if (m_session) // the row counts arrive after the rest
        connect(m_session, &DatabaseSession::healthChanged, this, [this] {
            if (!m_summary->toPlainText().isEmpty())
                showSummary();
        });
    m_tree->clear();
    m_summary->clear();
    m_definition->clear();
}

QString SchemaView::summaryText() const {
    return m_summary->toPlainText();
}

void SchemaView::showSummary() {
    const OpenInfo& info = m_session->info();
    const SchemaInfo& s = info.schema;
    QString html = tr("<h3>%1</h3><p>Engine: %2 %3<br>Mode: %4</p>")
                       .arg(m_session->url().redacted().toHtmlEscaped(), engineName(info.engine),
                            info.serverVersion.toHtmlEscaped(),
                            m_session->isReadOnly() ? tr("read-only") : tr("write"));
    html += tr("<p>Schema version <b>%1</b>, variant <b>%2</b>%3</p>")
                .arg(schemaVersionLabel(s).toHtmlEscaped())
                .arg(s.variant.toHtmlEscaped(), s.mixed ? tr(" (mixed)") : QString());
    if (!s.serverDrift.isEmpty())
        html += tr("<p>The server's objects that differ from its schema file: %1</p>")
                    .arg(s.serverDrift.join(QStringLiteral("; ")).toHtmlEscaped());
    if (!s.operatorObjects.isEmpty())
        html += tr("<p>Objects of your own (neither the server's nor Context Studio's): %1</p>")
                    .arg(s.operatorObjects.join(QStringLiteral(", ")).toHtmlEscaped());
    html += tr("<h4>Quirks</h4>");
    if (s.quirks.isEmpty())
        html += tr("<p>none</p>");
    else {
        html += QStringLiteral("<ul>");
        for (const QString& q : s.quirks)
            html += QStringLiteral("<li>%1</li>").arg(q.toHtmlEscaped());
        html += QStringLiteral("</ul>");
    }
    html += tr("<h4>Migration history</h4><table border=1 cellspacing=0 cellpadding=3>"
               "<tr><th>Version</th><th>Applied at</th><th>Description</th><th>By</th>"
               "<th>ms</th><th>Checksum</th></tr>");
    for (const HistoryEntry& h : s.history)
        html += QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td><td>%4</td><td>%5</td>"
                               "<td>%6</td></tr>")
                    .arg(h.version)
                    .arg(h.appliedAt.toHtmlEscaped(), h.description.toHtmlEscaped(),
                         h.appliedBy.toHtmlEscaped(),
                         h.durationMs >= 0 ? QString::number(h.durationMs) : QString(),
                         h.checksum.left(12).toHtmlEscaped());
    html += QStringLiteral("</table>");
    if (!info.health.rowCounts.isEmpty()) {
        html += tr("<h4>Rows</h4><table cellpadding=2>");
        for (const auto& [table, n] : info.health.rowCounts)
            html += QStringLiteral("<tr><td>%1</td><td align=right>%2</td></tr>")
                        .arg(table.toHtmlEscaped())
                        .arg(n);
        html += QStringLiteral("</table>");
    }
    m_summary->setHtml(html);
}

void SchemaView::reload() {
    if (!m_session)
        return;
    showSummary();
    using Overview = Result<SchemaOverview>;
    m_session->run<Overview>(
        this,
        [](WorkerContext& ctx) -> Overview {
            if (!ctx.conn)
                return fail(ErrorCode::ConnectionFailed, QStringLiteral("not connected"));
            return SchemaBrowser::read(*ctx.conn);
        },
        [this](const Overview& o) {
            m_tree->clear();
            if (!o) {
                emit failed(o.error().oneLine());
                return;
            }
            auto* tables = new QTreeWidgetItem(
                m_tree, {tr("Tables"), QString(), QString::number(o->tables.size())});
            for (const TableDescription& t : o->tables) {
                auto* ti = new QTreeWidgetItem(
                    tables, {t.name, t.isView ? tr("view") : tr("table"),
                             tr("%n column(s)", nullptr, int(t.columns.size()))});
                ti->setData(0, Qt::UserRole, t.sql);
                for (const ColumnDescription& c : t.columns) {
                    QStringList notes;
                    if (c.primaryKey)
                        notes << QStringLiteral("PRIMARY KEY");
                    if (c.notNull)
                        notes << QStringLiteral("NOT NULL");
                    if (!c.defaultValue.isEmpty())
                        notes << QStringLiteral("DEFAULT %1").arg(c.defaultValue);
                    new QTreeWidgetItem(ti, {c.name, c.type, notes.join(QLatin1Char(' '))});
                }
            }
            auto addGroup = [this](const QString& title, const QList<SchemaObject>& objects) {
                auto* group = new QTreeWidgetItem(
                    m_tree, {title, QString(), QString::number(objects.size())});
                for (const SchemaObject& x : objects) {
                    auto* item = new QTreeWidgetItem(group, {x.name, x.table, QString()});
                    item->setData(0, Qt::UserRole, x.definition);
                    item->setToolTip(0, plainToolTip(x.definition.left(1000)));
                }
            };
            addGroup(tr("Indexes"), o->indexes);
            addGroup(tr("Triggers"), o->triggers);
            addGroup(tr("Views"), o->views);
            tables->setExpanded(true);
            emit completionWordsReady(o->completionWords());
            emit loaded(int(o->tables.size()));
        });
}

} // namespace ctx::ui
