#pragma once

#include "DiffTypes.h"
#include "RecordedAction.h"
#include "RejectIndex.h"
#include "TablePlan.h"

namespace ctx {

// Compares one key-range chunk read from both sides. Each row is reduced to a digest
// of its unambiguous encoding (RowEncoder over the normalized values; typed raw
// values for tables without value rules); when the chunk checksums agree the rows
// are only counted, otherwise they are merge-joined by key and classified column by
// column, recorded rejects explaining what the migration could not carry over.
class ChunkComparer {
public:
    ChunkComparer(const TablePlan& plan, const RejectIndex& rejects, int sampleRows);

    // Adds this chunk's counts, per-column counts and samples (at most sampleRows) to `out`.
    void compare(const std::vector<RawRow>& a, const std::vector<RawRow>& b, TableDiff& out);

private:
    struct Digest {
        quint64 normalized1 = 0;
        quint64 normalized2 = 0;
        quint64 raw = 0;
        bool sameNormalized(const Digest& o) const {
            return normalized1 == o.normalized1 && normalized2 == o.normalized2;
        }
    };
    void digest(const std::vector<RawRow>& rows, std::vector<Digest>& out);
    static quint64 checksum(const std::vector<Digest>& digests);
    void compareRows(const RawRow& a, const RawRow& b, TableDiff& out);
    void onlyOneSide(const RawRow& row, bool inA, TableDiff& out);
    NormalizedValue normalize(int column, const RawValue& value) const;
    bool isRecoveredPlaceholder(const RawRow& row) const;
    void addSample(RowSample sample, TableDiff& out) const;

    const TablePlan& m_plan;
    const RejectIndex& m_rejects;
    RecordedAction m_action;
    int m_sampleRows = 0;
    int m_metadataColumn = -1;
    std::vector<Digest> m_digestA;
    std::vector<Digest> m_digestB;
};

} // namespace ctx
