/* pngout — laid-out pages as PNG images, one a page, drawn with cairo from
 * the same gw_page the PDF output draws: a proof to look at, send or print
 * where no PDF reader is at hand, showing what the PDF shows.
 *
 * Nothing of the layout is decided here: the seals, the glyphs at the
 * layout's positions, the rules, in the PDF's order and through the PDF's
 * quarter turn on a landscape page, on white.  Only the pixels are chosen,
 * as PDF rasterisers choose them: each glyph on the whole pixel nearest
 * where poppler draws it (no hinting), a rule along a row or a column on
 * whole pixels.
 * Glyphs come from each gw_face's own file, opened by this module's own
 * FreeType library.  The images are 8-bit RGB with the resolution in a
 * pHYs chunk (they print at the page's size) and no time or text chunk: the
 * same pages give the same bytes.
 *
 * Like the other outputs, pages are drawn as the layout hands them over and
 * may be freed at once: each page's PNG goes into a scratch file, so memory
 * holds one page's pixels whatever the page count, and no file appears at
 * the target until the whole document is drawn.  A document of one page is
 * written to OUT.png, one of several pages to OUT-1.png … OUT-N.png, the
 * number padded to the digits of the page count, as pdftoppm names them
 * (docs/png.md).
 *
 * Called by the CLI (gwpdf render -o OUT.png, --format png, --dpi) and the
 * tests. */
#ifndef GW_PNGOUT_H
#define GW_PNGOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "layout.h"

/* Resolutions gwpdf draws at, in pixels an inch. */
#define GW_PNG_DPI_DEFAULT 150
#define GW_PNG_DPI_MIN 18
#define GW_PNG_DPI_MAX 600

typedef struct gw_png_doc gw_png_doc;

/* Start a document named `name` (for messages) drawn at `dpi` (GW_PNG_DPI_MIN
 * to GW_PNG_DPI_MAX).  NULL after reporting. */
gw_png_doc *gw_png_begin(const char *name, int dpi, gw_diag *diag);
/* Draw the next page into the scratch file; it is not needed once this
 * returns.  0, or -1 after reporting (the document can then only be
 * discarded). */
int gw_png_add_page(gw_png_doc *d, const gw_page *page);
/* gw_png_add_page as a gw_page_fn: `doc` is the gw_png_doc. */
int gw_png_page_fn(void *doc, const gw_page *page);
/* True once a page could not be drawn or stored (an output failure, not the
 * input's). */
bool gw_png_failed(const gw_png_doc *d);
/* Pages drawn so far. */
size_t gw_png_page_count(const gw_png_doc *d);
/* Write every page's file — out_path for one page, else the names
 * gw_png_page_path gives — each atomically (outfile.h); frees d.  0, or -1
 * after reporting. */
int gw_png_finish(gw_png_doc *d, const char *out_path);
/* Drop an unfinished document. */
void gw_png_discard(gw_png_doc *d);

/* The file of page `index` (0-based) of n_pages: out_path itself when
 * n_pages is 1, else out_path without its .png extension, "-", the page's
 * number from 1 padded with zeros to the digits of n_pages, and ".png"
 * (out.png, 12 pages: out-01.png … out-12.png).  malloc'd, NULL when out
 * of memory. */
char *gw_png_page_path(const char *out_path, size_t index, size_t n_pages);

/* Pixel size of a page at dpi: round(points / 72 × dpi). */
int gw_png_pixels(double points, int dpi);

/* One page as PNG bytes in memory (the tests): a malloc'd buffer the caller
 * frees.  0, or -1 after reporting. */
int gw_png_render_memory(const gw_page *page, int dpi, unsigned char **data, size_t *len,
                         gw_diag *diag);

#endif
