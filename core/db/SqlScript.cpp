#include "SqlScript.h"

namespace ctx {

namespace {

// Tracks where a statement's body opens a block whose semicolons do not end it.
class BlockDepth {
public:
    void reset() {
        m_depth = 0;
        m_words.clear();
        m_previous.clear();
    }
    int depth() const { return m_depth; }

    void see(const SqlToken& t) {
        if (t.kind == SqlToken::Kind::Word) {
            const QString& w = t.value;
            if (w == QLatin1String("begin") && isTrigger())
                ++m_depth;
            else if (w == QLatin1String("atomic") && m_previous == QLatin1String("begin"))
                ++m_depth; // PostgreSQL: CREATE FUNCTION … BEGIN ATOMIC … END
            else if (m_depth > 0 && w == QLatin1String("case"))
                ++m_depth;
            else if (m_depth > 0 && w == QLatin1String("end"))
                --m_depth;
            if (m_words.size() < 3)
                m_words << w;
        } else if (t.isCode() && m_words.size() < 3) {
            m_words << QString();
        }
        if (t.isCode())
            m_previous = t.kind == SqlToken::Kind::Word ? t.value : QString();
    }

private:
    bool isTrigger() const {
        if (m_words.value(0) != QLatin1String("create"))
            return false;
        const QString second = m_words.value(1);
        if (second == QLatin1String("trigger"))
            return true;
        return (second == QLatin1String("temp") || second == QLatin1String("temporary")) &&
               m_words.value(2) == QLatin1String("trigger");
    }

    int m_depth = 0;
    QStringList m_words; // the statement's first three code tokens (words lower-case)
    QString m_previous;
};

} // namespace

QList<SqlStatement> SqlScript::split(const QString& s, const SqlLexRules& rules) {
    QList<SqlStatement> out;
    const QList<SqlToken> tokens = SqlLexer::tokens(s, rules);
    qsizetype start = 0;
    bool hasCode = false;
    int line = 1; // the line of position `counted`
    qsizetype counted = 0;
    auto lineAt = [&](qsizetype position) {
        line += int(s.mid(counted, position - counted).count(QLatin1Char('\n')));
        counted = position;
        return line;
    };
    auto flush = [&](qsizetype end) {
        qsizetype first = start;
        while (first < end && s.at(first).isSpace())
            ++first;
        if (hasCode)
            out.append({s.mid(first, end - first).trimmed(), int(first), lineAt(first)});
    };
    BlockDepth block;
    for (const SqlToken& t : tokens) {
        if (t.kind == SqlToken::Kind::Semicolon && block.depth() == 0) {
            flush(t.offset);
            start = t.offset + 1;
            hasCode = false;
            block.reset();
            continue;
        }
        block.see(t);
        hasCode = hasCode || t.isCode();
    }
    flush(s.size());
    return out;
}

QStringList SqlScript::statements(const QString& script, const SqlLexRules& rules) {
    QStringList list;
    for (const SqlStatement& st : split(script, rules))
        list << st.text;
    return list;
}

SqlStatement SqlScript::statementAt(const QString& script, int position, const SqlLexRules& rules) {
    const QList<SqlStatement> all = split(script, rules);
    SqlStatement best;
    for (const SqlStatement& st : all) {
        if (st.offset <= position)
            best = st;
    }
    if (best.text.isEmpty() && !all.isEmpty())
        best = all.first();
    return best;
}

} // namespace ctx
