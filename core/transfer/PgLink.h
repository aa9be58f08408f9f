#pragma once

#include "core/Error.h"

#include <QByteArray>
#include <QList>
#include <functional>

struct pg_conn;

namespace ctx {

using PgRow = QList<QByteArray>;

// The bulk path on a PostgreSQL connection's native handle (libpq): statements,
// small queries and COPY FROM STDIN. Every error names the server (redacted);
// a lost connection says so and that the run can be resumed.
class PgLink {
public:
    PgLink(pg_conn* conn, const QString& subject);

    Status exec(const QByteArray& sql);
    // Text parameters; an entry that isNull() binds SQL NULL.
    Status exec(const QByteArray& sql, const QList<QByteArray>& params);
    Result<QList<PgRow>> query(const QByteArray& sql, const QList<QByteArray>& params = {});
    Result<QByteArray> scalar(const QByteArray& sql, const QList<QByteArray>& params = {});

    Status beginCopy(const QByteArray& copySql);
    Status putCopyData(const QByteArray& data);
    Status endCopy(qint64* rows = nullptr);
    void abortCopy(const QByteArray& why); // the COPY fails, its transaction too
    // COPY … TO STDOUT: each data message as it arrives (a row; in binary format the
    // first also holds the header). onData returns false to stop reading early.
    Status copyOut(const QByteArray& copySql, const std::function<bool(QByteArrayView)>& onData);

    bool connectionLost() const;
    Error lastError(const QString& doing) const;
    const QString& subject() const { return m_subject; }

private:
    Status checkResult(void* result, int expected, const QString& doing);
    pg_conn* m_conn;
    QString m_subject;
};

} // namespace ctx
