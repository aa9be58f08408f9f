#include "SqlScript.h"

#include <QRegularExpression>

namespace ctx {

namespace {

bool isWordChar(QChar c) {
    return c.isLetterOrNumber() || c == QLatin1Char('_');
}

// Does the word at position i (case-insensitive) stand alone?
bool wordAt(const QString& s, qsizetype i, QLatin1String word) {
    if (i > 0 && isWordChar(s.at(i - 1)))
        return false;
    if (s.mid(i, word.size()).compare(word, Qt::CaseInsensitive) != 0)
        return false;
    const qsizetype end = i + word.size();
    return end >= s.size() || !isWordChar(s.at(end));
}

bool startsTrigger(const QString& statementSoFar) {
    static const QRegularExpression re(
        QStringLiteral("^(\\s*--[^\\n]*\\n)*\\s*CREATE\\s+(TEMP\\s+|TEMPORARY\\s+)?TRIGGER\\b"),
        QRegularExpression::CaseInsensitiveOption);
    return re.match(statementSoFar).hasMatch();
}

} // namespace

QList<SqlStatement> SqlScript::split(const QString& s) {
    QList<SqlStatement> out;
    qsizetype start = 0;
    int depth = 0; // BEGIN…END nesting inside a trigger
    int line = 1;
    int startLine = 1;
    auto flush = [&](qsizetype end) {
        const QString raw = s.mid(start, end - start);
        const QString text = raw.trimmed();
        if (!text.isEmpty()) {
            // Skip leading whitespace to report the first real character's line.
            qsizetype lead = 0;
            int l = startLine;
            while (lead < raw.size() && raw.at(lead).isSpace()) {
                if (raw.at(lead) == QLatin1Char('\n'))
                    ++l;
                ++lead;
            }
            bool onlyComments = true;
            for (const QString& ln : text.split(QLatin1Char('\n'))) {
                const QString t = ln.trimmed();
                if (!t.isEmpty() && !t.startsWith(QStringLiteral("--"))) {
                    onlyComments = false;
                    break;
                }
            }
            if (!onlyComments)
                out.append({text, int(start + lead), l});
        }
    };
    for (qsizetype i = 0; i < s.size(); ++i) {
        const QChar c = s.at(i);
        if (c == QLatin1Char('\n')) {
            ++line;
        } else if (c == QLatin1Char('-') && i + 1 < s.size() && s.at(i + 1) == QLatin1Char('-')) {
            while (i < s.size() && s.at(i) != QLatin1Char('\n'))
                ++i;
            if (i < s.size())
                ++line;
        } else if (c == QLatin1Char('/') && i + 1 < s.size() && s.at(i + 1) == QLatin1Char('*')) {
            const qsizetype end = s.indexOf(QStringLiteral("*/"), i + 2);
            const qsizetype stop = end < 0 ? s.size() : end + 2;
            line += int(s.mid(i, stop - i).count(QLatin1Char('\n')));
            i = stop - 1;
        } else if (c == QLatin1Char('\'') || c == QLatin1Char('"') || c == QLatin1Char('`')) {
            qsizetype j = i + 1;
            while (j < s.size()) {
                if (s.at(j) == c) {
                    if (j + 1 < s.size() && s.at(j + 1) == c) {
                        j += 2;
                        continue;
                    }
                    break;
                }
                ++j;
            }
            line += int(s.mid(i, j - i).count(QLatin1Char('\n')));
            i = j;
        } else if (c == QLatin1Char('$')) {
            static const QRegularExpression tagRe(QStringLiteral("\\$[A-Za-z_0-9]*\\$"));
            const auto m = tagRe.match(s, i, QRegularExpression::NormalMatch,
                                       QRegularExpression::AnchorAtOffsetMatchOption);
            if (m.hasMatch() && (i == 0 || !isWordChar(s.at(i - 1)))) {
                const QString tag = m.captured();
                const qsizetype end = s.indexOf(tag, i + tag.size());
                const qsizetype stop = end < 0 ? s.size() : end + tag.size();
                line += int(s.mid(i, stop - i).count(QLatin1Char('\n')));
                i = stop - 1;
            }
        } else if (wordAt(s, i, QLatin1String("BEGIN")) && startsTrigger(s.mid(start, i - start))) {
            ++depth;
            i += 4;
        } else if (depth > 0 && wordAt(s, i, QLatin1String("END"))) {
            --depth;
            i += 2;
        } else if (c == QLatin1Char(';') && depth == 0) {
            flush(i);
            start = i + 1;
            startLine = line;
        }
    }
    flush(s.size());
    return out;
}

QStringList SqlScript::statements(const QString& script) {
    QStringList list;
    for (const SqlStatement& st : split(script))
        list << st.text;
    return list;
}

SqlStatement SqlScript::statementAt(const QString& script, int position) {
    const QList<SqlStatement> all = split(script);
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
