#pragma once

#include "core/db/DatabaseUrl.h"

#include <QStringList>

namespace ctx::ui {

// The recently opened databases in QSettings: file paths and URLs with the
// password removed (it lives in the keychain, if anywhere).
class RecentDatabases {
public:
    static QStringList list();
    static void add(const DatabaseUrl& url);
    // The URL as stored: never holds a password or a secret parameter (sslpassword=…).
    static QString storable(const DatabaseUrl& url);
    static constexpr int kLimit = 12;
};

} // namespace ctx::ui
