#include "MessagePane.h"

#include "InertText.h"
#include "JsonTree.h"
#include "core/store/Store.h"
#include "ui/workers/DatabaseSession.h"

#include <QDateTime>
#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QTabWidget>
#include <QTextBrowser>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace ctx::ui {

namespace {
struct Loaded {
    Result<Message> message;
    Result<MessageThread> thread;
};

QString utc(std::optional<qint64> micros) {
    return micros ? QDateTime::fromMSecsSinceEpoch(*micros / 1000, Qt::UTC)
                        .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz 'UTC'"))
                  : QObject::tr("(unparseable)");
}

QString threadLabel(const Message& m) {
    QString preview = m.content.left(80);
    preview.replace(QLatin1Char('\n'), QLatin1Char(' '));
    return QStringLiteral("#%1 %2: %3").arg(m.id).arg(m.sender, preview);
}

QTreeWidgetItem* makeItem(const Message& m) {
    auto* item = new QTreeWidgetItem({threadLabel(m), m.visibility});
    item->setData(0, Qt::UserRole, m.id);
    item->setToolTip(0, plainToolTip(m.content.left(1000)));
    return item;
}
} // namespace

MessagePane::MessagePane(QWidget* parent)
    : QWidget(parent)
    , m_header(new QLabel(tr("Select a message")))
    , m_tabs(new QTabWidget)
    , m_content(new QTextBrowser)
    , m_metadata(new QTreeWidget)
    , m_raw(new QTreeWidget)
    , m_thread(new QTreeWidget) {
    m_header->setWordWrap(true);
    m_header->setTextFormat(Qt::RichText); // every stored value in it is escaped
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_content->setOpenExternalLinks(false);
    m_content->setOpenLinks(false); // a link in a message never navigates the pane
    m_content->setDocument(new InertTextDocument(m_content));
    neutralizeImages(m_content->document());
    m_metadata->setHeaderLabels({tr("Key"), tr("Value"), tr("Type")});
    m_raw->setHeaderLabels({tr("Column"), tr("Stored value"), tr("Storage type")});
    m_raw->setRootIsDecorated(false);
    m_thread->setHeaderLabels({tr("Thread"), tr("Visibility")});
    for (QTreeWidget* t : {m_metadata, m_raw, m_thread}) {
        t->setAlternatingRowColors(true);
        t->header()->setStretchLastSection(false);
        t->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    }
    m_raw->header()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_metadata->header()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_thread->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_tabs->addTab(m_content, tr("Content"));
    m_tabs->addTab(m_metadata, tr("Metadata"));
    m_tabs->addTab(m_raw, tr("Raw values"));
    m_tabs->addTab(m_thread, tr("Thread"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_header);
    layout->addWidget(m_tabs, 1);
    connect(m_thread, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem* item) {
        const qint64 id = item->data(0, Qt::UserRole).toLongLong();
        if (id > 0 && id != m_id)
            showMessage(id, m_viewer);
    });
}

void MessagePane::setSession(DatabaseSession* session) {
    m_session = session;
    clearMessage(tr("Select a message"));
}

void MessagePane::clearMessage(const QString& header) {
    m_id = 0;
    ++m_request;
    m_header->setText(header.toHtmlEscaped());
    m_content->clear();
    m_metadata->clear();
    m_raw->clear();
    m_thread->clear();
}

void MessagePane::setViewer(const Viewer& viewer) {
    if (viewer == m_viewer)
        return;
    m_viewer = viewer;
    const qint64 id = m_id;
    if (id <= 0)
        return;
    // Nothing read through the previous eyes stays on screen while the new read runs.
    clearMessage(tr("Loading message %1…").arg(id));
    showMessage(id, viewer);
}

void MessagePane::showMessage(qint64 id) {
    showMessage(id, m_viewer);
}

void MessagePane::showTab(Tab tab) {
    m_tabs->setCurrentIndex(int(tab));
}

void MessagePane::showMessage(qint64 id, const Viewer& viewer) {
    if (!m_session)
        return;
    m_id = id;
    m_viewer = viewer;
    const quint64 request = ++m_request;
    m_header->setText(tr("Loading message %1…").arg(id));
    m_session->run<Loaded>(
        this,
        [id, viewer](WorkerContext& ctx) {
            if (!ctx.conn) {
                auto e = fail(ErrorCode::ConnectionFailed, QStringLiteral("not connected"));
                return Loaded{e, e};
            }
            MessageStore store(*ctx.conn);
            return Loaded{store.get(id, viewer), store.thread(id, viewer)};
        },
        [this, id, request](const Loaded& r) {
            if (request != m_request)
                return; // the user has moved on, or another database or viewer came
            if (!r.message) {
                // Nothing of the message stays on screen: not visible is not found.
                const QString why = r.message.error().oneLine();
                clearMessage(why);
                emit failed(why);
                return;
            }
            fill(*r.message, r.thread);
            emit loaded(id);
        });
}

