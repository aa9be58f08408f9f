#include "SourceWatch.h"

#include "ReadWithoutShmVfs.h"

#include <QElapsedTimer>
#include <QFile>
#include <QThread>

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ctx {

namespace {

// SQLite's unix VFS: a SHARED lock is a read lock on these bytes of the database file,
// EXCLUSIVE a write lock on all of them (os_unix.c, PENDING_BYTE 0x40000000).
constexpr off_t kSharedFirst = 0x40000000 + 2;
constexpr off_t kSharedSize = 510;

#ifdef F_OFD_SETLK
constexpr int kSetLock = F_OFD_SETLK; // not dropped by a close() of another descriptor
#else
constexpr int kSetLock = F_SETLK;
#endif

enum class Lock { Taken, Busy, Unsupported };

Lock readLockShared(int fd) {
    struct flock lock = {};
    lock.l_type = F_RDLCK;
    lock.l_whence = SEEK_SET;
    lock.l_start = kSharedFirst;
    lock.l_len = kSharedSize;
    if (fcntl(fd, kSetLock, &lock) == 0)
        return Lock::Taken;
    return errno == EAGAIN || errno == EACCES || errno == EINTR ? Lock::Busy : Lock::Unsupported;
}

qint64 nanos(const struct timespec& t) {
    return qint64(t.tv_sec) * 1000000000 + t.tv_nsec;
}

bool walHeader(const QByteArray& header) {
    return header.size() > 19 && header[19] == 2;
}

} // namespace

Result<std::unique_ptr<SourceWatch>> SourceWatch::start(const QString& path, int waitMs) {
    std::unique_ptr<SourceWatch> w(new SourceWatch);
    w->m_path = path;
    w->m_fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
    if (w->m_fd < 0)
        return fail(ErrorCode::Io, QStringLiteral("cannot read: %1").arg(qt_error_string(errno)),
                    path);
    QElapsedTimer waited;
    waited.start();
    bool locked = false;
    // The lock comes before the look for -wal/-shm: from then on, a -shm that is not
    // there stays visible once a writer creates it. A file that became WAL between the
    // first look and the lock is looked at again.
    for (;;) {
        w->m_start = w->look();
        w->m_walMode = walHeader(w->m_start.header);
        if (!w->m_walMode || locked)
            break;
        const Lock lock = readLockShared(w->m_fd);
        // A file system without locks (ENOLCK): SQLite's writers cannot lock it either;
        // the watch goes on with what it can see.
        locked = lock != Lock::Busy;
        if (!locked && waited.elapsed() >= waitMs)
            return fail(ErrorCode::Locked,
                        QStringLiteral("another process holds the file exclusively (a server "
                                       "in exclusive locking mode); stop it and try again"),
                        path);
        if (!locked)
            QThread::msleep(10); // a closing server holds EXCLUSIVE for its last checkpoint
    }
    return w;
}

SourceWatch::~SourceWatch() {
    if (m_fd >= 0)
        ::close(m_fd); // and with it the lock
}

SourceWatch::State SourceWatch::look() const {
    State s;
    struct stat st = {};
    if (::stat(QFile::encodeName(m_path).constData(), &st) == 0) {
        s.exists = true;
        s.dev = st.st_dev;
        s.ino = st.st_ino;
        s.size = st.st_size;
        s.mtimeNs = nanos(st.st_mtim);
    }
    if (::stat(QFile::encodeName(m_path + QStringLiteral("-wal")).constData(), &st) == 0) {
        s.wal = true;
        s.walIno = st.st_ino;
        s.walSize = st.st_size;
        s.walMtimeNs = nanos(st.st_mtim);
    }
    s.shm = ::access(QFile::encodeName(m_path + QStringLiteral("-shm")).constData(), F_OK) == 0;
    s.header = QByteArray(100, '\0');
    const ssize_t n = ::pread(m_fd, s.header.data(), size_t(s.header.size()), 0);
    s.header.truncate(n > 0 ? qsizetype(n) : 0);
    return s;
}

QString SourceWatch::uriQuery() const {
    if (m_start.wal && !m_start.shm)
        return QStringLiteral("mode=ro&vfs=") + QLatin1String(ReadWithoutShmVfs::name());
    return m_start.wal || m_start.shm ? QStringLiteral("mode=ro")
                                      : QStringLiteral("mode=ro&immutable=1");
}

Status SourceWatch::unchanged() const {
    if (!needed())
        return {};
    const State now = look();
    const State& s = m_start;
    const bool same =
        now.exists && !now.shm && now.dev == s.dev && now.ino == s.ino && now.size == s.size &&
        now.mtimeNs == s.mtimeNs && now.header == s.header && now.wal == s.wal &&
        (!s.wal ||
         (now.walIno == s.walIno && now.walSize == s.walSize && now.walMtimeNs == s.walMtimeNs));
    if (same)
        return {};
    return fail(ErrorCode::Conflict,
                QStringLiteral("the source changed while it was read (a server started writing "
                               "it)"),
                m_path);
}

} // namespace ctx
