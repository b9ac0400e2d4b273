/* serve — `gwpdf serve`: the HTTP server (libmicrohttpd) behind the web page
 * where clerks paste or open their text, see the pages as they will print and
 * download the PDF, and the JSON API the page and scripts use (docs/serve.md).
 *
 * The server itself parses no document: each request's files go to a private
 * directory (workdir.h) and the work is done there by a worker process running
 * this same binary's CLI (job.h) under rlimits, at most `workers` at once with
 * up to `queue` more waiting, so what a document does (its errors, its size,
 * a crash) stays in its worker, and the server keeps no state between
 * requests: several can stand behind one load balancer (docs/deploy.md).
 *
 * Called by the CLI (src/cli/main.c). */
#ifndef GW_SERVE_H
#define GW_SERVE_H

#include <stdbool.h>
#include <stddef.h>

#include "fonts.h"

typedef struct gw_serve_options {
    const char *listen;          /* "ADDR:PORT" ("[ADDR]:PORT" for IPv6) */
    long workers;                /* documents worked on at once */
    long queue;                  /* requests that may wait for a worker */
    long max_body;               /* bytes of a request body */
    long cpu_seconds;            /* each worker's CPU time */
    long memory_mib;             /* each worker's address space (0: no limit) */
    long request_timeout;        /* seconds a client has to send its request */
    const char *exe;             /* the gwpdf binary the workers run */
    const char *const *worker_args;  /* options given to every CLI run (fonts, limits) */
    size_t n_worker_args;
    const gw_fontset *fonts;     /* the fonts the workers will find, for /api/fonts */
    const char *version;
} gw_serve_options;

/* Serve until SIGINT or SIGTERM.  Messages (the address served, a warning for
 * an address other than loopback, one line a request) go to stderr.  Returns
 * the exit status: 0 after a signal, 2 when the server could not start. */
int gw_serve_run(const gw_serve_options *opt);

#endif
