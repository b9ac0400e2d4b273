/* receive — a POST's body into the request's private directory (see
 * server.h): the raw body as the source, or each multipart/form-data part as
 * the file it names, streamed (libmicrohttpd's post processor), within the
 * byte limit; names checked by workdir.c.  Called by serve.c. */
#include "server.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "workdir.h"

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
void receive_begin(struct MHD_Connection *con, request *rq)
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
void receive_data(request *rq, const char *data, size_t size)
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
bool receive_end(request *rq)
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
