#pragma once

#include "SqlLexer.h"

#include <QString>
#include <QStringList>

namespace ctx {

// One statement of a script with where it starts, so an editor can mark it.
struct SqlStatement {
    QString text;
    int offset = 0; // character offset in the script
    int line = 1;   // 1-based line of its first character
};

// Splits SQL text into statements at top-level semicolons, on SqlLexer's tokens under
// one engine's rules (quotes, comments, dollar quotes, E-strings), keeping SQLite
// trigger bodies (CREATE TRIGGER … BEGIN … END;) and PostgreSQL BEGIN ATOMIC … END
// bodies whole.
class SqlScript {
public:
    static QList<SqlStatement> split(const QString& script,
                                     const SqlLexRules& rules = SqlLexRules::generic());
    static QStringList statements(const QString& script,
                                  const SqlLexRules& rules = SqlLexRules::generic());
    // The statement containing a cursor position (for "run current statement").
    static SqlStatement statementAt(const QString& script, int position,
                                    const SqlLexRules& rules = SqlLexRules::generic());
};

} // namespace ctx
