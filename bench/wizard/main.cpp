// bench/wizard: drives the migration wizard (offscreen or under Xvfb) through a real
// migration of a legacy file into an empty PostgreSQL database and its verification,
// with a 2 ms heartbeat on the GUI thread. The target is < 50 ms for the longest stall.
//   wizard SOURCE TARGET_URL      (TARGET_URL: an empty database)
// Last line: assess_s=… migrate_s=… verify_s=… max_stall_ms=… peak_rss_mb=…
#include "BrowseProbe.h"
#include "ui/wizard/AssessPage.h"
#include "ui/wizard/MigrationWizard.h"
#include "ui/wizard/RunPage.h"
#include "ui/wizard/SourcePage.h"
#include "ui/wizard/TargetPage.h"
#include "ui/wizard/VerifyPage.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QTextStream>

using namespace ctx;
using namespace ctx::ui;

namespace {
QTextStream out(stdout);

int failWith(const QString& why) {
    out << "wizard: " << why << Qt::endl;
    return 1;
}
} // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() != 3)
        return failWith(QStringLiteral("usage: wizard SOURCE TARGET_URL"));
    auto target = DatabaseUrl::parse(args[2]);
    if (!target)
        return failWith(target.error().oneLine());

    MigrationWizard w;
    w.resize(1200, 800);
    w.show();
    bool sourceOk = false;
    QObject::connect(w.sourcePage(), &SourcePage::loaded, &w, [&] { sourceOk = true; });
    w.sourcePage()->setPath(args[1]);
    if (!waitUntil([&] { return sourceOk; }))
        return failWith(QStringLiteral("source not loaded: ") + w.sourcePage()->errorText());
    w.next();
    bool tested = false, testedOk = false;
    QObject::connect(w.targetPage(), &TargetPage::tested, &w, [&](bool ok) {
        tested = true;
        testedOk = ok;
    });
    w.targetPage()->setTargetUrl(*target);
    w.targetPage()->testConnection();
    if (!waitUntil([&] { return tested; }) || !testedOk)
        return failWith(QStringLiteral("target: ") + w.targetPage()->resultText());

    StallMeter stalls;
    QElapsedTimer clock;
    bool assessed = false;
    QObject::connect(w.assessPage(), &AssessPage::assessed, &w, [&] { assessed = true; });
    clock.start();
    w.next();
    if (!waitUntil([&] { return assessed; }, 600000))
        return failWith(QStringLiteral("assessment did not finish"));
    const double assessS = double(clock.elapsed()) / 1000;
    const qint64 assessStall = stalls.maxStallMs();
    w.next(); // plan: a fresh target
    w.next(); // run page; nothing starts by itself
    bool ran = false, ranOk = false;
    QObject::connect(w.runPage(), &RunPage::runFinished, &w, [&](bool ok) {
        ran = true;
        ranOk = ok;
    });
    stalls.reset();
    clock.restart();
    w.runPage()->startRun();
    if (!waitUntil([&] { return ran; }, 3600000) || !ranOk)
        return failWith(QStringLiteral("migration failed: ") + w.runPage()->statusText());
    const double migrateS = double(clock.elapsed()) / 1000;
    const qint64 runStall = stalls.maxStallMs();
    bool verified = false;
    QObject::connect(w.verifyPage(), &VerifyPage::verified, &w, [&] { verified = true; });
    stalls.reset();
    clock.restart();
    w.next();
    if (!waitUntil([&] { return verified; }, 3600000))
        return failWith(QStringLiteral("verification did not finish"));
    const double verifyS = double(clock.elapsed()) / 1000;
    const qint64 verifyStall = stalls.maxStallMs();
    out << "assessment " << assessS << " s (longest stall " << assessStall << " ms), migration "
        << migrateS << " s (longest stall " << runStall << " ms), verification " << verifyS
        << " s (longest stall " << verifyStall << " ms, " << w.verifyPage()->verdictText() << ")"
        << Qt::endl;
    out << "assess_s=" << assessS << " migrate_s=" << migrateS << " verify_s=" << verifyS
        << " max_stall_ms=" << std::max({assessStall, runStall, verifyStall})
        << " peak_rss_mb=" << peakRssMb() << Qt::endl;
    return 0;
}
