/* linebreak — breaks a paragraph into grid lines and places each line's items
 * by the rules docs/linebreak.md states ("The rules"; see also linebreak.h).
 *
 * Called by the layout (layout.c) once per paragraph, heading, list item and
 * title, and by its tests (test_linebreak.c, which hold docs/linebreak.md's 25
 * cases).  Works in layout units (1000 = one grid cell) on items that carry a
 * code point and a font advance only.
 *
 * The paragraph is first cut into atoms — the units a line may break between —
 * each with its width split into a core and compressible blanks, and each
 * junction between atoms with its glue (a Han–Latin gap or a word space) and
 * whether a break is legal there.  The loop then fills one line at a time,
 * keeping the line's width and shrink pool as running sums, so the cost is
 * linear in the paragraph's length (the look-back of push-out is bounded by one
 * line). */
#include "linebreak.h"

#include <stdlib.h>
#include <string.h>

#include "grow.h"

#define HALF 500                 /* half a cell: a mark's blank */
/* Narrower than half the type area (a table cell): a line too short to hide a
 * pair of brackets both set at half width. */
#define SHORT_LINE 14000
#define NO_ITEM ((size_t)-1)

/* ---- character classes ------------------------------------------------ */

/* Ideographs, most of a Chinese text, are in none of the class lists below
 * (all punctuation, symbols and Latin marks): skip the scans for them, which
 * were two thirds of the analysis of a long document. */
static bool is_ideograph(uint32_t cp)
{
    return (cp >= 0x3400 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) || cp >= 0x20000;
}

static bool in_list(uint32_t cp, const uint32_t *list, size_t n)
{
    if (is_ideograph(cp))
        return false;
    for (size_t i = 0; i < n; i++)
        if (list[i] == cp)
            return true;
    return false;
}
#define IN(cp, list) in_list((cp), (list), sizeof(list) / sizeof(list)[0])

/* 点号 that pause (their blank is in the shrink pool) and that stop (not). */
static const uint32_t PAUSE[] = { 0x3001, 0xFF0C, 0xFF1B, 0xFF1A };
static const uint32_t STOP[] = { 0x3002, 0xFF0E, 0xFF1F, 0xFF01 };
static const uint32_t OPENERS[] = {
    0x201C, 0x2018, 0xFF08, 0x300A, 0x3008, 0x300C, 0x300E, 0x3010, 0x3014, 0x3016, 0xFF3B,
    0xFF5B, 0x3018, 0x301A, 0x301D, 0xFF5F,
};
static const uint32_t CLOSERS[] = {
    0x201D, 0x2019, 0xFF09, 0x300B, 0x3009, 0x300D, 0x300F, 0x3011, 0x3015, 0x3017, 0xFF3D,
    0xFF5D, 0x3019, 0x301B, 0x301E, 0x301F, 0xFF60,
};
/* Opener and closer of each bracket or quote pair (〝 closes with 〞 or 〟). */
static const uint32_t PAIRS[][2] = {
    { 0x201C, 0x201D }, { 0x2018, 0x2019 }, { 0xFF08, 0xFF09 }, { 0x300A, 0x300B },
    { 0x3008, 0x3009 }, { 0x300C, 0x300D }, { 0x300E, 0x300F }, { 0x3010, 0x3011 },
    { 0x3014, 0x3015 }, { 0x3016, 0x3017 }, { 0xFF3B, 0xFF3D }, { 0xFF5B, 0xFF5D },
    { 0x3018, 0x3019 }, { 0x301A, 0x301B }, { 0x301D, 0x301E }, { 0x301D, 0x301F },
    { 0xFF5F, 0xFF60 },
};
/* 连接号 and 分隔号: no stretch beside them. */
static const uint32_t CONNECTORS[] = {
    0x2013, 0x2014, 0x2015, 0xFF5E, 0x301C, 0xFF0D, 0x2010, 0x2012, 0xFF0F,
};
static const uint32_t MIDDOTS[] = { 0x00B7, 0x30FB, 0x2027, 0xFF65 };
/* Prefixes and postfixes that join a number (￥100, 97.85％, 25℃). */
static const uint32_t PREFIXES[] = { 0xFFE5, 0xFF04, 0xFFE1, 0x20AC, 0x2116 };
static const uint32_t POSTFIXES[] = { 0xFF05, 0x2030, 0x2031, 0x2103, 0x2109, 0x2032, 0x2033,
                                      0xFFE0 };

/* Not at line start: 点号, closers, connectors, 间隔号, 分隔号, postfixes
 * (docs/linebreak.md "Not at a line start" rows 1–6). */
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

