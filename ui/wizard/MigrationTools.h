#pragma once

class QMenu;

namespace ctx::ui {

class MainWindow;

// Adds "Migrate to PostgreSQL…", "Compare databases…" and "Schema migrations…" to
// a menu of the inspector's window; each opens its own non-modal window, prefilled
// with the database open in the inspector (never with its password shown).
void installMigrationTools(MainWindow* window, QMenu* menu);

} // namespace ctx::ui
