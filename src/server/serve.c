/* serve — the HTTP server of `gwpdf serve` (see serve.h and docs/serve.md).
 *
 * One thread a connection (libmicrohttpd's thread-per-connection mode): a
 * request waits for its worker process in its own thread, so a slow render
 * never stalls another client's page or upload.  A request goes through:
 * route (method and path) → body (raw, or multipart parts, each streamed into
 * a file of the request's private directory, within the byte limit and the
 * request deadline) → the gate (at most `workers` running, `queue` waiting,
 * else 503) → the worker (job.c) → the answer, built from the files and the
 * messages the worker left → the directory removed.  This file: the routes,
 * libmicrohttpd's callbacks, the start (the worker probe, the listening
 * address) and the stop; the rest is in receive.c, work.c and answer.c. */
#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "reply.h"
#include "workdir.h"

/* Each route's path, in the order of the enum (also what the log prints). */
static const char *const ROUTE_PATHS[] = {
    [ROUTE_NONE] = "(unknown)", [ROUTE_INDEX] = "/", [ROUTE_SCRIPT] = "/app.js",
    [ROUTE_STYLE] = "/app.css", [ROUTE_HEALTH] = "/api/health", [ROUTE_FONTS] = "/api/fonts",
    [ROUTE_IMPORT] = "/api/import", [ROUTE_LINT] = "/api/lint", [ROUTE_RENDER] = "/api/render",
};

static route route_of(const char *url)
{
    if (!strcmp(url, "/index.html"))
        return ROUTE_INDEX;
    for (int r = ROUTE_INDEX; r <= ROUTE_RENDER; r++)
        if (!strcmp(url, ROUTE_PATHS[r]))
            return (route)r;
    return ROUTE_NONE;
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
    (void)con;
    request *rq = *con_cls;
    if (!rq)
        return;
    fprintf(stderr, "gwpdf serve: %s %s%s%s %u %.0f ms%s\n",
            rq->post ? "POST" : "GET", ROUTE_PATHS[rq->route],
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
