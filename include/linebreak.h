/* linebreak — breaking a paragraph into lines on the character grid, and
 * placing the characters of each line.
 *
 * Knows nothing of fonts or PDF: it works on items (a code point and its width
 * in layout units, 1000 = one grid cell) and returns line spans and offsets.
 * The rules are those of ../shared/cjk-layout-rules.md at the "basic" level:
 * closing punctuation (，。、；：？！）》” …) never starts a line, opening
 * brackets and quotes (（《“ …) never end one, numbers, Latin words, —— and
 * …… are never split.  A violation is resolved by pushing the last legal unit
 * to the next line and spreading the rest (push-out); a glyph never hangs
 * outside the line.
 *
 * Called by the layout for paragraphs, headings, list items and titles. */
#ifndef GW_LINEBREAK_H
#define GW_LINEBREAK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "utf8.h"

/* One unit of a paragraph: a character (or a forced break, GW_CP_LINE_BREAK). */
typedef struct gw_lb_item {
    uint32_t cp;
    int width;           /* advance in layout units (1000 = 1 cell) */
} gw_lb_item;

typedef struct gw_lb_line {
    size_t start, end;   /* items [start, end) set on the line (no trailing space) */
    size_t next;         /* where the next line starts */
    int width;           /* natural width of items [start, end) */
    int avail;           /* the width available to this line */
    bool last;           /* the paragraph's last line, or ended by a forced break */
} gw_lb_line;

typedef struct gw_lb_params {
    int line_width;      /* units available on every line */
    int first_indent;    /* units taken off the first line */
} gw_lb_params;

/* Break items[0..n) into lines.  Returns 0 and a malloc'd array the caller frees,
 * or -1 when out of memory.  An empty paragraph gives one empty line. */
int gw_break_paragraph(const gw_lb_item *items, size_t n, const gw_lb_params *p,
                       gw_lb_line **lines, size_t *n_lines);

/* Offsets (in units, from the line's start) of items [line->start, line->end):
 * offsets[i - line->start].  Every line but the last is justified so that its
 * last item ends exactly at line->avail; the last line is set solid. */
void gw_place_line(const gw_lb_item *items, const gw_lb_line *line, bool justify, int *offsets);

/* Character classes, exported for tests and for the layout. */
bool gw_lb_no_start(uint32_t cp);   /* may not begin a line */
bool gw_lb_no_end(uint32_t cp);     /* may not end a line */
/* True when a line may break between items[i-1] and items[i] (0 < i < n). */
bool gw_lb_can_break(const gw_lb_item *items, size_t n, size_t i);

#endif
