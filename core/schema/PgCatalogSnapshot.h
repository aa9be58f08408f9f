#pragma once

#include "core/db/Connection.h"

#include <QList>
#include <QString>

namespace ctx {

// One object of a PostgreSQL schema as the server's catalog prints it.
//   kind        name                    definition
//   table       sessions                table
//   column      sessions.purpose        text NOT NULL DEFAULT …   (information_schema.columns)
//   constraint  messages.<conname>      pg_get_constraintdef
//   index       <indexname>             pg_get_indexdef
//   trigger     sessions.<tgname>       pg_get_triggerdef
//   function    name(identity args)     pg_get_functiondef
//   view        <viewname>              pg_get_viewdef
// Definitions are kept with runs of white space folded to one space.
struct CatalogObject {
    QString kind;
    QString name;
    QString definition;

    QString label() const { return kind + QLatin1Char(' ') + name; }
    bool operator==(const CatalogObject&) const = default;
};

struct CatalogDifference {
    enum class Type { Missing, Extra, Changed };
    Type type = Type::Missing;
    CatalogObject expected; // empty for Extra
    CatalogObject actual;   // empty for Missing

    const QString& kind() const { return type == Type::Extra ? actual.kind : expected.kind; }
    const QString& name() const { return type == Type::Extra ? actual.name : expected.name; }
    // "column messages.sender: expected '…', found '…'", one line.
    QString describe() const;
};

// Every object of the connection's current schema (public), sorted by kind and name,
// without objects that belong to an extension. PostgreSQL only; reads only.
class PgCatalogSnapshot {
public:
    static Result<PgCatalogSnapshot> read(const Connection& conn);
    // From "kind<TAB>name<TAB>definition" lines (the format of toText()).
    static PgCatalogSnapshot fromText(const QString& text);

    const QList<CatalogObject>& objects() const { return m_objects; }
    const CatalogObject* find(const QString& kind, const QString& name) const;
    QString toText() const;

    // Every way `actual` differs from `expected`, sorted by kind and name.
    static QList<CatalogDifference> compare(const PgCatalogSnapshot& expected,
                                            const PgCatalogSnapshot& actual);

    void add(CatalogObject object); // keeps the list sorted

private:
    QList<CatalogObject> m_objects;
};

} // namespace ctx
