#pragma once

#include "core/Error.h"
#include "core/store/StoreTypes.h"

#include <QPointer>
#include <QWidget>

class QLabel;
class QTabWidget;
class QTextBrowser;
class QTreeWidget;
class QTreeWidgetItem;

namespace ctx::ui {

class DatabaseSession;

// One message in full: its content rendered as Markdown (code blocks monospaced),
// its metadata as a JSON tree, its raw stored values (with the storage type of the
// timestamp), and its thread (ancestors and replies) as a navigable tree. Everything is
// read as the current viewer ("view as"): a message the viewer may not see is not
// shown. The content loads no resource it names (InertText.h) and renders at most
// kMaxRenderedCharacters.
class MessagePane : public QWidget {
    Q_OBJECT
public:
    enum Tab { ContentTab, MetadataTab, RawTab, ThreadTab };
    explicit MessagePane(QWidget* parent = nullptr);

    static constexpr int kMaxRenderedCharacters = 100000; // the server's content limit
    // More Markdown structure than this is shown as plain text (InertText.h).
    static constexpr int kMaxMarkdownMarks = 2000;

    // Forgets the message shown (another database).
    void setSession(DatabaseSession* session);
    // Whose eyes the pane reads through; the message shown is read again.
    void setViewer(const Viewer& viewer);
    const Viewer& viewer() const { return m_viewer; }
    void showMessage(qint64 id); // as the current viewer
    void showMessage(qint64 id, const Viewer& viewer);
    qint64 currentMessageId() const { return m_id; }
    void showTab(Tab tab);

    QTextBrowser* contentView() const { return m_content; }
    QTreeWidget* metadataTree() const { return m_metadata; }
    QTreeWidget* rawTree() const { return m_raw; }
    QTreeWidget* threadTree() const { return m_thread; }

signals:
    void loaded(qint64 id);
    void failed(const QString& message);

private:
    void clearMessage(const QString& header);
    void fill(const Message& m, const Result<MessageThread>& thread);
    void fillRaw(const Message& m);
    void fillThread(const Message& m, const MessageThread& thread);

    QPointer<DatabaseSession> m_session;
    qint64 m_id = 0;
    quint64 m_request = 0; // the load whose answer is awaited; older answers are dropped
    Viewer m_viewer;
    QLabel* m_header;
    QTabWidget* m_tabs;
    QTextBrowser* m_content;
    QTreeWidget* m_metadata;
    QTreeWidget* m_raw;
    QTreeWidget* m_thread;
};

} // namespace ctx::ui
