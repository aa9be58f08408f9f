#include "JsonCanonical.h"

#include "TextBytes.h"

#include <algorithm>
#include <map>

namespace ctx {

namespace {

class Parser {
public:
    explicit Parser(const QByteArray& s)
        : m_s(s) {}

    bool parseDocument(QByteArray* out) {
        skip();
        if (!value(out, 0))
            return false;
        skip();
        if (m_pos != m_s.size())
            return error(QStringLiteral("unexpected text after the JSON value"));
        return true;
    }
    QString m_error;
    bool m_nul = false;
    bool m_huge = false;

private:
    bool error(const QString& e) {
        if (m_error.isEmpty())
            m_error = QStringLiteral("%1 at byte %2").arg(e).arg(m_pos);
        return false;
    }
    void skip() {
        while (m_pos < m_s.size() && (m_s[m_pos] == ' ' || m_s[m_pos] == '\t' ||
                                      m_s[m_pos] == '\n' || m_s[m_pos] == '\r'))
            ++m_pos;
    }
    bool literal(const char* word, QByteArray* out) {
        const QByteArray w(word);
        if (m_s.mid(m_pos, w.size()) != w)
            return error(QStringLiteral("invalid literal"));
        m_pos += w.size();
        *out += w;
        return true;
    }
    bool value(QByteArray* out, int depth) {
        if (depth > 512)
            return error(QStringLiteral("nesting too deep"));
        if (m_pos >= m_s.size())
            return error(QStringLiteral("unexpected end"));
        const char c = m_s[m_pos];
        if (c == '{')
            return object(out, depth);
        if (c == '[')
            return array(out, depth);
        if (c == '"') {
            QByteArray decoded;
            if (!string(&decoded))
                return false;
            encodeString(decoded, out);
            return true;
        }
        if (c == 't')
            return literal("true", out);
        if (c == 'f')
            return literal("false", out);
        if (c == 'n')
            return literal("null", out);
        return number(out);
    }
    bool object(QByteArray* out, int depth) {
        ++m_pos;
        std::map<QByteArray, QByteArray> members; // sorted by key bytes; last key wins
        skip();
        if (m_pos < m_s.size() && m_s[m_pos] == '}') {
            ++m_pos;
            *out += "{}";
            return true;
        }
        for (;;) {
            skip();
            if (m_pos >= m_s.size() || m_s[m_pos] != '"')
                return error(QStringLiteral("expected a key"));
            QByteArray key;
            if (!string(&key))
                return false;
            skip();
            if (m_pos >= m_s.size() || m_s[m_pos] != ':')
                return error(QStringLiteral("expected ':'"));
            ++m_pos;
            skip();
            QByteArray v;
            if (!value(&v, depth + 1))
                return false;
            members[key] = v;
            skip();
            if (m_pos < m_s.size() && m_s[m_pos] == ',') {
                ++m_pos;
                continue;
            }
            if (m_pos < m_s.size() && m_s[m_pos] == '}') {
                ++m_pos;
                break;
            }
            return error(QStringLiteral("expected ',' or '}'"));
        }
        *out += '{';
        bool first = true;
        for (const auto& [k, v] : members) {
            if (!first)
                *out += ',';
            first = false;
            encodeString(k, out);
            *out += ':';
            *out += v;
        }
        *out += '}';
        return true;
    }
    bool array(QByteArray* out, int depth) {
        ++m_pos;
        *out += '[';
        skip();
        if (m_pos < m_s.size() && m_s[m_pos] == ']') {
            ++m_pos;
            *out += ']';
            return true;
        }
        for (bool first = true;; first = false) {
            skip();
            if (!first)
                *out += ',';
            if (!value(out, depth + 1))
                return false;
            skip();
            if (m_pos < m_s.size() && m_s[m_pos] == ',') {
                ++m_pos;
                continue;
            }
            if (m_pos < m_s.size() && m_s[m_pos] == ']') {
                ++m_pos;
                *out += ']';
                return true;
            }
            return error(QStringLiteral("expected ',' or ']'"));
        }
    }
    static void appendUtf8(uint cp, QByteArray* out) {
        if (cp < 0x80) {
            *out += char(cp);
        } else if (cp < 0x800) {
            *out += char(0xC0 | (cp >> 6));
            *out += char(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            *out += char(0xE0 | (cp >> 12));
            *out += char(0x80 | ((cp >> 6) & 0x3F));
            *out += char(0x80 | (cp & 0x3F));
        } else {
            *out += char(0xF0 | (cp >> 18));
            *out += char(0x80 | ((cp >> 12) & 0x3F));
            *out += char(0x80 | ((cp >> 6) & 0x3F));
            *out += char(0x80 | (cp & 0x3F));
        }
    }
    bool hex4(uint* cp) {
        if (m_pos + 4 > m_s.size())
            return error(QStringLiteral("short \\u escape"));
        bool ok = false;
        *cp = m_s.mid(m_pos, 4).toUInt(&ok, 16);
        m_pos += 4;
        return ok || error(QStringLiteral("bad \\u escape"));
    }
    bool string(QByteArray* decoded) {
        ++m_pos; // opening quote
        const qsizetype start = m_pos;
        while (m_pos < m_s.size()) {
            const char c = m_s[m_pos];
            if (c == '"') {
                ++m_pos;
                return TextBytes::isValidUtf8(*decoded) ||
                       error(QStringLiteral("invalid UTF-8 in a string starting at byte %1")
                                 .arg(start));
            }
            if (uchar(c) < 0x20)
                return error(QStringLiteral("control character in a string"));
            if (c != '\\') {
                *decoded += c;
                ++m_pos;
                continue;
            }
            if (++m_pos >= m_s.size())
                return error(QStringLiteral("unterminated escape"));
            const char e = m_s[m_pos++];
            switch (e) {
            case '"':
                *decoded += '"';
                break;
            case '\\':
                *decoded += '\\';
                break;
            case '/':
                *decoded += '/';
                break;
            case 'b':
                *decoded += '\b';
                break;
            case 'f':
                *decoded += '\f';
                break;
            case 'n':
                *decoded += '\n';
                break;
            case 'r':
                *decoded += '\r';
                break;
            case 't':
                *decoded += '\t';
                break;
            case 'u': {
                uint cp = 0;
                if (!hex4(&cp))
                    return false;
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    uint low = 0;
                    if (m_s.mid(m_pos, 2) != "\\u" || (m_pos += 2, !hex4(&low)) || low < 0xDC00 ||
                        low > 0xDFFF)
                        return error(QStringLiteral("unpaired surrogate"));
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                    return error(QStringLiteral("unpaired surrogate"));
                }
                if (cp == 0)
                    m_nul = true;
                appendUtf8(cp, decoded);
                break;
            }
            default:
                return error(QStringLiteral("bad escape"));
            }
        }
        return error(QStringLiteral("unterminated string"));
    }
    bool number(QByteArray* out) {
        const qsizetype start = m_pos;
        while (m_pos < m_s.size() && QByteArray("+-0123456789.eE").contains(m_s[m_pos]))
            ++m_pos;
        bool ok = false, huge = false;
        const QByteArray n =
            JsonCanonical::canonicalNumber(m_s.mid(start, m_pos - start), &ok, &huge);
        m_huge = m_huge || huge;
        if (!ok) {
            m_pos = start;
            return error(QStringLiteral("invalid value"));
        }
        *out += n;
        return true;
    }
    static void encodeString(const QByteArray& s, QByteArray* out) {
        *out += '"';
        for (char c : s) {
            switch (c) {
            case '"':
                *out += "\\\"";
                break;
            case '\\':
                *out += "\\\\";
                break;
            case '\n':
                *out += "\\n";
                break;
            case '\r':
                *out += "\\r";
                break;
            case '\t':
                *out += "\\t";
                break;
            case '\b':
                *out += "\\b";
                break;
            case '\f':
                *out += "\\f";
                break;
            default:
                if (uchar(c) < 0x20)
                    *out += QByteArray("\\u00") +
                            QByteArray::number(uchar(c), 16).rightJustified(2, '0');
                else
                    *out += c;
            }
        }
        *out += '"';
    }

