#include "PrivateFiles.h"

#include <QDir>
#include <QFileInfo>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace ctx {

namespace {
constexpr QFile::Permissions kPrivateDirectory =
    QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner;
} // namespace

Status makePrivateDirectory(const QString& path) {
    const QString absolute = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
    QStringList created; // the components mkpath will make, innermost first
    for (QString dir = absolute; !dir.isEmpty() && !QFileInfo::exists(dir);) {
        created << dir;
        const QString parent = QFileInfo(dir).path();
        if (parent == dir)
            break;
        dir = parent;
    }
    if (!QDir().mkpath(absolute))
        return fail(ErrorCode::Io, QStringLiteral("cannot create the directory"), path);
    if (!created.contains(absolute))
        created << absolute;
    for (const QString& dir : created)
        if (!QFile::setPermissions(dir, kPrivateDirectory))
            return fail(ErrorCode::Io, QStringLiteral("cannot make the directory private"), dir);
    return {};
}

Status createPrivateFile(const QString& path, bool exclusive) {
#ifdef Q_OS_UNIX
    const QByteArray name = QFile::encodeName(path);
    const int fd =
        ::open(name.constData(), O_WRONLY | O_CREAT | O_CLOEXEC | (exclusive ? O_EXCL : 0), 0600);
    if (fd < 0)
        return fail(errno == EEXIST ? ErrorCode::Conflict : ErrorCode::Io,
                    errno == EEXIST ? QStringLiteral("the file already exists")
                                    : QString::fromLocal8Bit(std::strerror(errno)),
                    path);
    struct stat st {};
    const bool regular = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    const bool tightened = !regular || (st.st_mode & 077) == 0 || ::fchmod(fd, 0600) == 0;
    ::close(fd);
    if (!tightened)
        return fail(ErrorCode::Io, QStringLiteral("cannot make the file private"), path);
    return {};
#else
    QFile f(path);
    if (exclusive && f.exists())
        return fail(ErrorCode::Conflict, QStringLiteral("the file already exists"), path);
    if (!f.open(QIODevice::ReadWrite, kPrivateFile))
        return fail(ErrorCode::Io, f.errorString(), path);
    f.close();
    return restrictToOwner(path);
#endif
}

Status restrictToOwner(const QString& path) {
    const QFileInfo info(path);
    if (!info.isFile() || info.isSymLink())
        return {};
    const QFile::Permissions others = QFile::ReadGroup | QFile::WriteGroup | QFile::ExeGroup |
                                      QFile::ReadOther | QFile::WriteOther | QFile::ExeOther;
    if (!(info.permissions() & others))
        return {};
    if (!QFile::setPermissions(path, info.permissions() & (kPrivateFile | QFile::ExeOwner)))
        return fail(ErrorCode::Io, QStringLiteral("cannot make the file private"), path);
    return {};
}

} // namespace ctx
