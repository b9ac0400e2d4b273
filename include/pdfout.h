/* pdfout — writes laid-out pages to a PDF file with libharu.
 *
 * Each face the layout used is subset (fonts module) and embedded once; glyphs
 * are drawn in runs at the positions the layout chose; page size, document
 * information and compression are set here.  The file is written to a
 * temporary file beside the target and renamed into place only on success, so
 * a failed run never leaves a half-written PDF.
 *
 * Called by the CLI after gw_layout_document.  The only module that calls libharu. */
#ifndef GW_PDFOUT_H
#define GW_PDFOUT_H

#include "diag.h"
#include "fonts.h"
#include "layout.h"
#include "model.h"

/* Write `lay` to `out_path`.  `meta` fills the PDF Info dictionary (NULL
 * fields are left out).  Returns 0 on success; on failure reports and
 * returns -1, leaving out_path as it was. */
int gw_pdf_write(const gw_layout *lay, gw_fontset *fonts, const gw_meta *meta,
                 const char *out_path, gw_diag *diag);

/* The same PDF as bytes in memory (the fuzzer uses it): on success stores a
 * malloc'd buffer the caller frees and returns 0; else reports and returns -1. */
int gw_pdf_render_memory(const gw_layout *lay, gw_fontset *fonts, const gw_meta *meta,
                         unsigned char **data, size_t *len, gw_diag *diag);

#endif
