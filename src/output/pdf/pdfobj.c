/* pdfobj — helpers over libharu's object layer (see pdfobj.h).
 * Called by pdfout.c, pdffont.c and pdfmeta.c. */
#define _GNU_SOURCE
#include "pdfobj.h"

#include "deflate.h"
#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <hpdf_doc.h>
#include <hpdf_streams.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libdeflate.h>
#include <pthread.h>
#include <stdbool.h>
#include <unistd.h>

#include "grow.h"
#include "utf8.h"

/* libharu writes /Filter only for the filters it applies itself and removes
 * the key otherwise; a stream holding bytes compressed here gets its /Filter
 * from the dictionary's write hook instead. */
static HPDF_STATUS write_flate_filter(HPDF_Dict dict, HPDF_Stream out)
{
    (void)dict;
    return HPDF_Stream_WriteStr(out, "/Filter /FlateDecode\012");
}

/* The stream object s holds bytes deflated here: libharu must not filter them
 * again, and writes our /Filter instead. */
static void mark_deflated(HPDF_Dict s)
{
    s->filter = HPDF_STREAM_FILTER_NONE;
    s->write_fn = write_flate_filter;
}

/* data in zlib format (what /FlateDecode reads) compressed by c into a malloc'd
 * buffer; NULL when out of memory.  libdeflate, not zlib: whole-buffer
 * compression, several times faster at the same ratio (docs/performance.md). */
void pdf_deflater_free(pdf_deflater *z)
{
    for (size_t i = 0; i < sizeof z->by_level / sizeof *z->by_level; i++) {
        libdeflate_free_compressor(z->by_level[i]);
        z->by_level[i] = NULL;
    }
}

static unsigned char *deflated(pdf_deflater *z, const void *data, size_t len, int level,
                               size_t *out_len)
{
    if (level < 0 || level > 12)
        return NULL;
    if (!z->by_level[level])
        z->by_level[level] = libdeflate_alloc_compressor(level);
    return z->by_level[level] ? gw_deflate_with(z->by_level[level], GW_DEFLATE_ZLIB, data, len, out_len) : NULL;
}

HPDF_STATUS pdf_stream_put_deflated(HPDF_Dict s, pdf_deflater *z, const void *data, size_t len,
                                    int level)
{
    size_t n;
    unsigned char *out = deflated(z, data, len, level, &n);
    if (!out)
        return HPDF_FAILD_TO_ALLOC_MEM;
    mark_deflated(s);
    HPDF_STATUS rc = HPDF_Stream_Write(s->stream, out, (HPDF_UINT)n);
    free(out);
    return rc;
}

int pdf_spill_open(pdf_spill *sp)
{
    sp->end = 0;
    sp->fd = gw_open_scratch();
    return sp->fd < 0 ? -1 : 0;
}

void pdf_spill_close(pdf_spill *sp)
{
    if (sp->fd >= 0)
        close(sp->fd);
    sp->fd = -1;
}

/* One spilled stream: bytes [off, off + len) of the spill file, read from pos. */
typedef struct spill_part {
    int fd;
    long long off;
    HPDF_UINT len, pos;
} spill_part;

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

static int write_at(int fd, const unsigned char *buf, size_t len, long long off)
{
    while (len > 0) {
        ssize_t k = pwrite(fd, buf, len, (off_t)off);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        buf += k;
        off += k;
        len -= (size_t)k;
    }
    return 0;
}

HPDF_STATUS pdf_stream_put_spilled(HPDF_Doc pdf, HPDF_Dict s, pdf_spill *sp, pdf_deflater *zd,
                                   const void *data, size_t len, int level)
{
    size_t n;
    unsigned char *z = deflated(zd, data, len, level, &n);
    if (!z)
        return HPDF_FAILD_TO_ALLOC_MEM;
    int rc = n > 0xFFFFFFF0u ? -1 : write_at(sp->fd, z, n, sp->end);
    free(z);
    if (rc != 0)
        return HPDF_FILE_IO_ERROR;
    spill_part *part = HPDF_GetMem(pdf->mmgr, sizeof *part);
    HPDF_Stream in = part ? HPDF_CallbackReader_New(pdf->mmgr, spill_read, spill_seek, spill_tell,
                                                    spill_size, part)
                          : NULL;
    if (!in) {
        if (part)
            HPDF_FreeMem(pdf->mmgr, part);
        return HPDF_FAILD_TO_ALLOC_MEM;
    }
    *part = (spill_part){ sp->fd, sp->end, (HPDF_UINT)n, 0 };
    sp->end += (long long)n;
    in->free_fn = spill_free;
    HPDF_Stream_Free(s->stream);
    s->stream = in;
    mark_deflated(s);
    return HPDF_OK;
}

HPDF_Dict pdf_stream_new_deflated(HPDF_Doc pdf, const unsigned char *z, size_t n)
{
    HPDF_Dict s = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
    if (!s)
        return NULL;
    mark_deflated(s);
    return HPDF_Stream_Write(s->stream, z, (HPDF_UINT)n) == HPDF_OK ? s : NULL;
}

HPDF_Dict pdf_stream_new(HPDF_Doc pdf, pdf_deflater *z, const void *data, size_t len)
{
    HPDF_Dict s = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
    if (!s || pdf_stream_put_deflated(s, z, data, len, PDF_FONT_LEVEL) != HPDF_OK)
        return NULL;
    return s;
}

HPDF_Dict pdf_indirect_dict(HPDF_Doc pdf)
{
    HPDF_Dict d = HPDF_Dict_New(pdf->mmgr);
    if (d && HPDF_Xref_Add(pdf->xref, d) != HPDF_OK)
        return NULL;
    return d;
}

HPDF_Binary pdf_text_string(HPDF_Doc pdf, const char *utf8)
{
    size_t len = strlen(utf8);
    /* At most two UTF-16 units per UTF-8 byte, plus the byte order mark. */
    unsigned char *buf = malloc(2 + 4 * len);
    if (!buf)
        return NULL;
    size_t n = 0;
    buf[n++] = 0xFE;
    buf[n++] = 0xFF;
    const unsigned char *s = (const unsigned char *)utf8;
    while (len > 0) {
        uint32_t cp;
        size_t k = gw_utf8_decode(s, len, &cp);
        if (k == 0)
            break;
        uint32_t units[2] = { cp, 0 };
        int n_units = 1;
        if (cp > 0xFFFF) {
            uint32_t v = cp - 0x10000;
            units[0] = 0xD800 + (v >> 10);
            units[1] = 0xDC00 + (v & 0x3FF);
            n_units = 2;
        }
        for (int u = 0; u < n_units; u++) {
            buf[n++] = (unsigned char)(units[u] >> 8);
            buf[n++] = (unsigned char)units[u];
        }
        s += k;
        len -= k;
    }
    HPDF_Binary b = HPDF_Binary_New(pdf->mmgr, buf, (HPDF_UINT)n);
    free(buf);
    return b;
}
