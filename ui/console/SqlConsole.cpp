#include "SqlConsole.h"

#include "ConsoleHistory.h"
#include "SqlEditor.h"
#include "core/db/SqlScript.h"
#include "core/inspect/QueryRunner.h"
#include "ui/models/QueryResultModel.h"
#include "ui/workers/DatabaseSession.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QShortcut>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace ctx::ui {

namespace {
struct ConsoleOutcome {
    std::optional<QueryOutcome> outcome;
    std::optional<QueryFailure> failure;
};
constexpr int kHistoryLimit = 50;
} // namespace

SqlConsole::SqlConsole(QWidget* parent)
    : QWidget(parent)
    , m_editor(new SqlEditor)
    , m_history(new QComboBox)
    , m_runAll(new QPushButton(tr("Run all")))
    , m_runSelection(new QPushButton(tr("Run selection")))
    , m_runCurrent(new QPushButton(tr("Run statement")))
    , m_cancel(new QPushButton(tr("Cancel")))
    , m_mode(new QLabel)
    , m_error(new QLabel)
    , m_info(new QLabel)
    , m_table(new QTableView)
    , m_result(new QueryResultModel(this)) {
    m_runAll->setToolTip(tr("Run every statement (Ctrl+Shift+Enter)"));
    m_runSelection->setToolTip(tr("Run the selected text (Ctrl+Alt+Enter)"));
    m_runCurrent->setToolTip(tr("Run the statement under the cursor (Ctrl+Enter)"));
    m_cancel->setToolTip(tr("Stop the running query (Esc)"));
    m_cancel->setEnabled(false);
    m_history->setPlaceholderText(tr("History"));
    m_history->setMinimumContentsLength(30);
    m_history->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setStyleSheet(QStringLiteral("color: #d03030;"));
    m_error->hide();
    m_table->setModel(m_result);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_table->horizontalHeader()->setDefaultSectionSize(160);

    auto* bar = new QHBoxLayout;
    for (QWidget* w :
         std::initializer_list<QWidget*>{m_runCurrent, m_runSelection, m_runAll, m_cancel})
        bar->addWidget(w);
    bar->addWidget(m_history, 1);
    bar->addWidget(m_mode);
    auto* top = new QWidget;
    auto* topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addLayout(bar);
    topLayout->addWidget(m_editor, 1);
    topLayout->addWidget(m_error);
    auto* bottom = new QWidget;
    auto* bottomLayout = new QVBoxLayout(bottom);
    bottomLayout->setContentsMargins(0, 0, 0, 0);
    bottomLayout->addWidget(m_table, 1);
    bottomLayout->addWidget(m_info);
    auto* split = new QSplitter(Qt::Vertical);
    split->setObjectName(QStringLiteral("consoleSplitter"));
    split->addWidget(top);
    split->addWidget(bottom);
    split->setStretchFactor(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);

    connect(m_runAll, &QPushButton::clicked, this, [this] { run(Scope::All); });
    connect(m_runSelection, &QPushButton::clicked, this, [this] { run(Scope::Selection); });
    connect(m_runCurrent, &QPushButton::clicked, this, [this] { run(Scope::Current); });
    connect(m_cancel, &QPushButton::clicked, this, &SqlConsole::cancel);
    auto shortcut = [this](const QKeySequence& keys, auto slot) {
        auto* s = new QShortcut(keys, this, slot);
        s->setContext(Qt::WidgetWithChildrenShortcut);
    };
    shortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), [this] { run(Scope::Current); });
    shortcut(QKeySequence(Qt::CTRL | Qt::Key_Enter), [this] { run(Scope::Current); });
    shortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Return), [this] { run(Scope::All); });
    shortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_Return), [this] { run(Scope::Selection); });
    shortcut(QKeySequence(Qt::Key_Escape), [this] { cancel(); });
    connect(m_history, &QComboBox::activated, this, [this](int i) {
        m_editor->setText(m_history->itemData(i).toString());
        m_editor->setFocus();
    });
    connect(m_result, &QueryResultModel::rowsArrived, this, [this](int rows, bool complete) {
        m_info->setText(complete ? (m_result->isTruncated()
                                        ? tr("first %1 rows shown (limit; the database was let go: "
                                             "add LIMIT/OFFSET or export for more)")
                                              .arg(rows)
                                        : tr("%n row(s)", nullptr, rows))
                                 : tr("%1 rows so far — scroll for more").arg(rows));
    });
}

void SqlConsole::setSession(DatabaseSession* session, const QString& historyKey) {
    m_session = session;
    m_historyKey = historyKey;
    m_result->clear();
    m_error->hide();
    m_info->clear();
    setRunning(false);
    const bool readOnly = !session || session->isReadOnly();
    m_mode->setText(readOnly ? tr("read-only") : tr("<b>write mode</b>"));
    m_mode->setToolTip(readOnly ? tr("Statements that write are refused; switch the window to "
                                     "write mode to change data")
                                : tr("Statements run with write access"));
    loadHistory();
}

