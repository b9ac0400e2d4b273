/* linebreak — breaking a paragraph into lines on the character grid, and
 * placing the characters of each line: the rules of docs/linebreak.md ("The rules")
 * (docs/linebreak.md says how each is implemented).
 *
 * Knows nothing of fonts or PDF: it works on items (a code point and its font
 * advance in layout units, 1000 = one grid cell) and returns line spans and,
 * per item, the slot the grid gives it.  What it decides:
 *  - atoms: ——, ……, ？！ runs, numbers with their separators, prefixes and
 *    postfixes (￥100, 97.85%, 1,286.50), Latin words — never split;
 *  - kinsoku: closing marks never start a line, opening marks never end one;
 *  - punctuation widths: full-width marks are half ink and half compressible
 *    blank; adjacent marks are compressed; a line's last mark loses its end
 *    blank and a line-start opener its start blank (GB profile);
 *  - a quarter-em gap between Han and Latin letters or digits (and after a
 *    number's % when one precedes the number), taken from the author's space
 *    where one was typed, kept at a quarter em when a line is stretched while
 *    other junctions can take the space;
 *  - fitting: push-in (shrinking the line's punctuation) before push-out
 *    (carrying the last legal unit down and stretching), never hanging; a
 *    bracket pair on one line gives its last half cell only when nothing else
 *    can, and on a line under 14 cells (a table cell) never;
 *  - the 孤字 pass: a paragraph's last line holds at least 2 em of text.
 *
 * Called by the layout for paragraphs, headings, list items and titles. */
#ifndef GW_LINEBREAK_H
#define GW_LINEBREAK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "utf8.h"

/* One character of a paragraph (or a forced break, GW_CP_LINE_BREAK). */
typedef struct gw_lb_item {
    uint32_t cp;
    int width;           /* font advance in layout units (1000 = 1 cell) */
} gw_lb_item;

typedef enum gw_lb_profile {
    GW_LB_GB,            /* GB/T 15834 and clreq: compression, push-in, 孤字 pass */
    GW_LB_WORD_GRID,     /* Word/WPS on a grid: full-cell marks, push-out only */
} gw_lb_profile;

typedef struct gw_lb_options {
    gw_lb_profile profile;
    bool strict;         /* —— and …… may not start a line either */
    bool glue_num_han;   /* no break between a number and the Han character after it */
    int gap;             /* Han–Latin gap in units (default 250, a quarter em) */
} gw_lb_options;

/* The defaults: GB profile, basic kinsoku, gap 250. */
gw_lb_options gw_lb_default_options(void);

typedef struct gw_lb_params {
    int line_width;      /* units available on every line */
    int first_indent;    /* units taken off the first line */
    gw_lb_options opt;
} gw_lb_params;

typedef struct gw_lb_line {
    size_t start, end;   /* items [start, end) set on the line */
    int width;           /* natural width of the line as set (blanks, gaps) */
    int avail;           /* the width available to this line */
    bool last;           /* the paragraph's last line, or ended by a forced break */
    int lead_blank;      /* blank kept before the ink of a line-start opener (（《“):
                            GB keeps it only after the first-line indent, WORD_GRID
                            always; gw_place_line reads it back */
} gw_lb_line;

/* Break items[0..n) into lines.  Returns 0 and a malloc'd array the caller frees,
 * or -1 when out of memory.  An empty paragraph gives one empty line. */
int gw_break_paragraph(const gw_lb_item *items, size_t n, const gw_lb_params *p,
                       gw_lb_line **lines, size_t *n_lines);

/* Where one item of a line goes.  Its glyph's natural box (the item's width)
 * is cut by trim_left and trim_right (negative: padded) to fill `slot` units
 * starting `x` units from the line's start: a compressed mark keeps its ink
 * half, a middle dot is centred in half a cell.  A space the rules delete, or
 * one at a line edge, gets slot 0 and is not drawn. */
typedef struct gw_lb_place {
    int x, slot;
    int trim_left, trim_right;
} gw_lb_place;

/* Place the items [line->start, line->end): out[i - line->start].  Every line
 * but the last is justified so that it ends exactly at line->avail (when
 * `justify`); an overfull line (push-in) is shrunk.  Returns -1 when out of
 * memory, else 0. */
int gw_place_line(const gw_lb_item *items, const gw_lb_line *line, const gw_lb_params *p,
                  bool justify, gw_lb_place *out);

/* Where a line may break: can_break[i] is true when a break before items[i]
 * (0 < i < n) keeps atoms whole and obeys kinsoku; can_break[0] is false.
 * Returns -1 when out of memory, else 0.  (The title's word breaks use it.) */
int gw_lb_breaks(const gw_lb_item *items, size_t n, const gw_lb_options *o, bool *can_break);

/* Width of items [from, to) set as one line (gaps, compressed marks, the end
 * blank dropped): what gw_lb_line.width would be.  -1 when out of memory. */
int gw_lb_span_width(const gw_lb_item *items, size_t from, size_t to, const gw_lb_options *o);

/* Character classes, exported for tests and the layout. */
bool gw_lb_no_start(uint32_t cp);   /* may not begin a line */
bool gw_lb_no_end(uint32_t cp);     /* may not end a line */

#endif
