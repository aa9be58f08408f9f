// libFuzzer target: canonical JSON never crashes, and canonicalizing the canonical
// form changes nothing (so equal values always compare equal).
#include "core/values/JsonCanonical.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const QByteArray text(reinterpret_cast<const char*>(data), qsizetype(size));
    const ctx::CanonicalJson first = ctx::JsonCanonical::canonicalize(text);
    if (!first.ok)
        return 0;
    const ctx::CanonicalJson second = ctx::JsonCanonical::canonicalize(first.text);
    if (!second.ok || second.text != first.text)
        abort();
    return 0;
}
