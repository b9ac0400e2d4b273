/* fileio — non-blocking opens and bounded reads (see fileio.h).  Called by
 * image.c, fonts.c, outfile.c and the model; no global state. */
#define _GNU_SOURCE
#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *gw_file_kind(mode_t mode)
{
    if (S_ISDIR(mode))
        return "a directory";
    if (S_ISFIFO(mode))
        return "a FIFO (named pipe)";
    if (S_ISCHR(mode) || S_ISBLK(mode))
        return "a device";
    if (S_ISSOCK(mode))
        return "a socket";
    if (S_ISLNK(mode))
        return "a symbolic link";
    return "a regular file";
}

static const char *not_regular(mode_t mode)
{
    if (S_ISDIR(mode))
        return "is a directory";
    if (S_ISFIFO(mode))
        return "is a FIFO (named pipe), not a regular file";
    if (S_ISSOCK(mode))
        return "is a socket, not a regular file";
    return "is a device, not a regular file";
}

/* open(2) that cannot block (a FIFO without a writer), then fstat. */
static int open_checked(const char *path, bool regular_only, const char **why)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        *why = strerror(errno);
        if (fd >= 0)
            close(fd);
        return -1;
    }
    if (S_ISDIR(st.st_mode) || (regular_only && !S_ISREG(st.st_mode))) {
        *why = not_regular(st.st_mode);
        close(fd);
        return -1;
    }
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0) {
        *why = strerror(errno);
        close(fd);
        return -1;
    }
    return fd;
}

int gw_open_regular(const char *path, const char **why)
{
    return open_checked(path, true, why);
}

int gw_open_input(const char *path, const char **why)
{
    return open_checked(path, false, why);
}

char *gw_read_fd(int fd, long max_bytes, size_t *len)
{
    size_t cap = 1 << 16, used = 0;
    size_t most = max_bytes < 0 ? 0 : (size_t)max_bytes;
    char *buf = malloc(cap);
    if (!buf) {
        errno = ENOMEM;
        return NULL;
    }
    for (;;) {
        if (used + 1 >= cap) {
            /* Grow up to one byte past the bound: that byte says "too long". */
            char *bigger = cap <= SIZE_MAX / 2 ? realloc(buf, cap * 2) : NULL;
            if (!bigger) {
                free(buf);
                errno = ENOMEM;
                return NULL;
            }
            buf = bigger;
            cap *= 2;
        }
        size_t want = cap - 1 - used;
        if (want > most + 1 - used)
            want = most + 1 - used;
        ssize_t n = read(fd, buf + used, want);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int saved = errno;
            free(buf);
            errno = saved;
            return NULL;
        }
        if (n == 0)
            break;
        used += (size_t)n;
        if (used > most) {
            free(buf);
            errno = EFBIG;
            return NULL;
        }
    }
    buf[used] = '\0';
    *len = used;
    return buf;
}

char *gw_read_path(const char *path, long max_bytes, bool regular_only, const char *noun,
                   size_t *len, gw_diag *diag)
{
    const char *why = NULL;
    int fd = regular_only ? gw_open_regular(path, &why) : gw_open_input(path, &why);
    if (fd < 0) {
        gw_error(diag, path, 0, 0, "cannot read: %s", why);
        errno = 0;
        return NULL;
    }
    char *buf = gw_read_fd(fd, max_bytes, len);
    int err = buf ? 0 : errno;
    close(fd);
    if (!buf && err == EFBIG)
        gw_error(diag, path, 0, 0, "the %s is more than %ld bytes, the limit (raise it with "
                 "--limit bytes=N)", noun, max_bytes);
    else if (!buf)
        gw_error(diag, path, 0, 0, "cannot read: %s", strerror(err));
    errno = err;
    return buf;
}

/* An unnamed file in dir: O_TMPFILE, else a named one unlinked at once. */
static int unnamed_file(const char *dir)
{
    int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0)
        return fd;
    char name[4096];
    if (snprintf(name, sizeof name, "%s/gwpdf-pages.XXXXXX", dir) >= (int)sizeof name)
        return -1;
    fd = mkostemp(name, O_CLOEXEC);
    if (fd >= 0)
        unlink(name);
    return fd;
}

int gw_open_scratch(void)
{
    const char *dir = getenv("TMPDIR");
    int fd = unnamed_file(dir && *dir ? dir : "/tmp");
    if (fd < 0 && dir && *dir)
        fd = unnamed_file("/tmp");
    return fd;
}
