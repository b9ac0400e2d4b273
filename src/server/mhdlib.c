/* mhdlib — libmicrohttpd through dlopen (see mhdlib.h).  Called by serve.c. */
#include "mhdlib.h"

#include <stddef.h>
#include <string.h>

#include "dynlib.h"

#ifndef GW_MHD_SONAME
#error "GW_MHD_SONAME (the soname of the libmicrohttpd built against) must be defined"
#endif

static const gw_dl_symbol MHD_SYMBOLS[] = {
    { "MHD_start_daemon", offsetof(gw_mhd, start_daemon) },
    { "MHD_stop_daemon", offsetof(gw_mhd, stop_daemon) },
    { "MHD_get_daemon_info", offsetof(gw_mhd, get_daemon_info) },
    { "MHD_create_response_from_buffer", offsetof(gw_mhd, create_response_from_buffer) },
    { "MHD_add_response_header", offsetof(gw_mhd, add_response_header) },
    { "MHD_queue_response", offsetof(gw_mhd, queue_response) },
    { "MHD_destroy_response", offsetof(gw_mhd, destroy_response) },
    { "MHD_lookup_connection_value", offsetof(gw_mhd, lookup_connection_value) },
    { "MHD_create_post_processor", offsetof(gw_mhd, create_post_processor) },
    { "MHD_post_process", offsetof(gw_mhd, post_process) },
    { "MHD_destroy_post_processor", offsetof(gw_mhd, destroy_post_processor) },
};

int gw_mhd_open(gw_mhd *m, const char **why)
{
    memset(m, 0, sizeof *m);
    m->handle = gw_dl_load(GW_MHD_SONAME, m, MHD_SYMBOLS,
                           sizeof MHD_SYMBOLS / sizeof MHD_SYMBOLS[0], why);
    return m->handle ? 0 : -1;
}

void gw_mhd_close(gw_mhd *m)
{
    gw_dl_unload(m->handle);
    memset(m, 0, sizeof *m);
}
