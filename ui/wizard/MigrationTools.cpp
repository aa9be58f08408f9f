#include "MigrationTools.h"

#include "MigrationWizard.h"
#include "SourcePage.h"
#include "ui/MainWindow.h"
#include "ui/app/RecentDatabases.h"
#include "ui/compare/CompareView.h"
#include "ui/schemaview/SchemaMigrationsView.h"
#include "ui/workers/DatabaseSession.h"

#include <QMenu>

namespace ctx::ui {

namespace {

// The inspector's open database, with its password (the views keep it hidden).
std::optional<DatabaseUrl> openDatabase(MainWindow* window) {
    DatabaseSession* s = window->session();
    return s ? std::optional<DatabaseUrl>(s->url()) : std::nullopt;
}

template <class W> W* openWindow(MainWindow* window) {
    auto* w = new W(window);
    w->setWindowFlag(Qt::Window);
    w->setAttribute(Qt::WA_DeleteOnClose);
    w->show();
    return w;
}

} // namespace

void installMigrationTools(MainWindow* window, QMenu* menu) {
    QObject::connect(menu->addAction(QObject::tr("&Migrate to PostgreSQL…")), &QAction::triggered,
                     window, [window] {
                         auto* wizard = openWindow<MigrationWizard>(window);
                         DatabaseSession* s = window->session();
                         if (s && s->url().isSqlite())
                             wizard->sourcePage()->setPath(s->url().filePath());
                         // With the password the wizard just used, not asked again.
                         QObject::connect(wizard, &MigrationWizard::openInInspector, window,
                                          [window, wizard](const QString& url) {
                                              const auto& target = wizard->state().target;
                                              if (target &&
                                                  RecentDatabases::storable(*target) == url)
                                                  window->openDatabase(*target);
                                              else
                                                  window->openDatabase(url);
                                              window->raise();
                                          });
                     });
    QObject::connect(menu->addAction(QObject::tr("&Compare databases…")), &QAction::triggered,
                     window, [window] {
                         auto* view = openWindow<CompareView>(window);
                         if (const auto url = openDatabase(window))
                             view->setDatabases(*url, QString());
                     });
    QObject::connect(menu->addAction(QObject::tr("&Schema migrations…")), &QAction::triggered,
                     window, [window] {
                         auto* view = openWindow<SchemaMigrationsView>(window);
                         if (const auto url = openDatabase(window))
                             view->setDatabase(*url);
                     });
}

} // namespace ctx::ui
