/* server — what the server's files share (internal to src/server/): the
 * server and its gate, a request as it is received and worked on, and the
 * functions each file gives the others.
 *
 *   serve.c    routes, libmicrohttpd's callbacks, start and stop
 *   receive.c  the body: raw or multipart, into the request's directory
 *   work.c     the gate, the worker's command, the answers built from its files
 *   answer.c   HTTP answers: JSON, errors, the page's files
 */
#ifndef GW_SERVER_SERVER_H
#define GW_SERVER_SERVER_H

#include <limits.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "job.h"
#include "mhdlib.h"
#include "serve.h"
#include "textbuf.h"

#define MAX_FILES 64             /* files of one request */
#define MAX_OUTPUT (256L << 20)  /* bytes of one output file read back */

/* At most `running` documents at once, at most `waiting` more queued.  A job
 * still running after a second moves to the background: it leaves its slot
 * to the next request and goes on at the lowest CPU priority, so one huge
 * document (or a client sending them again and again) does not halve the
 * server for everyone's short ones; at most max_running jobs are in the
 * background at once (past that a long job keeps its slot). */
typedef struct gate {
    pthread_mutex_t lock;
    pthread_cond_t freed;
    long running, waiting, background, max_running, max_waiting;
} gate;

#define BACKGROUND_AFTER 1.0     /* seconds */

typedef struct server {
    const gw_serve_options *opt;
    char tmp[PATH_MAX];          /* the server's own temporary directory */
    char *fonts_json;            /* GET /api/fonts, made once */
    gate gate;
    gw_job_limits limits;
    gw_mhd mhd;
} server;

typedef enum route {
    ROUTE_NONE, ROUTE_INDEX, ROUTE_SCRIPT, ROUTE_STYLE, ROUTE_HEALTH, ROUTE_FONTS,
    ROUTE_IMPORT, ROUTE_LINT, ROUTE_RENDER
} route;

typedef struct request {
    server *srv;
    route route;
    struct timespec started;
    char dir[PATH_MAX];          /* "" until made */
    char name[256];              /* the source's name as the client gave it */
    char format[8];              /* render: pdf ofd png */
    int dpi;
    struct MHD_PostProcessor *pp;
    int fd;                      /* the file being received, or -1 */
    bool part_open;              /* a multipart part is being written */
    bool have_source;
    char *names[MAX_FILES];      /* the files received, as named by the client */
    size_t n_names;
    uint64_t received;
    bool post;
    bool answered;               /* a response was queued (an early error) */
    unsigned status;             /* the status answered, for the log */
    int bad_status;              /* an error found while receiving the body */
    char bad[320];
} request;

/* The output names the worker writes, in the request's directory; our own
 * names start with '.', which no client's file may. */
#define OUT_STEM ".gw-out"

typedef struct work {
    const char *argv[96];
    size_t argc;
    char out[PATH_MAX];          /* import: OUT.xml, render: the output file */
    char dpi[16];
} work;

/* answer.c */
double seconds_since(const struct timespec *t0);
/* Queue `len` bytes (taken over: freed by libmicrohttpd) with `type`. */
enum MHD_Result answer(struct MHD_Connection *con, request *rq, unsigned status, const char *type,
                       char *data, size_t len, const char *download);
enum MHD_Result answer_json(struct MHD_Connection *con, request *rq, unsigned status, gw_buf *b);
/* {"ok": false, "error": why} */
enum MHD_Result answer_error(struct MHD_Connection *con, request *rq, unsigned status,
                             const char *why);
/* A GET: the page's files, /api/health, /api/fonts. */
enum MHD_Result answer_get(struct MHD_Connection *con, request *rq);

/* receive.c: the first call of a POST, each piece of its body, its end (false
 * after an error, in rq->bad_status and rq->bad). */
void receive_begin(struct MHD_Connection *con, request *rq);
void receive_data(request *rq, const char *data, size_t size);
bool receive_end(request *rq);

/* work.c */
void gate_init(gate *g, long running, long waiting);
/* The worker's command line for the request (argv into w). */
void build_command(const request *rq, work *w);
/* What went wrong with a worker that did not simply exit, as a message; NULL if nothing. */
const char *job_trouble(const gw_job_result *r, const server *srv, char *buf, size_t n);
/* Through the gate, the worker, and the answer. */
enum MHD_Result do_work(struct MHD_Connection *con, request *rq);

#endif
