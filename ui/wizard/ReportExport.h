#pragma once

#include "WizardState.h"

#include <QJsonObject>

namespace ctx::ui {

// The wizard's documents: the assessment as HTML (its JSON is core's
// assessReportToJson, the shape of `ctxdb assess --json`) and the final migration
// report as JSON (the field names of `ctxdb migrate --json`) and as a self-contained
// HTML page. URLs appear redacted only.
class ReportExport {
public:
    static QString assessmentHtml(const AssessReport& r);
    static QJsonObject migrationJson(const WizardState& s);
    static QString migrationHtml(const WizardState& s);
    static QJsonObject verificationJson(const DiffReport& r);

    // Writes text to path; the error names the file and the reason.
    static Status write(const QString& path, const QByteArray& bytes);
};

} // namespace ctx::ui
