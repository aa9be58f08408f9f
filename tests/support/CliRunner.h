#pragma once

#include <QByteArray>
#include <QProcessEnvironment>
#include <QStringList>

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

} // namespace ctx::test
