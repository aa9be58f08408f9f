// bench/scan URL [ROUNDS]: search without a full-text index, as a read-only connection
// does it (SearchIndex::search on SearchMethod::FullScan), next to a reference measured
// in the same run: `SELECT count(*) FROM messages WHERE content ILIKE '%word%'`, the
// server's own sequential scan of the table (parallel as the server is configured).
// The machine is shared and noisy: each round times the reference and every search
// back to back, and the ratios (search / reference) are printed per round and as the
// median over rounds. Words: a rare one of digits ("999987", one message at 1M), a rare
// one of letters without i or k ("zebra": no message), one with them ("okapi": no
// message) and two common words ("migrate thread"), plus the first answer the
// inspector would give within 1.5 s (SearchIndex::searchNewest).
// Last line: rare_digits_vs_ref=R rare_letters_vs_ref=R rare_ik_vs_ref=R common_ms=M
#include "core/db/Connection.h"
#include "core/store/Store.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <algorithm>
#include <cstdio>

using namespace ctx;

namespace {

struct Word {
    const char* label;
    QString text;
};

double median(QList<double> v) {
    std::sort(v.begin(), v.end());
    return v.isEmpty() ? 0.0 : v[v.size() / 2];
}

} // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    if (argc < 2) {
        std::fprintf(stderr, "usage: scan POSTGRES_URL [ROUNDS]\n");
        return 2;
    }
    const int rounds = argc > 2 ? std::max(1, std::atoi(argv[2])) : 3;
    auto url = DatabaseUrl::parse(QString::fromLocal8Bit(argv[1]));
    if (!url) {
        std::fprintf(stderr, "scan: %s\n", qPrintable(url.error().oneLine()));
        return 2;
    }
    auto conn = Connection::open(*url); // read-only, as a source opens
    if (!conn) {
        std::fprintf(stderr, "scan: %s\n", qPrintable(conn.error().oneLine()));
        return 1;
    }
    SearchIndex index(**conn);
    if (index.method() != SearchMethod::FullScan) {
        std::fprintf(stderr, "scan: the database has a full-text index; drop "
                             "idx_messages_content_fts in a copy to measure the scan\n");
        return 1;
    }
    const QList<Word> words{{"rare_digits", QStringLiteral("999987")},
                            {"rare_letters", QStringLiteral("zebra")},
                            {"rare_ik", QStringLiteral("okapi")},
                            {"common", QStringLiteral("migrate thread")}};
    QList<QList<double>> ratios(words.size());
    QList<double> commonMs;
    QList<double> firstMs;
    QElapsedTimer t;
    for (int round = 1; round <= rounds; ++round) {
        t.start();
        auto ref = (*conn)->scalar(
            QStringLiteral("SELECT count(*) FROM messages WHERE content ILIKE '%999987%'"));
        const double refMs = double(t.nsecsElapsed()) / 1e6;
        if (!ref) {
            std::fprintf(stderr, "scan: %s\n", qPrintable(ref.error().oneLine()));
            return 1;
        }
        std::printf("round %d: reference (count ILIKE) %.0f ms", round, refMs);
        for (qsizetype i = 0; i < words.size(); ++i) {
            SearchQuery q;
            q.text = words[i].text;
            q.viewer = Viewer::asAdmin();
            q.limit = 200;
            t.start();
            auto hits = index.search(q);
            const double ms = double(t.nsecsElapsed()) / 1e6;
            if (!hits) {
                std::fprintf(stderr, "\nscan: %s\n", qPrintable(hits.error().oneLine()));
                return 1;
            }
            ratios[i] << ms / refMs;
            if (QLatin1String(words[i].label) == QLatin1String("common"))
                commonMs << ms;
            std::printf(", %s %.0f ms (%lld hits, %.2fx)", words[i].label, ms,
                        static_cast<long long>(hits->size()), ms / refMs);
        }
        SearchQuery first;
        first.text = QStringLiteral("zebra");
        first.viewer = Viewer::asAdmin();
        first.limit = 200;
        t.start();
        auto quick = index.searchNewest(first, QDeadlineTimer(1500));
        firstMs << double(t.nsecsElapsed()) / 1e6;
        const auto reach = index.lastScanReach();
        std::printf(", first answer %.0f ms (%s)\n", firstMs.last(),
                    qPrintable(scanReachNote(reach.idsRead, reach.idsTotal)));
        std::fflush(stdout);
    }
    std::printf("rare_digits_vs_ref=%.2f rare_letters_vs_ref=%.2f rare_ik_vs_ref=%.2f "
                "common_ms=%.0f first_answer_ms=%.0f (medians of %d rounds)\n",
                median(ratios[0]), median(ratios[1]), median(ratios[2]), median(commonMs),
                median(firstMs), rounds);
    return 0;
}
