#pragma once

#include <QByteArray>

namespace ctx {

// Byte-level facts about stored text, for values PostgreSQL text cannot hold.
class TextBytes {
public:
    // Strict UTF-8 as PostgreSQL accepts it: no overlong forms, no surrogates, ≤ U+10FFFF.
    static bool isValidUtf8(const QByteArray& bytes);
    static bool hasNul(const QByteArray& bytes) { return bytes.contains('\0'); }
    // What the migration stores instead: NUL bytes dropped, each invalid sequence
    // replaced by U+FFFD. The original bytes are recorded as a reject.
    static QByteArray sanitized(const QByteArray& bytes);
    // Length in characters (code points) of valid UTF-8, as the server's limit counts.
    static qsizetype characterCount(const QByteArray& utf8);
    // The first `characters` code points of valid UTF-8.
    static QByteArray truncatedToCharacters(const QByteArray& utf8, qsizetype characters);

private:
    // Length of the valid UTF-8 sequence at i, or 0.
    static int sequenceLength(const QByteArray& b, qsizetype i);
};

} // namespace ctx
