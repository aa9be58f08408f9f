// Every URL form of LEGACY_FORMAT.md, plus plain paths, sockets, pgpass and redaction.
#include "core/db/DatabaseUrl.h"
#include "core/db/PgPassFile.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace ctx;

class TestDatabaseUrl : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sqliteForms_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("path");
        QTest::newRow("relative") << "sqlite:///./chat_history.db"
                                  << "./chat_history.db";
        QTest::newRow("absolute") << "sqlite:////abs/path.db"
                                  << "/abs/path.db";
        QTest::newRow("aiosqlite") << "sqlite+aiosqlite:///./chat_history.db"
                                   << "./chat_history.db";
        QTest::newRow("plain path") << "/var/lib/x/chat_history.db"
                                    << "/var/lib/x/chat_history.db";
        QTest::newRow("plain relative") << "data/chat.db"
                                        << "data/chat.db";
        QTest::newRow("windows path") << "C:\\Users\\a\\chat_history.db"
                                      << "C:\\Users\\a\\chat_history.db";
        QTest::newRow("percent") << "sqlite:////tmp/my%20file.db"
                                 << "/tmp/my file.db";
    }
    void sqliteForms() {
        QFETCH(QString, text);
        QFETCH(QString, path);
        auto url = DatabaseUrl::parse(text);
        QVERIFY2(url, qPrintable(url.error().oneLine()));
        QCOMPARE(url->engine(), Engine::Sqlite);
        QCOMPARE(url->filePath(), path);
    }

    void postgresForms() {
        auto url = DatabaseUrl::parse(
            "postgresql+asyncpg://agent:s3cr%40t@db.example:6543/ctx?sslmode=require&"
            "application_name=scs");
        QVERIFY(url);
        QCOMPARE(url->engine(), Engine::Postgres);
        QCOMPARE(url->user(), QString("agent"));
        QCOMPARE(url->password(), QString("s3cr@t"));
        QCOMPARE(url->host(), QString("db.example"));
        QCOMPARE(url->port(), 6543);
        QCOMPARE(url->database(), QString("ctx"));
        QCOMPARE(url->sslMode(), QString("require"));
        QCOMPARE(url->parameter("application_name"), QString("scs"));

        auto short_ = DatabaseUrl::parse("postgres://u@localhost/db");
        QVERIFY(short_);
        QCOMPARE(short_->port(), 5432);
        QVERIFY(!short_->hasPassword());
        QCOMPARE(short_->sslMode(), QString("prefer"));
    }

    void socketHosts() {
        auto encoded = DatabaseUrl::parse("postgresql://u@%2Fvar%2Frun%2Fpostgresql/db");
        QVERIFY(encoded);
        QCOMPARE(encoded->host(), QString("/var/run/postgresql"));
        QVERIFY(encoded->hostIsSocketDirectory());
        auto query = DatabaseUrl::parse("postgresql:///db?host=/tmp/sock&port=5433");
        QVERIFY(query);
        QCOMPARE(query->host(), QString("/tmp/sock"));
        QCOMPARE(query->port(), 5433);
        QCOMPARE(query->database(), QString("db"));
        auto v6 = DatabaseUrl::parse("postgresql://u@[::1]:5499/db");
        QVERIFY(v6);
        QCOMPARE(v6->host(), QString("::1"));
        QCOMPARE(v6->port(), 5499);
    }

    void badInput_data() {
        QTest::addColumn<QString>("text");
        QTest::newRow("empty") << "";
        QTest::newRow("scheme") << "mysql://u@h/db";
        QTest::newRow("port") << "postgresql://u@h:99999/db";
        QTest::newRow("port text") << "postgresql://u@h:abc/db";
        QTest::newRow("sslmode") << "postgresql://u@h/db?sslmode=always";
        QTest::newRow("sqlite no file") << "sqlite:///";
    }
    void badInput() {
        QFETCH(QString, text);
        auto url = DatabaseUrl::parse(text);
        QVERIFY(!url);
        QCOMPARE(url.error().code, ErrorCode::InvalidArgument);
        QVERIFY(!url.error().oneLine().contains('\n'));
    }

    void redactsPassword() {
        auto url = DatabaseUrl::parse("postgresql://agent:hunter2@h:5432/db?sslmode=disable");
        QVERIFY(url);
        QVERIFY(!url->redacted().contains("hunter2"));
        QCOMPARE(url->redacted(), QString("postgresql://agent:***@h:5432/db?sslmode=disable"));
        auto bad = DatabaseUrl::parse("postgresql://agent:hunter2@h:0/db");
        QVERIFY(!bad);
        QVERIFY(!bad.error().oneLine().contains("hunter2"));
    }

    void passwordFromEnvironment() {
        qputenv("PGPASSWORD", "fromenv");
        auto url = DatabaseUrl::parse("postgresql://u@h/db");
        QVERIFY(url);
        url->resolvePassword();
        qunsetenv("PGPASSWORD");
        QCOMPARE(url->password(), QString("fromenv"));
        auto explicitPw = DatabaseUrl::parse("postgresql://u:given@h/db");
        qputenv("PGPASSWORD", "fromenv");
        explicitPw->resolvePassword();
        qunsetenv("PGPASSWORD");
        QCOMPARE(explicitPw->password(), QString("given"));
    }

    void passwordFromPgpass() {
        QTemporaryDir dir;
        const QString path = dir.filePath("pgpass");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("# comment\nother:5432:*:*:nope\nh:5432:db:u:pa\\:ss\n*:*:*:u:fallback\n");
        f.close();
        QCOMPARE(PgPassFile::lookup(path, "h", 5432, "db", "u").value_or(""), QString("pa:ss"));
        QCOMPARE(PgPassFile::lookup(path, "x", 1, "db", "u").value_or(""), QString("fallback"));
        QVERIFY(!PgPassFile::lookup(path, "x", 1, "db", "v"));
        qputenv("PGPASSFILE", path.toLocal8Bit());
        auto url = DatabaseUrl::parse("postgresql://u@h:5432/db");
        url->resolvePassword();
        qunsetenv("PGPASSFILE");
        QCOMPARE(url->password(), QString("pa:ss"));
    }
};

QTEST_GUILESS_MAIN(TestDatabaseUrl)
#include "tst_database_url.moc"
