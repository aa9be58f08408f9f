#pragma once

#include "core/db/DatabaseUrl.h"
#include "core/transfer/TargetAdoption.h"
#include "core/transfer/TransferStore.h"

#include <QStringList>

namespace ctx {

// What "Test connection" tells about a PostgreSQL migration target, read only:
// the server, its encoding, the rights the migration needs, whether Context
// Studio's tables exist and hold data, and an interrupted migration to resume.
struct TargetProbeResult {
    QString serverVersion;
    QString encoding;
    QString user;
    bool superuser = false;
    bool canCreateInSchema = false;
    bool canConnect = false;
    qint64 databaseBytes = -1;
    QString freeSpace; // what the server tells about free disk space, or why it cannot
    TargetState state;
    TargetSurvey survey;          // the server's tables adopted, the operator's objects
    QString unfinishedSourcePath; // the legacy file an unfinished migration reads
    QStringList problems;         // readable lines with the way forward
};

class TargetProbe {
public:
    static Result<TargetProbeResult> probe(const DatabaseUrl& url);
};

} // namespace ctx
