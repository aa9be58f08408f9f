#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <functional>

// Measures how long the GUI thread goes without running its event loop: a 2 ms
// heartbeat timer; the longest gap between two beats is the longest stall.
class StallMeter : public QObject {
    Q_OBJECT
public:
    StallMeter();
    void reset();
    qint64 maxStallMs() const { return m_max; }
    qint64 maxStallAt() const { return m_maxAt; }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    qint64 m_max = 0;
    qint64 m_maxAt = 0;
};

// Runs the event loop until done() or a timeout; returns whether done() held.
bool waitUntil(const std::function<bool()>& done, int timeoutMs = 120000);
qint64 peakRssMb();
