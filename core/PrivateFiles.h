#pragma once

#include "core/Error.h"

#include <QFile>

namespace ctx {

// Copies of a user's data that Context Studio writes (backups, the full-text side
// cache, exports, reports, console history) are readable by their owner only: files
// 0600, in directories 0700 when Context Studio makes them, whatever the umask.

constexpr QFile::Permissions kPrivateFile = QFile::ReadOwner | QFile::WriteOwner;

// Creates `path` and any missing parents; the directories it creates and `path` itself
// become 0700 (an existing directory of ours from an older version is tightened too).
Status makePrivateDirectory(const QString& path);

// Creates an empty file 0600 (failing if it exists when `exclusive`), or tightens an
// existing regular file to 0600. The file is closed again: callers open it by name
// (SQLite), and SQLite gives a database's -journal, -wal and -shm files its mode.
Status createPrivateFile(const QString& path, bool exclusive);

// Takes group and other permissions away from an existing regular file (not from
// devices or pipes such as /dev/stdout).
Status restrictToOwner(const QString& path);

} // namespace ctx
