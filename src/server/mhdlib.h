/* mhdlib — libmicrohttpd, loaded when `gwpdf serve` starts and not before.
 *
 * Debian's libmicrohttpd brings GnuTLS and its dozen libraries: linked into
 * gwpdf they cost some 2.5 ms of every start of every command, and the
 * server's workers are the CLI, started once a request (docs/performance.md).
 * So serve.c calls libmicrohttpd through this table, filled by dynlib.h from
 * the library the build was made against (its soname, GW_MHD_SONAME).  The
 * types are libmicrohttpd's own, from <microhttpd.h>.
 *
 * Internal to the server: called by serve.c only. */
#ifndef GW_SERVER_MHDLIB_H
#define GW_SERVER_MHDLIB_H

#include <microhttpd.h>

typedef struct gw_mhd {
    void *handle;
    struct MHD_Daemon *(*start_daemon)(unsigned int, uint16_t, MHD_AcceptPolicyCallback, void *,
                                       MHD_AccessHandlerCallback, void *, ...);
    void (*stop_daemon)(struct MHD_Daemon *);
    const union MHD_DaemonInfo *(*get_daemon_info)(struct MHD_Daemon *, enum MHD_DaemonInfoType,
                                                   ...);
    struct MHD_Response *(*create_response_from_buffer)(size_t, void *, enum MHD_ResponseMemoryMode);
    enum MHD_Result (*add_response_header)(struct MHD_Response *, const char *, const char *);
    enum MHD_Result (*queue_response)(struct MHD_Connection *, unsigned int, struct MHD_Response *);
    void (*destroy_response)(struct MHD_Response *);
    const char *(*lookup_connection_value)(struct MHD_Connection *, enum MHD_ValueKind,
                                           const char *);
    struct MHD_PostProcessor *(*create_post_processor)(struct MHD_Connection *, size_t,
                                                       MHD_PostDataIterator, void *);
    enum MHD_Result (*post_process)(struct MHD_PostProcessor *, const char *, size_t);
    enum MHD_Result (*destroy_post_processor)(struct MHD_PostProcessor *);
} gw_mhd;

/* Load libmicrohttpd into *m: 0, or -1 with *why saying what failed. */
int gw_mhd_open(gw_mhd *m, const char **why);
void gw_mhd_close(gw_mhd *m);

#endif
