/* table — format-v1 tables for the layout (private to the layout module).
 *
 * A table is measured once (table_measure): column widths fitted to the type
 * area (the "*" columns share what the millimetre widths leave by their
 * content: table.c, split_stars), each cell's text broken ragged
 * by the body's line breaker in the body face at 12 pt (小四) with 18 pt
 * leading — never the body's 29.6 pt grid pitch — header cells (th) in 黑体 and
 * centred, rows as tall as their tallest cell, cells centred vertically.  The
 * pagination in layout.c then places the body rows page by page with
 * table_place, repeating the head rows on every page: a page ends at a row
 * boundary (table_cut_rows; inside a rowspan cell too, where its text allows
 * or fits above the cut, the row above growing when the page has room for it:
 * table_settle_cut), and inside a row only when the row is taller than a page
 * (table_cut).
 *
 * Called by layout.c only. */
#ifndef GW_TABLE_H
#define GW_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "fonts.h"
#include "layout.h"
#include "linebreak.h"
#include "model.h"

#define GW_TABLE_TEXT_SIZE 12.0     /* 小四 */
#define GW_TABLE_LEADING 18.0       /* 1.5 lines */
#define GW_TABLE_RULE 0.5           /* rule width, pt */

typedef struct gw_table_set gw_table_set;

/* What measuring needs from the layout. */
typedef struct table_env {
    gw_fontset *fonts;
    const gw_lb_params *lb;       /* the document's line-breaking options */
    const char *path;             /* for messages */
    gw_diag *diag;
    double area_width;            /* pt */
} table_env;

/* Measure table `t` (its start tag at `pos`); `with_caption` sets the caption
 * too (a landscape table's, which goes on the table's own page).  Returns NULL after reporting
 * (a character no font draws, columns wider than the type area); *oom is set
 * when memory ran out. */
gw_table_set *table_measure(const gw_table *t, gw_pos pos, const table_env *env, bool with_caption,
                            bool *oom);
void table_free(gw_table_set *ts);

size_t table_rows(const gw_table_set *ts);
/* Height of the caption set with the table (0 when none), and drawing it with
 * its top at PDF y `top`. */
double table_caption_height(const gw_table_set *ts);
bool table_place_caption(const gw_table_set *ts, gw_page *p, double area_left, double top);
size_t table_head_rows(const gw_table_set *ts);
/* Height of rows [r0, r1), pt. */
double table_height(const gw_table_set *ts, size_t r0, size_t r1);
/* The largest row boundary in (off0, limit] (offsets from the top of rows
 * [r0, r1)) that no line of text crosses — a rowspan cell's text may lie across
 * one — and, with keep_order, below which no rowspan cell that crosses it has
 * all its text (which would then be read after the rows that follow it); off0
 * when none. */
double table_cut_rows(const gw_table_set *ts, size_t r0, size_t r1, double off0, double limit,
                      bool keep_order);
/* A page ends at offset `at` of rows [r0, r1), found by table_cut_rows or
 * table_cut with `limit`: the text of each cell the cut crosses that does not
 * lie wholly above it is centred in the cell's part above it, where it fits —
 * at a row boundary, once the row above has grown (to `limit` at most) as
 * table_cut_rows allowed for.  Returns where the page now ends (at, or
 * further down by what the row grew). */
double table_settle_cut(gw_table_set *ts, size_t r0, size_t r1, double at, double limit);
/* From offset `off` to the end of the row it falls in, pt. */
double table_row_rest(const gw_table_set *ts, size_t r0, size_t r1, double off);
/* The largest offset in (off0, limit] that crosses no line of text, for a row
 * taller than a page; off0 when none. */
double table_cut(const gw_table_set *ts, size_t r0, size_t r1, double off0, double limit);

/* Draw the slice [off0, off1) (offsets from the top of rows [r0, r1)) with its
 * top at PDF y `top` on page p: the text lines inside it, and each cell's top
 * and left rules and the table's right rule within it.  `close` also draws
 * the rule under the slice (the last slice on a page, or the table's end).
 * Returns false when out of memory. */
bool table_place(const gw_table_set *ts, gw_page *p, double area_left, double top, size_t r0, size_t r1,
                 double off0, double off1, bool close);

#endif
