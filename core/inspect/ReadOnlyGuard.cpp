#include "ReadOnlyGuard.h"

#include <QSet>
#include <sqlite3.h>

namespace ctx {

namespace {

QString refuse(const QString& what) {
    return QStringLiteral("read-only mode does not run %1; switch to write mode").arg(what);
}

// Statements that change the session, the transaction or files, whatever they name.
const QSet<QString>& refusedKeywords() {
    static const QSet<QString> words{
        QStringLiteral("set"),        QStringLiteral("reset"),      QStringLiteral("begin"),
        QStringLiteral("start"),      QStringLiteral("commit"),     QStringLiteral("end"),
        QStringLiteral("rollback"),   QStringLiteral("abort"),      QStringLiteral("savepoint"),
        QStringLiteral("release"),    QStringLiteral("attach"),     QStringLiteral("detach"),
        QStringLiteral("vacuum"),     QStringLiteral("copy"),       QStringLiteral("call"),
        QStringLiteral("do"),         QStringLiteral("prepare"),    QStringLiteral("execute"),
        QStringLiteral("deallocate"), QStringLiteral("listen"),     QStringLiteral("unlisten"),
        QStringLiteral("notify"),     QStringLiteral("lock"),       QStringLiteral("discard"),
        QStringLiteral("load"),       QStringLiteral("checkpoint"), QStringLiteral("reindex"),
        QStringLiteral("analyze"),    QStringLiteral("analyse"),    QStringLiteral("cluster"),
        QStringLiteral("refresh"),    QStringLiteral("import"),     QStringLiteral("security"),
        QStringLiteral("reassign"),   QStringLiteral("declare"),    QStringLiteral("fetch"),
        QStringLiteral("move"),       QStringLiteral("close")};
    return words;
}

// Built-in functions whose effect outlives a rolled-back READ ONLY transaction, or
// that reach outside it.
bool refusedFunction(const QString& name, Engine engine) {
    static const QSet<QString> postgres{QStringLiteral("pg_terminate_backend"),
                                        QStringLiteral("pg_cancel_backend"),
                                        QStringLiteral("set_config"),
                                        QStringLiteral("pg_notify"),
                                        QStringLiteral("pg_reload_conf"),
                                        QStringLiteral("pg_rotate_logfile"),
                                        QStringLiteral("pg_promote"),
                                        QStringLiteral("pg_switch_wal"),
                                        QStringLiteral("pg_create_restore_point"),
                                        QStringLiteral("pg_backup_start"),
                                        QStringLiteral("pg_backup_stop"),
                                        QStringLiteral("pg_log_backend_memory_contexts"),
                                        QStringLiteral("pg_logical_emit_message"),
                                        QStringLiteral("pg_import_system_collations"),
                                        QStringLiteral("nextval"),
                                        QStringLiteral("setval"),
                                        QStringLiteral("lowrite"),
                                        QStringLiteral("lo_import"),
                                        QStringLiteral("lo_export"),
                                        QStringLiteral("lo_unlink"),
                                        QStringLiteral("lo_create"),
                                        QStringLiteral("lo_creat"),
                                        QStringLiteral("lo_from_bytea"),
                                        QStringLiteral("lo_put"),
                                        QStringLiteral("lo_open"),
                                        QStringLiteral("lo_truncate"),
                                        QStringLiteral("lo_truncate64")};
    static const QSet<QString> sqlite{QStringLiteral("load_extension"), QStringLiteral("writefile"),
                                      QStringLiteral("edit"), QStringLiteral("fts3_tokenizer")};
    if (engine == Engine::Sqlite)
        return sqlite.contains(name);
    static const QStringList prefixes{
        QStringLiteral("pg_advisory_"),  QStringLiteral("pg_try_advisory_"),
        QStringLiteral("dblink"),        QStringLiteral("pg_file_"),
        QStringLiteral("pg_stat_reset"), QStringLiteral("pg_replication_"),
        QStringLiteral("pg_create_"),    QStringLiteral("pg_drop_replication"),
        QStringLiteral("pg_copy_"),      QStringLiteral("pg_wal_replay_")};
    if (postgres.contains(name))
        return true;
    for (const QString& p : prefixes) {
        if (name.startsWith(p))
            return true;
    }
    return false;
}

bool isName(const SqlToken& t) {
    return t.kind == SqlToken::Kind::Word || t.kind == SqlToken::Kind::QuotedIdentifier;
}

bool isSymbol(const QString& text, const SqlToken& t, QChar c) {
    return t.kind == SqlToken::Kind::Symbol && text.at(t.offset) == c;
}

// PRAGMA [schema.]name [= value | (value)]
QString pragmaRefusal(const QString& text, const QList<SqlToken>& code) {
    qsizetype at = 1;
    if (at + 2 < code.size() && isSymbol(text, code.at(at + 1), QLatin1Char('.')))
        at += 2;
    if (at >= code.size() || !isName(code.at(at)))
        return {};
    const QString name = code.at(at).value.toLower();
    const bool hasArgument = at + 1 < code.size();
    if (!ReadOnlyGuard::pragmaOnlyReads(name, hasArgument))
        return refuse(QStringLiteral("PRAGMA %1%2")
                          .arg(name, hasArgument ? QStringLiteral(" with a value") : QString()));
    return {};
}

} // namespace

bool ReadOnlyGuard::pragmaOnlyReads(const QString& name, bool hasArgument) {
    // Pragmas that write even when they only name themselves.
    static const QSet<QString> writeAlways{QStringLiteral("wal_checkpoint"),
                                           QStringLiteral("optimize"),
                                           QStringLiteral("incremental_vacuum")};
    // Pragmas whose argument names what to read, not a value to set.
    static const QSet<QString> readWithArgument{
        QStringLiteral("table_info"),        QStringLiteral("table_xinfo"),
        QStringLiteral("index_info"),        QStringLiteral("index_xinfo"),
        QStringLiteral("index_list"),        QStringLiteral("foreign_key_list"),
        QStringLiteral("foreign_key_check"), QStringLiteral("integrity_check"),
        QStringLiteral("quick_check"),       QStringLiteral("table_list")};
    if (writeAlways.contains(name))
        return false;
    return !hasArgument || readWithArgument.contains(name);
}

QString ReadOnlyGuard::firstKeyword(const QString& statement, const SqlLexRules& rules) {
    for (const SqlToken& t : SqlLexer::tokens(statement, rules)) {
        if (t.isCode())
            return t.kind == SqlToken::Kind::Word ? t.value.toUpper() : QString();
    }
    return {};
}

QString ReadOnlyGuard::refusal(const QString& statement, Engine engine, const SqlLexRules& rules) {
    QList<SqlToken> code = SqlLexer::codeTokens(statement, rules);
    while (!code.isEmpty() && code.constLast().kind == SqlToken::Kind::Semicolon)
        code.removeLast();
    if (code.isEmpty())
        return {};
    for (const SqlToken& t : code) {
        if (t.kind == SqlToken::Kind::Semicolon)
            return QStringLiteral("read-only mode runs one statement at a time");
    }
    const SqlToken& first = code.constFirst();
    if (first.kind != SqlToken::Kind::Word)
        return {};
    if (refusedKeywords().contains(first.value))
        return refuse(QStringLiteral("%1 statements").arg(first.value.toUpper()));
    if (first.value == QLatin1String("pragma"))
        return pragmaRefusal(statement, code);
    for (qsizetype i = 0; i + 1 < code.size(); ++i) {
        if (isName(code.at(i)) && isSymbol(statement, code.at(i + 1), QLatin1Char('('))) {
            const QString name = code.at(i).value.toLower();
            if (refusedFunction(name, engine))
                return refuse(QStringLiteral("%1()").arg(name));
        }
    }
    return {};
}

ReadOnlyGuard::SqliteAuthorizer::SqliteAuthorizer(sqlite3* db)
    : m_db(db) {
    if (m_db)
        sqlite3_set_authorizer(m_db, &SqliteAuthorizer::check, this);
}

ReadOnlyGuard::SqliteAuthorizer::~SqliteAuthorizer() {
    if (m_db)
        sqlite3_set_authorizer(m_db, nullptr, nullptr);
}

int ReadOnlyGuard::SqliteAuthorizer::check(void* self, int action, const char* a, const char* b,
                                           const char*, const char*) {
    auto* guard = static_cast<SqliteAuthorizer*>(self);
    auto deny = [guard](const QString& what) {
        guard->m_refused = refuse(what);
        return SQLITE_DENY;
    };
    switch (action) {
    case SQLITE_READ:
    case SQLITE_SELECT:
    case SQLITE_RECURSIVE:
        return SQLITE_OK;
    case SQLITE_FUNCTION: {
        const QString name = QString::fromUtf8(b).toLower();
        return refusedFunction(name, Engine::Sqlite) ? deny(name + QStringLiteral("()"))
                                                     : SQLITE_OK;
    }
    case SQLITE_PRAGMA: {
        const QString name = QString::fromUtf8(a).toLower();
        return pragmaOnlyReads(name, b != nullptr) ? SQLITE_OK
                                                   : deny(QStringLiteral("PRAGMA ") + name);
    }
    case SQLITE_ATTACH:
        return deny(QStringLiteral("ATTACH"));
    case SQLITE_DETACH:
        return deny(QStringLiteral("DETACH"));
    case SQLITE_TRANSACTION:
        return deny(QStringLiteral("transaction control"));
    case SQLITE_SAVEPOINT:
        return deny(QStringLiteral("SAVEPOINT"));
    default:
        // INSERT, UPDATE, DELETE, CREATE_*, DROP_*, ALTER, REINDEX, ANALYZE, virtual tables
        return deny(QStringLiteral("statements that write"));
    }
}

} // namespace ctx
