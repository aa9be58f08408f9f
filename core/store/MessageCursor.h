#pragma once

#include "core/Error.h"
#include "core/values/RawValue.h"

#include <QVariant>

namespace ctx::store {

// A keyset position in (timestamp, id) order: the last row of a page. Opaque to
// callers (base64url), it keeps the timestamp exactly as stored, storage type
// included, so that the next page continues where this one ended even on legacy
// SQLite files whose timestamp column mixes REAL, INTEGER and text values (such a
// session is walked in time order through MessageOrderCache, which derives the
// position's key from the stored value: the same cursor serves both walks).
struct MessageCursor {
    RawValue timestamp;
    qint64 id = 0;

    QString encode() const;
    static Result<MessageCursor> decode(const QString& text);
    // The value to bind for the timestamp, in its original storage type.
    QVariant timestampBinding() const;
};

} // namespace ctx::store
