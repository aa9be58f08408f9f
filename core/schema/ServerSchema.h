#pragma once

#include "PgCatalogSnapshot.h"

#include <QStringList>

namespace ctx {

// How a PostgreSQL database compares with the server's own schema file
// (resources/sql/server/server-postgresql.sql, shared-context-server 1.2.0).
struct ServerSchemaMatch {
    bool complete = false;            // every server object present, as the file makes it
    QList<CatalogDifference> drift;   // server objects missing or different
    QStringList contextStudioObjects; // labels of objects Context Studio added
    QStringList operatorObjects;      // labels of everything else (the operator's own)
};

// The server's PostgreSQL schema as PostgreSQL's catalog prints it, shipped beside the
// file (server-postgresql.catalog, regenerated and checked by tst_server_schema), and
// which objects beyond it are Context Studio's.
class ServerSchema {
public:
    static QByteArray fileSql();               // the vendored file, header included
    static const PgCatalogSnapshot& catalog(); // its objects
    static bool isContextStudioObject(const CatalogObject& object);
    static ServerSchemaMatch match(const PgCatalogSnapshot& database);
    // The server's version of the file.
    static constexpr int kVersion = 3;
    // Context Studio's PostgreSQL scripts up to this version make the server's objects
    // (split for bulk loading); on a database the server's file made they are recorded
    // as provided, not run.
    static constexpr int kProvidedThrough = 4;
};

} // namespace ctx
