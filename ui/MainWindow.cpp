#include "MainWindow.h"

#include "core/db/Connection.h"
#include "core/schema/SchemaMigrator.h"

#include <QLabel>
#include <QStatusBar>
#include <QVBoxLayout>

namespace ctx::ui {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_summary(new QLabel(tr("No database open. Start with a file path or URL argument.")))
    , m_status(new QLabel)
{
    setWindowTitle(tr("Context Studio"));
    m_summary->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setMargin(12);
    setCentralWidget(m_summary);
    statusBar()->addWidget(m_status);
    resize(1000, 640);
}

QString MainWindow::statusText() const
{
    return m_status->text();
}

void MainWindow::openDatabase(const QString& urlText)
{
    auto url = DatabaseUrl::parse(urlText);
    if (!url) {
        m_status->setText(url.error().oneLine());
        return;
    }
    auto conn = Connection::open(*url);
    if (!conn) {
        m_status->setText(conn.error().oneLine());
        return;
    }
    auto st = SchemaMigrator::status(**conn);
    if (!st) {
        m_status->setText(st.error().oneLine());
        return;
    }
    setWindowTitle(tr("%1 — Context Studio").arg(url->displayName()));
    m_summary->setText(tr("<h3>%1</h3><p>Engine: %2<br>Schema version: %3 (%4)<br>Quirks: %5</p>")
                           .arg(url->redacted().toHtmlEscaped(), engineName(url->engine()))
                           .arg(st->info.version)
                           .arg(st->info.variant,
                                st->info.quirks.isEmpty()
                                    ? tr("none")
                                    : st->info.quirks.join(QStringLiteral("; ")).toHtmlEscaped()));
    m_status->setText(tr("%1 · version %2 · read-only")
                          .arg(engineName(url->engine()))
                          .arg(st->info.version));
}

} // namespace ctx::ui
