/* ziplib — libzip, loaded when a .docx is read and not before.
 *
 * libzip brings libcrypto (for encrypted archives, which the import refuses
 * anyway) and libbz2: linked into gwpdf, their loading and relocation were
 * 1.6 ms of every start, some 5 % of rendering the real report, for a library
 * only `gwpdf import FILE.docx` uses (docs/performance.md).  So docx.c calls
 * libzip through this table, filled with dlopen/dlsym from the libzip the
 * build was made against (its soname, GW_LIBZIP_SONAME), and closed after the
 * import.  The types are libzip's own, from <zip.h>.
 *
 * Internal to the import: called by docx.c only. */
#ifndef GW_ZIPLIB_H
#define GW_ZIPLIB_H

#include <zip.h>

typedef struct gw_ziplib {
    void *handle;
    zip_source_t *(*source_buffer_create)(const void *, zip_uint64_t, int, zip_error_t *);
    void (*source_free)(zip_source_t *);
    zip_t *(*open_from_source)(zip_source_t *, int, zip_error_t *);
    void (*discard)(zip_t *);
    void (*error_init)(zip_error_t *);
    void (*error_fini)(zip_error_t *);
    int (*error_code_zip)(const zip_error_t *);
    const char *(*error_strerror)(zip_error_t *);
    const char *(*strerror)(zip_t *);
    zip_int64_t (*get_num_entries)(zip_t *, zip_flags_t);
    const char *(*get_name)(zip_t *, zip_uint64_t, zip_flags_t);
    zip_int64_t (*name_locate)(zip_t *, const char *, zip_flags_t);
    void (*stat_init)(zip_stat_t *);
    int (*stat_index)(zip_t *, zip_uint64_t, zip_flags_t, zip_stat_t *);
    zip_file_t *(*fopen_index)(zip_t *, zip_uint64_t, zip_flags_t);
    zip_int64_t (*fread)(zip_file_t *, void *, zip_uint64_t);
    const char *(*file_strerror)(zip_file_t *);
    int (*fclose)(zip_file_t *);
} gw_ziplib;

/* Load libzip into *z: 0, or -1 with *why saying what failed (dlerror's
 * words, valid until the next dl call). */
int gw_ziplib_open(gw_ziplib *z, const char **why);
/* Unload it (a zeroed or failed *z is fine). */
void gw_ziplib_close(gw_ziplib *z);

#endif
