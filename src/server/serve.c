/* serve — the HTTP server of `gwpdf serve` (see serve.h and docs/serve.md).
 *
 * One thread a connection (libmicrohttpd's thread-per-connection mode): a
 * request waits for its worker process in its own thread, so a slow render
 * never stalls another client's page or upload.  A request goes through:
 * route (method and path) → body (raw, or multipart parts, each streamed into
 * a file of the request's private directory, within the byte limit and the
 * request deadline) → the gate (at most `workers` running, `queue` waiting,
 * else 503) → the worker (job.c) → the answer, built from the files and the
 * messages the worker left → the directory removed. */
#define _GNU_SOURCE  /* strcasestr */
#include "serve.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fileio.h"
#include "job.h"
#include "mhdlib.h"
#include "reply.h"
#include "textbuf.h"
#include "workdir.h"

/* The page, compiled in (scripts/embed.cmake). */
extern const unsigned char gw_web_index_html[], gw_web_app_js[], gw_web_app_css[];
extern const size_t gw_web_index_html_len, gw_web_app_js_len, gw_web_app_css_len;

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

/* ---- the gate ---------------------------------------------------------- */

static void gate_init(gate *g, long running, long waiting)
{
    pthread_mutex_init(&g->lock, NULL);
    pthread_cond_init(&g->freed, NULL);
    g->running = g->waiting = g->background = 0;
    g->max_running = running;
    g->max_waiting = waiting;
}

/* True once the caller holds a worker slot; false: busy (answer 503). */
static bool gate_enter(gate *g)
{
    pthread_mutex_lock(&g->lock);
    bool ok = g->running < g->max_running;
    if (!ok && g->waiting < g->max_waiting) {
        g->waiting++;
        while (g->running >= g->max_running)
            pthread_cond_wait(&g->freed, &g->lock);
        g->waiting--;
        ok = true;
    }
    if (ok)
        g->running++;
    pthread_mutex_unlock(&g->lock);
    return ok;
}

/* A job of the caller's that runs long: to the background if there is room. */
static bool gate_to_background(gate *g)
{
    pthread_mutex_lock(&g->lock);
    bool ok = g->background < g->max_running;
    if (ok) {
        g->background++;
        g->running--;
        pthread_cond_signal(&g->freed);
    }
    pthread_mutex_unlock(&g->lock);
    return ok;
}

static void gate_leave(gate *g, bool from_background)
{
    pthread_mutex_lock(&g->lock);
    if (from_background)
        g->background--;
    else
        g->running--;
    pthread_cond_signal(&g->freed);
    pthread_mutex_unlock(&g->lock);
}

typedef struct long_job {
    gate *gate;
    bool in_background;
} long_job;

/* job.c's watch: the worker `pid` is still at it after BACKGROUND_AFTER. */
static void job_runs_long(void *arg, int pid)
{
    long_job *lj = arg;
    if (gate_to_background(lj->gate)) {
        lj->in_background = true;
        setpriority(PRIO_PROCESS, (id_t)pid, 19);
    }
}

/* ---- answers ----------------------------------------------------------- */

static double seconds_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Queue `len` bytes (taken over: freed by libmicrohttpd) with `type`. */
static enum MHD_Result answer(struct MHD_Connection *con, request *rq, unsigned status,
                              const char *type, char *data, size_t len, const char *download)
{
    const gw_mhd *mhd = &rq->srv->mhd;
    struct MHD_Response *res = mhd->create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
    if (!res) {
        free(data);
        return MHD_NO;
    }
    mhd->add_response_header(res, "Content-Type", type);
    mhd->add_response_header(res, "Cache-Control", "no-store");
    mhd->add_response_header(res, "X-Content-Type-Options", "nosniff");
    mhd->add_response_header(res, "Referrer-Policy", "no-referrer");
    if (rq && rq->route == ROUTE_INDEX)
        mhd->add_response_header(res, "Content-Security-Policy",
                                "default-src 'self'; img-src 'self' data: blob:; "
                                "style-src 'self' 'unsafe-inline'; object-src 'none'; "
                                "frame-ancestors 'none'; base-uri 'none'");
    if (status == MHD_HTTP_SERVICE_UNAVAILABLE)
        mhd->add_response_header(res, "Retry-After", "1");
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
        mhd->add_response_header(res, "Allow", rq && rq->route >= ROUTE_IMPORT ? "POST" : "GET");
    if (download)
        mhd->add_response_header(res, "Content-Disposition", download);
    enum MHD_Result r = mhd->queue_response(con, status, res);
    mhd->destroy_response(res);
    if (rq) {
        rq->answered = true;
        rq->status = status;
    }
    return r;
}

static enum MHD_Result answer_json(struct MHD_Connection *con, request *rq, unsigned status,
                                   gw_buf *b)
{
    if (b->oom) {
        free(b->s);
        return MHD_NO;
    }
    return answer(con, rq, status, "application/json; charset=utf-8", b->s, b->n, NULL);
}

/* {"ok": false, "error": why} */
static enum MHD_Result answer_error(struct MHD_Connection *con, request *rq, unsigned status,
                                    const char *why)
{
    gw_buf b = { 0 };
    gw_buf_str(&b, "{\"ok\":false,\"error\":");
    gw_json_str(&b, why, strlen(why));
    gw_buf_str(&b, "}\n");
    return answer_json(con, rq, status, &b);
}

