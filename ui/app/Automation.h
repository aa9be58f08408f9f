#pragma once

#include <QObject>
#include <QString>
#include <functional>

namespace ctx::ui {

class MainWindow;

// Drives the window from the command line for screenshots and benchmarks: open a
// database, select a session (an id or "largest"), jump, select a row, show a tab,
// search, run SQL, then grab the window once the data is on screen.
struct AutomationOptions {
    QString open;
    bool write = false;
    QString session;
    bool jumpToEnd = false;
    int row = -1;
    qint64 message = 0; // show this message in the pane (after the list)
    QString tab;
    QString paneTab;
    QString search;
    QString sql;
    QString screenshot;
    bool quit = false;
    int settleMs = 500;
    bool active() const { return !session.isEmpty() || !screenshot.isEmpty() || quit; }
};

class Automation : public QObject {
    Q_OBJECT
public:
    Automation(MainWindow* window, AutomationOptions options);
    void start();
    int exitCode() const { return m_exitCode; }

private:
    void afterOpen();
    void afterSessions();
    void afterRows();
    void afterMessage();
    void showTabAndAct();
    void finish();
    // Runs next once signal fires, or reports a timeout.
    template <class Sender, class Signal>
    void waitFor(Sender* sender, Signal signal, std::function<void()> next, const QString& what);

    MainWindow* m_window;
    AutomationOptions m_options;
    int m_exitCode = 0;
};

} // namespace ctx::ui
