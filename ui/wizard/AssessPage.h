#pragma once

#include "core/Error.h"

#include <QWizardPage>

class QCheckBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace ctx::ui {

class BackgroundJob;
class MigrationWizard;

// Step 3: `ctxdb assess` on a worker thread: the findings (hazard, count, action),
// each expandable to its sample rows as stored and as they will arrive; export
// as HTML and JSON. Reads the source only.
class AssessPage : public QWizardPage {
    Q_OBJECT
public:
    explicit AssessPage(MigrationWizard* wizard);
    void initializePage() override;
    bool isComplete() const override;
    void cancel();
    QTreeWidget* findings() const { return m_tree; }
    // Shown when the source is damaged: unchecked, the migration refuses it (Next stays
    // off); checked, it carries every readable row and records the rest (--salvage).
    QCheckBox* salvageChoice() const { return m_salvage; }
    QString statusText() const;
    Status exportTo(const QString& path); // .html or .json by suffix

signals:
    void assessed(bool ok);
    void samplesLoaded();

private:
    void start();
    void showReport();
    void loadSamples(QTreeWidgetItem* item);
    void exportAs(const QString& suffix);
    void showDamage();

    MigrationWizard* m_wizard;
    QLabel* m_status;
    QCheckBox* m_salvage;
    QProgressBar* m_progress;
    QPushButton* m_cancel;
    QPushButton* m_exportHtml;
    QPushButton* m_exportJson;
    QTreeWidget* m_tree;
    BackgroundJob* m_job;
    BackgroundJob* m_sampleJob;
    QString m_assessedPath;
};

} // namespace ctx::ui
