#include "JsonTree.h"

#include "InertText.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTreeWidget>

namespace ctx::ui {

namespace {
void addValue(QTreeWidgetItem* parent, QTreeWidget* tree, const QString& key,
              const QJsonValue& value) {
    auto* item = parent ? new QTreeWidgetItem(parent) : new QTreeWidgetItem(tree);
    item->setText(0, key);
    switch (value.type()) {
    case QJsonValue::Object: {
        const QJsonObject o = value.toObject();
        item->setText(1, QStringLiteral("{%1}").arg(o.size()));
        item->setText(2, QStringLiteral("object"));
        for (auto it = o.begin(); it != o.end(); ++it)
            addValue(item, tree, it.key(), it.value());
        break;
    }
    case QJsonValue::Array: {
        const QJsonArray a = value.toArray();
        item->setText(1, QStringLiteral("[%1]").arg(a.size()));
        item->setText(2, QStringLiteral("array"));
        for (int i = 0; i < a.size(); ++i)
            addValue(item, tree, QString::number(i), a.at(i));
        break;
    }
    case QJsonValue::String:
        item->setText(1, value.toString());
        item->setText(2, QStringLiteral("string"));
        break;
    case QJsonValue::Double:
        item->setText(1, QString::number(value.toDouble(), 'g', 17));
        item->setText(2, QStringLiteral("number"));
        break;
    case QJsonValue::Bool:
        item->setText(1, value.toBool() ? QStringLiteral("true") : QStringLiteral("false"));
        item->setText(2, QStringLiteral("boolean"));
        break;
    default:
        item->setText(1, QStringLiteral("null"));
        item->setText(2, QStringLiteral("null"));
    }
    item->setToolTip(1, plainToolTip(item->text(1)));
}
} // namespace

void showJsonTree(QTreeWidget* tree, const QString& json) {
    tree->clear();
    if (json.trimmed().isEmpty()) {
        auto* item = new QTreeWidgetItem(tree);
        item->setText(0, QObject::tr("(no metadata)"));
        return;
    }
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError) {
        auto* item = new QTreeWidgetItem(tree);
        item->setText(0, QObject::tr("(not JSON)"));
        item->setText(1, json);
        return;
    }
    if (doc.isObject())
        addValue(nullptr, tree, QStringLiteral("metadata"), doc.object());
    else
        addValue(nullptr, tree, QStringLiteral("metadata"), doc.array());
    tree->expandToDepth(1);
}

} // namespace ctx::ui