/* Not at line end: openers, prefixes, 分隔号 (docs/linebreak.md "Not at a line end"). */
static const uint32_t NO_END[] = {
    0x201C, 0x2018, 0xFF08, 0x300A, 0x3008, 0x300C, 0x300E, 0x3010, 0x3014, 0x3016, 0xFF3B,
    0xFF5B, 0x3018, 0x301A, 0x301D, 0xFF5F, 0x28, 0x5B, 0x7B,
    0x24, 0xFF04, 0x00A3, 0xFFE1, 0x00A5, 0xFFE5, 0x20AC, 0x2116,
    0x2F, 0xFF0F,
};

bool gw_lb_no_start(uint32_t cp)
{
    return IN(cp, NO_START);
}

bool gw_lb_no_end(uint32_t cp)
{
    return IN(cp, NO_END);
}

gw_lb_options gw_lb_default_options(void)
{
    gw_lb_options o = { GW_LB_GB, false, false, 250 };
    return o;
}

static bool is_ascii_digit(uint32_t cp)
{
    return cp >= '0' && cp <= '9';
}

static bool is_alnum(uint32_t cp)
{
    return is_ascii_digit(cp) || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') ||
           (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7);
}

/* Letters, digits and ASCII punctuation: a maximal run is one atom (a Latin
 * word or a number with its separators and units). */
static bool is_latin(uint32_t cp)
{
    return (cp >= 0x21 && cp <= 0x7E) || (cp >= 0xA0 && cp <= 0x24F && cp != 0xB7);
}

static bool is_han(uint32_t cp)
{
    return (cp >= 0x3040 && cp <= 0x30FF && cp != 0x30FB) || (cp >= 0x3400 && cp <= 0x9FFF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3FFFF) ||
           (cp >= 0xAC00 && cp <= 0xD7AF);
}

static bool is_long_mark(uint32_t cp)
{
    return cp == 0x2014 || cp == 0x2015 || cp == 0x2026 || cp == 0x22EF;
}

/* ---- atoms --------------------------------------------------------------- */

typedef enum atom_kind {
    A_HAN, A_LATIN, A_OPEN, A_CLOSE, A_PAUSE, A_STOP, A_LONG, A_QE, A_MIDDOT, A_IDSPACE,
    A_OTHER
} atom_kind;

typedef enum glue_kind { G_NONE, G_GAP, G_SPACE } glue_kind;

typedef struct atom {
    size_t first, last;  /* items [first, last] */
    int core;            /* width without blanks */
    int bl, br;          /* compressible blanks on the left and right */
    int cl, cr;          /* taken from bl / br by compression with the neighbour */
    int content;         /* Han, letters and digits: what counts against 孤字 */
    atom_kind kind;
    bool ns, ne;         /* may not start / end a line */
    bool connector;      /* no stretch beside it */
    bool number;         /* starts with a digit (after a prefix) */
    bool postfix;        /* a number ending in a Western-width postfix: 90% */
    bool keep_lead;      /* an opener that keeps its blank at a line start (after the indent) */
    int pair;            /* a bracket's pair (1 + its opener's index in PAIRS), or 0 */
    bool han_start, han_end, alnum_start, alnum_end;
    /* the junction before this atom */
    glue_kind glue_kind;
    int glue;            /* natural glue width */
    size_t glue_item;    /* the space that carries the glue, or NO_ITEM */
    bool breakable;      /* a line may break before this atom */
} atom;

typedef struct atom_list {
    atom *v;
    size_t n, cap;
} atom_list;

/* The width the grid gives item i (docs/linebreak.md, "Widths of punctuation"). */
static int set_width(const gw_lb_item *it)
{
    uint32_t cp = it->cp;
    if (is_long_mark(cp) || (cp >= 0x2018 && cp <= 0x201D))
        return 1000;
    if (IN(cp, MIDDOTS))
        return HALF;
    return it->width;
}

/* 1 + the index in PAIRS of the opener that cp opens or closes, or 0. */
static int pair_of(uint32_t cp)
{
    for (size_t i = 0; i < sizeof PAIRS / sizeof PAIRS[0]; i++)
        if (PAIRS[i][0] == cp || PAIRS[i][1] == cp) {
            size_t o = i;
            while (o > 0 && PAIRS[o - 1][0] == PAIRS[i][0])
                o--;                    /* 〝 has two closers: one pair */
            return (int)o + 1;
        }
    return 0;
}

static size_t scan_latin(const gw_lb_item *items, size_t i, size_t to, atom *a)
{
    if (IN(items[i].cp, PREFIXES))
        i++;
    a->number = i < to && is_ascii_digit(items[i].cp);
    while (i < to && is_latin(items[i].cp))
        i++;
    if (i > a->first && is_ascii_digit(items[i - 1].cp))
        while (i < to && IN(items[i].cp, POSTFIXES))
            i++;
    a->kind = A_LATIN;
    return i - 1;
}

