#include "ExportRunner.h"

#include "core/inspect/QueryRunner.h"
#include "core/inspect/TableExport.h"
#include "core/store/Store.h"
#include "ui/workers/DatabaseSession.h"

#include <QDateTime>
#include <QProgressDialog>

namespace ctx::ui {

namespace {
QVariant utc(std::optional<qint64> micros) {
    if (!micros)
        return {};
    return QDateTime::fromMSecsSinceEpoch(*micros / 1000, Qt::UTC).toString(Qt::ISODateWithMs);
}
} // namespace

ExportRunner::ExportRunner(QWidget* parent)
    : QObject(parent)
    , m_parentWidget(parent) {}

void ExportRunner::begin(DatabaseSession* session, const QString& what) {
    m_session = session;
    m_running = true;
    m_cancelled = std::make_shared<std::atomic<bool>>(false);
    m_dialog = new QProgressDialog(what, tr("Cancel"), 0, 0, m_parentWidget);
    m_dialog->setWindowModality(Qt::WindowModal);
    m_dialog->setMinimumDuration(300);
    m_dialog->setAutoClose(false);
    m_dialog->setAutoReset(false);
    auto cancelled = m_cancelled;
    connect(m_dialog, &QProgressDialog::canceled, this, [this, cancelled] {
        cancelled->store(true);
        if (m_session)
            m_session->interrupt();
    });
    // The database closed under the export (another one opened): its job will never
    // answer, so the export ends here instead of waiting forever.
    connect(session, &QObject::destroyed, this, [this, cancelled] {
        cancelled->store(true);
        if (m_running && !m_session) // this export's session, not a later one's
            end(false, tr("Export stopped: the database was closed"));
    });
    connect(session, &DatabaseSession::progress, m_dialog,
            [dialog = m_dialog](const QString& task, qint64 done, qint64 total) {
                if (task.isEmpty())
                    return;
                dialog->setMaximum(int(std::min<qint64>(total, INT_MAX)));
                dialog->setValue(int(std::min<qint64>(done, INT_MAX)));
                dialog->setLabelText(task);
            });
}

void ExportRunner::end(bool ok, const QString& message) {
    m_running = false;
    if (m_dialog) {
        m_dialog->deleteLater();
        m_dialog = nullptr;
    }
    emit finished(ok, message);
}

void ExportRunner::exportMessages(DatabaseSession* session, const MessageQuery& query,
                                  const QString& path) {
    if (m_running || !session)
        return;
    begin(session, tr("Exporting messages to %1…").arg(path));
    auto cancelled = m_cancelled;
    DatabaseSession* relay = session;
    session->run<Result<qint64>>(
        this,
        [query, path, cancelled, relay](WorkerContext& ctx) -> Result<qint64> {
            if (!ctx.conn)
                return fail(ErrorCode::ConnectionFailed, QStringLiteral("not connected"));
            TableExportWriter writer;
            const QStringList columns{QStringLiteral("id"),
                                      QStringLiteral("session_id"),
                                      QStringLiteral("sender"),
                                      QStringLiteral("sender_type"),
                                      QStringLiteral("visibility"),
                                      QStringLiteral("message_type"),
                                      QStringLiteral("timestamp"),
                                      QStringLiteral("timestamp_raw"),
                                      QStringLiteral("parent_message_id"),
                                      QStringLiteral("content"),
                                      QStringLiteral("metadata")};
            if (auto ok = writer.open(path, TableExportWriter::formatForPath(path), columns); !ok)
                return std::unexpected(ok.error());
            MessageStore store(*ctx.conn);
            MessageQuery q = query;
            q.limit = 1000;
            q.withTotal = true;
            q.after.clear();
            q.fromEnd = false;
            qint64 total = -1;
            while (true) {
                if (cancelled->load())
                    return fail(ErrorCode::Cancelled, QStringLiteral("export cancelled"), path);
                auto page = store.page(q);
                if (!page)
                    return std::unexpected(page.error());
                if (total < 0)
                    total = page->total;
                q.withTotal = false;
                for (const Message& m : page->messages) {
                    const QVariantList row{m.id,
                                           m.sessionId,
                                           m.sender,
                                           m.senderType,
                                           m.visibility,
                                           m.messageType,
                                           utc(m.timestamp),
                                           m.rawTimestamp.display(),
                                           m.parentId ? QVariant(*m.parentId) : QVariant(),
                                           m.content,
                                           m.metadataJson};
                    if (auto ok = writer.writeRow(row); !ok)
                        return std::unexpected(ok.error());
                }
                relay->reportProgress(
                    QObject::tr("Exported %1 of %2 messages").arg(writer.rowsWritten()).arg(total),
                    writer.rowsWritten(), std::max<qint64>(total, 1));
                if (!page->hasMore || page->nextCursor.isEmpty())
                    break;
                q.after = page->nextCursor;
            }
            if (auto ok = writer.finish(); !ok)
                return std::unexpected(ok.error());
            return writer.rowsWritten();
        },
        [this, path](const Result<qint64>& r) {
            end(bool(r),
                r ? tr("%1 messages written to %2").arg(*r).arg(path) : r.error().oneLine());
        });
}

void ExportRunner::exportQuery(DatabaseSession* session, const QList<SqlStatement>& statements,
                               const QString& path) {
    if (m_running || !session || statements.isEmpty())
        return;
    begin(session, tr("Exporting the query result to %1…").arg(path));
    auto cancelled = m_cancelled;
    DatabaseSession* relay = session;
    session->run<Result<qint64>>(
        this,
        [statements, path, cancelled, relay](WorkerContext& ctx) -> Result<qint64> {
            if (!ctx.conn)
                return fail(ErrorCode::ConnectionFailed, QStringLiteral("not connected"));
            ctx.console.reset();
            QueryRunner runner(*ctx.conn);
            auto outcome = runner.run(statements, ctx.canceller.get());
            if (!outcome)
                return std::unexpected(outcome.error().error);
            TableExportWriter writer;
            if (auto ok =
                    writer.open(path, TableExportWriter::formatForPath(path), outcome->columns);
                !ok)
                return std::unexpected(ok.error());
            bool atEnd = false;
            while (!atEnd) {
                if (cancelled->load())
                    return fail(ErrorCode::Cancelled, QStringLiteral("export cancelled"), path);
                for (const QVariantList& row : runner.fetch(1000, &atEnd))
                    if (auto ok = writer.writeRow(row); !ok)
                        return std::unexpected(ok.error());
                relay->reportProgress(QObject::tr("Exported %1 rows").arg(writer.rowsWritten()), 0,
                                      0);
            }
            if (auto ok = writer.finish(); !ok)
                return std::unexpected(ok.error());
            return writer.rowsWritten();
        },
        [this, path](const Result<qint64>& r) {
            end(bool(r), r ? tr("%1 rows written to %2").arg(*r).arg(path) : r.error().oneLine());
        });
}

} // namespace ctx::ui
