#include "SessionKeys.h"

#include "SourceCursor.h"
#include "core/values/ServerColumnRules.h"
#include "core/values/TextBytes.h"
#include "core/values/ValueNormalizer.h"

#include <QSet>
#include <sqlite3.h>

namespace ctx {

namespace {

// Text that arrives as stored: no NUL, valid UTF-8, and a form the server's schema
// takes (not blank, at most 255 characters).
bool cleanText(const RawValue& v) {
    return v.type == StorageType::Text && !TextBytes::hasNul(v.bytes) &&
           TextBytes::isValidUtf8(v.bytes) && ServerColumnRules::isKeyForm(v.bytes);
}

} // namespace

std::optional<QByteArray> SessionKeys::cleanedText(const RawValue& v) {
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

std::optional<QByteArray> SessionKeys::cleaned(const RawValue& v) {
    auto text = cleanedText(v);
    if (text)
        return ServerColumnRules::keyForm(*text);
    return text;
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

Result<bool> SessionKeys::earlierCleanId(sqlite3* db, const QByteArray& id, qint64 rowid) {
    sqlite3_stmt* st = nullptr;
    static const char sql[] =
        "SELECT 1 FROM sessions WHERE id = ?1 AND typeof(id) = 'text' AND rowid < ?2 LIMIT 1";
    if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK) {
        sqlite3_finalize(st);
        return fail(ErrorCode::QueryFailed, QStringLiteral("cannot read session ids"));
    }
    sqlite3_bind_text(st, 1, id.constData(), int(id.size()), SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, rowid);
    const int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return fail(ErrorCode::QueryFailed, QStringLiteral("reading session ids failed"));
    return rc == SQLITE_ROW;
}

Result<SessionKeys> SessionKeys::read(sqlite3* db) {
    SessionKeys keys;
    struct Unclean {
        qint64 rowid;
        RawValue id;           // deep copy
        bool repeated = false; // clean text, but an earlier row has it (no PRIMARY KEY)
    };
    QList<Unclean> unclean;
    QSet<quint64> seen; // digests of clean ids: a repeat is checked exactly
    auto ok = SqliteRows::each(
        db, "SELECT rowid, id FROM sessions ORDER BY rowid", {}, [&](sqlite3_stmt* row) {
            const RawValue id = SqliteRows::column(row, 1, true);
            const qint64 rowid = sqlite3_column_int64(row, 0);
            if (!cleanText(id)) {
                unclean << Unclean{rowid, SqliteRows::column(row, 1, false)};
                return true;
            }
            const quint64 digest = qHashBits(id.bytes.constData(), size_t(id.bytes.size()), 7);
            if (seen.contains(digest))
                unclean << Unclean{rowid, SqliteRows::column(row, 1, false), true};
            else
                seen.insert(digest);
            return true;
        });
    if (!ok)
        return std::unexpected(ok.error());
    seen.clear();
    QSet<QByteArray> tags; // stored ids of unclean rows so far
    auto taken = [&](const QByteArray& id) { return keys.arrives(db, id); };
    for (const Unclean& u : std::as_const(unclean)) {
        if (u.repeated) {
            auto earlier = earlierCleanId(db, u.id.bytes, u.rowid);
            if (!earlier)
                return std::unexpected(earlier.error());
            if (!*earlier)
                continue; // only its digest repeated
        }
        const std::optional<QByteArray> natural = cleaned(u.id);
        // The very same stored id twice (a table without PRIMARY KEY): the first keeps
        // the references, the repeat is renamed.
        const QByteArray stored = natural ? tag(u.id) : QByteArray();
        const bool repeat = u.repeated || (natural && tags.contains(stored));
        if (natural)
            tags.insert(stored);
        QByteArray target;
        if (natural && !repeat) {
            auto t = taken(*natural);
            if (!t)
                return std::unexpected(t.error());
            if (!*t) { // the first to clean to this id keeps it
                keys.m_dirtyTargets.insert(*natural, true);
                continue;
            }
        }
        if (natural)
            target = ServerColumnRules::keyForm(*natural + '~' + QByteArray::number(u.rowid));
        else
            target = "ctx_null_id_" + QByteArray::number(u.rowid);
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
        if (natural && !repeat) // references follow it by its stored id
            keys.m_refs.insert(stored, target);
    }
    if (auto t = keys.readTokens(db); !t)
        return std::unexpected(t.error());
    return keys;
}

Status SessionKeys::readTokens(sqlite3* db) {
    bool present = false;
    auto ok = SqliteRows::each(
        db, "SELECT 1 FROM pragma_table_info('secure_tokens') WHERE name = 'token_id'", {},
        [&](sqlite3_stmt*) {
            present = true;
            return false;
        });
    if (!ok)
        return ok;
    if (!present)
        return {};
    // Each token_id as it arrives (NULL: ''); the first keeps it, a later equal one
    // gets <id>~<rowid>. Tokens are few: every id is held.
    QList<std::pair<qint64, QByteArray>> rows;
    QHash<QByteArray, bool> taken;
    ok = SqliteRows::each(
        db, "SELECT rowid, token_id FROM secure_tokens ORDER BY rowid", {}, [&](sqlite3_stmt* row) {
            rows.append({sqlite3_column_int64(row, 0),
                         cleaned(SqliteRows::column(row, 1, true)).value_or(QByteArray())});
            taken.insert(rows.last().second, true);
            return true;
        });
    if (!ok)
        return ok;
    QHash<QByteArray, bool> kept;
    for (const auto& [rowid, id] : std::as_const(rows)) {
        if (!kept.contains(id)) {
            kept.insert(id, true);
            continue;
        }
        QByteArray target = ServerColumnRules::keyForm(id + '~' + QByteArray::number(rowid));
        while (taken.contains(target))
            target += '~';
        taken.insert(target, true);
        m_tokens.insert(rowid, target);
    }
    return {};
}

const QByteArray* SessionKeys::renamedToken(qint64 rowid) const {
    auto it = m_tokens.constFind(rowid);
    return it == m_tokens.cend() ? nullptr : &*it;
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
