#include "ContentCheck.h"

#include "PgBinaryCopy.h"
#include "core/db/Dialect.h"
#include "core/values/JsonCanonical.h"

#include <limits>
#include <thread>

namespace ctx {

namespace {

// JSON compared in its canonical form: jsonb prints keys in its own order and spacing.
void canonicalJson(TargetValue& v) {
    const CanonicalJson c = JsonCanonical::canonicalize(v.bytes);
    if (c.ok)
        v.bytes = c.text;
}

QByteArray selectColumn(const ColumnSpec& c) {
    const QByteArray name = Dialect::quoteIdentifier(c.name).toUtf8();
    switch (c.type) {
    case LogicalType::Integer:
        return name + "::int8";
    case LogicalType::Timestamp:
        return name + "::timestamptz";
    case LogicalType::Boolean:
        return name + "::bool";
    case LogicalType::Blob:
        return name + "::bytea";
    case LogicalType::Text:
    case LogicalType::Json:
        break;
    }
    return name + "::text";
}

} // namespace

Result<RowSum> ContentCheck::sourceSide(const SourceSnapshot& source,
                                        const SourceTableLayout& layout,
                                        const ContentInputs& inputs) {
    RowSum sum;
    if (!layout.present)
        return sum;
    auto cursor = SourceCursor::open(source.handle(), layout, std::numeric_limits<qint64>::min(),
                                     std::numeric_limits<qint64>::max(), inputs.duplicates);
    if (!cursor)
        return std::unexpected(cursor.error().withSubject(source.path()));
    (*cursor)->setSessionKeys(inputs.keys);
    const RowConverter conv(layout.spec);
    ConvertedRow row;
    for (;;) {
        auto more = (*cursor)->next();
        if (!more)
            return std::unexpected(more.error().withSubject(source.path()));
        if (!*more)
            break;
        conv.convert((*cursor)->values(), (*cursor)->context(), row);
        if (row.dropped)
            continue;
        // Removing \u0000 escapes can reorder or merge keys: canonical again, as jsonb is.
        for (const Finding& f : std::as_const(row.findings))
            if (f.hazard == Hazard::JsonNulEscape && f.column >= 0)
                canonicalJson(row.values[f.column]);
        sum.add(RowChecksum::target(row.values));
    }
    return sum;
}

Result<RowSum> ContentCheck::targetSide(PgLink& target, const TableSpec& spec,
                                        const ContentInputs& inputs) {
    QByteArrayList columns;
    QList<LogicalType> types;
    QList<int> json;
    for (const ColumnSpec& c : spec.columns) {
        if (c.type == LogicalType::Json)
            json << int(types.size());
        columns << selectColumn(c);
        types << c.type;
    }
    const bool sessions = spec.name == QLatin1String("sessions");
    RowSum sum;
    QList<TargetValue> row;
    bool malformed = false;
    auto ok = target.copyOut(
        "COPY (SELECT " + columns.join(", ") + " FROM " +
            Dialect::quoteIdentifier(spec.name).toUtf8() + ") TO STDOUT (FORMAT binary)",
        [&](QByteArrayView data) {
            bool isRow = false;
            if (!PgBinaryCopy::readRow(data, types, row, &isRow)) {
                malformed = true;
                return false;
            }
            if (!isRow || (sessions && inputs.placeholderIds.contains(row[0].bytes)))
                return true;
            for (int c : std::as_const(json))
                if (!row[c].isNull())
                    canonicalJson(row[c]);
            sum.add(RowChecksum::target(row));
            return true;
        });
    if (!ok)
        return std::unexpected(ok.error());
    if (malformed)
        return fail(
            ErrorCode::QueryFailed,
            QStringLiteral("reading %1 back for verification: unexpected COPY data").arg(spec.name),
            target.subject());
    return sum;
}

Result<QHash<QString, ContentSums>> ContentCheck::run(const SourceSnapshot& source, PgLink& target,
                                                      const ContentInputs& inputs) {
    QHash<QString, ContentSums> sums;
    QList<const SourceTableLayout*> tables;
    for (const SourceTableLayout& l : source.layouts()) {
        tables << &l;
        sums.insert(l.spec.name, {});
    }
    std::optional<Error> targetError;
    QHash<QString, RowSum> targetSums;
    std::thread reader([&] { // the target connection is used by this thread only meanwhile
        for (const SourceTableLayout* l : std::as_const(tables)) {
            auto s = targetSide(target, l->spec, inputs);
            if (!s) {
                targetError = s.error();
                return;
            }
            targetSums.insert(l->spec.name, *s);
        }
    });
    std::optional<Error> sourceError;
    for (const SourceTableLayout* l : std::as_const(tables)) {
        auto s = sourceSide(source, *l, inputs);
        if (!s) {
            sourceError = s.error();
            break;
        }
        sums[l->spec.name].source = *s;
    }
    reader.join();
    if (sourceError)
        return std::unexpected(*sourceError);
    if (targetError)
        return std::unexpected(*targetError);
    for (auto it = targetSums.cbegin(); it != targetSums.cend(); ++it)
        sums[it.key()].target = it.value();
    return sums;
}

} // namespace ctx
