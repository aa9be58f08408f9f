#include "MessageFilterBar.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QTimer>
#include <QVBoxLayout>

namespace ctx::ui {

namespace {
const QString kAdmin = QStringLiteral("admin (sees all)");

qint64 microsOf(const QDateTimeEdit* edit) {
    return edit->dateTime().toMSecsSinceEpoch() * 1000;
}
} // namespace

MessageFilterBar::MessageFilterBar(QWidget* parent)
    : QWidget(parent)
    , m_sender(new QLineEdit)
    , m_senderType(new QComboBox)
    , m_visibility(new QComboBox)
    , m_type(new QLineEdit)
    , m_useSince(new QCheckBox(tr("from")))
    , m_since(new QDateTimeEdit)
    , m_useUntil(new QCheckBox(tr("to")))
    , m_until(new QDateTimeEdit)
    , m_viewer(new QComboBox)
    , m_debounce(new QTimer(this)) {
    m_sender->setPlaceholderText(tr("sender"));
    m_sender->setClearButtonEnabled(true);
    m_sender->setMinimumWidth(80);
    m_senderType->setEditable(true);
    m_senderType->addItems({QString(), QStringLiteral("claude"), QStringLiteral("gemini"),
                            QStringLiteral("admin"), QStringLiteral("system"),
                            QStringLiteral("test"), QStringLiteral("generic")});
    m_senderType->lineEdit()->setPlaceholderText(tr("sender type"));
    m_senderType->setMinimumContentsLength(10);
    m_visibility->addItems({tr("any visibility"), QStringLiteral("public"),
                            QStringLiteral("private"), QStringLiteral("agent_only"),
                            QStringLiteral("admin_only")});
    m_type->setPlaceholderText(tr("message type"));
    m_type->setClearButtonEnabled(true);
    m_type->setMinimumWidth(80);
    for (QDateTimeEdit* e : {m_since, m_until}) {
        e->setTimeSpec(Qt::UTC);
        e->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
        e->setCalendarPopup(true);
        e->setEnabled(false);
        e->setDateTime(QDateTime::currentDateTimeUtc());
    }
    m_viewer->setEditable(true);
    m_viewer->addItem(kAdmin);
    m_viewer->setToolTip(tr("View as: admin sees everything; an agent sees public messages "
                            "and its own private and agent_only ones"));
    m_viewer->setMinimumContentsLength(12);
    m_viewer->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);

    auto* first = new QHBoxLayout;
    first->addWidget(m_sender, 2);
    first->addWidget(m_senderType, 2);
    first->addWidget(m_visibility, 2);
    first->addWidget(m_type, 2);
    auto* second = new QHBoxLayout;
    second->addWidget(m_useSince);
    second->addWidget(m_since, 1);
    second->addWidget(m_useUntil);
    second->addWidget(m_until, 1);
    second->addWidget(new QLabel(tr("view as")));
    second->addWidget(m_viewer, 2);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(first);
    layout->addLayout(second);

    m_debounce->setSingleShot(true);
    m_debounce->setInterval(250);
    connect(m_debounce, &QTimer::timeout, this, &MessageFilterBar::changed);
    connect(m_sender, &QLineEdit::textChanged, this, &MessageFilterBar::schedule);
    connect(m_type, &QLineEdit::textChanged, this, &MessageFilterBar::schedule);
    connect(m_senderType, &QComboBox::currentTextChanged, this, &MessageFilterBar::schedule);
    connect(m_visibility, &QComboBox::currentIndexChanged, this, &MessageFilterBar::schedule);
    connect(m_viewer, &QComboBox::currentTextChanged, this, &MessageFilterBar::schedule);
    connect(m_since, &QDateTimeEdit::dateTimeChanged, this, &MessageFilterBar::schedule);
    connect(m_until, &QDateTimeEdit::dateTimeChanged, this, &MessageFilterBar::schedule);
    connect(m_useSince, &QCheckBox::toggled, m_since, &QWidget::setEnabled);
    connect(m_useUntil, &QCheckBox::toggled, m_until, &QWidget::setEnabled);
    connect(m_useSince, &QCheckBox::toggled, this, &MessageFilterBar::schedule);
    connect(m_useUntil, &QCheckBox::toggled, this, &MessageFilterBar::schedule);
}

void MessageFilterBar::schedule() {
    if (!m_quiet)
        m_debounce->start();
}

MessageFilter MessageFilterBar::filter() const {
    MessageFilter f;
    f.sender = m_sender->text().trimmed();
    f.senderType = m_senderType->currentText().trimmed();
    f.visibility = m_visibility->currentIndex() > 0 ? m_visibility->currentText() : QString();
    f.messageType = m_type->text().trimmed();
    if (m_useSince->isChecked())
        f.since = microsOf(m_since);
    if (m_useUntil->isChecked())
        f.until = microsOf(m_until);
    return f;
}

Viewer MessageFilterBar::viewer() const {
    const QString text = m_viewer->currentText().trimmed();
    if (text.isEmpty() || text == kAdmin)
        return Viewer::asAdmin();
    return Viewer::asAgent(text);
}

void MessageFilterBar::setAgents(const QStringList& agents) {
    const QString current = m_viewer->currentText();
    m_quiet = true;
    m_viewer->clear();
    m_viewer->addItem(kAdmin);
    m_viewer->addItems(agents);
    m_viewer->setCurrentText(current);
    m_quiet = false;
}

QStringList MessageFilterBar::agents() const {
    QStringList out;
    for (int i = 1; i < m_viewer->count(); ++i)
        out << m_viewer->itemText(i);
    return out;
}

void MessageFilterBar::setSender(const QString& sender) {
    m_sender->setText(sender);
}

void MessageFilterBar::setVisibility(const QString& visibility) {
    const int i = m_visibility->findText(visibility);
    m_visibility->setCurrentIndex(i < 0 ? 0 : i);
}

void MessageFilterBar::setViewer(const Viewer& viewer) {
    m_viewer->setCurrentText(viewer.admin ? kAdmin : viewer.agentId);
}

void MessageFilterBar::setTimeRange(std::optional<qint64> since, std::optional<qint64> until) {
    m_useSince->setChecked(since.has_value());
    m_useUntil->setChecked(until.has_value());
    if (since)
        m_since->setDateTime(QDateTime::fromMSecsSinceEpoch(*since / 1000, Qt::UTC));
    if (until)
        m_until->setDateTime(QDateTime::fromMSecsSinceEpoch(*until / 1000, Qt::UTC));
}

void MessageFilterBar::clear() {
    m_sender->clear();
    m_senderType->setCurrentIndex(0);
    m_visibility->setCurrentIndex(0);
    m_type->clear();
    m_useSince->setChecked(false);
    m_useUntil->setChecked(false);
    m_viewer->setCurrentText(kAdmin);
}

} // namespace ctx::ui
