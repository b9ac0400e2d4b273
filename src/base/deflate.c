/* deflate — libdeflate over whole buffers, one or many at once (see
 * deflate.h).  Called by the PDF output (pdfobj.c) and the OFD output
 * (ofdout.c, ofdzip.c). */
#include "deflate.h"

#include <libdeflate.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

unsigned char *gw_deflate_with(struct libdeflate_compressor *c, gw_deflate_format format,
                               const void *data, size_t len, size_t *out_len)
{
    bool raw = format == GW_DEFLATE_RAW;
    size_t bound = raw ? libdeflate_deflate_compress_bound(c, len)
                       : libdeflate_zlib_compress_bound(c, len);
    unsigned char *z = malloc(bound ? bound : 1);
    *out_len = !z ? 0 : raw ? libdeflate_deflate_compress(c, data, len, z, bound)
                            : libdeflate_zlib_compress(c, data, len, z, bound);
    if (z && *out_len == 0 && (!raw || len > 0)) {
        free(z);
        z = NULL;
    }
    return z;
}

/* Half of the buffers of a gw_deflate_all, compressed by one thread with its
 * own compressor (a libdeflate compressor serves one thread at a time). */
typedef struct deflate_job {
    const void *const *data;
    const size_t *len;
    unsigned char **out;
    size_t *out_len;
    const size_t *order;         /* the buffers, largest first */
    const bool *mine;            /* mine[k]: order[k] is this job's */
    size_t n;
    int level;
    gw_deflate_format format;
    bool ok;
} deflate_job;

static void *deflate_job_run(void *arg)
{
    deflate_job *j = arg;
    struct libdeflate_compressor *c = libdeflate_alloc_compressor(j->level);
    j->ok = c != NULL;
    for (size_t k = 0; j->ok && k < j->n; k++) {
        size_t i = j->order[k];
        if (j->mine[k]) {
            j->out[i] = gw_deflate_with(c, j->format, j->data[i], j->len[i], &j->out_len[i]);
            j->ok = j->out[i] != NULL;
        }
    }
    libdeflate_free_compressor(c);
    return NULL;
}

int gw_deflate_all(const void *const *data, const size_t *len, size_t n, int level,
                   gw_deflate_format format, unsigned char **out, size_t *out_len)
{
    size_t *order = malloc((n ? n : 1) * sizeof *order);
    bool *second = calloc(n ? n : 1, sizeof *second), *first = calloc(n ? n : 1, sizeof *first);
    int rc = -1;
    if (!order || !second || !first)
        goto done;
    for (size_t i = 0; i < n; i++) {
        order[i] = i;
        out[i] = NULL;
    }
    /* Largest first, each to the thread with less so far: the halves even out. */
    for (size_t i = 1; i < n; i++)
        for (size_t k = i; k > 0 && len[order[k]] > len[order[k - 1]]; k--) {
            size_t t = order[k];
            order[k] = order[k - 1];
            order[k - 1] = t;
        }
    size_t load[2] = { 0, 0 };
    for (size_t k = 0; k < n; k++) {
        bool two = load[1] < load[0];
        (two ? second : first)[k] = true;
        load[two] += len[order[k]];
    }
    deflate_job jobs[2] = {
        { data, len, out, out_len, order, first, n, level, format, false },
        { data, len, out, out_len, order, second, n, level, format, false },
    };
    pthread_t worker;
    bool threaded = n > 1 && pthread_create(&worker, NULL, deflate_job_run, &jobs[1]) == 0;
    deflate_job_run(&jobs[0]);
    if (threaded)
        pthread_join(worker, NULL);
    else
        deflate_job_run(&jobs[1]);             /* no second thread: the rest here */
    rc = jobs[0].ok && jobs[1].ok ? 0 : -1;
    if (rc != 0)
        for (size_t i = 0; i < n; i++) {
            free(out[i]);
            out[i] = NULL;
        }
done:
    free(order);
    free(second);
    free(first);
    return rc;
}