/* One atom starting at item i; sets everything but the junction. */
static void scan_atom(const gw_lb_item *items, size_t i, size_t to, const gw_lb_options *o,
                      atom *a)
{
    memset(a, 0, sizeof *a);
    a->first = a->last = i;
    a->glue_item = NO_ITEM;
    uint32_t cp = items[i].cp;
    bool full = items[i].width == 1000;
    a->kind = A_OTHER;
    if (is_latin(cp) || (IN(cp, PREFIXES) && i + 1 < to && is_ascii_digit(items[i + 1].cp))) {
        a->last = scan_latin(items, i, to, a);
    } else if (is_long_mark(cp) && i + 1 < to && items[i + 1].cp == cp) {
        a->kind = A_LONG;           /* ——, ……: one 2-em atom */
        a->last = i + 1;
    } else if ((cp == 0xFF1F || cp == 0xFF01) && i + 1 < to &&
               (items[i + 1].cp == 0xFF1F || items[i + 1].cp == 0xFF01)) {
        a->kind = A_QE;             /* ？！: marks of a run share their cells */
        while (a->last + 1 < to && (items[a->last + 1].cp == 0xFF1F || items[a->last + 1].cp == 0xFF01))
            a->last++;
    } else if (IN(cp, OPENERS)) {
        a->kind = A_OPEN;
        a->bl = full ? HALF : 0;
    } else if (IN(cp, CLOSERS)) {
        a->kind = A_CLOSE;
        a->br = full ? HALF : 0;
    } else if (IN(cp, PAUSE)) {
        a->kind = A_PAUSE;
        a->br = full ? HALF : 0;
    } else if (IN(cp, STOP)) {
        a->kind = A_STOP;
        a->br = full ? HALF : 0;
    } else if (IN(cp, MIDDOTS)) {
        a->kind = A_MIDDOT;
    } else if (cp == 0x3000) {
        a->kind = A_IDSPACE;        /* a cell of space that vanishes at a line end */
        a->br = items[i].width;
    } else if (is_han(cp)) {
        a->kind = A_HAN;
    }
    int w = 0;
    for (size_t k = a->first; k <= a->last; k++) {
        int sw = set_width(&items[k]);
        if (a->kind == A_QE)
            sw = a->last - a->first == 1 ? HALF : 2000 / (int)(a->last - a->first + 1);
        w += sw;
        if (is_han(items[k].cp) || is_alnum(items[k].cp))
            a->content += sw;
    }
    a->core = w - a->bl - a->br;
    uint32_t first = items[a->first].cp, last = items[a->last].cp;
    a->ns = gw_lb_no_start(first) || a->kind == A_QE || a->kind == A_IDSPACE;
    a->ne = gw_lb_no_end(last);
    if (a->kind == A_LONG)
        a->ns = o->strict;          /* —— and …… may start a line, except when strict */
    if (a->kind == A_LATIN && IN(first, PREFIXES))
        a->ns = false;
    a->connector = a->first == a->last && IN(cp, CONNECTORS);
    if (a->kind == A_OPEN || a->kind == A_CLOSE)
        a->pair = pair_of(cp);
    /* 90% is one number: a Western-width postfix ends the Latin run (not ％ ℃ of
     * the CJK face, which are full-width marks of their own). */
    a->postfix = a->kind == A_LATIN && a->number && a->last > a->first &&
                 (last == '%' || IN(last, POSTFIXES)) && items[a->last].width < 1000;
    a->han_start = is_han(first);
    a->han_end = is_han(last);
    a->alnum_start = is_alnum(first);
    a->alnum_end = is_alnum(last);
}

/* The junction between prev and a: glue, legality of a break, compression. */
static void join(const gw_lb_item *items, atom *prev, atom *a, size_t space,
                 const gw_lb_options *o)
{
    /* A postfix belongs to its number: 90% takes a gap after it exactly when it
     * took one before (满意度 90% 以上, but ，90%以上). */
    bool han_latin = (prev->han_end && a->alnum_start) || (prev->alnum_end && a->han_start) ||
                     (prev->postfix && prev->glue_kind == G_GAP && a->han_start);
    if (han_latin) {
        a->glue_kind = G_GAP;       /* the author's space, if any, becomes the gap */
        a->glue = o->gap;
        a->glue_item = space;
    } else if (space != NO_ITEM && prev->kind == A_LATIN && a->kind == A_LATIN) {
        a->glue_kind = G_SPACE;
        a->glue = items[space].width;
        a->glue_item = space;
    }
    a->breakable = !a->ns && !prev->ne;
    if (o->glue_num_han && prev->number && a->kind == A_HAN)
        a->breakable = false;
    /* Adjacent marks, one a bracket or quote: blanks summing to half a cell or
     * more lose half a cell, the left mark's first (docs/linebreak.md, "Widths of
     * punctuation"). */
    bool bracket = prev->kind == A_OPEN || prev->kind == A_CLOSE || a->kind == A_OPEN ||
                   a->kind == A_CLOSE;
    bool marks = (prev->bl || prev->br) && (a->bl || a->br) && prev->kind != A_IDSPACE &&
                 a->kind != A_IDSPACE;
    if (o->profile == GW_LB_GB && bracket && marks && a->glue_kind == G_NONE &&
        prev->br + a->bl >= HALF) {
        prev->cr = prev->br < HALF ? prev->br : HALF;
        a->cl = HALF - prev->cr;
    }
}

