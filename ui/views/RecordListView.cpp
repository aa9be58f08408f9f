#include "RecordListView.h"

#include "ui/workers/DatabaseSession.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace ctx::ui {

RecordListView::RecordListView(const QStringList& headers, const QStringList& filterNames,
                               Loader loader, QWidget* parent)
    : QWidget(parent)
    , m_loader(std::move(loader))
    , m_table(new QTableView)
    , m_info(new QLabel)
    , m_model(new RecordTableModel(headers, this))
    , m_proxy(new QSortFilterProxyModel(this)) {
    auto* bar = new QHBoxLayout;
    for (const QString& name : filterNames) {
        auto* edit = new QLineEdit;
        edit->setPlaceholderText(name);
        edit->setClearButtonEnabled(true);
        connect(edit, &QLineEdit::returnPressed, this, &RecordListView::reload);
        bar->addWidget(edit);
        m_filters << edit;
    }
    auto* reloadButton = new QPushButton(tr("Apply"));
    reloadButton->setToolTip(tr("Read again with these filters (F5)"));
    connect(reloadButton, &QPushButton::clicked, this, &RecordListView::reload);
    bar->addWidget(reloadButton);
    bar->addStretch();
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(RecordTableModel::SortRole);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_info);
}

void RecordListView::setSession(DatabaseSession* session) {
    m_session = session;
    ++m_generation; // a list still on its way belongs to the old database
    m_model->setRows({});
    m_info->clear();
}

void RecordListView::setFilter(int field, const QString& value) {
    if (field >= 0 && field < m_filters.size())
        m_filters.at(field)->setText(value);
}

void RecordListView::reload() {
    if (!m_session)
        return;
    QStringList values;
    for (auto* f : m_filters)
        values << f->text().trimmed();
    const quint64 gen = ++m_generation;
    m_info->setText(tr("Loading…"));
    using Rows = Result<QList<RecordRow>>;
    auto loader = m_loader;
    m_session->run<Rows>(
        this,
        [loader, values](WorkerContext& ctx) -> Rows {
            if (!ctx.conn)
                return fail(ErrorCode::ConnectionFailed, QStringLiteral("not connected"));
            return loader(*ctx.conn, values);
        },
        [this, gen](const Rows& rows) {
            if (gen != m_generation)
                return;
            if (!rows) {
                m_info->setText(rows.error().oneLine());
                emit failed(rows.error().oneLine());
                return;
            }
            m_model->setRows(*rows);
            m_table->resizeColumnsToContents();
            for (int c = 0; c < m_model->columnCount(); ++c)
                m_table->setColumnWidth(c, std::min(m_table->columnWidth(c), 320));
            m_info->setText(tr("%n row(s)", nullptr, int(rows->size())));
            emit loaded(int(rows->size()));
        });
}

} // namespace ctx::ui
