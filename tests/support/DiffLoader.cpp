#include "DiffLoader.h"

#include "core/compare/ChunkReader.h"
#include "core/compare/SchemaModel.h"
#include "core/schema/SchemaMigrator.h"
#include "core/values/TextBytes.h"
#include "core/values/Timestamp.h"
#include "core/values/ValueNormalizer.h"

#include <QFile>
#include <QSet>
#include <libpq-fe.h>

namespace ctx::test {

namespace {

struct Param {
    bool null = true;
    bool binary = false;
    QByteArray bytes;
};

struct Loader {
    const Connection& pg;
    QSet<QByteArray> sessions;

    Status exec(const QByteArray& sql, const QList<Param>& params) {
        std::vector<const char*> values;
        std::vector<int> lengths, formats;
        for (const Param& p : params) {
            values.push_back(p.null ? nullptr : p.bytes.constData());
            lengths.push_back(int(p.bytes.size()));
            formats.push_back(p.binary ? 1 : 0);
        }
        PGresult* r = PQexecParams(pg.pgHandle(), sql.constData(), int(params.size()), nullptr,
                                   values.data(), lengths.data(), formats.data(), 0);
        const bool ok =
            PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
        const QString message = QString::fromUtf8(PQresultErrorMessage(r));
        PQclear(r);
        if (!ok)
            return fail(ErrorCode::QueryFailed, message + QStringLiteral(" in ") + sql,
                        pg.subject());
        return {};
    }

    static Param text(const QByteArray& b) { return Param{false, false, b}; }

    Status reject(const QString& table, const QByteArray& key, const QString& column,
                  const RawValue& original, const QString& reason) {
        Param o;
        if (!original.isNull()) {
            o = Param{false, true,
                      original.type == StorageType::Integer ? QByteArray::number(original.integer)
                      : original.type == StorageType::Real
                          ? QByteArray::number(original.real, 'g', 17)
                          : original.bytes};
        }
        return exec(
            "INSERT INTO ctx_migration_rejects (table_name, row_key, column_name, original, "
            "reason, action) VALUES ($1, $2, $3, $4, $5, 'changed')",
            {text(table.toUtf8()), text(key), column.isEmpty() ? Param{} : text(column.toUtf8()), o,
             text(reason.toUtf8())});
    }

    // The value PostgreSQL gets for one column, or a recorded change.
    Result<Param> convert(const TableSpec& spec, const ColumnSpec& c, const RawValue& raw,
                          const QByteArray& key) {
        const NormalizedValue n = ValueNormalizer::normalize(c, raw);
        using K = NormalizedValue::Kind;
        QString why;
        Param p;
        switch (n.kind) {
        case K::Null:
            return Param{};
        case K::Timestamp:
            return text(Timestamp::toPostgresText(n.bytes.toLongLong()));
        case K::Bytes:
            return Param{false, true, n.bytes};
        case K::Text:
            if (TextBytes::isValidUtf8(n.bytes) && !TextBytes::hasNul(n.bytes))
                return text(n.bytes);
            p = text(TextBytes::sanitized(n.bytes));
            why = QStringLiteral("invalid_text");
            break;
        case K::Json:
            if (!JsonCanonicalHasNul(n.bytes))
                return text(n.bytes);
            why = QStringLiteral("json_nul_escape");
            break;
        case K::Invalid:
            why = QStringLiteral("invalid_value");
            break;
        default:
            return text(n.bytes);
        }
        if (p.null && !c.nullable)
            p = text(QByteArray());
        if (auto ok = reject(spec.name, key, c.name, raw, why); !ok)
            return std::unexpected(ok.error());
        return p;
    }

    static bool JsonCanonicalHasNul(const QByteArray& canonical) {
        return canonical.contains("\\u0000");
    }

