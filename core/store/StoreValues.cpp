#include "StoreValues.h"

#include "core/values/JsonCanonical.h"
#include "core/values/RawValue.h"
#include "core/values/Timestamp.h"

#include <chrono>

namespace ctx::store {

qint64 nowMicros() {
    using namespace std::chrono;
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

std::optional<qint64> readTimestamp(const QVariant& value) {
    return Timestamp::parse(RawValue::fromVariant(value)).micros;
}

bool readBool(const QVariant& value, bool fallback) {
    if (value.isNull())
        return fallback;
    const QString t = value.toString().trimmed().toLower();
    if (t == QLatin1String("1") || t == QLatin1String("true") || t == QLatin1String("t") ||
        t == QLatin1String("yes") || t == QLatin1String("on"))
        return true;
    if (t == QLatin1String("0") || t == QLatin1String("false") || t == QLatin1String("f") ||
        t == QLatin1String("no") || t == QLatin1String("off"))
        return false;
    return fallback;
}

QString readText(const QVariant& value) {
    if (value.isNull())
        return {};
    if (value.typeId() == QMetaType::QByteArray)
        return QString::fromUtf8(value.toByteArray());
    return value.toString();
}

std::optional<qint64> readOptionalId(const QVariant& value) {
    if (value.isNull())
        return std::nullopt;
    bool ok = false;
    const qint64 id = value.toLongLong(&ok);
    return ok ? std::optional<qint64>(id) : std::nullopt;
}

qint64 characterCount(const QString& text) {
    qint64 n = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (!(text[i].isLowSurrogate() && i > 0 && text[i - 1].isHighSurrogate()))
            ++n;
    }
    return n;
}

Result<QString> canonicalJsonObject(const QString& json, const QString& what) {
    if (json.trimmed().isEmpty())
        return QString();
    const CanonicalJson c = JsonCanonical::canonicalize(json.toUtf8());
    if (!c.ok)
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("%1 is not valid JSON: %2").arg(what, c.error));
    if (!c.isObject)
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("%1 must be a JSON object ({...})").arg(what));
    if (c.hasNulEscape)
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("%1 contains \\u0000, which PostgreSQL cannot store").arg(what));
    if (c.hasHugeNumber) // PostgreSQL's numeric refuses most of them, and expands the rest
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("%1 holds a number longer than %2 characters, which "
                                   "PostgreSQL cannot store")
                        .arg(what)
                        .arg(JsonCanonical::kMaxPlainNumberLength));
    return QString::fromUtf8(c.text);
}

Status requireText(const QString& value, const QString& what, qint64 maxChars) {
    if (value.trimmed().isEmpty())
        return fail(ErrorCode::InvalidArgument, QStringLiteral("%1 must not be empty").arg(what));
    const qint64 n = characterCount(value);
    if (n > maxChars)
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("%1 is too long: %2 characters, at most %3")
                        .arg(what)
                        .arg(n)
                        .arg(maxChars));
    return {};
}

} // namespace ctx::store
