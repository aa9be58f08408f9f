#include "WriteTransaction.h"

#include <QRandomGenerator>
#include <QThread>

namespace ctx::store {

namespace {
constexpr int kAttempts = 40;

bool isRetryable(const Error& e, const WriteAttempt& attempt) {
    if (e.code == ErrorCode::Locked)
        return true;
    if (e.code == ErrorCode::Conflict && attempt.retryConflict)
        return true;
    // PostgreSQL serialization failures arrive as QueryFailed with SQLSTATE 40001.
    return e.message.contains(QStringLiteral("could not serialize"));
}
} // namespace

Status runWrite(const Connection& conn, const std::function<Status(WriteAttempt&)>& body) {
    Error last;
    for (int attempt = 0; attempt < kAttempts; ++attempt) {
        if (attempt > 0) // back off a little, with jitter, before the next try
            QThread::usleep(
                quint64(200 * attempt + QRandomGenerator::global()->bounded(500 * attempt)));
        WriteAttempt state;
        if (auto ok = conn.begin(true); !ok) {
            conn.rollback();
            last = ok.error();
            if (isRetryable(last, state))
                continue;
            return std::unexpected(last);
        }
        Status result = body(state);
        if (result)
            result = conn.commit();
        if (result)
            return {};
        conn.rollback();
        last = result.error();
        if (!isRetryable(last, state))
            return std::unexpected(last);
    }
    last.message = QStringLiteral("database stayed busy after %1 attempts: %2")
                       .arg(kAttempts)
                       .arg(last.message);
    return std::unexpected(last);
}

} // namespace ctx::store
