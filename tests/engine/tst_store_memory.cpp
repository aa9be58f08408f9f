// Agent memory (upsert, overwrite flag, TTL, prefix), audit, tokens, cleanup and
// health on the engine under test.
#include "tst_store_fixture.h"

using namespace ctx;
using namespace ctx::test;

class TestStoreMemory : public QObject {
    Q_OBJECT

private:
    StoreFixture f;

    MemoryWrite write(const QString& agent, const QString& key, const QString& value,
                      const QString& session = {}) {
        MemoryWrite w;
        w.agentId = agent;
        w.key = key;
        w.value = value;
        w.sessionId = session;
        return w;
    }
    // A row written directly, with chosen times (for expiry without waiting).
    void plantMemory(const QString& agent, const QString& key, qint64 created, qint64 expires) {
        const Dialect& d = f.conn->dialect();
        auto r = f.conn->exec(
            QStringLiteral("INSERT INTO agent_memory (agent_id, session_id, key, value, metadata, "
                           "created_at, updated_at, expires_at) VALUES (?, NULL, ?, 'v', %1, %2, "
                           "%2, %2)")
                .arg(d.jsonParameter(), d.timestampParameter()),
            {agent, key, "{}", d.timestampBinding(created), d.timestampBinding(created),
             d.timestampBinding(expires)});
        QVERIFY2(r.has_value(), r ? "" : qPrintable(r.error().oneLine()));
    }
    static qint64 now() { return QDateTime::currentMSecsSinceEpoch() * 1000; }

private Q_SLOTS:
    void initTestCase() {
        const QString why = f.init(QStringLiteral("storemem"));
        QVERIFY2(why.isEmpty(), qPrintable(why));
    }

    void setGetGlobalAndSession() {
        MemoryStore memory(*f.conn);
        const QString s = f.newSession();
        QVERIFY(memory.set(write("claude", "pref.theme", R"({"theme":"dark"})")).has_value());
        QVERIFY(memory.set(write("claude", "pref.theme", "session value", s)).has_value());
        auto global = memory.get("claude", "pref.theme");
        QVERIFY(global.has_value() && global->has_value());
        QCOMPARE((*global)->value, QString(R"({"theme":"dark"})"));
        QVERIFY((*global)->sessionId.isEmpty());
        auto scoped = memory.get("claude", "pref.theme", s);
        QCOMPARE((*scoped)->value, QString("session value"));
        QCOMPARE((*scoped)->sessionId, s);
        QVERIFY(!memory.get("gemini", "pref.theme")->has_value());
        // overwrite on: one row, the new value
        QVERIFY(memory.set(write("claude", "pref.theme", "light")).has_value());
        QCOMPARE((*memory.get("claude", "pref.theme"))->value, QString("light"));
        QCOMPARE(f.count("agent_memory", "agent_id = 'claude' AND session_id IS NULL"), 1);
        // overwrite off: Conflict, nothing changed
        MemoryWrite keep = write("claude", "pref.theme", "other");
        keep.overwrite = false;
        QCOMPARE(memory.set(keep).error().code, ErrorCode::Conflict);
        QCOMPARE((*memory.get("claude", "pref.theme"))->value, QString("light"));
        keep.key = "pref.new";
        QVERIFY(memory.set(keep).has_value()); // a new key is fine
    }

    void invalidWritesWriteNothing() {
        MemoryStore memory(*f.conn);
        const qint64 before = f.count("agent_memory");
        QList<MemoryWrite> bad;
        bad << write("a", "", "v") << write("a", "has space", "v") << write("a", "tab\tkey", "v")
            << write("a", QString(256, QChar('k')), "v") << write("", "k", "v")
            << write("a", "k", "  ") << write("a", "k", "v", "session_bad");
        MemoryWrite ttl = write("a", "k", "v");
        ttl.ttlSeconds = -1;
        bad << ttl;
        ttl.ttlSeconds = 31536001;
        bad << ttl;
        MemoryWrite json = write("a", "k", "v");
        json.metadataJson = "{oops";
        bad << json;
        for (const MemoryWrite& w : bad) {
            auto r = memory.set(w);
            QVERIFY2(!r.has_value(), qPrintable(w.key));
            QCOMPARE(r.error().code, ErrorCode::InvalidArgument);
        }
        QCOMPARE(memory.set(write("a", "k", "v", "session_00000000000000aa")).error().code,
                 ErrorCode::NotFound);
        QCOMPARE(f.count("agent_memory"), before);
        QVERIFY(MemoryStore::isValidKey(QString(255, QChar('k'))));
        MemoryWrite longest = write("a", "ttl.max", "v");
        longest.ttlSeconds = 31536000;
        QVERIFY(memory.set(longest).has_value());
        QVERIFY((*memory.get("a", "ttl.max"))->expiresAt.has_value());
    }

