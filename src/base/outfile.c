/* outfile — output targets, atomic replacement, in-place writes to devices
 * and FIFOs, bounded whole-file reads (see outfile.h).  Called by the CLI, the
 * lint module and the PDF output; no global state. */
#define _DEFAULT_SOURCE  /* realpath */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"

static int write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0) {
            errno = EIO;
            return -1;
        }
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

bool gw_same_file(const char *path, const char *other)
{
    struct stat a, b;
    return stat(path, &a) == 0 && stat(other, &b) == 0 && a.st_dev == b.st_dev &&
           a.st_ino == b.st_ino;
}

void gw_out_target_free(gw_out_target *t)
{
    free(t->path);
    t->path = NULL;
}

int gw_out_target_open(gw_out_target *t, const char *path, const char *const *inputs,
                       size_t n_inputs, gw_diag *diag)
{
    t->path = NULL;
    t->in_place = false;
    if (!*path) {
        gw_error(diag, NULL, 0, 0, "the output file name is empty");
        return -1;
    }
    for (size_t i = 0; i < n_inputs; i++) {
        if (gw_same_file(path, inputs[i])) {
            gw_error(diag, path, 0, 0, "is the input %s itself: writing there would destroy "
                     "the source; choose another output name", inputs[i]);
            return -1;
        }
    }
    struct stat st;
    if (stat(path, &st) != 0) {
        if (errno != ENOENT) {
            gw_error(diag, path, 0, 0, "cannot write: %s", strerror(errno));
            return -1;
        }
        t->path = strdup(path);                  /* a new file (or a dangling link's name) */
    } else if (S_ISREG(st.st_mode)) {
        t->path = realpath(path, NULL);          /* a link stays a link: replace its target */
    } else if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)) {
        t->path = strdup(path);
        t->in_place = true;
    } else {
        gw_error(diag, path, 0, 0, "cannot write the output into %s; name a file",
                 gw_file_kind(st.st_mode));
        return -1;
    }
    if (!t->path) {
        gw_error(diag, path, 0, 0, "cannot write: %s", strerror(errno));
        return -1;
    }
    return 0;
}

/* Open an in-place target for writing.  A FIFO nobody reads fails at once
 * (ENXIO) instead of blocking; the descriptor blocks again for the writes. */
static int open_in_place(const gw_out_target *t, const char *name, gw_diag *diag)
{
    int fd = open(t->path, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    int flags = fd >= 0 ? fcntl(fd, F_GETFL) : -1;
    if (fd >= 0 && flags >= 0 && fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) == 0)
        return fd;
    if (errno == ENXIO)
        gw_error(diag, name, 0, 0, "cannot write: no process is reading this FIFO");
    else
        gw_error(diag, name, 0, 0, "cannot write: %s", strerror(errno));
    if (fd >= 0)
        close(fd);
    return -1;
}

/* Close an in-place target after writing to it (rc 0, or -1 with errno set by
 * the write), keeping the first error, and report it.  Returns rc. */
static int close_in_place(int out, int rc, const char *name, gw_diag *diag)
{
    int err = errno;
    if (close(out) != 0 && rc == 0) {
        rc = -1;
        err = errno;
    }
    if (rc != 0)
        gw_error(diag, name, 0, 0, "cannot write: %s", strerror(err));
    return rc;
}

int gw_out_copy_into(const gw_out_target *t, int fd, const char *name, gw_diag *diag)
{
    if (lseek(fd, 0, SEEK_SET) != 0) {
        gw_error(diag, name, 0, 0, "cannot read the finished output back: %s", strerror(errno));
        return -1;
    }
    int out = open_in_place(t, name, diag);
    if (out < 0)
        return -1;
    char buf[1 << 16];
    int rc = 0;
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n == 0)
            break;
        if (n < 0 || write_all(out, buf, (size_t)n) != 0) {
            rc = -1;
            break;
        }
    }
    return close_in_place(out, rc, name, diag);
}

/* Temporary file beside the target, renamed over it when complete. */
static int replace_atomically(const char *path, const char *name, const char *data, size_t len,
                              gw_diag *diag)
{
    size_t n = strlen(path) + 16;
    char *tmp = malloc(n);
    if (!tmp) {
        gw_error(diag, name, 0, 0, "cannot write: out of memory");
        return -1;
    }
    snprintf(tmp, n, "%s.XXXXXX", path);   /* beside the target: rename stays in one file system */
    int fd = mkstemp(tmp);
    if (fd < 0) {
        gw_error(diag, name, 0, 0, "cannot create a temporary file beside it: %s", strerror(errno));
        free(tmp);
        return -1;
    }
    struct stat old;
    mode_t mode = stat(path, &old) == 0 ? old.st_mode & 07777 : 0644;
    int rc = -1;
    if (fchmod(fd, mode) != 0 || write_all(fd, data, len) != 0 || fsync(fd) != 0)
        gw_error(diag, name, 0, 0, "cannot write: %s", strerror(errno));
    else if (close(fd) != 0 || (fd = -1, rename(tmp, path) != 0))
        gw_error(diag, name, 0, 0, "cannot write: %s", strerror(errno));
    else
        rc = 0;
    if (fd >= 0)
        close(fd);
    if (rc != 0)
        unlink(tmp);
    free(tmp);
    return rc;
}

int gw_write_output(const char *path, const char *const *inputs, size_t n_inputs,
                    const char *data, size_t len, gw_diag *diag)
{
    gw_out_target t;
    if (gw_out_target_open(&t, path, inputs, n_inputs, diag) != 0)
        return -1;
    int rc;
    if (t.in_place) {
        int fd = open_in_place(&t, path, diag);
        rc = fd < 0 ? -1 : close_in_place(fd, write_all(fd, data, len), path, diag);
    } else {
        rc = replace_atomically(t.path, path, data, len, diag);
    }
    gw_out_target_free(&t);
    return rc;
}

char *gw_read_file(const char *path, long max_bytes, size_t *len, gw_diag *diag)
{
    return gw_read_path(path, max_bytes, false, "file", len, diag);
}
