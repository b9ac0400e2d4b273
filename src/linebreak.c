/* linebreak — breaks a paragraph into grid lines and places each line's items.
 *
 * Called by the layout (layout.c) once per paragraph, heading, list item and
 * title.  Works in layout units (1000 = one grid cell) on items that carry only
 * a code point and a width, so it is tested without fonts (test_linebreak.c).
 *
 * The method is the rules file's loop (../shared/cjk-layout-rules.md §4) at
 * the basic level: fill the line; if the break that falls at the fill point is
 * forbidden, push out — carry the last legal unit to the next line and stretch
 * the rest.  Cost is linear in the paragraph's length times the look-back,
 * which is bounded by the line's width. */
#include "linebreak.h"

#include "grow.h"

#include <stdlib.h>

static bool in_list(uint32_t cp, const uint32_t *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (list[i] == cp)
            return true;
    return false;
}

/* Not at line start: 点号, closers, connectors, 间隔号, 分隔号, postfixes
 * (rules file §1 rows 1–6). */
static const uint32_t NO_START[] = {
    0x3001, 0x3002, 0xFF0C, 0xFF0E, 0xFF1A, 0xFF1B, 0xFF1F, 0xFF01, 0x203C, 0x2047, 0x2048,
    0x2049, 0x21, 0x2C, 0x2E, 0x3A, 0x3B, 0x3F,
    0x201D, 0x2019, 0xFF09, 0x300B, 0x3009, 0x300D, 0x300F, 0x3011, 0x3015, 0x3017, 0xFF3D,
    0xFF5D, 0x3019, 0x301B, 0x301E, 0x301F, 0xFF60, 0x29, 0x5D, 0x7D,
    0x2013, 0x2014, 0x2015, 0xFF5E, 0x301C, 0xFF0D, 0x2010, 0x2012, 0x2D,
    0x00B7, 0x30FB, 0x2027, 0xFF65,
    0x2F, 0xFF0F,
    0x25, 0xFF05, 0x2030, 0x2031, 0x2103, 0x2109, 0x00B0, 0x2032, 0x2033, 0x00A2, 0xFFE0,
};

/* Not at line end: openers, prefixes, 分隔号 (rules file §2). */
static const uint32_t NO_END[] = {
    0x201C, 0x2018, 0xFF08, 0x300A, 0x3008, 0x300C, 0x300E, 0x3010, 0x3014, 0x3016, 0xFF3B,
    0xFF5B, 0x3018, 0x301A, 0x301D, 0xFF5F, 0x28, 0x5B, 0x7B,
    0x24, 0xFF04, 0x00A3, 0xFFE1, 0x00A5, 0xFFE5, 0x20AC, 0x2116,
    0x2F, 0xFF0F,
};

bool gw_lb_no_start(uint32_t cp)
{
    return in_list(cp, NO_START, sizeof NO_START / sizeof NO_START[0]);
}

bool gw_lb_no_end(uint32_t cp)
{
    return in_list(cp, NO_END, sizeof NO_END / sizeof NO_END[0]);
}

static bool is_space(uint32_t cp)
{
    return cp == 0x20;
}

/* Characters that form Latin words and numbers: a maximal run of them is one
 * unbreakable atom (GDP, COVID-19, 97.85%, 1,286.50, 2.6TB). */
static bool is_latin_atom_char(uint32_t cp)
{
    return (cp >= 0x21 && cp <= 0x7E) || (cp >= 0xA0 && cp <= 0x24F);
}

/* Marks that come in unbreakable pairs: ——, ……. */
static bool is_doubled_mark(uint32_t cp)
{
    return cp == 0x2014 || cp == 0x2015 || cp == 0x2026 || cp == 0x22EF;
}

static bool is_qe_mark(uint32_t cp)
{
    return cp == 0xFF1F || cp == 0xFF01 || cp == 0x3F || cp == 0x21;
}

/* True when items[i-1] and items[i] belong to one atom. */
static bool same_atom(const gw_lb_item *items, size_t i)
{
    uint32_t a = items[i - 1].cp, b = items[i].cp;
    if (is_latin_atom_char(a) && is_latin_atom_char(b))
        return true;
    if (a == b && is_doubled_mark(a))
        return true;
    return is_qe_mark(a) && is_qe_mark(b);
}

/* A single 一字线 may not start a line, but a —— pair may (rules file §1). */
static bool forbids_start(const gw_lb_item *items, size_t n, size_t i)
{
    uint32_t b = items[i].cp;
    if ((b == 0x2014 || b == 0x2015) && i + 1 < n && items[i + 1].cp == b)
        return false;
    return gw_lb_no_start(b);
}

