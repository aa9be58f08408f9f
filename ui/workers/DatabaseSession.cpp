#include "DatabaseSession.h"

#include "core/inspect/QueryRunner.h"
#include "core/schema/SchemaDetector.h"
#include "core/store/Store.h"

namespace ctx::ui {

WorkerContext::~WorkerContext() {
    console.reset();
    search.reset();
    canceller.reset();
    conn.reset();
}

DatabaseSession::DatabaseSession(const DatabaseUrl& url, bool readOnly, QObject* parent)
    : QObject(parent)
    , m_url(url)
    , m_readOnly(readOnly)
    , m_ctx(std::make_unique<WorkerContext>()) {
    m_target = new QObject;
    m_target->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_target, &QObject::deleteLater);
    m_thread.setObjectName(QStringLiteral("db-worker"));
    m_thread.start();
}

DatabaseSession::~DatabaseSession() {
    m_closing = true;
    interrupt();
    // The connection is closed on the thread that opened it, after the job running now.
    QMetaObject::invokeMethod(
        m_target,
        [ctx = m_ctx.get()]() {
            ctx->console.reset();
            ctx->search.reset();
            ctx->canceller.reset();
            ctx->conn.reset();
            QThread::currentThread()->quit();
        },
        Qt::QueuedConnection);
    m_thread.wait();
}

void DatabaseSession::post(std::function<void()> task) {
    QMetaObject::invokeMethod(
        m_target,
        [this, task = std::move(task)]() {
            if (m_closing)
                return;
            if (m_ctx->canceller)
                m_ctx->canceller->reset();
            task();
        },
        Qt::QueuedConnection);
}

bool DatabaseSession::reopenIfSourceChanged() {
    if (!m_ctx->conn || m_ctx->conn->sourceUnchanged())
        return false;
    m_ctx->console.reset(); // its open result belongs to the old handle
    if (m_ctx->canceller)
        m_ctx->canceller->rebind(nullptr);
    // Failed, the connection stays closed: the job run again reports that in one line.
    const Status reopened = m_ctx->conn->reopenChangedSource();
    if (m_ctx->canceller && reopened)
        m_ctx->canceller->rebind(m_ctx->conn.get());
    if (m_ctx->search && m_ctx->canceller) { // its side cache was attached to the old handle
        m_ctx->search = std::make_unique<SearchIndex>(*m_ctx->conn);
        m_ctx->search->setStopFlag(m_ctx->canceller->flag());
    }
    return true;
}

void DatabaseSession::interrupt() {
    // The canceller is created once, right after connecting, and lives until close.
    if (m_open && m_ctx->canceller)
        m_ctx->canceller->cancel();
}

void DatabaseSession::open() {
    const DatabaseUrl url = m_url;
    const bool readOnly = m_readOnly;
    using Opened = Result<OpenInfo>;
    run<Opened>(
        this,
        [url, readOnly](WorkerContext& ctx) -> Opened {
            ConnectionOptions options;
            options.readOnly = readOnly;
            auto conn = Connection::open(url, options);
            if (!conn)
                return std::unexpected(conn.error());
            OpenInfo info;
            info.engine = url.engine();
            auto version =
                (*conn)->scalar(url.isSqlite() ? QStringLiteral("SELECT sqlite_version()")
                                               : QStringLiteral("SHOW server_version"));
            if (version)
                info.serverVersion = version->toString();
            auto schema = SchemaDetector::detect(**conn);
            if (!schema)
                return std::unexpected(schema.error());
            if (!schema->sharedContext)
                return fail(ErrorCode::NotADatabase,
                            QStringLiteral("not a shared-context-server database (no sessions "
                                           "and messages tables)"),
                            url.redacted());
            info.schema = *schema;
            ctx.conn = std::move(*conn);
            ctx.canceller = std::make_unique<QueryCanceller>(*ctx.conn);
            ctx.search = std::make_unique<SearchIndex>(*ctx.conn);
            // Cancel, opening another database and closing stop an index build too.
            ctx.search->setStopFlag(ctx.canceller->flag());
            return info;
        },
        [this](const Opened& r) {
            if (!r) {
                emit openFailed(r.error());
                return;
            }
            const Health counted = m_info.health; // countRowsOn may have come first
            m_info = *r;
            m_info.health = counted;
            m_open = true;
            emit opened();
        });
}

void DatabaseSession::countRowsOn(DatabaseSession* worker) {
    using Counted = Result<Health>;
    worker->run<Counted>(
        this,
        [](WorkerContext& ctx) -> Counted {
            if (!ctx.conn)
                return fail(ErrorCode::ConnectionFailed, QStringLiteral("not connected"));
            return StoreMaintenance(*ctx.conn).health();
        },
        [this](const Counted& health) {
            if (!health) // the figures stay out; nothing else depends on them
                return;
            m_info.health = *health;
            emit healthChanged();
        });
}

} // namespace ctx::ui
