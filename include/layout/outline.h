/* outline — the document's outline (bookmarks) read off the laid-out pages:
 * the title of the document and of each attachment or issued document, and
 * every level-1 and level-2 heading with its generated number.
 *
 * Every output that has bookmarks (the PDF's outline, the OFD's Outlines)
 * takes them from here, so the outputs agree and none of them re-reads the
 * layout's rules.  Pages are fed in order as the layout hands them over; a
 * heading set over two pages is one entry, reported when its last line is
 * read.
 *
 * Nesting: the document's own title and its level-1 headings are top-level
 * entries (depth 0), its level-2 headings under the level-1 before them; from
 * the second title on (an attachment's, format v2), each title is a top-level
 * entry gathering the headings that follow it (level 1 at depth 1, level 2 at
 * depth 2).  An entry's parent is the last entry seen at depth − 1.
 *
 * Called by the PDF and OFD outputs; reads only gw_page. */
#ifndef GW_OUTLINE_H
#define GW_OUTLINE_H

#include <stdbool.h>
#include <stddef.h>

#include "fonts.h"
#include "layout.h"

/* Depths run 0 .. GW_OUTLINE_DEPTHS - 1. */
#define GW_OUTLINE_DEPTHS 3

typedef struct gw_outline_entry {
    int depth;            /* 0 top level; d > 0 under the last entry of depth d − 1 */
    const char *text;     /* UTF-8, valid during the callback only */
    size_t page;          /* 0-based index of the page its first line is on */
    double top;           /* that line's top: baseline + size, in points from the page's bottom */
} gw_outline_entry;

/* Receives each entry; returns 0, or -1 to stop (out of memory). */
typedef int (*gw_outline_fn)(void *arg, const gw_outline_entry *e);

typedef struct gw_outline {
    gw_outline_fn fn;
    void *arg;
    bool open;            /* a marked line is being read */
    gw_role role;         /* the role its text is set in */
    int level;            /* 0 title, 1 or 2 heading */
    size_t page;
    double top;
    char *text;
    size_t n, cap;
    size_t n_titles;      /* titles seen: the second and later open a part */
    bool in_part;         /* a part (attachment) title has been seen */
    bool level1_in_part;  /* a level-1 heading follows the current part's title */
} gw_outline;

/* Start reading; nothing to free until the first page. */
void gw_outline_init(gw_outline *o, gw_outline_fn fn, void *arg);
/* Read the next page (its 0-based index in the document).  Returns 0, or -1
 * when out of memory or when fn asked to stop. */
int gw_outline_page(gw_outline *o, const gw_page *p, size_t index);
/* After the last page: the entry still open, if any.  0 or -1 as above. */
int gw_outline_finish(gw_outline *o);
void gw_outline_free(gw_outline *o);

#endif