static bool push_atom(atom_list *l, const atom *a)
{
    if (!gw_grow(&l->v, &l->cap, l->n + 1, sizeof *l->v))
        return false;
    l->v[l->n++] = *a;
    return true;
}

/* Atoms of items [from, to), which hold no forced break. */
static bool analyse(const gw_lb_item *items, size_t from, size_t to, const gw_lb_options *o,
                    atom_list *out)
{
    out->n = 0;
    size_t space = NO_ITEM;
    for (size_t i = from; i < to;) {
        if (items[i].cp == ' ') {
            if (space == NO_ITEM)
                space = i;
            i++;
            continue;
        }
        atom a;
        scan_atom(items, i, to, o, &a);
        if (out->n > 0)
            join(items, &out->v[out->n - 1], &a, space, o);
        if (!push_atom(out, &a))
            return false;
        space = NO_ITEM;
        i = a.last + 1;
    }
    return true;
}

/* ---- widths and pools ----------------------------------------------------- */

static bool is_gb(const gw_lb_options *o)
{
    return o->profile == GW_LB_GB;
}

/* GB: a line-start opener loses its blank, so its ink meets the edge (clreq 行首);
 * only a paragraph's indented first line keeps it, on the indent's grid. */
static int left_blank(const atom *a, bool line_start, const gw_lb_options *o)
{
    if (line_start)
        return is_gb(o) && !a->keep_lead ? 0 : a->bl;
    return a->bl - a->cl;
}

static int right_blank(const atom *a, bool line_end, const gw_lb_options *o)
{
    if (line_end)
        return is_gb(o) ? 0 : a->br;    /* GB: a line's last mark loses its end blank */
    return a->br - a->cr;
}

/* Width of atoms [s, k] set as one line. */
static int line_width(const atom *v, size_t s, size_t k, const gw_lb_options *o)
{
    int w = 0;
    for (size_t i = s; i <= k; i++) {
        if (i > s)
            w += v[i].glue;
        w += left_blank(&v[i], i == s, o) + v[i].core + right_blank(&v[i], i == k, o);
    }
    return w;
}

/* What the glue before atom a adds to the shrink pool: (a) word spaces to a
 * quarter, (d) Han–Latin gaps to an eighth. */
static int glue_pool(const atom *a)
{
    if (a->glue_kind == G_SPACE && a->glue > 250)
        return a->glue - 250;
    if (a->glue_kind == G_GAP && a->glue > 125)
        return a->glue - 125;
    return 0;
}

/* (c) the blank of 、，；： when it is not the line's last. */
static int pause_pool(const atom *a, bool line_end)
{
    return a->kind == A_PAUSE && !line_end ? a->br - a->cr : 0;
}

/* (b) the outer blank of a bracket or quote of line [s, k], its line-start or
 * line-end blank excepted. */
static int own_bracket(const atom *v, size_t i, size_t s, size_t k)
{
    const atom *a = &v[i];
    if (a->kind == A_OPEN)
        return i > s ? a->bl - a->cl : 0;
    if (a->kind == A_CLOSE)
        return i < k ? a->br - a->cr : 0;
    return 0;
}

/* A pair of brackets on one line keeps half a cell of blank between its two
 * marks until every other level of the pool is spent, so it does not read as a
 * pair of half-width marks ("乡镇(街道)"): of their pools po and pc, the limits
 * lo and lc level (b) may take.  Only a line of SHORT_LINE or more may then
 * take the rest (shrink_line's last level); a short line never does. */
static void pair_limits(int po, int pc, int *lo, int *lc)
{
    int keep_o = po < HALF / 2 ? po : HALF / 2;
    int keep_c = HALF - keep_o;
    if (keep_c > pc) {
        keep_c = pc;
        keep_o = HALF - pc < po ? HALF - pc : po;
    }
    *lo = po - keep_o;
    *lc = pc - keep_c;
}

#define PAIR_DEPTH 32            /* brackets nested deeper on one line count as unpaired */

/* The bracket blanks of line [s, k] in the shrink pool, pairs matched on the
 * line limited by pair_limits; lim[i - s] gets atom i's limit when lim is
 * given.  A fixed stack: the pass is linear and cannot fail. */
