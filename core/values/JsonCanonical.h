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
};

// Canonical JSON, so that two encodings of the same value compare equal: no
// whitespace, object keys sorted by their bytes (a repeated key keeps its last
// value, as JSONB does), strings re-escaped one way, numbers as exact decimals
// (1e2 -> 100, 1.50 -> 1.50, big integers kept digit for digit: never via double).
class JsonCanonical {
public:
    static CanonicalJson canonicalize(const QByteArray& json);
    // Exact decimal text of a JSON number literal, as PostgreSQL numeric prints it.
    static QByteArray canonicalNumber(const QByteArray& literal, bool* ok);
    // Canonical text with every \u0000 escape removed (JSONB rejects them), the rule
    // the migration applies and records; other escapes are left alone.
    static QByteArray withoutNulEscapes(const QByteArray& canonical);
};

} // namespace ctx