bool gw_lb_can_break(const gw_lb_item *items, size_t n, size_t i)
{
    if (i == 0 || i >= n)
        return false;
    uint32_t a = items[i - 1].cp, b = items[i].cp;
    if (a == GW_CP_LINE_BREAK || b == GW_CP_LINE_BREAK)
        return false;                       /* forced breaks are handled by the loop */
    if (is_space(b))
        return false;                       /* break after a space, never before it */
    if (is_space(a))
        return !forbids_start(items, n, i);
    if (same_atom(items, i))
        return false;
    if (forbids_start(items, n, i))
        return false;
    return !gw_lb_no_end(a);
}

static size_t skip_spaces(const gw_lb_item *items, size_t n, size_t i)
{
    while (i < n && is_space(items[i].cp))
        i++;
    return i;
}

static size_t trim_spaces(const gw_lb_item *items, size_t start, size_t end)
{
    while (end > start && is_space(items[end - 1].cp))
        end--;
    return end;
}

static int span_width(const gw_lb_item *items, size_t start, size_t end)
{
    int w = 0;
    for (size_t i = start; i < end; i++)
        w += items[i].width;
    return w;
}

/* The end of the line starting at s with `avail` units: sets *next and *last. */
static size_t find_line_end(const gw_lb_item *items, size_t n, size_t s, int avail,
                            size_t *next, bool *last)
{
    size_t e = s;
    int w = 0;
    while (e < n && items[e].cp != GW_CP_LINE_BREAK && w + items[e].width <= avail) {
        w += items[e].width;
        e++;
    }
    if (e == n || items[e].cp == GW_CP_LINE_BREAK) {
        *last = true;
        *next = e == n ? n : e + 1;
        return e;
    }
    *last = false;
    e = skip_spaces(items, n, e);           /* spaces at a line end take no room */
    if (e == n || items[e].cp == GW_CP_LINE_BREAK) {
        *last = true;
        *next = e == n ? n : e + 1;
        return e;
    }
    for (size_t b = e; b > s; b--) {
        if (gw_lb_can_break(items, n, b)) {  /* the fill point, or pushed out */
            *next = b;
            return b;
        }
    }
    /* No legal break on the line (an atom wider than the line): split at the
     * fill point, taking at least one item so the loop always advances. */
    while (e > s + 1 && span_width(items, s, e) > avail)
        e--;
    *next = e;
    return e;
}

int gw_break_paragraph(const gw_lb_item *items, size_t n, const gw_lb_params *p,
                       gw_lb_line **lines, size_t *n_lines)
{
    size_t cap = 0, count = 0;
    gw_lb_line *out = NULL;
    size_t s = skip_spaces(items, n, 0);
    do {
        if (!gw_grow(&out, &cap, count + 1, sizeof *out)) {
            free(out);
            return -1;
        }
        int avail = p->line_width - (count == 0 ? p->first_indent : 0);
        size_t next;
        bool last;
        size_t e = find_line_end(items, n, s, avail, &next, &last);
        e = trim_spaces(items, s, e);
        out[count++] = (gw_lb_line){ s, e, next, span_width(items, s, e), avail, last };
        s = last ? next : skip_spaces(items, n, next);
    } while (s < n);
    *lines = out;
    *n_lines = count;
    return 0;
}

/* Junctions that take stretch: between atoms, not inside one. */
static size_t stretch_junctions(const gw_lb_item *items, const gw_lb_line *line)
{
    size_t count = 0;
    for (size_t i = line->start + 1; i < line->end; i++)
        if (!same_atom(items, i))
            count++;
    return count;
}

void gw_place_line(const gw_lb_item *items, const gw_lb_line *line, bool justify, int *offsets)
{
    int slack = line->avail - line->width;
    size_t junctions = stretch_junctions(items, line);
    bool stretch = justify && !line->last && slack > 0 && junctions > 0;
    int share = stretch ? slack / (int)junctions : 0;
    int spare = stretch ? slack % (int)junctions : 0;   /* to the leftmost junctions */
    int x = 0;
    for (size_t i = line->start; i < line->end; i++) {
        if (i > line->start && stretch && !same_atom(items, i)) {
            x += share;
            if (spare > 0) {
                x++;
                spare--;
            }
        }
        offsets[i - line->start] = x;
        x += items[i].width;
    }
}
