#include "TestDatabases.h"

#include <QAtomicInteger>
#include <QCoreApplication>
#include <QUuid>

namespace ctx::test {

Engine engineUnderTest() {
    const QByteArray name = qgetenv("CTX_TEST_ENGINE");
    if (name == "postgres")
        return Engine::Postgres;
    if (name == "sqlite" || name.isEmpty())
        return Engine::Sqlite;
    // A typo must not quietly test SQLite under a PostgreSQL test's name.
    qFatal("CTX_TEST_ENGINE=%s: expected sqlite or postgres", name.constData());
}

Result<DatabaseUrl> postgresServer() {
    // CTX_TEST_PG_VIA=pooler: the same server through pgbouncer in transaction mode
    // (scripts/pg-sandbox run --pooler), as managed services hand it out.
    const bool pooler = qgetenv("CTX_TEST_PG_VIA") == "pooler";
    const char* variable = pooler ? "CTX_TEST_PG_POOLER_URL" : "CTX_TEST_PG_URL";
    const QString text = QString::fromLocal8Bit(qgetenv(variable));
    if (text.isEmpty())
        return fail(
            ErrorCode::NotFound,
            QStringLiteral("%1 is not set: run the tests through scripts/test (it "
                           "starts scripts/pg-sandbox%2)")
                .arg(QLatin1String(variable), pooler ? QStringLiteral(" --pooler") : QString()));
    auto url = DatabaseUrl::parse(text);
    // CTX_TEST_PG_VIA=tls: sslmode=require, as managed services are reached.
    if (url && qgetenv("CTX_TEST_PG_VIA") == "tls")
        url->setParameter(QStringLiteral("sslmode"), QStringLiteral("require"));
    return url;
}

Result<DatabaseUrl> postgresSessionPort() {
    const QString text = QString::fromLocal8Bit(qgetenv("CTX_TEST_PG_URL"));
    if (text.isEmpty())
        return fail(ErrorCode::NotFound,
                    QStringLiteral("CTX_TEST_PG_URL is not set: run the tests through "
                                   "scripts/test (it starts scripts/pg-sandbox)"));
    return DatabaseUrl::parse(text);
}

Result<DatabaseUrl> postgresAdmin() {
    const QString text = QString::fromLocal8Bit(qgetenv("CTX_TEST_PG_ADMIN_URL"));
    if (text.isEmpty())
        return fail(ErrorCode::NotFound,
                    QStringLiteral("CTX_TEST_PG_ADMIN_URL is not set: run the tests through "
                                   "scripts/test (it starts scripts/pg-sandbox)"));
    return DatabaseUrl::parse(text);
}

Status execAsReplica(const DatabaseUrl& database, const QString& sql) {
    auto admin = postgresAdmin();
    if (!admin)
        return std::unexpected(admin.error());
    ConnectionOptions w;
    w.readOnly = false;
    auto conn = Connection::open(admin->withDatabase(database.database()), w);
    if (!conn)
        return std::unexpected(conn.error());
    if (auto replica = (*conn)->exec(QStringLiteral("SET session_replication_role = replica"));
        !replica)
        return std::unexpected(replica.error());
    return toStatus((*conn)->exec(sql));
}

Status createPostgresDatabase(const DatabaseUrl& server, const QString& name) {
    ConnectionOptions o;
    o.readOnly = false;
    auto admin = Connection::open(server, o);
    if (!admin)
        return std::unexpected(admin.error());
    // CTX_TEST_PG_COLLATION=icu: the database's default collation is ICU's en-US, where
    // '_z' < 'a' < 'A' < 'b', as on many managed servers; byte order must still hold
    // wherever the code relies on it (keyset paging, the diff's merge of text keys).
    const bool icu = qgetenv("CTX_TEST_PG_COLLATION") == "icu";
    const QString locale = icu ? QStringLiteral("LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE "
                                                "'C.UTF-8'")
                               : QStringLiteral("LC_COLLATE 'C' LC_CTYPE 'C'");
    return toStatus(
        (*admin)->exec(QStringLiteral("CREATE DATABASE %1 TEMPLATE template0 ENCODING 'UTF8' %2")
                           .arg(Dialect::quoteIdentifier(name), locale)));
}

Status dropPostgresDatabase(const DatabaseUrl& server, const QString& name) {
    ConnectionOptions o;
    o.readOnly = false;
    auto admin = Connection::open(server, o);
    if (!admin)
        return std::unexpected(admin.error());
    return toStatus((*admin)->exec(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)")
                                       .arg(Dialect::quoteIdentifier(name))));
}

Result<std::unique_ptr<ScratchDatabase>> ScratchDatabase::create(Engine engine,
                                                                 const QString& tag) {
    std::unique_ptr<ScratchDatabase> db(new ScratchDatabase);
    if (!db->m_dir.isValid())
        return fail(ErrorCode::Io, QStringLiteral("cannot create a temporary directory"));
    if (engine == Engine::Sqlite) {
        db->m_url = DatabaseUrl::sqliteFile(db->m_dir.filePath(tag + QStringLiteral(".db")));
        return db;
    }
    auto server = postgresServer();
    if (!server)
        return std::unexpected(server.error());
    static QAtomicInteger<int> counter;
    db->m_server = *server;
    db->m_pgName = QStringLiteral("ctxtest_%1_%2_%3")
                       .arg(tag.toLower().left(20))
                       .arg(QCoreApplication::applicationPid())
                       .arg(counter.fetchAndAddRelaxed(1));
    if (auto ok = createPostgresDatabase(*server, db->m_pgName); !ok)
        return std::unexpected(ok.error());
    db->m_url = server->withDatabase(db->m_pgName);
    if (qgetenv("CTX_TEST_PG_VIA") == "tls") { // the variant must really be encrypted
        auto conn = db->connect(true);
        if (!conn)
            return std::unexpected(conn.error());
        auto ssl = (*conn)->scalar(
            QStringLiteral("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"));
        if (!ssl || !ssl->toBool())
            return fail(ErrorCode::ConnectionFailed,
                        QStringLiteral("CTX_TEST_PG_VIA=tls, but the session is not encrypted"));
    }
    return db;
}

ScratchDatabase::~ScratchDatabase() {
    if (!m_pgName.isEmpty())
        (void)dropPostgresDatabase(m_server, m_pgName);
}

Result<std::unique_ptr<Connection>> ScratchDatabase::connect(bool readOnly) const {
    ConnectionOptions o;
    o.readOnly = readOnly;
    o.createIfMissing = !readOnly;
    return Connection::open(m_url, o);
}

QString urlWithPassword(const DatabaseUrl& url) {
    return url.redacted().replace(QStringLiteral("***"), url.password());
}

} // namespace ctx::test