static enum MHD_Result answer_static(struct MHD_Connection *con, request *rq, const char *type,
                                     const unsigned char *data, size_t len)
{
    char *copy = malloc(len ? len : 1);
    if (!copy)
        return MHD_NO;
    memcpy(copy, data, len);
    return answer(con, rq, MHD_HTTP_OK, type, copy, len, NULL);
}

/* ---- routing ----------------------------------------------------------- */

static route route_of(const char *url)
{
    static const struct { const char *path; route r; } ROUTES[] = {
        { "/", ROUTE_INDEX }, { "/index.html", ROUTE_INDEX }, { "/app.js", ROUTE_SCRIPT },
        { "/app.css", ROUTE_STYLE }, { "/api/health", ROUTE_HEALTH }, { "/api/fonts", ROUTE_FONTS },
        { "/api/import", ROUTE_IMPORT }, { "/api/lint", ROUTE_LINT }, { "/api/render", ROUTE_RENDER },
    };
    for (size_t i = 0; i < sizeof ROUTES / sizeof ROUTES[0]; i++)
        if (!strcmp(url, ROUTES[i].path))
            return ROUTES[i].r;
    return ROUTE_NONE;
}

static enum MHD_Result answer_get(struct MHD_Connection *con, request *rq)
{
    server *srv = rq->srv;
    switch (rq->route) {
    case ROUTE_INDEX:
        return answer_static(con, rq, "text/html; charset=utf-8", gw_web_index_html,
                             gw_web_index_html_len);
    case ROUTE_SCRIPT:
        return answer_static(con, rq, "text/javascript; charset=utf-8", gw_web_app_js,
                             gw_web_app_js_len);
    case ROUTE_STYLE:
        return answer_static(con, rq, "text/css; charset=utf-8", gw_web_app_css,
                             gw_web_app_css_len);
    case ROUTE_FONTS:
        return answer_static(con, rq, "application/json; charset=utf-8",
                             (const unsigned char *)srv->fonts_json, strlen(srv->fonts_json));
    default: {
        gw_buf b = { 0 };
        gw_buf_str(&b, "{\"ok\":true,\"version\":");
        gw_json_str(&b, srv->opt->version, strlen(srv->opt->version));
        gw_buf_str(&b, "}\n");
        return answer_json(con, rq, MHD_HTTP_OK, &b);
    }
    }
}

/* ---- receiving --------------------------------------------------------- */

static void request_fail(request *rq, int status, const char *why)
{
    if (rq->bad_status)
        return;
    rq->bad_status = status;
    snprintf(rq->bad, sizeof rq->bad, "%s", why);
}

