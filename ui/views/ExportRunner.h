#pragma once

#include "core/db/SqlScript.h"
#include "core/store/StoreTypes.h"

#include <QObject>
#include <QPointer>
#include <atomic>
#include <memory>

class QProgressDialog;
class QWidget;

namespace ctx::ui {

class DatabaseSession;

// Writes the current message list or a query's full result to CSV or JSON on the
// worker, streaming page by page, with a progress dialog and Cancel.
class ExportRunner : public QObject {
    Q_OBJECT
public:
    explicit ExportRunner(QWidget* parent);

    void exportMessages(DatabaseSession* session, const MessageQuery& query, const QString& path);
    void exportQuery(DatabaseSession* session, const QList<SqlStatement>& statements,
                     const QString& path);
    bool isRunning() const { return m_running; }

signals:
    void finished(bool ok, const QString& message);

private:
    void begin(DatabaseSession* session, const QString& what);
    void end(bool ok, const QString& message);

    QWidget* m_parentWidget;
    QPointer<DatabaseSession> m_session;
    QProgressDialog* m_dialog = nullptr;
    std::shared_ptr<std::atomic<bool>> m_cancelled;
    bool m_running = false;
};

} // namespace ctx::ui
