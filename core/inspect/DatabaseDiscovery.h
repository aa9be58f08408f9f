#pragma once

#include <QList>
#include <QMap>
#include <QString>

namespace ctx {

// A database the inspector found without being told: where it came from and the
// URL text to open it with (never holding a password when shown).
struct DiscoveredDatabase {
    QString urlText; // a file path or a URL, as DatabaseUrl::parse accepts it
    QString origin;  // ".env DATABASE_URL", "XDG data directory", ...
};

// Finds shared-context-server databases the way the server itself looks for them:
// a .env in the working directory (DATABASE_URL, then DATABASE_PATH), then the
// default chat_history.db locations. GUI-free and driven by an explicit
// environment so it can be tested.
class DatabaseDiscovery {
public:
    struct Environment {
        QString currentDir;
        QString home;
        QString xdgDataHome; // empty: ~/.local/share
        QString appData;     // Windows %APPDATA%, empty elsewhere
    };
    static Environment systemEnvironment();

    static QList<DiscoveredDatabase> discover(const Environment& env);

    // KEY=VALUE lines; '#' comments, optional "export ", single or double quotes.
    static QMap<QString, QString> parseDotEnv(const QString& text);

    // The default file name the server uses.
    static QString defaultFileName() { return QStringLiteral("chat_history.db"); }
};

} // namespace ctx
