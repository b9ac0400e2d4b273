/* outfile — whole-file reads and atomic whole-file writes (see outfile.h).
 * Called by the import and lint modules; no global state. */
#include "outfile.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

int gw_write_file_atomic(const char *path, const char *data, size_t len, gw_diag *diag)
{
    size_t n = strlen(path) + 16;
    char *tmp = malloc(n);
    if (!tmp) {
        gw_error(diag, path, 0, 0, "cannot write: out of memory");
        return -1;
    }
    snprintf(tmp, n, "%s.XXXXXX", path);   /* beside the target: rename stays in one file system */
    int fd = mkstemp(tmp);
    if (fd < 0) {
        gw_error(diag, path, 0, 0, "cannot create a temporary file beside it: %s", strerror(errno));
        free(tmp);
        return -1;
    }
    struct stat old;
    mode_t mode = stat(path, &old) == 0 ? old.st_mode & 07777 : 0644;
    int rc = -1;
    if (fchmod(fd, mode) != 0 || write_all(fd, data, len) != 0 || fsync(fd) != 0)
        gw_error(diag, path, 0, 0, "cannot write: %s", strerror(errno));
    else if (close(fd) != 0 || (fd = -1, rename(tmp, path) != 0))
        gw_error(diag, path, 0, 0, "cannot write: %s", strerror(errno));
    else
        rc = 0;
    if (fd >= 0)
        close(fd);
    if (rc != 0)
        unlink(tmp);
    free(tmp);
    return rc;
}

char *gw_read_file(const char *path, long max_bytes, size_t *len, gw_diag *diag)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        gw_error(diag, path, 0, 0, "cannot read: %s", strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, used = 0;
    char *buf = malloc(cap);
    /* Read until the end, or until one byte more than allowed has been seen. */
    while (buf && (long)used <= max_bytes) {
        size_t got = fread(buf + used, 1, cap - 1 - used, f);
        used += got;
        if (got == 0 || ferror(f))
            break;
        if (used == cap - 1) {
            char *bigger = cap <= SIZE_MAX / 2 ? realloc(buf, cap * 2) : NULL;
            if (!bigger) {
                free(buf);
                buf = NULL;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    int read_errno = errno;
    bool failed = !buf || ferror(f);
    fclose(f);
    if (failed) {
        gw_error(diag, path, 0, 0, "cannot read: %s", buf ? strerror(read_errno) : "out of memory");
        free(buf);
        return NULL;
    }
    if ((long)used > max_bytes) {
        gw_error(diag, path, 0, 0, "the file is more than %ld bytes, the limit (raise it with "
                 "--limit bytes=N)", max_bytes);
        free(buf);
        return NULL;
    }
    buf[used] = '\0';
    *len = used;
    return buf;
}
