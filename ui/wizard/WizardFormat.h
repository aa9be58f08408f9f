#pragma once

#include <QString>

namespace ctx::ui {

// Human-readable sizes, durations and escaping shared by the wizard, compare and
// schema views and their HTML reports.
QString formatBytes(qint64 bytes);
QString formatSeconds(double seconds);
QString formatCount(qint64 n);
QString htmlEscape(const QString& s);

} // namespace ctx::ui
