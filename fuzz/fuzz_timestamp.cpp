// libFuzzer target: every timestamp shape parser; a parsed time prints in
// PostgreSQL's form and parses back to the same microsecond.
#include "core/values/Timestamp.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const QByteArray text(reinterpret_cast<const char*>(data), qsizetype(size));
    ctx::TimestampShape shape;
    const auto micros = ctx::Timestamp::parseText(text, &shape);
    if (!micros)
        return 0;
    const QByteArray printed = ctx::Timestamp::toPostgresText(*micros);
    const auto again = ctx::Timestamp::parseText(printed);
    if (!again || *again != *micros)
        abort();
    (void)ctx::Timestamp::toIso(*micros);
    return 0;
}
