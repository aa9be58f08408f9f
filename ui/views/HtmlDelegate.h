#pragma once

#include <QStyledItemDelegate>

namespace ctx::ui {

// Paints a cell's text as HTML (search hits with the matched words highlighted).
class HtmlDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

// The text HTML-escaped with every occurrence of the query's words marked.
QString highlightTerms(const QString& text, const QString& query);

} // namespace ctx::ui
