#include "DiffJob.h"

#include "ChunkReader.h"
#include "ChunkWorkers.h"
#include "ReadSession.h"
#include "RejectIndex.h"
#include "SalvagedSide.h"
#include "SchemaComparer.h"
#include "TablePlanner.h"
#include "core/schema/SchemaDetector.h"

#include <QElapsedTimer>

namespace ctx {

namespace {

QString versionText(const SchemaInfo& info) {
    if (info.empty)
        return QStringLiteral("empty");
    QString v = QString::number(info.version);
    if (!info.variant.isEmpty() && info.variant != v)
        v += QStringLiteral(" (%1)").arg(info.variant);
    if (info.mixed)
        v += QStringLiteral(", mixed");
    return v;
}

// The key ranges of one table: cut at every n-th key of one side, open at both ends
// so that keys only the other side has fall into a chunk too.
std::vector<ChunkRange> rangesFrom(const std::vector<CompareKey>& bounds) {
    std::vector<ChunkRange> ranges;
    std::optional<CompareKey> from;
    for (const CompareKey& k : bounds) {
        ranges.push_back(ChunkRange{from, k});
        from = k;
    }
    ranges.push_back(ChunkRange{from, std::nullopt});
    return ranges;
}

// A SQLite text key holding NULL or non-text values is compared as bytes (TablePlan).
Status checkKeyTypes(const Connection& conn, TablePlan& plan, bool present) {
    if (!present || !plan.textKey || conn.engine() != Engine::Sqlite || plan.keyAsBytes)
        return {};
    auto mixed = conn.scalar(
        QStringLiteral("SELECT EXISTS (SELECT 1 FROM %1 WHERE typeof(%2) "
                       "<> 'text')")
            .arg(Dialect::quoteIdentifier(plan.name), Dialect::quoteIdentifier(plan.key)));
    if (!mixed)
        return std::unexpected(mixed.error());
    plan.keyAsBytes = mixed->toInt() != 0;
    return {};
}

} // namespace

qint64 DiffReport::unexplainedRows() const {
    qint64 n = 0;
    for (const TableDiff& t : tables)
        n += t.unexplained();
    return n;
}

int DiffReport::schemaDifferences() const {
    int n = 0;
    for (const SchemaFinding& f : schema)
        n += f.level == SchemaFinding::Level::Difference ? 1 : 0;
    return n;
}

QString rowSampleKindName(RowSample::Kind kind) {
    switch (kind) {
    case RowSample::Kind::Different:
        return QStringLiteral("different");
    case RowSample::Kind::OnlyInA:
        return QStringLiteral("only_in_a");
    case RowSample::Kind::OnlyInB:
        return QStringLiteral("only_in_b");
    }
    return {};
}

DiffJob::DiffJob(DiffOptions options)
    : m_options(std::move(options)) {}

Status DiffJob::checkSequences(const Connection& conn, const QString& side,
                               const QList<TablePlan>& plans, QList<SchemaFinding>& out) const {
    if (conn.engine() != Engine::Postgres)
        return {};
    for (const TablePlan& p : plans) {
        if (p.textKey || !(side == QLatin1String("A") ? p.inA : p.inB))
            continue;
        auto next = nextSequenceValue(conn, p.name, p.key);
        if (!next)
            return std::unexpected(next.error());
        if (!*next)
            continue;
        auto max = conn.scalar(
            QStringLiteral("SELECT max(%1) FROM %2")
                .arg(Dialect::quoteIdentifier(p.key), Dialect::quoteIdentifier(p.name)));
        if (!max)
            return std::unexpected(max.error());
        if (!max->isNull() && **next <= max->toLongLong())
            out << SchemaFinding{SchemaFinding::Level::Difference, p.name,
                                 QStringLiteral("sequence of %1.%2 on %3 is behind: next value "
                                                "%4, max(%2) is %5")
                                     .arg(p.name, p.key, side)
                                     .arg(**next)
                                     .arg(max->toLongLong())};
    }
    return {};
}

Result<DiffReport> DiffJob::run() {
    QElapsedTimer timer;
    timer.start();
    DiffReport report;
    report.a = m_options.a.redacted();
    report.b = m_options.b.redacted();
    // A damaged SQLite side of a salvaged migration is read through its readable rows.
    auto salvagedA = SalvagedSide::prepare(m_options.a, m_options.b, QStringLiteral("A"));
    if (!salvagedA)
        return std::unexpected(salvagedA.error());
    auto salvagedB = SalvagedSide::prepare(m_options.b, m_options.a, QStringLiteral("B"));
    if (!salvagedB)
        return std::unexpected(salvagedB.error());
    for (const auto& [side, url] :
         {std::pair{salvagedA->get(), &m_options.a}, std::pair{salvagedB->get(), &m_options.b}})
        if (side) {
            *url = side->url();
            report.schema += side->findings();
        }
    auto a = ReadSession::open(m_options.a);
    if (!a)
        return std::unexpected(a.error());
    auto b = ReadSession::open(m_options.b);
    if (!b)
        return std::unexpected(b.error());
    const Connection& ca = (*a)->connection();
    const Connection& cb = (*b)->connection();

    auto infoA = SchemaDetector::detect(ca);
    if (!infoA)
        return std::unexpected(infoA.error());
    auto infoB = SchemaDetector::detect(cb);
    if (!infoB)
        return std::unexpected(infoB.error());
    report.aVersion = versionText(*infoA);
    report.bVersion = versionText(*infoB);
    if (report.aVersion != report.bVersion)
        report.schema << SchemaFinding{SchemaFinding::Level::Note,
                                       {},
                                       QStringLiteral("schema version %1 in A, %2 in B")
                                           .arg(report.aVersion, report.bVersion)};

    auto schemaA = DatabaseSchema::read(ca);
    if (!schemaA)
        return std::unexpected(schemaA.error());
    auto schemaB = DatabaseSchema::read(cb);
    if (!schemaB)
        return std::unexpected(schemaB.error());
    const QString only = m_options.table;
    if (!only.isEmpty() && !schemaA->tables.contains(only) && !schemaB->tables.contains(only))
        return fail(ErrorCode::NotFound, QStringLiteral("no table %1 on either side").arg(only));
    report.schema += SchemaComparer::compare(*schemaA, *schemaB, only);
    TablePlanner::Plan plan = TablePlanner::plan(*schemaA, *schemaB, only);
    for (TablePlan& p : plan.tables) {
        if (auto ok = checkKeyTypes(ca, p, p.inA); !ok)
            return std::unexpected(ok.error());
        if (auto ok = checkKeyTypes(cb, p, p.inB); !ok)
            return std::unexpected(ok.error());
    }
    if (auto ok = checkSequences(ca, QStringLiteral("A"), plan.tables, report.schema); !ok)
        return std::unexpected(ok.error());
    if (auto ok = checkSequences(cb, QStringLiteral("B"), plan.tables, report.schema); !ok)
        return std::unexpected(ok.error());

    auto rejects = RejectIndex::load(ca);
    if (!rejects)
        return std::unexpected(rejects.error());
    auto rejectsB = RejectIndex::load(cb);
    if (!rejectsB)
        return std::unexpected(rejectsB.error());
    rejects->merge(*rejectsB);

    // Chunk boundaries from one side; PostgreSQL's key index makes its scan cheap.
    auto readerA = ChunkReader::create(ca);
    auto readerB = ChunkReader::create(cb);
    std::vector<ChunkTask> tasks;
    QList<TableDiff> tables;
    for (int i = 0; i < plan.tables.size(); ++i) {
        const TablePlan& p = plan.tables[i];
        const bool fromB = p.inB && (!p.inA || cb.engine() == Engine::Postgres);
        auto bounds = (fromB ? readerB : readerA)->boundaries(p, std::max(1, m_options.chunkRows));
        if (!bounds)
            return std::unexpected(bounds.error());
        for (ChunkRange& r : rangesFrom(*bounds))
            tasks.push_back(ChunkTask{i, std::move(r)});
        TableDiff t;
        t.name = p.name;
        t.key = p.key;
        t.normalized = p.normalized();
        t.inA = p.inA;
        t.inB = p.inB;
        tables << t;
    }
    if (m_cancel)
        return fail(ErrorCode::Cancelled, QStringLiteral("comparison cancelled"));

    ChunkWorkers::Setup setup;
    setup.a = m_options.a;
    setup.b = m_options.b;
    setup.snapshotA = (*a)->snapshot();
    setup.snapshotB = (*b)->snapshot();
    setup.jobs = m_options.jobs;
    setup.sampleRows = m_options.sampleRows;
    setup.plans = &plan.tables;
    setup.rejects = &*rejects;
    setup.cancel = &m_cancel;
    setup.progress = m_progress;
    ChunkWorkers workers(setup);
    const Status ran = workers.run(tasks, tables);
    // A SQLite side read without its -shm that a server started writing since A and B
    // were opened (SourceWatch): its rows may mix two states of the file (or fail as
    // "malformed"), and no report or error but this one is true. The workers opened
    // after A and B and closed before this check.
    for (const Connection* side : {&ca, &cb})
        if (auto same = side->sourceUnchanged(); !same)
            return fail(same.error().code,
                        same.error().message + QStringLiteral("; run the comparison again"),
                        same.error().subject);
    if (!ran)
        return std::unexpected(ran.error());

    report.tables = tables + plan.skipped;
    std::sort(report.tables.begin(), report.tables.end(),
              [](const TableDiff& x, const TableDiff& y) { return x.name < y.name; });
    report.milliseconds = timer.elapsed();
    return report;
}

} // namespace ctx
