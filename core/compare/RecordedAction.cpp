#include "RecordedAction.h"

#include "core/values/TableSpec.h"

namespace ctx {

RecordedAction::RecordedAction(const TablePlan& plan)
    : m_plan(plan) {
    const TableSpec* spec = findTable(plan.name);
    if (!spec || !plan.normalized())
        return;
    m_converter.emplace(*spec);
    for (const ColumnSpec& c : spec->columns)
        m_specToPlan << planColumn(c.name);
}

int RecordedAction::planColumn(const QString& name) const {
    return int(m_plan.columns.indexOf(name));
}

QList<NormalizedValue> RecordedAction::expected(const RawRow& source, const RawRow& target,
                                                const QSet<QString>& reasons) const {
    QList<NormalizedValue> out(m_plan.columns.size());
    if (!m_converter)
        return out;
    QList<RawValue> raw;
    raw.reserve(m_specToPlan.size());
    for (int p : m_specToPlan)
        raw << (p >= 0 ? source[size_t(p)] : RawValue{});
    // The row facts the migration knew from the rest of the source, as it recorded them.
    RowContext context;
    context.parentMissing = reasons.contains(hazardReason(Hazard::DanglingParent));
    QByteArray sessionKey, tokenId;
    const int session = planColumn(QStringLiteral("session_id"));
    if (session >= 0 && (reasons.contains(hazardReason(Hazard::SessionReferenceRenamed)) ||
                         reasons.contains(hazardReason(Hazard::SessionIdRenamed)))) {
        sessionKey = target[size_t(session)].bytes;
        context.sessionKey = &sessionKey;
    }
    const int token = planColumn(QStringLiteral("token_id"));
    if (token >= 0 && reasons.contains(hazardReason(Hazard::TokenIdRenamed))) {
        tokenId = target[size_t(token)].bytes;
        context.tokenId = &tokenId;
    }
    ConvertedRow converted;
    m_converter->convert(raw, context, converted);
    for (int s = 0; s < m_specToPlan.size() && s < converted.values.size(); ++s) {
        if (const int p = m_specToPlan[s]; p >= 0)
            out[p] = converted.values[s].normalized();
    }
    return out;
}

} // namespace ctx
