#pragma once

#include <Qsci/qsciscintilla.h>

class QsciLexerSQL;

namespace ctx::ui {

class CompletionWords;

// QScintilla set up for SQL: highlighting that follows the palette, autocompletion
// of table and column names, and a marker plus an underline for a failing statement.
class SqlEditor : public QsciScintilla {
    Q_OBJECT
public:
    explicit SqlEditor(QWidget* parent = nullptr);

    void setCompletionWords(const QStringList& words);
    // Character offset in text() of a (line, index) position, and back.
    int offsetOf(int line, int index) const;
    void positionOf(int offset, int* line, int* index) const;
    int cursorOffset() const;
    // Marks characters [offset, offset + length) as the failing statement.
    void markError(int offset, int length);
    void clearError();
    bool hasErrorMark() const { return m_errorLine >= 0; }
    int errorLine() const { return m_errorLine; }

private:
    void applyPalette();

    QsciLexerSQL* m_lexer;
    CompletionWords* m_apis;
    int m_errorMarker = 0;
    int m_errorIndicator = 0;
    int m_errorLine = -1;
};

} // namespace ctx::ui
