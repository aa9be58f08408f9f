#pragma once

#include <QPointer>
#include <QWidget>

class QPlainTextEdit;
class QTextBrowser;
class QTreeWidget;

namespace ctx::ui {

class DatabaseSession;

// Tables with their columns and types, indexes, triggers and views; the detected
// schema version, legacy variant and quirks; the migration history.
class SchemaView : public QWidget {
    Q_OBJECT
public:
    explicit SchemaView(QWidget* parent = nullptr);
    void setSession(DatabaseSession* session);
    void reload();
    QTreeWidget* tree() const { return m_tree; }
    QString summaryText() const;

signals:
    void completionWordsReady(const QStringList& words);
    void loaded(int tables);
    void failed(const QString& message);

private:
    void showSummary();

    QPointer<DatabaseSession> m_session;
    QTreeWidget* m_tree;
    QPlainTextEdit* m_definition;
    QTextBrowser* m_summary;
};

} // namespace ctx::ui
