#pragma once

// A fresh database at the current schema on the engine under test, for the store
// tests (tst_store*.cpp): one test source, run against SQLite and PostgreSQL.
#include "core/schema/SchemaMigrator.h"
#include "core/store/Store.h"
#include "support/TestDatabases.h"

#include <QtTest>

namespace ctx::test {

struct StoreFixture {
    std::unique_ptr<ScratchDatabase> db;
    std::unique_ptr<Connection> conn;

    // Returns an empty string on success, else why it failed.
    QString init(const QString& tag) {
        auto scratch = ScratchDatabase::create(engineUnderTest(), tag);
        if (!scratch)
            return scratch.error().oneLine();
        db = std::move(*scratch);
        auto c = db->connect(false);
        if (!c)
            return c.error().oneLine();
        conn = std::move(*c);
        auto up = SchemaMigrator::applyPending(*conn, {});
        if (!up)
            return up.error().oneLine();
        return {};
    }

    qint64 count(const QString& table, const QString& where = {},
                 const QVariantList& binds = {}) const {
        auto n = conn->scalar(QStringLiteral("SELECT count(*) FROM %1%2")
                                  .arg(table, where.isEmpty() ? QString() : " WHERE " + where),
                              binds);
        return n ? n->toLongLong() : -1;
    }

    QString newSession(const QString& purpose = QStringLiteral("test session")) {
        auto id = SessionStore(*conn).create(purpose, QStringLiteral("tester"));
        return id ? *id : QString();
    }

    qint64 add(const QString& session, const QString& sender, const QString& content,
               const QString& visibility = QStringLiteral("public"),
               std::optional<qint64> parent = std::nullopt, const QString& metadata = {}) {
        NewMessage m;
        m.sessionId = session;
        m.sender = sender;
        m.content = content;
        m.visibility = visibility;
        m.parentId = parent;
        m.metadataJson = metadata;
        auto id = MessageStore(*conn).add(m);
        return id ? *id : -1;
    }

    // A message with a chosen stored timestamp (NULL when micros is empty).
    qint64 addAt(const QString& session, std::optional<qint64> micros, const QString& content) {
        const Dialect& d = conn->dialect();
        auto r = conn->scalar(
            QStringLiteral("INSERT INTO messages (session_id, sender, content, visibility, "
                           "message_type, \"timestamp\") VALUES (?, 'timer', ?, 'public', "
                           "'agent_response', %1) RETURNING id")
                .arg(d.timestampParameter()),
            {session, content, micros ? d.timestampBinding(*micros) : QVariant()});
        return r ? r->toLongLong() : -1;
    }
};

} // namespace ctx::test