    const QByteArray& m_s;
    qsizetype m_pos = 0;
};

} // namespace

QByteArray JsonCanonical::canonicalNumber(const QByteArray& lit, bool* ok, bool* huge) {
    *ok = false;
    if (huge)
        *huge = false;
    qsizetype i = 0;
    bool negative = false;
    if (i < lit.size() && lit[i] == '-') {
        negative = true;
        ++i;
    }
    const qsizetype intStart = i;
    while (i < lit.size() && lit[i] >= '0' && lit[i] <= '9')
        ++i;
    const QByteArrayView intDigits = QByteArrayView(lit).sliced(intStart, i - intStart);
    if (intDigits.isEmpty() || (intDigits.size() > 1 && intDigits[0] == '0'))
        return {};
    QByteArrayView fracDigits;
    if (i < lit.size() && lit[i] == '.') {
        const qsizetype fracStart = ++i;
        while (i < lit.size() && lit[i] >= '0' && lit[i] <= '9')
            ++i;
        fracDigits = QByteArrayView(lit).sliced(fracStart, i - fracStart);
        if (fracDigits.isEmpty())
            return {};
    }
    qint64 exponent = 0;
    if (i < lit.size() && (lit[i] == 'e' || lit[i] == 'E')) {
        ++i;
        bool expNeg = false;
        if (i < lit.size() && (lit[i] == '+' || lit[i] == '-'))
            expNeg = lit[i++] == '-';
        const qsizetype expStart = i;
        while (i < lit.size() && lit[i] == '0') // leading zeros say nothing
            ++i;
        const qsizetype significant = i;
        // Beyond 15 digits no exponent is meaningful: stop before qint64 could overflow.
        while (i < lit.size() && lit[i] >= '0' && lit[i] <= '9') {
            if (i - significant >= 15)
                return {};
            exponent = exponent * 10 + (lit[i++] - '0');
        }
        if (i == expStart)
            return {};
        if (expNeg)
            exponent = -exponent;
    }
    if (i != lit.size())
        return {};
    // The value is digits × 10^-scale, digits = intDigits followed by fracDigits.
    const QByteArray all = intDigits.toByteArray() + fracDigits.toByteArray();
    const qint64 scale = qint64(fracDigits.size()) - exponent;
    qsizetype lead = 0;
    while (lead < all.size() && all[lead] == '0')
        ++lead;
    const qint64 significant = all.size() - lead; // 0: the value is zero
    *ok = true;
    qsizetype end = all.size(); // the significant digits without trailing zeros: [lead, end)
    while (end > lead && all[end - 1] == '0')
        --end;
    if (significant == 0 && scale > 0 && 2 + scale > kMaxPlainNumberLength)
        return "0"; // zero with a huge scale: zero
    // Length of the shortest exact decimal of the value (trailing zeros dropped),
    // computed, not built. It alone decides plain or scientific form, so both forms
    // canonicalize to themselves; a plain one keeps the literal's scale (1.50).
    const qint64 shift = qint64(all.size() - end) - scale; // value = digits[lead, end) × 10^shift
    const qint64 width = end - lead;
    const qint64 shortest =
        (negative ? 1 : 0) +
        (shift >= 0 ? width + shift : std::max<qint64>(1, width + shift) + 1 - shift);
    if (significant != 0 && shortest > kMaxPlainNumberLength) {
        // Scientific form d[.ddd]e±N: bounded by the literal, whatever the exponent.
        if (huge)
            *huge = true;
        const qint64 e = significant - 1 - scale;
        QByteArray out = negative ? "-" : "";
        out += all[lead];
        if (end > lead + 1)
            out += '.' + all.mid(lead + 1, end - lead - 1);
        out += e < 0 ? "e-" : "e+";
        out += QByteArray::number(e < 0 ? -e : e);
        return out;
    }
    QByteArray digits = significant ? all : QByteArray("0");
    qint64 s = significant || scale > 0 ? scale : 0; // 0e999999 is 0: no zeros to write
    if (s < 0) {
        digits += QByteArray(qsizetype(-s), '0');
        s = 0;
    }
    QByteArray intPart, fracPart;
    if (s > digits.size()) {
        fracPart = QByteArray(qsizetype(s - digits.size()), '0') + digits;
    } else {
        intPart = digits.first(digits.size() - s);
        fracPart = digits.last(s);
    }
    qsizetype zeros = 0;
    while (zeros + 1 < intPart.size() && intPart[zeros] == '0')
        ++zeros;
    intPart.remove(0, zeros);
    if (intPart.isEmpty())
        intPart = "0";
    QByteArray out = (negative && significant) ? "-" : "";
    out += intPart;
    if (!fracPart.isEmpty())
        out += '.' + fracPart;
    return out;
}

QByteArray JsonCanonical::hugeNumbersAsStrings(const QByteArray& canonical) {
    // In canonical JSON a number holds an 'e' only in its scientific (huge) form.
    QByteArray out;
    out.reserve(canonical.size() + 16);
    bool inString = false;
    for (qsizetype i = 0; i < canonical.size(); ++i) {
        const char c = canonical[i];
        if (inString) {
            out += c;
            if (c == '\\' && i + 1 < canonical.size())
                out += canonical[++i];
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"') {
            inString = true;
            out += c;
            continue;
        }
        if (c != '-' && (c < '0' || c > '9')) {
            out += c;
            continue;
        }
        qsizetype end = i;
        bool scientific = false;
        static constexpr QByteArrayView numberBytes("+-0123456789.e");
        for (; end < canonical.size() && numberBytes.contains(canonical[end]); ++end)
            scientific = scientific || canonical[end] == 'e';
        const QByteArrayView number = QByteArrayView(canonical).sliced(i, end - i);
        if (scientific)
            out += '"';
        out += number;
        if (scientific)
            out += '"';
        i = end - 1;
    }
    return out;
}

QByteArray JsonCanonical::withoutNulEscapes(const QByteArray& canonical) {
    QByteArray out;
    out.reserve(canonical.size());
    for (qsizetype i = 0; i < canonical.size(); ++i) {
        if (canonical[i] != '\\' || i + 1 >= canonical.size()) {
            out += canonical[i];
            continue;
        }
        if (canonical.mid(i, 6) == "\\u0000") {
            i += 5;
            continue;
        }
        out += canonical[i];
        out += canonical[++i]; // the escaped character, e.g. the second backslash of \\.
    }
    return out;
}

CanonicalJson JsonCanonical::canonicalize(const QByteArray& json) {
    CanonicalJson result;
    Parser p(json);
    QByteArray out;
    result.ok = p.parseDocument(&out);
    if (result.ok) {
        result.text = out;
        result.isObject = out.startsWith('{');
    }
    result.error = p.m_error;
    result.hasNulEscape = p.m_nul;
    result.hasHugeNumber = p.m_huge;
    return result;
}

} // namespace ctx
