#include "SalvageReader.h"

#include "core/db/Dialect.h"

#include <limits>
#include <sqlite3.h>

namespace ctx {

namespace {

constexpr qint64 kMax = std::numeric_limits<qint64>::max();
constexpr qint64 kMin = std::numeric_limits<qint64>::min();

Error cancelled(const QString& table) {
    return Error{ErrorCode::Cancelled, QStringLiteral("salvage cancelled"), table};
}

// The first readable row with rowid >= x, the table's end, or damage on the way there.
struct Probe {
    enum class Outcome { Row, End, Damaged } outcome = Outcome::End;
    qint64 rowid = 0;
};

// How a scan stopped: at the end, or at damage after the last row it read.
struct ScanStop {
    std::optional<qint64> lastRead;
    std::optional<QString> damage;
};

class TableReader {
public:
    TableReader(sqlite3* db, const QString& table, const SalvageReader::RowFn& onRow,
                const std::atomic<bool>* cancel)
        : m_db(db)
        , m_table(table)
        , m_onRow(onRow)
        , m_cancel(cancel) {}
    ~TableReader() {
        sqlite3_finalize(m_scan);
        sqlite3_finalize(m_probe);
    }

    Status prepare() {
        // Every column is read (overflow pages included), by the scan and by the probe
        // alike: a row the probe finds is a row the scan can read.
        const QByteArray select = "SELECT rowid, * FROM " +
                                  Dialect::quoteIdentifier(m_table).toUtf8() +
                                  " WHERE rowid >= ?1 ORDER BY rowid";
        const QByteArray probe = select + " LIMIT 1";
        if (sqlite3_prepare_v2(m_db, select.constData(), -1, &m_scan, nullptr) != SQLITE_OK ||
            sqlite3_prepare_v2(m_db, probe.constData(), -1, &m_probe, nullptr) != SQLITE_OK)
            return std::unexpected(error(QStringLiteral("cannot read %1").arg(m_table)));
        return {};
    }

    // Reads rows from rowid `from` on, until the end or the first damage.
    Result<ScanStop> scan(qint64 from, qint64& rows) {
        sqlite3_reset(m_scan);
        sqlite3_bind_int64(m_scan, 1, from);
        ScanStop stop;
        int rc;
        while ((rc = sqlite3_step(m_scan)) == SQLITE_ROW) {
            if (auto ok = m_onRow(m_scan); !ok)
                return std::unexpected(ok.error());
            stop.lastRead = sqlite3_column_int64(m_scan, 0);
            if ((++rows & 0xfff) == 0 && m_cancel && m_cancel->load())
                return std::unexpected(cancelled(m_table));
        }
        if (rc == SQLITE_DONE)
            return stop;
        if (!SalvageReader::isDamage(sqlite3_extended_errcode(m_db)))
            return std::unexpected(error(QStringLiteral("reading %1").arg(m_table)));
        stop.damage = QString::fromUtf8(sqlite3_errmsg(m_db));
        sqlite3_reset(m_scan);
        return stop;
    }

    Result<Probe> probe(qint64 x) {
        if ((++m_probes & 0xff) == 0 && m_cancel && m_cancel->load())
            return std::unexpected(cancelled(m_table));
        sqlite3_reset(m_probe);
        sqlite3_bind_int64(m_probe, 1, x);
        const int rc = sqlite3_step(m_probe);
        Probe p;
        if (rc == SQLITE_ROW) {
            p.outcome = Probe::Outcome::Row;
            p.rowid = sqlite3_column_int64(m_probe, 0);
        } else if (rc != SQLITE_DONE) {
            if (!SalvageReader::isDamage(sqlite3_extended_errcode(m_db)))
                return std::unexpected(error(QStringLiteral("reading %1").arg(m_table)));
            p.outcome = Probe::Outcome::Damaged;
        }
        sqlite3_reset(m_probe);
        return p;
    }

