#pragma once

#include <QString>

class QTreeWidget;

namespace ctx::ui {

// Shows JSON text as a collapsible tree (key, value, type); text that is not JSON
// is shown as one raw row.
void showJsonTree(QTreeWidget* tree, const QString& json);

} // namespace ctx::ui
