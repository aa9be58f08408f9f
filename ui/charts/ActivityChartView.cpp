#include "ActivityChartView.h"

#include "ui/workers/DatabaseSession.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStackedBarSeries>
#include <QVBoxLayout>
#include <QValueAxis>

namespace ctx::ui {

ActivityChartView::ActivityChartView(QWidget* parent)
    : QWidget(parent)
    , m_wholeDatabase(new QCheckBox(tr("Whole database")))
    , m_info(new QLabel)
    , m_view(new QChartView) {
    m_view->setRenderHint(QPainter::Antialiasing);
    auto* refresh = new QPushButton(tr("Refresh"));
    auto* bar = new QHBoxLayout;
    bar->addWidget(m_wholeDatabase);
    bar->addWidget(refresh);
    bar->addWidget(m_info, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);
    connect(m_wholeDatabase, &QCheckBox::toggled, this, &ActivityChartView::reload);
    connect(refresh, &QPushButton::clicked, this, &ActivityChartView::reload);
}

void ActivityChartView::setSession(DatabaseSession* session) {
    m_session = session;
    m_sessionId.clear();
    clearChart();
}

void ActivityChartView::clearChart() {
    ++m_generation; // a count still on its way is dropped
    m_activity = {};
    m_info->clear();
    QChart* previous = m_view->chart();
    m_view->setChart(new QChart);
    delete previous;
}

void ActivityChartView::setViewer(const Viewer& viewer) {
    if (viewer == m_viewer)
        return;
    m_viewer = viewer;
    clearChart();
    if (isVisible())
        reload();
}

void ActivityChartView::setCurrentSessionId(const QString& id) {
    m_sessionId = id;
}

void ActivityChartView::reload() {
    if (!m_session)
        return;
    const QString sessionId = m_wholeDatabase->isChecked() ? QString() : m_sessionId;
    const quint64 gen = ++m_generation;
    m_info->setText(tr("Counting messages per hour…"));
    using Activity = Result<HourlyActivity>;
    m_session->run<Activity>(
        this,
        [sessionId, viewer = m_viewer](WorkerContext& ctx) -> Activity {
            if (!ctx.conn)
                return fail(ErrorCode::ConnectionFailed, QStringLiteral("not connected"));
            return ActivityStats::messagesPerHour(*ctx.conn, sessionId, viewer, 24);
        },
        [this, gen, sessionId](const Activity& a) {
            if (gen != m_generation)
                return;
            if (!a) {
                m_info->setText(a.error().oneLine());
                return;
            }
            m_activity = *a;
            showActivity();
            m_info->setText(tr("%1 messages in the last %2 hours with activity in %3 — click a bar "
                               "to list them")
                                .arg(m_activity.total)
                                .arg(m_activity.hours.size())
                                .arg(sessionId.isEmpty() ? tr("the database") : sessionId));
            emit loaded(m_activity.total);
        });
}

void ActivityChartView::showActivity() {
    auto* chart = new QChart;
    chart->setTitle(tr("Messages per hour per agent (UTC)"));
    chart->legend()->setAlignment(Qt::AlignRight);
    chart->setTheme(palette().color(QPalette::Window).lightness() < 128 ? QChart::ChartThemeDark
                                                                        : QChart::ChartThemeLight);
    auto* series = new QStackedBarSeries;
    for (const QString& agent : m_activity.agents) {
        auto* set = new QBarSet(agent);
        for (qint64 n : m_activity.counts.value(agent))
            *set << double(n);
        connect(set, &QBarSet::clicked, this,
                [this, agent](int index) { activateBar(agent, index); });
        series->append(set);
    }
    chart->addSeries(series);
    QStringList categories;
    for (qint64 h : m_activity.hours)
        categories << QDateTime::fromSecsSinceEpoch(h, Qt::UTC).toString(QStringLiteral("HH:00"));
    if (!m_activity.hours.isEmpty())
        chart->setTitle(
            tr("Messages per hour per agent, %1 – %2 UTC")
                .arg(QDateTime::fromSecsSinceEpoch(m_activity.hours.first(), Qt::UTC)
                         .toString(QStringLiteral("yyyy-MM-dd HH:00")),
                     QDateTime::fromSecsSinceEpoch(m_activity.hours.last() + 3600, Qt::UTC)
                         .toString(QStringLiteral("yyyy-MM-dd HH:00"))));
    auto* x = new QBarCategoryAxis;
    x->append(categories);
    x->setLabelsAngle(-90);
    chart->addAxis(x, Qt::AlignBottom);
    series->attachAxis(x);
    qint64 peak = 1;
    for (int i = 0; i < m_activity.hours.size(); ++i) {
        qint64 sum = 0;
        for (const QString& agent : m_activity.agents)
            sum += m_activity.counts.value(agent).value(i);
        peak = std::max(peak, sum);
    }
    auto* y = new QValueAxis;
    y->setRange(0, double(peak));
    y->applyNiceNumbers();
    if (y->max() <= 10)
        y->setTickCount(int(y->max()) + 1);
    y->setLabelFormat(QStringLiteral("%.0f"));
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(y);
    QChart* previous = m_view->chart();
    m_view->setChart(chart); // the view takes the new chart and releases the old one
    delete previous;
}

void ActivityChartView::activateBar(const QString& agent, int hourIndex) {
    if (hourIndex < 0 || hourIndex >= m_activity.hours.size())
        return;
    const qint64 since = m_activity.hours.at(hourIndex) * 1000000;
    emit filterRequested(agent == HourlyActivity::othersLabel() ? QString() : agent, since,
                         since + qint64(3600) * 1000000);
}

} // namespace ctx::ui