    // The first readable row at or after `lower`; nullopt when none is left.
    Result<std::optional<qint64>> findNext(qint64 lower) {
        auto found = [](const Probe& p) -> std::optional<qint64> {
            return p.outcome == Probe::Outcome::Row ? std::optional(p.rowid) : std::nullopt;
        };
        for (qint64 i = 0; i < SalvageReader::kExactProbes; ++i) {
            const qint64 x = lower + i;
            auto p = probe(x);
            if (!p)
                return std::unexpected(p.error());
            if (p->outcome != Probe::Outcome::Damaged)
                return found(*p);
            if (x == kMax)
                return std::nullopt;
        }
        qint64 lo = lower + SalvageReader::kExactProbes - 1; // damaged
        qint64 step = SalvageReader::kExactProbes;
        for (;;) {
            qint64 hi = lo > kMax - step ? kMax : lo + step;
            auto p = probe(hi);
            if (!p)
                return std::unexpected(p.error());
            if (p->outcome == Probe::Outcome::Damaged) {
                if (hi == kMax)
                    return std::nullopt;
                lo = hi;
                step = step > kMax / 4 ? step : step * 2;
                continue;
            }
            Probe best = *p;
            while (hi - lo > 1) {
                const qint64 mid = lo + (hi - lo) / 2;
                auto m = probe(mid);
                if (!m)
                    return std::unexpected(m.error());
                if (m->outcome == Probe::Outcome::Damaged) {
                    lo = mid;
                } else {
                    hi = mid;
                    best = *m;
                }
            }
            return found(best);
        }
    }

private:
    Error error(const QString& doing) const {
        return Error{ErrorCode::QueryFailed,
                     doing + QStringLiteral(": ") + QString::fromUtf8(sqlite3_errmsg(m_db)),
                     {}};
    }

    sqlite3* m_db;
    QString m_table;
    const SalvageReader::RowFn& m_onRow;
    const std::atomic<bool>* m_cancel;
    sqlite3_stmt* m_scan = nullptr;
    sqlite3_stmt* m_probe = nullptr;
    qint64 m_probes = 0;
};

} // namespace

QString UnreadableRange::rowKey() const {
    return QStringLiteral("rowid %1..%2")
        .arg(first ? QString::number(*first) : QString(),
             last ? QString::number(*last) : QString());
}

bool SalvageReader::isDamage(int extendedCode) {
    const int primary = extendedCode & 0xff;
    return primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB ||
           extendedCode == SQLITE_IOERR_SHORT_READ;
}

Result<SalvageTable> SalvageReader::read(sqlite3* db, const QString& table, const RowFn& onRow,
                                         const std::atomic<bool>* cancel) {
    TableReader reader(db, table, onRow, cancel);
    if (auto ok = reader.prepare(); !ok)
        return std::unexpected(ok.error());
    SalvageTable result;
    result.name = table;
    std::optional<qint64> from; // a row a probe found; nullopt: the table's start
    for (;;) {
        auto stop = reader.scan(from.value_or(kMin), result.readableRows);
        if (!stop)
            return std::unexpected(stop.error());
        if (!stop->damage)
            break;
        UnreadableRange range;
        range.error = *stop->damage;
        if (stop->lastRead)
            range.first = *stop->lastRead == kMax ? kMax : *stop->lastRead + 1;
        else
            range.first = from; // the row the probe read fails now (or the start)
        if (stop->lastRead == kMax || (!stop->lastRead && from == kMax)) {
            if (!stop->lastRead)
                result.unreadable << range;
            break;
        }
        // Damage in front of the first row read: probed from rowid 0 (negative rowids
        // in front of damaged first pages are not looked for).
        const qint64 lower = stop->lastRead ? *stop->lastRead + 1 : from ? *from + 1 : 0;
        auto next = reader.findNext(lower);
        if (!next)
            return std::unexpected(next.error());
        if (*next)
            range.last = **next - 1;
        if (!range.first || !range.last || *range.last >= *range.first)
            result.unreadable << range;
        if (!*next)
            break;
        from = **next;
    }
    return result;
}

} // namespace ctx
