#include "ChunkComparer.h"

#include <QHash>
#include <QtEndian>
#include <cstring>
#include <optional>

namespace ctx {

namespace {

constexpr size_t kSeed1 = 0x9E3779B97F4A7C15ULL;
constexpr size_t kSeed2 = 0xC2B2AE3D27D4EB4FULL;

// The value exactly as stored, hashed without copying it: storage class, then the
// number's 8 bytes or the length and a hash of the bytes.
quint64 rawHash(const RawValue& v, size_t seed) {
    quint64 parts[3] = {quint64(v.type), 0, 0};
    switch (v.type) {
    case StorageType::Null:
        break;
    case StorageType::Integer:
        parts[1] = quint64(v.integer);
        break;
    case StorageType::Real:
        std::memcpy(&parts[1], &v.real, 8);
        break;
    default:
        parts[1] = quint64(v.bytes.size());
        parts[2] = quint64(qHashBits(v.bytes.constData(), size_t(v.bytes.size()), seed));
    }
    return quint64(qHashBits(parts, sizeof parts, seed));
}

quint64 rawRowHash(const RawRow& row, size_t seed) {
    std::vector<quint64> hashes;
    hashes.reserve(row.size());
    for (const RawValue& v : row)
        hashes.push_back(rawHash(v, seed));
    return quint64(qHashBits(hashes.data(), hashes.size() * 8, seed));
}

// Samples outlive the chunk's buffers: their bytes are deep-copied.
RawValue owned(const RawValue& v) {
    RawValue c = v;
    c.bytes = QByteArray(v.bytes.constData(), v.bytes.size());
    return c;
}

QByteArray ownedKey(const RawValue& key, bool textKey) {
    const QByteArray text = CompareKey::from(key, textKey).toText();
    return QByteArray(text.constData(), text.size());
}

NormalizedValue owned(const NormalizedValue& v) {
    NormalizedValue c = v;
    c.bytes = QByteArray(v.bytes.constData(), v.bytes.size());
    return c;
}

quint64 hashOf(const QByteArray& bytes, size_t seed) {
    return quint64(qHashBits(bytes.constData(), size_t(bytes.size()), seed));
}

} // namespace

ChunkComparer::ChunkComparer(const TablePlan& plan, const RejectIndex& rejects, int sampleRows)
    : m_plan(plan)
    , m_rejects(rejects)
    , m_action(plan)
    , m_sampleRows(sampleRows) {
    for (int i = 0; i < plan.columns.size(); ++i)
        if (plan.normalized() && plan.specs[i].type == LogicalType::Json &&
            plan.columns[i] == QLatin1String("metadata"))
            m_metadataColumn = i;
}

NormalizedValue ChunkComparer::normalize(int column, const RawValue& value) const {
    if (!m_plan.normalized())
        return {};
    return ValueNormalizer::normalize(m_plan.specs[column], value);
}

void ChunkComparer::digest(const std::vector<RawRow>& rows, std::vector<Digest>& out) {
    out.clear();
    out.reserve(rows.size());
    RowEncoder encoder;
    for (const RawRow& row : rows) {
        Digest d;
        d.raw = rawRowHash(row, kSeed1);
        if (m_plan.normalized()) {
            encoder.clear();
            for (int c = 0; c < int(row.size()); ++c)
                encoder.add(normalize(c, row[size_t(c)]));
            d.normalized1 = hashOf(encoder.bytes(), kSeed1);
            d.normalized2 = hashOf(encoder.bytes(), kSeed2);
        } else {
            d.normalized1 = d.raw;
            d.normalized2 = rawRowHash(row, kSeed2);
        }
        out.push_back(d);
    }
}

quint64 ChunkComparer::checksum(const std::vector<Digest>& digests) {
    QByteArray all;
    all.reserve(qsizetype(digests.size() * 16));
    for (const Digest& d : digests) {
        all.append(reinterpret_cast<const char*>(&d.normalized1), 8);
        all.append(reinterpret_cast<const char*>(&d.normalized2), 8);
    }
    return hashOf(all, kSeed1);
}

void ChunkComparer::compare(const std::vector<RawRow>& a, const std::vector<RawRow>& b,
                            TableDiff& out) {
    digest(a, m_digestA);
    digest(b, m_digestB);
    out.aRows += qint64(a.size());
    out.bRows += qint64(b.size());
    ++out.chunks;
    if (a.size() == b.size() && checksum(m_digestA) == checksum(m_digestB)) {
        for (size_t i = 0; i < a.size(); ++i)
            ++(m_digestA[i].raw == m_digestB[i].raw ? out.identical : out.equalNormalized);
        return;
    }
    ++out.chunksDiffering;
    size_t i = 0, j = 0;
    while (i < a.size() || j < b.size()) {
        int c = 0;
        if (i == a.size())
            c = 1;
        else if (j == b.size())
            c = -1;
        else
            c = CompareKey::from(a[i][0], m_plan.textKey)
                    .compare(CompareKey::from(b[j][0], m_plan.textKey));
        if (c < 0) {
            onlyOneSide(a[i++], true, out);
        } else if (c > 0) {
            onlyOneSide(b[j++], false, out);
        } else {
            if (m_digestA[i].sameNormalized(m_digestB[j]))
                ++(m_digestA[i].raw == m_digestB[j].raw ? out.identical : out.equalNormalized);
            else
                compareRows(a[i], b[j], out);
            ++i;
            ++j;
        }
    }
}

void ChunkComparer::compareRows(const RawRow& a, const RawRow& b, TableDiff& out) {
    RowSample sample;
    sample.kind = RowSample::Kind::Different;
    sample.key = ownedKey(a[0], m_plan.textKey);
    bool allExplained = true;
    // What the recorded action makes of either side's values (which side is the
    // migrated source is not known here); computed once per row, when needed.
    std::optional<QList<NormalizedValue>> fromA, fromB;
    const auto actionExplains = [&](int c, const ColumnSample& col) {
        if (!m_action.usable() ||
            !m_rejects.recordedValue(m_plan.name, sample.key, m_plan.columns[c]))
            return false;
        const QSet<QString> reasons = m_rejects.reasonsFor(m_plan.name, sample.key);
        if (!fromA)
            fromA = m_action.expected(a, b, reasons);
        if (fromA->value(c) == col.normB)
            return true;
        if (!fromB)
            fromB = m_action.expected(b, a, reasons);
        return fromB->value(c) == col.normA;
    };
    for (int c = 0; c < int(a.size()); ++c) {
        ColumnSample col;
        bool same = false;
        if (m_plan.normalized()) {
            col.normA = normalize(c, a[size_t(c)]);
            col.normB = normalize(c, b[size_t(c)]);
            same = col.normA == col.normB;
        } else {
            same = a[size_t(c)] == b[size_t(c)];
        }
        if (same)
            continue;
        col.rawA = owned(a[size_t(c)]);
        col.rawB = owned(b[size_t(c)]);
        col.normA = owned(col.normA);
        col.normB = owned(col.normB);
        col.column = m_plan.columns[c];
        col.explained = actionExplains(c, col);
        allExplained = allExplained && col.explained;
        ++out.columnDifferences[col.column];
        sample.columns << col;
    }
    if (sample.columns.isEmpty()) { // hash collision between different encodings: equal
        ++out.equalNormalized;
        return;
    }
    ++out.different;
    sample.explained = allExplained;
    if (allExplained)
        ++out.explained;
    addSample(std::move(sample), out);
}

bool ChunkComparer::isRecoveredPlaceholder(const RawRow& row) const {
    if (m_metadataColumn < 0)
        return false;
    const NormalizedValue meta = normalize(m_metadataColumn, row[size_t(m_metadataColumn)]);
    return meta.kind == NormalizedValue::Kind::Json &&
           meta.bytes.contains("\"ctx_recovered\":true");
}

void ChunkComparer::onlyOneSide(const RawRow& row, bool inA, TableDiff& out) {
    RowSample sample;
    sample.kind = inA ? RowSample::Kind::OnlyInA : RowSample::Kind::OnlyInB;
    sample.key = ownedKey(row[0], m_plan.textKey);
    sample.explained = m_rejects.explainsRow(m_plan.name, sample.key) ||
                       (!inA && isRecoveredPlaceholder(row) && m_rejects.mentions(sample.key));
    ++(inA ? out.onlyInA : out.onlyInB);
    if (sample.explained)
        ++out.explained;
    if (m_sampleRows <= 0)
        return;
    for (int c = 0; c < int(row.size()); ++c) {
        ColumnSample col;
        col.column = m_plan.columns[c];
        (inA ? col.rawA : col.rawB) = owned(row[size_t(c)]);
        (inA ? col.normA : col.normB) = owned(normalize(c, row[size_t(c)]));
        sample.columns << col;
    }
    addSample(std::move(sample), out);
}

void ChunkComparer::addSample(RowSample sample, TableDiff& out) const {
    if (m_sampleRows <= 0 || out.samples.size() >= m_sampleRows)
        return;
    out.samples << std::move(sample);
}

} // namespace ctx
