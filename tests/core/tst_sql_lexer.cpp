// SqlLexer and SqlScript: each engine's quoting and comments, and statements split
// where the engine itself would end them (the SQL console and the migration scripts
// depend on both).
#include "core/db/SqlScript.h"

#include <QtTest>

using namespace ctx;

class TestSqlLexer : public QObject {
    Q_OBJECT

    static QStringList split(const QString& sql, const SqlLexRules& rules) {
        return SqlScript::statements(sql, rules);
    }

private slots:
    void postgresEscapeStringsKeepTheirQuote() {
        // E'\'' is one string on PostgreSQL: the semicolons after it end statements.
        const QString sql = QStringLiteral("SELECT E'\\''; COMMIT; SELECT 'x'");
        QCOMPARE(split(sql, SqlLexRules::postgres()),
                 (QStringList{QStringLiteral("SELECT E'\\''"), QStringLiteral("COMMIT"),
                              QStringLiteral("SELECT 'x'")}));
        // Under SQLite's rules E is a word and '\'' a string then an open quote.
        QCOMPARE(split(sql, SqlLexRules::sqlite()).size(), 1);
    }

    void standardConformingStringsOffMakesBackslashesEscape() {
        const QString sql = QStringLiteral("SELECT 'a\\'; SELECT 'b'; SELECT 3");
        QCOMPARE(split(sql, SqlLexRules::postgres(true)).size(), 3);
        QCOMPARE(split(sql, SqlLexRules::postgres(false)).size(), 1);
    }

    void postgresNestsCommentsSqliteDoesNot() {
        const QString sql = QStringLiteral("/* a /* b */ ; */ SELECT 1; SELECT 2");
        const auto pg = split(sql, SqlLexRules::postgres());
        QCOMPARE(pg.size(), 2);
        QVERIFY(pg.at(0).startsWith(QStringLiteral("/* a")));
        const auto lite = split(sql, SqlLexRules::sqlite());
        QCOMPARE(lite.size(), 2); // the comment ends at the first */, before the ;
        QCOMPARE(lite.at(0), QStringLiteral("*/ SELECT 1"));
    }

    void dollarQuotesAndParameters() {
        const auto pg = split(QStringLiteral("SELECT $$a;b$$, $t$;$x$;$t$; SELECT $1; SELECT "
                                             "a$b; x"),
                              SqlLexRules::postgres());
        QCOMPARE(pg, (QStringList{QStringLiteral("SELECT $$a;b$$, $t$;$x$;$t$"),
                                  QStringLiteral("SELECT $1"), QStringLiteral("SELECT a$b"),
                                  QStringLiteral("x")}));
    }

    void sqliteQuotesIdentifiersWithBracketsAndBackticks() {
        const auto lite =
            split(QStringLiteral("SELECT [a;b], `c;d`, \"e;f\"; SELECT 2"), SqlLexRules::sqlite());
        QCOMPARE(lite.size(), 2);
        const auto tokens =
            SqlLexer::codeTokens(QStringLiteral("[a;b] `c``d` \"e\"\"f\""), SqlLexRules::sqlite());
        QCOMPARE(tokens.size(), 3);
        QCOMPARE(tokens.at(0).value, QStringLiteral("a;b"));
        QCOMPARE(tokens.at(1).value, QStringLiteral("c`d"));
        QCOMPARE(tokens.at(2).value, QStringLiteral("e\"f"));
        QCOMPARE(tokens.at(2).kind, SqlToken::Kind::QuotedIdentifier);
    }

    void triggerAndAtomicBodiesStayWhole() {
        const QString trigger =
            QStringLiteral("CREATE TRIGGER t AFTER INSERT ON m BEGIN\n"
                           "  UPDATE s SET n = CASE WHEN n > 0 THEN n + 1 ELSE 1 END;\n"
                           "  DELETE FROM x;\nEND;\nSELECT 1;");
        const auto parts = split(trigger, SqlLexRules::sqlite());
        QCOMPARE(parts.size(), 2);
        QVERIFY(parts.at(0).endsWith(QStringLiteral("END")));
        const auto atomic = split(QStringLiteral("CREATE FUNCTION f() RETURNS int LANGUAGE sql "
                                                 "BEGIN ATOMIC SELECT 1; SELECT 2; END; SELECT 3"),
                                  SqlLexRules::postgres());
        QCOMPARE(atomic.size(), 2);
        // BEGIN alone is a transaction statement, not a block.
        QCOMPARE(split(QStringLiteral("BEGIN; SELECT 1; END;"), SqlLexRules::sqlite()).size(), 3);
    }

    void offsetsLinesAndCommentOnlyPieces() {
        const QString sql = QStringLiteral("-- head\nSELECT 1;\n\n  /* only */ ;\n  SELECT\n 2");
        const auto parts = SqlScript::split(sql, SqlLexRules::postgres());
        QCOMPARE(parts.size(), 2);
        QCOMPARE(parts.at(0).line, 1);
        QCOMPARE(parts.at(0).offset, 0);
        QCOMPARE(parts.at(1).text, QStringLiteral("SELECT\n 2"));
        QCOMPARE(parts.at(1).line, 5);
        QCOMPARE(sql.mid(parts.at(1).offset, 6), QStringLiteral("SELECT"));
        QCOMPARE(SqlScript::statementAt(sql, int(sql.size()) - 1).text, parts.at(1).text);
    }

    void everyCharacterBelongsToOneToken() {
        const QString sql =
            QStringLiteral("SELECT U&'d\\0061t', X'0f', e'\\n', 1.5e-3, :a, ?, \"q\"\"\" -- c\n"
                           "/* unterminated");
        for (const SqlLexRules& rules : {SqlLexRules::postgres(), SqlLexRules::sqlite()}) {
            qsizetype at = 0;
            const auto tokens = SqlLexer::tokens(sql, rules);
            for (const SqlToken& t : tokens) {
                QCOMPARE(t.offset, at);
                QVERIFY(t.length > 0);
                at += t.length;
            }
            QCOMPARE(at, sql.size());
            QVERIFY(tokens.constLast().unterminated);
            QCOMPARE(tokens.constLast().kind, SqlToken::Kind::Comment);
        }
    }
};

QTEST_GUILESS_MAIN(TestSqlLexer)
#include "tst_sql_lexer.moc"