void SqlConsole::setCompletionWords(const QStringList& words) {
    m_editor->setCompletionWords(words);
}

QString SqlConsole::errorText() const {
    return m_error->isHidden() ? QString() : m_error->text();
}

QString SqlConsole::infoText() const {
    return m_info->text();
}

SqlLexRules SqlConsole::lexRules() const {
    return m_session && m_session->url().engine() == Engine::Postgres ? SqlLexRules::postgres()
                                                                      : SqlLexRules::sqlite();
}

void SqlConsole::setRunning(bool running) {
    m_running = running;
    for (QPushButton* b : {m_runAll, m_runSelection, m_runCurrent})
        b->setEnabled(!running && m_session);
    m_cancel->setEnabled(running);
}

void SqlConsole::cancel() {
    if (m_running && m_session)
        m_session->interrupt();
}

void SqlConsole::run(Scope scope) {
    if (!m_session || m_running)
        return;
    const QString text = m_editor->text();
    QList<SqlStatement> statements;
    int base = 0;
    if (scope == Scope::Selection && m_editor->hasSelectedText()) {
        int l1 = 0, i1 = 0, l2 = 0, i2 = 0;
        m_editor->getSelection(&l1, &i1, &l2, &i2);
        base = m_editor->offsetOf(l1, i1);
        statements = SqlScript::split(m_editor->selectedText(), lexRules());
    } else if (scope == Scope::Current) {
        SqlStatement st = SqlScript::statementAt(text, m_editor->cursorOffset(), lexRules());
        if (!st.text.trimmed().isEmpty())
            statements << st;
    } else {
        statements = SqlScript::split(text, lexRules());
    }
    if (statements.isEmpty())
        return;
    for (auto& st : statements)
        st.offset += base;
    m_editor->clearError();
    m_error->hide();
    m_result->clear();
    m_info->setText(tr("Running %n statement(s)…", nullptr, int(statements.size())));
    setRunning(true);
    remember(scope == Scope::All ? text : [&] {
        QStringList parts;
        for (const auto& st : statements)
            parts << st.text.trimmed();
        return parts.join(QStringLiteral(";\n"));
    }());
    m_pending = statements;
    const quint64 gen = ++m_generation;
    m_session->run<ConsoleOutcome>(
        this,
        [statements](WorkerContext& ctx) {
            ConsoleOutcome out;
            if (!ctx.conn) {
                out.failure = QueryFailure{
                    Error{ErrorCode::ConnectionFailed, QStringLiteral("not connected"), {}}, 0,
                    statements.value(0)};
                return out;
            }
            auto runner = std::make_shared<QueryRunner>(*ctx.conn);
            ctx.console.reset();
            auto r = runner->run(statements, ctx.canceller.get());
            if (r)
                out.outcome = *r;
            else
                out.failure = r.error();
            ctx.console = runner;
            return out;
        },
        [this, gen](const ConsoleOutcome& out) {
            if (gen != m_generation)
                return;
            setRunning(false);
            if (out.failure) {
                const QueryFailure& f = *out.failure;
                m_editor->markError(f.statement.offset, int(f.statement.text.size()));
                m_error->setText(tr("Statement %1 (line %2): %3")
                                     .arg(f.index + 1)
                                     .arg(m_editor->errorLine() + 1)
                                     .arg(f.error.message));
                m_error->show();
                m_info->setText(f.error.code == ErrorCode::Cancelled ? tr("Cancelled")
                                                                     : tr("Failed"));
                emit finished(false);
                return;
            }
            const QueryOutcome& o = *out.outcome;
            if (o.hasRows) {
                m_resultStatements = {m_pending.constLast()};
                m_result->startResult(m_session, o.columns, o.truncated);
            } else {
                m_info->setText(
                    tr("%n statement(s) run in %1 ms", nullptr, o.statementsRun).arg(o.elapsedMs) +
                    (o.rowsAffected >= 0 ? tr(" · %n row(s) affected", nullptr, int(o.rowsAffected))
                                         : QString()));
            }
            emit finished(true);
        });
}

void SqlConsole::loadHistory() {
    m_history->clear();
    for (const QString& sql : history()) {
        QString label = sql.simplified();
        if (label.size() > 80)
            label = label.left(80) + QStringLiteral("…");
        m_history->addItem(label, sql);
    }
    m_history->setCurrentIndex(-1);
}

QStringList SqlConsole::history() const {
    return ConsoleHistory::load(m_historyKey); // a 0600 file, not the settings
}

void SqlConsole::remember(const QString& sql) {
    if (m_historyKey.isEmpty() || sql.trimmed().isEmpty())
        return;
    QStringList list = history();
    list.removeAll(sql);
    list.prepend(sql);
    while (list.size() > kHistoryLimit)
        list.removeLast();
    if (auto saved = ConsoleHistory::save(m_historyKey, list); !saved)
        m_info->setText(saved.error().oneLine());
    loadHistory();
}

} // namespace ctx::ui
