#include "TableExport.h"

#include "core/PrivateFiles.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace ctx {

namespace {
QJsonValue jsonOf(const QVariant& v) {
    if (v.isNull() || !v.isValid())
        return QJsonValue::Null;
    switch (v.typeId()) {
    case QMetaType::Int:
    case QMetaType::LongLong:
    case QMetaType::UInt:
    case QMetaType::ULongLong:
        return QJsonValue(v.toLongLong());
    case QMetaType::Double:
        return QJsonValue(v.toDouble());
    case QMetaType::Bool:
        return QJsonValue(v.toBool());
    case QMetaType::QByteArray:
        return QJsonValue(QString::fromLatin1(v.toByteArray().toHex()));
    default:
        return QJsonValue(v.toString());
    }
}
} // namespace

TableExportWriter::Format TableExportWriter::formatForPath(const QString& path) {
    return path.endsWith(QLatin1String(".json"), Qt::CaseInsensitive) ? Format::Json : Format::Csv;
}

QString TableExportWriter::csvField(const QVariant& value) {
    if (value.isNull() || !value.isValid())
        return {};
    QString s = value.typeId() == QMetaType::QByteArray
                    ? QString::fromLatin1(value.toByteArray().toHex())
                    : value.toString();
    if (s.contains(QLatin1Char(',')) || s.contains(QLatin1Char('"')) ||
        s.contains(QLatin1Char('\n')) || s.contains(QLatin1Char('\r'))) {
        s.replace(QLatin1Char('"'), QStringLiteral("\"\""));
        s = QLatin1Char('"') + s + QLatin1Char('"');
    }
    return s;
}

Status TableExportWriter::open(const QString& path, Format format, const QStringList& columns) {
    m_file.setFileName(path);
    m_format = format;
    m_columns = columns;
    m_rows = 0;
    // An export is a copy of the user's rows: created 0600 (an existing file is
    // narrowed to its owner too).
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::Truncate, kPrivateFile))
        return fail(ErrorCode::Io, m_file.errorString(), path);
    if (auto narrowed = restrictToOwner(path); !narrowed)
        return std::unexpected(narrowed.error());
    QByteArray head;
    if (format == Format::Csv) {
        QStringList fields;
        for (const auto& c : columns)
            fields << csvField(c);
        head = fields.join(QLatin1Char(',')).toUtf8() + "\r\n";
    } else {
        head = "[\n";
    }
    if (m_file.write(head) != head.size())
        return fail(ErrorCode::Io, m_file.errorString(), path);
    return {};
}

Status TableExportWriter::writeRow(const QVariantList& values) {
    QByteArray line;
    if (m_format == Format::Csv) {
        QStringList fields;
        for (const auto& v : values)
            fields << csvField(v);
        line = fields.join(QLatin1Char(',')).toUtf8() + "\r\n";
    } else {
        QJsonObject o;
        for (int i = 0; i < m_columns.size() && i < values.size(); ++i)
            o.insert(m_columns.at(i), jsonOf(values.at(i)));
        line = (m_rows > 0 ? ",\n" : "") + QJsonDocument(o).toJson(QJsonDocument::Compact);
    }
    if (m_file.write(line) != line.size())
        return fail(ErrorCode::Io, m_file.errorString(), m_file.fileName());
    ++m_rows;
    return {};
}

Status TableExportWriter::finish() {
    if (m_format == Format::Json && m_file.write("\n]\n") != 3)
        return fail(ErrorCode::Io, m_file.errorString(), m_file.fileName());
    if (!m_file.flush())
        return fail(ErrorCode::Io, m_file.errorString(), m_file.fileName());
    m_file.close();
    return {};
}

} // namespace ctx
