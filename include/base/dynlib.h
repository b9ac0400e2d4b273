/* dynlib — a shared library loaded when it is first needed, its functions
 * looked up into a table of pointers.  gwpdf links every library its common
 * path needs, but those only one command uses (libzip for a .docx import,
 * libmicrohttpd for serve, cairo for the PNG output) are opened this way:
 * linked in, their loading and relocation would be paid by every start of
 * every command — and the server's workers start once a request
 * (docs/performance.md).
 *
 * Used by src/import/ziplib.c, src/server/mhdlib.c and
 * src/output/png/cairolib.c. */
#ifndef GW_DYNLIB_H
#define GW_DYNLIB_H

#include <stddef.h>

/* One function: its symbol and where its pointer goes in the table. */
typedef struct gw_dl_symbol {
    const char *symbol;
    size_t offset;
} gw_dl_symbol;

/* dlopen `soname` and store each symbol's address at its offset in `table`.
 * The handle (for gw_dl_unload), or NULL with *why saying what failed
 * (dlerror's words, valid until the next dl call) and the table untouched. */
void *gw_dl_load(const char *soname, void *table, const gw_dl_symbol *symbols, size_t n,
                 const char **why);
void gw_dl_unload(void *handle);

#endif
