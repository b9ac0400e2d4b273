/* ziplib — libzip through dlopen (see ziplib.h).  Called by docx.c. */
#include "ziplib.h"

#include <stddef.h>
#include <string.h>

#include "dynlib.h"

#ifndef GW_LIBZIP_SONAME
#error "GW_LIBZIP_SONAME (the soname of the libzip built against) must be defined"
#endif

/* Each slot of gw_ziplib and the libzip function it holds. */
static const gw_dl_symbol ZIP_SYMBOLS[] = {
    { "zip_source_buffer_create", offsetof(gw_ziplib, source_buffer_create) },
    { "zip_source_free", offsetof(gw_ziplib, source_free) },
    { "zip_open_from_source", offsetof(gw_ziplib, open_from_source) },
    { "zip_discard", offsetof(gw_ziplib, discard) },
    { "zip_error_init", offsetof(gw_ziplib, error_init) },
    { "zip_error_fini", offsetof(gw_ziplib, error_fini) },
    { "zip_error_code_zip", offsetof(gw_ziplib, error_code_zip) },
    { "zip_error_strerror", offsetof(gw_ziplib, error_strerror) },
    { "zip_strerror", offsetof(gw_ziplib, strerror) },
    { "zip_get_num_entries", offsetof(gw_ziplib, get_num_entries) },
    { "zip_get_name", offsetof(gw_ziplib, get_name) },
    { "zip_name_locate", offsetof(gw_ziplib, name_locate) },
    { "zip_stat_init", offsetof(gw_ziplib, stat_init) },
    { "zip_stat_index", offsetof(gw_ziplib, stat_index) },
    { "zip_fopen_index", offsetof(gw_ziplib, fopen_index) },
    { "zip_fread", offsetof(gw_ziplib, fread) },
    { "zip_file_strerror", offsetof(gw_ziplib, file_strerror) },
    { "zip_fclose", offsetof(gw_ziplib, fclose) },
};

int gw_ziplib_open(gw_ziplib *z, const char **why)
{
    memset(z, 0, sizeof *z);
    z->handle = gw_dl_load(GW_LIBZIP_SONAME, z, ZIP_SYMBOLS,
                           sizeof ZIP_SYMBOLS / sizeof ZIP_SYMBOLS[0], why);
    return z->handle ? 0 : -1;
}

void gw_ziplib_close(gw_ziplib *z)
{
    gw_dl_unload(z->handle);
    memset(z, 0, sizeof *z);
}
