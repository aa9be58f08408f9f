#include "PgScanTuning.h"

#include "core/transfer/PgLink.h"

#include <libpq-fe.h>

namespace ctx::store {

bool PgScanTuning::asciiFoldIsNecessary(const QString& needle) {
    if (needle.isEmpty())
        return false;
    for (const QChar c : needle) {
        const char16_t u = c.unicode();
        if (u == 0 || u >= 0x80 || u == u'i' || u == u'I' || u == u'k' || u == u'K')
            return false;
    }
    return true;
}

PgScanTuning::Condition PgScanTuning::contentMatch(const QString& column, const QString& needle) {
    const QString exact = QStringLiteral("strpos(lower(%1::text), lower(?)) > 0").arg(column);
    if (!asciiFoldIsNecessary(needle))
        return {exact, {needle}};
    // CASE: the planner may reorder the terms of an AND by cost, never a CASE's.
    return {QStringLiteral("CASE WHEN strpos(lower(%1::text COLLATE \"C\"), ?) > 0 THEN %2 "
                           "ELSE false END")
                .arg(column, exact),
            {needle.toLower(), needle}};
}

PgScanTuning::~PgScanTuning() {
    if (m_began)
        m_conn.rollback();
}

Status PgScanTuning::begin() {
    if (PQtransactionStatus(m_conn.pgHandle()) != PQTRANS_IDLE)
        return {};
    if (auto ok = m_conn.begin(false); !ok)
        return ok;
    m_began = true;
    return PgLink(m_conn.pgHandle(), m_conn.subject()).exec("SET LOCAL jit = off");
}

Status PgScanTuning::readWholeRange(bool whole) {
    if (!m_began || m_whole == whole)
        return {};
    m_whole = whole;
    return PgLink(m_conn.pgHandle(), m_conn.subject())
        .exec(whole ? "SET LOCAL enable_indexscan = off" : "SET LOCAL enable_indexscan = on");
}

} // namespace ctx::store
