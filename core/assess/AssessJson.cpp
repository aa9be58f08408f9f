#include "AssessJson.h"

#include <QJsonArray>

namespace ctx {

QJsonObject assessReportToJson(const AssessReport& r) {
    QJsonArray tables, hazards;
    for (const TableAssessment& t : r.tables) {
        QJsonArray unreadable; // damaged file: the rowid ranges SQLite cannot read
        for (const UnreadableRange& u : t.unreadable)
            unreadable.append(
                QJsonObject{{"first", u.first ? QJsonValue(double(*u.first)) : QJsonValue()},
                            {"last", u.last ? QJsonValue(double(*u.last)) : QJsonValue()},
                            {"row_key", u.rowKey()},
                            {"error", u.error}});
        tables.append(QJsonObject{{"name", t.name},
                                  {"present", t.present},
                                  {"rows", double(t.rows)},
                                  {"readable_rows", double(t.rows)},
                                  {"unreadable_ranges", unreadable},
                                  {"wal_only_rows", double(t.walOnlyRows)},
                                  {"payload_bytes", double(t.payloadBytes)}});
    }
    for (const HazardEntry& h : r.hazards) {
        QJsonArray ids;
        for (qint64 id : h.sampleRowids)
            ids.append(double(id));
        hazards.append(QJsonObject{{"table", h.table},
                                   {"column", h.column.isEmpty() ? QJsonValue() : h.column},
                                   {"hazard", hazardReason(h.hazard)},
                                   {"detail", h.detail},
                                   {"count", double(h.count)},
                                   {"sample_rowids", ids},
                                   {"sample_keys", QJsonArray::fromStringList(h.sampleKeys)},
                                   {"recorded", h.recorded},
                                   {"action", h.action}});
    }
    return QJsonObject{{"source", r.path},
                       {"file_bytes", double(r.fileBytes)},
                       {"wal_bytes", double(r.walBytes)},
                       {"schema_version", r.schema.version},
                       {"variant", r.schema.variant},
                       {"mixed", r.schema.mixed},
                       {"quirks", QJsonArray::fromStringList(r.schema.quirks)},
                       {"quick_check", QJsonArray::fromStringList(r.quickCheck)},
                       {"quick_check_ok", r.quickCheck.isEmpty() || r.quickCheckOk()},
                       {"salvaged", r.salvaged},
                       {"tables", tables},
                       {"hazards", hazards},
                       {"recovered_sessions", double(r.missingSessions)},
                       {"dropped_duplicates", double(r.droppedDuplicates)},
                       {"recorded_values", double(r.recordedCount())},
                       {"estimated_target_bytes", double(r.estimatedTargetBytes)},
                       {"estimated_seconds", r.estimatedSeconds},
                       {"milliseconds", double(r.milliseconds)}};
}

} // namespace ctx
