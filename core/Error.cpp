#include "Error.h"

namespace ctx {

QString Error::oneLine() const
{
    QString text = subject.isEmpty() ? message : subject + QStringLiteral(": ") + message;
    text.replace(QLatin1Char('\r'), QLatin1Char(' '));
    text.replace(QLatin1Char('\n'), QLatin1Char(' '));
    return text.simplified();
}

Error Error::withSubject(const QString& s) const
{
    Error e = *this;
    e.subject = s;
    return e;
}

QString errorCodeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::InvalidArgument: return QStringLiteral("invalid_argument");
    case ErrorCode::NotFound: return QStringLiteral("not_found");
    case ErrorCode::ConnectionFailed: return QStringLiteral("connection_failed");
    case ErrorCode::NotADatabase: return QStringLiteral("not_a_database");
    case ErrorCode::Corrupt: return QStringLiteral("corrupt");
    case ErrorCode::SchemaMismatch: return QStringLiteral("schema_mismatch");
    case ErrorCode::Locked: return QStringLiteral("locked");
    case ErrorCode::QueryFailed: return QStringLiteral("query_failed");
    case ErrorCode::Io: return QStringLiteral("io");
    case ErrorCode::Cancelled: return QStringLiteral("cancelled");
    case ErrorCode::Conflict: return QStringLiteral("conflict");
    }
    return QStringLiteral("unknown");
}

} // namespace ctx
