#pragma once

#include "StoreFeatures.h"
#include "StoreTypes.h"
#include "core/db/StatementCache.h"

#include <QSqlQuery>
#include <QVariantList>

namespace ctx::store {

// The message columns every reader selects, in a fixed order; a missing
// sender_type column (version 1 files) reads as NULL. `alias` qualifies the names.
QString messageColumns(const Dialect& dialect, const StoreFeatures& features,
                       const QString& alias = {});
constexpr int kMessageColumnCount = 10;
// Reads the columns of messageColumns() starting at `first`.
Message readMessage(const Row& row, int first = 0);
inline Message readMessage(const QSqlQuery& query, int first = 0) {
    return readMessage(QueryRow(query), first);
}

// A WHERE clause under construction: conditions joined by AND, values bound in order.
struct SqlWhere {
    QStringList conditions;
    QVariantList binds;
    void add(const QString& condition, const QVariantList& values = {});
    QString text() const; // " WHERE a AND b", or empty
};

// The server's visibility rules: admins see everything; agent X sees public rows plus
// its own private and agent_only rows; admin_only never.
void addVisibility(SqlWhere& where, const Viewer& viewer, const QString& alias = {});
// Session, visibility and the filter's conditions (sender, type, time range).
void addMessageFilter(SqlWhere& where, const Dialect& dialect, const StoreFeatures& features,
                      const QString& sessionId, const Viewer& viewer, const MessageFilter& filter,
                      const QString& alias = {});

} // namespace ctx::store
