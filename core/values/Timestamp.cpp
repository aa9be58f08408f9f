#include "Timestamp.h"

#include <QDate>
#include <cmath>
#include <cstdio>

namespace ctx {

QString timestampShapeName(TimestampShape shape) {
    switch (shape) {
    case TimestampShape::Null:
        return QStringLiteral("null");
    case TimestampShape::EpochInteger:
        return QStringLiteral("epoch seconds (integer)");
    case TimestampShape::EpochReal:
        return QStringLiteral("epoch seconds (real)");
    case TimestampShape::EpochText:
        return QStringLiteral("epoch seconds (text)");
    case TimestampShape::IsoOffset:
        return QStringLiteral("ISO-8601 with offset");
    case TimestampShape::IsoZulu:
        return QStringLiteral("ISO-8601 with Z");
    case TimestampShape::IsoNaive:
        return QStringLiteral("ISO-8601 without zone (UTC)");
    case TimestampShape::SqliteText:
        return QStringLiteral("CURRENT_TIMESTAMP text (UTC)");
    case TimestampShape::Unparseable:
        return QStringLiteral("unparseable");
    }
    return {};
}

namespace {

constexpr qint64 kMicros = 1000000;
// Years PostgreSQL and this tool accept as plausible stored times.
constexpr qint64 kMinEpoch = -62135596800LL; // 0001-01-01
constexpr qint64 kMaxEpoch = 253402300799LL; // 9999-12-31 23:59:59

bool digits(const QByteArray& s, int pos, int count, int* out) {
    if (pos + count > s.size())
        return false;
    int v = 0;
    for (int i = 0; i < count; ++i) {
        const char c = s[pos + i];
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (c - '0');
    }
    *out = v;
    return true;
}

std::optional<qint64> parseEpochText(const QByteArray& t) {
    bool ok = false;
    const double v = t.toDouble(&ok);
    if (!ok || !std::isfinite(v) || v < double(kMinEpoch) || v > double(kMaxEpoch))
        return std::nullopt;
    return Timestamp::fromEpochSeconds(v);
}

} // namespace

qint64 Timestamp::fromEpochSeconds(double seconds) {
    // The microsecond nearest the double's exact value. `seconds * 1e6` rounds once in
    // the multiplication (a product near 1.7e15 has a step of 0.25) and then again in
    // llround: 1748744679.7395184040… became …519 µs instead of …518. The whole seconds
    // and the fraction are exact apart (Sterbenz), and the fraction's product errs by
    // less than 1e-10 µs.
    const double whole = std::floor(seconds);
    return qint64(whole) * kMicros + qint64(std::llround((seconds - whole) * 1e6));
}

std::optional<qint64> Timestamp::parseText(const QByteArray& raw, TimestampShape* shape) {
    const QByteArray t = raw.trimmed();
    TimestampShape dummy;
    TimestampShape& sh = shape ? *shape : dummy;
    sh = TimestampShape::Unparseable;
    if (t.isEmpty())
        return std::nullopt;
    if (t.size() >= 1 && (t[0] == '-' || t[0] == '+' || (t.size() < 10 || t[4] != '-'))) {
        auto v = parseEpochText(t);
        if (v)
            sh = TimestampShape::EpochText;
        return v;
    }
    int y, mo, d, h = 0, mi = 0, s = 0;
    if (!digits(t, 0, 4, &y) || t[4] != '-' || !digits(t, 5, 2, &mo) || t.size() < 10 ||
        t[7] != '-' || !digits(t, 8, 2, &d))
        return std::nullopt;
    const QDate date(y, mo, d);
    if (!date.isValid())
        return std::nullopt;
    int pos = 10;
    bool withT = false;
    qint64 fracMicros = 0;
    if (pos < t.size() && (t[pos] == 'T' || t[pos] == ' ' || t[pos] == 't')) {
        withT = t[pos] != ' ';
        if (!digits(t, pos + 1, 2, &h) || pos + 3 >= t.size() || t[pos + 3] != ':' ||
            !digits(t, pos + 4, 2, &mi))
            return std::nullopt;
        pos += 6;
        if (pos < t.size() && t[pos] == ':') {
            if (!digits(t, pos + 1, 2, &s))
                return std::nullopt;
            pos += 3;
        }
        if (pos < t.size() && t[pos] == '.') {
            ++pos;
            qint64 scale = 100000;
            int rounding = -1;
            while (pos < t.size() && t[pos] >= '0' && t[pos] <= '9') {
                if (scale > 0)
                    fracMicros += (t[pos] - '0') * scale;
                else if (rounding < 0)
                    rounding = t[pos] - '0';
                scale /= 10;
                ++pos;
            }
            if (rounding >= 5)
                ++fracMicros;
        }
        if (h > 23 || mi > 59 || s > 60)
            return std::nullopt;
    }
    qint64 offsetSeconds = 0;
    if (pos < t.size() && (t[pos] == 'Z' || t[pos] == 'z')) {
        sh = TimestampShape::IsoZulu;
        ++pos;
    } else if (pos < t.size() && (t[pos] == '+' || t[pos] == '-')) {
        const int sign = t[pos] == '-' ? -1 : 1;
        int oh = 0, om = 0;
        if (!digits(t, pos + 1, 2, &oh))
            return std::nullopt;
        pos += 3;
        if (pos < t.size() && t[pos] == ':')
            ++pos;
        if (pos < t.size() && digits(t, pos, 2, &om))
            pos += 2;
        if (oh > 15 || om > 59)
            return std::nullopt;
        offsetSeconds = sign * (oh * 3600 + om * 60);
        sh = TimestampShape::IsoOffset;
    } else {
        sh = withT ? TimestampShape::IsoNaive : TimestampShape::SqliteText;
    }
    if (pos != t.size()) {
        sh = TimestampShape::Unparseable;
        return std::nullopt;
    }
    const qint64 days = QDate(1970, 1, 1).daysTo(date);
    const qint64 seconds = days * 86400 + h * 3600 + mi * 60 + s - offsetSeconds;
    return seconds * kMicros + fracMicros;
}

ParsedTimestamp Timestamp::parse(const RawValue& value) {
    ParsedTimestamp p;
    switch (value.type) {
    case StorageType::Null:
        p.shape = TimestampShape::Null;
        return p;
    case StorageType::Integer:
        p.shape = TimestampShape::EpochInteger;
        if (value.integer >= kMinEpoch && value.integer <= kMaxEpoch)
            p.micros = value.integer * kMicros;
        else
            p.shape = TimestampShape::Unparseable;
        return p;
    case StorageType::Real:
        p.shape = TimestampShape::EpochReal;
        if (std::isfinite(value.real) && value.real >= double(kMinEpoch) &&
            value.real <= double(kMaxEpoch))
            p.micros = fromEpochSeconds(value.real);
        else
            p.shape = TimestampShape::Unparseable;
        return p;
    case StorageType::Text:
        p.micros = parseText(value.bytes, &p.shape);
        return p;
    case StorageType::Blob:
        p.shape = TimestampShape::Unparseable;
        return p;
    }
    return p;
}

QByteArray Timestamp::toPostgresText(qint64 micros) {
    qint64 secs = micros / kMicros;
    qint64 frac = micros % kMicros;
    if (frac < 0) {
        frac += kMicros;
        --secs;
    }
    qint64 days = secs / 86400;
    qint64 rem = secs % 86400;
    if (rem < 0) {
        rem += 86400;
        --days;
    }
    const QDate date = QDate(1970, 1, 1).addDays(days);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d.%06lld+00", date.year(),
                  date.month(), date.day(), int(rem / 3600), int(rem / 60 % 60), int(rem % 60),
                  static_cast<long long>(frac));
    return QByteArray(buf);
}

QString Timestamp::toServerIso(qint64 micros) {
    QString s = QString::fromLatin1(toPostgresText(micros));
    s[10] = QLatin1Char('T');
    s.chop(3);
    if (s.endsWith(QLatin1String(".000000")))
        s.chop(7);
    return s + QStringLiteral("+00:00");
}

QString Timestamp::toIso(qint64 micros) {
    QString s = QString::fromLatin1(toPostgresText(micros));
    s[10] = QLatin1Char('T');
    s.chop(3);
    return s + QLatin1Char('Z');
}

} // namespace ctx
