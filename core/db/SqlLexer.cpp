#include "SqlLexer.h"

namespace ctx {

SqlLexRules SqlLexRules::sqlite() {
    SqlLexRules r;
    r.bracketIdentifiers = true;
    return r;
}

SqlLexRules SqlLexRules::postgres(bool standardConformingStrings) {
    SqlLexRules r;
    r.nestedComments = true;
    r.dollarQuotes = true;
    r.escapeStrings = true;
    r.backslashInStrings = !standardConformingStrings;
    return r;
}

SqlLexRules SqlLexRules::generic() {
    SqlLexRules r;
    r.dollarQuotes = true;
    return r;
}

namespace {

bool isIdentStart(QChar c) {
    return c.isLetter() || c == QLatin1Char('_') || c.unicode() >= 0x80;
}

bool isIdentPart(QChar c, const SqlLexRules& rules) {
    return isIdentStart(c) || c.isDigit() || (rules.dollarQuotes && c == QLatin1Char('$'));
}

class Scanner {
public:
    Scanner(const QString& text, const SqlLexRules& rules)
        : s(text)
        , r(rules) {}

    QList<SqlToken> run() {
        QList<SqlToken> out;
        while (i < s.size()) {
            SqlToken t;
            t.offset = i;
            scanOne(t);
            t.length = i - t.offset;
            out.append(t);
        }
        return out;
    }

private:
    QChar at(qsizetype k) const { return k < s.size() ? s.at(k) : QChar(); }

    void scanOne(SqlToken& t) {
        const QChar c = s.at(i);
        const QChar n = at(i + 1);
        if (c.isSpace()) {
            t.kind = SqlToken::Kind::Space;
            while (i < s.size() && s.at(i).isSpace())
                ++i;
        } else if (c == QLatin1Char('-') && n == QLatin1Char('-')) {
            t.kind = SqlToken::Kind::Comment;
            while (i < s.size() && s.at(i) != QLatin1Char('\n'))
                ++i;
        } else if (c == QLatin1Char('/') && n == QLatin1Char('*')) {
            t.kind = SqlToken::Kind::Comment;
            blockComment(t);
        } else if (c == QLatin1Char('\'')) {
            t.kind = SqlToken::Kind::String;
            quoted(t, QLatin1Char('\''), r.backslashInStrings);
        } else if (stringPrefix(t)) {
            // E'…', X'…', B'…', N'…', U&'…' handled inside
        } else if (c == QLatin1Char('"')) {
            t.kind = SqlToken::Kind::QuotedIdentifier;
            t.value = quoted(t, QLatin1Char('"'), false);
        } else if (r.bracketIdentifiers && c == QLatin1Char('`')) {
            t.kind = SqlToken::Kind::QuotedIdentifier;
            t.value = quoted(t, QLatin1Char('`'), false);
        } else if (r.bracketIdentifiers && c == QLatin1Char('[')) {
            t.kind = SqlToken::Kind::QuotedIdentifier;
            const qsizetype end = s.indexOf(QLatin1Char(']'), i + 1);
            t.unterminated = end < 0;
            const qsizetype stop = end < 0 ? s.size() : end + 1;
            t.value = s.mid(i + 1, (end < 0 ? s.size() : end) - i - 1);
            i = stop;
        } else if (c == QLatin1Char('$') && r.dollarQuotes && dollarQuote(t)) {
            // $tag$…$tag$
        } else if (c == QLatin1Char('$') || c == QLatin1Char('?') ||
                   (!r.dollarQuotes && (c == QLatin1Char(':') || c == QLatin1Char('@')) &&
                    isIdentStart(n))) {
            t.kind = SqlToken::Kind::Parameter;
            ++i;
            while (i < s.size() && (s.at(i).isLetterOrNumber() || s.at(i) == QLatin1Char('_')))
                ++i;
        } else if (c.isDigit() || (c == QLatin1Char('.') && n.isDigit())) {
            t.kind = SqlToken::Kind::Number;
            number();
        } else if (isIdentStart(c)) {
            t.kind = SqlToken::Kind::Word;
            while (i < s.size() && isIdentPart(s.at(i), r))
                ++i;
            t.value = s.mid(t.offset, i - t.offset).toLower();
        } else if (c == QLatin1Char(';')) {
            t.kind = SqlToken::Kind::Semicolon;
            ++i;
        } else {
            t.kind = SqlToken::Kind::Symbol;
            ++i;
        }
    }

