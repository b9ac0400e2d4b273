/* ofdout — writes laid-out pages as an OFD package (GB/T 33190-2016,
 * 电子文件存储与交换格式 版式文档), the fixed-layout format of China's
 * e-government archives, from the same gw_page the PDF output draws.
 *
 * The package is a ZIP (ofdzip.c): OFD.xml (DocInfo: title, author,
 * subject, keywords, dates, a content-derived DocID, Creator gwpdf),
 * Doc_0/Document.xml (CommonData with the page area in mm, MaxUnitID, the
 * pages, the Outlines of the bookmarks), Doc_0/PublicRes.xml (the fonts),
 * Doc_0/DocumentRes.xml (the seals as PNG MultiMedia), and one
 * Doc_0/Pages/Page_N/Content.xml a page: a Layer of TextObjects (one a run of
 * glyphs that share face, size, colour and baseline; TextCode X, Y and DeltaX,
 * the `g` form for equal steps), PathObjects for the rules and ImageObjects
 * for the seals.  Each face used is embedded as a subset font file with its
 * cmap (TextCode carries Unicode, the reader finds the glyph through it).
 *
 * Like the PDF output: pages are written as the layout hands them over and
 * may be freed at once (each page part is compressed into a scratch file, so
 * memory does not grow with the pages); nothing of the layout is decided
 * here (a landscape page is the PDF's quarter turn, the same positions); the
 * package is written to out_path only when complete (outfile.h), and the same
 * input and SOURCE_DATE_EPOCH give the same bytes.
 *
 * Called by the CLI (gwpdf render -o OUT.ofd) and the fuzzer. */
#ifndef GW_OFDOUT_H
#define GW_OFDOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "layout.h"
#include "model.h"

typedef struct gw_ofd_doc gw_ofd_doc;

/* Start an OFD named `name` (for messages); `meta` fills DocInfo (NULL
 * fields are left out).  NULL after reporting. */
gw_ofd_doc *gw_ofd_begin(const gw_meta *meta, const char *name, gw_diag *diag);
/* Write the next page; it is not needed once this returns.  0, or -1 after
 * reporting (the document can then only be discarded). */
int gw_ofd_add_page(gw_ofd_doc *d, const gw_page *page);
/* gw_ofd_add_page as a gw_page_fn: `doc` is the gw_ofd_doc. */
int gw_ofd_page_fn(void *doc, const gw_page *page);
/* True once a page could not be written (an output failure, not the input's). */
bool gw_ofd_failed(const gw_ofd_doc *d);
/* Finish the package and write it to out_path atomically; frees d.  0, or -1
 * after reporting, leaving out_path as it was. */
int gw_ofd_finish(gw_ofd_doc *d, const char *out_path);
/* Finish the package as bytes in memory (the fuzzer): a malloc'd buffer the
 * caller frees; frees d.  0, or -1 after reporting. */
int gw_ofd_finish_memory(gw_ofd_doc *d, unsigned char **data, size_t *len);
/* Drop an unfinished document. */
void gw_ofd_discard(gw_ofd_doc *d);

/* A whole collected layout to out_path, or to memory. */
int gw_ofd_write(const gw_layout *lay, const gw_meta *meta, const char *out_path, gw_diag *diag);
int gw_ofd_render_memory(const gw_layout *lay, const gw_meta *meta, unsigned char **data,
                         size_t *len, gw_diag *diag);

#endif
