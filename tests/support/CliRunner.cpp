#include "CliRunner.h"

#include <QProcess>

#include <csignal>

namespace ctx::test {

CliResult runCtxdb(const QStringList& args, const QProcessEnvironment& env, int timeoutMs) {
    CliResult r;
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QString::fromLocal8Bit(qgetenv("CTXDB_BIN")), args);
    if (!p.waitForStarted()) {
        r.err = "could not start ctxdb (is CTXDB_BIN set?)";
        return r;
    }
    p.closeWriteChannel();
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.err = "ctxdb timed out";
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

int runCtxdbKilledWhen(const QStringList& args,
                       const std::function<bool(const QByteArray& out)>& killWhen, int pollMs,
                       QByteArray* err) {
    QProcess p;
    p.start(QString::fromLocal8Bit(qgetenv("CTXDB_BIN")), args);
    if (!p.waitForStarted())
        return -100;
    p.closeWriteChannel();
    QByteArray out;
    while (p.state() != QProcess::NotRunning) {
        p.waitForReadyRead(pollMs);
        out += p.readAllStandardOutput();
        if (p.state() == QProcess::Running && killWhen(out)) {
            ::kill(pid_t(p.processId()), SIGKILL);
            p.waitForFinished();
            return -9;
        }
    }
    p.waitForFinished();
    if (err)
        *err = p.readAllStandardError();
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

} // namespace ctx::test
