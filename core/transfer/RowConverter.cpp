#include "RowConverter.h"

#include "core/values/JsonCanonical.h"
#include "core/values/TextBytes.h"
#include "core/values/Timestamp.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <cstring>

namespace ctx {

namespace {

using Kind = NormalizedValue::Kind;

// True when every byte is 7-bit ASCII and none is NUL: valid UTF-8, nothing to fix.
bool plainAscii(const QByteArray& b) {
    const char* p = b.constData();
    qsizetype n = b.size();
    constexpr quint64 high = 0x8080808080808080ULL;
    constexpr quint64 ones = 0x0101010101010101ULL;
    while (n >= 8) {
        quint64 w;
        std::memcpy(&w, p, 8);
        if ((w & high) || ((w - ones) & ~w & high))
            return false;
        p += 8;
        n -= 8;
    }
    for (; n > 0; --n, ++p)
        if (*p == 0 || (uchar(*p) & 0x80))
            return false;
    return true;
}

void note(QList<Finding>& f, int column, Hazard h, quint8 detail = 0) {
    f.append(Finding{column, h, detail});
}

TargetValue value(Kind kind, QByteArray bytes = {}, qint64 number = 0) {
    return TargetValue{kind, number, std::move(bytes)};
}

// What a NOT NULL column gets when the source holds NULL there.
TargetValue emptyValue(LogicalType type) {
    switch (type) {
    case LogicalType::Integer:
        return value(Kind::Integer, {}, 0);
    case LogicalType::Timestamp:
        return value(Kind::Timestamp, {}, 0);
    case LogicalType::Boolean:
        return value(Kind::Boolean, "f");
    case LogicalType::Json:
        return value(Kind::Json, "{}");
    case LogicalType::Blob:
        return value(Kind::Bytes, QByteArray(""));
    case LogicalType::Text:
        break;
    }
    return value(Kind::Text, QByteArray(""));
}

bool isVisibility(const QByteArray& v) {
    return v == "public" || v == "private" || v == "agent_only" || v == "admin_only";
}

} // namespace

NormalizedValue TargetValue::normalized() const {
    switch (kind) {
    case Kind::Integer:
    case Kind::Timestamp:
        return NormalizedValue{kind, QByteArray::number(number), {}};
    default:
        return NormalizedValue{kind, bytes, {}};
    }
}

QString TargetValue::display() const {
    return normalized().display();
}

RowConverter::RowConverter(const TableSpec& spec)
    : m_spec(spec) {
    for (const ColumnSpec& c : spec.columns) {
        Role role = Role::Plain;
        if (spec.name == QLatin1String("messages") && c.name == QLatin1String("sender_type"))
            role = Role::SenderType;
        else if (spec.name == QLatin1String("messages") && c.name == QLatin1String("content"))
            role = Role::Content;
        else if (spec.name == QLatin1String("messages") && c.name == QLatin1String("visibility"))
            role = Role::Visibility;
        else if (c.name == QLatin1String("parent_message_id"))
            role = Role::Parent;
        else if (spec.name == QLatin1String("agent_memory") && c.name == QLatin1String("key"))
            role = Role::MemoryKey;
        else if (spec.name != QLatin1String("sessions") && c.name == QLatin1String("session_id"))
            role = Role::Session;
        m_roles << role;
        m_required << !c.nullable;
        m_rules << ServerColumnRules::of(spec.name, c.name);
    }
    if (spec.name == QLatin1String("agent_memory")) {
        m_createdColumn = int(spec.columnNames().indexOf(QStringLiteral("created_at")));
        m_expiresColumn = int(spec.columnNames().indexOf(QStringLiteral("expires_at")));
    }
    m_sessions = spec.name == QLatin1String("sessions");
    m_sessionColumn = int(m_roles.indexOf(Role::Session));
    if (spec.name == QLatin1String("secure_tokens"))
        m_tokenColumn = int(spec.columnNames().indexOf(QStringLiteral("token_id")));
}

TargetValue RowConverter::convertText(const RawValue& v, int column, bool required,
                                      QList<Finding>& findings) const {
    if (v.isNull())
        return value(Kind::Null);
    if (v.type != StorageType::Text)
        note(findings, column, Hazard::StorageTypeMismatch, quint8(v.type));
    QByteArray bytes = v.type == StorageType::Text || v.type == StorageType::Blob
                           ? v.bytes
                           : ValueNormalizer::normalize(LogicalType::Text, v).bytes;
    Q_UNUSED(required);
    if (!plainAscii(bytes)) {
        const bool nul = TextBytes::hasNul(bytes);
        const bool valid = TextBytes::isValidUtf8(bytes);
        if (nul)
            note(findings, column, Hazard::NulBytes);
        if (!valid)
            note(findings, column, Hazard::InvalidUtf8);
        if (nul || !valid)
            bytes = TextBytes::sanitized(bytes);
    }
    return value(Kind::Text, bytes);
}

TargetValue RowConverter::convertJson(const RawValue& v, int column,
                                      QList<Finding>& findings) const {
    if (v.isNull())
        return value(Kind::Null);
    if (v.type != StorageType::Text)
        note(findings, column, Hazard::StorageTypeMismatch, quint8(v.type));
    const NormalizedValue n = ValueNormalizer::normalize(LogicalType::Json, v);
    if (n.kind == Kind::Invalid) {
        note(findings, column, Hazard::InvalidJson);
        return value(Kind::Null);
    }
    QByteArray json = n.bytes;
    if (json.contains("\\u0000")) {
        QByteArray stripped = JsonCanonical::withoutNulEscapes(json);
        if (stripped != json) {
            note(findings, column, Hazard::JsonNulEscape);
            json = std::move(stripped);
        }
    }
    // A canonical number holds "e+" or "e-" only in its scientific (huge) form.
    if (json.contains("e+") || json.contains("e-")) {
        QByteArray quoted = JsonCanonical::hugeNumbersAsStrings(json);
        if (quoted != json) {
            note(findings, column, Hazard::JsonNumberTooLarge);
            json = std::move(quoted);
        }
    }
    return value(Kind::Json, json);
}

TargetValue RowConverter::convertTimestamp(const RawValue& v, int column, bool required,
                                           QList<Finding>& findings) const {
    const ParsedTimestamp p = Timestamp::parse(v);
    if (p.shape == TimestampShape::Null)
        return value(Kind::Null);
    note(findings, column, Hazard::TimestampShape, quint8(p.shape));
    if (!p.micros) {
        note(findings, column, Hazard::UnparseableTimestamp);
        // A NOT NULL time (secure_tokens.expires_at) becomes the epoch: already
        // expired, so a token whose expiry is unknown never grants access.
        return required ? value(Kind::Timestamp, {}, 0) : value(Kind::Null);
    }
    return value(Kind::Timestamp, {}, *p.micros);
}

TargetValue RowConverter::convertBoolean(const RawValue& v, int column,
                                         QList<Finding>& findings) const {
    if (v.isNull())
        return value(Kind::Null);
    const auto b = ValueNormalizer::parseBoolean(v);
    if (!b) {
        note(findings, column, Hazard::InvalidBoolean);
        return value(Kind::Null);
    }
    if (v.type == StorageType::Text)
        note(findings, column, Hazard::BooleanAsText);
    else if (v.type != StorageType::Integer)
        note(findings, column, Hazard::StorageTypeMismatch, quint8(v.type));
    return value(Kind::Boolean, *b ? "t" : "f");
}

TargetValue RowConverter::convertInteger(const RawValue& v, int column,
                                         QList<Finding>& findings) const {
    if (v.isNull())
        return value(Kind::Null);
    if (v.type == StorageType::Integer)
        return value(Kind::Integer, {}, v.integer);
    const NormalizedValue n = ValueNormalizer::normalize(LogicalType::Integer, v);
    if (n.kind != Kind::Integer) {
        note(findings, column, Hazard::InvalidInteger);
        return value(Kind::Null);
    }
    note(findings, column, Hazard::StorageTypeMismatch, quint8(v.type));
    return value(Kind::Integer, {}, n.bytes.toLongLong());
}

TargetValue RowConverter::convertBlob(const RawValue& v, int column, bool required,
                                      QList<Finding>& findings) const {
    Q_UNUSED(required);
    if (v.isNull())
        return value(Kind::Null);
    if (v.type != StorageType::Blob)
        note(findings, column, Hazard::StorageTypeMismatch, quint8(v.type));
    return value(Kind::Bytes, ValueNormalizer::normalize(LogicalType::Blob, v).bytes);
}

void RowConverter::applyRole(Role role, const RowContext& context, int column, TargetValue& v,
                             QList<Finding>& findings) const {
    switch (role) {
    case Role::SenderType:
        if (v.isNull()) { // the column's stated meaning of NULL ('generic')
            note(findings, column, Hazard::NullSenderType);
            const QByteArray means = m_spec.columns[column].nullMeans;
            v = value(Kind::Text, means.isEmpty() ? QByteArray("generic") : means);
        }
        break;
    case Role::Content:
        if (v.bytes.size() > kMaxContentCharacters &&
            TextBytes::characterCount(v.bytes) > kMaxContentCharacters) {
            note(findings, column, Hazard::ContentTooLong);
            v.bytes = TextBytes::truncatedToCharacters(v.bytes, kMaxContentCharacters);
        }
        break;
    case Role::MemoryKey:
        if (v.bytes.size() > kMaxKeyCharacters &&
            TextBytes::characterCount(v.bytes) > kMaxKeyCharacters) {
            note(findings, column, Hazard::KeyTooLong);
            v.bytes = TextBytes::truncatedToCharacters(v.bytes, kMaxKeyCharacters);
        }
        break;
    case Role::Visibility:
        if (!v.isNull() && !isVisibility(v.bytes)) {
            note(findings, column, Hazard::InvalidVisibility);
            v.bytes = "admin_only";
        }
        break;
    case Role::Parent:
        if (context.parentMissing && !v.isNull()) {
            note(findings, column, Hazard::DanglingParent);
            v = value(Kind::Null);
        }
        break;
    case Role::Session:
        if (context.sessionKey) {
            note(findings, column, Hazard::SessionReferenceRenamed);
            v = value(Kind::Text, *context.sessionKey);
        } else if (context.sessionMissing && !v.isNull()) {
            note(findings, column, Hazard::SessionMissing);
        }
        break;
    case Role::Plain:
        break;
    }
}

void RowConverter::convert(const QList<RawValue>& raw, const RowContext& context,
                           ConvertedRow& out) const {
    out.findings.clear();
    out.values.resize(m_spec.columns.size());
    out.dropped = false;
    for (int i = 0; i < m_spec.columns.size(); ++i) {
        const RawValue& v = raw[i];
        const bool required = m_required[i];
        TargetValue& t = out.values[i];
        switch (m_spec.columns[i].type) {
        case LogicalType::Text:
            t = convertText(v, i, required, out.findings);
            break;
        case LogicalType::Json:
            t = convertJson(v, i, out.findings);
            break;
        case LogicalType::Timestamp:
            t = convertTimestamp(v, i, required, out.findings);
            break;
        case LogicalType::Boolean:
            t = convertBoolean(v, i, out.findings);
            break;
        case LogicalType::Integer:
            t = convertInteger(v, i, out.findings);
            break;
        case LogicalType::Blob:
            t = convertBlob(v, i, required, out.findings);
            break;
        }
        applyRole(m_roles[i], context, i, t, out.findings);
        if (i == 0 && m_sessions && context.sessionKey) {
            note(out.findings, 0, Hazard::SessionIdRenamed);
            t = value(Kind::Text, *context.sessionKey);
        } else if (i == m_tokenColumn && context.tokenId) {
            note(out.findings, i, Hazard::TokenIdRenamed);
            t = value(Kind::Text, *context.tokenId);
        }
        bool nullFilled = false;
        if (t.isNull() && required && m_roles[i] != Role::SenderType) {
            note(out.findings, i, Hazard::NullInRequired);
            t = emptyValue(m_spec.columns[i].type);
            nullFilled = true;
        }
        if (t.kind == Kind::Text)
            applyServerRule(i, nullFilled, out);
    }
    applyExpiryRule(out);
    if (context.duplicate) {
        out.dropped = true;
        const bool global = m_sessionColumn < 0 || out.values[m_sessionColumn].isNull();
        note(out.findings, -1, global ? Hazard::DuplicateGlobalKey : Hazard::DuplicateMemoryKey);
    }
}

void RowConverter::applyServerRule(int column, bool nullFilled, ConvertedRow& row) const {
    const ServerColumnRule& rule = m_rules[column];
    if (!rule.key && !rule.notBlank && rule.maxChars == 0)
        return;
    TargetValue& v = row.values[column];
    // Only a memory key's marker names the row: its integer id.
    std::optional<QByteArray> arrived =
        ServerColumnRules::changed(rule, v.bytes, row.values[0].number);
    if (!arrived)
        return;
    if (!nullFilled) {
        Hazard h = Hazard::TextTooLong;
        if (rule.key)
            h = m_sessions && column == 0 ? Hazard::SessionIdRenamed
                : column == m_tokenColumn ? Hazard::TokenIdRenamed
                                          : Hazard::SessionReferenceRenamed;
        else if (rule.notBlank && ServerColumnRules::isBlank(v.bytes))
            h = Hazard::BlankText;
        note(row.findings, column, h, h == Hazard::TextTooLong ? quint8(rule.maxChars) : 0);
    }
    v.bytes = std::move(*arrived);
}

void RowConverter::applyExpiryRule(ConvertedRow& row) const {
    if (m_createdColumn < 0 || m_expiresColumn < 0)
        return;
    const TargetValue& created = row.values[m_createdColumn];
    TargetValue& expires = row.values[m_expiresColumn];
    if (created.kind != Kind::Timestamp || expires.kind != Kind::Timestamp ||
        expires.number > created.number)
        return;
    note(row.findings, m_expiresColumn, Hazard::ExpiryNotAfterCreation);
    expires.number = created.number + 1;
}

QByteArray RowConverter::originalBytes(const RawValue& v, bool* isNull) {
    *isNull = v.isNull();
    switch (v.type) {
    case StorageType::Null:
        return {};
    case StorageType::Integer:
        return QByteArray::number(v.integer);
    case StorageType::Real:
        return QByteArray::number(v.real, 'g', 17);
    default:
        return QByteArray(v.bytes.constData(), v.bytes.size()); // deep copy
    }
}

QString RowConverter::rowKey(const ConvertedRow& row) const {
    const TargetValue& k = row.values.value(0);
    if (k.kind == Kind::Integer)
        return QString::number(k.number);
    return QString::fromUtf8(k.bytes);
}

RejectRecord RowConverter::reject(const QList<RawValue>& raw, const ConvertedRow& row,
                                  const Finding& f) const {
    RejectRecord r;
    r.table = m_spec.name;
    r.rowKey = rowKey(row);
    r.reason = hazardReason(f.hazard);
    if (f.column >= 0) {
        r.column = m_spec.columns[f.column].name;
        r.original = originalBytes(raw[f.column], &r.originalIsNull);
        r.action = hazardAction(f.hazard, m_required[f.column]);
    } else {
        QJsonObject whole;
        for (int i = 0; i < m_spec.columns.size(); ++i)
            whole.insert(m_spec.columns[i].name,
                         raw[i].isNull() ? QJsonValue() : QJsonValue(raw[i].display()));
        r.original = QJsonDocument(whole).toJson(QJsonDocument::Compact);
        r.action = hazardAction(f.hazard);
    }
    return r;
}

} // namespace ctx