static int bracket_pool(const atom *v, size_t s, size_t k, int *lim)
{
    size_t stack[PAIR_DEPTH];
    size_t depth = 0;
    int sum = 0;
    for (size_t i = s; i <= k; i++) {
        const atom *a = &v[i];
        int own = own_bracket(v, i, s, k);
        if (lim)
            lim[i - s] = own;
        sum += own;
        if (a->kind == A_OPEN && a->pair && depth < PAIR_DEPTH) {
            stack[depth++] = i;
            continue;
        }
        if (a->kind != A_CLOSE || !a->pair)
            continue;
        size_t d = depth;
        while (d > 0 && v[stack[d - 1]].pair != a->pair)
            d--;                      /* an unclosed mark inside the pair is dropped */
        if (d == 0)
            continue;
        depth = d - 1;
        size_t op = stack[depth];
        int po = own_bracket(v, op, s, k), lo, lc;
        pair_limits(po, own, &lo, &lc);
        sum += lo + lc - po - own;
        if (lim) {
            lim[op - s] = lo;
            lim[i - s] = lc;
        }
    }
    return sum;
}

/* The shrink pool of atoms [s, k] set as one line `avail` wide (docs/linebreak.md,
 * "Fitting a line", (a)–(e)); on a short line, less the half cell each bracket
 * pair keeps. */
static int line_pool(const atom *v, size_t s, size_t k, int avail, const gw_lb_options *o)
{
    if (!is_gb(o))
        return 0;
    int p = 0;
    for (size_t i = s; i <= k; i++)
        p += (i > s ? glue_pool(&v[i]) : 0) + pause_pool(&v[i], i == k) +
             (avail >= SHORT_LINE ? own_bracket(v, i, s, k) : 0);
    return p + (avail >= SHORT_LINE ? 0 : bracket_pool(v, s, k, NULL));
}

static int line_content(const atom *v, size_t s, size_t k)
{
    int c = 0;
    for (size_t i = s; i <= k; i++)
        c += v[i].content;
    return c;
}

/* ---- breaking -------------------------------------------------------------- */

typedef struct span {
    size_t s, k;         /* atoms [s, k] */
    int avail;
} span;

typedef struct span_list {
    span *v;
    size_t n, cap;
} span_list;

/* Split atom s, wider than `avail` on its own, at the fill point (docs/linebreak.md,
 * "Unbreakable sequences", emergency): at least one item stays. */
static bool split_atom(const gw_lb_item *items, atom_list *l, size_t s, int avail)
{
    atom *a = &l->v[s];
    size_t cut = a->first;
    int w = set_width(&items[cut]);
    while (cut + 1 <= a->last && w + set_width(&items[cut + 1]) <= avail)
        w += set_width(&items[++cut]);
    if (cut == a->last)
        return true;
    if (!gw_grow(&l->v, &l->cap, l->n + 1, sizeof *l->v))
        return false;
    a = &l->v[s];
    memmove(&l->v[s + 2], &l->v[s + 1], (l->n - s - 1) * sizeof *l->v);
    l->n++;
    atom tail = *a;
    tail.first = cut + 1;
    tail.glue_kind = G_NONE;
    tail.glue = 0;
    tail.glue_item = NO_ITEM;
    tail.breakable = true;
    tail.bl = tail.cl = 0;
    a->last = cut;
    a->br = a->cr = 0;
    int head_w = 0, head_c = 0;
    for (size_t i = a->first; i <= a->last; i++) {
        head_w += set_width(&items[i]);
        head_c += is_alnum(items[i].cp) || is_han(items[i].cp) ? set_width(&items[i]) : 0;
    }
    tail.core = a->core + a->bl - head_w;
    tail.content = a->content - head_c;
    a->core = head_w - a->bl;
    a->content = head_c;
    l->v[s + 1] = tail;
    return true;
}

/* The last atom of the line starting at s (docs/linebreak.md "Fitting a line"). */
static size_t fill_line(const gw_lb_item *items, atom_list *l, size_t s, int avail,
                        const gw_lb_options *o, bool *oom)
{
    if (line_width(l->v, s, s, o) > avail && !split_atom(items, l, s, avail)) {
        *oom = true;
        return s;
    }
    atom *v = l->v;
    size_t n = l->n, k = s;
    /* open = width of [s, k] without k's right blank: a running sum. */
    int open = left_blank(&v[s], true, o) + v[s].core;
    while (k + 1 < n) {
        const atom *a = &v[k], *b = &v[k + 1];
        int next_open = open + right_blank(a, false, o) + b->glue + left_blank(b, false, o) +
                        b->core;
        if (next_open + right_blank(b, true, o) > avail)
            break;
        open = next_open;
        k++;
    }
    if (k + 1 == n || v[k + 1].breakable)
        return k;                                  /* the fill point is a legal break */
    /* k+: the first legal break after the fill point. */
    size_t j = k;
    int o2 = open;
    bool all_ns = true;
    do {
        const atom *a = &v[j], *b = &v[j + 1];
        o2 += right_blank(a, false, o) + b->glue + left_blank(b, false, o) + b->core;
        all_ns &= b->ns;
        j++;
    } while (j + 1 < n && !v[j + 1].breakable);
    /* The pool is counted once per line, when push-in is tried: a bracket pair's
     * share depends on both its marks being on the line. */
    if (is_gb(o) && all_ns && o2 + right_blank(&v[j], true, o) - line_pool(v, s, j, avail, o) <= avail)
        return j;                                  /* push-in */
    for (size_t m = k; m > s; m--)
        if (v[m].breakable)
            return m - 1;                          /* push-out */
    return k;                                      /* no legal break: at the fill point */
}

