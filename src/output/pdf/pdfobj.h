/* pdfobj — small helpers over libharu's object layer shared by the PDF output
 * files (pdfout.c, pdffont.c, pdfmeta.c): a text buffer, streams compressed
 * with libdeflate, indirect dictionaries, PDF text strings.  Internal to the
 * PDF output. */
#ifndef GW_PDFOBJ_H
#define GW_PDFOBJ_H

#include <hpdf.h>
#include <hpdf_objects.h>
#include <stdbool.h>
#include <stddef.h>

/* The text the PDF output writes (page operators, CMaps, XMP) grows in a
 * gw_buf (textbuf.h). */
#include "textbuf.h"


/* The compressors of one document, one per level used, each made once (a
 * libdeflate compressor takes some hundreds of KB to set up, and a document
 * compresses a stream per page and several per font).  Zero-initialise it;
 * the document owns it and frees it with pdf_deflater_free. */
typedef struct pdf_deflater {
    struct libdeflate_compressor *by_level[13];
} pdf_deflater;

void pdf_deflater_free(pdf_deflater *z);

/* data in zlib format (what /FlateDecode reads) compressed at libdeflate
 * `level` (0..12) into a malloc'd buffer of *out_len bytes; NULL when out of
 * memory.  One thread at a time per pdf_deflater. */
unsigned char *pdf_deflate(pdf_deflater *z, const void *data, size_t len, int level,
                           size_t *out_len);

/* Write `data` into the (empty) stream object `s`, Flate-compressed (libdeflate,
 * `level` 0..12) with /Filter set here.  Returns HPDF_OK or an error code. */
HPDF_STATUS pdf_stream_put_deflated(HPDF_Dict s, pdf_deflater *z, const void *data, size_t len,
                                    int level);

/* The stream object s holds bytes deflated here: libharu must not filter them
 * again, and writes /Filter /FlateDecode itself instead. */
void pdf_mark_deflated(HPDF_Dict s);

/* libdeflate levels (0..12), chosen by measurement (docs/performance.md): page
 * contents are written once per page, so speed counts; font programs, CMaps
 * and images once per document, so size does. */
#define PDF_PAGE_LEVEL 4
#define PDF_FONT_LEVEL 7

/* A new indirect stream object holding `data`, compressed at PDF_FONT_LEVEL
 * (font programs, CMaps, the ICC profile: written once, worth the ratio);
 * NULL on failure. */
HPDF_Dict pdf_stream_new(HPDF_Doc pdf, pdf_deflater *z, const void *data, size_t len);


/* A new indirect stream object holding z[0..n), already deflated (zlib
 * format), with /Filter set here; NULL on failure. */
HPDF_Dict pdf_stream_new_deflated(HPDF_Doc pdf, const unsigned char *z, size_t n);

/* A new indirect (cross-referenced) dictionary; NULL on failure. */
HPDF_Dict pdf_indirect_dict(HPDF_Doc pdf);

/* A PDF text string (UTF-16BE with its byte order mark) holding utf8, written
 * as a hex string; NULL when out of memory. */
HPDF_Binary pdf_text_string(HPDF_Doc pdf, const char *utf8);

#endif
