/* layout — the document model set on GB/T 9704 pages: a list of pages, each a
 * list of positioned glyphs.  No PDF here: the PDF output only draws what this
 * module placed, so every layout rule is testable without writing a file.
 *
 * Geometry (GB/T 9704-2012 §5; docs/standard.md): A4, type area 156 × 225 mm
 * at 28 mm from the left and 37 mm from the top; 28 cells of 156/28 mm on a
 * line, body 16 pt; 22 lines on a page, the first line's em box touching the
 * type area's top and the 22nd's touching its bottom (pitch
 * (225 mm − 16 pt)/21 ≈ 29.61 pt).
 *
 * Called by the CLI between gw_doc_load and the PDF output, either page by page
 * (gw_layout_stream: each page is handed over as it is made, so memory does not
 * grow with the page count) or all at once (gw_layout_document, for the tests
 * and the fuzzer); reads the model and the fonts, records the glyphs it uses in
 * the fonts (for subsetting). */
#ifndef GW_LAYOUT_H
#define GW_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "fonts.h"
#include "image.h"
#include "linebreak.h"
#include "model.h"
#include "numbering.h"

#define GW_PT_PER_MM (72.0 / 25.4)

/* The page grid.  Lengths in PDF points, y up from the page's bottom edge. */
typedef struct gw_geometry {
    double page_width, page_height;
    double area_left, area_right;     /* x of the type area's left and right edges */
    double area_top, area_bottom;     /* y of the type area's top and bottom edges */
    double cell;                      /* horizontal grid cell: area width / chars_per_line */
    double pitch;                     /* distance between the baselines of two lines */
    int chars_per_line, lines_per_page;
    double body_size, title_size, subtitle_size, label_size, pagenum_size;
    double ascent;                    /* share of the em box above the baseline (0.88) */
    double pagenum_gap;               /* type area bottom to the page-number dash top (7 mm) */
} gw_geometry;

/* The GB/T 9704 grid. */
gw_geometry gw_geometry_gbt9704(void);
/* The frame of a landscape page: g's page and type area turned a quarter turn
 * (x along the portrait page's height, y across its width). */
gw_geometry gw_geometry_landscape(const gw_geometry *g);

/* Baseline y of grid row `row` (0-based) for text of `size` points: the
 * text's em box is centred on the body em box of that row. */
double gw_row_baseline(const gw_geometry *g, int row, double size);

typedef enum gw_line_kind {
    GW_LINE_LABEL, GW_LINE_TITLE, GW_LINE_SUBTITLE, GW_LINE_HEADING,
    GW_LINE_BODY, GW_LINE_SIGNATURE, GW_LINE_PAGENUM,
    GW_LINE_TABLE,        /* a line of text in a table cell (off the grid: row -1) */
    GW_LINE_HEADER,       /* a line of the 版头 (份号, 标志, 发文字号, 签发人; row -1) */
    GW_LINE_RECORD        /* a line of the 版记 (抄送, 印发; row -1) */
} gw_line_kind;

/* Colours, 0xRRGGBB in sRGB; 0 is black. */
#define GW_BLACK 0x000000u
/* 公文红: GB/T 9704's red (CMYK 0/80/80/0) in sRGB, since PDF/A under an sRGB
 * output intent allows no DeviceCMYK. */
#define GW_RED 0xE81F1Au

typedef struct gw_glyph {
    gw_face *face;
    uint32_t cp;
    double x, y;          /* glyph origin: left end of the baseline, in points */
    double size;          /* font size in points */
    double advance;       /* horizontal room the layout gave the glyph, in points */
    bool fake_bold;       /* draw with fill + stroke */
    gw_role role;         /* the role it was set in (bookmarks take a heading's text by it) */
    uint32_t color;       /* GW_BLACK, or GW_RED for the 发文机关标志 */
} gw_glyph;

/* One set line: its glyphs are page->glyphs[first .. first + count). */
typedef struct gw_line_box {
    gw_line_kind kind;
    int row;              /* grid row 0..lines_per_page-1; -1 for the page number */
    int level;            /* heading level 1..4, else 0 */
    double baseline;
    double x0, x1;        /* left edge of the first glyph cell, right edge of the last */
    size_t first, count;
    bool para_start;      /* first line of a paragraph or heading */
    bool para_end;        /* last line of a paragraph or heading */
} gw_line_box;

