#include "BrowseProbe.h"

#include <QCoreApplication>
#include <QFile>
#include <QThread>

StallMeter::StallMeter() {
    m_timer.setInterval(2);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        const qint64 now = m_clock.elapsed();
        if (now - m_last > m_max) {
            m_max = now - m_last;
            m_maxAt = now;
        }
        m_last = now;
    });
    m_clock.start();
    m_timer.start();
}

void StallMeter::reset() {
    m_last = m_clock.elapsed();
    m_max = 0;
    m_maxAt = 0;
}

bool waitUntil(const std::function<bool()>& done, int timeoutMs) {
    QElapsedTimer t;
    t.start();
    while (!done()) {
        if (t.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
        QThread::usleep(200);
    }
    return true;
}

qint64 peakRssMb() {
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : f.readAll().split('\n'))
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong() / 1024;
    return -1;
}
