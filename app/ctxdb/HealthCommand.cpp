// ctxdb health URL
#include "StoreCommandSupport.h"
#include "core/store/Store.h"

#include <QJsonObject>

namespace ctx::cli {
namespace {

const QString kName = QStringLiteral("health");
const QString kSummary =
    QStringLiteral("Engine, versions, row counts and file/WAL (or database) size");

void declare(QCommandLineParser& p) {
    setExamples(p, kSummary,
                {QStringLiteral("ctxdb health chat_history.db"),
                 QStringLiteral("ctxdb health postgresql://ctx@localhost/ctx --json")});
    addUrlArgument(p);
    p.addOption(jsonOption());
}

int run(const QCommandLineParser& p, Output& out) {
    int code = Ok;
    if (!requirePositional(p, 1, kName, out, &code))
        return code;
    auto conn = openStore(p.positionalArguments()[0], false, kName, out, &code);
    if (!conn)
        return code;
    auto h = StoreMaintenance(*conn).health();
    if (!h)
        return out.error(h.error());
    if (out.json()) {
        QJsonObject counts;
        for (const auto& [table, n] : h->rowCounts)
            counts.insert(table, double(n));
        out.print(QJsonObject{{"database", conn->subject()},
                              {"engine", h->engine},
                              {"server_version", h->serverVersion},
                              {"schema_version", h->schemaVersion},
                              {"row_counts", counts},
                              {"file_bytes", double(h->fileBytes)},
                              {"wal_bytes", double(h->walBytes)}});
        return Ok;
    }
    QList<std::pair<QString, QString>> pairs{{"database", conn->subject()},
                                             {"engine", h->engine},
                                             {"server_version", h->serverVersion},
                                             {"schema_version", QString::number(h->schemaVersion)}};
    for (const auto& [table, n] : h->rowCounts)
        pairs.append({table, QString::number(n)});
    pairs.append({conn->engine() == Engine::Sqlite ? "file_bytes" : "database_bytes",
                  QString::number(h->fileBytes)});
    if (conn->engine() == Engine::Sqlite)
        pairs.append({"wal_bytes", QString::number(h->walBytes)});
    out.keyValues(pairs);
    return Ok;
}

const Registration reg{{kName, kSummary, declare, run, 47}};

} // namespace
} // namespace ctx::cli
