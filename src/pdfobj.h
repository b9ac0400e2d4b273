/* pdfobj — small helpers over libharu's object layer shared by the PDF output
 * files (pdfout.c, pdffont.c, pdfmeta.c): streams compressed at zlib's best
 * level, indirect dictionaries, PDF text strings.  Internal to the PDF output. */
#ifndef GW_PDFOBJ_H
#define GW_PDFOBJ_H

#include <hpdf.h>
#include <hpdf_objects.h>
#include <stddef.h>

/* Write `data` into the (empty) stream object `s`, Flate-compressed at zlib
 * `level` (0..9) with /Filter set here.  Returns HPDF_OK or an error code. */
HPDF_STATUS pdf_stream_put_deflated(HPDF_Dict s, const void *data, size_t len, int level);

/* A new indirect stream object holding `data`, compressed at level 9 (font
 * programs, CMaps, the ICC profile: written once, worth the best ratio);
 * NULL on failure. */
HPDF_Dict pdf_stream_new(HPDF_Doc pdf, const void *data, size_t len);

/* A new indirect (cross-referenced) dictionary; NULL on failure. */
HPDF_Dict pdf_indirect_dict(HPDF_Doc pdf);

/* A PDF text string (UTF-16BE with its byte order mark) holding utf8, written
 * as a hex string; NULL when out of memory. */
HPDF_Binary pdf_text_string(HPDF_Doc pdf, const char *utf8);

#endif
