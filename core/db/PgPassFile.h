#pragma once

#include <QString>
#include <optional>

namespace ctx {

// Reads PostgreSQL's password file (~/.pgpass or PGPASSFILE): lines of
// hostname:port:database:username:password with '*' wildcards and '\' escapes.
class PgPassFile {
public:
    static QString defaultPath();
    static std::optional<QString> lookup(const QString& path, const QString& host, int port,
                                         const QString& database, const QString& user);
    // Splits one line into its five fields; empty result for comments and malformed lines.
    static QStringList splitLine(const QString& line);
};

} // namespace ctx
