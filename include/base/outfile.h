/* outfile — where a command's output goes, and whole-file reads and writes.
 *
 * An output path that is absent or a regular file is replaced atomically: the
 * bytes go to a temporary file beside it, renamed over it only when complete,
 * so a reader (or an interrupted run) never sees half a file and a failed run
 * leaves any old file as it was; a symbolic link to a file stays a link, its
 * target replaced.  A character device or a FIFO (/dev/null, /dev/stdout, a
 * pipe) is never replaced — renaming over /dev/null as root would destroy it
 * — but written in place, once the whole output is ready.  Directories,
 * sockets and block devices are refused, and so is an output that is one of
 * the command's inputs (same file, through any link).
 *
 * Used by `gwpdf import`, `gwpdf lint --fix` and, for the PDF, src/output/pdf/pdfout.c
 * (which streams into its own temporary file and publishes it through here). */
#ifndef GW_OUTFILE_H
#define GW_OUTFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

/* How an output path is written. */
typedef struct gw_out_target {
    char *path;       /* the file to replace (a link resolved) or to write in place; owned */
    bool in_place;    /* a character device or FIFO: write into it, never rename over it */
} gw_out_target;

/* Decide how to write `path`, refusing it when it is a directory, a socket or
 * a block device, when it is empty, or when it is the same file as one of
 * inputs[0..n_inputs).  Returns 0 (free t with gw_out_target_free), or -1
 * after reporting `PATH: message`. */
int gw_out_target_open(gw_out_target *t, const char *path, const char *const *inputs,
                       size_t n_inputs, gw_diag *diag);
void gw_out_target_free(gw_out_target *t);

/* True when path names an existing file that is the same file as `other`. */
bool gw_same_file(const char *path, const char *other);

/* Copy the whole of fd (from offset 0) into an in-place target.  Returns 0,
 * or -1 after reporting `NAME: cannot write: reason` (ENOSPC for /dev/full). */
int gw_out_copy_into(const gw_out_target *t, int fd, const char *name, gw_diag *diag);

/* Write data[0..len) to path as the rules above say; `inputs` are the
 * command's inputs, which it never overwrites.  An existing file keeps its
 * permission bits; a new one gets 0644.  Returns 0, or -1 after reporting. */
int gw_write_output(const char *path, const char *const *inputs, size_t n_inputs,
                    const char *data, size_t len, gw_diag *diag);

/* Read the whole file at path into a NUL-terminated malloc'd buffer (the
 * caller frees it); *len excludes the NUL.  At most max_bytes are accepted,
 * whatever the file type (a pipe, /dev/stdin, /dev/zero); a directory is
 * refused and the open never blocks.  Returns NULL after reporting, errno
 * then EFBIG when the file was over the bound (a fault of the input, not of
 * the system). */
char *gw_read_file(const char *path, long max_bytes, size_t *len, gw_diag *diag);

#endif
