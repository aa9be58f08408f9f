#pragma once

#include "core/Error.h"

#include <QStringList>

namespace ctx::ui {

// The SQL console's history per database in a file of its own, since statements may
// hold secrets: AppDataLocation/console-history/<hash of the database key>.json, 0600
// in a 0700 directory, never the settings file. Lists an older version kept in the
// settings file are moved here (and removed there) the first time history is read.
class ConsoleHistory {
public:
    static QString directory();
    static QString pathFor(const QString& key);
    static QStringList load(const QString& key);
    static Status save(const QString& key, const QStringList& statements);
    static constexpr int kLimit = 50;

private:
    static void moveOutOfSettings();
};

} // namespace ctx::ui