/* Start the file `name` of the request (the source, or one of its files). */
static bool file_begin(request *rq, const char *name, bool is_source)
{
    const char *why;
    if (!gw_upload_name_ok(name, strlen(name), &why)) {
        char msg[320];
        snprintf(msg, sizeof msg, "the file name \"%.255s\" is refused: %s", name, why);
        request_fail(rq, MHD_HTTP_BAD_REQUEST, msg);
        return false;
    }
    if (rq->n_names == MAX_FILES) {
        request_fail(rq, MHD_HTTP_BAD_REQUEST, "more than 64 files in one request");
        return false;
    }
    if (is_source && rq->have_source) {
        request_fail(rq, MHD_HTTP_BAD_REQUEST, "two parts named \"source\": send one source");
        return false;
    }
    rq->fd = gw_workdir_create(rq->dir, name);
    if (rq->fd < 0) {
        char msg[320];
        if (errno == EEXIST)
            snprintf(msg, sizeof msg, "two files named \"%.255s\": each file once", name);
        else
            snprintf(msg, sizeof msg, "cannot store \"%.200s\": %s", name, strerror(errno));
        request_fail(rq, errno == EEXIST ? MHD_HTTP_BAD_REQUEST : MHD_HTTP_INTERNAL_SERVER_ERROR,
                     msg);
        return false;
    }
    rq->names[rq->n_names] = strdup(name);
    if (!rq->names[rq->n_names]) {
        request_fail(rq, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
        return false;
    }
    rq->n_names++;
    if (is_source) {
        rq->have_source = true;
        /* The source is always names[0]: swap it to the front. */
        char *s = rq->names[rq->n_names - 1];
        rq->names[rq->n_names - 1] = rq->names[0];
        rq->names[0] = s;
    }
    return true;
}

static bool file_write(request *rq, const char *data, size_t size)
{
    while (size > 0) {
        ssize_t n = write(rq->fd, data, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            request_fail(rq, MHD_HTTP_INTERNAL_SERVER_ERROR, "cannot store the upload");
            return false;
        }
        data += n;
        size -= (size_t)n;
    }
    return true;
}

static void file_end(request *rq)
{
    if (rq->fd >= 0)
        close(rq->fd);
    rq->fd = -1;
    rq->part_open = false;
}

/* libmicrohttpd's multipart parser hands each part's data here, in pieces. */
static enum MHD_Result on_part(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *filename, const char *content_type,
                               const char *transfer_encoding, const char *data, uint64_t off,
                               size_t size)
{
    (void)kind;
    (void)content_type;
    (void)transfer_encoding;
    request *rq = cls;
    if (rq->bad_status)
        return MHD_NO;
    if (off == 0 || !rq->part_open) {
        file_end(rq);
        bool is_source = !strcmp(key, "source");
        if (!is_source && strcmp(key, "file") != 0) {
            char msg[320];
            snprintf(msg, sizeof msg, "unknown part \"%.200s\": parts are \"source\" and \"file\"",
                     key);
            request_fail(rq, MHD_HTTP_BAD_REQUEST, msg);
            return MHD_NO;
        }
        if (!is_source && (!filename || !*filename)) {
            request_fail(rq, MHD_HTTP_BAD_REQUEST, "a \"file\" part needs its filename");
            return MHD_NO;
        }
        if (is_source && filename && *filename && !strcmp(rq->name, "source.xml"))
            snprintf(rq->name, sizeof rq->name, "%s", filename);
        if (!file_begin(rq, is_source ? rq->name : filename, is_source))
            return MHD_NO;
        rq->part_open = true;
    }
    return file_write(rq, data, size) ? MHD_YES : MHD_NO;
}

static bool is_multipart(const gw_mhd *mhd, struct MHD_Connection *con)
{
    const char *type = mhd->lookup_connection_value(con, MHD_HEADER_KIND, "Content-Type");
    return type && !strncasecmp(type, "multipart/form-data", 19);
}

/* The query: name=, format=, dpi=; false after request_fail. */
static bool read_query(struct MHD_Connection *con, request *rq)
{
    const gw_mhd *mhd = &rq->srv->mhd;
    const char *name = mhd->lookup_connection_value(con, MHD_GET_ARGUMENT_KIND, "name");
    const char *dflt = rq->route == ROUTE_IMPORT ? "document.txt" : "source.xml";
    snprintf(rq->name, sizeof rq->name, "%s", name && *name ? name : dflt);
    if (rq->route != ROUTE_RENDER)
        return true;
    const char *format = mhd->lookup_connection_value(con, MHD_GET_ARGUMENT_KIND, "format");
    if (!format)
        format = "pdf";
    if (strcmp(format, "pdf") && strcmp(format, "ofd") && strcmp(format, "png")) {
        request_fail(rq, MHD_HTTP_BAD_REQUEST, "format= is pdf, ofd or png");
        return false;
    }
    snprintf(rq->format, sizeof rq->format, "%s", format);
    const char *dpi = mhd->lookup_connection_value(con, MHD_GET_ARGUMENT_KIND, "dpi");
    char *end = NULL;
    long v = dpi ? strtol(dpi, &end, 10) : 96;
    if ((dpi && (*end || end == dpi)) || v < 18 || v > 600) {
        request_fail(rq, MHD_HTTP_BAD_REQUEST, "dpi= is a whole number from 18 to 600");
        return false;
    }
    rq->dpi = (int)v;
    return true;
}

/* The first call for a POST: limits, query, directory, body kind. */
static void receive_begin(struct MHD_Connection *con, request *rq)
{
    server *srv = rq->srv;
    const gw_mhd *mhd = &srv->mhd;
    const char *length = mhd->lookup_connection_value(con, MHD_HEADER_KIND, "Content-Length");
    if (length && strtoull(length, NULL, 10) > (unsigned long long)srv->opt->max_body) {
        char msg[160];
        snprintf(msg, sizeof msg, "the request body is %s bytes, more than the server's limit of "
                 "%ld", length, srv->opt->max_body);
        request_fail(rq, MHD_HTTP_CONTENT_TOO_LARGE, msg);
        return;
    }
    if (!read_query(con, rq))
        return;
    if (gw_workdir_make(srv->tmp, "req-", rq->dir) != 0) {
        rq->dir[0] = '\0';
        request_fail(rq, MHD_HTTP_INTERNAL_SERVER_ERROR, "cannot make the request's directory");
        return;
    }
    if (is_multipart(mhd, con)) {
        rq->pp = mhd->create_post_processor(con, 64 * 1024, on_part, rq);
        if (!rq->pp)
            request_fail(rq, MHD_HTTP_BAD_REQUEST, "a multipart/form-data body without its "
                         "boundary");
    } else {
        file_begin(rq, rq->name, true);
    }
}

/* A piece of the body. */
static void receive_data(request *rq, const char *data, size_t size)
{
    const gw_mhd *mhd = &rq->srv->mhd;
    rq->received += size;
    if (rq->received > (uint64_t)rq->srv->opt->max_body) {
        char msg[160];
        snprintf(msg, sizeof msg, "the request body is more than the server's limit of %ld bytes",
                 rq->srv->opt->max_body);
        request_fail(rq, MHD_HTTP_CONTENT_TOO_LARGE, msg);
    } else if (rq->pp) {
        if (mhd->post_process(rq->pp, data, size) != MHD_YES)
            request_fail(rq, MHD_HTTP_BAD_REQUEST, "a malformed multipart/form-data body");
    } else {
        file_write(rq, data, size);
    }
}

/* After the last piece; false after request_fail. */
static bool receive_end(request *rq)
{
    const gw_mhd *mhd = &rq->srv->mhd;
    if (rq->pp && !rq->bad_status) {
        if (mhd->destroy_post_processor(rq->pp) != MHD_YES)
            request_fail(rq, MHD_HTTP_BAD_REQUEST, "a malformed multipart/form-data body (it "
                         "ends inside a part)");
        rq->pp = NULL;
    }
    file_end(rq);
    if (!rq->bad_status && !rq->have_source)
        request_fail(rq, MHD_HTTP_BAD_REQUEST, "no source: send it as the body, or as the "
                     "multipart part named \"source\"");
    return rq->bad_status == 0;
}

/* ---- the work ---------------------------------------------------------- */

/* The output names the worker writes, in the request's directory; our own
 * names start with '.', which no client's file may. */
#define OUT_STEM ".gw-out"

typedef struct work {
    const char *argv[96];
    size_t argc;
    char out[PATH_MAX];          /* import: OUT.xml, render: the output file */
    char dpi[16];
} work;

static void arg(work *w, const char *a)
{
    if (w->argc < sizeof w->argv / sizeof w->argv[0] - 1)
        w->argv[w->argc++] = a;
}

static void build_command(const request *rq, work *w)
{
    const gw_serve_options *opt = rq->srv->opt;
    w->argc = 0;
    arg(w, opt->exe);
    if (rq->route == ROUTE_IMPORT) {
        /* OUT.xml beside the input, named from it, so the seal a .docx gives is
         * OUT-seal.png, a name the returned source can refer to. */
        const char *dot = strrchr(rq->name, '.');
        int stem = dot && dot != rq->name ? (int)(dot - rq->name) : (int)strlen(rq->name);
        snprintf(w->out, sizeof w->out, "%.*s.xml", stem, rq->name);
        if (!strcmp(w->out, rq->name))
            snprintf(w->out, sizeof w->out, "%.*s-imported.xml", stem, rq->name);
        arg(w, "import");
        arg(w, rq->name);
        arg(w, "-o");
        arg(w, w->out);
    } else if (rq->route == ROUTE_LINT) {
        arg(w, "lint");
        arg(w, rq->name);
    } else {
        snprintf(w->out, sizeof w->out, OUT_STEM ".%s", rq->format);
        arg(w, "render");
        arg(w, rq->names[0]);
        arg(w, "-o");
        arg(w, w->out);
        arg(w, "--confine");
        if (!strcmp(rq->format, "png")) {
            snprintf(w->dpi, sizeof w->dpi, "%d", rq->dpi);
            arg(w, "--dpi");
            arg(w, w->dpi);
        }
    }
    for (size_t i = 0; i < opt->n_worker_args; i++)
        arg(w, opt->worker_args[i]);
    w->argv[w->argc] = NULL;
}

static char *read_output(const request *rq, const char *name, size_t *len)
{
    /* The worker's files, absent when it wrote none: nothing to report. */
    char path[PATH_MAX];
    int n = snprintf(path, sizeof path, "%s/%s", rq->dir, name);
    const char *why;
    int fd = n > 0 && (size_t)n < sizeof path ? gw_open_regular(path, &why) : -1;
    if (fd < 0)
        return NULL;
    char *data = gw_read_fd(fd, MAX_OUTPUT, len);
    close(fd);
    return data;
}

/* What went wrong with a worker that did not simply exit, as a message. */
static const char *job_trouble(const gw_job_result *r, const server *srv, char *buf, size_t n)
{
    switch (r->end) {
    case GW_JOB_CPU:
        snprintf(buf, n, "the document needed more than %ld s of processor time, the server's "
                 "limit: split it, or ask for a larger --cpu-seconds", srv->opt->cpu_seconds);
        return buf;
    case GW_JOB_MEMORY:
        snprintf(buf, n, "the document needed more memory than the server's limit of %ld MiB",
                 srv->opt->memory_mib);
        return buf;
    case GW_JOB_WALL:
        snprintf(buf, n, "the document took longer than %.0f s, the server's limit",
                 srv->limits.wall_seconds);
        return buf;
    case GW_JOB_CRASHED:
        snprintf(buf, n, "the worker stopped with signal %d: a bug in gwpdf — please report it "
                 "with this document", r->signal);
        return buf;
    case GW_JOB_NOT_STARTED:
        snprintf(buf, n, "%s", r->error);
        return buf;
    case GW_JOB_EXITED:
        break;
    }
    return NULL;
}

/* "messages":[...] from the worker's stderr, and the trouble if any. */
static void messages_json(gw_buf *b, const request *rq, const gw_job_result *r,
                          const char *trouble, gw_msg_pick pick, bool failed)
{
    size_t count = 0;
    gw_buf_str(b, "[");
    gw_json_messages(b, r->err, (const char *const *)rq->names, rq->n_names, failed, pick, &count);
    if (trouble && pick != GW_MSG_WARNINGS) {
        if (count)
            gw_buf_str(b, ",");
        gw_buf_str(b, "{\"severity\":\"error\",\"file\":");
        gw_json_str(b, rq->name, strlen(rq->name));
        gw_buf_str(b, ",\"line\":0,\"col\":0,\"message\":");
        gw_json_str(b, trouble, strlen(trouble));
        gw_buf_str(b, "}");
    }
    gw_buf_str(b, "]");
}

/* 200, 422 (the input is wrong) or 500 (the worker or the server failed). */
static unsigned status_of(const gw_job_result *r)
{
    if (r->end == GW_JOB_CRASHED || r->end == GW_JOB_NOT_STARTED)
        return MHD_HTTP_INTERNAL_SERVER_ERROR;
    if (r->end != GW_JOB_EXITED || r->exit_status == 1)
        return MHD_HTTP_UNPROCESSABLE_CONTENT;
    return r->exit_status == 0 ? MHD_HTTP_OK : MHD_HTTP_INTERNAL_SERVER_ERROR;
}

static enum MHD_Result answer_failed(struct MHD_Connection *con, request *rq,
                                     const gw_job_result *r, const char *trouble)
{
    gw_buf b = { 0 };
    gw_buf_str(&b, "{\"ok\":false,\"messages\":");
    messages_json(&b, rq, r, trouble, GW_MSG_ALL, true);
    gw_buf_str(&b, "}\n");
    return answer_json(con, rq, status_of(r), &b);
}

static enum MHD_Result answer_import(struct MHD_Connection *con, request *rq, work *w,
                                     const gw_job_result *r)
{
    size_t len = 0, seal_len = 0;
    char *xml = read_output(rq, w->out, &len);
    if (!xml)
        return answer_failed(con, rq, r, "the import wrote no source");
    char seal[PATH_MAX];
    int stem = (int)strlen(w->out) - 4;
    snprintf(seal, sizeof seal, "%.*s-seal.png", stem, w->out);
    char *png = read_output(rq, seal, &seal_len);
    gw_buf b = { 0 };
    gw_buf_str(&b, "{\"ok\":true,\"source\":");
    gw_json_str(&b, xml, len);
    gw_buf_str(&b, ",\"name\":");
    gw_json_str(&b, w->out, strlen(w->out));
    gw_buf_str(&b, ",\"messages\":");
    messages_json(&b, rq, r, NULL, GW_MSG_ALL, false);
    gw_buf_str(&b, ",\"files\":[");
    if (png) {
        gw_buf_str(&b, "{\"name\":");
        gw_json_str(&b, seal, strlen(seal));
        gw_buf_str(&b, ",\"base64\":");
        gw_json_base64(&b, (const unsigned char *)png, seal_len);
        gw_buf_str(&b, "}");
    }
    gw_buf_str(&b, "]}\n");
    free(xml);
    free(png);
    return answer_json(con, rq, MHD_HTTP_OK, &b);
}

static enum MHD_Result answer_lint(struct MHD_Connection *con, request *rq, const gw_job_result *r)
{
    /* Exit 1 is findings or an invalid source: errors tell them apart. */
    size_t errors = 0;
    gw_buf probe = { 0 };
    gw_json_messages(&probe, r->err, (const char *const *)rq->names, rq->n_names, true,
                     GW_MSG_OTHERS, &errors);
    free(probe.s);
    gw_buf b = { 0 };
    gw_buf_printf(&b, "{\"ok\":%s,\"findings\":", errors ? "false" : "true");
    messages_json(&b, rq, r, NULL, GW_MSG_WARNINGS, true);
    gw_buf_str(&b, ",\"messages\":");
    messages_json(&b, rq, r, NULL, GW_MSG_OTHERS, true);
    gw_buf_str(&b, "}\n");
    return answer_json(con, rq, errors ? MHD_HTTP_UNPROCESSABLE_CONTENT : MHD_HTTP_OK, &b);
}

/* The page files the PNG output wrote: OUT.png, or OUT-1.png … OUT-N.png. */
static enum MHD_Result answer_pages(struct MHD_Connection *con, request *rq, work *w,
                                    const gw_job_result *r)
{
    gw_buf b = { 0 };
    gw_buf_str(&b, "{\"ok\":true,\"pages\":[");
    size_t len;
    char *one = read_output(rq, w->out, &len);
    int stem = (int)strlen(w->out) - 4;
    for (long page = 1, width = 1; one || width <= 5; page++) {
        char name[PATH_MAX];
        char *png = one;
        if (!png) {
            snprintf(name, sizeof name, "%.*s-%0*ld.png", stem, w->out, (int)width, page);
            png = read_output(rq, name, &len);
            if (!png) {
                /* pages numbered 01, 02 … when there are ten or more */
                if (page == 1 && width < 5) {
                    width++;
                    page = 0;
                    continue;
                }
                break;
            }
        }
        unsigned px_w = 0, px_h = 0;
        if (len >= 24 && !memcmp(png + 12, "IHDR", 4)) {
            const unsigned char *u = (const unsigned char *)png + 16;
            px_w = (unsigned)u[0] << 24 | (unsigned)u[1] << 16 | (unsigned)u[2] << 8 | u[3];
            px_h = (unsigned)u[4] << 24 | (unsigned)u[5] << 16 | (unsigned)u[6] << 8 | u[7];
        }
        gw_buf_printf(&b, "%s{\"width\":%u,\"height\":%u,\"png\":", page > 1 ? "," : "", px_w, px_h);
        gw_json_base64(&b, (const unsigned char *)png, len);
        gw_buf_str(&b, "}");
        free(png);
        if (one)
            break;
    }
    gw_buf_str(&b, "],\"messages\":");
    messages_json(&b, rq, r, NULL, GW_MSG_ALL, false);
    gw_buf_str(&b, "}\n");
    return answer_json(con, rq, MHD_HTTP_OK, &b);
}

/* The download's name: the source's, its extension the format's. */
static void download_header(const request *rq, char *out, size_t n)
{
    const char *dot = strrchr(rq->name, '.');
    int stem = dot && dot != rq->name ? (int)(dot - rq->name) : (int)strlen(rq->name);
    char name[300];
    snprintf(name, sizeof name, "%.*s.%s", stem, rq->name, rq->format);
    /* RFC 6266: the name itself when it is plain ASCII, else "document.EXT"; and
     * the UTF-8 name percent-encoded. */
    bool ascii = true;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        ascii &= *p >= 0x20 && *p < 0x7F && *p != '"' && *p != '\\' && *p != ';';
    size_t k = ascii ? (size_t)snprintf(out, n, "attachment; filename=\"%s\"; filename*=UTF-8''",
                                        name)
                     : (size_t)snprintf(out, n, "attachment; filename=\"document.%s\"; "
                                        "filename*=UTF-8''", rq->format);
    for (const unsigned char *p = (const unsigned char *)name; *p && k + 4 < n; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~", *p))
            out[k++] = (char)*p;
        else
            k += (size_t)snprintf(out + k, n - k, "%%%02X", *p);
    }
    out[k < n ? k : n - 1] = '\0';
}

static enum MHD_Result answer_render(struct MHD_Connection *con, request *rq, work *w,
                                     const gw_job_result *r)
{
    if (!strcmp(rq->format, "png"))
        return answer_pages(con, rq, w, r);
    size_t len;
    char *data = read_output(rq, w->out, &len);
    if (!data)
        return answer_failed(con, rq, r, "the render wrote no file");
    char disposition[1200];
    download_header(rq, disposition, sizeof disposition);
    return answer(con, rq, MHD_HTTP_OK, !strcmp(rq->format, "pdf") ? "application/pdf"
                                                                    : "application/ofd",
                  data, len, disposition);
}

static enum MHD_Result do_work(struct MHD_Connection *con, request *rq)
{
    server *srv = rq->srv;
    if (!gate_enter(&srv->gate))
        return answer_error(con, rq, MHD_HTTP_SERVICE_UNAVAILABLE,
                            "every worker is busy and the queue is full: try again in a moment");
    work w;
    build_command(rq, &w);
    gw_job_result r;
    long_job lj = { &srv->gate, false };
    gw_job_watch watch = { BACKGROUND_AFTER, job_runs_long, &lj };
    gw_job_run(srv->opt->exe, (char *const *)w.argv, rq->dir, &srv->limits, &watch, &r);
    gate_leave(&srv->gate, lj.in_background);
    char buf[400];
    const char *trouble = job_trouble(&r, srv, buf, sizeof buf);
    enum MHD_Result res;
    if (trouble || status_of(&r) != MHD_HTTP_OK)
        res = rq->route == ROUTE_LINT && !trouble ? answer_lint(con, rq, &r)
                                                  : answer_failed(con, rq, &r, trouble);
    else if (rq->route == ROUTE_IMPORT)
        res = answer_import(con, rq, &w, &r);
    else if (rq->route == ROUTE_LINT)
        res = answer_lint(con, rq, &r);
    else
        res = answer_render(con, rq, &w, &r);
    gw_job_result_free(&r);
    return res;
}

/* ---- libmicrohttpd's callbacks ----------------------------------------- */

static enum MHD_Result on_request(void *cls, struct MHD_Connection *con, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    (void)version;
    request *rq = *con_cls;
    if (!rq) {
        rq = calloc(1, sizeof *rq);
        if (!rq)
            return MHD_NO;
        rq->srv = cls;
        rq->fd = -1;
        clock_gettime(CLOCK_MONOTONIC, &rq->started);
        rq->route = route_of(url);
        *con_cls = rq;
        bool post = rq->post = !strcmp(method, "POST"), get = !strcmp(method, "GET") ||
                                                   !strcmp(method, "HEAD");
        if (rq->route == ROUTE_NONE)
            return answer_error(con, rq, MHD_HTTP_NOT_FOUND, "no such page");
        if (rq->route >= ROUTE_IMPORT ? !post : !get)
            return answer_error(con, rq, MHD_HTTP_METHOD_NOT_ALLOWED,
                                rq->route >= ROUTE_IMPORT ? "this is a POST request"
                                                          : "this is a GET request");
        if (get)
            return answer_get(con, rq);
        receive_begin(con, rq);
        if (rq->bad_status)
            return answer_error(con, rq, (unsigned)rq->bad_status, rq->bad);
        return MHD_YES;
    }
    if (rq->answered) {
        *upload_data_size = 0;     /* answered before the body: the body is dropped */
        return MHD_YES;
    }
    if (*upload_data_size) {
        /* A client that trickles its body is dropped at the deadline. */
        if (seconds_since(&rq->started) > (double)rq->srv->opt->request_timeout)
            return MHD_NO;
        /* After an error the rest of the body is read and dropped: this
         * libmicrohttpd answers only before the body or after all of it. */
        if (!rq->bad_status)
            receive_data(rq, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (!receive_end(rq))
        return answer_error(con, rq, (unsigned)rq->bad_status, rq->bad);
    return do_work(con, rq);
}

static void on_completed(void *cls, struct MHD_Connection *con, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    request *rq = *con_cls;
    if (!rq)
        return;
    (void)con;
    static const char *const PATHS[] = { "(unknown)", "/", "/app.js", "/app.css", "/api/health",
                                         "/api/fonts", "/api/import", "/api/lint", "/api/render" };
    fprintf(stderr, "gwpdf serve: %s %s%s%s %u %.0f ms%s\n",
            rq->post ? "POST" : "GET", PATHS[rq->route],
            rq->format[0] ? "?format=" : "", rq->format, rq->status,
            seconds_since(&rq->started) * 1000,
            toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (connection dropped)");
    if (rq->pp)
        rq->srv->mhd.destroy_post_processor(rq->pp);
    if (rq->fd >= 0)
        close(rq->fd);
    if (rq->dir[0] && gw_workdir_remove(rq->dir) != 0)
        fprintf(stderr, "gwpdf serve: cannot remove %s: %s\n", rq->dir, strerror(errno));
    for (size_t i = 0; i < rq->n_names; i++)
        free(rq->names[i]);
    free(rq);
    *con_cls = NULL;
}

/* ---- starting and stopping --------------------------------------------- */

static const char *source_word(gw_font_source s)
{
    switch (s) {
    case GW_SRC_OPTION: return "option";
    case GW_SRC_FONTS_DIR: return "fonts-dir";
    case GW_SRC_SYSTEM: return "installed";
    case GW_SRC_FALLBACK: return "stand-in";
    }
    return "unknown";
}

/* GET /api/fonts: which face serves each role, and the stand-in warnings. */
static char *fonts_json(const gw_fontset *fs)
{
    gw_buf b = { 0 };
    gw_buf_str(&b, "{\"ok\":true,\"roles\":[");
    for (int i = 0; i < GW_ROLE_COUNT; i++) {
        gw_role role = (gw_role)i;
        const char *name = gw_role_name(role), *design = gw_role_design(role);
        gw_buf_str(&b, i ? ",{\"role\":" : "{\"role\":");
        gw_json_str(&b, name, strlen(name));
        gw_buf_str(&b, ",\"design\":");
        gw_json_str(&b, design, strlen(design));
        gw_buf_printf(&b, ",\"source\":\"%s\",\"synthetic_bold\":%s,\"faces\":[",
                      source_word(gw_fonts_role_source(fs, role)),
                      gw_fonts_synthetic_bold(fs, role) ? "true" : "false");
        for (size_t k = 0; k < gw_fonts_chain_len(fs, role); k++) {
            const gw_face *f = gw_fonts_chain_face(fs, role, k);
            const char *path = gw_face_path(f), *slash = strrchr(path, '/');
            const char *family = gw_face_family(f), *file = slash ? slash + 1 : path;
            gw_buf_str(&b, k ? ",{\"family\":" : "{\"family\":");
            gw_json_str(&b, family, strlen(family));
            gw_buf_str(&b, ",\"file\":");
            gw_json_str(&b, file, strlen(file));
            gw_buf_str(&b, "}");
        }
        gw_buf_str(&b, "]}");
    }
    gw_buf_str(&b, "],\"messages\":[");
    char *text = NULL;
    size_t len = 0;
    FILE *sink = open_memstream(&text, &len);
    if (sink) {
        gw_diag diag = gw_diag_init(sink);
        gw_fonts_report_standins(fs, &diag);
        fclose(sink);
        size_t count = 0;
        gw_json_messages(&b, text ? text : "", NULL, 0, false, GW_MSG_ALL, &count);
    }
    free(text);
    gw_buf_str(&b, "]}\n");
    if (b.oom) {
        free(b.s);
        return NULL;
    }
    return b.s;
}

/* "ADDR:PORT" or "[ADDR]:PORT" (numeric) into *ss; false when malformed. */
static bool parse_listen(const char *spec, struct sockaddr_storage *ss, bool *loopback)
{
    char host[INET6_ADDRSTRLEN + 2];
    const char *colon = strrchr(spec, ':');
    if (!colon || colon == spec || (size_t)(colon - spec) >= sizeof host)
        return false;
    const char *h = spec;
    size_t hn = (size_t)(colon - spec);
    if (h[0] == '[' && h[hn - 1] == ']') {
        h++;
        hn -= 2;
    }
    memcpy(host, h, hn);
    host[hn] = '\0';
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || end == colon + 1 || port < 0 || port > 65535)
        return false;
    struct addrinfo hints = { .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV,
                              .ai_socktype = SOCK_STREAM }, *ai = NULL;
    char service[8];
    snprintf(service, sizeof service, "%ld", port);
    if (getaddrinfo(host, service, &hints, &ai) != 0 || !ai)
        return false;
    memset(ss, 0, sizeof *ss);
    memcpy(ss, ai->ai_addr, ai->ai_addrlen);
    freeaddrinfo(ai);
    if (ss->ss_family == AF_INET)
        *loopback = (ntohl(((struct sockaddr_in *)ss)->sin_addr.s_addr) >> 24) == 127;
    else
        *loopback = IN6_IS_ADDR_LOOPBACK(&((struct sockaddr_in6 *)ss)->sin6_addr);
    return true;
}

static void log_from_mhd(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    fputs("gwpdf serve: ", stderr);
    vfprintf(stderr, fmt, ap);
}

static struct MHD_Daemon *start_daemon(server *srv, const struct sockaddr_storage *ss)
{
    const gw_mhd *mhd = &srv->mhd;
    unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
                     MHD_USE_ERROR_LOG;
    if (ss->ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    return mhd->start_daemon(flags, 0, NULL, NULL, on_request, srv,
                            MHD_OPTION_EXTERNAL_LOGGER, log_from_mhd, NULL,
                            MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)ss,
                            MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
                            /* idle this long (headers or body): closed */
                            MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)10,
                            MHD_OPTION_CONNECTION_LIMIT, (unsigned)256,
                            MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)64,
                            MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(128 * 1024),
                            MHD_OPTION_END);
}

static void print_address(const gw_mhd *mhd, struct MHD_Daemon *d,
                          const struct sockaddr_storage *ss)
{
    const union MHD_DaemonInfo *info = mhd->get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    char host[INET6_ADDRSTRLEN];
    const void *addr = ss->ss_family == AF_INET
                           ? (const void *)&((const struct sockaddr_in *)ss)->sin_addr
                           : (const void *)&((const struct sockaddr_in6 *)ss)->sin6_addr;
    inet_ntop(ss->ss_family, addr, host, sizeof host);
    fprintf(stderr, ss->ss_family == AF_INET6 ? "gwpdf serve: http://[%s]:%u/\n"
                                              : "gwpdf serve: http://%s:%u/\n",
            host, info ? (unsigned)info->port : 0);
    fflush(stderr);
}

/* The server's temporary directory: TMPDIR (else /tmp)/gwpdf-serve-XXXXXX. */
static int make_tmp(server *srv)
{
    const char *t = getenv("TMPDIR");
    if (gw_workdir_make(t && *t ? t : "/tmp", "gwpdf-serve-", srv->tmp) != 0) {
        fprintf(stderr, "gwpdf serve: cannot make a temporary directory in %s: %s\n",
                t && *t ? t : "/tmp", strerror(errno));
        return -1;
    }
    return 0;
}

/* Before serving: a worker under the limits renders a page with every font
 * role, so a --memory too small to map the fonts (they are mapped whole for
 * subsetting) or fonts that cannot be found stop the server at its start,
 * not every request later with a puzzling error. */
static int probe_workers(server *srv)
{
    static const char PROBE[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<report version=\"1\">\n"
        "<label>附件1</label><title>试排</title>\n<section><heading>一级标题</heading>\n"
        "<section><heading>二级标题</heading><p>正文 2024 年。</p></section></section>\n"
        "<signature><issuer>某某局</issuer><date>2024-01-01</date></signature>\n</report>\n";
    char dir[PATH_MAX];
    if (gw_workdir_make(srv->tmp, "probe-", dir) != 0)
        return -1;
    int fd = gw_workdir_create(dir, "probe.xml");
    bool written = fd >= 0 && write(fd, PROBE, sizeof PROBE - 1) == (ssize_t)(sizeof PROBE - 1);
    if (fd >= 0)
        close(fd);
    request rq = { .srv = srv, .route = ROUTE_RENDER, .format = "pdf" };
    snprintf(rq.name, sizeof rq.name, "probe.xml");
    char *name = rq.name;
    rq.names[0] = name;
    rq.n_names = 1;
    work w;
    build_command(&rq, &w);
    gw_job_result r = { 0 };
    int rc = written ? gw_job_run(srv->opt->exe, (char *const *)w.argv, dir, &srv->limits, NULL,
                                  &r) : -1;
    char buf[400];
    const char *trouble = rc == 0 ? job_trouble(&r, srv, buf, sizeof buf) : "cannot write it";
    if (rc != 0 || trouble || r.exit_status != 0) {
        fprintf(stderr, "gwpdf serve: a worker cannot render a one-page document within the "
                "limits (--memory %ld MiB, --cpu-seconds %ld)%s%s; it said:\n%s",
                srv->opt->memory_mib, srv->opt->cpu_seconds, trouble ? ": " : "",
                trouble ? trouble : "", r.err ? r.err : "");
        rc = -1;
    }
    gw_job_result_free(&r);
    gw_workdir_remove(dir);
    return rc;
}

int gw_serve_run(const gw_serve_options *opt)
{
    server srv = { .opt = opt };
    struct sockaddr_storage ss;
    bool loopback = false;
    if (!parse_listen(opt->listen, &ss, &loopback)) {
        fprintf(stderr, "gwpdf serve: --listen %s: expected ADDR:PORT with a numeric address "
                "(127.0.0.1:8080, [::1]:8080)\n", opt->listen);
        return 2;
    }
    srv.limits = (gw_job_limits){ opt->cpu_seconds, opt->memory_mib, 512,
                                  2.0 * (double)opt->cpu_seconds + 10 };
    gate_init(&srv.gate, opt->workers, opt->queue);
    const char *why;
    if (gw_mhd_open(&srv.mhd, &why) != 0) {
        fprintf(stderr, "gwpdf serve: cannot load libmicrohttpd (Debian's libmicrohttpd12): %s\n",
                why);
        return 2;
    }
    srv.fonts_json = fonts_json(opt->fonts);
    if (!srv.fonts_json || make_tmp(&srv) != 0) {
        free(srv.fonts_json);
        gw_mhd_close(&srv.mhd);
        return 2;
    }
    if (probe_workers(&srv) != 0) {
        gw_workdir_remove(srv.tmp);
        free(srv.fonts_json);
        gw_mhd_close(&srv.mhd);
        return 2;
    }
    /* SIGINT and SIGTERM are waited for below; every thread inherits the block
     * (the workers unblock them before exec). */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);
    struct MHD_Daemon *d = start_daemon(&srv, &ss);
    int status = 0;
    if (!d) {
        fprintf(stderr, "gwpdf serve: cannot listen on %s: %s\n", opt->listen, strerror(errno));
        status = 2;
    } else {
        if (!loopback)
            fprintf(stderr, "gwpdf serve: warning: listening on %s, not only on this machine: "
                    "anyone who can reach it can render documents here, and the page has no "
                    "login — keep it inside the office network\n", opt->listen);
        print_address(&srv.mhd, d, &ss);
        int sig;
        sigwait(&stop, &sig);
        fprintf(stderr, "gwpdf serve: stopping (%s)\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
        srv.mhd.stop_daemon(d);
    }
    if (gw_workdir_remove(srv.tmp) != 0)
        fprintf(stderr, "gwpdf serve: cannot remove %s: %s\n", srv.tmp, strerror(errno));
    free(srv.fonts_json);
    gw_mhd_close(&srv.mhd);
    return status;
}
