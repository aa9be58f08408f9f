#pragma once

#include "core/assess/AssessReport.h"
#include "core/compare/DiffTypes.h"
#include "core/db/DatabaseUrl.h"
#include "core/inspect/TargetProbe.h"
#include "core/transfer/MigrateTypes.h"

#include <QDateTime>
#include <QList>
#include <QPair>
#include <optional>

namespace ctx::ui {

// What the source page found out about the legacy file.
struct SourceSummary {
    QString path;
    qint64 fileBytes = 0;
    qint64 walBytes = -1; // -1: no -wal file
    SchemaInfo schema;
    QList<QPair<QString, qint64>> rows; // table -> rows, -1 when absent, -2 damaged
};

enum class TransferMode { Fresh, Replace, Resume };

// Everything the pages share, filled page by page.
struct WizardState {
    std::optional<SourceSummary> source;
    std::optional<DatabaseUrl> target; // with its password, never shown
    std::optional<TargetProbeResult> probe;
    std::optional<AssessReport> assessment;
    TransferMode mode = TransferMode::Fresh;
    // The assessment found the source damaged and the user chose to carry its readable
    // rows (migrate --salvage); otherwise a damaged source is refused.
    bool salvage = false;
    int jobs = 2;
    BatchLimits limits;
    std::optional<MigrateSummary> summary;
    QStringList log;
    QDateTime runStarted;
    QDateTime runFinished;
    std::optional<DiffReport> verification;

    QString sourcePath() const { return source ? source->path : QString(); }
    // True when the target holds an unfinished migration of this very source file.
    bool resumable() const;
    // The headless equivalent of what the wizard does (password left out).
    QString commandLine() const;
};

} // namespace ctx::ui
