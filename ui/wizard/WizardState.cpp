#include "WizardState.h"

#include <QFileInfo>
#include <QRegularExpression>

namespace ctx::ui {

namespace {

QString shellQuote(const QString& s) {
    static const QRegularExpression plain(QStringLiteral("^[A-Za-z0-9_./:@%+=,-]+$"));
    if (plain.match(s).hasMatch())
        return s;
    QString q = s;
    q.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + q + QLatin1Char('\'');
}

} // namespace

bool WizardState::resumable() const {
    if (!probe || !probe->state.unfinishedTransfer || !source)
        return false;
    if (probe->unfinishedSourcePath.isEmpty())
        return true;
    return QFileInfo(probe->unfinishedSourcePath).canonicalFilePath() ==
           QFileInfo(source->path).canonicalFilePath();
}

QString WizardState::commandLine() const {
    QString targetText;
    if (target) {
        targetText = target->withoutSecrets();
    }
    QStringList args{QStringLiteral("ctxdb"), QStringLiteral("migrate"), shellQuote(sourcePath()),
                     shellQuote(targetText)};
    if (mode == TransferMode::Replace)
        args << QStringLiteral("--replace");
    else if (mode == TransferMode::Resume)
        args << QStringLiteral("--resume");
    if (salvage)
        args << QStringLiteral("--salvage");
    args << QStringLiteral("--jobs") << QString::number(jobs);
    QString line = args.join(QLatin1Char(' '));
    if (target && target->hasPassword())
        line = QStringLiteral("PGPASSWORD=… ") + line;
    return line;
}

} // namespace ctx::ui
