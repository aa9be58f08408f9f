#include "HtmlDelegate.h"

#include "InertText.h"

#include <QAbstractTextDocumentLayout>
#include <QApplication>
#include <QPainter>
#include <QRegularExpression>
#include <QTextDocument>

namespace ctx::ui {

QString highlightTerms(const QString& text, const QString& query) {
    QStringList words;
    for (const QString& w :
         query.split(QRegularExpression(QStringLiteral("[^\\w]+")), Qt::SkipEmptyParts))
        if (w.size() >= 2 && w.toUpper() != QLatin1String("AND") &&
            w.toUpper() != QLatin1String("OR") && w.toUpper() != QLatin1String("NOT"))
            words << QRegularExpression::escape(w);
    QString flat = text;
    flat.replace(QLatin1Char('\n'), QLatin1Char(' '));
    if (words.isEmpty())
        return flat.toHtmlEscaped();
    const QRegularExpression re(QStringLiteral("(%1)").arg(words.join(QLatin1Char('|'))),
                                QRegularExpression::CaseInsensitiveOption |
                                    QRegularExpression::UseUnicodePropertiesOption);
    QString out;
    qsizetype pos = 0;
    auto it = re.globalMatch(flat);
    while (it.hasNext()) {
        const auto m = it.next();
        out += flat.mid(pos, m.capturedStart() - pos).toHtmlEscaped();
        out += QStringLiteral("<b style=\"background-color:#ffe066;color:#000\">") +
               m.captured().toHtmlEscaped() + QStringLiteral("</b>");
        pos = m.capturedEnd();
    }
    out += flat.mid(pos).toHtmlEscaped();
    return out;
}

void HtmlDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                         const QModelIndex& index) const {
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QString html = opt.text;
    opt.text.clear();
    QStyle* style = opt.widget ? opt.widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);

    InertTextDocument doc; // the HTML is escaped text; even so, it loads nothing it names
    neutralizeImages(&doc);
    doc.setDocumentMargin(2);
    doc.setDefaultFont(opt.font);
    doc.setHtml(html);
    QAbstractTextDocumentLayout::PaintContext ctx;
    ctx.palette.setColor(QPalette::Text, opt.state & QStyle::State_Selected
                                             ? opt.palette.color(QPalette::HighlightedText)
                                             : opt.palette.color(QPalette::Text));
    const QRect rect = style->subElementRect(QStyle::SE_ItemViewItemText, &opt, opt.widget);
    painter->save();
    painter->translate(rect.topLeft());
    painter->setClipRect(rect.translated(-rect.topLeft()));
    doc.documentLayout()->draw(painter, ctx);
    painter->restore();
}

QSize HtmlDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const {
    QSize s = QStyledItemDelegate::sizeHint(option, index);
    return {s.width(), std::max(s.height(), option.fontMetrics.height() + 6)};
}

} // namespace ctx::ui
