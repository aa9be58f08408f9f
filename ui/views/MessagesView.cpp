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
#include <algorithm>
#include <utility>

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
    connect(m_model, &MessageTableModel::estimated, this, &MessagesView::showEstimate);
    connect(m_model, &MessageTableModel::rowsAboutToBeInserted, this,
            [this](const QModelIndex&, int first, int) { rememberTopRow(first); });
    connect(
        m_model, &MessageTableModel::rowsInserted, this,
        [this](const QModelIndex&, int first, int last) { keepTopRow(first, last - first + 1); });
    connect(m_model, &MessageTableModel::rowsAboutToBeRemoved, this,
            [this](const QModelIndex&, int first, int) { rememberTopRow(first); });
    connect(
        m_model, &MessageTableModel::rowsRemoved, this,
        [this](const QModelIndex&, int first, int last) { keepTopRow(first, first - last - 1); });
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

void MessagesView::showLatest(const QString& sessionId, const QStringList& agents,
                              qint64 messageCount) {
    showFrom(sessionId, agents, messageCount, true);
}

void MessagesView::showSession(const QString& sessionId, const QStringList& agents,
                               qint64 messageCount) {
    showFrom(sessionId, agents, messageCount, false);
}

void MessagesView::showFrom(const QString& sessionId, const QStringList& agents,
                            qint64 messageCount, bool atEnd) {
    m_endPending = atEnd;
    m_endWhenCounted = false;
    if (sessionId != m_sessionId)
        m_messageCount = -1;
    m_messageCount = std::max(m_messageCount, messageCount);
    m_sessionId = sessionId;
    m_filters->setAgents(agents);
    applyFilters();
}

void MessagesView::applyFilters() {
    syncViewer();
    if (m_sessionId.isEmpty())
        return;
    const MessageQuery q = currentQuery();
    MessageTableModel::FirstRows first;
    first.atEnd = m_endPending;
    // The sessions list counted every message: an estimate for an admin without filter.
    if (q.viewer.admin && q.filter == MessageFilter{})
        first.estimate = m_messageCount;
    // The same query again (a server appended to it): at least as many rows as before.
    const MessageQuery& before = m_model->query();
    if (m_model->isTotalKnown() && before.sessionId == q.sessionId && before.viewer == q.viewer &&
        before.filter == q.filter)
        first.estimate = std::max(first.estimate, m_model->total());
    m_estimateGiven = first.estimate >= 0;
    m_count->setText(tr("Counting…"));
    m_model->setQuery(q, first);
}

void MessagesView::showEstimate() {
    const QString rows = QLocale().toString(m_model->total());
    m_count->setText(m_estimateGiven
                         ? tr("about %1 messages in %2 (counting…)").arg(rows, m_sessionId)
                         : tr("at least %1 messages in %2 (counting…)").arg(rows, m_sessionId));
    emit statusChanged(m_count->text());
    if (std::exchange(m_endPending, false))
        jumpToRow(m_model->rowCount() - 1); // the newest row, read before the count
}

void MessagesView::updateCount() {
    m_count->setText(
        tr("%1 messages in %2").arg(QLocale().toString(m_model->total()), m_sessionId));
    emit statusChanged(m_count->text());
    const bool end = std::exchange(m_endPending, false);
    if (std::exchange(m_endWhenCounted, false) || end)
        jumpToEnd();
}

void MessagesView::rememberTopRow(int first) {
    const int top = m_table->rowAt(0);
    m_topRow = top >= first ? top : -1;
}

void MessagesView::keepTopRow(int first, int delta) {
    const int top = std::exchange(m_topRow, -1);
    if (top < 0 || m_model->rowCount() == 0)
        return;
    const int row = std::clamp(std::max(first, top + delta), 0, m_model->rowCount() - 1);
    m_table->scrollTo(m_model->index(row, 0), QAbstractItemView::PositionAtTop);
}

bool MessagesView::isAtEnd() const {
    const int rows = m_model->rowCount();
    return rows == 0 || m_table->currentIndex().row() == rows - 1;
}

void MessagesView::jumpToEnd() {
    // Before the count the last row is the estimate's: jump again once counted.
    m_endWhenCounted = !m_model->isTotalKnown();
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
