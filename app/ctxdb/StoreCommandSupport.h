#pragma once

// Shared pieces of the store's inspection commands (sessions, messages, thread,
// search, memory, audit, cleanup, health): opening the source, reading common
// options, printing times.
#include "CliCommand.h"
#include "core/db/Connection.h"
#include "core/store/StoreTypes.h"

#include <memory>
#include <optional>

namespace ctx::cli {

// Opens URL read-only (or writable for cleanup). On failure prints the error and
// sets *exitCode.
std::unique_ptr<Connection> openStore(const QString& urlText, bool writable, const QString& command,
                                      const Output& out, int* exitCode);

// "2025-08-20T12:00:00.123456Z", or empty for no time.
QString timeText(const std::optional<qint64>& micros);
// A --since/--until value in any shape Timestamp::parseText accepts (ISO with or
// without offset, "YYYY-MM-DD HH:MM:SS", epoch seconds). Empty option: no bound.
bool parseTimeOption(const QCommandLineParser& p, const QString& name, const QString& command,
                     const Output& out, std::optional<qint64>* value, int* exitCode);
// --limit N within [min, max].
bool parseLimitOption(const QCommandLineParser& p, const QString& command, const Output& out,
                      int max, int* value, int* exitCode);
// --as AGENT | --admin (default admin).
bool parseViewer(const QCommandLineParser& p, const QString& command, const Output& out,
                 Viewer* viewer, int* exitCode);
void addViewerOptions(QCommandLineParser& p);
// The URL positional argument every store command takes.
void addUrlArgument(QCommandLineParser& p);
// --limit N with its help text ("At most N <what> (default D).").
void addLimitOption(QCommandLineParser& p, const QString& help, int defaultLimit);
// One line of help: examples after the summary.
void setExamples(QCommandLineParser& p, const QString& summary, const QStringList& examples);

} // namespace ctx::cli