static bool push_span(span_list *l, size_t s, size_t k, int avail)
{
    if (!gw_grow(&l->v, &l->cap, l->n + 1, sizeof *l->v))
        return false;
    l->v[l->n++] = (span){ s, k, avail };
    return true;
}

/* 孤字 (docs/linebreak.md, "Paragraph rules"): the last line needs 2 em of Han,
 * letters or digits.
 * Pull it up onto the line before with the shrink pool, or else move the break
 * before it back, one legal break at a time. */
static void avoid_lone_char(const atom *v, span_list *sp, const gw_lb_options *o)
{
    if (!is_gb(o) || sp->n < 2)
        return;
    span *prev = &sp->v[sp->n - 2], *last = &sp->v[sp->n - 1];
    if (line_content(v, last->s, last->k) >= 2000)
        return;
    if (line_width(v, prev->s, last->k, o) - line_pool(v, prev->s, last->k, prev->avail, o) <=
        prev->avail) {
        prev->k = last->k;
        sp->n--;
        return;
    }
    while (line_content(v, last->s, last->k) < 2000) {
        size_t m = prev->k;
        while (m > prev->s && !v[m].breakable)
            m--;
        if (m <= prev->s || line_width(v, m, last->k, o) > last->avail)
            return;
        prev->k = m - 1;
        last->s = m;
    }
}

/* Lines of items [from, to) (no forced break inside). */
static bool break_segment(const gw_lb_item *items, size_t from, size_t to, const gw_lb_params *p,
                          bool first_of_paragraph, bool paragraph_end, atom_list *atoms,
                          span_list *spans)
{
    spans->n = 0;
    if (!analyse(items, from, to, &p->opt, atoms))
        return false;
    if (first_of_paragraph && p->first_indent > 0 && atoms->n > 0)
        atoms->v[0].keep_lead = true;   /* an opener after the indent keeps the indent's grid */
    size_t s = 0;
    while (s < atoms->n) {
        int avail = p->line_width - (first_of_paragraph && spans->n == 0 ? p->first_indent : 0);
        bool oom = false;
        size_t k = fill_line(items, atoms, s, avail, &p->opt, &oom);
        if (oom || !push_span(spans, s, k, avail))
            return false;
        s = k + 1;
    }
    if (paragraph_end)
        avoid_lone_char(atoms->v, spans, &p->opt);
    return true;
}

static bool push_line(gw_lb_line **out, size_t *n, size_t *cap, gw_lb_line line)
{
    if (!gw_grow(out, cap, *n + 1, sizeof **out))
        return false;
    (*out)[(*n)++] = line;
    return true;
}

int gw_break_paragraph(const gw_lb_item *items, size_t n, const gw_lb_params *p,
                       gw_lb_line **lines, size_t *n_lines)
{
    gw_lb_line *out = NULL;
    size_t count = 0, cap = 0;
    atom_list atoms = { 0 };
    span_list spans = { 0 };
    bool ok = true;
    size_t from = 0;
    while (ok) {
        size_t to = from;
        while (to < n && items[to].cp != GW_CP_LINE_BREAK)
            to++;
        bool end = to >= n;
        ok = break_segment(items, from, to, p, from == 0, end, &atoms, &spans);
        for (size_t i = 0; ok && i < spans.n; i++) {
            const span *sp = &spans.v[i];
            const atom *a = &atoms.v[sp->s], *b = &atoms.v[sp->k];
            gw_lb_line line = { a->first, b->last + 1, line_width(atoms.v, sp->s, sp->k, &p->opt),
                                sp->avail, i + 1 == spans.n, left_blank(a, true, &p->opt) };
            ok = push_line(&out, &count, &cap, line);
        }
        if (ok && spans.n == 0) {           /* an empty paragraph or segment */
            int avail = p->line_width - (count == 0 ? p->first_indent : 0);
            ok = push_line(&out, &count, &cap, (gw_lb_line){ from, from, 0, avail, true, 0 });
        }
        if (end)
            break;
        from = to + 1;
    }
    free(atoms.v);
    free(spans.v);
    if (!ok) {
        free(out);
        return -1;
    }
    *lines = out;
    *n_lines = count;
    return 0;
}

