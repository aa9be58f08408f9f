#include "SqlEditor.h"

#include <QApplication>
#include <QFontDatabase>
#include <QPalette>
#include <Qsci/qsciabstractapis.h>
#include <Qsci/qscilexersql.h>

namespace ctx::ui {

// Table and column names for autocompletion, answered synchronously: QsciAPIs
// prepares its word list on a thread of its own that crashes when the list changes
// or the editor goes away while it runs, and a schema's names need no preparation.
class CompletionWords : public QsciAbstractAPIs {
public:
    explicit CompletionWords(QsciLexer* lexer)
        : QsciAbstractAPIs(lexer) {}
    void setWords(const QStringList& words) { m_words = words; }
    void updateAutoCompletionList(const QStringList& context, QStringList& list) override {
        const QString prefix = context.isEmpty() ? QString() : context.last();
        for (const QString& w : m_words)
            if (w.startsWith(prefix, Qt::CaseInsensitive))
                list << w;
    }
    QStringList callTips(const QStringList&, int, QsciScintilla::CallTipsStyle,
                         QList<int>&) override {
        return {};
    }

private:
    QStringList m_words;
};

SqlEditor::SqlEditor(QWidget* parent)
    : QsciScintilla(parent)
    , m_lexer(new QsciLexerSQL(this))
    , m_apis(nullptr) {
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_lexer->setDefaultFont(mono);
    m_lexer->setFont(mono);
    setLexer(m_lexer);
    m_apis = new CompletionWords(m_lexer);
    setAutoCompletionSource(QsciScintilla::AcsAll);
    setAutoCompletionThreshold(2);
    setAutoCompletionCaseSensitivity(false);
    setAutoIndent(true);
    setMarginType(0, QsciScintilla::NumberMargin);
    setMarginWidth(0, QStringLiteral("00000"));
    setMarginWidth(1, 14);
    setMarginSensitivity(1, false);
    setBraceMatching(QsciScintilla::SloppyBraceMatch);
    setUtf8(true);
    m_errorMarker = markerDefine(QsciScintilla::RightArrow);
    setMarkerBackgroundColor(QColor(0xd0, 0x30, 0x30), m_errorMarker);
    setMarkerForegroundColor(QColor(0xd0, 0x30, 0x30), m_errorMarker);
    m_errorIndicator = indicatorDefine(QsciScintilla::SquiggleIndicator);
    setIndicatorForegroundColor(QColor(0xe0, 0x20, 0x20), m_errorIndicator);
    applyPalette();
}

void SqlEditor::applyPalette() {
    const QPalette pal = QApplication::palette();
    m_lexer->setDefaultPaper(pal.color(QPalette::Base));
    m_lexer->setPaper(pal.color(QPalette::Base));
    m_lexer->setDefaultColor(pal.color(QPalette::Text));
    setCaretForegroundColor(pal.color(QPalette::Text));
    setMarginsBackgroundColor(pal.color(QPalette::AlternateBase));
    setMarginsForegroundColor(pal.color(QPalette::PlaceholderText));
    setSelectionBackgroundColor(pal.color(QPalette::Highlight));
    setSelectionForegroundColor(pal.color(QPalette::HighlightedText));
    if (pal.color(QPalette::Base).lightness() < 128) { // readable keywords on dark
        m_lexer->setColor(QColor(0x6c, 0xb6, 0xff), QsciLexerSQL::Keyword);
        m_lexer->setColor(QColor(0xf0, 0xa0, 0x70), QsciLexerSQL::SingleQuotedString);
        m_lexer->setColor(QColor(0x80, 0xc0, 0x80), QsciLexerSQL::Comment);
        m_lexer->setColor(QColor(0x80, 0xc0, 0x80), QsciLexerSQL::CommentLine);
        m_lexer->setColor(QColor(0xd0, 0xd0, 0x80), QsciLexerSQL::Number);
    }
}

void SqlEditor::setCompletionWords(const QStringList& words) {
    m_apis->setWords(words);
}

int SqlEditor::offsetOf(int line, int index) const {
    const QString all = text();
    int offset = 0;
    for (int l = 0; l < line; ++l) {
        const int nl = int(all.indexOf(QLatin1Char('\n'), offset));
        if (nl < 0)
            return int(all.size());
        offset = nl + 1;
    }
    return std::min<int>(offset + index, int(all.size()));
}

void SqlEditor::positionOf(int offset, int* line, int* index) const {
    const QString all = text().left(offset);
    *line = int(all.count(QLatin1Char('\n')));
    *index = int(all.size() - (all.lastIndexOf(QLatin1Char('\n')) + 1));
}

int SqlEditor::cursorOffset() const {
    int line = 0, index = 0;
    getCursorPosition(&line, &index);
    return offsetOf(line, index);
}

void SqlEditor::markError(int offset, int length) {
    clearError();
    int l1 = 0, i1 = 0, l2 = 0, i2 = 0;
    positionOf(offset, &l1, &i1);
    positionOf(offset + std::max(1, length), &l2, &i2);
    fillIndicatorRange(l1, i1, l2, i2, m_errorIndicator);
    markerAdd(l1, m_errorMarker);
    m_errorLine = l1;
    ensureLineVisible(l1);
}

void SqlEditor::clearError() {
    markerDeleteAll(m_errorMarker);
    const int last = std::max(0, lines() - 1);
    clearIndicatorRange(0, 0, last, int(text(last).size()), m_errorIndicator);
    m_errorLine = -1;
}

} // namespace ctx::ui
