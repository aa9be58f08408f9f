#include "LegacySchemaWriter.h"

#include "core/db/SqlScript.h"
#include "core/schema/MigrationCatalog.h"

namespace ctx {

QString LegacySchemaWriter::name(LegacyVersion version) {
    switch (version) {
    case LegacyVersion::V1:
        return QStringLiteral("1");
    case LegacyVersion::V2:
        return QStringLiteral("2");
    case LegacyVersion::V2Altered:
        return QStringLiteral("2 (altered)");
    case LegacyVersion::V3a:
        return QStringLiteral("3a");
    case LegacyVersion::V3b:
        return QStringLiteral("3b");
    }
    return {};
}

Status LegacySchemaWriter::create(const Connection& conn, LegacyVersion version) {
    QStringList parts{QStringLiteral("common")};
    const bool v1Messages = version == LegacyVersion::V1 || version == LegacyVersion::V2Altered;
    parts << (v1Messages ? QStringLiteral("messages_v1") : QStringLiteral("messages_v2"));
    parts << (version == LegacyVersion::V3b ? QStringLiteral("memory_partial_unique")
                                            : QStringLiteral("memory_table_unique"));
    parts << QStringLiteral("memory_common");
    if (version == LegacyVersion::V3a || version == LegacyVersion::V3b)
        parts << QStringLiteral("secure_tokens");

    QStringList statements;
    for (const QString& part : parts) {
        const QByteArray sql =
            MigrationCatalog::readResource(QStringLiteral(":/sql/legacy/%1.sql").arg(part));
        if (sql.isEmpty())
            return fail(ErrorCode::NotFound,
                        QStringLiteral("missing legacy schema part %1").arg(part));
        statements << SqlScript::statements(QString::fromUtf8(sql));
    }
    int number = 1;
    QString description = QStringLiteral("Initial schema with consultant fixes applied");
    if (version == LegacyVersion::V2Altered) {
        statements << QStringLiteral("ALTER TABLE messages ADD COLUMN sender_type TEXT DEFAULT "
                                     "'generic'")
                   << QStringLiteral("CREATE INDEX idx_messages_sender_type ON "
                                     "messages(sender_type, timestamp)");
    }
    if (version == LegacyVersion::V2 || version == LegacyVersion::V2Altered) {
        number = 2;
        description = QStringLiteral("Phase 3: sender_type");
    } else if (version == LegacyVersion::V3a || version == LegacyVersion::V3b) {
        number = 3;
        description = QStringLiteral("PRP-006: Added secure_tokens table");
    }
    statements << QStringLiteral("INSERT INTO schema_version (version, description) VALUES (%1, "
                                 "'%2')")
                      .arg(number)
                      .arg(description);
    if (auto ok = conn.begin(true); !ok)
        return ok;
    if (auto ok = conn.execAll(statements); !ok) {
        conn.rollback();
        return ok;
    }
    return conn.commit();
}

} // namespace ctx
