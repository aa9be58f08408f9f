// ctxdb assess: hazards found with counts, sample ids and actions, on every legacy
// version; WAL-only rows; the file never changes.
#include "tst_migrate_fixture.h"

#include "core/assess/Assessor.h"
#include "core/assess/SamplePreview.h"

#include <QTemporaryDir>
#include <QTest>

using namespace ctx;
using namespace ctx::test;

namespace {

const HazardEntry* find(const AssessReport& r, const QString& table, const QString& column,
                        Hazard hazard) {
    for (const HazardEntry& h : r.hazards)
        if (h.table == table && h.column == column && h.hazard == hazard)
            return &h;
    return nullptr;
}

qint64 countOf(const AssessReport& r, const QString& table, const QString& column, Hazard hazard) {
    const HazardEntry* h = find(r, table, column, hazard);
    return h ? h->count : 0;
}

QList<qint64> samplesOf(const AssessReport& r, const QString& table, const QString& column,
                        Hazard hazard) {
    const HazardEntry* h = find(r, table, column, hazard);
    return h ? h->sampleRowids : QList<qint64>{};
}

const TableAssessment* tableOf(const AssessReport& r, const QString& name) {
    for (const TableAssessment& t : r.tables)
        if (t.name == name)
            return &t;
    return nullptr;
}

} // namespace

class TestAssess : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString plantedFile(LegacyVersion v, const QString& name) {
        const QString path = m_dir.filePath(name);
        if (auto ok = writeLegacyFile(path, v); !ok)
            qFatal("%s", qPrintable(ok.error().oneLine()));
        if (auto ok = execSql(path, hazards::statements(v)); !ok)
            qFatal("%s", qPrintable(ok.error().oneLine()));
        return path;
    }

