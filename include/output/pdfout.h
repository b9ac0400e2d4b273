/* pdfout — writes laid-out pages to a PDF file with libharu.
 *
 * Pages are drawn as the layout hands them over (gw_pdf_add_page, or
 * gw_pdf_page_fn as the layout's page callback) and may be freed right after:
 * glyph codes are fixed before any subsetting (gw_face_code), page contents
 * are compressed and kept in a temporary file until the save, so memory does
 * not grow with the pages drawn.  When the last page is drawn, each face used
 * is subset (fonts module) and embedded once, the bookmarks and the document
 * ID completed, and the file written to a temporary file beside the target and
 * renamed into place only on success, so a failed run never leaves a
 * half-written PDF.
 *
 * Called by the CLI with the layout.  The only module that calls libharu. */
#ifndef GW_PDFOUT_H
#define GW_PDFOUT_H

#include "diag.h"
#include "fonts.h"
#include "layout.h"
#include "model.h"

typedef struct gw_pdf_doc gw_pdf_doc;

/* Start a PDF named `name` (for messages).  `meta` fills the document
 * information (NULL fields are left out).  NULL after reporting. */
gw_pdf_doc *gw_pdf_begin(const gw_meta *meta, const char *name, gw_diag *diag);
/* Draw the next page; the page is not needed once this returns.  Returns 0,
 * or -1 after reporting (the document then can only be discarded). */
int gw_pdf_add_page(gw_pdf_doc *d, const gw_page *page);
/* gw_pdf_add_page as a gw_page_fn: `doc` is the gw_pdf_doc. */
int gw_pdf_page_fn(void *doc, const gw_page *page);
/* True once a page could not be drawn: the document can only be discarded
 * (its caller tells an output failure from an error in the input by it). */
bool gw_pdf_failed(const gw_pdf_doc *d);
/* Finish the document and write it to out_path atomically; frees d.  Returns
 * 0, or -1 after reporting, leaving out_path as it was. */
int gw_pdf_finish(gw_pdf_doc *d, const char *out_path);
/* Finish the document as bytes in memory (the fuzzer uses it): stores a
 * malloc'd buffer the caller frees; frees d.  Returns 0, or -1 after reporting. */
int gw_pdf_finish_memory(gw_pdf_doc *d, unsigned char **data, size_t *len);
/* Drop an unfinished document (after an error). */
void gw_pdf_discard(gw_pdf_doc *d);

/* A whole collected layout to out_path (gw_pdf_begin, every page,
 * gw_pdf_finish).  Returns 0, or -1 after reporting. */
int gw_pdf_write(const gw_layout *lay, const gw_meta *meta, const char *out_path, gw_diag *diag);
/* The same PDF as bytes in memory. */
int gw_pdf_render_memory(const gw_layout *lay, const gw_meta *meta, unsigned char **data,
                         size_t *len, gw_diag *diag);

#endif
