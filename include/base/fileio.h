/* fileio — opening files so that no input can hang or exhaust gwpdf: a FIFO
 * with no writer, a device such as /dev/zero or a directory passed where a
 * file is meant.  Used by the seal reader (image), the fonts module, the CLI's
 * whole-file reads (outfile) and, through them, every command. */
#ifndef GW_FILEIO_H
#define GW_FILEIO_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "diag.h"

/* Open path for reading without ever blocking in open(2) (O_NONBLOCK, then
 * cleared) and require a regular file.  Returns the descriptor, or -1 with
 * *why set to what is wrong: the system's reason ("No such file or
 * directory") or "is a directory", "is a FIFO (named pipe), not a regular
 * file", "is a device, not a regular file", "is a socket, not a regular file".
 * *why points to static text. */
int gw_open_regular(const char *path, const char **why);

/* The same for any file type (a source may come from a pipe or /dev/stdin):
 * only a directory is refused.  Reads from a FIFO block until data or EOF
 * once opened (O_NONBLOCK is cleared), as reading stdin does. */
int gw_open_input(const char *path, const char **why);

/* Read fd to its end into a malloc'd, NUL-terminated buffer (*len without the
 * NUL), accepting at most max_bytes whatever the file type: a device that
 * never ends stops one byte past the bound.  NULL with errno EFBIG when over
 * the bound, ENOMEM or the read error otherwise. */
char *gw_read_fd(int fd, long max_bytes, size_t *len);

/* Open path (gw_open_regular when regular_only, else gw_open_input) and read
 * it whole within max_bytes.  NULL after reporting `PATH: cannot read: why` or
 * `PATH: the NOUN is more than N bytes, the limit (raise it with --limit
 * bytes=N)`; errno is then EFBIG when the bound was passed (the input's fault,
 * not the system's). */
char *gw_read_path(const char *path, long max_bytes, bool regular_only, const char *noun,
                   size_t *len, gw_diag *diag);

/* "a directory", "a FIFO (named pipe)", "a device", "a socket", "a regular
 * file", "a symbolic link" for a st_mode, for messages. */
const char *gw_file_kind(mode_t mode);

/* An unnamed temporary file for reading and writing, in $TMPDIR (else, or
 * when that fails, /tmp): O_TMPFILE, or a named file unlinked at once, so it
 * disappears with the process.  The outputs spill pages into one.  Returns the
 * descriptor, or -1 with errno set. */
int gw_open_scratch(void);

#endif
