/* diag — formats `FILE:LINE:COL: message` lines for every stage (see diag.h).
 * Called by the model, fonts, layout, PDF output and the CLI. */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "textbuf.h"

gw_diag gw_diag_init(FILE *sink)
{
    gw_diag d = { sink ? sink : stderr, 0, 0, 100, NULL };
    return d;
}

void gw_diag_merge(gw_diag *d, const gw_diag *copies, size_t n)
{
    int errors = d->errors, warnings = d->warnings;
    for (size_t i = 0; i < n; i++) {
        d->errors += copies[i].errors - errors;
        d->warnings += copies[i].warnings - warnings;
    }
}

/* s with C0 controls and DEL escaped: a file name holding a newline must not
 * break the one-message-a-line format that editors and scripts parse. */
static void put_escaped(gw_buf *b, const char *s)
{
    const char *run = s;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p >= 0x20 && *p != 0x7F)
            continue;
        gw_buf_put(b, run, (size_t)((const char *)p - run));
        if (*p == '\n')
            gw_buf_str(b, "\\n");
        else if (*p == '\r')
            gw_buf_str(b, "\\r");
        else if (*p == '\t')
            gw_buf_str(b, "\\t");
        else
            gw_buf_printf(b, "\\x%02X", *p);
        run = (const char *)p + 1;
    }
    gw_buf_str(b, run);
}

/* The line is made whole, then written at once: stderr is unbuffered, and a
 * character at a time was one system call each. */
static void emit(gw_diag *d, const char *kind, const char *file, long line, long col,
                 const char *fmt, va_list ap)
{
    FILE *out = d->sink ? d->sink : stderr;
    gw_buf b = { 0 };
    if (file) {
        put_escaped(&b, file);
        const char *mark = d->line_mark ? d->line_mark : "";
        if (line > 0 && col > 0)
            gw_buf_printf(&b, ":%s%ld:%ld", mark, line, col);
        else if (line > 0)
            gw_buf_printf(&b, ":%s%ld", mark, line);
        gw_buf_str(&b, ": ");
    }
    gw_buf_str(&b, kind);
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    char *msg = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (msg) {
        vsnprintf(msg, (size_t)n + 1, fmt, ap);
        put_escaped(&b, msg);
    }
    gw_buf_str(&b, "\n");
    if (msg && !b.oom) {
        fwrite(b.s, 1, b.n, out);
    } else {                         /* out of memory: the message unescaped beats none */
        fputs(kind, out);
        if (msg)
            fputs(msg, out);
        else
            vfprintf(out, fmt, ap);
        fputc('\n', out);
    }
    free(msg);
    free(b.s);
    fflush(out);
}

void gw_error(gw_diag *d, const char *file, long line, long col, const char *fmt, ...)
{
    d->errors++;
    if (d->max_errors > 0 && d->errors > d->max_errors)
        return;
    va_list ap;
    va_start(ap, fmt);
    emit(d, "", file, line, col, fmt, ap);
    va_end(ap);
}

void gw_warn(gw_diag *d, const char *file, long line, long col, const char *fmt, ...)
{
    d->warnings++;
    if (d->max_errors > 0 && d->warnings > d->max_errors)
        return;
    va_list ap;
    va_start(ap, fmt);
    emit(d, "warning: ", file, line, col, fmt, ap);
    va_end(ap);
}

void gw_diag_summary(const gw_diag *d, const char *name)
{
    if (d->max_errors <= 0)
        return;
    int errors = d->errors > d->max_errors ? d->errors - d->max_errors : 0;
    int warnings = d->warnings > d->max_errors ? d->warnings - d->max_errors : 0;
    if (!errors && !warnings)
        return;
    FILE *out = d->sink ? d->sink : stderr;
    gw_buf b = { 0 };
    put_escaped(&b, name);
    if (b.oom)
        fputs(name, out);
    else
        fputs(b.s, out);
    free(b.s);
    if (errors && warnings)
        fprintf(out, ": %d more errors and %d more warnings not shown", errors, warnings);
    else if (errors)
        fprintf(out, ": %d more errors not shown", errors);
    else
        fprintf(out, ": %d more warnings not shown", warnings);
    fputs(" (raise the limit with --limit errors=N)\n", out);
    fflush(out);
}
