#include "RecentDatabases.h"

#include <QSettings>

namespace ctx::ui {

namespace {
const QString kKey = QStringLiteral("open/recent");
}

QString RecentDatabases::storable(const DatabaseUrl& url) {
    if (url.isSqlite())
        return url.filePath();
    return url.withoutSecrets(); // no password, no sslpassword=
}

QStringList RecentDatabases::list() {
    return QSettings().value(kKey).toStringList();
}

void RecentDatabases::add(const DatabaseUrl& url) {
    QStringList recent = list();
    const QString text = storable(url);
    recent.removeAll(text);
    recent.prepend(text);
    while (recent.size() > kLimit)
        recent.removeLast();
    QSettings().setValue(kKey, recent);
}

} // namespace ctx::ui
