/* pdfmeta — what makes the file PDF/A-1b besides its fonts: the document
 * information dictionary, the XMP metadata that repeats it, the sRGB output
 * intent, the PDF version, the document ID and the dates.
 *
 * Dates come from SOURCE_DATE_EPOCH when it is set (reproducible builds), else
 * from the clock; the ID is an MD5 digest of the document's content (pages,
 * font programs, information strings, date), so the same input gives the
 * same bytes.
 *
 * Internal to the PDF output: called by pdfout.c only. */
#ifndef GW_PDFMETA_H
#define GW_PDFMETA_H

#include <hpdf.h>
#include <hpdf_encrypt.h>
#include <time.h>

#include "diag.h"
#include "doctime.h"
#include "model.h"
#include "pdfobj.h"

/* Write the information dictionary, the XMP metadata, the sRGB OutputIntent
 * and the PDF/A-1b identification; feed what was written to `digest`.
 * Returns 0, or -1 when libharu fails (out of memory). */
int pdf_meta_write(HPDF_Doc pdf, pdf_deflater *z, const gw_meta *meta, time_t when,
                   HPDF_MD5_CTX *digest);

/* Set the trailer's ID from the digest (call after everything was fed). */
int pdf_meta_set_id(HPDF_Doc pdf, HPDF_MD5_CTX *digest);

#endif
