#pragma once

#include <QByteArray>
#include <QString>
#include <QVariant>

namespace ctx {

// SQLite's storage classes; PostgreSQL values arrive as Text (their text form) or Blob.
enum class StorageType { Null, Integer, Real, Text, Blob };
QString storageTypeName(StorageType type);

// One stored value exactly as read: the storage class and its bytes. Text keeps its
// raw bytes (which may hold NUL or invalid UTF-8); nothing is decoded or trimmed.
struct RawValue {
    StorageType type = StorageType::Null;
    qint64 integer = 0;
    double real = 0;
    QByteArray bytes; // Text (UTF-8 as stored) or Blob

    static RawValue null() { return {}; }
    static RawValue fromInteger(qint64 v) { return {StorageType::Integer, v, 0, {}}; }
    static RawValue fromReal(double v) { return {StorageType::Real, 0, v, {}}; }
    static RawValue fromText(const QByteArray& v) { return {StorageType::Text, 0, 0, v}; }
    static RawValue fromBlob(const QByteArray& v) { return {StorageType::Blob, 0, 0, v}; }
    static RawValue fromVariant(const QVariant& v); // Qt Sql values

    bool isNull() const { return type == StorageType::Null; }
    // A readable rendering for reports (text as is, blobs as hex, reals round-trip).
    QString display() const;
    bool operator==(const RawValue& o) const;
};

} // namespace ctx
