/* pdfobj — helpers over libharu's object layer (see pdfobj.h).
 * Called by pdfout.c, pdffont.c and pdfmeta.c. */
#include "pdfobj.h"

#include <hpdf_doc.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "grow.h"
#include "utf8.h"

void pdf_buf_put(pdf_buf *b, const char *s, size_t len)
{
    if (b->oom || !gw_grow(&b->s, &b->cap, b->n + len + 1, 1)) {
        b->oom = true;
        return;
    }
    memcpy(b->s + b->n, s, len);
    b->n += len;
    b->s[b->n] = '\0';
}

void pdf_buf_str(pdf_buf *b, const char *s)
{
    pdf_buf_put(b, s, strlen(s));
}

void pdf_buf_printf(pdf_buf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (k < 0) {
        b->oom = true;
    } else if ((size_t)k < sizeof small) {
        pdf_buf_put(b, small, (size_t)k);
    } else if (!b->oom && gw_grow(&b->s, &b->cap, b->n + (size_t)k + 1, 1)) {
        va_start(ap, fmt);
        vsnprintf(b->s + b->n, (size_t)k + 1, fmt, ap);
        va_end(ap);
        b->n += (size_t)k;
    } else {
        b->oom = true;
    }
}

/* libharu writes /Filter only for the filters it applies itself and removes
 * the key otherwise; a stream holding bytes compressed here gets its /Filter
 * from the dictionary's write hook instead. */
static HPDF_STATUS write_flate_filter(HPDF_Dict dict, HPDF_Stream out)
{
    (void)dict;
    return HPDF_Stream_WriteStr(out, "/Filter /FlateDecode\012");
}

HPDF_STATUS pdf_stream_put_deflated(HPDF_Dict s, const void *data, size_t len, int level)
{
    uLongf cap = compressBound((uLong)len);
    Bytef *z = malloc(cap ? cap : 1);
    if (!z)
        return HPDF_FAILD_TO_ALLOC_MEM;
    HPDF_STATUS rc = HPDF_OK;
    if (compress2(z, &cap, data, (uLong)len, level) != Z_OK)
        rc = HPDF_FAILD_TO_ALLOC_MEM;
    s->filter = HPDF_STREAM_FILTER_NONE;     /* the bytes are compressed already */
    s->write_fn = write_flate_filter;
    if (rc == HPDF_OK)
        rc = HPDF_Stream_Write(s->stream, z, (HPDF_UINT)cap);
    free(z);
    return rc;
}

HPDF_Dict pdf_stream_new(HPDF_Doc pdf, const void *data, size_t len)
{
    HPDF_Dict s = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
    if (!s || pdf_stream_put_deflated(s, data, len, Z_BEST_COMPRESSION) != HPDF_OK)
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
