#include "PgBinaryCopy.h"

#include <QtEndian>
#include <cstring>

namespace ctx {

namespace {

constexpr qint64 kPostgresEpochMicros = 946684800LL * 1000000LL; // 2000-01-01 UTC

void int16(QByteArray& out, qint16 v) {
    char b[2];
    qToBigEndian(v, b);
    out.append(b, 2);
}

void int32(QByteArray& out, qint32 v) {
    char b[4];
    qToBigEndian(v, b);
    out.append(b, 4);
}

void int64(QByteArray& out, qint64 v) {
    char b[8];
    qToBigEndian(v, b);
    out.append(b, 8);
}

} // namespace

void PgBinaryCopy::header(QByteArray& out) {
    out.append("PGCOPY\n\377\r\n\0", 11);
    int32(out, 0); // flags
    int32(out, 0); // header extension length
}

void PgBinaryCopy::trailer(QByteArray& out) {
    int16(out, -1);
}

void PgBinaryCopy::row(const QList<TargetValue>& values, QByteArray& out) {
    using Kind = NormalizedValue::Kind;
    int16(out, qint16(values.size()));
    for (const TargetValue& v : values) {
        switch (v.kind) {
        case Kind::Null:
        case Kind::Invalid:
            int32(out, -1);
            break;
        case Kind::Integer:
            int32(out, 8);
            int64(out, v.number);
            break;
        case Kind::Timestamp:
            int32(out, 8);
            int64(out, v.number - kPostgresEpochMicros);
            break;
        case Kind::Boolean:
            int32(out, 1);
            out += v.bytes == "t" ? '\1' : '\0';
            break;
        case Kind::Json:
            int32(out, qint32(v.bytes.size() + 1));
            out += '\1';
            out += v.bytes;
            break;
        case Kind::Text:
        case Kind::Bytes:
            int32(out, qint32(v.bytes.size()));
            out += v.bytes;
            break;
        }
    }
}

void PgBinaryCopy::textRow(const QList<QByteArray>& fields, const QList<bool>& isNull,
                           QByteArray& out) {
    int16(out, qint16(fields.size()));
    for (int i = 0; i < fields.size(); ++i) {
        if (isNull.value(i)) {
            int32(out, -1);
            continue;
        }
        int32(out, qint32(fields[i].size()));
        out += fields[i];
    }
}

bool PgBinaryCopy::readRow(QByteArrayView m, const QList<LogicalType>& types,
                           QList<TargetValue>& out, bool* isRow) {
    using Kind = NormalizedValue::Kind;
    *isRow = false;
    const char* p = m.data();
    const char* end = p + m.size();
    static constexpr char kSignature[] = "PGCOPY\n\377\r\n";
    if (m.size() >= 19 && std::memcmp(p, kSignature, 11) == 0) {
        const qint32 extension = qFromBigEndian<qint32>(p + 15);
        if (extension < 0 || extension > end - p - 19)
            return false;
        p += 19 + extension;
        if (p == end)
            return true; // the header alone
    }
    if (end - p < 2)
        return false;
    const qint16 count = qFromBigEndian<qint16>(p);
    p += 2;
    if (count == -1)
        return p == end;
    if (count != types.size())
        return false;
    out.resize(count);
    for (int i = 0; i < count; ++i) {
        if (end - p < 4)
            return false;
        const qint32 n = qFromBigEndian<qint32>(p);
        p += 4;
        TargetValue& v = out[i];
        v.number = 0;
        v.bytes.clear();
        if (n == -1) {
            v.kind = Kind::Null;
            continue;
        }
        if (n < 0 || n > end - p)
            return false;
        switch (types[i]) {
        case LogicalType::Integer:
        case LogicalType::Timestamp:
            if (n != 8)
                return false;
            v.kind = types[i] == LogicalType::Integer ? Kind::Integer : Kind::Timestamp;
            v.number = qFromBigEndian<qint64>(p);
            if (v.kind == Kind::Timestamp)
                v.number += kPostgresEpochMicros;
            break;
        case LogicalType::Boolean:
            if (n != 1)
                return false;
            v.kind = Kind::Boolean;
            v.bytes = *p ? QByteArrayLiteral("t") : QByteArrayLiteral("f");
            break;
        case LogicalType::Json:
            v.kind = Kind::Json;
            v.bytes = QByteArray(p, n);
            break;
        case LogicalType::Text:
            v.kind = Kind::Text;
            v.bytes = QByteArray(p, n);
            break;
        case LogicalType::Blob:
            v.kind = Kind::Bytes;
            v.bytes = QByteArray(p, n);
            break;
        }
        p += n;
    }
    *isRow = true;
    return p == end;
}

} // namespace ctx
