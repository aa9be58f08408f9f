#pragma once

#include <QByteArray>
#include <QProcessEnvironment>
#include <QStringList>
#include <functional>

namespace ctx::test {

struct CliResult {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QString all() const { return QString::fromUtf8(out + err); }
};

// Runs the ctxdb binary of this build (CTXDB_BIN) and captures what it printed.
CliResult runCtxdb(const QStringList& args,
                   const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment(),
                   int timeoutMs = 300000);

// Runs ctxdb and kills it (SIGKILL) as soon as `killWhen` returns true; it is asked
// every `pollMs` with what the process printed on stdout so far. Returns -9 when the
// kill landed, else the exit code (-1 for a crash); `err` gets stderr.
int runCtxdbKilledWhen(const QStringList& args,
                       const std::function<bool(const QByteArray& out)>& killWhen, int pollMs,
                       QByteArray* err = nullptr);

} // namespace ctx::test
