/* diag — formats `FILE:LINE:COL: message` lines for every stage (see diag.h).
 * Called by the model, fonts, layout, PDF output and the CLI. */
#include "diag.h"

#include <stdarg.h>

gw_diag gw_diag_init(FILE *sink)
{
    gw_diag d = { sink ? sink : stderr, 0, 0, 100 };
    return d;
}

static void emit(gw_diag *d, const char *kind, const char *file, long line, long col,
                 const char *fmt, va_list ap)
{
    FILE *out = d->sink ? d->sink : stderr;
    if (file && line > 0 && col > 0)
        fprintf(out, "%s:%ld:%ld: ", file, line, col);
    else if (file && line > 0)
        fprintf(out, "%s:%ld: ", file, line);
    else if (file)
        fprintf(out, "%s: ", file);
    fputs(kind, out);
    vfprintf(out, fmt, ap);
    fputc('\n', out);
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
    va_list ap;
    va_start(ap, fmt);
    emit(d, "warning: ", file, line, col, fmt, ap);
    va_end(ap);
}