    Status placeholder(const QByteArray& id) {
        if (sessions.contains(id))
            return {};
        sessions.insert(id);
        if (auto ok = exec("INSERT INTO sessions (id, purpose, created_by, is_active, metadata) "
                           "VALUES ($1, 'Recovered', 'ctxdb migrate', false, "
                           "'{\"ctx_recovered\":true}')",
                           {text(id)});
            !ok)
            return ok;
        return reject(QStringLiteral("sessions"), id, QStringLiteral("id"), RawValue::fromText(id),
                      QStringLiteral("recovered_session"));
    }

    Status table(const TableSpec& spec, const TableInfo& source, const Connection& sqlite) {
        TablePlan plan;
        plan.name = spec.name;
        plan.key = spec.key;
        plan.textKey = spec.textKey;
        QList<const ColumnSpec*> columns;
        for (const ColumnSpec& c : spec.columns)
            if (source.column(c.name)) {
                plan.columns << c.name;
                columns << &c;
            }
        auto reader = ChunkReader::create(sqlite);
        if (auto ok = reader->start(plan, {}); !ok)
            return ok;
        std::vector<RawRow> rows;
        if (auto ok = reader->fetch(rows); !ok)
            return ok;
        QStringList quoted, marks;
        for (int i = 0; i < plan.columns.size(); ++i) {
            quoted << Dialect::quoteIdentifier(plan.columns[i]);
            marks << QStringLiteral("$%1").arg(i + 1);
        }
        const QByteArray sql =
            QStringLiteral("INSERT INTO %1 (%2) VALUES (%3)")
                .arg(Dialect::quoteIdentifier(spec.name), quoted.join(", "), marks.join(", "))
                .toUtf8();
        for (const RawRow& row : rows) {
            const QByteArray key = CompareKey::from(row[0], spec.textKey).toText();
            QList<Param> params;
            for (int i = 0; i < columns.size(); ++i) {
                auto p = convert(spec, *columns[i], row[size_t(i)], key);
                if (!p)
                    return std::unexpected(p.error());
                if (columns[i]->name == QLatin1String("session_id") && !p->null &&
                    spec.name != QLatin1String("sessions") && !sessions.contains(p->bytes))
                    if (auto ok = placeholder(p->bytes); !ok)
                        return ok;
                params << *p;
            }
            if (spec.name == QLatin1String("sessions"))
                sessions.insert(params[0].bytes);
            if (auto ok = exec(sql, params); !ok)
                return ok;
        }
        if (!spec.textKey)
            return exec(QStringLiteral("SELECT setval(pg_get_serial_sequence('%1', '%2'), "
                                       "GREATEST((SELECT max(%2) FROM %1), 1))")
                            .arg(spec.name, spec.key)
                            .toUtf8(),
                        {});
        return {};
    }
};

} // namespace

Status loadIntoPostgres(const QString& sqliteFile, const DatabaseUrl& target) {
    ConnectionOptions ro;
    ro.readOnly = true;
    auto source = Connection::open(DatabaseUrl::sqliteFile(sqliteFile), ro);
    if (!source)
        return std::unexpected(source.error());
    auto schema = DatabaseSchema::read(**source);
    if (!schema)
        return std::unexpected(schema.error());
    ConnectionOptions rw;
    rw.readOnly = false;
    auto pg = Connection::open(target, rw);
    if (!pg)
        return std::unexpected(pg.error());
    if (auto ok = SchemaMigrator::applyPending(**pg, UpgradeOptions{}); !ok)
        return std::unexpected(ok.error());
    Loader loader{**pg, {}};
    for (const TableSpec& spec : sharedContextTables()) {
        if (!schema->tables.contains(spec.name))
            continue;
        if (auto ok = loader.table(spec, schema->tables[spec.name], **source); !ok)
            return ok;
    }
    return {};
}

Status copySqliteFile(const QString& from, const QString& to) {
    for (const QString& suffix : {QString(), QStringLiteral("-wal")}) {
        if (!QFile::exists(from + suffix))
            continue;
        QFile::remove(to + suffix);
        if (!QFile::copy(from + suffix, to + suffix))
            return fail(ErrorCode::Io, QStringLiteral("cannot copy"), from + suffix);
    }
    return {};
}

} // namespace ctx::test
