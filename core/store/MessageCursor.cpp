#include "MessageCursor.h"

namespace ctx::store {

// Layout before base64url: "<type letter>:<id>:<value>", the value last so that it
// may contain any byte. Types: n null, i integer, r real (17 significant digits,
// round-trips exactly), t text.
QString MessageCursor::encode() const {
    QByteArray value;
    char type = 'n';
    switch (timestamp.type) {
    case StorageType::Null:
        break;
    case StorageType::Integer:
        type = 'i';
        value = QByteArray::number(timestamp.integer);
        break;
    case StorageType::Real:
        type = 'r';
        value = QByteArray::number(timestamp.real, 'g', 17);
        break;
    case StorageType::Text:
    case StorageType::Blob:
        type = 't';
        value = timestamp.bytes;
        break;
    }
    const QByteArray raw = QByteArray(1, type) + ':' + QByteArray::number(id) + ':' + value;
    return QString::fromLatin1(
        raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

Result<MessageCursor> MessageCursor::decode(const QString& text) {
    auto invalid = [&] {
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("invalid cursor '%1' (pass next_cursor of a previous page)")
                        .arg(text.left(40)));
    };
    const auto decoded = QByteArray::fromBase64Encoding(
        text.toLatin1(), QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return invalid();
    const QByteArray raw = *decoded;
    const int first = raw.indexOf(':');
    const int second = first < 0 ? -1 : raw.indexOf(':', first + 1);
    if (first != 1 || second < 0)
        return invalid();
    MessageCursor c;
    bool ok = false;
    c.id = raw.mid(first + 1, second - first - 1).toLongLong(&ok);
    if (!ok)
        return invalid();
    const QByteArray value = raw.mid(second + 1);
    switch (raw[0]) {
    case 'n':
        c.timestamp = RawValue::null();
        break;
    case 'i':
        c.timestamp = RawValue::fromInteger(value.toLongLong(&ok));
        break;
    case 'r':
        c.timestamp = RawValue::fromReal(value.toDouble(&ok));
        break;
    case 't':
        c.timestamp = RawValue::fromText(value);
        break;
    default:
        return invalid();
    }
    if (!ok)
        return invalid();
    return c;
}

QVariant MessageCursor::timestampBinding() const {
    switch (timestamp.type) {
    case StorageType::Null:
        return QVariant();
    case StorageType::Integer:
        return QVariant(timestamp.integer);
    case StorageType::Real:
        return QVariant(timestamp.real);
    case StorageType::Text:
    case StorageType::Blob:
        return QString::fromUtf8(timestamp.bytes);
    }
    return QVariant();
}

} // namespace ctx::store
