#include "WizardFormat.h"

#include <QLocale>

namespace ctx::ui {

QString formatBytes(qint64 bytes) {
    if (bytes < 0)
        return QStringLiteral("unknown");
    return QLocale::c().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

QString formatSeconds(double seconds) {
    if (seconds < 0)
        return QStringLiteral("–");
    if (seconds < 60)
        return QStringLiteral("%1 s").arg(seconds, 0, 'f', seconds < 10 ? 1 : 0);
    const qint64 s = qint64(seconds + 0.5);
    if (s < 3600)
        return QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60);
    return QStringLiteral("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
}

QString formatCount(qint64 n) {
    return QLocale(QLocale::English).toString(n);
}

QString htmlEscape(const QString& s) {
    return s.toHtmlEscaped();
}

} // namespace ctx::ui
