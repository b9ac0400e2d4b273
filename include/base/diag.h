/* diag — error and warning reporting for every stage of gwpdf.
 *
 * Each message is one line, `FILE:LINE:COL: message` (or `FILE:LINE: message`
 * when the column is unknown, or `FILE: message`).  Messages go to the sink the
 * caller chose (stderr in the CLI, a memory stream in tests).  No global state:
 * a gw_diag is passed down the pipeline by whoever owns it. */
#ifndef GW_DIAG_H
#define GW_DIAG_H

#include <stddef.h>
#include <stdio.h>

typedef struct gw_diag {
    FILE *sink;       /* where messages are written; not owned */
    int errors;       /* errors reported so far */
    int warnings;     /* warnings reported so far */
    int max_errors;   /* print at most this many errors, and as many warnings (0 = no limit) */
    const char *line_mark;  /* written before a line number (the .docx import's "¶"); NULL: none */
} gw_diag;

/* A diagnostics sink writing to `sink` (NULL means stderr). */
gw_diag gw_diag_init(FILE *sink);

/* Report an error.  line/col <= 0 mean "unknown".  file may be NULL.  Control
 * characters in the file name or the message (a newline in a file name) are
 * printed escaped (\n, \xNN), so each message stays one line. */
void gw_error(gw_diag *d, const char *file, long line, long col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Report a warning (printed with "warning: " after the location). */
void gw_warn(gw_diag *d, const char *file, long line, long col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Work split between threads (lanes.h) reports through copies of one diag,
 * one a thread, each made (`*d`) while d reports nothing else; then
 * gw_diag_merge adds what the n copies counted back into d.  Messages go to
 * the one sink, each written whole (stdio locks the stream per write), so
 * lines never mix; the cap is applied per copy. */
void gw_diag_merge(gw_diag *d, const gw_diag *copies, size_t n);

/* After a command: one line saying how many errors and warnings were counted
 * but not printed (over max_errors), prefixed with `name`; nothing when none. */
void gw_diag_summary(const gw_diag *d, const char *name);

#endif
