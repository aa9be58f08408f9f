// The one rule set shared by assessment, migration and comparison.
#include "core/values/JsonCanonical.h"
#include "core/values/TextBytes.h"
#include "core/values/Timestamp.h"
#include "core/values/ValueNormalizer.h"

#include <QtTest>

using namespace ctx;

namespace {
constexpr qint64 kNoon = 1755691200LL * 1000000; // 2025-08-20 12:00:00 UTC
}

class TestValues : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void timestampShapes_data() {
        QTest::addColumn<RawValue>("value");
        QTest::addColumn<int>("shape");
        QTest::addColumn<qint64>("micros");
        QTest::newRow("real") << RawValue::fromReal(1755691200.123456)
                              << int(TimestampShape::EpochReal) << kNoon + 123456;
        // The double's exact value is 1748744679.739518404…: the nearest microsecond is
        // …518 (seconds * 1e6 rounds to …518.5 in double arithmetic, and then to …519).
        QTest::newRow("real near a half")
            << RawValue::fromReal(1748744679.7395184) << int(TimestampShape::EpochReal)
            << Q_INT64_C(1748744679739518);
        QTest::newRow("real before 1970")
            << RawValue::fromReal(-1.25) << int(TimestampShape::EpochReal) << qint64(-1250000);
        QTest::newRow("integer") << RawValue::fromInteger(1755691200)
                                 << int(TimestampShape::EpochInteger) << kNoon;
        QTest::newRow("epoch text") << RawValue::fromText("1755691200.5")
                                    << int(TimestampShape::EpochText) << kNoon + 500000;
        QTest::newRow("iso offset") << RawValue::fromText("2025-08-20T12:00:00.123456+00:00")
                                    << int(TimestampShape::IsoOffset) << kNoon + 123456;
        QTest::newRow("iso other offset") << RawValue::fromText("2025-08-20T14:00:00+02:00")
                                          << int(TimestampShape::IsoOffset) << kNoon;
        QTest::newRow("iso negative offset") << RawValue::fromText("2025-08-20T06:30:00-05:30")
                                             << int(TimestampShape::IsoOffset) << kNoon;
        QTest::newRow("zulu") << RawValue::fromText("2025-08-20T12:00:00Z")
                              << int(TimestampShape::IsoZulu) << kNoon;
        QTest::newRow("naive T") << RawValue::fromText("2025-08-20T12:00:00")
                                 << int(TimestampShape::IsoNaive) << kNoon;
        QTest::newRow("current_timestamp") << RawValue::fromText("2025-08-20 12:00:00")
                                           << int(TimestampShape::SqliteText) << kNoon;
        QTest::newRow("postgres text") << RawValue::fromText("2025-08-20 12:00:00.000001+00")
                                       << int(TimestampShape::IsoOffset) << kNoon + 1;
        QTest::newRow("rounds like pg") << RawValue::fromText("2025-08-20 12:00:00.0000015")
                                        << int(TimestampShape::SqliteText) << kNoon + 2;
    }
    void timestampShapes() {
        QFETCH(RawValue, value);
        QFETCH(int, shape);
        QFETCH(qint64, micros);
        const ParsedTimestamp p = Timestamp::parse(value);
        QCOMPARE(int(p.shape), shape);
        QVERIFY(p.micros.has_value());
        QCOMPARE(*p.micros, micros);
    }

    void unparseableTimestamps_data() {
        QTest::addColumn<RawValue>("value");
        QTest::newRow("words") << RawValue::fromText("yesterday");
        QTest::newRow("bad month") << RawValue::fromText("2025-13-01 00:00:00");
        QTest::newRow("bad day") << RawValue::fromText("2025-02-30");
        QTest::newRow("trailing") << RawValue::fromText("2025-08-20 12:00:00 UTC");
        QTest::newRow("blob") << RawValue::fromBlob("\x01\x02");
        QTest::newRow("huge") << RawValue::fromReal(1e300);
        QTest::newRow("empty") << RawValue::fromText("");
    }
    void unparseableTimestamps() {
        QFETCH(RawValue, value);
        const ParsedTimestamp p = Timestamp::parse(value);
        QCOMPARE(p.shape, TimestampShape::Unparseable);
        QVERIFY(!p.micros);
        const NormalizedValue n = ValueNormalizer::normalize(LogicalType::Timestamp, value);
        QCOMPARE(n.kind, NormalizedValue::Kind::Invalid);
        QVERIFY(n.problem.contains("unparseable"));
    }

    void timestampPrinting() {
        QCOMPARE(Timestamp::toPostgresText(kNoon + 42),
                 QByteArray("2025-08-20 12:00:00.000042+00"));
        QCOMPARE(Timestamp::toIso(kNoon), QString("2025-08-20T12:00:00.000000Z"));
        QCOMPARE(Timestamp::toPostgresText(-1), QByteArray("1969-12-31 23:59:59.999999+00"));
        QCOMPARE(Timestamp::parse(RawValue()).shape, TimestampShape::Null);
        QCOMPARE(timestampShapeName(TimestampShape::SqliteText),
                 QString("CURRENT_TIMESTAMP text (UTC)"));
    }

    void jsonCanonical_data() {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QByteArray>("canonical");
        QTest::newRow("key order")
            << QByteArray(R"({"b":1, "a" : 2})") << QByteArray(R"({"a":2,"b":1})");
        QTest::newRow("nested") << QByteArray(R"({"z":{"y":[1, 2,{"b":null,"a":true}]}})")
                                << QByteArray(R"({"z":{"y":[1,2,{"a":true,"b":null}]}})");
        QTest::newRow("exponent") << QByteArray("1e2") << QByteArray("100");
        QTest::newRow("scale kept") << QByteArray("1.50") << QByteArray("1.50");
        QTest::newRow("scaled exp") << QByteArray("1.50e1") << QByteArray("15.0");
        QTest::newRow("negative exp") << QByteArray("15e-3") << QByteArray("0.015");
        QTest::newRow("big int") << QByteArray("123456789012345678901234567890")
                                 << QByteArray("123456789012345678901234567890");
        QTest::newRow("minus zero") << QByteArray("-0") << QByteArray("0");
        QTest::newRow("last key wins")
            << QByteArray(R"({"a":1,"a":2})") << QByteArray(R"({"a":2})");
        QTest::newRow("escapes") << QByteArray(R"("\u00e9\/\n\ud83d\ude00")")
                                 << QByteArray("\"\xc3\xa9/\\n\xf0\x9f\x98\x80\"");
        QTest::newRow("empty containers") << QByteArray(" { } ") << QByteArray("{}");
    }
    void jsonCanonical() {
        QFETCH(QByteArray, input);
        QFETCH(QByteArray, canonical);
        const CanonicalJson j = JsonCanonical::canonicalize(input);
        QVERIFY2(j.ok, qPrintable(j.error));
        QCOMPARE(j.text, canonical);
    }

    void jsonDifferences() {
        auto canon = [](const char* s) { return JsonCanonical::canonicalize(s).text; };
        QVERIFY(canon(R"({"n":9007199254740993})") != canon(R"({"n":9007199254740992})"));
        QVERIFY(canon(R"({"n":1.0})") != canon(R"({"n":1})")); // numeric scale is kept, as JSONB
        QVERIFY(canon(R"({"a":"x"})") != canon(R"({"a":"X"})"));
        QVERIFY(JsonCanonical::canonicalize(R"({"a":"\u0000"})").hasNulEscape);
        QVERIFY(JsonCanonical::canonicalize(R"({"a":1})").isObject);
        QVERIFY(!JsonCanonical::canonicalize("[1]").isObject);
    }

    void jsonInvalid_data() {
        QTest::addColumn<QByteArray>("input");
        QTest::newRow("truncated") << QByteArray(R"({"a":)");
        QTest::newRow("trailing") << QByteArray("{} x");
        QTest::newRow("single quotes") << QByteArray("{'a':1}");
        QTest::newRow("leading zero") << QByteArray("01");
        QTest::newRow("bare word") << QByteArray("nope");
        QTest::newRow("lone surrogate") << QByteArray(R"("\ud800")");
        QTest::newRow("control") << QByteArray("\"a\tb\"");
        QTest::newRow("invalid utf8") << QByteArray("\"\xff\"");
        QTest::newRow("empty") << QByteArray("");
    }
    void jsonInvalid() {
        QFETCH(QByteArray, input);
        const CanonicalJson j = JsonCanonical::canonicalize(input);
        QVERIFY(!j.ok);
        QVERIFY(!j.error.isEmpty());
    }

    void textBytes() {
        QVERIFY(TextBytes::isValidUtf8("plain \xc3\xa9 \xf0\x9f\x98\x80"));
        QVERIFY(!TextBytes::isValidUtf8("\xc0\xaf"));         // overlong
        QVERIFY(!TextBytes::isValidUtf8("\xed\xa0\x80"));     // surrogate
        QVERIFY(!TextBytes::isValidUtf8("\xf4\x90\x80\x80")); // > U+10FFFF
        QVERIFY(!TextBytes::isValidUtf8("\xe2\x82"));         // truncated
        QVERIFY(TextBytes::hasNul(QByteArray("a\0b", 3)));
        QCOMPARE(TextBytes::sanitized(QByteArray("a\0b\xff", 4)), QByteArray("ab\xef\xbf\xbd"));
        QCOMPARE(TextBytes::characterCount("h\xc3\xa9llo"), 5);
        QCOMPARE(TextBytes::truncatedToCharacters("h\xc3\xa9llo", 2), QByteArray("h\xc3\xa9"));
        QCOMPARE(TextBytes::truncatedToCharacters("abc", 10), QByteArray("abc"));
    }

    void normalizerPerType() {
        using K = NormalizedValue::Kind;
        auto n = [](LogicalType t, const RawValue& v) { return ValueNormalizer::normalize(t, v); };
        QCOMPARE(n(LogicalType::Boolean, RawValue::fromInteger(1)).bytes, QByteArray("t"));
        QCOMPARE(n(LogicalType::Boolean, RawValue::fromText("true")).bytes, QByteArray("t"));
        QCOMPARE(n(LogicalType::Boolean, RawValue::fromText("f")).bytes, QByteArray("f"));
        QCOMPARE(n(LogicalType::Boolean, RawValue::fromInteger(2)).kind, K::Invalid);
        QCOMPARE(n(LogicalType::Integer, RawValue::fromReal(7.0)).bytes, QByteArray("7"));
        QCOMPARE(n(LogicalType::Integer, RawValue::fromText("42")).bytes, QByteArray("42"));
        QCOMPARE(n(LogicalType::Integer, RawValue::fromText("4x")).kind, K::Invalid);
        QCOMPARE(n(LogicalType::Text, RawValue::fromInteger(5)).bytes, QByteArray("5"));
        QCOMPARE(n(LogicalType::Text, RawValue::fromReal(1.5)).bytes, QByteArray("1.5"));
        QCOMPARE(n(LogicalType::Text, RawValue::fromText(" a ")).bytes, QByteArray(" a "));
        QCOMPARE(n(LogicalType::Json, RawValue::fromText(R"({ "b":1,"a":2 })")).bytes,
                 QByteArray(R"({"a":2,"b":1})"));
        QCOMPARE(n(LogicalType::Json, RawValue::fromText("{bad")).kind, K::Invalid);
        QCOMPARE(n(LogicalType::Blob, RawValue::fromBlob(QByteArray("\0\xff", 2))).bytes,
                 QByteArray("\0\xff", 2));
        // NULL is not '' and '' is not NULL.
        QVERIFY(n(LogicalType::Text, RawValue()) != n(LogicalType::Text, RawValue::fromText("")));
        QVERIFY(n(LogicalType::Text, RawValue()).isNull());
        // Equal after normalization: the same instant in two shapes.
        QVERIFY(n(LogicalType::Timestamp, RawValue::fromReal(1755691200.0)) ==
                n(LogicalType::Timestamp, RawValue::fromText("2025-08-20 12:00:00+00")));
        QVERIFY(n(LogicalType::Timestamp, RawValue::fromReal(1755691200.000001)) !=
                n(LogicalType::Timestamp, RawValue::fromText("2025-08-20 12:00:00+00")));
    }

    void rowEncodingIsUnambiguous() {
        auto encode = [](const QList<RawValue>& row) {
            RowEncoder e;
            for (const RawValue& v : row)
                e.add(ValueNormalizer::normalize(LogicalType::Text, v));
            return e.bytes();
        };
        const RawValue null;
        QVERIFY(encode({null}) != encode({RawValue::fromText("")}));
        QVERIFY(encode({null}) != encode({RawValue::fromText("NULL")}));
        QVERIFY(encode({RawValue::fromText("a|b"), RawValue::fromText("c")}) !=
                encode({RawValue::fromText("a"), RawValue::fromText("b|c")}));
        QVERIFY(encode({RawValue::fromText("ab"), null}) !=
                encode({RawValue::fromText("a"), RawValue::fromText("b")}));
        QCOMPARE(encode({RawValue::fromText("x")}), encode({RawValue::fromText("x")}));
    }

    void rawValues() {
        QCOMPARE(RawValue::fromVariant(QVariant(qint64(5))).type, StorageType::Integer);
        QCOMPARE(RawValue::fromVariant(QVariant(2.5)).type, StorageType::Real);
        QCOMPARE(RawValue::fromVariant(QVariant(QByteArray("b"))).type, StorageType::Blob);
        QCOMPARE(RawValue::fromVariant(QVariant("t")).type, StorageType::Text);
        QVERIFY(RawValue::fromVariant(QVariant()).isNull());
        QCOMPARE(RawValue::fromBlob("\x01").display(), QString("x'01'"));
        QCOMPARE(RawValue::fromReal(0.1).display(), QString("0.10000000000000001"));
        QCOMPARE(storageTypeName(StorageType::Real), QString("real"));
        QVERIFY(RawValue::fromText("a") == RawValue::fromText("a"));
        QVERIFY(!(RawValue::fromText("a") == RawValue::fromBlob("a")));
    }

    void tableSpecs() {
        QCOMPARE(sharedContextTables().size(), 5);
        QCOMPARE(sharedContextTables().first().name, QString("sessions"));
        const TableSpec* messages = findTable("messages");
        QVERIFY(messages);
        QCOMPARE(messages->column("timestamp")->type, LogicalType::Timestamp);
        QCOMPARE(messages->column("metadata")->type, LogicalType::Json);
        QVERIFY(!messages->column("nope"));
        QVERIFY(!findTable("nope"));
        QCOMPARE(findTable("secure_tokens")->column("encrypted_jwt")->type, LogicalType::Blob);
        QCOMPARE(logicalTypeName(LogicalType::Boolean), QString("boolean"));
    }
};

QTEST_GUILESS_MAIN(TestValues)
#include "tst_values.moc"
