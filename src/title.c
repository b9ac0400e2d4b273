/* title — chooses the line breaks of a title without <br/> (see title.h).
 *
 * Called by the layout (layout.c, set_front_matter).  Candidates are the
 * positions that are both ICU word boundaries (UBRK_WORD, locale zh) and legal
 * line breaks; every way of choosing L−1 of them is tried for the fewest lines
 * that fit and one more (titles are short: a few dozen candidates), keeping the
 * arrangement whose lines are closest to equal among those with a trapezoid or
 * diamond shape.  Line widths come from gw_lb_span_width, so they are the
 * widths the lines will be set at. */
#include "title.h"

#include <stdbool.h>
#include <stdlib.h>
#include <unicode/ubrk.h>
#include <unicode/utypes.h>

#define MAX_LINES 4

/* ICU word boundaries as a flag per item (a boundary before item i). */
static int word_starts(const gw_lb_item *items, size_t n, bool *start)
{
    UChar *u16 = malloc((2 * n + 1) * sizeof *u16);
    size_t *item_of = malloc((2 * n + 1) * sizeof *item_of);
    if (!u16 || !item_of) {
        free(u16);
        free(item_of);
        return -1;
    }
    int32_t len = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t cp = items[i].cp;
        item_of[len] = i;
        if (cp > 0xFFFF) {
            u16[len++] = (UChar)(0xD800 + ((cp - 0x10000) >> 10));
            item_of[len] = i;
            u16[len++] = (UChar)(0xDC00 + ((cp - 0x10000) & 0x3FF));
        } else {
            u16[len++] = (UChar)cp;
        }
    }
    item_of[len] = n;
    UErrorCode status = U_ZERO_ERROR;
    UBreakIterator *bi = ubrk_open(UBRK_WORD, "zh", u16, len, &status);
    int rc = -1;
    if (U_SUCCESS(status)) {
        for (size_t i = 0; i < n; i++)
            start[i] = false;
        for (int32_t b = ubrk_first(bi); b != UBRK_DONE; b = ubrk_next(bi))
            if (b > 0 && b < len && item_of[b] != item_of[b - 1])
                start[item_of[b]] = true;
        ubrk_close(bi);
        rc = 0;
    }
    free(u16);
    free(item_of);
    return rc;
}

/* Trapezoid (widths strictly growing or shrinking) or diamond (growing, then
 * shrinking), each step at least min_step: never a rectangle or an hourglass. */
static bool good_shape(const int *w, size_t lines, int min_step)
{
    if (lines < 2)
        return true;
    size_t i = 1;
    while (i < lines && w[i] - w[i - 1] >= min_step)
        i++;                       /* growing ... */
    while (i < lines && w[i - 1] - w[i] >= min_step)
        i++;                       /* ... then shrinking; either part may be empty */
    return i == lines;
}

typedef struct search {
    const gw_lb_item *items;
    const gw_lb_options *o;
    const size_t *cand;          /* candidate break positions, ascending */
    size_t n_cand, n;
    int line_width, min_step;
    size_t pick[MAX_LINES], best[MAX_LINES], best_lines;
    double best_cost;
    bool found, oom;
} search;

static double cost_of(search *s, size_t lines, int *w)
{
    double total = 0, cost = 0;
    for (size_t j = 0; j < lines; j++) {
        size_t from = j == 0 ? 0 : s->pick[j - 1], to = j + 1 == lines ? s->n : s->pick[j];
        w[j] = gw_lb_span_width(s->items, from, to, s->o);
        if (w[j] < 0) {
            s->oom = true;
            return -1;
        }
        if (w[j] > s->line_width)
            return -1;
        total += w[j];
    }
    double mean = total / (double)lines;
    for (size_t j = 0; j < lines; j++)
        cost += (w[j] - mean) * (w[j] - mean);
    /* Prefer a longer first line when two arrangements are otherwise equal. */
    return cost - (lines > 1 ? (w[0] - w[lines - 1]) * 1e-6 : 0);
}

/* Try every choice of lines−1 candidates from index `from` on. */
static void choose(search *s, size_t lines, size_t depth, size_t from)
{
    if (s->oom)
        return;
    if (depth + 1 == lines) {
        int w[MAX_LINES];
        double cost = cost_of(s, lines, w);
        if (cost >= -0.5 && good_shape(w, lines, s->min_step) &&
            (!s->found || cost < s->best_cost)) {
            s->found = true;
            s->best_cost = cost;
            s->best_lines = lines;
            for (size_t j = 0; j + 1 < lines; j++)
                s->best[j] = s->pick[j];
        }
        return;
    }
    for (size_t c = from; c < s->n_cand; c++) {
        s->pick[depth] = s->cand[c];
        choose(s, lines, depth + 1, c + 1);
    }
}

int gw_title_breaks(const gw_lb_item *items, size_t n, int line_width, int min_step,
                    const gw_lb_options *o, size_t *breaks, size_t max_breaks, size_t *n_breaks)
{
    *n_breaks = 0;
    int total = gw_lb_span_width(items, 0, n, o);
    if (total < 0)
        return -1;
    if (total <= line_width)
        return 0;
    bool *legal = malloc((n ? n : 1) * sizeof *legal), *word = malloc((n ? n : 1) * sizeof *word);
    size_t *cand = malloc((n ? n : 1) * sizeof *cand);
    int rc = -1;
    if (!legal || !word || !cand || gw_lb_breaks(items, n, o, legal) != 0 ||
        word_starts(items, n, word) != 0)
        goto out;
    size_t n_cand = 0;
    for (size_t i = 1; i < n; i++)
        if (legal[i] && word[i])
            cand[n_cand++] = i;
    search s = { items, o, cand, n_cand, n, line_width, min_step, { 0 }, { 0 }, 0, 0, false, false };
    size_t fewest = (size_t)((total + line_width - 1) / line_width);
    for (size_t lines = fewest; lines <= fewest + 1 && lines <= MAX_LINES && !s.found; lines++)
        if (lines - 1 <= max_breaks)
            choose(&s, lines, 0, 0);
    if (s.oom)
        goto out;
    rc = 1;
    if (s.found) {
        for (size_t j = 0; j + 1 < s.best_lines; j++)
            breaks[j] = s.best[j];
        *n_breaks = s.best_lines - 1;
        rc = 0;
    }
out:
    free(legal);
    free(word);
    free(cand);
    return rc;
}
