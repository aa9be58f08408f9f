#include "SearchIndexBuild.h"

#include "core/store/SqliteFtsBuilder.h"
#include "core/store/Store.h"

namespace ctx::ui {

SearchIndexBuild::SearchIndexBuild(QObject* parent)
    : QObject(parent) {}

SearchIndexBuild::~SearchIndexBuild() {
    m_stop = true;
    join();
}

void SearchIndexBuild::join() {
    if (m_thread.joinable())
        m_thread.join();
}

void SearchIndexBuild::stop() {
    m_stop = true;
}

void SearchIndexBuild::start(const QString& sourcePath) {
    if (m_running && !m_stop && sourcePath == m_sourcePath)
        return;
    m_stop = true; // a build for another file ends within one batch's interruption
    join();
    m_stop = false;
    m_running = true;
    m_sourcePath = sourcePath;
    const quint64 generation = ++m_generation;
    m_thread = std::thread([this, sourcePath, generation] {
        auto report = [this, generation](qint64 done, qint64 total) {
            QMetaObject::invokeMethod(
                this,
                [this, done, total, generation] {
                    if (generation == m_generation)
                        emit progress(done, total);
                },
                Qt::QueuedConnection);
        };
        auto built = store::SqliteFtsBuilder::refreshCache(
            sourcePath, SearchIndex::cacheDirectory(), report, &m_stop);
        const bool ok = built.has_value();
        const bool cancelled = !ok && built.error().code == ErrorCode::Cancelled;
        const QString message = ok ? QString() : built.error().oneLine();
        // Delivered only while this object lives (the destructor joins first).
        QMetaObject::invokeMethod(
            this,
            [this, ok, cancelled, message, generation] {
                if (generation != m_generation)
                    return; // an earlier build's end: another one runs now
                m_running = false;
                emit finished(ok, cancelled, message);
            },
            Qt::QueuedConnection);
    });
}

} // namespace ctx::ui
