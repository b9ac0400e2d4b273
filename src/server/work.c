/* work — a request's work (see server.h): the gate (at most `workers` jobs
 * at once, `queue` waiting, a long job moved to the background), the CLI
 * command a worker runs, and the answer built from the files and messages it
 * left.  Called by serve.c. */
#define _GNU_SOURCE  /* SCHED_IDLE */
#include "server.h"

#include <dirent.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "fileio.h"
#include "reply.h"

void gate_init(gate *g, long running, long waiting)
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
        /* SCHED_IDLE: it runs only when no short job wants the processor (nice
         * 19 alone still took a share: the short jobs' latency nearly doubled
         * beside one long job, bench/serve_load.py); nice 19 as well, where
         * SCHED_IDLE is refused. */
        struct sched_param idle = { .sched_priority = 0 };
        sched_setscheduler((pid_t)pid, SCHED_IDLE, &idle);
        setpriority(PRIO_PROCESS, (id_t)pid, 19);
    }
}

/* The length of `name` without its extension ("report.docx" → 6). */
static int stem_length(const char *name)
{
    const char *dot = strrchr(name, '.');
    return dot && dot != name ? (int)(dot - name) : (int)strlen(name);
}

static void arg(work *w, const char *a)
{
    if (w->argc < sizeof w->argv / sizeof w->argv[0] - 1)
        w->argv[w->argc++] = a;
}

void build_command(const request *rq, work *w)
{
    const gw_serve_options *opt = rq->srv->opt;
    w->argc = 0;
    arg(w, opt->exe);
    if (rq->route == ROUTE_IMPORT) {
        /* OUT.xml beside the input, named from it, so the seal a .docx gives is
         * OUT-seal.png, a name the returned source can refer to. */
        int stem = stem_length(rq->name);
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
const char *job_trouble(const gw_job_result *r, const server *srv, char *buf, size_t n)
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
    /* A job that never started has no stderr. */
    gw_json_messages(b, r->err ? r->err : "", (const char *const *)rq->names, rq->n_names, failed,
                     pick, &count);
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
    snprintf(seal, sizeof seal, "%.*s-seal.png", stem_length(w->out), w->out);
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
    gw_buf others = { 0 };
    messages_json(&others, rq, r, NULL, GW_MSG_OTHERS, true);
    bool errors = others.n > 2;      /* more than "[]" */
    gw_buf b = { 0 };
    gw_buf_printf(&b, "{\"ok\":%s,\"findings\":", errors ? "false" : "true");
    messages_json(&b, rq, r, NULL, GW_MSG_WARNINGS, true);
    gw_buf_str(&b, ",\"messages\":");
    gw_buf_put(&b, others.s ? others.s : "[]", others.s ? others.n : 2);
    b.oom |= others.oom;
    free(others.s);
    gw_buf_str(&b, "}\n");
    return answer_json(con, rq, errors ? MHD_HTTP_UNPROCESSABLE_CONTENT : MHD_HTTP_OK, &b);
}

/* The page files the PNG output wrote: OUT.png, or OUT-1.png … OUT-N.png
 * with the numbers padded, so that their names sort in page order.  No file
 * of the client's starts with '.', so only the worker's match. */
static int is_page_file(const struct dirent *e)
{
    size_t n = strlen(e->d_name), stem = strlen(OUT_STEM);
    return n > stem + 4 && !strncmp(e->d_name, OUT_STEM, stem) &&
           !strcmp(e->d_name + n - 4, ".png");
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

/* A PNG's width and height from its IHDR chunk (0 when it has none). */
static void png_size(const unsigned char *png, size_t len, unsigned *w, unsigned *h)
{
    *w = *h = 0;
    if (len >= 24 && !memcmp(png + 12, "IHDR", 4)) {
        const unsigned char *u = png + 16;
        *w = (unsigned)u[0] << 24 | (unsigned)u[1] << 16 | (unsigned)u[2] << 8 | u[3];
        *h = (unsigned)u[4] << 24 | (unsigned)u[5] << 16 | (unsigned)u[6] << 8 | u[7];
    }
}

static enum MHD_Result answer_pages(struct MHD_Connection *con, request *rq,
                                    const gw_job_result *r)
{
    struct dirent **files = NULL;
    int n = scandir(rq->dir, &files, is_page_file, by_name);
    if (n <= 0) {
        free(files);
        return answer_failed(con, rq, r, "the render wrote no page");
    }
    gw_buf b = { 0 };
    gw_buf_str(&b, "{\"ok\":true,\"pages\":[");
    for (int i = 0; i < n; i++) {
        size_t len = 0;
        unsigned char *png = (unsigned char *)read_output(rq, files[i]->d_name, &len);
        unsigned px_w, px_h;
        png_size(png, png ? len : 0, &px_w, &px_h);
        gw_buf_printf(&b, "%s{\"width\":%u,\"height\":%u,\"png\":", i ? "," : "", px_w, px_h);
        gw_json_base64(&b, png, png ? len : 0);
        gw_buf_str(&b, "}");
        b.oom |= png == NULL;
        free(png);
        free(files[i]);
    }
    free(files);
    gw_buf_str(&b, "],\"messages\":");
    messages_json(&b, rq, r, NULL, GW_MSG_ALL, false);
    gw_buf_str(&b, "}\n");
    return answer_json(con, rq, MHD_HTTP_OK, &b);
}

/* The download's name: the source's, its extension the format's. */
static void download_header(const request *rq, char *out, size_t n)
{
    char name[300];
    snprintf(name, sizeof name, "%.*s.%s", stem_length(rq->name), rq->name, rq->format);
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
        return answer_pages(con, rq, r);
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

enum MHD_Result do_work(struct MHD_Connection *con, request *rq)
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
    if (rq->route == ROUTE_LINT && !trouble)
        res = answer_lint(con, rq, &r);     /* findings and errors, whatever the exit */
    else if (trouble || status_of(&r) != MHD_HTTP_OK)
        res = answer_failed(con, rq, &r, trouble);
    else if (rq->route == ROUTE_IMPORT)
        res = answer_import(con, rq, &w, &r);
    else
        res = answer_render(con, rq, &w, &r);
    gw_job_result_free(&r);
    return res;
}
