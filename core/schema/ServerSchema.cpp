#include "ServerSchema.h"

#include <QFile>

namespace ctx {

namespace {

QByteArray readResource(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QString tableOf(const CatalogObject& o) {
    if (o.kind == QLatin1String("table") || o.kind == QLatin1String("view"))
        return o.name;
    const qsizetype dot = o.name.indexOf(QLatin1Char('.'));
    return dot < 0 ? QString() : o.name.left(dot);
}

} // namespace

QByteArray ServerSchema::fileSql() {
    return readResource(QStringLiteral(":/sql/server/server-postgresql.sql"));
}

const PgCatalogSnapshot& ServerSchema::catalog() {
    static const PgCatalogSnapshot snapshot = PgCatalogSnapshot::fromText(
        QString::fromUtf8(readResource(QStringLiteral(":/sql/server/server-postgresql.catalog"))));
    return snapshot;
}

bool ServerSchema::isContextStudioObject(const CatalogObject& o) {
    // Bookkeeping (ctx_migration_*, ctx_transfer_* staging, their keys, sequences and
    // indexes), version 5's indexes, schema_version's extra columns, version 4's trigger
    // function and triggers when Context Studio made the tables.
    if (tableOf(o).startsWith(QLatin1String("ctx_")) || o.name.startsWith(QLatin1String("ctx_")) ||
        o.name.startsWith(QLatin1String("idx_ctx_")))
        return true;
    static const QStringList names{
        QStringLiteral("index idx_agent_memory_unique_global"),
        QStringLiteral("index idx_messages_session_sender_time"),
        QStringLiteral("column schema_version.checksum"),
        QStringLiteral("column schema_version.applied_by"),
        QStringLiteral("column schema_version.duration_ms"),
    };
    return names.contains(o.label());
}

ServerSchemaMatch ServerSchema::match(const PgCatalogSnapshot& database) {
    ServerSchemaMatch m;
    for (const CatalogDifference& d : PgCatalogSnapshot::compare(catalog(), database)) {
        if (d.type != CatalogDifference::Type::Extra)
            m.drift << d;
        else if (isContextStudioObject(d.actual))
            m.contextStudioObjects << d.actual.label();
        else
            m.operatorObjects << d.actual.label();
    }
    m.complete = m.drift.isEmpty() && !catalog().objects().isEmpty();
    return m;
}

} // namespace ctx
