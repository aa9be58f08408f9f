#include "CopyRefusal.h"

#include <QRegularExpression>

namespace ctx {

namespace {

QString captured(const QString& text, const QString& pattern) {
    const auto m = QRegularExpression(pattern).match(text);
    return m.hasMatch() ? m.captured(1) : QString();
}

} // namespace

Error CopyRefusal::explain(const Error& e, const QString& table, const QList<qint64>& rowids) {
    const QString& text = e.message;
    QString what;
    if (QString c = captured(text, QStringLiteral("violates check constraint \"([^\"]+)\""));
        !c.isEmpty())
        what = QStringLiteral("the target's CHECK constraint %1 refuses it").arg(c);
    else if (QString t = captured(text, QStringLiteral("value too long for type ([^:]+?) CONTEXT"));
             !t.isEmpty())
        what = QStringLiteral("its %1 is longer than %2 allows")
                   .arg(captured(text, QStringLiteral(", column (\\w+)")), t);
    else if (QString n = captured(text, QStringLiteral("null value in column \"([^\"]+)\""));
             !n.isEmpty())
        what = QStringLiteral("its %1 is NULL, which the target's column refuses").arg(n);
    else if (QString k = captured(text, QStringLiteral("violates (?:foreign key|unique) constraint "
                                                       "\"([^\"]+)\""));
             !k.isEmpty())
        what = QStringLiteral("the target's constraint %1 refuses it").arg(k);
    else
        return e;
    const QString line = captured(text, QStringLiteral("COPY \\S+, line (\\d+)"));
    const qsizetype index = line.toLongLong() - 1;
    const QString key = captured(text, QStringLiteral("Failing row contains \\(([^,)]*)"));
    // A foreign key or unique constraint names the value instead.
    const QString value = captured(text, QStringLiteral("DETAIL: Key (\\([^)]*\\)=\\([^)]*\\))"));
    QString where;
    if (!key.isEmpty())
        where = QStringLiteral(" id %1").arg(key.left(80));
    else if (!value.isEmpty())
        where = QStringLiteral(" with %1").arg(value.left(120));
    if (index >= 0 && index < rowids.size())
        where += QStringLiteral(" (source rowid %1)").arg(rowids[index]);
    Error out = e;
    out.message = QStringLiteral("%1 row%2 was not loaded: %3; its batch was rolled back, the "
                                 "rows loaded before it stay and the migration can continue "
                                 "with --resume once the row is dealt with")
                      .arg(table, where, what);
    return out;
}

} // namespace ctx
