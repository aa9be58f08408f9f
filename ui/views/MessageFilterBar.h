#pragma once

#include "core/store/StoreTypes.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QLineEdit;
class QTimer;

namespace ctx::ui {

// The message list's filters: sender, sender type, visibility, message type, a time
// range, and whose eyes to look through ("admin" or an agent id, applying the
// server's visibility rules). Emits changed() once the user pauses.
class MessageFilterBar : public QWidget {
    Q_OBJECT
public:
    explicit MessageFilterBar(QWidget* parent = nullptr);

    MessageFilter filter() const;
    Viewer viewer() const;
    void setAgents(const QStringList& agents);
    QStringList agents() const; // offered under "view as", besides admin
    void setSender(const QString& sender);
    void setVisibility(const QString& visibility);
    void setViewer(const Viewer& viewer);
    void setTimeRange(std::optional<qint64> sinceMicros, std::optional<qint64> untilMicros);
    void clear();

signals:
    void changed();

private:
    void schedule();

    QLineEdit* m_sender;
    QComboBox* m_senderType;
    QComboBox* m_visibility;
    QLineEdit* m_type;
    QCheckBox* m_useSince;
    QDateTimeEdit* m_since;
    QCheckBox* m_useUntil;
    QDateTimeEdit* m_until;
    QComboBox* m_viewer;
    QTimer* m_debounce;
    bool m_quiet = false;
};

} // namespace ctx::ui
