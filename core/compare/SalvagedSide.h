#pragma once

#include "DiffTypes.h"
#include "core/db/DatabaseUrl.h"

#include <QSet>
#include <memory>

namespace ctx {

class SalvageCopy;

// A damaged SQLite side (quick_check fails) compared with a database that a salvaged
// migration filled (unreadable_range rejects): the comparison reads a private copy of
// its readable rows (SalvageCopy), so the rows SQLite cannot read are neither compared
// nor explained. The ranges it finds must be exactly those the migration recorded:
// any other is a difference. Without such rejects, or without damage, nothing changes.
class SalvagedSide {
public:
    static Result<std::unique_ptr<SalvagedSide>>
    prepare(const DatabaseUrl& side, const DatabaseUrl& other, const QString& name);
    ~SalvagedSide();

    const DatabaseUrl& url() const { return m_url; }
    QList<SchemaFinding> findings() const { return m_findings; }

private:
    SalvagedSide() = default;
    std::unique_ptr<SalvageCopy> m_copy;
    DatabaseUrl m_url;
    QList<SchemaFinding> m_findings;
};

} // namespace ctx
