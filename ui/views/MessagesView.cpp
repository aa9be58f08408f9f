#include "MessagesView.h"

#include "MessageFilterBar.h"
#include "ui/models/MessageTableModel.h"
#include "ui/workers/DatabaseSession.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLocale>
#include <QTableView>
#include <QVBoxLayout>

namespace ctx::ui {

MessagesView::MessagesView(QWidget* parent)
    : QWidget(parent)
    , m_filters(new MessageFilterBar)
    , m_table(new QTableView)
    , m_count(new QLabel)
    , m_model(new MessageTableModel(this)) {
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setWordWrap(false);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    // Fixed widths: never ResizeToContents, which would read every row.
    const int ch = fontMetrics().horizontalAdvance(QLatin1Char('0'));
    m_table->setColumnWidth(MessageTableModel::IdColumn, ch * 9);
    m_table->setColumnWidth(MessageTableModel::TimeColumn, ch * 24);
    m_table->setColumnWidth(MessageTableModel::SenderColumn, ch * 16);
    m_table->setColumnWidth(MessageTableModel::SenderTypeColumn, ch * 11);
    m_table->setColumnWidth(MessageTableModel::VisibilityColumn, ch * 11);
    m_table->setColumnWidth(MessageTableModel::TypeColumn, ch * 15);
    m_count->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_filters);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_count);

    connect(m_filters, &MessageFilterBar::changed, this, &MessagesView::applyFilters);
    connect(m_model, &MessageTableModel::totalKnown, this, &MessagesView::updateCount);
    connect(m_model, &MessageTableModel::loadFailed, this, &MessagesView::statusChanged);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                if (const Message* m = m_model->messageAt(current.row()))
                    emit messageSelected(m->id, m_model->query().viewer);
            });
    // A row selected while its page was still loading is reported once it arrives.
    connect(m_model, &MessageTableModel::pageLoaded, this, [this](int page) {
        const int row = m_table->currentIndex().row();
        if (row >= 0 && row / m_model->pageSize() == page)
            if (const Message* m = m_model->messageAt(row))
                emit messageSelected(m->id, m_model->query().viewer);
    });
}

void MessagesView::setSession(DatabaseSession* session) {
    m_session = session;
    m_sessionId.clear();
    const Viewer viewer = m_filters->viewer();
    m_filters->clear(); // the old database's senders, types and times mean nothing here
    m_filters->setAgents({});
    m_filters->setViewer(viewer);
    m_model->setSession(session); // drops every row, cached page and pending page
    m_count->clear();
}

QString MessagesView::countText() const {
    return m_count->text();
}

void MessagesView::syncViewer() {
    const Viewer viewer = m_filters->viewer();
    if (viewer == m_viewer)
        return;
    m_viewer = viewer;
    emit viewerChanged(viewer);
}

MessageQuery MessagesView::currentQuery() const {
    MessageQuery q;
    q.sessionId = m_sessionId;
    q.viewer = m_filters->viewer();
    q.filter = m_filters->filter();
    return q;
}

void MessagesView::showLatest(const QString& sessionId, const QStringList& agents) {
    showSession(sessionId, agents);
    m_endWhenCounted = true;
}

void MessagesView::showSession(const QString& sessionId, const QStringList& agents) {
    m_endWhenCounted = false;
    m_sessionId = sessionId;
    m_filters->setAgents(agents);
    applyFilters();
}

void MessagesView::applyFilters() {
    syncViewer();
    if (m_sessionId.isEmpty())
        return;
    m_count->setText(tr("Counting…"));
    m_model->setQuery(currentQuery());
}

void MessagesView::updateCount() {
    m_count->setText(
        tr("%1 messages in %2").arg(QLocale().toString(m_model->total()), m_sessionId));
    emit statusChanged(m_count->text());
    if (m_endWhenCounted) {
        m_endWhenCounted = false;
        jumpToEnd();
    }
}

bool MessagesView::isAtEnd() const {
    const int rows = m_model->rowCount();
    return rows == 0 || m_table->currentIndex().row() == rows - 1;
}

void MessagesView::jumpToEnd() {
    jumpToRow(m_model->rowCount() - 1);
}

void MessagesView::jumpToRow(int row) {
    if (row < 0 || row >= m_model->rowCount())
        return;
    const QModelIndex idx = m_model->index(row, 0);
    m_table->setCurrentIndex(idx);
    // Ask for its page now: a table behind another tab is not painted, and the pane
    // would wait for it until the user looked.
    (void)m_model->data(idx);
    m_table->scrollTo(idx, QAbstractItemView::PositionAtCenter);
}

} // namespace ctx::ui
