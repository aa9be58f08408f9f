#include "CliRunner.h"

#include <QProcess>

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

} // namespace ctx::test