    void expiredEntriesAreNeverReturned() {
        MemoryStore memory(*f.conn);
        plantMemory("ttl-agent", "gone", now() - 7200000000LL, now() - 3600000000LL);
        plantMemory("ttl-agent", "alive", now() - 7200000000LL, now() + 3600000000LL);
        QVERIFY(!memory.get("ttl-agent", "gone")->has_value());
        QVERIFY(memory.get("ttl-agent", "alive")->has_value());
        MemoryQuery q;
        q.agentId = "ttl-agent";
        auto list = memory.list(q);
        QCOMPARE(list->size(), 1);
        QCOMPARE(list->first().key, QString("alive"));
        q.includeExpired = true; // the inspector's view: expired entries too, to dim them
        auto everything = memory.list(q);
        QCOMPARE(everything->size(), 2);
        QCOMPARE(everything->first().key, QString("alive"));
        QVERIFY(*everything->last().expiresAt < now());
        // an expired key may be written again even with overwrite off
        MemoryWrite again = write("ttl-agent", "gone", "fresh");
        again.overwrite = false;
        QVERIFY(memory.set(again).has_value());
        QCOMPARE((*memory.get("ttl-agent", "gone"))->value, QString("fresh"));
        QVERIFY(!(*memory.get("ttl-agent", "gone"))->expiresAt.has_value());
    }

    void listByPrefixAndScope() {
        MemoryStore memory(*f.conn);
        const QString s = f.newSession();
        for (const char* k : {"task.a", "task.b", "task_c", "taskx", "other"})
            QVERIFY(memory.set(write("lister", k, "v")).has_value());
        QVERIFY(memory.set(write("lister", "task.s", "v", s)).has_value());
        MemoryQuery q;
        q.agentId = "lister";
        q.prefix = "task.";
        auto keysOf = [&](const MemoryQuery& query) {
            QStringList keys;
            const auto entries = memory.list(query);
            for (const MemoryEntry& e : entries.value_or(QList<MemoryEntry>{}))
                keys << e.key;
            return keys;
        };
        QCOMPARE(keysOf(q), QStringList({"task.a", "task.b", "task.s"}));
        q.global = true;
        QCOMPARE(keysOf(q), QStringList({"task.a", "task.b"}));
        q.global = false;
        q.sessionId = s;
        q.prefix = "task_"; // '_' is not a wildcard
        QCOMPARE(memory.list(q)->size(), 0);
        q.prefix.clear();
        QCOMPARE(memory.list(q)->size(), 1);
    }

    void auditAppendAndQuery() {
        AuditStore audit(*f.conn);
        const QString s = f.newSession();
        AuditEvent e;
        e.eventType = "message_added";
        e.agentId = "auditor";
        e.sessionId = s;
        e.metadataJson = R"({"id": 7})";
        QVERIFY(audit.append(e).has_value());
        e.eventType = "login";
        e.sessionId.clear();
        e.timestamp = now() - 40LL * 86400 * 1000000; // 40 days ago
        QVERIFY(audit.append(e).has_value());
        AuditQuery q;
        q.agentId = "auditor";
        QCOMPARE(audit.query(q)->size(), 2);
        q.eventType = "login";
        auto logins = audit.query(q);
        QCOMPARE(logins->size(), 1);
        QVERIFY(qAbs(*logins->first().timestamp - *e.timestamp) < 1000);
        q.eventType.clear();
        q.sessionId = s;
        QCOMPARE(audit.query(q)->first().metadataJson.remove(' '), QString(R"({"id":7})"));
        q.sessionId.clear();
        q.since = now() - 86400LL * 1000000;
        QCOMPARE(audit.query(q)->size(), 1);
        q.since.reset();
        q.until = now() - 86400LL * 1000000;
        QCOMPARE(audit.query(q)->size(), 1);
        AuditEvent bad;
        bad.agentId = "x";
        QCOMPARE(audit.append(bad).error().code, ErrorCode::InvalidArgument);
    }

