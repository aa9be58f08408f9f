// libFuzzer target: the database URL parser never crashes, its errors are one line, a
// parsed URL with a password never prints it, and no output depends on a password's
// bytes. The first byte picks a form; the rest is either a whole URL, or a password
// placed raw (unencoded, so it may hold '/', '?', '@', ':' or '%') into a URL around it:
// in the user info, in password= or in sslpassword=. Then everything the parser lets
// out (the error line, the redacted URL, the display name, the stored form, the
// scrubbed command-line argument) must be the same when every letter and digit of the
// password is replaced by another: otherwise some byte of it is shown.
#include "core/db/DatabaseUrl.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iterator>

namespace {

// Everything a URL's text can make visible.
QByteArray outputs(const QString& text) {
    QByteArray shown;
    auto url = ctx::DatabaseUrl::parse(text);
    if (!url) {
        const QString line = url.error().oneLine();
        if (line.contains(QLatin1Char('\n')))
            abort();
        shown = "error " + line.toUtf8();
    } else {
        const QString redacted = url->redacted();
        if (url->isPostgres() && url->hasPassword() && !redacted.contains(QStringLiteral(":***@")))
            abort();
        shown = (redacted + QLatin1Char('\n') + url->displayName() + QLatin1Char('\n') +
                 url->withoutSecrets())
                    .toUtf8();
    }
    QByteArray argument = text.toUtf8();
    ctx::scrubSecretsInPlace(argument.data());
    return shown + '\n' + argument;
}

// The same password with each ASCII letter and digit replaced by another.
QByteArray rotated(QByteArray password) {
    for (char& c : password) {
        if (c >= 'a' && c <= 'z')
            c = char('a' + (c - 'a' + 13) % 26);
        else if (c >= 'A' && c <= 'Z')
            c = char('A' + (c - 'A' + 13) % 26);
        else if (c >= '0' && c <= '9')
            c = char('0' + (c - '0' + 5) % 10);
    }
    return password;
}

struct Form {
    const char* before;
    const char* after;
    bool query; // the password is a query value: '&' would end it
};

const Form kForms[] = {
    {"postgresql://bob:", "@db.example/ctx", false},
    {"postgresql://bob:", "@db.example:5433/ctx?sslmode=require&application_name=a", false},
    {"postgresql+asyncpg://bob:", "@[::1]:5499/ctx", false},
    {"postgres://bob:", "@h", false},
    {"postgresql:/bob:", "@h/ctx", false},
    {"postgresql://bob@h/ctx?password=", "", true},
    {"postgresql://bob@h/ctx?sslpassword=", "&sslmode=require", true},
    {"postgresql://h/ctx?sslmode=prefer&password=", "&application_name=a", true},
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0)
        return 0;
    const auto* bytes = reinterpret_cast<const char*>(data);
    const size_t form = size_t(data[0]) % (std::size(kForms) + 1);
    if (form == std::size(kForms)) { // a whole URL
        (void)outputs(QString::fromUtf8(bytes + 1, qsizetype(size - 1)));
        return 0;
    }
    const Form& f = kForms[form];
    // ASCII only, so that replacing a byte never changes how the text decodes.
    QByteArray password;
    for (size_t i = 1; i < size; ++i) {
        const char c = char(data[i] & 0x7f);
        if (c != '\0' && !(f.query && (c == '&' || c == '#')))
            password += c;
    }
    auto build = [&f](const QByteArray& pw) {
        return QString::fromLatin1(QByteArray(f.before) + pw + QByteArray(f.after));
    };
    if (outputs(build(password)) != outputs(build(rotated(password))))
        abort();
    return 0;
}
