#include "InlineBinds.h"

#include "SqlLexer.h"

#include <QDate>
#include <QDateTime>
#include <QSqlDriver>
#include <QSqlField>
#include <QUuid>
#include <algorithm>

namespace ctx {

namespace {

// SQL NULL as Qt's drivers bind it (see StatementCache's bindsNull).
bool bindsNull(const QVariant& v) {
    if (v.isNull())
        return true;
    switch (v.typeId()) {
    case QMetaType::QString:
        return v.toString().isNull();
    case QMetaType::QByteArray:
        return v.toByteArray().isNull();
    case QMetaType::QDateTime:
        return !v.toDateTime().isValid();
    case QMetaType::QDate:
        return !v.toDate().isValid();
    case QMetaType::QUuid:
        return v.toUuid().isNull();
    default:
        return false;
    }
}

QString literal(const QVariant& value, const QSqlDriver* driver) {
    if (bindsNull(value))
        return QStringLiteral("NULL");
    QSqlField field(QString(), value.metaType());
    field.setValue(value);
    QString text = driver->formatValue(field);
    switch (value.typeId()) {
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::LongLong:
    case QMetaType::ULongLong:
    case QMetaType::Double:
    case QMetaType::Float:
        if (!text.startsWith(QLatin1Char('\''))) // NaN and infinities come quoted
            text = QLatin1Char('\'') + text + QLatin1Char('\'');
        break;
    default:
        break;
    }
    return text;
}

} // namespace

Result<QString> inlineBinds(const QString& sql, const QVariantList& values,
                            const QSqlDriver* driver) {
    const QList<SqlToken> tokens = SqlLexer::tokens(sql, SqlLexRules::postgres());
    auto isMark = [&sql](const SqlToken& t) {
        return t.kind == SqlToken::Kind::Parameter &&
               QStringView(sql).mid(t.offset, t.length) == u"?";
    };
    const qsizetype marks = std::count_if(tokens.cbegin(), tokens.cend(), isMark);
    if (marks != values.size())
        return fail(ErrorCode::QueryFailed,
                    QStringLiteral("parameter count mismatch: %1 given, the statement has %2")
                        .arg(values.size())
                        .arg(marks));
    QString out;
    out.reserve(sql.size() + values.size() * 16);
    qsizetype next = 0;
    for (const SqlToken& t : tokens)
        out += isMark(t) ? literal(values[next++], driver) : sql.mid(t.offset, t.length);
    return out;
}

} // namespace ctx
