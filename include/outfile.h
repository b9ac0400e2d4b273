/* outfile — writing a whole file atomically: the bytes go to a temporary file
 * beside the target, which is renamed over it only when complete, so a reader
 * (or an interrupted run) never sees half a file and a failed run leaves any
 * old file as it was.  Used by `gwpdf import` and `gwpdf lint --fix` (the PDF
 * output has its own, streaming, variant in src/pdfout.c). */
#ifndef GW_OUTFILE_H
#define GW_OUTFILE_H

#include <stddef.h>

#include "diag.h"

/* Write data[0..len) to path.  An existing file keeps its permission bits; a
 * new one gets 0644.  Returns 0, or -1 after reporting `PATH: message`. */
int gw_write_file_atomic(const char *path, const char *data, size_t len, gw_diag *diag);

/* Read the whole file at path into a NUL-terminated malloc'd buffer (the
 * caller frees it); *len excludes the NUL.  At most max_bytes are accepted.
 * Returns NULL after reporting `PATH: message`. */
char *gw_read_file(const char *path, long max_bytes, size_t *len, gw_diag *diag);

#endif
