#pragma once

// Rich text that reads nothing. Message content, memory values and every other string
// from a database may name files or URLs (`![x](/dev/zero)`, a FIFO, `file:///etc/passwd`,
// `http://…`, a CSS `@import`); Qt's text classes would open them: QTextBrowser reads
// local files whole, and when a document returns no data, Qt's image handler loads the
// named file itself. Here no resource is ever loaded: documents answer every request
// with nothing, images are drawn as a placeholder box (never looked up) and turned into
// visible text, and tooltips of stored text are shown as plain text.

#include <QString>
#include <QTextDocument>

namespace ctx::ui {

class InertTextDocument : public QTextDocument {
    Q_OBJECT
public:
    explicit InertTextDocument(QObject* parent = nullptr);
    // How many times any inert document was asked for a resource (answered with nothing).
    static int resourceRequests();

protected:
    QVariant loadResource(int type, const QUrl& name) override;
};

// Replaces the image handler of the document's layout with one that draws an empty
// box and never looks the image up. Call again after the document gets a new layout.
void neutralizeImages(QTextDocument* doc);
// Replaces every image of the document with the text "[image: ALT <URL>]"; returns how
// many. Call before the document is laid out.
int replaceImagesWithText(QTextDocument* doc);
// How much Markdown structure a text holds (inline marks, line starts, URLs): Qt's
// Markdown import takes time quadratic in it (10,000 characters of `code` spans take a
// second, 100,000 characters of links minutes), so it bounds what is parsed.
int markdownMarks(const QString& text);
// Markdown rendered into a new inert document: no raw HTML, images as text, at most
// maxCharacters of the text; a text with more than maxMarks is shown as plain text.
// A note says what was left out or not rendered.
InertTextDocument* renderMarkdown(const QString& markdown, int maxCharacters, int maxMarks,
                                  QObject* parent = nullptr);
// Text for a tooltip or a rich-text label that shows stored text as it is: text that
// Qt would take for HTML is escaped (so <img src=…> is shown, never loaded).
QString plainToolTip(const QString& text);

} // namespace ctx::ui
