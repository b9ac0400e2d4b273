/* title — chooses the line breaks of a title without <br/> (see title.h).
 *
 * Called by the layout (layout.c, set_title).  Candidates are the positions
 * that are both ICU word boundaries (UBRK_WORD, locale zh) and legal line
 * breaks; the ways of choosing L−1 of them are tried in order for the fewest
 * lines that fit and one more, keeping the arrangement whose lines are closest
 * to equal among those with a trapezoid or diamond shape.  Line widths come
 * from gw_lb_span_width, so they are the widths the lines will be set at.
 *
 * The search only walks arrangements whose lines can fit: a line ends no later
 * than its characters' width allows (each ideograph, letter and digit counts
 * its full width in any line it is on, so their running sum bounds a line from
 * below) and no earlier than leaves room for the rest; each line's width is
 * measured once.  So it tries some W^(L−1) arrangements, W the word breaks one
 * line holds (about 20 for Chinese, 40 for one-letter words), not every subset
 * of the candidates, in the same order as trying every subset: the choice is
 * the same.  A title with more candidates than MAX_CANDIDATES, or a search past
 * MAX_TRIALS steps (only zero-width text gets there), keeps the best found so
 * far, or is broken by width. */
#include "title.h"

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
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

/* Past these the search stops (see the top of the file). */
#define MAX_CANDIDATES 512
#define MAX_TRIALS (1L << 20)

/* How a break reads, as a cost in em² of the equality cost (two lines d em
 * apart cost d²/2): a title breaks best where a phrase ends — after the
 * issuing organ's name at the head, before 关于, before the "的" of the
 * document type (…的通知), after a year (2023年度), before 及/和/与 — and
 * worst where a line would end on 关于, 的 or a conjunction.  Any other word
 * boundary splits a phrase (部门 | 整体支出), which a reader notices more than
 * lines some characters apart: MILD is what ten characters of difference
 * cost. */
enum { BREAK_GOOD = 0, BREAK_MILD = 50, BREAK_BAD = 200 };

static bool is_cp(const gw_lb_item *items, size_t n, size_t i, uint32_t cp)
{
    return i < n && items[i].cp == cp;
}

/* True when items [0, at) hold 关于 or 的: past the head of the title, where
 * an organ's name stands. */
static bool past_head(const gw_lb_item *items, size_t at)
{
    for (size_t i = 0; i < at; i++)
        if (items[i].cp == 0x7684 || (items[i].cp == 0x5173 && is_cp(items, at, i + 1, 0x4E8E)))
            return true;
    return false;
}

static bool is_conjunction(uint32_t cp)
{
    return cp == 0x53CA || cp == 0x548C || cp == 0x4E0E || cp == 0x66A8;   /* 及 和 与 暨 */
}

/* The last character of an organ's name: 局 馆 院 委 会 府 厅 部 处 室 站 所 办 社 署 队 团
 * 司 (公司) 校 (学校) 心 (中心). */
static bool ends_organ(uint32_t cp)
{
    static const uint32_t last[] = { 0x5C40, 0x9986, 0x9662, 0x59D4, 0x4F1A, 0x5E9C, 0x5385,
                                     0x90E8, 0x5904, 0x5BA4, 0x7AD9, 0x6240, 0x529E, 0x793E,
                                     0x7F72, 0x961F, 0x56E2, 0x53F8, 0x6821, 0x5FC3 };
    for (size_t i = 0; i < sizeof last / sizeof *last; i++)
        if (cp == last[i])
            return true;
    return false;
}

static int break_cost(const gw_lb_item *items, size_t n, size_t at)
{
    uint32_t prev = items[at - 1].cp, next = items[at].cp;
    bool digit_before = at >= 2 && items[at - 2].cp >= '0' && items[at - 2].cp <= '9';
    if (prev == 0x7684 || is_conjunction(prev) ||
        (prev == 0x4E8E && at >= 2 && items[at - 2].cp == 0x5173))        /* …的 | …及 | …关于 | */
        return BREAK_BAD;
    if (next == 0x5173 && is_cp(items, n, at + 1, 0x4E8E))              /* | 关于 */
        return BREAK_GOOD;
    if (next == 0x7684 && n - at <= 5)                                  /* | 的通知 */
        return BREAK_GOOD;
    if (is_conjunction(next))                                           /* | 及… */
        return BREAK_GOOD;
    if ((prev == 0x5EA6 && at >= 2 && items[at - 2].cp == 0x5E74) ||    /* 年度 | */
        (prev == 0x5E74 && digit_before))                               /* 2023年 | */
        return BREAK_GOOD;
    if (ends_organ(prev) && !past_head(items, at))                      /* 文化馆 | */
        return BREAK_GOOD;
    return BREAK_MILD;
}

typedef struct search {
    const gw_lb_item *items;
    const gw_lb_options *o;
    const size_t *at;            /* break positions: 0, the candidates ascending, n */
    size_t n_at;                 /* candidates + 2 */
    const long *low;             /* low[i]: the least width items [0, i) take on lines */
    const int *penalty;          /* penalty[a]: break_cost of a break at at[a], in em² */
    int *width;                  /* width[a * n_at + b]: a line from at[a] to at[b]; INT_MIN unknown */
    int line_width, min_step;
    size_t pick[MAX_LINES], best[MAX_LINES], best_lines;
    double best_cost;
    long trials;
    bool found, oom, stopped;
} search;

