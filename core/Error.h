#pragma once

#include <QString>
#include <expected>

namespace ctx {

// What went wrong, as a category a caller can branch on.
enum class ErrorCode {
    InvalidArgument,  // bad input from the user (usage, values out of range)
    NotFound,         // a file, session, message or key that does not exist
    ConnectionFailed, // server down, wrong password, unreachable host
    NotADatabase,     // a file that is not SQLite, or not a shared-context-server database
    Corrupt,          // a damaged SQLite file
    SchemaMismatch,   // unknown, newer or tampered schema history
    Locked,           // another writer or migrator holds the database
    QueryFailed,      // a statement failed
    Io,               // file system errors (disk full, permissions)
    Cancelled,        // the user or caller stopped the job
    Conflict,         // the target holds data, a key exists, ...
};

// Errors are values: a code, a one-line human message and the thing they concern
// (a redacted URL, a file, a table). Never contains a password.
struct Error {
    ErrorCode code = ErrorCode::QueryFailed;
    QString message;
    QString subject;

    // "subject: message" on one line, as printed by the CLI and shown by the UI.
    QString oneLine() const;
    Error withSubject(const QString& s) const;
};

template <class T> using Result = std::expected<T, Error>;
using Status = std::expected<void, Error>;

inline std::unexpected<Error> fail(ErrorCode code, const QString& message,
                                   const QString& subject = {})
{
    return std::unexpected(Error{code, message, subject});
}

QString errorCodeName(ErrorCode code);

// Drops a result's value, keeping its error: Status from Result<T>.
template <class T> Status toStatus(const Result<T>& r)
{
    if (!r)
        return std::unexpected(r.error());
    return {};
}

} // namespace ctx
