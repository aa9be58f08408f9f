#pragma once

#include "core/inspect/ActivityStats.h"

#include <QPointer>
#include <QWidget>

class QCheckBox;
class QLabel;
class QChartView;

namespace ctx::ui {

class DatabaseSession;

// Messages per hour per agent (stacked bars) for the selected session or the whole
// database; clicking a bar asks the message list to show that agent in that hour. Counts
// only what the current viewer ("view as") may see.
class ActivityChartView : public QWidget {
    Q_OBJECT
public:
    explicit ActivityChartView(QWidget* parent = nullptr);
    // Another database: an empty chart, no selected session, no pending count.
    void setSession(DatabaseSession* session);
    void setCurrentSessionId(const QString& id);
    // Empties the chart; counts again at once when shown.
    void setViewer(const Viewer& viewer);
    void reload();
    const HourlyActivity& activity() const { return m_activity; }
    // What a click on a bar does, callable from tests.
    void activateBar(const QString& agent, int hourIndex);

signals:
    void filterRequested(const QString& sender, qint64 sinceMicros, qint64 untilMicros);
    void loaded(qint64 messages);

private:
    void showActivity();
    void clearChart();

    QPointer<DatabaseSession> m_session;
    QString m_sessionId;
    Viewer m_viewer;
    QCheckBox* m_wholeDatabase;
    QLabel* m_info;
    QChartView* m_view;
    HourlyActivity m_activity;
    quint64 m_generation = 0;
};

} // namespace ctx::ui