    void blockComment(SqlToken& t) {
        int depth = 0;
        while (i < s.size()) {
            if (s.at(i) == QLatin1Char('/') && at(i + 1) == QLatin1Char('*')) {
                if (depth == 0 || r.nestedComments)
                    ++depth;
                i += 2;
            } else if (s.at(i) == QLatin1Char('*') && at(i + 1) == QLatin1Char('/')) {
                i += 2;
                if (--depth == 0)
                    return;
            } else {
                ++i;
            }
        }
        t.unterminated = true;
    }

    // Reads a quoted run starting at i (the opening quote); a doubled quote stands for
    // one, and with backslashes a backslash takes the next character. Returns the
    // content with doubled quotes made single.
    QString quoted(SqlToken& t, QChar q, bool backslashes) {
        QString content;
        ++i;
        while (i < s.size()) {
            const QChar c = s.at(i);
            if (backslashes && c == QLatin1Char('\\') && i + 1 < s.size()) {
                content += s.mid(i, 2);
                i += 2;
            } else if (c == q && at(i + 1) == q) {
                content += q;
                i += 2;
            } else if (c == q) {
                ++i;
                return content;
            } else {
                content += c;
                ++i;
            }
        }
        t.unterminated = true;
        return content;
    }

    bool stringPrefix(SqlToken& t) {
        const QChar c = s.at(i).toUpper();
        if (i > 0 && isIdentPart(s.at(i - 1), r))
            return false;
        qsizetype quote = -1;
        if ((c == QLatin1Char('E') || c == QLatin1Char('X') || c == QLatin1Char('B') ||
             c == QLatin1Char('N')) &&
            at(i + 1) == QLatin1Char('\''))
            quote = i + 1;
        else if (c == QLatin1Char('U') && at(i + 1) == QLatin1Char('&') &&
                 (at(i + 2) == QLatin1Char('\'') || at(i + 2) == QLatin1Char('"')))
            quote = i + 2;
        if (quote < 0)
            return false;
        const bool escapes = c == QLatin1Char('E') && r.escapeStrings;
        const QChar q = s.at(quote);
        i = quote;
        if (q == QLatin1Char('"')) {
            t.kind = SqlToken::Kind::QuotedIdentifier;
            t.value = quoted(t, q, false);
        } else {
            t.kind = SqlToken::Kind::String;
            quoted(t, q, escapes || r.backslashInStrings);
        }
        return true;
    }

    bool dollarQuote(SqlToken& t) {
        if (i > 0 && isIdentPart(s.at(i - 1), r))
            return false;
        qsizetype j = i + 1;
        if (j < s.size() && s.at(j).isDigit())
            return false; // $1: a parameter
        while (j < s.size() && (isIdentStart(s.at(j)) || s.at(j).isDigit()))
            ++j;
        if (at(j) != QLatin1Char('$'))
            return false;
        const QString tag = s.mid(i, j - i + 1);
        const qsizetype end = s.indexOf(tag, j + 1);
        t.kind = SqlToken::Kind::String;
        t.unterminated = end < 0;
        i = end < 0 ? s.size() : end + tag.size();
        return true;
    }

    void number() {
        while (i < s.size()) {
            const QChar c = s.at(i);
            if (c.isLetterOrNumber() || c == QLatin1Char('_') || c == QLatin1Char('.')) {
                ++i;
            } else if ((c == QLatin1Char('+') || c == QLatin1Char('-')) &&
                       (s.at(i - 1) == QLatin1Char('e') || s.at(i - 1) == QLatin1Char('E'))) {
                ++i;
            } else {
                return;
            }
        }
    }

    const QString& s;
    const SqlLexRules& r;
    qsizetype i = 0;
};

} // namespace

QList<SqlToken> SqlLexer::tokens(const QString& text, const SqlLexRules& rules) {
    return Scanner(text, rules).run();
}

QList<SqlToken> SqlLexer::codeTokens(const QString& text, const SqlLexRules& rules) {
    QList<SqlToken> out;
    for (const SqlToken& t : tokens(text, rules)) {
        if (t.isCode())
            out.append(t);
    }
    return out;
}

} // namespace ctx
