#include "ValueNormalizer.h"

#include "JsonCanonical.h"
#include "Timestamp.h"

#include <QtEndian>
#include <cmath>

namespace ctx {

namespace {
using Kind = NormalizedValue::Kind;

NormalizedValue make(Kind kind, QByteArray bytes) {
    return NormalizedValue{kind, std::move(bytes), {}};
}

NormalizedValue invalid(const QString& why, const QByteArray& original) {
    return NormalizedValue{Kind::Invalid, original, why};
}

// SQLite's own text rendering of a number, as a cast to TEXT gives it.
QByteArray numberText(const RawValue& v) {
    if (v.type == StorageType::Integer)
        return QByteArray::number(v.integer);
    QByteArray s = QByteArray::number(v.real, 'g', 15);
    if (!s.contains('.') && !s.contains('e') && !s.contains("inf") && !s.contains("nan"))
        s += ".0";
    return s;
}
} // namespace

QString NormalizedValue::display() const {
    switch (kind) {
    case Kind::Null:
        return QStringLiteral("NULL");
    case Kind::Timestamp:
        return Timestamp::toIso(bytes.toLongLong());
    case Kind::Bytes:
        return QStringLiteral("x'") + QString::fromLatin1(bytes.toHex()) + "'";
    case Kind::Invalid:
        return QStringLiteral("<%1> %2").arg(problem, QString::fromUtf8(bytes));
    default:
        return QString::fromUtf8(bytes);
    }
}

std::optional<bool> ValueNormalizer::parseBoolean(const RawValue& v) {
    switch (v.type) {
    case StorageType::Integer:
        if (v.integer == 0 || v.integer == 1)
            return v.integer == 1;
        return std::nullopt;
    case StorageType::Real:
        if (v.real == 0.0 || v.real == 1.0)
            return v.real == 1.0;
        return std::nullopt;
    case StorageType::Text: {
        const QByteArray t = v.bytes.toLower();
        if (t == "1" || t == "true" || t == "t" || t == "yes" || t == "y" || t == "on")
            return true;
        if (t == "0" || t == "false" || t == "f" || t == "no" || t == "n" || t == "off")
            return false;
        return std::nullopt;
    }
    default:
        return std::nullopt;
    }
}

NormalizedValue ValueNormalizer::normalize(LogicalType type, const RawValue& v) {
    if (v.isNull())
        return {};
    switch (type) {
    case LogicalType::Integer:
        if (v.type == StorageType::Integer)
            return make(Kind::Integer, QByteArray::number(v.integer));
        // Only whole numbers inside BIGINT's range: 1e30 would not convert (and casting
        // it to qint64 is undefined).
        if (v.type == StorageType::Real && std::floor(v.real) == v.real &&
            v.real >= -9223372036854775808.0 && v.real < 9223372036854775808.0)
            return make(Kind::Integer, QByteArray::number(qint64(v.real)));
        if (v.type == StorageType::Text) {
            bool ok = false;
            const qint64 n = v.bytes.toLongLong(&ok);
            if (ok)
                return make(Kind::Integer, QByteArray::number(n));
        }
        return invalid(QStringLiteral("not an integer"), v.bytes);
    case LogicalType::Text:
        if (v.type == StorageType::Integer || v.type == StorageType::Real)
            return make(Kind::Text, numberText(v));
        return make(Kind::Text, v.bytes);
    case LogicalType::Boolean: {
        const auto b = parseBoolean(v);
        if (!b)
            return invalid(QStringLiteral("not a boolean"), v.display().toUtf8());
        return make(Kind::Boolean, *b ? "t" : "f");
    }
    case LogicalType::Timestamp: {
        const ParsedTimestamp p = Timestamp::parse(v);
        if (!p.micros)
            return invalid(QStringLiteral("unparseable timestamp"), v.display().toUtf8());
        return make(Kind::Timestamp, QByteArray::number(*p.micros));
    }
    case LogicalType::Json: {
        const QByteArray text =
            v.type == StorageType::Text || v.type == StorageType::Blob ? v.bytes : numberText(v);
        const CanonicalJson j = JsonCanonical::canonicalize(text);
        if (!j.ok)
            return invalid(QStringLiteral("invalid JSON: %1").arg(j.error), v.bytes);
        return make(Kind::Json, j.text);
    }
    case LogicalType::Blob:
        if (v.type == StorageType::Integer || v.type == StorageType::Real)
            return make(Kind::Bytes, numberText(v));
        return make(Kind::Bytes, v.bytes);
    }
    return {};
}

NormalizedValue ValueNormalizer::normalize(const ColumnSpec& column, const RawValue& v) {
    if (v.isNull() && !column.nullMeans.isEmpty())
        return normalize(column.type, RawValue::fromText(column.nullMeans));
    return normalize(column.type, v);
}

void RowEncoder::add(const NormalizedValue& value) {
    m_bytes += char(value.kind);
    if (value.kind == NormalizedValue::Kind::Null)
        return;
    char len[4];
    qToBigEndian(quint32(value.bytes.size()), len);
    m_bytes.append(len, 4);
    m_bytes += value.bytes;
}

} // namespace ctx