private Q_SLOTS:
    void everyHazardWithCountsAndSamples() {
        const QString path = plantedFile(LegacyVersion::V3a, "v3a.db");
        auto wal = execSqlIntoWalOnly(path, hazards::walTail(LegacyVersion::V3a));
        CTX_VERIFY_OK(wal);
        const FileFingerprint before = FileFingerprint::of(path);
        auto r = Assessor::run({path, true, {}, nullptr});
        CTX_VERIFY_OK(r);
        QCOMPARE(FileFingerprint::of(path), before);
        QCOMPARE(r->schema.variant, QStringLiteral("3a"));
        QVERIFY(r->quickCheckOk());
        QCOMPARE(tableOf(*r, "messages")->rows, 17);
        QCOMPARE(tableOf(*r, "sessions")->rows, 3);

        using H = Hazard;
        QCOMPARE(countOf(*r, "messages", "session_id", H::SessionMissing), 1);
        QCOMPARE(samplesOf(*r, "messages", "session_id", H::SessionMissing), QList<qint64>{7});
        QCOMPARE(countOf(*r, "messages", "content", H::NulBytes), 1);
        QCOMPARE(samplesOf(*r, "messages", "content", H::NulBytes), QList<qint64>{7});
        QCOMPARE(countOf(*r, "messages", "content", H::InvalidUtf8), 1);
        QCOMPARE(samplesOf(*r, "messages", "content", H::InvalidUtf8), QList<qint64>{8});
        QCOMPARE(countOf(*r, "messages", "content", H::ContentTooLong), 1);
        QCOMPARE(samplesOf(*r, "messages", "content", H::ContentTooLong), QList<qint64>{9});
        QCOMPARE(samplesOf(*r, "messages", "parent_message_id", H::DanglingParent),
                 QList<qint64>{10});
        QCOMPARE(samplesOf(*r, "messages", "metadata", H::InvalidJson), QList<qint64>{11});
        QCOMPARE(samplesOf(*r, "messages", "metadata", H::JsonNulEscape), QList<qint64>{12});
        QCOMPARE(samplesOf(*r, "messages", "timestamp", H::UnparseableTimestamp),
                 QList<qint64>{13});
        QCOMPARE(samplesOf(*r, "messages", "sender_type", H::NullSenderType),
                 (QList<qint64>{2, 14}));
        QCOMPARE(samplesOf(*r, "messages", "sender", H::StorageTypeMismatch), QList<qint64>{15});
        QCOMPARE(find(*r, "messages", "sender", H::StorageTypeMismatch)->detail,
                 QStringLiteral("blob"));
        QCOMPARE(countOf(*r, "sessions", "is_active", H::BooleanAsText), 1);
        QCOMPARE(find(*r, "sessions", "is_active", H::BooleanAsText)->sampleKeys,
                 QStringList{fixture::kSessionB});
        QCOMPARE(countOf(*r, "sessions", "is_active", H::InvalidBoolean), 1);
        QCOMPARE(samplesOf(*r, "agent_memory", QString(), H::DuplicateGlobalKey),
                 (QList<qint64>{1, 6}));
        QCOMPARE(r->droppedDuplicates, 2);
        QCOMPARE(countOf(*r, "agent_memory", "session_id", H::SessionMissing), 1);
        QCOMPARE(countOf(*r, "audit_log", "session_id", H::SessionMissing), 1);
        QCOMPARE(r->missingSessions, 2);
        const HazardEntry* expiry =
            find(*r, "secure_tokens", "expires_at", H::UnparseableTimestamp);
        QVERIFY(expiry);
        QCOMPARE(expiry->sampleRowids, QList<qint64>{3});
        QVERIFY(expiry->action.contains("1970"));
        // Every shape of the timestamp columns is counted.
        QVERIFY(countOf(*r, "messages", "timestamp", H::TimestampShape) > 0);
        QCOMPARE(tableOf(*r, "messages")->walOnlyRows, 2);
        QCOMPARE(samplesOf(*r, "messages", QString(), H::WalOnlyRows), (QList<qint64>{100, 101}));
        QVERIFY(r->estimatedSeconds > 0);
        QVERIFY(r->estimatedTargetBytes > 0);
    }

    void previewShowsStoredAndArriving() {
        const QString path = plantedFile(LegacyVersion::V3a, "preview.db");
        auto snap = SourceSnapshot::open(path, "test");
        QVERIFY(snap.has_value());
        auto row = SamplePreview::row(**snap, "messages", 7);
        CTX_VERIFY_OK(row);
        const PreviewCell* content = nullptr;
        for (const PreviewCell& c : row->cells)
            if (c.column == "content")
                content = &c;
        QVERIFY(content);
        QCOMPARE(content->arrives, QStringLiteral("Helloworld"));
        QVERIFY(content->hazards.contains("nul_bytes"));
        auto dup = SamplePreview::row(**snap, "agent_memory", 6);
        QVERIFY(dup.has_value());
        QVERIFY(dup->dropped);
        QVERIFY(!SamplePreview::row(**snap, "messages", 424242).has_value());
    }

    void everyVersion_data() {
        QTest::addColumn<int>("version");
        QTest::addColumn<QString>("variant");
        QTest::newRow("1") << int(LegacyVersion::V1) << "1";
        QTest::newRow("2") << int(LegacyVersion::V2) << "2";
        QTest::newRow("2altered") << int(LegacyVersion::V2Altered) << "2";
        QTest::newRow("3a") << int(LegacyVersion::V3a) << "3a";
        QTest::newRow("3b") << int(LegacyVersion::V3b) << "3b";
    }
    void everyVersion() {
        QFETCH(int, version);
        QFETCH(QString, variant);
        const auto v = LegacyVersion(version);
        const QString path = plantedFile(v, QStringLiteral("v%1.db").arg(version));
        const FileFingerprint before = FileFingerprint::of(path);
        auto r = Assessor::run({path, true, {}, nullptr});
        CTX_VERIFY_OK(r);
        QCOMPARE(FileFingerprint::of(path), before);
        QCOMPARE(r->schema.variant, variant);
        QCOMPARE(tableOf(*r, "messages")->rows, 15);
        QCOMPARE(tableOf(*r, "secure_tokens")->present, hazards::hasTokens(v));
        // Version 1 has no sender_type at all: every message arrives as 'generic'.
        QCOMPARE(countOf(*r, "messages", "sender_type", Hazard::NullSenderType),
                 hazards::hasSenderType(v) ? 2 : 15);
        QCOMPARE(r->droppedDuplicates, hazards::allowsDuplicateGlobalKeys(v) ? 2 : 0);
        QCOMPARE(countOf(*r, "messages", "content", Hazard::NulBytes), 1);
        QCOMPARE(r->missingSessions, 2);
    }

    void mixedFile() {
        const QString path = plantedFile(LegacyVersion::V3a, "mixed.db");
        QVERIFY(execSql(path, {"DROP TABLE secure_tokens",
                               "INSERT INTO schema_version (version, description) VALUES (2, 'x')"})
                    .has_value());
        auto r = Assessor::run({path, false, {}, nullptr});
        CTX_VERIFY_OK(r);
        QVERIFY(r->schema.mixed);
        QVERIFY(!tableOf(*r, "secure_tokens")->present);
        QVERIFY(r->quickCheck.isEmpty());
    }

    void notADatabase() {
        const QString path = m_dir.filePath("text.db");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(4096, 'x'));
        f.close();
        auto r = Assessor::run({path, true, {}, nullptr});
        QVERIFY(!r.has_value());
        QCOMPARE(r.error().code, ErrorCode::NotADatabase);
    }
};

QTEST_GUILESS_MAIN(TestAssess)
#include "tst_assess.moc"