void MessagePane::fill(const Message& m, const Result<MessageThread>& thread) {
    m_header->setText(tr("<b>#%1</b> from <b>%2</b> (%3) · %4 · %5 · %6")
                          .arg(m.id)
                          .arg(m.sender.toHtmlEscaped(), m.senderType.toHtmlEscaped(),
                               m.visibility.toHtmlEscaped(), m.messageType.toHtmlEscaped(),
                               utc(m.timestamp)));
    // A new inert document each time: no resource named by the content is loaded, and
    // at most kMaxRenderedCharacters are laid out.
    QTextDocument* previous = m_content->document();
    InertTextDocument* doc =
        renderMarkdown(m.content, kMaxRenderedCharacters, kMaxMarkdownMarks, m_content);
    doc->setDefaultFont(m_content->font());
    m_content->setDocument(doc);
    neutralizeImages(doc);
    if (previous != doc && previous->parent() == m_content)
        delete previous;
    showJsonTree(m_metadata, m.metadataJson);
    fillRaw(m);
    if (thread)
        fillThread(m, *thread);
    else {
        m_thread->clear();
        new QTreeWidgetItem(m_thread, {thread.error().oneLine()});
    }
}

void MessagePane::fillRaw(const Message& m) {
    m_raw->clear();
    auto row = [this](const QString& column, const QString& value, const QString& type) {
        auto* item = new QTreeWidgetItem(m_raw, {column, value, type});
        item->setToolTip(1, plainToolTip(value.left(2000)));
    };
    row(QStringLiteral("id"), QString::number(m.id), QStringLiteral("INTEGER"));
    row(QStringLiteral("session_id"), m.sessionId, QStringLiteral("TEXT"));
    row(QStringLiteral("sender"), m.sender, QStringLiteral("TEXT"));
    row(QStringLiteral("sender_type"), m.senderType,
        m.senderType.isNull() ? QStringLiteral("NULL") : QStringLiteral("TEXT"));
    row(QStringLiteral("visibility"), m.visibility, QStringLiteral("TEXT"));
    row(QStringLiteral("message_type"), m.messageType, QStringLiteral("TEXT"));
    row(QStringLiteral("timestamp"), m.rawTimestamp.display(),
        storageTypeName(m.rawTimestamp.type).toUpper());
    row(QStringLiteral("timestamp (read as)"), utc(m.timestamp), QString());
    row(QStringLiteral("parent_message_id"),
        m.parentId ? QString::number(*m.parentId) : QStringLiteral("NULL"),
        m.parentId ? QStringLiteral("INTEGER") : QStringLiteral("NULL"));
    row(QStringLiteral("content"),
        tr("%1 characters, %2 bytes UTF-8").arg(m.content.size()).arg(m.content.toUtf8().size()),
        QStringLiteral("TEXT"));
    row(QStringLiteral("metadata"),
        m.metadataJson.isNull() ? QStringLiteral("NULL") : m.metadataJson,
        m.metadataJson.isNull() ? QStringLiteral("NULL") : QStringLiteral("TEXT"));
}

void MessagePane::fillThread(const Message& m, const MessageThread& thread) {
    m_thread->clear();
    QTreeWidgetItem* parent = nullptr;
    for (const Message& a : thread.ancestors) {
        auto* item = makeItem(a);
        parent ? parent->addChild(item) : m_thread->addTopLevelItem(item);
        parent = item;
    }
    auto* self = makeItem(m);
    QFont bold = self->font(0);
    bold.setBold(true);
    self->setFont(0, bold);
    parent ? parent->addChild(self) : m_thread->addTopLevelItem(self);
    QHash<qint64, QTreeWidgetItem*> byId{{m.id, self}};
    for (const Message& r : thread.replies) {
        auto* item = makeItem(r);
        QTreeWidgetItem* under = r.parentId ? byId.value(*r.parentId, self) : self;
        under->addChild(item);
        byId.insert(r.id, item);
    }
    m_thread->expandAll();
    m_thread->setCurrentItem(self);
}

} // namespace ctx::ui
