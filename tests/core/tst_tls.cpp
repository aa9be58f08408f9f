// TLS against the sandbox: the test makes its own CA and server certificate, turns on
// ssl in the sandbox, and checks that verify-full works and a wrong CA or host name
// is refused with a clear message.
#include "core/db/Connection.h"
#include "support/TestDatabases.h"

#include <QDir>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace ctx;
using namespace ctx::test;

namespace {
bool run(const QString& program, const QStringList& args, const QString& dir) {
    QProcess p;
    p.setWorkingDirectory(dir);
    p.start(program, args);
    return p.waitForFinished(60000) && p.exitCode() == 0;
}

// A CA and a certificate signed by it for `name`, in dir as <prefix>ca.pem etc.
bool makeCertificates(const QString& dir, const QString& prefix, const QString& san) {
    const QString ca = prefix + "ca";
    return run("openssl",
               {"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                "/CN=Context Studio Test CA " + prefix, "-keyout", ca + ".key", "-out",
                ca + ".pem"},
               dir) &&
           run("openssl",
               {"req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout",
                prefix + "server.key", "-out", prefix + "server.csr"},
               dir) &&
           run("sh", {"-c", "printf 'subjectAltName=" + san + "\\n' > " + prefix + "ext.cnf"},
               dir) &&
           run("openssl",
               {"x509", "-req", "-in", prefix + "server.csr", "-CA", ca + ".pem", "-CAkey",
                ca + ".key", "-CAcreateserial", "-days", "2", "-extfile", prefix + "ext.cnf",
                "-out", prefix + "server.pem"},
               dir);
}
} // namespace

class TestTls : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    DatabaseUrl m_server;

private Q_SLOTS:
    void initTestCase() {
        auto server = postgresServer();
        QVERIFY2(server, server ? "" : qPrintable(server.error().oneLine()));
        m_server = *server;
        const QString sandbox = QString::fromLocal8Bit(qgetenv("CTX_PG_SANDBOX_DIR"));
        QVERIFY2(!sandbox.isEmpty() && QDir(sandbox + "/data").exists(),
                 "CTX_PG_SANDBOX_DIR must name the running scripts/pg-sandbox directory");
        QVERIFY(makeCertificates(m_dir.path(), "good-", "DNS:localhost"));
        QVERIFY(makeCertificates(m_dir.path(), "other-", "DNS:localhost"));
        // Install the server certificate where the sandbox's server can read it.
        const QString data = sandbox + "/data";
        for (const QString& f : {QString("server.pem"), QString("server.key")}) {
            QFile::remove(data + "/test-" + f);
            QVERIFY(QFile::copy(m_dir.filePath("good-" + f), data + "/test-" + f));
        }
        QVERIFY(run("sh",
                    {"-c", "chown --reference=" + data + " " + data +
                               "/test-server.* && "
                               "chmod 600 " +
                               data + "/test-server.key"},
                    data));
        ConnectionOptions o;
        o.readOnly = false;
        auto superuser = postgresAdmin(); // ALTER SYSTEM is the superuser's
        QVERIFY2(superuser, superuser ? "" : qPrintable(superuser.error().oneLine()));
        auto admin = Connection::open(*superuser, o);
        QVERIFY(admin);
        QVERIFY((*admin)->execAll({"ALTER SYSTEM SET ssl_cert_file = 'test-server.pem'",
                                   "ALTER SYSTEM SET ssl_key_file = 'test-server.key'",
                                   "ALTER SYSTEM SET ssl = on", "SELECT pg_reload_conf()"}));
        // The reload is asynchronous: wait until a new session sees SSL on.
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                auto probe = Connection::open(m_server, o);
                auto on = probe ? (*probe)->scalar(QStringLiteral("SHOW ssl")) : Result<QVariant>();
                return on && on->toString() == QLatin1String("on");
            }(),
            10000);
    }

    void verifyFullWorks() {
        DatabaseUrl url = m_server.withDatabase("postgres");
        url = *DatabaseUrl::parse(QString(url.redacted())
                                      .replace("127.0.0.1", "localhost")
                                      .replace("***", m_server.password()));
        url.setParameter("sslmode", "verify-full");
        url.setParameter("sslrootcert", m_dir.filePath("good-ca.pem"));
        auto conn = Connection::open(url);
        QVERIFY2(conn, conn ? "" : qPrintable(conn.error().oneLine()));
        QCOMPARE(
            (*conn)->scalar("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")->toBool(),
            true);
    }

    void wrongCaIsRefused() {
        DatabaseUrl url = *DatabaseUrl::parse(QString(m_server.redacted())
                                                  .replace("127.0.0.1", "localhost")
                                                  .replace("***", m_server.password()));
        url.setParameter("sslmode", "verify-full");
        url.setParameter("sslrootcert", m_dir.filePath("other-ca.pem"));
        auto conn = Connection::open(url);
        QVERIFY(!conn);
        QCOMPARE(conn.error().code, ErrorCode::ConnectionFailed);
        QVERIFY2(conn.error().oneLine().contains("certificate verify failed"),
                 qPrintable(conn.error().oneLine()));
        QVERIFY(!conn.error().oneLine().contains(m_server.password()));
    }

    void wrongHostNameIsRefused() {
        DatabaseUrl url = m_server; // 127.0.0.1: not the certificate's name
        url.setParameter("sslmode", "verify-full");
        url.setParameter("sslrootcert", m_dir.filePath("good-ca.pem"));
        auto conn = Connection::open(url);
        QVERIFY(!conn);
        QVERIFY2(conn.error().oneLine().contains("does not match host name"),
                 qPrintable(conn.error().oneLine()));
    }

    void cleanupTestCase() {
        ConnectionOptions o;
        o.readOnly = false;
        auto superuser = postgresAdmin();
        if (!superuser)
            return;
        if (auto admin = Connection::open(*superuser, o))
            (void)(*admin)->execAll({"ALTER SYSTEM RESET ssl", "SELECT pg_reload_conf()"});
    }
};

QTEST_GUILESS_MAIN(TestTls)
#include "tst_tls.moc"
