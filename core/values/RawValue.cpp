#include "RawValue.h"

#include <QDateTime>

namespace ctx {

QString storageTypeName(StorageType type) {
    switch (type) {
    case StorageType::Null:
        return QStringLiteral("null");
    case StorageType::Integer:
        return QStringLiteral("integer");
    case StorageType::Real:
        return QStringLiteral("real");
    case StorageType::Text:
        return QStringLiteral("text");
    case StorageType::Blob:
        return QStringLiteral("blob");
    }
    return {};
}

RawValue RawValue::fromVariant(const QVariant& v) {
    if (v.isNull())
        return null();
    switch (v.typeId()) {
    case QMetaType::Int:
    case QMetaType::LongLong:
    case QMetaType::UInt:
    case QMetaType::ULongLong:
    case QMetaType::Bool:
        return fromInteger(v.toLongLong());
    case QMetaType::Double:
    case QMetaType::Float:
        return fromReal(v.toDouble());
    case QMetaType::QByteArray:
        return fromBlob(v.toByteArray());
    case QMetaType::QDateTime:
        return fromText(v.toDateTime().toUTC().toString(Qt::ISODateWithMs).toUtf8());
    default:
        return fromText(v.toString().toUtf8());
    }
}

QString RawValue::display() const {
    switch (type) {
    case StorageType::Null:
        return QStringLiteral("NULL");
    case StorageType::Integer:
        return QString::number(integer);
    case StorageType::Real:
        return QString::number(real, 'g', 17);
    case StorageType::Text:
        return QString::fromUtf8(bytes);
    case StorageType::Blob:
        return QStringLiteral("x'") + QString::fromLatin1(bytes.toHex()) + "'";
    }
    return {};
}

bool RawValue::operator==(const RawValue& o) const {
    if (type != o.type)
        return false;
    switch (type) {
    case StorageType::Null:
        return true;
    case StorageType::Integer:
        return integer == o.integer;
    case StorageType::Real:
        return real == o.real;
    default:
        return bytes == o.bytes;
    }
}

} // namespace ctx
