#include "LiveFollow.h"

#include "DatabaseSession.h"
#include "core/store/MessageFollower.h"

namespace ctx::ui {

struct LiveFollow::State {
    const Connection* conn = nullptr; // the worker's connection the follower reads
    std::unique_ptr<MessageFollower> follower;
    qint64 sessions = -1;
};

namespace {

struct PollResult {
    int messages = 0;
    qint64 sessions = -1; // -1: unchanged
};

} // namespace

LiveFollow::LiveFollow(QObject* parent)
    : QObject(parent) {
    m_timer.setInterval(kIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &LiveFollow::poll);
}

LiveFollow::~LiveFollow() = default;

void LiveFollow::setSession(DatabaseSession* session) {
    m_session = session;
    m_sessionId.clear();
    m_polling = false; // a poll of the old database reports nothing
    restart();
    if (session)
        m_timer.start();
    else
        m_timer.stop();
}

void LiveFollow::setSessionId(const QString& id) {
    if (id == m_sessionId)
        return;
    m_sessionId = id;
    restart();
}

void LiveFollow::setViewer(const Viewer& viewer) {
    if (viewer == m_viewer)
        return;
    m_viewer = viewer;
    restart();
}

void LiveFollow::restart() {
    // A poll still running keeps the old state. The new one starts after the session's
    // newest message now, queued at once: before the list's own count (queued next on the
    // same worker), so nothing committed in between is missed.
    m_state = std::make_shared<State>();
    if (!m_session)
        return;
    const auto state = m_state;
    const QString sessionId = m_sessionId;
    const Viewer viewer = m_viewer;
    m_session->run<bool>(
        this,
        [state, sessionId, viewer](WorkerContext& ctx) {
            if (ctx.conn)
                start(*state, *ctx.conn, sessionId, viewer);
            return true;
        },
        [](const bool&) {});
}

bool LiveFollow::start(State& state, const Connection& conn, const QString& sessionId,
                       const Viewer& viewer) {
    auto latest =
        sessionId.isEmpty() ? Result<qint64>(0) : MessageFollower::latestId(conn, sessionId);
    if (!latest)
        return false;
    state.conn = &conn;
    state.follower = std::make_unique<MessageFollower>(conn, sessionId, viewer, *latest);
    return true;
}

void LiveFollow::poll() {
    if (!m_session || m_polling)
        return;
    m_polling = true;
    using Polled = Result<PollResult>;
    const auto state = m_state;
    const QString sessionId = m_sessionId;
    const Viewer viewer = m_viewer;
    m_session->run<Polled>(
        this,
        [state, sessionId, viewer](WorkerContext& ctx) -> Polled {
            if (!ctx.conn)
                return fail(ErrorCode::ConnectionFailed, QStringLiteral("not connected"));
            const Connection& conn = *ctx.conn;
            PollResult r;
            if (state->conn != &conn || !state->follower) {
                // The session opened the file again (a server started writing it):
                // whatever it wrote counts as new.
                if (state->conn && !sessionId.isEmpty())
                    r.messages = 1;
                if (!start(*state, conn, sessionId, viewer))
                    return fail(ErrorCode::QueryFailed, QStringLiteral("cannot follow"));
            }
            if (!sessionId.isEmpty()) {
                auto fresh = state->follower->poll();
                if (!fresh)
                    return std::unexpected(fresh.error());
                r.messages += int(fresh->size());
            }
            auto sessions = conn.scalar(QStringLiteral("SELECT count(*) FROM sessions"));
            if (!sessions)
                return std::unexpected(sessions.error());
            if (state->sessions >= 0 && sessions->toLongLong() != state->sessions)
                r.sessions = sessions->toLongLong();
            state->sessions = sessions->toLongLong();
            return r;
        },
        [this, sessionId](const Polled& r) {
            m_polling = false;
            if (!r) // a busy or vanished file: the next poll tries again
                return;
            if (r->messages > 0 && sessionId == m_sessionId)
                emit newMessages(sessionId, r->messages);
            if (r->sessions >= 0)
                emit sessionsChanged(r->sessions);
        });
}

} // namespace ctx::ui
