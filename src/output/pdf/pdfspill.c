/* pdfspill — page contents compressed on a worker thread into a scratch file
 * that libharu reads back at the save (see pdfspill.h).  Called by pdfout.c.
 *
 * The main thread makes each page's stream object read a spill_part; the
 * worker fills in where the part lies once it has compressed and written it.
 * libharu reads the parts only when it saves, after pdf_spill_wait has
 * joined the worker, so the join is all the synchronisation they need. */
#define _GNU_SOURCE
#include "pdfspill.h"

#include <errno.h>
#include <hpdf_doc.h>
#include <hpdf_streams.h>
#include <libdeflate.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include "deflate.h"
#include "fileio.h"
#include "pdfobj.h"

/* Pages waiting for the worker: enough to ride over a slow page, few enough
 * that memory still holds a page or so. */
#define SPILL_QUEUE 8

/* One spilled stream: bytes [off, off + len) of the spill file, read from pos.
 * Allocated from the document's memory manager; off and len are the worker's
 * to fill in. */
typedef struct spill_part {
    int fd;
    long long off;
    HPDF_UINT len, pos;
} spill_part;

typedef struct spill_job {
    unsigned char *data;
    size_t len;
    spill_part *part;
} spill_job;

struct pdf_spill {
    int fd;
    long long end;                 /* bytes written so far (the worker's) */
    struct libdeflate_compressor *z;
    pthread_mutex_t lock;
    pthread_cond_t changed;        /* a job queued or taken, or the end asked */
    spill_job queue[SPILL_QUEUE];
    size_t head, count;            /* under lock */
    bool ending;                   /* under lock: no more jobs will come */
    int error;                     /* under lock: the first errno, 0 = none */
    bool threaded, joined;
    pthread_t worker;
};

/* ---- reading back, for libharu ------------------------------------------ */

static HPDF_STATUS spill_read(HPDF_Stream s, HPDF_BYTE *ptr, HPDF_UINT *size)
{
    spill_part *sp = s->attr;
    HPDF_UINT want = sp->len - sp->pos < *size ? sp->len - sp->pos : *size, got = 0;
    while (got < want) {
        ssize_t k = pread(sp->fd, ptr + got, want - got, (off_t)(sp->off + sp->pos + got));
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            *size = 0;
            return HPDF_SetError(s->error, HPDF_FILE_IO_ERROR, (HPDF_STATUS)errno);
        }
        got += (HPDF_UINT)k;
    }
    sp->pos += got;
    *size = got;
    return sp->pos == sp->len ? HPDF_STREAM_EOF : HPDF_OK;
}

static HPDF_STATUS spill_seek(HPDF_Stream s, HPDF_INT pos, HPDF_WhenceMode mode)
{
    spill_part *sp = s->attr;
    long long to = mode == HPDF_SEEK_SET ? pos : mode == HPDF_SEEK_CUR ? (long long)sp->pos + pos
                                                                      : (long long)sp->len + pos;
    if (to < 0 || to > sp->len)
        return HPDF_SetError(s->error, HPDF_INVALID_PARAMETER, 0);
    sp->pos = (HPDF_UINT)to;
    return HPDF_OK;
}

static HPDF_INT32 spill_tell(HPDF_Stream s)
{
    return (HPDF_INT32)((spill_part *)s->attr)->pos;
}

static HPDF_UINT32 spill_size(HPDF_Stream s)
{
    return ((spill_part *)s->attr)->len;
}

static void spill_free(HPDF_Stream s)
{
    HPDF_FreeMem(s->mmgr, s->attr);
}

/* ---- writing, on the worker --------------------------------------------- */

static int write_at(int fd, const unsigned char *buf, size_t len, long long off)
{
    while (len > 0) {
        ssize_t k = pwrite(fd, buf, len, (off_t)off);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return k < 0 ? errno : EIO;
        buf += k;
        off += k;
        len -= (size_t)k;
    }
    return 0;
}

/* Compress one page and append it; 0 or an errno value.  Frees the data. */
static int spill_one(pdf_spill *sp, spill_job *j)
{
    size_t n = 0;
    unsigned char *z = sp->z ? gw_deflate_with(sp->z, GW_DEFLATE_ZLIB, j->data, j->len, &n) : NULL;
    free(j->data);
    if (!z)
        return ENOMEM;
    int rc = n > 0xFFFFFFF0u ? EFBIG : write_at(sp->fd, z, n, sp->end);
    free(z);
    if (rc == 0) {
        j->part->off = sp->end;
        j->part->len = (HPDF_UINT)n;
        sp->end += (long long)n;
    }
    return rc;
}

