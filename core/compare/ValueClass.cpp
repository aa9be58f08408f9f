#include "ValueClass.h"

#include <set>

namespace ctx {

ValueClass classifyType(Engine engine, const QString& declared) {
    const QString t = declared.toUpper();
    if (engine == Engine::Sqlite) { // SQLite's affinity rules, in their order
        if (t.contains(QLatin1String("INT")))
            return ValueClass::Integer;
        if (t.contains(QLatin1String("CHAR")) || t.contains(QLatin1String("CLOB")) ||
            t.contains(QLatin1String("TEXT")))
            return ValueClass::Text;
        if (t.contains(QLatin1String("BLOB")) || t.isEmpty())
            return ValueClass::Blob;
        if (t.contains(QLatin1String("REAL")) || t.contains(QLatin1String("FLOA")) ||
            t.contains(QLatin1String("DOUB")))
            return ValueClass::Real;
        if (t.contains(QLatin1String("TIME")) || t.contains(QLatin1String("DATE")))
            return ValueClass::Timestamp;
        if (t.contains(QLatin1String("BOOL")))
            return ValueClass::Boolean;
        return ValueClass::Numeric;
    }
    if (t == QLatin1String("BIGINT") || t == QLatin1String("INTEGER") ||
        t == QLatin1String("SMALLINT"))
        return ValueClass::Integer;
    if (t == QLatin1String("TEXT") || t.startsWith(QLatin1String("CHARACTER")) ||
        t.startsWith(QLatin1String("VARCHAR")))
        return ValueClass::Text;
    if (t == QLatin1String("BYTEA"))
        return ValueClass::Blob;
    if (t == QLatin1String("BOOLEAN"))
        return ValueClass::Boolean;
    if (t.startsWith(QLatin1String("TIMESTAMP")) || t == QLatin1String("DATE"))
        return ValueClass::Timestamp;
    if (t == QLatin1String("JSONB") || t == QLatin1String("JSON"))
        return ValueClass::Json;
    if (t == QLatin1String("REAL") || t == QLatin1String("DOUBLE PRECISION"))
        return ValueClass::Real;
    if (t.startsWith(QLatin1String("NUMERIC")))
        return ValueClass::Numeric;
    return ValueClass::Other;
}

QString valueClassName(ValueClass c) {
    static const char* names[] = {"integer", "real",      "numeric", "text", "blob",
                                  "boolean", "timestamp", "json",    "other"};
    return QString::fromLatin1(names[int(c)]);
}

bool compatibleClasses(ValueClass a, ValueClass b) {
    if (a == b)
        return true;
    using V = ValueClass;
    static const std::set<std::pair<V, V>> pairs{
        {V::Text, V::Json},       {V::Timestamp, V::Numeric}, {V::Boolean, V::Numeric},
        {V::Boolean, V::Integer}, {V::Integer, V::Numeric},   {V::Real, V::Numeric},
        {V::Timestamp, V::Real},  {V::Timestamp, V::Integer}, {V::Integer, V::Real},
    };
    return pairs.contains({a, b}) || pairs.contains({b, a});
}

} // namespace ctx
