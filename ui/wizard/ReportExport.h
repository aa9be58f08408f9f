#pragma once

#include "WizardState.h"

#include <QJsonObject>

namespace ctx::ui {

// The wizard's documents: the assessment and the final migration report, each
// as JSON (same field names as `ctxdb assess --json` / `ctxdb migrate --json`)
// and as a self-contained HTML page. URLs appear redacted only.
class ReportExport {
public:
    static QJsonObject assessmentJson(const AssessReport& r);
    static QString assessmentHtml(const AssessReport& r);
    static QJsonObject migrationJson(const WizardState& s);
    static QString migrationHtml(const WizardState& s);
    static QJsonObject verificationJson(const DiffReport& r);

    // Writes text to path; the error names the file and the reason.
    static Status write(const QString& path, const QByteArray& bytes);
};

} // namespace ctx::ui
