#include "QueryResultModel.h"

#include "core/inspect/QueryRunner.h"
#include "ui/views/InertText.h"
#include "ui/workers/DatabaseSession.h"

#include <QApplication>
#include <QPalette>

namespace ctx::ui {

namespace {
struct Chunk {
    QList<QVariantList> rows;
    bool atEnd = true;
};
} // namespace

QueryResultModel::QueryResultModel(QObject* parent)
    : QAbstractTableModel(parent)
    , m_live(std::make_shared<std::atomic<quint64>>(0)) {}

QueryResultModel::~QueryResultModel() {
    m_live->store(~quint64(0));
}

void QueryResultModel::startResult(DatabaseSession* session, const QStringList& columns,
                                   bool cutAtSource) {
    beginResetModel();
    m_cutAtSource = cutAtSource;
    m_session = session;
    m_columns = columns;
    m_rows.clear();
    m_atEnd = false;
    m_fetching = false;
    m_truncated = false;
    m_live->store(++m_generation);
    endResetModel();
    fetchMore({});
}

void QueryResultModel::clear() {
    beginResetModel();
    m_columns.clear();
    m_rows.clear();
    m_atEnd = true;
    m_fetching = false;
    m_live->store(++m_generation);
    endResetModel();
}

int QueryResultModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int QueryResultModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_columns.size());
}

QString QueryResultModel::displayOf(const QVariant& value) {
    if (value.isNull() || !value.isValid())
        return QStringLiteral("NULL");
    if (value.typeId() == QMetaType::QByteArray)
        return tr("<%n byte(s)>", nullptr, int(value.toByteArray().size()));
    QString s = value.toString();
    if (s.size() > 500)
        s = s.left(500) + QStringLiteral("…");
    s.replace(QLatin1Char('\n'), QStringLiteral(" ⏎ "));
    return s;
}

QVariant QueryResultModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const QVariant& v = m_rows.at(index.row()).value(index.column());
    if (role == Qt::DisplayRole)
        return displayOf(v);
    if (role == Qt::ForegroundRole && v.isNull())
        return QApplication::palette().brush(QPalette::PlaceholderText);
    if (role == Qt::ToolTipRole && v.typeId() != QMetaType::QByteArray)
        return plainToolTip(v.toString().left(4000)); // never taken for HTML
    return {};
}

QVariant QueryResultModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (role != Qt::DisplayRole)
        return {};
    return orientation == Qt::Horizontal ? QVariant(m_columns.value(section))
                                         : QVariant(section + 1);
}

bool QueryResultModel::canFetchMore(const QModelIndex& parent) const {
    return !parent.isValid() && !m_atEnd && !m_fetching && m_session;
}

void QueryResultModel::fetchMore(const QModelIndex& parent) {
    if (parent.isValid() || m_atEnd || m_fetching || !m_session)
        return;
    m_fetching = true;
    const quint64 gen = m_generation;
    auto live = m_live;
    m_session->run<Chunk>(
        this,
        [gen, live](WorkerContext& ctx) {
            Chunk chunk;
            auto runner = std::static_pointer_cast<QueryRunner>(ctx.console);
            if (live->load() != gen || !runner)
                return chunk;
            chunk.rows = runner->fetch(kChunk, &chunk.atEnd);
            if (chunk.atEnd)
                runner->close();
            return chunk;
        },
        [this, gen](const Chunk& chunk) {
            if (gen != m_generation)
                return;
            m_fetching = false;
            if (!chunk.rows.isEmpty()) {
                beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + chunk.rows.size()) - 1);
                m_rows.append(chunk.rows);
                endInsertRows();
            }
            m_atEnd = chunk.atEnd;
            if (m_atEnd && m_cutAtSource)
                m_truncated = true;
            if (!m_atEnd && m_rows.size() >= kMaxRows) {
                m_atEnd = true;
                m_truncated = true;
            }
            emit rowsArrived(int(m_rows.size()), m_atEnd);
        });
}

} // namespace ctx::ui
