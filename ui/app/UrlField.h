#pragma once

#include "core/db/DatabaseUrl.h"

#include <QLineEdit>
#include <optional>

namespace ctx::ui {

// A line edit for a SQLite file path or a postgresql:// URL that never shows a secret:
// a URL given with a password (or sslpassword), typed, pasted or set, is shown with ***
// in its place once editing ends, and url() gives the whole URL back for as long as
// the text is unchanged.
class UrlField : public QLineEdit {
    Q_OBJECT
public:
    explicit UrlField(QWidget* parent = nullptr);

    // Shows `url`; the secrets it holds are kept, not shown.
    void setUrl(const DatabaseUrl& url);
    // As typed: parsed, and its secrets hidden.
    void setUrlText(const QString& text);
    // The URL the field stands for, with its secrets.
    Result<DatabaseUrl> url() const;

private:
    void hideSecrets();
    std::optional<DatabaseUrl> m_hidden; // the URL behind a text with ***
};

} // namespace ctx::ui
