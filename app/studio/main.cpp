// context-studio: the desktop inspector.
#include "core/Version.h"
#include "ui/MainWindow.h"

#include <QApplication>

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Context Studio"));
    QApplication::setOrganizationName(QStringLiteral("Context Studio"));
    QApplication::setApplicationVersion(QStringLiteral(CTX_VERSION));
    ctx::ui::MainWindow window;
    const QStringList args = app.arguments();
    if (args.size() > 1)
        window.openDatabase(args.at(1));
    window.show();
    return app.exec();
}
