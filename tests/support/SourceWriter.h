#pragma once

#include <QByteArray>
#include <QString>
#include <sys/types.h>

namespace ctx::test {

// Another process that writes a SQLite file, as a server that starts while ctxdb reads
// it: the test program itself started again with --source-writer PATH (POSIX locks
// belong to a process, so a thread of the test would not do). Commands go one a line
// and each waits for the writer's answer, so what the reader sees is decided by the
// test's order of calls, never by timing. Usable from any thread (plain pipes).
// A legacy file at path whose every session and message content starts "before-",
// with `messages` more messages of about 4 kB (more pages than a read's cache holds), in
// WAL or rollback journal mode, closed cleanly: no -wal, no -shm. False if it failed.
bool writeBeforeSource(const QString& path, bool wal, int messages);
// The writer's transaction: every session and message content then starts "after-".
inline const QByteArray kBeforeToAfter =
    "BEGIN; UPDATE sessions SET purpose = 'after-' || id; "
    "UPDATE messages SET content = 'after-' || substr(content, 8); COMMIT";

// The n-th message a live server writes into session B of the legacy fixtures:
// content "live <n>", one second after the one before (PostgreSQL: to_timestamp()).
QByteArray liveMessageInsert(int n, bool postgres = false);

class SourceWriter {
public:
    // In main(), before anything else: runs the writer and returns its exit code when
    // the program was started as one, else -1.
    static int runIfWriter(int argc, char** argv);

    explicit SourceWriter(const QString& path);
    ~SourceWriter(); // quits the writer and waits for it
    bool started() const { return m_pid > 0; }

    // Runs statements (one sqlite3_exec), answers "ok" or "error: ...".
    QByteArray sql(const QByteArray& statements) { return ask("sql " + statements); }
    // PRAGMA wal_checkpoint(TRUNCATE): "ok <busy> <frames> <checkpointed>".
    QByteArray checkpoint() { return ask("checkpoint"); }
    QByteArray ask(const QByteArray& command);

private:
    pid_t m_pid = -1;
    int m_to = -1, m_from = -1;
};

} // namespace ctx::test
