/* title — where an automatically broken title breaks (private to the layout).
 *
 * GB/T 9704 §7.3.1: a title of several lines keeps words whole and is arranged
 * as a trapezoid or a diamond, never a rectangle or an hourglass.  Word
 * boundaries come from ICU's dictionary-based word breaker; a break must also
 * be legal for the line breaker (kinsoku, atoms). */
#ifndef GW_TITLE_H
#define GW_TITLE_H

#include <stddef.h>

#include "linebreak.h"

/* Choose the breaks of a title set in lines of `line_width` units: writes the
 * item indexes to break before into breaks[0..*n_breaks) (at most max_breaks).
 * `min_step` is the least difference between two lines' widths that makes
 * them read as different lengths (one character of the title's size).
 * Returns 0 when a shape was found (n_breaks may be 0: one line), 1 when the
 * title has no usable word break (the caller breaks it by width), -1 when out
 * of memory or ICU fails. */
int gw_title_breaks(const gw_lb_item *items, size_t n, int line_width, int min_step,
                    const gw_lb_options *o, size_t *breaks, size_t max_breaks, size_t *n_breaks);

#endif
