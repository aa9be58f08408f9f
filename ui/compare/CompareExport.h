#pragma once

#include "core/compare/DiffTypes.h"

#include <QJsonObject>

namespace ctx::ui {

// A comparison's documents: JSON (summary and the differing rows, raw and
// normalized), a self-contained colour-coded HTML page, and CSV with one line per
// differing value. Both sides appear by their redacted URLs.
class CompareExport {
public:
    static QJsonObject json(const DiffReport& r);
    static QString html(const DiffReport& r);
    static QString csv(const DiffReport& r);
    // By the path's suffix: .json, .csv, otherwise HTML.
    static QByteArray render(const DiffReport& r, const QString& path);
};

} // namespace ctx::ui
