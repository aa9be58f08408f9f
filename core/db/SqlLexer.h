#pragma once

#include <QList>
#include <QString>

namespace ctx {

// The lexical rules that differ between the engines' SQL. Guessing one engine's rules
// for another's text is how a read-only console gets bypassed: PostgreSQL nests
// comments and knows E'…' escapes and dollar quotes; SQLite does neither but quotes
// identifiers with [...] and `...`.
struct SqlLexRules {
    bool nestedComments = false;     // PostgreSQL: /* /* */ */ is one comment
    bool dollarQuotes = false;       // PostgreSQL: $$…$$, $tag$…$tag$
    bool escapeStrings = false;      // PostgreSQL: E'…' (and e'…') take backslash escapes
    bool backslashInStrings = false; // PostgreSQL with standard_conforming_strings = off
    bool bracketIdentifiers = false; // SQLite: [ident] and `ident`

    static SqlLexRules sqlite();
    static SqlLexRules postgres(bool standardConformingStrings = true);
    // For scripts of either engine that only need splitting (the migration scripts):
    // dollar quotes and flat comments.
    static SqlLexRules generic();
};

struct SqlToken {
    enum class Kind {
        Space,
        Comment,
        Word,             // unquoted identifier or keyword; value() is lower-case
        QuotedIdentifier, // "…" (and [..] `..` on SQLite); value() is the name
        String,           // '…', E'…', $tag$…$tag$, X'…', B'…', U&'…'
        Number,
        Parameter, // $1, ?, :name, @name
        Semicolon,
        Symbol, // any other character: ( ) , . = + …
    };
    Kind kind = Kind::Symbol;
    qsizetype offset = 0;
    qsizetype length = 0;
    bool unterminated = false; // a quote or comment that runs to the end of the text
    QString value;             // the identifier a Word or QuotedIdentifier names

    bool isWord(QLatin1String word) const { return kind == Kind::Word && value == word; }
    bool isCode() const { return kind != Kind::Space && kind != Kind::Comment; }
};

// Splits SQL text into tokens under one engine's rules. Every character belongs to
// exactly one token, so a caller can rebuild the text or find what a position is in.
class SqlLexer {
public:
    static QList<SqlToken> tokens(const QString& text, const SqlLexRules& rules);
    // The code tokens only (no spaces, no comments).
    static QList<SqlToken> codeTokens(const QString& text, const SqlLexRules& rules);
};

} // namespace ctx
