#include "TextBytes.h"

namespace ctx {

int TextBytes::sequenceLength(const QByteArray& b, qsizetype i) {
    const uchar c = uchar(b[i]);
    auto cont = [&](qsizetype k) { return k < b.size() && (uchar(b[k]) & 0xC0) == 0x80; };
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        return cont(i + 1) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        if (!cont(i + 1) || !cont(i + 2))
            return 0;
        const uchar c1 = uchar(b[i + 1]);
        if (c == 0xE0 && c1 < 0xA0)
            return 0; // overlong
        if (c == 0xED && c1 >= 0xA0)
            return 0; // surrogate
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (!cont(i + 1) || !cont(i + 2) || !cont(i + 3))
            return 0;
        const uchar c1 = uchar(b[i + 1]);
        if (c == 0xF0 && c1 < 0x90)
            return 0;
        if (c == 0xF4 && c1 >= 0x90)
            return 0;
        return 4;
    }
    return 0;
}

bool TextBytes::isValidUtf8(const QByteArray& b) {
    for (qsizetype i = 0; i < b.size();) {
        const int n = sequenceLength(b, i);
        if (n == 0)
            return false;
        i += n;
    }
    return true;
}

QByteArray TextBytes::sanitized(const QByteArray& b) {
    QByteArray out;
    out.reserve(b.size());
    for (qsizetype i = 0; i < b.size();) {
        if (b[i] == '\0') {
            ++i;
            continue;
        }
        const int n = sequenceLength(b, i);
        if (n == 0) {
            out += "\xEF\xBF\xBD";
            ++i;
            continue;
        }
        out += b.mid(i, n);
        i += n;
    }
    return out;
}

qsizetype TextBytes::characterCount(const QByteArray& utf8) {
    qsizetype count = 0;
    for (char c : utf8)
        if ((uchar(c) & 0xC0) != 0x80)
            ++count;
    return count;
}

QByteArray TextBytes::truncatedToCharacters(const QByteArray& utf8, qsizetype characters) {
    qsizetype seen = 0;
    for (qsizetype i = 0; i < utf8.size(); ++i) {
        if ((uchar(utf8[i]) & 0xC0) != 0x80) {
            if (seen == characters)
                return utf8.first(i);
            ++seen;
        }
    }
    return utf8;
}

} // namespace ctx
