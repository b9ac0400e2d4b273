/* workdir — a request's private directory (see workdir.h). */
#define _GNU_SOURCE  /* O_DIRECTORY, O_NOFOLLOW, mkdtemp */
#include "workdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "utf8.h"

bool gw_upload_name_ok(const char *name, size_t len, const char **why)
{
    if (len == 0 || len > 255) {
        *why = "a file name must be 1 to 255 bytes long";
        return false;
    }
    if (name[0] == '.') {
        *why = "a file name may not start with '.'";
        return false;
    }
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)name[i];
        if (ch == '/' || ch == '\\') {
            *why = "a file name is a single name: no '/' or '\\'";
            return false;
        }
        if (ch < 0x20 || ch == 0x7F) {
            *why = "a file name may not hold control characters";
            return false;
        }
    }
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = gw_utf8_decode((const unsigned char *)name + i, len - i, &cp);
        if (n == 0) {
            *why = "a file name must be UTF-8";
            return false;
        }
        i += n;
    }
    return true;
}

int gw_workdir_make(const char *parent, const char *prefix, char out[PATH_MAX])
{
    int n = snprintf(out, PATH_MAX, "%s/%sXXXXXX", parent, prefix);
    if (n < 0 || n >= PATH_MAX) {
        errno = ENAMETOOLONG;
        return -1;
    }
    return mkdtemp(out) ? 0 : -1;
}

int gw_workdir_create(const char *dir, const char *name)
{
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0)
        return -1;
    int fd = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    int err = errno;
    close(dfd);
    errno = err;
    return fd;
}

/* Everything in the directory open at dfd (which this closes), depth first. */
static int empty_dir(int dfd, int depth)
{
    DIR *d = fdopendir(dfd);
    if (!d) {
        close(dfd);
        return -1;
    }
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        if (unlinkat(dirfd(d), e->d_name, 0) == 0)
            continue;
        if (errno != EISDIR && errno != EPERM) {
            rc = -1;
            continue;
        }
        /* A directory (the PNG pages' folder): its contents, then itself. */
        int sub = depth < 8 ? openat(dirfd(d), e->d_name,
                                     O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) : -1;
        if (sub < 0 || empty_dir(sub, depth + 1) != 0 ||
            unlinkat(dirfd(d), e->d_name, AT_REMOVEDIR) != 0)
            rc = -1;
    }
    closedir(d);
    return rc;
}

int gw_workdir_remove(const char *dir)
{
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dfd < 0)
        return errno == ENOENT ? 0 : -1;
    int rc = empty_dir(dfd, 0);
    if (rmdir(dir) != 0)
        rc = -1;
    return rc;
}
