#pragma once

#include "core/db/DatabaseUrl.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace ctx {

// One versioned migration script of an engine, as shipped in the resources.
struct MigrationScript {
    int version = 0;
    QString name;        // e.g. "sender_type"
    QString description; // the script's first comment line
    QByteArray sql;
    QString checksum; // SHA-256 of the script's bytes, hex
    // Checksums of the script's earlier texts that a history may still record: lines
    // "-- earlier text: sha256 <hex>" in the script, for a rewrite whose changes a
    // later version carries to databases the earlier text made.
    QStringList earlierChecksums;
};

// The ordered migration scripts of each engine. Versions 1–3 are the server's own
// (legacy) levels; Context Studio's continue from 4.
class MigrationCatalog {
public:
    static QList<MigrationScript> forEngine(Engine engine);
    static int latestVersion(Engine engine);
    static MigrationScript make(int version, const QString& name, const QByteArray& sql);
    static QString checksumOf(const QByteArray& sql);
    // Reads a resource (":/sql/…") or file; empty when missing.
    static QByteArray readResource(const QString& path);
};

} // namespace ctx
