#include "SourceWriter.h"

#include "LegacyFixtures.h"

#include <QCoreApplication>
#include <QFile>

#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <spawn.h>
#include <sqlite3.h>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace ctx::test {

QByteArray liveMessageInsert(int n, bool postgres) {
    return QStringLiteral("INSERT INTO messages (session_id, sender, sender_type, content, "
                          "visibility, message_type, timestamp) VALUES ('%1', 'live-agent', "
                          "'claude', 'live %2', 'public', 'agent_response', %3)")
        .arg(fixture::kSessionB)
        .arg(n)
        .arg(postgres ? QStringLiteral("to_timestamp(%1)").arg(1755700000 + n)
                      : QString::number(1755700000 + n))
        .toUtf8();
}

namespace {

void answer(const std::string& line) {
    std::fputs((line + "\n").c_str(), stdout);
    std::fflush(stdout);
}

int writerMain(const char* path) {
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
        return 2;
    sqlite3_busy_timeout(db, 5000);
    char buffer[1 << 16];
    while (std::fgets(buffer, sizeof buffer, stdin)) {
        std::string line(buffer);
        while (!line.empty() && line.back() == '\n')
            line.pop_back();
        if (line == "quit")
            break;
        if (line.rfind("sql ", 0) == 0) {
            char* err = nullptr;
            const int rc = sqlite3_exec(db, line.c_str() + 4, nullptr, nullptr, &err);
            answer(rc == SQLITE_OK ? std::string("ok") : "error: " + std::string(err ? err : "?"));
            sqlite3_free(err);
        } else if (line == "checkpoint") {
            int frames = -1, done = -1;
            const int rc =
                sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_TRUNCATE, &frames, &done);
            answer(rc == SQLITE_OK ? "ok 0 " + std::to_string(frames) + " " + std::to_string(done)
                                   : "error: " + std::string(sqlite3_errmsg(db)));
        } else {
            answer("error: unknown command");
        }
    }
    sqlite3_close(db);
    answer("ok");
    return 0;
}

} // namespace

bool writeBeforeSource(const QString& path, bool wal, int messages) {
    if (!writeLegacyFile(path, LegacyVersion::V3b, true))
        return false;
    const QString rows =
        QStringLiteral("WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c "
                       "WHERE i < %1) INSERT INTO messages (session_id, sender, content, "
                       "timestamp) SELECT '%2', 'agent', 'x', 1700000000 + i FROM c")
            .arg(messages)
            .arg(fixture::kSessionA);
    if (!execSql(path, {wal ? QStringLiteral("PRAGMA journal_mode=WAL")
                            : QStringLiteral("PRAGMA journal_mode=DELETE"),
                        QStringLiteral("UPDATE sessions SET purpose = 'before-' || id"), rows,
                        QStringLiteral("UPDATE messages SET content = 'before-' || id || '-' || "
                                       "replace(hex(zeroblob(1900)), '00', 'ab')")}))
        return false;
    return !QFile::exists(path + QStringLiteral("-wal")) &&
           !QFile::exists(path + QStringLiteral("-shm"));
}

int SourceWriter::runIfWriter(int argc, char** argv) {
    if (argc >= 3 && std::strcmp(argv[1], "--source-writer") == 0)
        return writerMain(argv[2]);
    return -1;
}

SourceWriter::SourceWriter(const QString& path) {
    int in[2], out[2];
    if (pipe2(in, O_CLOEXEC) != 0)
        return;
    if (pipe2(out, O_CLOEXEC) != 0) {
        ::close(in[0]);
        ::close(in[1]);
        return;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    const QByteArray self = QFile::encodeName(QCoreApplication::applicationFilePath());
    const QByteArray file = QFile::encodeName(path);
    char* argv[] = {const_cast<char*>(self.constData()), const_cast<char*>("--source-writer"),
                    const_cast<char*>(file.constData()), nullptr};
    if (posix_spawn(&m_pid, self.constData(), &actions, nullptr, argv, environ) != 0)
        m_pid = -1;
    posix_spawn_file_actions_destroy(&actions);
    ::close(in[0]);
    ::close(out[1]);
    m_to = in[1];
    m_from = out[0];
}

SourceWriter::~SourceWriter() {
    if (m_pid > 0) {
        ask("quit");
        int status = 0;
        waitpid(m_pid, &status, 0);
    }
    if (m_to >= 0)
        ::close(m_to);
    if (m_from >= 0)
        ::close(m_from);
}

QByteArray SourceWriter::ask(const QByteArray& command) {
    const QByteArray line = command + '\n';
    if (m_pid <= 0 || ::write(m_to, line.constData(), size_t(line.size())) != line.size())
        return "error: no writer";
    QByteArray reply;
    char c = 0;
    while (::read(m_from, &c, 1) == 1 && c != '\n')
        reply += c;
    return reply;
}

} // namespace ctx::test
