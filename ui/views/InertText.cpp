#include "InertText.h"

#include <QAbstractTextDocumentLayout>
#include <QLocale>
#include <QPainter>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextObjectInterface>
#include <atomic>

namespace ctx::ui {

namespace {
std::atomic<int> g_requests{0};

// Draws an image as an empty box of its declared size (bounded) and never asks for its
// data: Qt's own handler would load the named file when the document has none.
class InertImageHandler : public QObject, public QTextObjectInterface {
    Q_OBJECT
    Q_INTERFACES(QTextObjectInterface)
public:
    using QObject::QObject;
    QSizeF intrinsicSize(QTextDocument*, int, const QTextFormat& format) override {
        const QTextImageFormat image = format.toImageFormat();
        auto side = [](qreal v) { return v > 0 ? std::min<qreal>(v, 64) : 16; };
        return {side(image.width()), side(image.height())};
    }
    void drawObject(QPainter* painter, const QRectF& rect, QTextDocument*, int,
                    const QTextFormat&) override {
        painter->save();
        painter->setPen(QPen(Qt::gray, 1, Qt::DashLine));
        painter->drawRect(rect.adjusted(0.5, 0.5, -0.5, -0.5));
        painter->restore();
    }
};

QString imageText(const QTextImageFormat& image) {
    const QString alt = image.stringProperty(QTextFormat::ImageAltText).trimmed();
    const QString url = image.name().left(300);
    return alt.isEmpty() ? QStringLiteral("[image <%1>]").arg(url)
                         : QStringLiteral("[image: %1 <%2>]").arg(alt.left(200), url);
}
} // namespace

InertTextDocument::InertTextDocument(QObject* parent)
    : QTextDocument(parent) {}

int InertTextDocument::resourceRequests() {
    return g_requests.load();
}

QVariant InertTextDocument::loadResource(int, const QUrl&) {
    ++g_requests;
    return {};
}

void neutralizeImages(QTextDocument* doc) {
    QAbstractTextDocumentLayout* layout = doc->documentLayout();
    if (!qobject_cast<InertImageHandler*>(
            dynamic_cast<QObject*>(layout->handlerForObject(QTextFormat::ImageObject))))
        layout->registerHandler(QTextFormat::ImageObject, new InertImageHandler(layout));
}

int replaceImagesWithText(QTextDocument* doc) {
    struct Found {
        int position;
        int length;
        QTextImageFormat format;
    };
    QList<Found> found;
    for (QTextBlock b = doc->begin(); b.isValid(); b = b.next())
        for (auto it = b.begin(); !it.atEnd(); ++it) {
            const QTextFragment fragment = it.fragment();
            if (fragment.isValid() && fragment.charFormat().isImageFormat())
                found << Found{fragment.position(), fragment.length(),
                               fragment.charFormat().toImageFormat()};
        }
    int replaced = 0;
    QTextCursor cursor(doc);
    for (auto it = found.crbegin(); it != found.crend(); ++it) { // back to front: positions hold
        QTextCharFormat plain = it->format;
        plain.setObjectType(QTextFormat::NoObject);
        plain.clearProperty(QTextFormat::ImageName);
        plain.setForeground(Qt::gray);
        cursor.setPosition(it->position);
        cursor.setPosition(it->position + it->length, QTextCursor::KeepAnchor);
        cursor.insertText(imageText(it->format).repeated(it->length), plain);
        replaced += it->length;
    }
    return replaced;
}

int markdownMarks(const QString& text) {
    int marks = 0;
    const QChar* c = text.constData();
    const qsizetype n = text.size();
    for (qsizetype i = 0; i < n; ++i) {
        switch (c[i].unicode()) {
        case '`':
        case '[':
        case ']':
        case '~':
        case '|':
        case '*':
        case '_':
        case '<':
        case '>':
        case '\n':
            ++marks;
            break;
        case ':': // "://": a URL, linked by the GitHub dialect
            if (i + 2 < n && c[i + 1] == QLatin1Char('/') && c[i + 2] == QLatin1Char('/'))
                marks += 3;
            break;
        case 'w': // "www.": an autolink
            if (i + 3 < n && c[i + 1] == QLatin1Char('w') && c[i + 2] == QLatin1Char('w') &&
                c[i + 3] == QLatin1Char('.'))
                marks += 3;
            break;
        default:
            break;
        }
    }
    return marks;
}

InertTextDocument* renderMarkdown(const QString& markdown, int maxCharacters, int maxMarks,
                                  QObject* parent) {
    auto* doc = new InertTextDocument(parent);
    const bool cut = markdown.size() > maxCharacters;
    const QString shown = cut ? markdown.left(maxCharacters) : markdown;
    const int marks = markdownMarks(shown);
    const bool plain = marks > maxMarks;
    if (plain) {
        doc->setPlainText(shown);
    } else {
        doc->setMarkdown(shown,
                         QTextDocument::MarkdownFeatures(QTextDocument::MarkdownDialectGitHub |
                                                         QTextDocument::MarkdownNoHTML));
        replaceImagesWithText(doc);
    }
    QStringList notes;
    if (plain)
        notes << QObject::tr("shown as plain text: %1 Markdown marks are more than the %2 this "
                             "view lays out")
                     .arg(QLocale().toString(marks), QLocale().toString(maxMarks));
    if (cut)
        notes << QObject::tr("%1 more characters not shown (the Raw values tab has the length)")
                     .arg(QLocale().toString(qint64(markdown.size() - maxCharacters)));
    if (!notes.isEmpty()) {
        QTextCursor end(doc);
        end.movePosition(QTextCursor::End);
        QTextCharFormat note;
        note.setFontItalic(true);
        note.setForeground(Qt::gray);
        end.insertBlock(QTextBlockFormat(), note);
        end.insertText(QStringLiteral("… ") + notes.join(QStringLiteral("; ")), note);
    }
    return doc;
}

QString plainToolTip(const QString& text) {
    return Qt::mightBeRichText(text) ? Qt::convertFromPlainText(text, Qt::WhiteSpaceNormal) : text;
}

} // namespace ctx::ui

#include "InertText.moc"
