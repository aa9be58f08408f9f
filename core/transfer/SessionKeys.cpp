#include "SessionKeys.h"

#include "SourceCursor.h"
#include "core/values/TextBytes.h"
#include "core/values/ValueNormalizer.h"

#include <QSet>
#include <sqlite3.h>

namespace ctx {

namespace {

bool cleanText(const RawValue& v) {
    return v.type == StorageType::Text && !TextBytes::hasNul(v.bytes) &&
           TextBytes::isValidUtf8(v.bytes);
}

} // namespace

std::optional<QByteArray> SessionKeys::cleaned(const RawValue& v) {
    if (v.isNull())
        return std::nullopt;
    // The converter's text rule (RowConverter::convertText).
    const QByteArray bytes = v.type == StorageType::Text || v.type == StorageType::Blob
                                 ? v.bytes
                                 : ValueNormalizer::normalize(LogicalType::Text, v).bytes;
    if (!TextBytes::hasNul(bytes) && TextBytes::isValidUtf8(bytes))
        return QByteArray(bytes.constData(), bytes.size());
    return TextBytes::sanitized(bytes);
}

QByteArray SessionKeys::tag(const RawValue& v) {
    QByteArray t(1, char('0' + int(v.type)));
    if (v.type == StorageType::Integer)
        t += QByteArray::number(v.integer);
    else if (v.type == StorageType::Real)
        t += QByteArray::number(v.real, 'g', 17);
    else
        t += v.bytes;
    return t;
}

Result<bool> SessionKeys::cleanIdExists(sqlite3* db, const QByteArray& id) {
    sqlite3_stmt* st = nullptr;
    static const char sql[] = "SELECT 1 FROM sessions WHERE id = ?1 AND typeof(id) = 'text'";
    if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK) {
        sqlite3_finalize(st);
        return fail(ErrorCode::QueryFailed, QStringLiteral("cannot read session ids: %1")
                                                .arg(QString::fromUtf8(sqlite3_errmsg(db))));
    }
    sqlite3_bind_text(st, 1, id.constData(), int(id.size()), SQLITE_STATIC);
    const int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return fail(ErrorCode::QueryFailed, QStringLiteral("reading session ids failed"));
    return rc == SQLITE_ROW;
}

Result<bool> SessionKeys::arrives(sqlite3* db, const QByteArray& id) const {
    if (m_dirtyTargets.contains(id))
        return true;
    return cleanIdExists(db, id);
}

Result<SessionKeys> SessionKeys::read(sqlite3* db) {
    SessionKeys keys;
    struct Unclean {
        qint64 rowid;
        RawValue id; // deep copy
    };
    QList<Unclean> unclean;
    auto ok = SqliteRows::each(
        db, "SELECT rowid, id FROM sessions ORDER BY rowid", {}, [&](sqlite3_stmt* row) {
            if (!cleanText(SqliteRows::column(row, 1, true)))
                unclean << Unclean{sqlite3_column_int64(row, 0), SqliteRows::column(row, 1, false)};
            return true;
        });
    if (!ok)
        return std::unexpected(ok.error());
    auto taken = [&](const QByteArray& id) { return keys.arrives(db, id); };
    for (const Unclean& u : std::as_const(unclean)) {
        const std::optional<QByteArray> natural = cleaned(u.id);
        QByteArray target;
        if (natural) {
            auto t = taken(*natural);
            if (!t)
                return std::unexpected(t.error());
            if (!*t) { // the first to clean to this id keeps it
                keys.m_dirtyTargets.insert(*natural, true);
                continue;
            }
            target = *natural + '~' + QByteArray::number(u.rowid);
        } else {
            target = "ctx_null_id_" + QByteArray::number(u.rowid);
        }
        for (;;) {
            auto t = taken(target);
            if (!t)
                return std::unexpected(t.error());
            if (!*t)
                break;
            target += '~';
        }
        keys.m_dirtyTargets.insert(target, true);
        keys.m_rows.insert(u.rowid, target);
        if (natural)
            keys.m_refs.insert(tag(u.id), target);
    }
    return keys;
}

const QByteArray* SessionKeys::renamedRow(qint64 rowid) const {
    auto it = m_rows.constFind(rowid);
    return it == m_rows.cend() ? nullptr : &*it;
}

const QByteArray* SessionKeys::renamedReference(const RawValue& sessionId) const {
    if (m_refs.isEmpty() || sessionId.isNull())
        return nullptr;
    auto it = m_refs.constFind(tag(sessionId));
    return it == m_refs.cend() ? nullptr : &*it;
}

} // namespace ctx
