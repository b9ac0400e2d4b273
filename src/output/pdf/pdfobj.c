/* pdfobj — helpers over libharu's object layer (see pdfobj.h).
 * Called by pdfout.c, pdffont.c and pdfmeta.c. */
#define _GNU_SOURCE
#include "pdfobj.h"

#include "deflate.h"

#include <hpdf_doc.h>
#include <hpdf_streams.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libdeflate.h>
#include <stdbool.h>

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

void pdf_mark_deflated(HPDF_Dict s)
{
    s->filter = HPDF_STREAM_FILTER_NONE;
    s->write_fn = write_flate_filter;
}

void pdf_deflater_free(pdf_deflater *z)
{
    for (size_t i = 0; i < sizeof z->by_level / sizeof *z->by_level; i++) {
        libdeflate_free_compressor(z->by_level[i]);
        z->by_level[i] = NULL;
    }
}

/* libdeflate, not zlib: whole-buffer compression, several times faster at
 * the same ratio (docs/performance.md). */
unsigned char *pdf_deflate(pdf_deflater *z, const void *data, size_t len, int level,
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
    unsigned char *out = pdf_deflate(z, data, len, level, &n);
    if (!out)
        return HPDF_FAILD_TO_ALLOC_MEM;
    pdf_mark_deflated(s);
    HPDF_STATUS rc = HPDF_Stream_Write(s->stream, out, (HPDF_UINT)n);
    free(out);
    return rc;
}

HPDF_Dict pdf_stream_new_deflated(HPDF_Doc pdf, const unsigned char *z, size_t n)
{
    HPDF_Dict s = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
    if (!s)
        return NULL;
    pdf_mark_deflated(s);
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
