#pragma once

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;
class QListWidget;

namespace ctx::ui {

// Where to open: a file, a URL in any of the server's forms (a pasted DATABASE_URL
// works), a recent database, or one discovered in the server's default locations
// and the working directory's .env. Shows the engine and TLS mode of what is typed.
class OpenDialog : public QDialog {
    Q_OBJECT
public:
    explicit OpenDialog(QWidget* parent = nullptr);
    QString urlText() const;
    bool writeMode() const;
    void setUrlText(const QString& text);
    static QString describe(const QString& text); // one line: engine, target, TLS, or error

private:
    void updateDescription();
    QLineEdit* m_url;
    QLabel* m_description;
    QListWidget* m_known;
    QCheckBox* m_write;
};

} // namespace ctx::ui
