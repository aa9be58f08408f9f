#include "MigrationTools.h"

#include "MigrationWizard.h"
#include "SourcePage.h"
#include "ui/MainWindow.h"
#include "ui/compare/CompareView.h"
#include "ui/schemaview/SchemaMigrationsView.h"
#include "ui/workers/DatabaseSession.h"

#include <QMenu>

namespace ctx::ui {

namespace {

QString openDatabaseText(MainWindow* window) {
    DatabaseSession* s = window->session();
    if (!s)
        return {};
    return s->url().withoutSecrets(); // no password, no sslpassword=
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
                         QObject::connect(wizard, &MigrationWizard::openInInspector, window,
                                          [window](const QString& url) {
                                              window->openDatabase(url);
                                              window->raise();
                                          });
                     });
    QObject::connect(menu->addAction(QObject::tr("&Compare databases…")), &QAction::triggered,
                     window, [window] {
                         auto* view = openWindow<CompareView>(window);
                         view->setDatabases(openDatabaseText(window), QString());
                     });
    QObject::connect(menu->addAction(QObject::tr("&Schema migrations…")), &QAction::triggered,
                     window, [window] {
                         auto* view = openWindow<SchemaMigrationsView>(window);
                         const QString url = openDatabaseText(window);
                         if (!url.isEmpty())
                             view->setDatabase(url);
                     });
}

} // namespace ctx::ui
