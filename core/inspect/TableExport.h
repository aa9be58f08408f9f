#pragma once

#include "core/Error.h"

#include <QFile>
#include <QStringList>
#include <QVariantList>

namespace ctx {

// Streams rows into a CSV (RFC 4180, UTF-8, header line) or JSON (an array of
// objects) file, one row at a time: an export never holds the whole table.
class TableExportWriter {
public:
    enum class Format { Csv, Json };
    static Format formatForPath(const QString& path); // .json -> Json, else Csv

    Status open(const QString& path, Format format, const QStringList& columns);
    Status writeRow(const QVariantList& values);
    Status finish();
    qint64 rowsWritten() const { return m_rows; }

    static QString csvField(const QVariant& value);

private:
    QFile m_file;
    Format m_format = Format::Csv;
    QStringList m_columns;
    qint64 m_rows = 0;
};

} // namespace ctx
