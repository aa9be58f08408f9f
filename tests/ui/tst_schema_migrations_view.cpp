// The schema migrations view offscreen: a legacy SQLite file shows its version,
// quirks and pending scripts with their SQL; Apply stays disabled until the backup
// step is acknowledged, then writes a verified backup and upgrades; the history
// shows checksums and durations. A fresh PostgreSQL database needs no backup step.
#include "support/LegacyFixtures.h"
#include "support/TestDatabases.h"
#include "ui/app/PasswordRequest.h"
#include "ui/schemaview/SchemaMigrationsView.h"

#include <QFileInfo>
#include <QLineEdit>
#include <QListWidget>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace ctx;
using namespace ctx::ui;
using namespace ctx::test;

class TestSchemaMigrationsView : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

    static void load(SchemaMigrationsView& view, const QString& url) {
        QSignalSpy loaded(&view, &SchemaMigrationsView::loaded);
        view.setDatabase(url);
        QVERIFY(loaded.wait(60000));
        QVERIFY2(loaded.first().first().toBool(), qPrintable(view.messageText()));
    }

    static void applyAndReload(SchemaMigrationsView& view) {
        QSignalSpy applied(&view, &SchemaMigrationsView::applied);
        QSignalSpy loaded(&view, &SchemaMigrationsView::loaded);
        view.apply();
        QVERIFY(applied.wait(60000));
        QVERIFY2(applied.first().first().toBool(), qPrintable(view.messageText()));
        QVERIFY(loaded.wait(60000));
        QVERIFY(view.status()->pending.isEmpty());
        QVERIFY(view.messageText().startsWith(QStringLiteral("Applied")));
    }

private Q_SLOTS:
    void initTestCase() {
        qputenv("XDG_CONFIG_HOME", m_dir.filePath(QStringLiteral("config")).toUtf8());
    }

    void sqliteNeedsTheBackupStep() {
        const QString file = m_dir.filePath(QStringLiteral("v2.db"));
        QVERIFY(writeLegacyFile(file, LegacyVersion::V2));
        SchemaMigrationsView view;
        view.show();
        load(view, file);
        QCOMPARE(view.status()->info.version, 2);
        QVERIFY(view.pending()->count() > 0);
        QVERIFY(!view.canApply()); // backup not acknowledged
        const QByteArray before = contentDigest(file);
        QSignalSpy applied(&view, &SchemaMigrationsView::applied);
        view.apply(); // must do nothing: no job starts, the file keeps its rows and version
        QVERIFY(!applied.wait(1000));
        QCOMPARE(contentDigest(file), before);
        load(view, file); // read the file again rather than trusting the cached status
        QCOMPARE(view.status()->info.version, 2);
        view.acknowledgeBackup(true);
        QVERIFY(view.canApply());
        const QString dir = qEnvironmentVariable("CTX_SCREENSHOT_DIR");
        if (!dir.isEmpty())
            QVERIFY(view.grab().save(dir + QStringLiteral("/schema-migrations.png")));
        applyAndReload(view);
        QVERIFY(view.messageText().contains(QStringLiteral("verified backup")));
        QVERIFY(view.status()->info.version > 2);
        bool sawChecksum = false, sawDuration = false;
        for (int r = 0; r < view.history()->rowCount(); ++r) {
            sawChecksum |= view.history()->item(r, 3)->text().size() == 64;
            sawDuration |= view.history()->item(r, 5)->text().endsWith(QStringLiteral(" ms"));
        }
        QVERIFY(sawChecksum);
        QVERIFY(sawDuration);
    }

    void postgresAppliesWithoutBackupStep() {
        auto db = ScratchDatabase::create(Engine::Postgres, QStringLiteral("schemaview"));
        QVERIFY2(db, db ? "" : qPrintable(db.error().oneLine()));
        qputenv("PGPASSWORD", (*db)->url().password().toUtf8());
        SchemaMigrationsView view;
        load(view, (*db)->url().redacted().replace(QStringLiteral(":***@"), QStringLiteral("@")));
        QVERIFY(view.status()->info.empty);
        QVERIFY(view.canApply());
        applyAndReload(view);
        QCOMPARE(view.status()->info.version, view.status()->latestVersion);
    }

    // No PGPASSWORD, no pgpass: the inspector's database (its URL holding the password)
    // is read and upgraded without asking, the field never shows the password; a URL
    // without it is asked for once.
    void postgresPasswordIsKeptHiddenOrAskedFor() {
        auto db = ScratchDatabase::create(Engine::Postgres, QStringLiteral("schemapw"));
        QVERIFY2(db, db ? "" : qPrintable(db.error().oneLine()));
        qunsetenv("PGPASSWORD");
        qputenv("PGPASSFILE", m_dir.filePath(QStringLiteral("no-pgpass")).toUtf8());
        const QString password = (*db)->url().password();
        int asked = 0;
        PasswordRequest::setPrompt([&](QWidget*, const QString&) -> std::optional<QString> {
            ++asked;
            return password;
        });
        SchemaMigrationsView view;
        QSignalSpy loaded(&view, &SchemaMigrationsView::loaded);
        view.setDatabase((*db)->url());
        QVERIFY(loaded.wait(60000));
        QVERIFY2(loaded.first().first().toBool(), qPrintable(view.messageText()));
        QCOMPARE(asked, 0);
        for (const QLineEdit* field : view.findChildren<QLineEdit*>())
            QVERIFY2(!field->text().contains(password), qPrintable(field->text()));
        applyAndReload(view);
        QCOMPARE(asked, 0);

        SchemaMigrationsView typed;
        load(typed, (*db)->url().redacted().replace(QStringLiteral(":***@"), QStringLiteral("@")));
        QCOMPARE(asked, 1);
        PasswordRequest::setPrompt({});
        qunsetenv("PGPASSFILE");
    }
};

QTEST_MAIN(TestSchemaMigrationsView)
#include "tst_schema_migrations_view.moc"