int gw_lb_breaks(const gw_lb_item *items, size_t n, const gw_lb_options *o, bool *can_break)
{
    for (size_t i = 0; i < n; i++)
        can_break[i] = false;
    atom_list al = { 0 };
    size_t from = 0;
    while (from < n) {
        size_t to = from;
        while (to < n && items[to].cp != GW_CP_LINE_BREAK)
            to++;
        if (!analyse(items, from, to, o, &al)) {
            free(al.v);
            return -1;
        }
        for (size_t i = 1; i < al.n; i++)
            can_break[al.v[i].first] = al.v[i].breakable;
        from = to + 1;
    }
    free(al.v);
    return 0;
}

int gw_lb_span_width(const gw_lb_item *items, size_t from, size_t to, const gw_lb_options *o)
{
    atom_list al = { 0 };
    if (!analyse(items, from, to, o, &al)) {
        free(al.v);
        return -1;
    }
    int w = al.n ? line_width(al.v, 0, al.n - 1, o) : 0;
    free(al.v);
    return w;
}

/* ---- placing ----------------------------------------------------------------- */

/* Share `amount` among items, each up to limit[i] (negative: no limit), equal
 * shares in whole units, spare units to the leftmost items (docs/linebreak.md "Fitting a line").
 * Adds to given[]; returns what could not be placed. */
static int distribute(int amount, const int *limit, int *given, size_t n)
{
    while (amount > 0) {
        size_t open = 0;
        for (size_t i = 0; i < n; i++)
            open += limit[i] < 0 || given[i] < limit[i];
        if (open == 0)
            break;
        int share = amount / (int)open, spare = amount % (int)open;
        if (share == 0) {
            for (size_t i = 0; i < n && spare > 0; i++)
                if (limit[i] < 0 || given[i] < limit[i]) {
                    given[i]++;
                    spare--;
                    amount--;
                }
            break;
        }
        for (size_t i = 0; i < n; i++) {
            if (!(limit[i] < 0 || given[i] < limit[i]))
                continue;
            int room = limit[i] < 0 ? share : limit[i] - given[i];
            int g = share < room ? share : room;
            given[i] += g;
            amount -= g;
        }
    }
    return amount;
}

/* Per atom of a line: its blanks and the glue and stretch before it. */
typedef struct fit {
    int bl, br, glue;
} fit;

typedef enum {
    LEVEL_SPACE, LEVEL_BRACKET, LEVEL_PAUSE, LEVEL_GAP, LEVEL_PAIR_REST, LEVEL_JUNCTION
} level;

/* The limit of atom i's share at one level of shrink or stretch (-1: none, 0: not in it). */
static int level_limit(const atom *v, const fit *f, size_t i, size_t n, level lv, bool shrink)
{
    const atom *a = &v[i];
    switch (lv) {
    case LEVEL_SPACE:
        if (i == 0 || a->glue_kind != G_SPACE)
            return 0;
        return shrink ? (f[i].glue > 250 ? f[i].glue - 250 : 0) : (f[i].glue < 500 ? 500 - f[i].glue : 0);
    case LEVEL_GAP:
        if (i == 0 || a->glue_kind != G_GAP)
            return 0;
        return shrink ? (f[i].glue > 125 ? f[i].glue - 125 : 0) : (f[i].glue < 500 ? 500 - f[i].glue : 0);
    case LEVEL_BRACKET:
        return 0;                /* bracket_pool's: a pair's limits depend on both marks */
    case LEVEL_PAIR_REST:        /* what level (b) left of the brackets' blanks */
        return (a->kind == A_OPEN && i > 0 ? f[i].bl : 0) +
               (a->kind == A_CLOSE && i + 1 < n ? f[i].br : 0);
    case LEVEL_PAUSE:
        return a->kind == A_PAUSE && i + 1 < n ? f[i].br : 0;
    case LEVEL_JUNCTION:
        if (i == 0 || a->glue_kind != G_NONE || a->connector || v[i - 1].connector)
            return 0;
        return -1;
    }
    return 0;
}

/* Take `amount` from the line's pool, level by level (docs/linebreak.md,
 * "Fitting a line"); a pair of brackets on the line gives what keeps half a cell between them last, and
 * on a short line never (pair_limits). */
static void shrink_line(const atom *v, fit *f, size_t n, int amount, bool is_short, int *limit,
                        int *given)
{
    static const level order[] = { LEVEL_SPACE, LEVEL_BRACKET, LEVEL_PAUSE, LEVEL_GAP,
                                   LEVEL_PAIR_REST };
    size_t levels = is_short ? 4 : 5;
    for (size_t l = 0; l < levels && amount > 0; l++) {
        if (order[l] == LEVEL_BRACKET)
            bracket_pool(v, 0, n - 1, limit);
        for (size_t i = 0; i < n; i++) {
            if (order[l] != LEVEL_BRACKET)
                limit[i] = level_limit(v, f, i, n, order[l], true);
            given[i] = 0;
        }
        int left = distribute(amount, limit, given, n);
        for (size_t i = 0; i < n; i++) {
            int g = given[i];
            if (order[l] == LEVEL_SPACE || order[l] == LEVEL_GAP)
                f[i].glue -= g;
            else if (v[i].kind == A_OPEN)
                f[i].bl -= g;
            else
                f[i].br -= g;
        }
        amount = left;
    }
}

