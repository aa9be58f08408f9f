// libFuzzer target: the database URL parser never crashes, and a parsed URL with a
// password never prints it.
#include "core/db/DatabaseUrl.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const QString text = QString::fromUtf8(reinterpret_cast<const char*>(data), qsizetype(size));
    auto url = ctx::DatabaseUrl::parse(text);
    if (!url) {
        if (url.error().oneLine().contains(QLatin1Char('\n')))
            abort();
        return 0;
    }
    const QString shown = url->redacted();
    if (url->isPostgres() && url->hasPassword() && !shown.contains(QStringLiteral(":***@")))
        abort();
    (void)url->displayName();
    return 0;
}
