#include "UrlField.h"

namespace ctx::ui {

UrlField::UrlField(QWidget* parent)
    : QLineEdit(parent) {
    connect(this, &QLineEdit::editingFinished, this, &UrlField::hideSecrets);
}

void UrlField::setUrl(const DatabaseUrl& url) {
    const bool secrets = url.isPostgres() && url.redacted() != url.withoutSecrets();
    m_hidden = secrets ? std::optional<DatabaseUrl>(url) : std::nullopt;
    setText(url.isPostgres() ? url.redacted() : url.filePath());
}

void UrlField::setUrlText(const QString& text) {
    setText(text);
    hideSecrets();
}

void UrlField::hideSecrets() {
    if (m_hidden && text() == m_hidden->redacted())
        return;
    auto parsed = DatabaseUrl::parse(text().trimmed());
    if (parsed && parsed->isPostgres() && parsed->redacted() != parsed->withoutSecrets())
        setUrl(*parsed);
}

Result<DatabaseUrl> UrlField::url() const {
    if (m_hidden && text() == m_hidden->redacted())
        return *m_hidden;
    return DatabaseUrl::parse(text().trimmed());
}

} // namespace ctx::ui