/* Add `amount` equally at the junctions between atoms that have no glue, then
 * to word spaces and Han–Latin gaps (to half a cell); what is left goes to any
 * junction.  The inter-character junctions come first so that a gap keeps its
 * quarter cell on a stretched line as on its neighbours ("的 86 个", not
 * "的  86  个"); it widens only on a line with nothing else to take the space. */
static void stretch_line(const atom *v, fit *f, size_t n, int amount, int *limit, int *given)
{
    static const level order[] = { LEVEL_JUNCTION, LEVEL_SPACE, LEVEL_GAP };
    for (size_t l = 0; l < 4 && amount > 0; l++) {
        for (size_t i = 0; i < n; i++) {
            limit[i] = l < 3 ? level_limit(v, f, i, n, order[l], false) : (i > 0 ? -1 : 0);
            given[i] = 0;
        }
        amount = distribute(amount, limit, given, n);
        for (size_t i = 0; i < n; i++)
            f[i].glue += given[i];
    }
}

/* Slots of the items of atom a, from x. */
static int place_atom(const gw_lb_item *items, const atom *a, const fit *f, size_t base, int x,
                      gw_lb_place *out)
{
    for (size_t k = a->first; k <= a->last; k++) {
        gw_lb_place *pl = &out[k - base];
        int natural = items[k].width, slot = set_width(&items[k]);
        if (a->kind == A_QE)
            slot = a->last - a->first == 1 ? HALF : 2000 / (int)(a->last - a->first + 1);
        if (a->first == a->last && (a->bl || a->br)) {
            /* A mark keeps its ink half; its blanks are what the line left of them. */
            slot = a->core + f->bl + f->br;
            pl->trim_left = a->bl - f->bl;
            pl->trim_right = natural - slot - pl->trim_left;
        } else if (a->kind == A_QE) {
            pl->trim_left = 0;                  /* GB: the ink of ？！ sits left */
            pl->trim_right = natural - slot;
        } else {
            pl->trim_left = (natural - slot) / 2;   /* centred, e.g. · in half a cell */
            pl->trim_right = natural - slot - pl->trim_left;
        }
        pl->x = x;
        pl->slot = slot;
        x += slot;
    }
    return x;
}

int gw_place_line(const gw_lb_item *items, const gw_lb_line *line, const gw_lb_params *p,
                  bool justify, gw_lb_place *out)
{
    size_t len = line->end - line->start;
    for (size_t i = 0; i < len; i++)
        out[i] = (gw_lb_place){ 0, 0, 0, items[line->start + i].width };
    if (len == 0)
        return 0;
    atom_list al = { 0 };
    if (!analyse(items, line->start, line->end, &p->opt, &al))
        return -1;
    size_t n = al.n;
    if (n > 0)
        al.v[0].keep_lead = line->lead_blank > 0;  /* as gw_break_paragraph set it */
    fit *f = calloc(n ? n : 1, sizeof *f);
    int *limit = calloc(n ? n : 1, sizeof *limit), *given = calloc(n ? n : 1, sizeof *given);
    if (!f || !limit || !given) {
        free(f);
        free(limit);
        free(given);
        free(al.v);
        return -1;
    }
    int width = 0;
    for (size_t i = 0; i < n; i++) {
        f[i].bl = left_blank(&al.v[i], i == 0, &p->opt);
        f[i].br = right_blank(&al.v[i], i + 1 == n, &p->opt);
        f[i].glue = i > 0 ? al.v[i].glue : 0;
        width += f[i].glue + f[i].bl + al.v[i].core + f[i].br;
    }
    int r = line->avail - width;
    if (r < 0 && is_gb(&p->opt))
        shrink_line(al.v, f, n, -r, line->avail < SHORT_LINE, limit, given);
    else if (r > 0 && justify && !line->last)
        stretch_line(al.v, f, n, r, limit, given);
    int x = 0;
    for (size_t i = 0; i < n; i++) {
        const atom *a = &al.v[i];
        if (i > 0 && a->glue_item != NO_ITEM)
            out[a->glue_item - line->start] = (gw_lb_place){ x, f[i].glue, 0,
                                                             items[a->glue_item].width - f[i].glue };
        x += i > 0 ? f[i].glue : 0;
        x = place_atom(items, a, &f[i], line->start, x, out);
    }
    free(f);
    free(limit);
    free(given);
    free(al.v);
    return 0;
}
