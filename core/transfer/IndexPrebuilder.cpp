#include "IndexPrebuilder.h"

#include "MigrateTypes.h"
#include "PgLink.h"
#include "core/db/Connection.h"
#include "core/db/SqlScript.h"

#include <QMutex>
#include <QRegularExpression>
#include <algorithm>
#include <optional>
#include <thread>
#include <vector>

namespace ctx {

namespace {

QString withoutLeadingComments(const QString& statement) {
    static const QRegularExpression comments(QStringLiteral(R"(^(\s|--[^\n]*\n?)*)"));
    return statement.mid(int(comments.match(statement).capturedLength()));
}

// Hands out the statements in order, one at a time, and keeps the first error.
class BuildQueue {
public:
    BuildQueue(const QList<IndexBuild>& builds, const std::atomic<bool>* cancel)
        : m_builds(builds)
        , m_cancel(cancel) {}

    std::optional<IndexBuild> next() {
        QMutexLocker lock(&m_mutex);
        if (m_error || m_next >= m_builds.size() || (m_cancel && m_cancel->load()))
            return std::nullopt;
        return m_builds.at(m_next++);
    }
    void fail(const Error& e) {
        QMutexLocker lock(&m_mutex);
        if (!m_error)
            m_error = e;
    }
    std::optional<Error> error() const { return m_error; }

private:
    QMutex m_mutex;
    const QList<IndexBuild>& m_builds;
    qsizetype m_next = 0;
    std::optional<Error> m_error;
    const std::atomic<bool>* m_cancel;
};

void buildFrom(BuildQueue& queue, const DatabaseUrl& target) {
    ConnectionOptions co;
    co.readOnly = false;
    co.applicationName = QStringLiteral("ctxdb migrate indexes");
    auto conn = Connection::open(target, co); // this thread's own connection
    if (!conn) {
        queue.fail(conn.error());
        return;
    }
    PgLink link((*conn)->pgHandle(), target.redacted());
    // Each connection also gets one parallel worker: measured on two cores, two
    // connections with one worker each beat one connection with two workers.
    // Not through a transaction pooler: the settings would stay on a server connection.
    Status ok = (*conn)->throughPooler() ? Status{}
                                         : link.exec("SET maintenance_work_mem = '512MB'; "
                                                     "SET max_parallel_maintenance_workers = 1");
    while (ok) {
        auto build = queue.next();
        if (!build)
            return;
        ok = link.exec(build->sql);
    }
    queue.fail(ok.error());
}

} // namespace

QList<IndexBuild> IndexPrebuilder::collect(const QList<MigrationScript>& scripts) {
    static const QRegularExpression index(
        QStringLiteral(R"(^CREATE\s+(UNIQUE\s+)?INDEX\s+IF\s+NOT\s+EXISTS\s+\S+\s+ON\s+(\w+))"),
        QRegularExpression::CaseInsensitiveOption);
    QList<IndexBuild> builds;
    for (const MigrationScript& script : scripts) {
        for (const QString& statement : SqlScript::statements(QString::fromUtf8(script.sql))) {
            const QString sql = withoutLeadingComments(statement);
            const auto m = index.match(sql);
            if (m.hasMatch())
                builds << IndexBuild{m.captured(2), sql.toUtf8()};
        }
    }
    return builds;
}

Status IndexPrebuilder::schedule(PgLink& link, QList<IndexBuild>& builds) {
    QHash<QString, qint64> bytes; // -1: the table does not exist yet
    for (const IndexBuild& b : builds) {
        if (bytes.contains(b.table))
            continue;
        auto size = link.scalar("SELECT coalesce(pg_relation_size(to_regclass($1)), -1)",
                                {b.table.toUtf8()});
        if (!size)
            return std::unexpected(size.error());
        bytes.insert(b.table, size->toLongLong());
    }
    builds.removeIf([&](const IndexBuild& b) { return bytes.value(b.table) < 0; });
    std::stable_sort(builds.begin(), builds.end(), [&](const IndexBuild& a, const IndexBuild& b) {
        return bytes.value(a.table) > bytes.value(b.table);
    });
    return {};
}

Status IndexPrebuilder::build(const DatabaseUrl& target, const QList<IndexBuild>& builds,
                              int connections, const std::atomic<bool>* cancel) {
    BuildQueue queue(builds, cancel);
    // No thread and no connection when there is nothing to build.
    const int n = std::min(std::max(connections, 1), int(builds.size()));
    std::vector<std::thread> threads;
    for (int i = 0; i < n; ++i)
        threads.emplace_back([&queue, &target] { buildFrom(queue, target); });
    for (std::thread& t : threads)
        t.join();
    if (auto e = queue.error())
        return std::unexpected(*e);
    if (cancel && cancel->load())
        return migrationCancelled(target);
    return {};
}

} // namespace ctx
