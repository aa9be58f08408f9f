// libFuzzer target: the row encoder is unambiguous — the bytes of a row decode back
// to exactly the values that were added, whatever the values contain.
#include "core/values/ValueNormalizer.h"

#include <QtEndian>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

using ctx::NormalizedValue;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    // Input: [kind byte][len byte][len bytes]… describing the values of one row.
    QList<NormalizedValue> values;
    size_t i = 0;
    while (i + 2 <= size) {
        NormalizedValue v;
        v.kind = NormalizedValue::Kind(data[i] % 8);
        const size_t len = std::min<size_t>(data[i + 1], size - i - 2);
        if (v.kind != NormalizedValue::Kind::Null)
            v.bytes = QByteArray(reinterpret_cast<const char*>(data + i + 2), qsizetype(len));
        values << v;
        i += 2 + len;
    }
    ctx::RowEncoder encoder;
    for (const NormalizedValue& v : values)
        encoder.add(v);
    const QByteArray& bytes = encoder.bytes();
    qsizetype pos = 0;
    for (const NormalizedValue& v : values) {
        if (pos >= bytes.size() || NormalizedValue::Kind(bytes[pos]) != v.kind)
            abort();
        ++pos;
        if (v.kind == NormalizedValue::Kind::Null)
            continue;
        if (pos + 4 > bytes.size())
            abort();
        const quint32 len = qFromBigEndian<quint32>(bytes.constData() + pos);
        pos += 4;
        if (bytes.mid(pos, len) != v.bytes)
            abort();
        pos += len;
    }
    if (pos != bytes.size())
        abort();
    return 0;
}
