#include "ServerSchemaDb.h"

#include "core/db/SqlScript.h"
#include "core/schema/ServerSchema.h"

namespace ctx::test {

Status runServerSchemaFile(const Connection& conn) {
    const QString sql = QString::fromUtf8(ServerSchema::fileSql());
    if (sql.isEmpty())
        return fail(ErrorCode::NotFound,
                    QStringLiteral("the server's schema file is not built in"));
    for (const QString& statement : SqlScript::statements(sql)) {
        if (auto r = conn.exec(statement); !r)
            return std::unexpected(r.error());
    }
    return {};
}

Result<PgCatalogSnapshot> snapshotOf(const DatabaseUrl& url) {
    ConnectionOptions ro;
    ro.readOnly = true;
    auto conn = Connection::open(url, ro);
    if (!conn)
        return std::unexpected(conn.error());
    return PgCatalogSnapshot::read(**conn);
}

QStringList serverObjectChanges(const PgCatalogSnapshot& before, const PgCatalogSnapshot& after) {
    QStringList changes;
    for (const CatalogDifference& d : PgCatalogSnapshot::compare(before, after)) {
        if (d.type == CatalogDifference::Type::Extra &&
            ServerSchema::isContextStudioObject(d.actual))
            continue;
        changes << d.describe();
    }
    return changes;
}

} // namespace ctx::test
