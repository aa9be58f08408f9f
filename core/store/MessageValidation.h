#pragma once

#include "StoreTypes.h"
#include "core/Error.h"

namespace ctx::store {

constexpr qint64 kMaxContentCharacters = 100000;
constexpr int kMaxPageSize = 1000;

// The checks a message must pass before anything is written: session id format,
// sender, content length, visibility, message type and metadata (a JSON object).
// Returns the metadata in canonical form (empty: NULL).
Result<QString> validateNewMessage(const NewMessage& message);
Status validateViewer(const Viewer& viewer);
bool isKnownVisibility(const QString& visibility);
// Whether the viewer may see a message (the same rule as addVisibility() in SQL).
bool isVisibleTo(const Message& message, const Viewer& viewer);

} // namespace ctx::store
