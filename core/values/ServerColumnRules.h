#pragma once

#include <QByteArray>
#include <QString>
#include <optional>

namespace ctx {

// What the server's PostgreSQL schema allows in one text column
// (resources/sql/server/server-postgresql.sql): its VARCHAR length and whether a CHECK
// (length(trim(x)) > 0) refuses empty or space-only text.
struct ServerColumnRule {
    int maxChars = 0;      // VARCHAR(n); 0: unbounded
    bool notBlank = false; // a *_not_empty CHECK
    bool key = false;      // a session or token id: its server form is SessionKeys' rule
    // What a refused blank (or NULL in a NOT NULL column) becomes; "%1" is the row's key.
    QByteArray marker;
};

class ServerColumnRules {
public:
    static ServerColumnRule of(const QString& table, const QString& column);
    // Empty or spaces only: PostgreSQL's trim() removes spaces, nothing else.
    static bool isBlank(const QByteArray& utf8);
    // An id in the form the server's schema takes: a blank one becomes
    // "ctx_blank_id_<its length>", one longer than 255 characters its first 200
    // characters, "~" and 16 hex digits of its hash. Others are returned unchanged.
    static QByteArray keyForm(const QByteArray& utf8);
    // Already in that form: keyForm would return it unchanged.
    static bool isKeyForm(const QByteArray& utf8);
    // Clean text as it arrives under the rule: a key in keyForm, a blank as the marker
    // (rowKey in place of "%1"), an over-long text cut to the column's length. Nothing
    // when the text arrives as it is.
    static std::optional<QByteArray> changed(const ServerColumnRule& rule, const QByteArray& utf8,
                                             qint64 rowKey);
    static QByteArray arrival(const ServerColumnRule& rule, const QByteArray& utf8, qint64 rowKey) {
        return changed(rule, utf8, rowKey).value_or(utf8);
    }
    static constexpr int kKeyChars = 255;
};

} // namespace ctx
