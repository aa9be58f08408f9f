#pragma once

#include <QByteArray>
#include <QString>

namespace ctx {

struct CanonicalJson {
    bool ok = false;
    QByteArray text;           // canonical form when ok
    QString error;             // why it is not JSON
    bool hasNulEscape = false; // contains \u0000, which PostgreSQL JSONB rejects
    bool isObject = false;
    bool hasHugeNumber = false; // a number in scientific form (see canonicalNumber)
};

// Canonical JSON, so that two encodings of the same value compare equal: no
// whitespace, object keys sorted by their bytes (a repeated key keeps its last
// value, as JSONB does), strings re-escaped one way, numbers as exact decimals
// (1e2 -> 100, 1.50 -> 1.50, big integers kept digit for digit: never via double).
// A number whose exact decimal would be longer than kMaxPlainNumberLength is written
// in scientific form instead (1e200000 -> 1e+200000, 12.50e-3000 -> 1.25e-2999):
// exponents never expand into megabytes, and both engines' texts of one value agree.
class JsonCanonical {
public:
    static constexpr qint64 kMaxPlainNumberLength = 1000;

    static CanonicalJson canonicalize(const QByteArray& json);
    // Exact decimal text of a JSON number literal, as PostgreSQL numeric prints it, or
    // the scientific form when that would be too long (*huge set, when given).
    static QByteArray canonicalNumber(const QByteArray& literal, bool* ok, bool* huge = nullptr);
    // Canonical text with every scientific-form number turned into a JSON string of
    // that form: the migration's rule (PostgreSQL numeric refuses most of them, and
    // the rest would expand), recorded as a reject.
    static QByteArray hugeNumbersAsStrings(const QByteArray& canonical);
    // Canonical text with every \u0000 escape removed (JSONB rejects them), the rule
    // the migration applies and records; other escapes are left alone.
    static QByteArray withoutNulEscapes(const QByteArray& canonical);
};

} // namespace ctx
