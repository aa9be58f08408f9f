#pragma once

#include <QAbstractTableModel>
#include <QPointer>
#include <QStringList>
#include <QVariantList>
#include <atomic>
#include <memory>

namespace ctx::ui {

class DatabaseSession;

// The console's result grid: rows come from the open result on the worker in
// chunks as the view scrolls (canFetchMore/fetchMore), up to a bound; the grid
// never asks for the whole result at once.
class QueryResultModel : public QAbstractTableModel {
    Q_OBJECT
public:
    explicit QueryResultModel(QObject* parent = nullptr);
    ~QueryResultModel() override;

    static constexpr int kChunk = 256;
    static constexpr int kMaxRows = 200000;

    // A new result is held by the session's console runner; cutAtSource: the runner
    // stopped reading at its bound (the result had more rows).
    void startResult(DatabaseSession* session, const QStringList& columns,
                     bool cutAtSource = false);
    void clear();
    bool isComplete() const { return m_atEnd; }
    bool isTruncated() const { return m_truncated; }
    QStringList columns() const { return m_columns; }
    const QList<QVariantList>& rows() const { return m_rows; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

    static QString displayOf(const QVariant& value);

signals:
    void rowsArrived(int total, bool complete);

private:
    QPointer<DatabaseSession> m_session;
    QStringList m_columns;
    QList<QVariantList> m_rows;
    bool m_atEnd = true;
    bool m_fetching = false;
    bool m_truncated = false;
    bool m_cutAtSource = false;
    quint64 m_generation = 0;
    std::shared_ptr<std::atomic<quint64>> m_live;
};

} // namespace ctx::ui