/* After a failure the rest is only freed: the document will not be saved. */
static void spill_job_run(pdf_spill *sp, spill_job *j, int *error)
{
    if (*error) {
        free(j->data);
        return;
    }
    *error = spill_one(sp, j);
}

static void *spill_worker(void *arg)
{
    pdf_spill *sp = arg;
    pthread_mutex_lock(&sp->lock);
    for (;;) {
        while (sp->count == 0 && !sp->ending)
            pthread_cond_wait(&sp->changed, &sp->lock);
        if (sp->count == 0)
            break;
        spill_job j = sp->queue[sp->head];
        int error = sp->error;
        pthread_mutex_unlock(&sp->lock);
        spill_job_run(sp, &j, &error);
        pthread_mutex_lock(&sp->lock);
        sp->head = (sp->head + 1) % SPILL_QUEUE;
        sp->count--;
        if (!sp->error)
            sp->error = error;
        pthread_cond_signal(&sp->changed);
    }
    pthread_mutex_unlock(&sp->lock);
    return NULL;
}

/* ---- the spill ---------------------------------------------------------- */

pdf_spill *pdf_spill_open(int level)
{
    pdf_spill *sp = calloc(1, sizeof *sp);
    if (!sp) {
        errno = ENOMEM;
        return NULL;
    }
    sp->fd = gw_open_scratch();
    if (sp->fd < 0) {
        int e = errno;
        free(sp);
        errno = e;
        return NULL;
    }
    sp->z = libdeflate_alloc_compressor(level);
    pthread_mutex_init(&sp->lock, NULL);
    pthread_cond_init(&sp->changed, NULL);
    sp->threaded = pthread_create(&sp->worker, NULL, spill_worker, sp) == 0;
    return sp;
}

/* Hand a job to the worker, waiting while the queue is full. */
static int spill_enqueue(pdf_spill *sp, spill_job j)
{
    pthread_mutex_lock(&sp->lock);
    while (sp->count == SPILL_QUEUE)
        pthread_cond_wait(&sp->changed, &sp->lock);
    int error = sp->error;
    if (!error) {
        sp->queue[(sp->head + sp->count) % SPILL_QUEUE] = j;
        sp->count++;
        pthread_cond_signal(&sp->changed);
    }
    pthread_mutex_unlock(&sp->lock);
    if (error)
        free(j.data);
    return error;
}

HPDF_STATUS pdf_spill_put(pdf_spill *sp, HPDF_Doc pdf, HPDF_Dict s, void *data, size_t len)
{
    spill_part *part = sp->joined ? NULL : HPDF_GetMem(pdf->mmgr, sizeof *part);
    HPDF_Stream in = part ? HPDF_CallbackReader_New(pdf->mmgr, spill_read, spill_seek, spill_tell,
                                                    spill_size, part)
                          : NULL;
    if (!in) {
        if (part)
            HPDF_FreeMem(pdf->mmgr, part);
        free(data);
        return HPDF_FAILD_TO_ALLOC_MEM;
    }
    *part = (spill_part){ sp->fd, 0, 0, 0 };
    in->free_fn = spill_free;
    HPDF_Stream_Free(s->stream);
    s->stream = in;
    pdf_mark_deflated(s);
    spill_job j = { data, len, part };
    int error;
    if (sp->threaded) {
        error = spill_enqueue(sp, j);          /* sp->error is the worker's: under the lock */
    } else {
        spill_job_run(sp, &j, &sp->error);
        error = sp->error;
    }
    if (error) {
        errno = error;
        return error == ENOMEM ? HPDF_FAILD_TO_ALLOC_MEM : HPDF_FILE_IO_ERROR;
    }
    return HPDF_OK;
}

int pdf_spill_wait(pdf_spill *sp)
{
    if (sp->threaded && !sp->joined) {
        pthread_mutex_lock(&sp->lock);
        sp->ending = true;
        pthread_cond_signal(&sp->changed);
        pthread_mutex_unlock(&sp->lock);
        pthread_join(sp->worker, NULL);
    }
    sp->joined = true;
    if (sp->error) {
        errno = sp->error;
        return -1;
    }
    return 0;
}

void pdf_spill_close(pdf_spill *sp)
{
    if (!sp)
        return;
    pdf_spill_wait(sp);
    pthread_cond_destroy(&sp->changed);
    pthread_mutex_destroy(&sp->lock);
    libdeflate_free_compressor(sp->z);
    close(sp->fd);
    free(sp);
}