/* A straight rule (a table's lines, the 版头's red rules, the 版记's lines),
 * from (x0, y0) to (x1, y1), in points. */
typedef struct gw_rule {
    double x0, y0, x1, y1;
    double width;
    uint32_t color;       /* GW_BLACK or GW_RED */
} gw_rule;

/* A seal on a page: the image's mask painted in its ink colour over the
 * square of side `size` whose lower-left corner is (x, y). */
typedef struct gw_image_place {
    const gw_seal_image *image;
    double x, y, size;
} gw_image_place;

typedef struct gw_page {
    int number;           /* the printed page number */
    double width, height;
    gw_glyph *glyphs;
    size_t n_glyphs, cap_glyphs;
    gw_line_box *lines;
    size_t n_lines, cap_lines;
    gw_rule *rules;
    size_t n_rules, cap_rules;
    gw_image_place *images;  /* drawn under the text */
    size_t n_images, cap_images;
    /* A landscape page (a landscape table): every glyph, rule and image but the
     * page number is in the gw_geometry_landscape frame; the PDF output turns it
     * a quarter turn counter-clockwise onto the portrait page, the table's head
     * to the page's left.  The page number is in portrait coordinates. */
    bool landscape;
} gw_page;

/* Append to a page; false when out of memory (the page is unchanged). */
bool gw_page_add_glyph(gw_page *p, const gw_glyph *g);
bool gw_page_add_box(gw_page *p, const gw_line_box *box);
bool gw_page_add_rule(gw_page *p, const gw_rule *r);

typedef struct gw_layout {
    gw_geometry geo;
    gw_page *pages;
    size_t n_pages, cap_pages;
    gw_seal_image **seals;   /* the seals and signature stamps the pages show (owned) */
    size_t n_seals;
} gw_layout;

/* Choices made on the command line (--profile, --option). */
typedef struct gw_layout_options {
    bool profile_set;        /* true: `profile` overrides the document's profile attribute */
    gw_lb_profile profile;
    bool strict;             /* —— and …… may not start a line */
    bool glue_num_han;       /* no break between a number and the Han character after it */
    long max_pages;          /* 0: gw_limits_default().pages */
    /* Seals and stamps only from the document's folder or below, by relative
     * paths without "..", as attachments always are (`--confine`: the server
     * renders untrusted sources, which must not show the machine's images). */
    bool confine_files;
    /* For tests and benchmarks: when not NULL, receives the most set lines the
     * layout held at once (the window gw_layout_stream keeps bounded). */
    size_t *peak_set_lines;
} gw_layout_options;

/* Receives each finished page, in order, as soon as it is complete (its page
 * number added).  The page and everything it points to except the seal images
 * are freed after the call returns.  Returns 0, or -1 after reporting an error;
 * the layout then stops and returns -1. */
typedef int (*gw_page_fn)(void *arg, const gw_page *page);

/* Lay out `doc`, handing each page to on_page as it is made and then freeing it:
 * the memory held is the document model, the page being filled and a window of
 * set lines (plus the largest single paragraph or table), not the whole document.
 * Every error in the document is still reported (the layout goes on setting
 * lines after the first error, but hands no more pages to on_page).
 * Returns 0, or -1 after reporting (then the pages handed over must be discarded).
 * opt as for gw_layout_document.  The seal images a page's images point at stay
 * valid through every on_page call and are freed before this returns. */
int gw_layout_stream(const gw_doc *doc, gw_fontset *fonts, const gw_layout_options *opt,
                     gw_page_fn on_page, void *arg, gw_diag *diag);

/* Lay out the whole document and keep every page (opt NULL: the document's
 * profile, no options); built on gw_layout_stream's pagination, with the same
 * pages.  Returns NULL after reporting every error (for example each character
 * no face of its role can draw, with its position). */
gw_layout *gw_layout_document(const gw_doc *doc, gw_fontset *fonts, const gw_layout_options *opt,
                              gw_diag *diag);
void gw_layout_free(gw_layout *lay);


#endif
