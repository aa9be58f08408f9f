#include "RowChecksum.h"

#include <QtEndian>
#include <cstring>

namespace ctx {

namespace {

// wyhash's constants and its 64x64 -> 128-bit multiply-and-fold mixer.
constexpr quint64 kP0 = 0xa0761d6478bd642fULL;
constexpr quint64 kP1 = 0xe7037ed1a0b428dbULL;
constexpr quint64 kP2 = 0x8ebc6af09c88c6e3ULL;
constexpr quint64 kP3 = 0x589965cc75374cc3ULL;

quint64 mix(quint64 a, quint64 b) {
#ifdef __SIZEOF_INT128__
    __extension__ typedef unsigned __int128 Wide; // GCC and Clang; -Wpedantic knows it
    const Wide r = static_cast<Wide>(a) * b;
    return quint64(r) ^ quint64(r >> 64);
#else
    const quint64 ha = a >> 32, la = quint32(a), hb = b >> 32, lb = quint32(b);
    const quint64 rh = ha * hb, rm0 = ha * lb, rm1 = hb * la, rl = la * lb;
    const quint64 t = rl + (rm0 << 32);
    const quint64 lo = t + (rm1 << 32);
    const quint64 hi = rh + (rm0 >> 32) + (rm1 >> 32) + (t < rl) + (lo < t);
    return lo ^ hi;
#endif
}

quint64 read64(const char* p) {
    quint64 v;
    std::memcpy(&v, p, 8);
    return qFromLittleEndian(v); // the same checksum on every byte order
}

quint64 readTail(const char* p, qsizetype n) { // 1..7 bytes
    quint64 v = 0;
    for (qsizetype i = 0; i < n; ++i)
        v |= quint64(uchar(p[i])) << (8 * i);
    return v;
}

} // namespace

quint64 RowChecksum::bytes(const char* p, qsizetype n, quint64 seed) {
    quint64 h = seed ^ mix(quint64(n) ^ kP0, kP1);
    while (n >= 16) {
        h = mix(read64(p) ^ kP1 ^ h, read64(p + 8) ^ kP2);
        p += 16;
        n -= 16;
    }
    if (n >= 8) {
        h = mix(read64(p) ^ kP1 ^ h, kP3);
        p += 8;
        n -= 8;
    }
    if (n > 0)
        h = mix(readTail(p, n) ^ kP2 ^ h, kP3 ^ quint64(n));
    return mix(h ^ kP0, kP3);
}

quint64 RowChecksum::raw(qint64 rowid, const QList<RawValue>& values) {
    quint64 h = mix(quint64(rowid) ^ kP0, kP1);
    for (const RawValue& v : values) {
        quint64 part = 0;
        switch (v.type) {
        case StorageType::Null:
            break;
        case StorageType::Integer:
            part = quint64(v.integer);
            break;
        case StorageType::Real:
            std::memcpy(&part, &v.real, 8);
            break;
        case StorageType::Text:
        case StorageType::Blob:
            part = bytes(v.bytes.constData(), v.bytes.size(), quint64(v.type));
            break;
        }
        h = mix(h ^ part ^ kP2, kP3 + quint64(v.type));
    }
    return h;
}

quint64 RowChecksum::target(const QList<TargetValue>& values) {
    using Kind = NormalizedValue::Kind;
    quint64 h = kP0;
    for (const TargetValue& v : values) {
        quint64 part = 0;
        switch (v.kind) {
        case Kind::Null:
        case Kind::Invalid:
            break;
        case Kind::Integer:
        case Kind::Timestamp:
            part = quint64(v.number);
            break;
        default:
            part = bytes(v.bytes.constData(), v.bytes.size(), quint64(v.kind));
        }
        h = mix(h ^ part ^ kP2, kP3 + quint64(v.kind));
    }
    return h;
}

} // namespace ctx
