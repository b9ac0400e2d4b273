/* answer — the server's HTTP answers (see server.h): bytes with their
 * headers, JSON, errors, and the GET routes (the page compiled in, health,
 * fonts).  Called by serve.c and work.c. */
#include "server.h"

#include <stdlib.h>
#include <string.h>

#include "reply.h"

/* The page, compiled in (scripts/embed.cmake). */
extern const unsigned char gw_web_index_html[], gw_web_app_js[], gw_web_app_css[];
extern const size_t gw_web_index_html_len, gw_web_app_js_len, gw_web_app_css_len;

double seconds_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Queue `res` with the headers every answer has. */
static enum MHD_Result respond(struct MHD_Connection *con, request *rq, unsigned status,
                               const char *type, struct MHD_Response *res, const char *download)
{
    const gw_mhd *mhd = &rq->srv->mhd;
    mhd->add_response_header(res, "Content-Type", type);
    mhd->add_response_header(res, "Cache-Control", "no-store");
    mhd->add_response_header(res, "X-Content-Type-Options", "nosniff");
    mhd->add_response_header(res, "Referrer-Policy", "no-referrer");
    if (rq->route == ROUTE_INDEX)
        mhd->add_response_header(res, "Content-Security-Policy",
                                "default-src 'self'; img-src 'self' data: blob:; "
                                "style-src 'self'; object-src 'none'; "
                                "frame-ancestors 'none'; base-uri 'none'");
    if (status == MHD_HTTP_SERVICE_UNAVAILABLE)
        mhd->add_response_header(res, "Retry-After", "1");
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
        mhd->add_response_header(res, "Allow", rq->route >= ROUTE_IMPORT ? "POST" : "GET");
    if (download)
        mhd->add_response_header(res, "Content-Disposition", download);
    enum MHD_Result r = mhd->queue_response(con, status, res);
    mhd->destroy_response(res);
    rq->answered = true;
    rq->status = status;
    return r;
}

enum MHD_Result answer(struct MHD_Connection *con, request *rq, unsigned status,
                       const char *type, char *data, size_t len, const char *download)
{
    struct MHD_Response *res =
        rq->srv->mhd.create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
    if (!res) {
        free(data);
        return MHD_NO;
    }
    return respond(con, rq, status, type, res, download);
}

enum MHD_Result answer_json(struct MHD_Connection *con, request *rq, unsigned status, gw_buf *b)
{
    if (b->oom) {
        free(b->s);
        return MHD_NO;
    }
    return answer(con, rq, status, "application/json; charset=utf-8", b->s, b->n, NULL);
}

/* {"ok": false, "error": why} */
enum MHD_Result answer_error(struct MHD_Connection *con, request *rq, unsigned status,
                             const char *why)
{
    gw_buf b = { 0 };
    gw_buf_str(&b, "{\"ok\":false,\"error\":");
    gw_json_str(&b, why, strlen(why));
    gw_buf_str(&b, "}\n");
    return answer_json(con, rq, status, &b);
}

/* Bytes that outlive every request (the page compiled in, the fonts report):
 * answered without a copy. */
static enum MHD_Result answer_static(struct MHD_Connection *con, request *rq, const char *type,
                                     const unsigned char *data, size_t len)
{
    struct MHD_Response *res =
        rq->srv->mhd.create_response_from_buffer(len, (void *)data, MHD_RESPMEM_PERSISTENT);
    return res ? respond(con, rq, MHD_HTTP_OK, type, res, NULL) : MHD_NO;
}

enum MHD_Result answer_get(struct MHD_Connection *con, request *rq)
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
