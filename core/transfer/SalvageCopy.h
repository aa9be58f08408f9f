#pragma once

#include "Hazard.h"
#include "SalvageReader.h"

#include <QTemporaryDir>
#include <memory>

namespace ctx {

class SourceSnapshot;

// The rows of a damaged legacy file that can still be read, copied (rowids, storage
// classes and the tables' own CREATE statements kept) into a private SQLite file (a
// 0700 directory, the file 0600) that the migration and the assessment then read as
// their source: every later step sees exactly the readable rows. The damaged file is
// only read. The copy is deleted with this object.
class SalvageCopy {
public:
    static Result<std::unique_ptr<SalvageCopy>> make(const SourceSnapshot& damaged,
                                                     const std::atomic<bool>* cancel = nullptr);

    QString path() const { return m_path; }
    // Every ordinary table of the source (sqlite_sequence last), in schema order.
    const QList<SalvageTable>& tables() const { return m_tables; }
    const SalvageTable* table(const QString& name) const;
    qint64 unreadableRanges() const;
    // One ctx_migration_rejects row per unreadable range (reason unreadable_range).
    QList<RejectRecord> rejects() const;

private:
    SalvageCopy() = default;
    QTemporaryDir m_dir;
    QString m_path;
    QList<SalvageTable> m_tables;
};

} // namespace ctx
