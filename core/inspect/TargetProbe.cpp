#include "TargetProbe.h"

#include "core/db/Connection.h"
#include "core/transfer/PgLink.h"

namespace ctx {

namespace {

QString text(const Result<QVariant>& v) {
    return v ? v->toString() : QString();
}

} // namespace

Result<TargetProbeResult> TargetProbe::probe(const DatabaseUrl& url) {
    if (!url.isPostgres())
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("the target must be a PostgreSQL URL (postgresql://…)"),
                    url.redacted());
    ConnectionOptions options;
    options.readOnly = true;
    options.connectTimeoutSeconds = 5;
    auto conn = Connection::open(url, options);
    if (!conn)
        return std::unexpected(conn.error());
    const Connection& c = **conn;
    TargetProbeResult r;
    r.serverVersion = text(c.scalar(QStringLiteral("SHOW server_version")));
    r.encoding = text(c.scalar(QStringLiteral("SHOW server_encoding")));
    r.user = text(c.scalar(QStringLiteral("SELECT current_user")));
    r.superuser = text(c.scalar(QStringLiteral("SHOW is_superuser"))) == QLatin1String("on");
    r.canCreateInSchema =
        c.scalar(QStringLiteral("SELECT has_schema_privilege(current_schema(), 'CREATE')"))
            .value_or(false)
            .toBool();
    r.canConnect =
        c.scalar(QStringLiteral("SELECT has_database_privilege(current_database(), 'CONNECT')"))
            .value_or(false)
            .toBool();
    r.databaseBytes = c.scalar(QStringLiteral("SELECT pg_database_size(current_database())"))
                          .value_or(-1)
                          .toLongLong();
    // PostgreSQL has no SQL function for free disk space; say so rather than guess.
    r.freeSpace = QStringLiteral("not reported by PostgreSQL (check the server's data volume)");
    if (r.encoding != QLatin1String("UTF8"))
        r.problems << QStringLiteral("the database encoding is %1, not UTF8: create the target "
                                     "with ENCODING 'UTF8'")
                          .arg(r.encoding);
    if (!r.canCreateInSchema)
        r.problems << QStringLiteral("user %1 cannot create tables in the current schema: "
                                     "GRANT CREATE ON SCHEMA public TO %1, or use another user")
                          .arg(r.user);

    PgLink link(c.pgHandle(), c.subject());
    TransferStore store(link);
    auto st = store.inspect();
    if (!st)
        return std::unexpected(st.error());
    r.state = *st;
    auto survey = TargetAdoption::survey(c, link);
    if (!survey)
        return std::unexpected(survey.error());
    r.survey = *survey;
    if (r.state.unfinishedTransfer) {
        auto src = store.readSource();
        if (src)
            r.unfinishedSourcePath = src->path;
    }
    return r;
}

} // namespace ctx
