/* gwlimits — the bounds gwpdf puts on any input, so that a hostile or absurd
 * document ends in a clear error instead of exhausting the machine.
 *
 * Defaults are documented in docs/limits.md; each can be changed with
 * `--limit NAME=N`.  The model checks the source's size, element count,
 * nesting, text length and table size; the layout checks the page count; the
 * CLI caps how many errors are printed.  Plain data: no global state. */
#ifndef GW_GWLIMITS_H
#define GW_GWLIMITS_H

#include <stdbool.h>

typedef struct gw_limits {
    long bytes;          /* size of the source file */
    long elements;       /* elements in the document */
    long depth;          /* element nesting */
    long text;           /* characters of text in the whole document */
    long paragraph;      /* characters of one block of text (a paragraph, cell, title) */
    long table_cells;    /* cells of one table */
    long pages;          /* pages of output */
    long errors;         /* errors printed before the rest are only counted */
} gw_limits;

gw_limits gw_limits_default(void);

/* Apply "NAME=N" (N a positive integer in digits, no sign or space).  False,
 * with *why set to a message, when the name is unknown or N is not such. */
bool gw_limits_set(gw_limits *l, const char *assignment, const char **why);

/* "bytes elements depth text paragraph table_cells pages errors", for messages. */
const char *gw_limits_names(void);

#endif