    void tokensCarryBytesUndecoded() {
        const Dialect& d = f.conn->dialect();
        const QByteArray bytes("gAAAA\x00\xff\x80\xfe\x01\x02", 11);
        auto r = f.conn->exec(
            QStringLiteral("INSERT INTO secure_tokens (token_id, encrypted_jwt, agent_id, "
                           "expires_at, created_at) VALUES (?, ?, 'tok-agent', %1, %1), (?, ?, "
                           "'tok-agent', %1, %1)")
                .arg(d.timestampParameter()),
            {"sct_live", bytes, d.timestampBinding(now() + 3600000000LL), d.timestampBinding(now()),
             "sct_dead", QByteArray(1, '\0'), d.timestampBinding(now() - 1000000),
             d.timestampBinding(now() - 5000000)});
        QVERIFY2(r.has_value(), r ? "" : qPrintable(r.error().oneLine()));
        auto tokens = TokenStore(*f.conn).list("tok-agent");
        QVERIFY(tokens.has_value());
        QCOMPARE(tokens->size(), 2);
        QCOMPARE(tokens->at(0).tokenId, QString("sct_live"));
        QCOMPARE(tokens->at(0).byteLength, 11);
        QVERIFY(!tokens->at(0).expired);
        QCOMPARE(tokens->at(1).byteLength, 1);
        QVERIFY(tokens->at(1).expired);
    }

    void cleanupCountsThenDeletes() {
        plantMemory("cleaner", "old.1", now() - 7200000000LL, now() - 3600000000LL);
        plantMemory("cleaner", "old.2", now() - 7200000000LL, now() - 1000000);
        StoreMaintenance maintenance(*f.conn);
        CleanupOptions dry;
        dry.dryRun = true;
        auto counted = maintenance.cleanup(dry);
        QVERIFY(counted.has_value());
        const qint64 expiredMemory = counted->expiredMemory;
        QVERIFY(expiredMemory >= 2);
        QCOMPARE(counted->expiredTokens, 1); // sct_dead
        QCOMPARE(counted->oldAudit, 1);      // the login 40 days ago
        const qint64 memoryRows = f.count("agent_memory");
        QCOMPARE(f.count("secure_tokens"), 2);
        auto done = maintenance.cleanup({});
        QCOMPARE(done->expiredMemory, expiredMemory);
        QCOMPARE(done->expiredTokens, 1);
        QCOMPARE(done->oldAudit, 1);
        QCOMPARE(f.count("agent_memory"), memoryRows - expiredMemory);
        QCOMPARE(f.count("secure_tokens"), 1);
        auto again = maintenance.cleanup({});
        QCOMPARE(again->expiredMemory + again->expiredTokens + again->oldAudit, 0);
        CleanupOptions negative;
        negative.auditDays = -1;
        QCOMPARE(maintenance.cleanup(negative).error().code, ErrorCode::InvalidArgument);
    }

    void healthReportsEngineAndCounts() {
        auto h = StoreMaintenance(*f.conn).health();
        QVERIFY2(h.has_value(), h ? "" : qPrintable(h.error().oneLine()));
        QCOMPARE(h->engine, engineName(engineUnderTest()));
        QVERIFY(!h->serverVersion.isEmpty());
        QCOMPARE(h->schemaVersion, MigrationCatalog::latestVersion(engineUnderTest()));
        QCOMPARE(h->rowCounts.size(), 5);
        for (const auto& [table, n] : h->rowCounts)
            QCOMPARE(n, f.count(table));
        QVERIFY(h->fileBytes > 0);
        if (engineUnderTest() == Engine::Sqlite) {
            // The writable test connection keeps the file in WAL mode: the figure is the
            // -wal file's size as the file system reports it, not a placeholder.
            const QFileInfo wal(f.db->url().filePath() + QStringLiteral("-wal"));
            QVERIFY(wal.exists());
            QCOMPARE(h->walBytes, wal.size());
        } else {
            QCOMPARE(h->walBytes, -1); // PostgreSQL has no such file
        }
    }
};

QTEST_GUILESS_MAIN(TestStoreMemory)
#include "tst_store_memory.moc"
