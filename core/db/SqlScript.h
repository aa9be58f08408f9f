#pragma once

#include <QString>
#include <QStringList>

namespace ctx {

// One statement of a script with where it starts, so an editor can mark it.
struct SqlStatement {
    QString text;
    int offset = 0; // character offset in the script
    int line = 1;   // 1-based line of its first character
};

// Splits SQL text into statements at top-level semicolons. Understands quotes
// ('…', "…"), comments (-- and /* */), PostgreSQL dollar quotes ($$…$$, $tag$…$tag$)
// and SQLite trigger bodies (CREATE TRIGGER … BEGIN … END;).
class SqlScript {
public:
    static QList<SqlStatement> split(const QString& script);
    static QStringList statements(const QString& script);
    // The statement containing a cursor position (for "run current statement").
    static SqlStatement statementAt(const QString& script, int position);
};

} // namespace ctx