/* Width of the line from at[a] to at[b], measured once. */
static int line_of(search *s, size_t a, size_t b)
{
    int *w = &s->width[a * s->n_at + b];
    if (*w == INT_MIN) {
        *w = gw_lb_span_width(s->items, s->at[a], s->at[b], s->o);
        if (*w < 0)
            s->oom = true;
    }
    return *w;
}

/* The cost of the arrangement in pick (indexes into at), -1 when a line does
 * not fit. */
static double cost_of(search *s, size_t lines, int *w)
{
    double total = 0, cost = 0;
    for (size_t j = 0; j < lines; j++) {
        size_t from = j == 0 ? 0 : s->pick[j - 1], to = j + 1 == lines ? s->n_at - 1 : s->pick[j];
        w[j] = line_of(s, from, to);
        if (w[j] < 0 || w[j] > s->line_width)
            return -1;
        total += w[j];
    }
    double mean = total / (double)lines, em = s->min_step;
    for (size_t j = 0; j < lines; j++)
        cost += (w[j] - mean) * (w[j] - mean);
    for (size_t j = 0; j + 1 < lines; j++)
        cost += s->penalty[s->pick[j]] * em * em;
    /* Prefer a longer first line when two arrangements are otherwise equal. */
    return cost - (lines > 1 ? (w[0] - w[lines - 1]) * 1e-6 : 0);
}

static void consider(search *s, size_t lines)
{
    int w[MAX_LINES];
    double cost = cost_of(s, lines, w);
    if (cost >= -0.5 && good_shape(w, lines, s->min_step) && (!s->found || cost < s->best_cost)) {
        s->found = true;
        s->best_cost = cost;
        s->best_lines = lines;
        for (size_t j = 0; j + 1 < lines; j++)
            s->best[j] = s->pick[j];
    }
}

/* Try, in order, every choice of the breaks depth.. of `lines` lines whose
 * lines can fit: break `depth` after at[from − 1], where the line so far
 * started at at[start]. */
static void choose(search *s, size_t lines, size_t depth, size_t start, size_t from)
{
    if (depth + 1 == lines) {
        consider(s, lines);
        return;
    }
    long rest_room = (long)(lines - depth - 1) * s->line_width;
    size_t last = s->n_at - 1;
    /* The first break that leaves the rest room in the lines after it. */
    size_t lo = from, hi = last;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->low[s->at[last]] - s->low[s->at[mid]] <= rest_room)
            hi = mid;
        else
            lo = mid + 1;
    }
    for (size_t c = lo; c < last && !s->oom && !s->stopped; c++) {
        if (s->low[s->at[c]] - s->low[s->at[start]] > s->line_width)
            break;                     /* this line, and every longer one, is too wide */
        if (++s->trials > MAX_TRIALS) {
            s->stopped = true;
            break;
        }
        int w = line_of(s, start, c);
        if (w < 0 || w > s->line_width)
            continue;
        s->pick[depth] = c;
        choose(s, lines, depth + 1, c, c + 1);
    }
}

/* The least width each item takes on any line it is on: ideographs, letters
 * and digits their whole width (punctuation may lose blanks, spaces vanish). */
static long least_width(const gw_lb_item *it)
{
    uint32_t cp = it->cp;
    bool full = (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') ||
                (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
                (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3FFFF);
    return full && it->width > 0 ? it->width : 0;
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
    size_t fewest = (size_t)((total + line_width - 1) / line_width);
    if (fewest > MAX_LINES)
        return 1;
    bool *legal = malloc((n ? n : 1) * sizeof *legal), *word = malloc((n ? n : 1) * sizeof *word);
    size_t *at = malloc((n + 2) * sizeof *at);
    long *low = malloc((n + 1) * sizeof *low);
    int *width = NULL, *penalty = NULL;
    int rc = -1;
    if (!legal || !word || !at || !low || gw_lb_breaks(items, n, o, legal) != 0 ||
        word_starts(items, n, word) != 0)
        goto out;
    size_t n_at = 0;
    at[n_at++] = 0;
    for (size_t i = 1; i < n; i++)
        if (legal[i] && word[i])
            at[n_at++] = i;
    at[n_at++] = n;
    rc = 1;
    if (n_at - 2 > MAX_CANDIDATES)
        goto out;                              /* no title has so many words: break by width */
    low[0] = 0;
    for (size_t i = 0; i < n; i++)
        low[i + 1] = low[i] + least_width(&items[i]);
    width = malloc(n_at * n_at * sizeof *width);
    penalty = malloc(n_at * sizeof *penalty);
    if (!width || !penalty) {
        rc = -1;
        goto out;
    }
    for (size_t a = 0; a < n_at; a++)
        penalty[a] = a == 0 || a + 1 == n_at ? 0 : break_cost(items, n, at[a]);
    for (size_t i = 0; i < n_at * n_at; i++)
        width[i] = INT_MIN;
    search s = { items, o, at, n_at, low, penalty, width, line_width, min_step, { 0 }, { 0 }, 0,
                 0, 0, false, false, false };
    for (size_t lines = fewest; lines <= fewest + 1 && lines <= MAX_LINES && !s.found && !s.stopped;
         lines++)
        if (lines - 1 <= max_breaks)
            choose(&s, lines, 0, 0, 1);
    if (s.oom) {
        rc = -1;
        goto out;
    }
    if (s.found) {
        for (size_t j = 0; j + 1 < s.best_lines; j++)
            breaks[j] = at[s.best[j]];
        *n_breaks = s.best_lines - 1;
        rc = 0;
    }
out:
    free(legal);
    free(word);
    free(at);
    free(low);
    free(width);
    free(penalty);
    return rc;
}
