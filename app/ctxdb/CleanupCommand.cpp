// ctxdb cleanup URL [--audit-days N] [--dry-run]
#include "StoreCommandSupport.h"
#include "core/store/Store.h"

#include <QJsonObject>

namespace ctx::cli {
namespace {

const QString kName = QStringLiteral("cleanup");
const QString kSummary = QStringLiteral("Delete expired memory and tokens and old audit rows "
                                        "(the only store command that writes)");

void declare(QCommandLineParser& p) {
    setExamples(p, kSummary,
                {QStringLiteral("ctxdb cleanup chat_history.db --dry-run"),
                 QStringLiteral("ctxdb cleanup postgresql://ctx@localhost/ctx --audit-days 90")});
    addUrlArgument(p);
    p.addOption({QStringLiteral("audit-days"),
                 QStringLiteral("Delete audit rows older than N days; 0 keeps all (default 30)."),
                 QStringLiteral("N"), QStringLiteral("30")});
    p.addOption({QStringLiteral("dry-run"), QStringLiteral("Only count; delete nothing.")});
    p.addOption(jsonOption());
}

int run(const QCommandLineParser& p, Output& out) {
    int code = Ok;
    if (!requirePositional(p, 1, kName, out, &code))
        return code;
    CleanupOptions options;
    bool ok = false;
    options.auditDays = p.value(QStringLiteral("audit-days")).toInt(&ok);
    if (!ok || options.auditDays < 0)
        return out.usage(kName, QStringLiteral("--audit-days takes a number of 0 or more"));
    options.dryRun = p.isSet(QStringLiteral("dry-run"));
    auto conn = openStore(p.positionalArguments()[0], !options.dryRun, kName, out, &code);
    if (!conn)
        return code;
    auto report = StoreMaintenance(*conn).cleanup(options);
    if (!report)
        return out.error(report.error());
    if (out.json()) {
        out.print(QJsonObject{{"database", conn->subject()},
                              {"dry_run", options.dryRun},
                              {"expired_memory", double(report->expiredMemory)},
                              {"expired_tokens", double(report->expiredTokens)},
                              {"old_audit", double(report->oldAudit)}});
        return Ok;
    }
    out.line(QStringLiteral("%1: %2 %3 expired memory entries, %4 expired tokens, %5 audit rows "
                            "older than %6 days")
                 .arg(conn->subject(),
                      options.dryRun ? QStringLiteral("would delete") : QStringLiteral("deleted"))
                 .arg(report->expiredMemory)
                 .arg(report->expiredTokens)
                 .arg(report->oldAudit)
                 .arg(options.auditDays));
    return Ok;
}

const Registration reg{{kName, kSummary, declare, run, 46}};

} // namespace
} // namespace ctx::cli
