/* layout — sets a gw_doc on GB/T 9704 pages (see layout.h).
 *
 * Called by the CLI after the model is loaded and the fonts resolved.  Works
 * in two passes, interleaved: (1) every block becomes a sequence of set lines
 * (glyphs with x positions, plus keep flags) — headings get their generated
 * numbers, run-in headings share a line with their paragraph, lines are broken
 * by linebreak.c; (2) the lines are poured onto pages of 22 grid rows, honouring
 * the keep rules (a heading never ends a page; no lone first or last line of a
 * paragraph), and each page gets its page number.  After each block, pass 2
 * pours what is already decidable — lines with a window of set lines after them
 * wider than any rule looks ahead — hands each finished page to a sink (the
 * caller's gw_page_fn, or the collector behind gw_layout_document) and frees the
 * lines it placed, so the memory held does not grow with the document.  A
 * version 2 document is set as parts — the document, then each attachment from
 * a new page, each part poured to its end before the next — with the 版头 and
 * the 版记 as blocks placed in page coordinates.  No PDF calls here. */
#include "layout.h"
#include "table.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "path.h"
#include "linebreak.h"
#include "title.h"
#include "utf8.h"

#define MM(x) ((x) * GW_PT_PER_MM)

gw_geometry gw_geometry_gbt9704(void)
{
    gw_geometry g;
    g.page_width = MM(210.0);
    g.page_height = MM(297.0);
    g.area_left = MM(28.0);
    g.area_right = MM(28.0 + 156.0);
    g.area_top = g.page_height - MM(37.0);
    g.area_bottom = g.area_top - MM(225.0);
    g.chars_per_line = 28;
    g.lines_per_page = 22;
    g.cell = MM(156.0) / g.chars_per_line;
    g.body_size = 16.0;     /* 三号 */
    g.title_size = 22.0;    /* 二号 */
    g.subtitle_size = 16.0;
    g.label_size = 16.0;
    g.pagenum_size = 14.0;  /* 四号 */
    g.ascent = 0.88;        /* ideographic em box: 0.88 above, 0.12 below the baseline */
    /* 22 rows of 16 pt em boxes exactly fill the 225 mm type area. */
    g.pitch = (MM(225.0) - g.body_size) / (g.lines_per_page - 1);
    g.pagenum_gap = MM(7.0);
    return g;
}

double gw_row_baseline(const gw_geometry *g, int row, double size)
{
    double body_top = g->area_top - row * g->pitch;
    double centre = body_top - g->body_size / 2.0;
    return centre + size / 2.0 - g->ascent * size;
}

/* ---- pass 1: blocks to set lines ------------------------------------ */

/* A character waiting to be set, with what it needs for fonts and errors. */
typedef struct run_char {
    uint32_t cp;
    gw_role role;
    double size;
    bool bold;
    gw_pos pos;
} run_char;

typedef struct char_buf {
    run_char *v;
    size_t n, cap;
} char_buf;

/* A glyph of a set line, x relative to the type area's left edge. */
typedef struct set_glyph {
    gw_face *face;
    uint32_t cp;
    double slot_x, slot_w, size;
    double ink_x;            /* glyph origin relative to slot_x */
    bool bold;
    gw_role role;
    uint32_t color;
} set_glyph;

/* A seal (or signature stamp) a set line carries: centred on cx (pt from the
 * type area's left), `lift` above the line's em centre. */
typedef struct line_seal {
    const gw_seal_image *image;
    double cx, size, lift;
} line_seal;

/* Seals side by side on one signature row (联合行文): 156 mm holds three of 42 mm. */
#define MAX_ROW_SEALS 4

typedef struct set_line {
    gw_line_kind kind;
    int level;
    set_glyph *glyphs;
    size_t n;
    double size;             /* the line's largest font size */
    bool keep_with_next;     /* may not be the last line of a page */
    bool page_break_before;  /* <pagebreak/> */
    bool para_start, para_end;
    gw_table_set *table;     /* GW_LINE_TABLE: a whole table, placed off the grid */
    bool landscape;          /* ... on landscape pages of its own */
    line_seal seals[MAX_ROW_SEALS];  /* the signature's seals on this row */
    size_t n_seals;
    /* GW_LINE_HEADER and GW_LINE_RECORD blocks: glyphs, boxes and rules placed
     * on the page as they are (page coordinates), whatever the row. */
    gw_glyph *free_glyphs;
    size_t n_free_glyphs;
    gw_line_box *free_boxes;     /* first/count index free_glyphs */
    size_t n_free_boxes;
    gw_rule *free_rules;
    size_t n_free_rules;
} set_line;

/* Where finished pages go.  The sink may take the page's arrays (setting their
 * pointers to NULL); whatever it leaves is freed when it returns.  0, or -1
 * after reporting: the layout then stops. */
typedef int (*page_sink)(void *arg, gw_page *page);

/* The pagination's place: the page being filled and its next free grid row.
 * It lives as long as the layout, since pages are made a few blocks at a time. */
typedef struct pager {
    gw_page page;            /* the page being filled, when `open` */
    bool open;
    int row;
    bool unnumbered;         /* the page being filled gets no page number */
    int number;              /* the printed number of the next page begun */
    bool landscape;          /* new pages are landscape pages (a landscape table) */
    long made;               /* pages begun: what the pages limit counts */
} pager;

typedef struct ctx {
    const gw_doc *top;       /* the document laid out */
    const gw_doc *doc;       /* the part being set: top, or an attachment */
    const gw_layout_options *opt;
    gw_fontset *fonts;
    gw_diag *diag;
    gw_geometry geo;
    /* Set lines not yet freed: lines[0 .. at) are placed on pages (dropped by
     * the next pour), lines[at .. n_lines) wait for pass 2. */
    set_line *lines;
    size_t n_lines, cap_lines;
    size_t at;
    size_t n_added;          /* lines added since the start (set_section compares) */
    size_t peak_lines;       /* the most set lines held at once */
    bool failed;             /* out of memory */
    bool aborted;            /* the sink refused a page: stop */
    bool done;               /* every block of the part is set: pour to its end */
    bool keep_open;          /* ... but leave the last page open (the 版记 goes on it) */
    bool pending_break;      /* a <pagebreak/> waits for the next line */
    bool keep_pending;       /* the next line added keeps with the next (after a heading) */
    int errors_before;       /* diag->errors when the layout began */
    long max_pages;          /* the pages limit */
    gw_lb_params lb;         /* line-breaking profile and options */
    gw_seal_image **images;  /* seals and stamps loaded so far, owned until the layout ends */
    size_t n_images, cap_images;
    pager pg;
    page_sink sink;
    void *sink_arg;
} ctx;

/* Setting stops early only when nothing more can come of it. */
static bool halted(const ctx *c)
{
    return c->failed || c->aborted;
}

/* Pages are made only while nothing went wrong: after the first error the
 * lines are still set, so that every error is reported, but not poured. */
static bool paging(const ctx *c)
{
    return !halted(c) && c->diag->errors == c->errors_before;
}

static bool push_char(ctx *c, char_buf *b, uint32_t cp, gw_role role, double size, bool bold,
                      gw_pos pos)
{
    if (!gw_grow(&b->v, &b->cap, b->n + 1, sizeof *b->v)) {
        c->failed = true;
        return false;
    }
    b->v[b->n++] = (run_char){ cp, role, size, bold, pos };
    return true;
}

static void push_text(ctx *c, char_buf *b, const gw_text *t, gw_role role, double size,
                      bool bold)
{
    for (size_t i = 0; i < t->len; i++)
        if (!push_char(c, b, t->cp[i], role, size, bold || (t->flags[i] & GW_CH_BOLD), t->pos[i]))
            return;
}

static void push_utf8(ctx *c, char_buf *b, const char *s, gw_role role, double size, gw_pos pos)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t len = strlen(s);
    while (len > 0) {
        uint32_t cp;
        size_t k = gw_utf8_decode(p, len, &cp);
        if (k == 0)
            return;
        if (!push_char(c, b, cp, role, size, false, pos))
            return;
        p += k;
        len -= k;
    }
}

/* The face of every character, or an error naming the character and where it is. */
static gw_face **resolve_faces(ctx *c, const char_buf *b)
{
    gw_face **faces = calloc(b->n ? b->n : 1, sizeof *faces);
    if (!faces) {
        c->failed = true;
        return NULL;
    }
    bool ok = true;
    for (size_t i = 0; i < b->n; i++) {
        const run_char *rc = &b->v[i];
        if (rc->cp == GW_CP_LINE_BREAK)
            continue;
        faces[i] = gw_fonts_face_for(c->fonts, rc->role, rc->cp);
        if (faces[i] && rc->bold) {
            /* <b>: the family's bold face when it has one and the glyph. */
            gw_face *bold = gw_fonts_bold_face(c->fonts, faces[i]);
            if (bold && gw_face_has(bold, rc->cp))
                faces[i] = bold;
        }
        if (!faces[i]) {
            char utf8[8] = { 0 };
            gw_utf8_encode(rc->cp, utf8);
            gw_error(c->diag, c->doc->path, rc->pos.line, rc->pos.col,
                     "no font can draw '%s' (U+%04X) in the %s role (%s); install a face "
                     "that has it or name one with --font %s=PATH",
                     utf8, (unsigned)rc->cp, gw_role_name(rc->role), gw_role_design(rc->role),
                     gw_role_name(rc->role));
            ok = false;
        }
    }
    if (!ok) {
        free(faces);
        return NULL;
    }
    return faces;
}

/* Width in layout units: text of the body size keeps its font advance in
 * 1/1000 em as units (the 16 pt glyphs sit on the 15.79 pt cell); other sizes
 * scale with the size. */
static int item_width(const ctx *c, gw_face *face, const run_char *rc)
{
    if (!face)
        return 0;
    double w = gw_face_advance(face, rc->cp) * rc->size / c->geo.body_size;
    return (int)lround(w);
}

static void set_line_free(set_line *l)
{
    free(l->glyphs);
    table_free(l->table);
    free(l->free_glyphs);
    free(l->free_boxes);
    free(l->free_rules);
}

static bool add_line(ctx *c, set_line *l)
{
    if (!gw_grow(&c->lines, &c->cap_lines, c->n_lines + 1, sizeof *c->lines)) {
        set_line_free(l);
        c->failed = true;
        return false;
    }
    l->page_break_before = c->pending_break;
    c->pending_break = false;
    l->keep_with_next |= c->keep_pending;
    c->keep_pending = false;
    c->lines[c->n_lines++] = *l;
    c->n_added++;
    if (c->n_lines > c->peak_lines)
        c->peak_lines = c->n_lines;
    return true;
}

typedef struct para_style {
    gw_line_kind kind;
    int level;
    int indent;          /* first-line indent in units */
    gw_align align;
    int max_width;       /* units per line (0: the whole line) */
    bool keep_all;       /* every line keeps with the next (headings, titles) */
} para_style;

/* Where the glyph goes in its slot: the part of its box the line breaker kept
 * (a compressed mark keeps its ink half) is centred in the slot, so a 16 pt
 * glyph sits centred on the 15.79 pt cell.  Layout units are converted to the
 * glyph's own points at body_size / 1000 (item widths are scaled by size). */
static double ink_offset(const ctx *c, int natural, const gw_lb_place *pl, double slot_pt)
{
    double per_u = c->geo.body_size / 1000.0;
    double kept = (natural - pl->trim_left - pl->trim_right) * per_u;
    return (slot_pt - kept) / 2.0 - pl->trim_left * per_u;
}

static void set_one_line(ctx *c, const char_buf *b, gw_face **faces, const gw_lb_item *items,
                         const gw_lb_line *ln, const para_style *st, int indent,
                         gw_lb_place *places)
{
    if (gw_place_line(items, ln, &c->lb, st->align == GW_ALIGN_JUSTIFY, places) != 0) {
        c->failed = true;
        return;
    }
    int shift = indent;
    if (st->align == GW_ALIGN_CENTER)
        shift += (ln->avail - ln->width - ln->lead_blank) / 2;   /* centre the ink */
    else if (st->align == GW_ALIGN_RIGHT)
        shift += ln->avail - ln->width;
    set_line l = { .kind = st->kind, .level = st->level };
    l.glyphs = calloc(ln->end > ln->start ? ln->end - ln->start : 1, sizeof *l.glyphs);
    if (!l.glyphs) {
        c->failed = true;
        return;
    }
    double unit = c->geo.cell / 1000.0;
    l.size = c->geo.body_size;
    for (size_t i = ln->start; i < ln->end; i++) {
        const run_char *rc = &b->v[i];
        const gw_lb_place *pl = &places[i - ln->start];
        if (!faces[i] || pl->slot == 0)
            continue;                      /* a space the rules delete, or at a line edge */
        set_glyph *g = &l.glyphs[l.n++];
        g->face = faces[i];
        g->cp = rc->cp;
        g->slot_x = (shift + pl->x) * unit;
        g->slot_w = pl->slot * unit;
        g->ink_x = ink_offset(c, items[i].width, pl, g->slot_w);
        g->size = rc->size;
        g->bold = rc->bold && !gw_face_is_bold(faces[i]);   /* synthetic bold, else none */
        g->role = rc->role;
        if (rc->size > l.size)
            l.size = rc->size;
        gw_face_use(faces[i], rc->cp);
    }
    add_line(c, &l);
}

/* Break and set a run of characters as one paragraph-like block. */
static void set_paragraph(ctx *c, const char_buf *b, const para_style *st)
{
    gw_face **faces = resolve_faces(c, b);
    if (!faces)
        return;
    gw_lb_item *items = malloc((b->n ? b->n : 1) * sizeof *items);
    gw_lb_place *places = malloc((b->n ? b->n : 1) * sizeof *places);
    gw_lb_line *lines = NULL;
    size_t n_lines = 0;
    if (!items || !places) {
        c->failed = true;
        goto out;
    }
    for (size_t i = 0; i < b->n; i++)
        items[i] = (gw_lb_item){ b->v[i].cp, item_width(c, faces[i], &b->v[i]) };
    int full = c->geo.chars_per_line * 1000;
    gw_lb_params p = c->lb;
    p.line_width = st->max_width ? st->max_width : full;
    p.first_indent = st->indent;
    if (gw_break_paragraph(items, b->n, &p, &lines, &n_lines) != 0) {
        c->failed = true;
        goto out;
    }
    size_t first = c->n_lines;
    for (size_t i = 0; i < n_lines; i++) {
        int indent = i == 0 ? st->indent : 0;
        /* A narrowed block (a balanced title) is centred within the full line. */
        if (st->max_width && st->align == GW_ALIGN_CENTER)
            lines[i].avail = full - indent;
        set_one_line(c, b, faces, items, &lines[i], st, indent, places);
    }
    size_t count = c->n_lines - first;
    for (size_t i = 0; i < count; i++) {
        set_line *l = &c->lines[first + i];
        l->para_start = i == 0;
        l->para_end = i + 1 == count;
        /* Keep rules: no lone first line at a page foot, no lone last line at a
         * page head (2-line minimum), headings keep with what follows.  The
         * first line may already keep with the next, as a heading's next line. */
        l->keep_with_next |= st->keep_all || (count > 1 && (i == 0 || i + 2 == count));
    }
out:
    free(lines);
    free(places);
    free(items);
    free(faces);
}

static gw_role heading_role(int level)
{
    return level == 1 ? GW_ROLE_HEADING1 : level == 2 ? GW_ROLE_HEADING2 : GW_ROLE_BODY;
}

/* A paragraph typed with its own indent (two U+3000, as in Word) is not indented again. */
static bool typed_indent(const gw_text *t)
{
    return t->len >= 2 && t->cp[0] == 0x3000 && t->cp[1] == 0x3000;
}

static para_style body_style(const gw_block *blk)
{
    para_style st = { GW_LINE_BODY, 0, 0, blk->align, 0, false };
    bool indent = blk->indent && blk->align == GW_ALIGN_JUSTIFY && !typed_indent(&blk->text);
    st.indent = indent ? 2000 : 0;
    return st;
}

static void set_text_block(ctx *c, const gw_block *blk)
{
    char_buf b = { 0 };
    push_text(c, &b, &blk->text, GW_ROLE_BODY, c->geo.body_size, false);
    para_style st = body_style(blk);
    set_paragraph(c, &b, &st);
    free(b.v);
}

static void set_blocks(ctx *c, const gw_block *blocks, size_t n, int parent_level);
static void add_blank_line(ctx *c);
static void pour(ctx *c);

/* A heading or list item that gwpdf numbers, typed with a number of its own
 * ("一、基本情况"), would print both ("一、一、基本情况"): warn at the typed
 * number, which the recogniser lint and import share finds.  `level` and `n`
 * are the generated number's (num as printed); `keep` says how to keep the
 * typed one instead. */
static void warn_typed_number(ctx *c, const gw_text *t, int level, int n, const char *num,
                              const char *what, const char *keep)
{
    gw_typed_number typed;
    if (!gw_typed_number_match(t->cp, t->len, &typed))
        return;
    size_t end = typed.len;
    while (end > 0 && (t->cp[end - 1] == ' ' || t->cp[end - 1] == '\t' ||
                       t->cp[end - 1] == 0x3000 || t->cp[end - 1] == 0xA0 ||
                       t->cp[end - 1] == 0xFEFF))
        end--;
    char s[64];
    size_t at = 0;
    for (size_t i = 0; i < end && at + 5 < sizeof s; i++)
        at += gw_utf8_encode(t->cp[i], s + at);
    s[at] = '\0';
    gw_pos p = t->pos[0];
    if (typed.level == level && typed.value == n)
        gw_warn(c->diag, c->doc->path, p.line, p.col, "the %s starts with %s, the number gwpdf "
                "generates for it%s%s%s: it would print twice (remove it, or %s)", what, s,
                strcmp(s, num) ? " (as " : "", strcmp(s, num) ? num : "",
                strcmp(s, num) ? ")" : "", keep);
    else
        gw_warn(c->diag, c->doc->path, p.line, p.col, "the %s starts with the typed number %s, "
                "but gwpdf numbers it %s: both would print (remove the typed one, or %s)", what,
                s, num, keep);
}

static void set_section(ctx *c, const gw_block *sec, int number)
{
    char num[64] = "";
    if (sec->numbered) {
        gw_format_number(sec->level, number, num, sizeof num);
        warn_typed_number(c, &sec->heading, sec->level, number, num, "heading",
                          "use number=\"none\" to keep the typed one");
    }
    gw_role role = heading_role(sec->level);
    char_buf b = { 0 };
    push_utf8(c, &b, num, role, c->geo.body_size, sec->heading_pos);
    push_text(c, &b, &sec->heading, role, c->geo.body_size, false);
    size_t rest = 0;
    para_style st = { GW_LINE_HEADING, sec->level, 2000, GW_ALIGN_JUSTIFY, 0, true };
    if (sec->runin && sec->n_children > 0 && sec->children[0].kind == GW_BLOCK_PARA) {
        /* The heading runs into the first paragraph: one paragraph, two faces. */
        push_text(c, &b, &sec->children[0].text, GW_ROLE_BODY, c->geo.body_size, false);
        st.keep_all = false;
        rest = 1;
    }
    bool outer_pending = c->keep_pending;
    size_t added_before = c->n_added;
    set_paragraph(c, &b, &st);
    free(b.v);
    /* After a heading, at least two lines of its section follow on the same
     * page: the heading keeps with its first following line, and that line
     * with the next.  add_line marks that line as it comes, because the
     * children are poured onto pages while they are set. */
    if (!rest)
        c->keep_pending = true;
    if (sec->n_children > rest)              /* an empty section has no children array */
        set_blocks(c, sec->children + rest, sec->n_children - rest, sec->level);
    /* A heading followed by nothing in its section marks nothing; a section
     * that set no line at all leaves an enclosing heading's mark waiting. */
    c->keep_pending = c->n_added == added_before ? outer_pending : false;
}

/* A table: its caption as a centred 黑体 line on the grid, keeping with the
 * table, then the table itself as one set line the pagination places. */
static void set_table(ctx *c, const gw_block *blk)
{
    const gw_table *t = blk->table;
    if (!t || t->n_rows == 0 || t->n_grid_cols == 0)
        return;
    if (t->caption.len > 0 && !t->landscape) {
        char_buf b = { 0 };
        push_text(c, &b, &t->caption, GW_ROLE_HEADING1, c->geo.body_size, false);
        para_style st = { GW_LINE_HEADING, 0, 0, GW_ALIGN_CENTER, 0, true };
        set_paragraph(c, &b, &st);
        free(b.v);
    }
    /* A landscape table is as wide as the portrait type area is tall. */
    double width = t->landscape ? c->geo.area_top - c->geo.area_bottom
                                : c->geo.area_right - c->geo.area_left;
    table_env env = { c->fonts, &c->lb, c->doc->path, c->diag, width };
    bool oom = false;
    gw_table_set *ts = table_measure(t, blk->pos, &env, t->landscape, &oom);
    c->failed |= oom;
    if (!ts)
        return;
    set_line l = { .kind = GW_LINE_TABLE, .table = ts, .landscape = t->landscape };
    if (!add_line(c, &l))
        table_free(ts);
}

static void set_list(ctx *c, const gw_block *list, int parent_level)
{
    /* Items take the numbering of the level below the enclosing section; in
     * body text outside sections they are numbered 1. 2. 3. */
    int level = parent_level > 0 ? parent_level + 1 : 3;
    for (size_t i = 0; i < list->n_children; i++) {
        const gw_block *item = &list->children[i];
        char num[64];
        gw_format_number(level, (int)i + 1, num, sizeof num);
        warn_typed_number(c, &item->text, level, (int)i + 1, num, "list item",
                          "write the items as <p> to keep the typed numbers");
        char_buf b = { 0 };
        push_utf8(c, &b, num, GW_ROLE_BODY, c->geo.body_size, item->pos);
        push_text(c, &b, &item->text, GW_ROLE_BODY, c->geo.body_size, false);
        para_style st = body_style(item);
        st.indent = 2000;                  /* the number comes first, so always indent */
        set_paragraph(c, &b, &st);
        free(b.v);
        pour(c);
        if (halted(c))
            return;
    }
}

static void set_blocks(ctx *c, const gw_block *blocks, size_t n, int parent_level)
{
    int section_no = 0;
    for (size_t i = 0; i < n && !halted(c); i++) {
        const gw_block *blk = &blocks[i];
        switch (blk->kind) {
        case GW_BLOCK_PARA:
        case GW_BLOCK_ITEM:
            set_text_block(c, blk);
            break;
        case GW_BLOCK_SECTION:
            if (blk->numbered)
                section_no++;
            set_section(c, blk, section_no);
            break;
        case GW_BLOCK_LIST:
            set_list(c, blk, parent_level);
            break;
        case GW_BLOCK_PAGEBREAK:
            c->pending_break = true;
            break;
        case GW_BLOCK_TABLE:
            set_table(c, blk);
            break;
        }
        pour(c);
    }
}

static void add_blank_line(ctx *c)
{
    set_line l = { .kind = GW_LINE_BODY, .keep_with_next = true };
    add_line(c, &l);
}

/* Insert forced breaks before items breaks[0..n) of b. */
static bool insert_breaks(ctx *c, char_buf *b, const size_t *breaks, size_t n)
{
    for (size_t j = n; j-- > 0;) {
        if (!gw_grow(&b->v, &b->cap, b->n + 1, sizeof *b->v)) {
            c->failed = true;
            return false;
        }
        size_t at = breaks[j];
        memmove(&b->v[at + 1], &b->v[at], (b->n - at) * sizeof *b->v);
        b->v[at].cp = GW_CP_LINE_BREAK;
        b->n++;
    }
    return true;
}

/* The title, centred, one grid row a line.  The author's <br/> wins; without
 * it a title too long for one line is broken between words into a trapezoid
 * or diamond (title.c), or, when it has no usable word break, by width into
 * lines of even length. */
static void set_title(ctx *c, char_buf *b)
{
    const gw_doc *d = c->doc;
    bool bold = gw_fonts_synthetic_bold(c->fonts, GW_ROLE_TITLE);
    push_text(c, b, &d->title, GW_ROLE_TITLE, c->geo.title_size, bold);
    para_style st = { GW_LINE_TITLE, 0, 0, GW_ALIGN_CENTER, 0, true };
    gw_face **faces = resolve_faces(c, b);
    gw_lb_item *items = faces ? malloc((b->n ? b->n : 1) * sizeof *items) : NULL;
    if (!faces || !items) {
        c->failed |= faces != NULL;
        free(faces);
        return;
    }
    bool forced = false;
    for (size_t i = 0; i < b->n; i++) {
        items[i] = (gw_lb_item){ b->v[i].cp, item_width(c, faces[i], &b->v[i]) };
        forced |= b->v[i].cp == GW_CP_LINE_BREAK;
    }
    free(faces);
    int full = c->geo.chars_per_line * 1000;
    int one_char = (int)lround(1000 * c->geo.title_size / c->geo.body_size);
    size_t breaks[8], n_breaks = 0;
    int rc = forced ? 0 : gw_title_breaks(items, b->n, full, one_char, &c->lb.opt, breaks, 8, &n_breaks);
    if (rc < 0) {
        c->failed = true;
    } else if (rc > 0) {
        int total = gw_lb_span_width(items, 0, b->n, &c->lb.opt);
        int n_lines = (total + full - 1) / full;
        st.max_width = total / n_lines + one_char;
        if (st.max_width > full)
            st.max_width = full;
    }
    free(items);
    if (rc >= 0 && insert_breaks(c, b, breaks, n_breaks))
        set_paragraph(c, b, &st);
}

/* The line-breaking items of b (widths from the faces). */
static gw_lb_item *items_of(ctx *c, const char_buf *b, gw_face **faces)
{
    gw_lb_item *items = malloc((b->n ? b->n : 1) * sizeof *items);
    if (!items) {
        c->failed = true;
        return NULL;
    }
    for (size_t i = 0; i < b->n; i++)
        items[i] = (gw_lb_item){ b->v[i].cp, item_width(c, faces[i], &b->v[i]) };
    return items;
}

/* One line of text set solid from `start` units (signature lines), by the same
 * rules as any line (Han–Latin gaps in 2023年3月15日). */
static void set_solid_line(ctx *c, const char_buf *b, gw_face **faces, const gw_lb_item *items,
                           int width, int start, gw_line_kind kind)
{
    gw_lb_place *places = malloc((b->n ? b->n : 1) * sizeof *places);
    if (!places) {
        c->failed = true;
        return;
    }
    gw_lb_line ln = { 0, b->n, width, width, true, 0 };
    para_style st = { kind, 0, 0, GW_ALIGN_JUSTIFY, 0, true };
    size_t at = c->n_lines;
    set_one_line(c, b, faces, items, &ln, &st, start, places);
    free(places);
    if (c->n_lines > at) {
        set_line *l = &c->lines[at];
        l->para_start = l->para_end = true;
        l->keep_with_next = true;
    }
}

/* A signature row with nothing printed (a blank row that keeps the block together). */
static void add_signature_blank(ctx *c)
{
    set_line l = { .kind = GW_LINE_SIGNATURE, .keep_with_next = true };
    add_line(c, &l);
}

/* The seal's file: relative paths are relative to the document. */
static char *seal_path(const gw_doc *d, const char *src)
{
    const char *slash = strrchr(d->path, '/');
    size_t dir = src[0] == '/' || !slash ? 0 : (size_t)(slash - d->path) + 1;
    char *path = malloc(dir + strlen(src) + 1);
    if (path) {
        memcpy(path, d->path, dir);
        strcpy(path + dir, src);
    }
    return path;
}

/* The layout owns every seal image it loads until it ends (pages point at them). */
static bool keep_image(ctx *c, gw_seal_image *img)
{
    if (!gw_grow(&c->images, &c->cap_images, c->n_images + 1, sizeof *c->images)) {
        gw_seal_free(img);
        c->failed = true;
        return false;
    }
    c->images[c->n_images++] = img;
    return true;
}

/* A seal or stamp image, kept by the layout; NULL after reporting. */
static gw_seal_image *load_seal(ctx *c, const gw_seal_ref *ref)
{
    if (c->opt && c->opt->confine_files && !gw_path_is_below(ref->src)) {
        gw_error(c->diag, c->doc->path, ref->pos.line, ref->pos.col,
                 "seal src=\"%s\" is not a file of the document's folder: here seals are "
                 "read only from the document's folder or below (a relative path without ..)",
                 ref->src);
        return NULL;
    }
    char *path = seal_path(c->doc, ref->src);
    c->failed |= path == NULL;
    gw_seal_image *img = path ? gw_seal_load(path, c->doc->path, ref->pos.line, ref->pos.col,
                                             c->diag) : NULL;
    free(path);
    return img && keep_image(c, img) ? img : NULL;
}

/* Diameter in points: the source's, else the PNG's own (pHYs), else `dflt` mm. */
static double seal_size_pt(const gw_seal_ref *ref, const gw_seal_image *img, double dflt)
{
    double mm = ref->diameter_mm > 0 ? ref->diameter_mm : img->width_mm > 0 ? img->width_mm : dflt;
    return mm * GW_PT_PER_MM;
}

/* A run of text measured for setting on one line: characters, faces, items, width. */
typedef struct text_run {
    char_buf b;
    gw_face **faces;
    gw_lb_item *items;
    int width;
} text_run;

static bool run_measure(ctx *c, text_run *r)
{
    r->faces = resolve_faces(c, &r->b);
    r->items = r->faces ? items_of(c, &r->b, r->faces) : NULL;
    if (r->items)
        r->width = gw_lb_span_width(r->items, 0, r->b.n, &c->lb.opt);
    return r->items != NULL;
}

static void run_free(text_run *r)
{
    free(r->b.v);
    free(r->faces);
    free(r->items);
    memset(r, 0, sizeof *r);
}

static void run_set(ctx *c, const text_run *r, int start, gw_line_kind kind)
{
    set_solid_line(c, &r->b, r->faces, r->items, r->width, start, kind);
}

/* 落款 with a seal (GB/T 9704 §7.3.5.1; docs/standard.md, "With one seal"): the date
 * right-indented 4 字, the issuer on the row above centred on the date, the
 * seal centred on both with its centre 2.5 mm above the issuer's em centre (so
 * both sit below the centre).  The issuer goes as few rows below the body as
 * keep the seal's top off the last body line — its top is then within one row
 * of it.  Returns the rows still to keep free under the date for the seal's
 * lower part (-1 after an error). */
static int set_sealed_signature(ctx *c, const gw_signature *sig, const text_run *issuer,
                                const text_run *date)
{
    const gw_geometry *g = &c->geo;
    gw_seal_image *img = load_seal(c, &sig->seals[0]);
    if (!img)
        return -1;
    double size = seal_size_pt(&sig->seals[0], img, 42.0);
    double lift = 2.5 * GW_PT_PER_MM, half_em = g->body_size / 2;
    int full = g->chars_per_line * 1000, wi = issuer->width, wd = date->width;
    int date_start = full - 4000 - wd, issuer_start = date_start + (wd - wi) / 2;
    if (issuer_start + wi > full)
        issuer_start = full - wi;
    double seal_cx = (date_start + wd / 2.0) * g->cell / 1000.0;
    if (date_start < 0 || issuer_start < 0 || size > g->area_right - g->area_left) {
        gw_error(c->diag, c->doc->path, sig->pos.line, sig->pos.col,
                 "the signature's issuer or date, or its %.0f mm seal, is wider than the type area",
                 size / GW_PT_PER_MM);
        return -1;
    }
    /* Rows from the last body line to the issuer: the seal's top at or below
     * the body's last em box. */
    int k = (int)ceil((half_em + lift + size / 2) / g->pitch - 1e-9);
    if (k < 2)
        k = 2;
    double overhang = size / 2 - lift - g->pitch - half_em;   /* below the date's em box */
    int below = overhang > 0 ? (int)ceil(overhang / g->pitch - 1e-9) : 0;
    if (c->n_lines > 0)
        c->lines[c->n_lines - 1].keep_with_next = true;
    for (int i = 0; i < k - 1; i++)
        add_signature_blank(c);
    size_t issuer_line = c->n_lines;
    if (issuer->b.n)
        run_set(c, issuer, issuer_start, GW_LINE_SIGNATURE);
    else
        add_signature_blank(c);
    if (c->n_lines > issuer_line)
        c->lines[issuer_line].seals[c->lines[issuer_line].n_seals++] =
            (line_seal){ img, seal_cx, size, lift };
    run_set(c, date, date_start, GW_LINE_SIGNATURE);
    return below;
}

/* Merge the set lines from `first` on into the line at `first` (issuers that
 * share a signature row). */
static void merge_lines(ctx *c, size_t first)
{
    if (c->n_lines <= first + 1)
        return;
    set_line *dst = &c->lines[first];
    size_t total = 0;
    for (size_t i = first; i < c->n_lines; i++)
        total += c->lines[i].n;
    set_glyph *g = realloc(dst->glyphs, (total ? total : 1) * sizeof *g);
    if (!g) {
        c->failed = true;
        return;
    }
    dst->glyphs = g;
    for (size_t i = first + 1; i < c->n_lines; i++) {
        memcpy(dst->glyphs + dst->n, c->lines[i].glyphs, c->lines[i].n * sizeof *g);
        dst->n += c->lines[i].n;
        free(c->lines[i].glyphs);
    }
    c->n_lines = first + 1;
}

/* 联合行文 with seals (§7.3.5.1; docs/standard.md, "Joint seals"): the issuers in organ order,
 * each centred under its own seal; seals side by side, as many as the type
 * area holds to the left of the last, spaced so that neither seals nor names
 * touch; further rows of seals below; the last seal, rightmost on the last row,
 * covers the last issuer and the date (right-indented 4 字).  Returns the rows
 * to keep free under the date, or -1 after an error. */
static int set_joint_signature(ctx *c, const gw_signature *sig, const text_run *issuers,
                               const text_run *date)
{
    const gw_geometry *g = &c->geo;
    size_t n = sig->n_seals;
    const gw_seal_image *img[64];
    double size[64], d_max = 0, unit = g->cell / 1000.0;
    int w_max = 0;
    if (n > 64) {
        gw_error(c->diag, c->doc->path, sig->pos.line, sig->pos.col,
                 "a signature holds at most 64 seals");
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        if (!(img[i] = load_seal(c, &sig->seals[i])))
            return -1;
        size[i] = seal_size_pt(&sig->seals[i], img[i], 42.0);
        d_max = fmax(d_max, size[i]);
        w_max = issuers[i].width > w_max ? issuers[i].width : w_max;
    }
    int full = g->chars_per_line * 1000, wd = date->width, date_start = full - 4000 - wd;
    double cx_last = (date_start + wd / 2.0) * unit, gap = 4.0 * GW_PT_PER_MM;
    double spacing = fmax(d_max + gap, w_max * unit + g->cell);
    double half = fmax(d_max, w_max * unit) / 2;
    size_t per_row = cx_last < half ? 0 : 1 + (size_t)floor((cx_last - half) / spacing);
    if (per_row > MAX_ROW_SEALS)
        per_row = MAX_ROW_SEALS;
    if (per_row == 0 || date_start < 0 || cx_last + half > g->area_right - g->area_left) {
        gw_error(c->diag, c->doc->path, sig->pos.line, sig->pos.col,
                 "the signature's issuers, date or seals are wider than the type area");
        return -1;
    }
    double lift = 2.5 * GW_PT_PER_MM, half_em = g->body_size / 2;
    int k = (int)ceil((half_em + lift + d_max / 2) / g->pitch - 1e-9);
    int step = (int)ceil((d_max + gap) / g->pitch - 1e-9);
    k = k < 2 ? 2 : k;
    if (c->n_lines > 0)
        c->lines[c->n_lines - 1].keep_with_next = true;
    for (int i = 0; i < k - 1; i++)
        add_signature_blank(c);
    size_t rows = (n + per_row - 1) / per_row;
    for (size_t r = 0; r < rows && !halted(c); r++) {
        size_t from = r * per_row, to = from + per_row < n ? from + per_row : n;
        size_t line = c->n_lines;
        for (size_t i = from; i < to; i++) {
            double cx = cx_last - (double)(to - 1 - i) * spacing;
            int start = (int)lround(cx / unit - issuers[i].width / 2.0);
            run_set(c, &issuers[i], start < 0 ? 0 : start, GW_LINE_SIGNATURE);
        }
        if (c->n_lines == line)
            add_signature_blank(c);
        merge_lines(c, line);
        if (halted(c))
            return -1;
        set_line *l = &c->lines[line];
        for (size_t i = from; i < to; i++)
            l->seals[l->n_seals++] = (line_seal){ img[i], cx_last - (double)(to - 1 - i) * spacing,
                                                  size[i], lift };
        for (int i = 0; r + 1 < rows && i < step - 1; i++)
            add_signature_blank(c);
    }
    run_set(c, date, date_start, GW_LINE_SIGNATURE);
    double overhang = d_max / 2 - lift - g->pitch - half_em;
    return overhang > 0 ? (int)ceil(overhang / g->pitch - 1e-9) : 0;
}

/* 落款 without a seal (GB/T 9704 §7.3.5.2): one blank line below the body, the
 * issuer right-indented 2 字, the date on the next line starting 2 字 right of
 * the issuer's start; a date that would then pass the 2 字 right indent is
 * right-indented 2 字 and the issuer moves left to keep the 2 字 offset.
 * Several issuers stand one a row, aligned on the longest.  Returns 0, or -1
 * after an error. */
static int set_plain_signature(ctx *c, const gw_signature *sig, const text_run *issuers,
                               size_t n, const text_run *date)
{
    int full = c->geo.chars_per_line * 1000, indent = 2000, wi = 0, wd = date->width;
    for (size_t i = 0; i < n; i++)
        wi = issuers[i].width > wi ? issuers[i].width : wi;
    int issuer_start = full - indent - wi, date_start = issuer_start + indent;
    if (date_start + wd > full - indent) {
        date_start = full - indent - wd;
        issuer_start = date_start - indent;
    }
    if (issuer_start < 0 || date_start < 0) {
        gw_error(c->diag, c->doc->path, sig->pos.line, sig->pos.col,
                 "the signature's issuer or date is longer than a line");
        return -1;
    }
    if (c->n_lines > 0)
        c->lines[c->n_lines - 1].keep_with_next = true;
    add_signature_blank(c);
    for (size_t i = 0; i < n; i++)
        if (issuers[i].b.n)
            run_set(c, &issuers[i], issuer_start, GW_LINE_SIGNATURE);
    run_set(c, date, date_start, GW_LINE_SIGNATURE);
    return 0;
}

/* 签发人签名章 (§7.3.5.3; docs/standard.md, "签名章"): two blank rows under the body, the
 * stamp right-indented 4 字 with the signer's title 2 字 to its left and the
 * stamp centred on the title's row; one blank row; the date right-indented
 * 4 字.  Returns 0, or -1 after an error. */
static int set_stamp_signature(ctx *c, const gw_signature *sig, const text_run *title,
                               const text_run *date)
{
    const gw_geometry *g = &c->geo;
    gw_seal_image *img = load_seal(c, &sig->stamp);
    if (!img)
        return -1;
    double size = seal_size_pt(&sig->stamp, img, 20.0), unit = g->cell / 1000.0;
    int full = g->chars_per_line * 1000, right = full - 4000;
    int stamp_left = right - (int)lround(size / unit);
    int title_start = stamp_left - 2000 - title->width, date_start = right - date->width;
    if (title_start < 0 || date_start < 0) {
        gw_error(c->diag, c->doc->path, sig->pos.line, sig->pos.col,
                 "the signer's title, stamp or date is wider than the type area");
        return -1;
    }
    int rows = (int)ceil(size / g->pitch - 1e-9), title_row = (rows - 1) / 2;
    if (c->n_lines > 0)
        c->lines[c->n_lines - 1].keep_with_next = true;
    add_signature_blank(c);
    add_signature_blank(c);
    for (int r = 0; r < rows; r++) {
        size_t line = c->n_lines;
        if (r == title_row && title->b.n)
            run_set(c, title, title_start, GW_LINE_SIGNATURE);
        else
            add_signature_blank(c);
        if (r == title_row && c->n_lines > line)
            c->lines[line].seals[c->lines[line].n_seals++] =
                (line_seal){ img, (stamp_left + right) / 2.0 * unit, size, 0 };
    }
    add_signature_blank(c);
    run_set(c, date, date_start, GW_LINE_SIGNATURE);
    return 0;
}

/* 附注 (§7.3.6): under the date, indented 2 字, in round brackets. */
static void set_note(ctx *c, const gw_doc *d)
{
    if (d->note.len == 0)
        return;
    char_buf b = { 0 };
    push_utf8(c, &b, "（", GW_ROLE_BODY, c->geo.body_size, d->note_pos);
    push_text(c, &b, &d->note, GW_ROLE_BODY, c->geo.body_size, false);
    push_utf8(c, &b, "）", GW_ROLE_BODY, c->geo.body_size, d->note_pos);
    para_style st = { GW_LINE_SIGNATURE, 0, 2000, GW_ALIGN_JUSTIFY, 0, true };
    set_paragraph(c, &b, &st);
    free(b.v);
}

/* The 落款: issuers and date (a blank 年　月　日 to sign by hand when no date is
 * given) with one seal per issuer, no seal, or the signer's stamp; then the
 * 附注, taking the place of the rows kept free under a seal. */
static void set_signature(ctx *c, const gw_doc *d)
{
    const gw_signature *sig = d->signature;
    size_t n = sig->n_issuers ? sig->n_issuers : 1;
    text_run *issuers = calloc(n, sizeof *issuers), date = { 0 }, title = { 0 };
    if (!issuers) {
        c->failed = true;
        return;
    }
    bool ok = true;
    for (size_t i = 0; i < sig->n_issuers; i++) {
        push_text(c, &issuers[i].b, &sig->issuers[i], GW_ROLE_BODY, c->geo.body_size, false);
        ok &= run_measure(c, &issuers[i]);
    }
    if (sig->n_issuers == 0)
        ok &= run_measure(c, &issuers[0]);
    if (sig->has_date)
        push_text(c, &date.b, &sig->date, GW_ROLE_BODY, c->geo.body_size, false);
    else
        push_utf8(c, &date.b, "年\u3000月\u3000日", GW_ROLE_BODY, c->geo.body_size, sig->pos);
    ok &= run_measure(c, &date);
    push_text(c, &title.b, &sig->stamp_title, GW_ROLE_BODY, c->geo.body_size, false);
    ok &= run_measure(c, &title);
    int below = -1;
    if (ok && sig->has_stamp)
        below = set_stamp_signature(c, sig, &title, &date);
    else if (ok && sig->n_seals > 1)
        below = set_joint_signature(c, sig, issuers, &date);
    else if (ok && sig->n_seals == 1)
        below = set_sealed_signature(c, sig, &issuers[0], &date);
    else if (ok)
        below = set_plain_signature(c, sig, issuers, sig->n_issuers, &date);
    if (below >= 0) {
        size_t before = c->n_lines;
        set_note(c, d);
        for (int i = (int)(c->n_lines - before); i < below; i++)
            add_signature_blank(c);
        if (c->n_lines > 0)                /* none only when out of memory */
            c->lines[c->n_lines - 1].keep_with_next = false;
    }
    for (size_t i = 0; i < n; i++)
        run_free(&issuers[i]);
    free(issuers);
    run_free(&date);
    run_free(&title);
}

static gw_lb_params line_params(const gw_doc *doc, const gw_layout_options *opt);
static void set_line_free(set_line *l);

/* ---- format v2: the 公文's own parts ------------------------------------ */

/* Set a run as one line (justified to `avail` units when wider than the
 * run), taken out of the line list: the 版头 and 版记 place it themselves. */
static bool take_line(ctx *c, const text_run *r, int start, int avail, set_line *out)
{
    gw_lb_place *places = malloc((r->b.n ? r->b.n : 1) * sizeof *places);
    if (!places) {
        c->failed = true;
        return false;
    }
    bool stretch = avail > r->width && r->b.n > 1;
    gw_lb_line ln = { 0, r->b.n, r->width, stretch ? avail : r->width, !stretch, 0 };
    para_style st = { GW_LINE_HEADER, 0, 0, GW_ALIGN_JUSTIFY, 0, true };
    size_t at = c->n_lines;
    set_one_line(c, &r->b, r->faces, r->items, &ln, &st, start, places);
    free(places);
    if (c->n_lines <= at)
        return false;
    *out = c->lines[--c->n_lines];
    return true;
}

/* The glyphs of a taken line onto a block in page coordinates: x from
 * `left`, on `baseline`, in `color`, with a line box of `kind`. */
static void block_add_line(ctx *c, set_line *blk, set_line *l, double left, double baseline,
                           uint32_t color, gw_line_kind kind)
{
    size_t first = blk->n_free_glyphs, cap = first + l->n;
    gw_glyph *g = l->n ? realloc(blk->free_glyphs, cap * sizeof *g) : blk->free_glyphs;
    gw_line_box *b = realloc(blk->free_boxes, (blk->n_free_boxes + 1) * sizeof *b);
    if (b)
        blk->free_boxes = b;
    if ((l->n && !g) || !b) {
        c->failed = true;
        free(l->glyphs);
        return;
    }
    blk->free_glyphs = g;
    for (size_t i = 0; i < l->n; i++) {
        const set_glyph *s = &l->glyphs[i];
        g[first + i] = (gw_glyph){ s->face, s->cp, left + s->slot_x + s->ink_x, baseline, s->size,
                                   s->slot_w, s->bold, s->role, color };
    }
    blk->n_free_glyphs = cap;
    if (l->n)
        blk->free_boxes[blk->n_free_boxes++] = (gw_line_box){
            kind, -1, 0, baseline, left + l->glyphs[0].slot_x,
            left + l->glyphs[l->n - 1].slot_x + l->glyphs[l->n - 1].slot_w, first, l->n, true, true };
    free(l->glyphs);
}

static void block_add_rule(ctx *c, set_line *blk, double x0, double x1, double y, double width,
                           uint32_t color)
{
    gw_rule *r = realloc(blk->free_rules, (blk->n_free_rules + 1) * sizeof *r);
    if (!r) {
        c->failed = true;
        return;
    }
    blk->free_rules = r;
    r[blk->n_free_rules++] = (gw_rule){ x0, y, x1, y, width, color };
}

/* Place a run on a block: `start` units from the type area's left edge. */
static void block_add_run(ctx *c, set_line *blk, const text_run *r, int start, double baseline,
                          uint32_t color, gw_line_kind kind)
{
    set_line l;
    if (r->b.n && take_line(c, r, start, r->width, &l))
        block_add_line(c, blk, &l, c->geo.area_left, baseline, color, kind);
}

static void run_text(ctx *c, text_run *r, const gw_text *t, gw_role role, double size)
{
    push_text(c, &r->b, t, role, size, false);
}

/* Units of the 28-unit grid line to points, and back. */
static double units_pt(const ctx *c, double u)
{
    return u * c->geo.cell / 1000.0;
}

/* Em-box top of grid row r (16 pt body text). */
static double row_top(const gw_geometry *g, int r)
{
    return g->area_top - r * g->pitch;
}

/* The first grid row whose em box starts at least two lines (2 pitches) below y. */
static int row_two_lines_below(const gw_geometry *g, double y)
{
    int r = (int)ceil((g->area_top - (y - 2 * g->pitch)) / g->pitch - 1e-9);
    return r < 1 ? 1 : r;
}

/* 发文机关标志 (GB/T 9704 §7.2.4; docs/standard.md, "版头"): red 小标宋, the marks of
 * joint issuance stacked (each spread to the longest), the suffix (文件) right
 * of them centred on the stack, the whole centred on the type area with its
 * top at `top`; the size is the largest, up to 22 mm, at which the block fits
 * the 156 mm.  Returns the block's bottom (pt), or `top` when there is no mark. */
static double set_marks(ctx *c, set_line *blk, const gw_header *h, double top)
{
    const gw_geometry *g = &c->geo;
    size_t n = h->n_marks;
    if (n == 0)
        return top;
    text_run *m = calloc(n + 1, sizeof *m);
    if (!m) {
        c->failed = true;
        return top;
    }
    text_run *suf = &m[n];
    bool ok = true;
    int widest = 0;
    for (size_t i = 0; i <= n && ok; i++) {          /* measured at 16 pt first */
        run_text(c, &m[i], i < n ? &h->marks[i] : &h->suffix, GW_ROLE_TITLE, g->body_size);
        ok = run_measure(c, &m[i]);
        widest = i < n && m[i].width > widest ? m[i].width : widest;
    }
    double size = 0;
    if (ok) {
        double gap16 = suf->b.n ? 500 : 0, total16 = widest + gap16 + suf->width;
        double fit = g->body_size * (g->area_right - g->area_left) / units_pt(c, total16);
        size = floor(fmin(22.0 * GW_PT_PER_MM, fit) * 100) / 100;
    }
    double step = 1.25 * size, bottom = top - (double)(n - 1) * step - size;
    for (size_t i = 0; i <= n && ok; i++) {          /* again at the size chosen */
        run_free(&m[i]);
        run_text(c, &m[i], i < n ? &h->marks[i] : &h->suffix, GW_ROLE_TITLE, size);
        ok = run_measure(c, &m[i]);
    }
    if (ok) {
        int mark_w = 0;
        for (size_t i = 0; i < n; i++)
            mark_w = m[i].width > mark_w ? m[i].width : mark_w;
        int gap = suf->b.n ? (int)lround(500 * size / g->body_size) : 0;
        int block = mark_w + gap + suf->width, full = g->chars_per_line * 1000;
        int left = (full - block) / 2;
        for (size_t i = 0; i < n; i++) {
            set_line l;
            int start = m[i].b.n > 1 ? left : left + (mark_w - m[i].width) / 2;
            if (take_line(c, &m[i], start, mark_w, &l))
                block_add_line(c, blk, &l, g->area_left, top - (double)i * step - g->ascent * size,
                               GW_RED, GW_LINE_HEADER);
        }
        double centre = (top + bottom) / 2;
        block_add_run(c, blk, suf, left + mark_w + gap, centre + size / 2 - g->ascent * size,
                      GW_RED, GW_LINE_HEADER);
    }
    for (size_t i = 0; i <= n; i++)
        run_free(&m[i]);
    free(m);
    return ok ? bottom : top;
}

/* A line of the 版头 from the source: text in `role` at 16 pt. */
static void header_line(ctx *c, set_line *blk, const gw_text *t, const char *tail,
                        const gw_text *tail_text, gw_role role, int start, bool right, double base)
{
    text_run r = { 0 };
    run_text(c, &r, t, role, c->geo.body_size);
    if (tail && t->len)
        push_utf8(c, &r.b, tail, role, c->geo.body_size, t->pos[t->len - 1]);
    if (tail && tail_text)
        run_text(c, &r, tail_text, role, c->geo.body_size);
    if (run_measure(c, &r))
        block_add_run(c, blk, &r, right ? start - r.width : start, base, GW_BLACK, GW_LINE_HEADER);
    run_free(&r);
}

/* 份号, 密级★保密期限, 紧急程度: one a line, flush left, baselines from `base`
 * down one pitch a line.  Returns the lines set. */
static int set_front_marks(ctx *c, set_line *blk, const gw_header *h, double base)
{
    int k = 0;
    if (h->copy.len)
        header_line(c, blk, &h->copy, NULL, NULL, GW_ROLE_BODY, 0, false, base - k++ * c->geo.pitch);
    if (h->secrecy.len)
        header_line(c, blk, &h->secrecy, h->period.len ? "★" : NULL, &h->period, GW_ROLE_HEADING1,
                    0, false, base - k++ * c->geo.pitch);
    if (h->urgency.len)
        header_line(c, blk, &h->urgency, NULL, NULL, GW_ROLE_HEADING1, 0, false,
                    base - k++ * c->geo.pitch);
    return k;
}

/* 签发人 lines (§7.2.6): "签发人：" in 仿宋 and the names in 楷体, two a line,
 * right-indented 1 字, on rows `row`, row+1, … */
static void set_signers(ctx *c, set_line *blk, const gw_header *h, int row)
{
    const gw_geometry *g = &c->geo;
    int full = g->chars_per_line * 1000, lines = 0;
    for (size_t i = 0; i < h->n_signers; i += 2, lines++) {
        text_run r = { 0 };
        gw_pos at = h->signers[i].len ? h->signers[i].pos[0] : h->pos;
        push_utf8(c, &r.b, i == 0 ? "签发人：" : "", GW_ROLE_BODY, g->body_size, at);
        run_text(c, &r, &h->signers[i], GW_ROLE_HEADING2, g->body_size);
        if (i + 1 < h->n_signers) {
            push_utf8(c, &r.b, "\u3000", GW_ROLE_HEADING2, g->body_size, at);
            run_text(c, &r, &h->signers[i + 1], GW_ROLE_HEADING2, g->body_size);
        }
        if (run_measure(c, &r))
            block_add_run(c, blk, &r, full - 1000 - r.width, gw_row_baseline(g, row + lines,
                          g->body_size), GW_BLACK, GW_LINE_HEADER);
        run_free(&r);
    }
}

/* The 版头 of the general, order and minutes formats: front marks on rows 1–3,
 * the mark 35 mm (order: 20 mm) below the type area's top, the 发文字号 two
 * lines under it — centred, or with 签发人 flush left indented 1 字 on the last
 * signer row — and (general, minutes) the red rule 4 mm under it.  Returns
 * the y below which the title may start two lines down. */
static double set_general_header(ctx *c, set_line *blk, const gw_header *h, gw_doc_kind kind)
{
    const gw_geometry *g = &c->geo;
    int k = set_front_marks(c, blk, h, gw_row_baseline(g, 0, g->body_size));
    double top = g->area_top - (kind == GW_KIND_ORDER ? 20.0 : 35.0) * GW_PT_PER_MM;
    top = fmin(top, row_top(g, k));
    double bottom = set_marks(c, blk, h, top);
    int row = h->n_marks ? row_two_lines_below(g, bottom) : k;
    /* Two names a row; the 发文字号 shares the last one.  It is set first so that
     * the text copied out comes in the source's order: 发文字号, then 签发人. */
    int last = row + (h->n_signers ? (int)((h->n_signers - 1) / 2) : 0);
    double base = gw_row_baseline(g, last, g->body_size);
    if (h->doc_number.len) {
        text_run r = { 0 };
        run_text(c, &r, &h->doc_number, GW_ROLE_BODY, g->body_size);
        int full = g->chars_per_line * 1000;
        if (run_measure(c, &r))
            block_add_run(c, blk, &r, h->n_signers ? 1000 : (full - r.width) / 2, base, GW_BLACK,
                          GW_LINE_HEADER);
        run_free(&r);
    }
    if (h->n_signers)
        set_signers(c, blk, h, row);
    if (!h->doc_number.len && !h->n_signers)
        return bottom;
    double em_bottom = row_top(g, last) - g->body_size;
    if (kind == GW_KIND_ORDER)
        return em_bottom;
    double rule = em_bottom - 4.0 * GW_PT_PER_MM;
    block_add_rule(c, blk, g->area_left, g->area_right, rule, 0.5 * GW_PT_PER_MM, GW_RED);
    return rule;
}

/* The 信函格式 版头 (§10.1; docs/standard.md, "Letter, order and minutes
 * formats"): the mark 30 mm below the page's top; red double lines 170 mm long, centred — thick over thin 4 mm under the
 * mark, thin over thick 20 mm above the page's bottom; 份号, 密级, 紧急程度
 * flush left from 7/8 of a 3号 character under the upper lines, the 发文字号
 * flush right on the first of those lines.  Returns the y below which the
 * title may start two lines down. */
static double set_letter_header(ctx *c, set_line *blk, const gw_header *h)
{
    const gw_geometry *g = &c->geo;
    double thick = 0.8 * GW_PT_PER_MM, thin = 0.25 * GW_PT_PER_MM, gap = 0.8 * GW_PT_PER_MM;
    double x0 = (g->page_width - 170.0 * GW_PT_PER_MM) / 2, x1 = g->page_width - x0;
    double bottom = set_marks(c, blk, h, g->page_height - 30.0 * GW_PT_PER_MM);
    double upper = bottom - 4.0 * GW_PT_PER_MM, upper_thin = upper - thick / 2 - gap - thin / 2;
    double lower = 20.0 * GW_PT_PER_MM, lower_thin = lower + thick / 2 + gap + thin / 2;
    block_add_rule(c, blk, x0, x1, upper, thick, GW_RED);
    block_add_rule(c, blk, x0, x1, upper_thin, thin, GW_RED);
    block_add_rule(c, blk, x0, x1, lower_thin, thin, GW_RED);
    block_add_rule(c, blk, x0, x1, lower, thick, GW_RED);
    double first_top = upper_thin - thin / 2 - 7.0 / 8.0 * g->body_size;
    double base = first_top - g->ascent * g->body_size;
    int k = set_front_marks(c, blk, h, base);
    int full = g->chars_per_line * 1000;
    if (h->doc_number.len) {
        text_run r = { 0 };
        run_text(c, &r, &h->doc_number, GW_ROLE_BODY, g->body_size);
        if (run_measure(c, &r))
            block_add_run(c, blk, &r, full - r.width, base, GW_BLACK, GW_LINE_HEADER);
        run_free(&r);
        k = k ? k : 1;
    }
    for (size_t i = 0; i < h->n_signers; i++) {       /* rare in a letter, but never lost */
        text_run r = { 0 };
        gw_pos at = h->signers[i].len ? h->signers[i].pos[0] : h->pos;
        push_utf8(c, &r.b, i == 0 ? "签发人：" : "", GW_ROLE_BODY, g->body_size, at);
        run_text(c, &r, &h->signers[i], GW_ROLE_HEADING2, g->body_size);
        if (run_measure(c, &r))
            block_add_run(c, blk, &r, full - r.width, base - k * g->pitch, GW_BLACK, GW_LINE_HEADER);
        run_free(&r);
        k++;
    }
    return k ? first_top - (k - 1) * g->pitch - g->body_size : upper_thin;
}

/* The 版头 as one block on row 1, then blank rows down to the title's row. */
static void set_header(ctx *c)
{
    const gw_doc *d = c->doc;
    set_line blk = { .kind = GW_LINE_HEADER, .keep_with_next = true };
    double below = d->kind == GW_KIND_LETTER ? set_letter_header(c, &blk, d->header)
                                              : set_general_header(c, &blk, d->header, d->kind);
    if (!add_line(c, &blk))
        return;
    int title_row = row_two_lines_below(&c->geo, below);
    for (int r = 1; r < title_row && r < c->geo.lines_per_page; r++)
        add_blank_line(c);
}

/* Append the characters of src to dst. */
static void append_chars(ctx *c, char_buf *dst, const char_buf *src)
{
    for (size_t i = 0; i < src->n; i++) {
        const run_char *r = &src->v[i];
        if (!push_char(c, dst, r->cp, r->role, r->size, r->bold, r->pos))
            return;
    }
}

/* A hanging paragraph: `prefix` set at `start` units and the text after it,
 * broken as one paragraph into the width right of `start` (less `right`
 * units); the wrapped lines aligned with the text's first character where the
 * first line set it (附件说明 names, 抄送, 出席).  The prefix and its first line
 * are broken together, so a colon ending the prefix keeps its full width. */
static void set_hanging(ctx *c, text_run *prefix, const char_buf *text, int start, int right,
                        gw_line_kind kind)
{
    char_buf all = { 0 }, rest = { 0 };
    append_chars(c, &all, &prefix->b);
    append_chars(c, &all, text);
    gw_face **faces = halted(c) ? NULL : resolve_faces(c, &all);
    gw_lb_item *items = faces ? items_of(c, &all, faces) : NULL;
    gw_lb_place *places = items ? malloc((all.n ? all.n : 1) * sizeof *places) : NULL;
    gw_lb_line *lines = NULL;
    size_t n = 0, k = prefix->b.n, at = c->n_lines;
    int full = c->geo.chars_per_line * 1000;
    gw_lb_params p = c->lb;
    p.line_width = full - start - right;
    p.first_indent = 0;
    if (!places || gw_break_paragraph(items, all.n, &p, &lines, &n) != 0 || n == 0) {
        c->failed |= faces != NULL;
        goto out;
    }
    para_style st = { kind, 0, 0, GW_ALIGN_JUSTIFY, 0, false };
    set_one_line(c, &all, faces, items, &lines[0], &st, start, places);
    if (c->n_lines == at)
        goto out;
    int hang = k < lines[0].end ? start + places[k - lines[0].start].x : full - right;
    for (size_t i = lines[0].end; i < all.n; i++)
        push_char(c, &rest, all.v[i].cp, all.v[i].role, all.v[i].size, all.v[i].bold, all.v[i].pos);
    size_t first = c->n_lines;
    if (rest.n) {
        para_style more = { kind, 0, 0, GW_ALIGN_JUSTIFY, full - hang - right, false };
        set_paragraph(c, &rest, &more);
        for (size_t i = first; i < c->n_lines; i++)
            for (size_t j = 0; j < c->lines[i].n; j++)
                c->lines[i].glyphs[j].slot_x += units_pt(c, hang);
    }
    set_line *l0 = &c->lines[at];
    l0->para_start = true;
    l0->para_end = c->n_lines == first;
    l0->keep_with_next = c->n_lines > first;   /* no first line alone at a page foot */
    if (c->n_lines > first)
        c->lines[first].para_start = false;
out:
    free(rest.v);
    free(lines);
    free(places);
    free(items);
    free(faces);
    free(all.v);
}

/* 主送 (§7.3.2): flush left, wrapped lines flush left too. */
static void set_to(ctx *c, const gw_doc *d)
{
    if (d->to.len == 0)
        return;
    char_buf b = { 0 };
    push_text(c, &b, &d->to, GW_ROLE_BODY, c->geo.body_size, false);
    para_style st = { GW_LINE_BODY, 0, 0, GW_ALIGN_JUSTIFY, 0, false };
    set_paragraph(c, &b, &st);
    free(b.v);
}

/* 纪要's 出席 / 请假 / 列席 (§10.3): the label in 黑体, indented 2 字, the names
 * in 仿宋 after the colon, wrapped lines aligned after it. */
static void set_attendance(ctx *c, const gw_doc *d)
{
    if (!d->attendance)
        return;
    const gw_text *t[3] = { &d->attendance->present, &d->attendance->absent,
                            &d->attendance->attending };
    static const char *const label[3] = { "出席：", "请假：", "列席：" };
    for (int i = 0; i < 3; i++) {
        if (t[i]->len == 0)
            continue;
        text_run p = { 0 };
        char_buf b = { 0 };
        push_utf8(c, &p.b, label[i], GW_ROLE_HEADING1, c->geo.body_size, t[i]->pos[0]);
        push_text(c, &b, t[i], GW_ROLE_BODY, c->geo.body_size, false);
        set_hanging(c, &p, &b, 2000, 0, GW_LINE_BODY);
        run_free(&p);
        free(b.v);
    }
}

static bool listed_attachment(const gw_attachment *a)
{
    return !a->issued;
}

static size_t count_listed(const gw_doc *d)
{
    size_t n = 0;
    for (size_t i = 0; i < d->n_attachments; i++)
        n += listed_attachment(&d->attachments[i]);
    return n;
}

/* The word of the labels and the 附件说明: 附件, or the first listed label=. */
static const gw_text *label_word(const gw_doc *d)
{
    for (size_t i = 0; i < d->n_attachments; i++)
        if (listed_attachment(&d->attachments[i]) && d->attachments[i].label.len)
            return &d->attachments[i].label;
    return NULL;
}

static void push_label_word(ctx *c, char_buf *b, const gw_doc *d, gw_role role, double size,
                            gw_pos at)
{
    const gw_text *w = label_word(d);
    if (w)
        push_text(c, b, w, role, size, false);
    else
        push_utf8(c, b, "附件", role, size, at);
}

/* 附件说明 (§7.3.4; docs/standard.md, "附件说明"): one blank row under the body, indented
 * 2 字: "附件：1.××" and the later names under "1.", each wrapped name aligned
 * with its own first character; a single attachment has no number. */
static void set_annex_note(ctx *c, const gw_doc *d)
{
    size_t n = count_listed(d), k = 0;
    if (n == 0)
        return;
    if (c->n_lines > 0)                    /* the 附件说明 follows the body's last line */
        c->lines[c->n_lines - 1].keep_with_next = true;
    add_blank_line(c);
    size_t first = c->n_lines;
    text_run head = { 0 };
    gw_pos at = d->attachments[0].pos;
    push_label_word(c, &head.b, d, GW_ROLE_BODY, c->geo.body_size, at);
    push_utf8(c, &head.b, "：", GW_ROLE_BODY, c->geo.body_size, at);
    int num_x = run_measure(c, &head) ? 2000 + head.width : 2000;
    for (size_t i = 0; i < d->n_attachments && !halted(c); i++) {
        const gw_attachment *a = &d->attachments[i];
        if (!listed_attachment(a))
            continue;
        text_run p = { 0 };
        if (k == 0)
            append_chars(c, &p.b, &head.b);
        if (n > 1) {
            char num[32];
            snprintf(num, sizeof num, "%zu.", k + 1);
            push_utf8(c, &p.b, num, GW_ROLE_BODY, c->geo.body_size, a->pos);
        }
        char_buf b = { 0 };
        push_text(c, &b, &a->title, GW_ROLE_BODY, c->geo.body_size, false);
        size_t line = c->n_lines;
        set_hanging(c, &p, &b, k == 0 ? 2000 : num_x, 0, GW_LINE_BODY);
        /* Later numbers go under "1." where the first line really set it. */
        if (k == 0 && c->n_lines > line && c->lines[line].n > head.b.n)
            num_x = (int)lround(c->lines[line].glyphs[head.b.n].slot_x * 1000.0 / c->geo.cell);
        run_free(&p);
        free(b.v);
        k++;
    }
    run_free(&head);
    /* The 附件说明 stays together (a page may still end inside a long one). */
    for (size_t i = first; i + 1 < c->n_lines; i++)
        c->lines[i].keep_with_next = true;
}

/* The 版记 (§7.4; docs/standard.md, "版记") as a block at the foot of the type area:
 * 抄送 indented 1 字 both sides, wrapped lines after the colon; the 印发机关
 * indented 1 字 and "…印发" 1 字 from the right; 4号; one pitch a line.  The
 * rules: the first and the last 0.35 mm, the one between 0.25 mm, the last on
 * the type area's bottom edge; a letter's 版记 has none.  Returns its rows. */
static int make_record(ctx *c, set_line *blk)
{
    const gw_geometry *g = &c->geo;
    const gw_record *r = c->top->record;
    double size = 14.0, slot = g->pitch;
    int full = g->chars_per_line * 1000;
    size_t at = c->n_lines;
    if (r->cc.len) {
        text_run p = { 0 };
        char_buf b = { 0 };
        push_utf8(c, &p.b, "抄送：", GW_ROLE_BODY, size, r->pos);
        push_text(c, &b, &r->cc, GW_ROLE_BODY, size, false);
        set_hanging(c, &p, &b, 1000, 1000, GW_LINE_RECORD);
        run_free(&p);
        free(b.v);
    }
    size_t cc_lines = c->n_lines - at;
    if (r->distributor.len || r->distributed.len) {
        text_run name = { 0 }, date = { 0 };
        run_text(c, &name, &r->distributor, GW_ROLE_BODY, size);
        run_text(c, &date, &r->distributed, GW_ROLE_BODY, size);
        push_utf8(c, &date.b, "印发", GW_ROLE_BODY, size, r->pos);
        size_t line = c->n_lines;
        if (run_measure(c, &name) && run_measure(c, &date)) {
            if (name.b.n)
                run_set(c, &name, 1000, GW_LINE_RECORD);
            run_set(c, &date, full - 1000 - date.width, GW_LINE_RECORD);
            merge_lines(c, line);
        }
        run_free(&name);
        run_free(&date);
    }
    int rows = (int)(c->n_lines - at);
    bool rules = c->top->kind != GW_KIND_LETTER;
    for (int i = 0; i < rows; i++) {
        set_line *l = &c->lines[at + (size_t)i];
        double slot_top = g->area_bottom + (rows - i) * slot;
        double base = slot_top - slot / 2 + size / 2 - g->ascent * size;
        set_line copy = *l;
        l->glyphs = NULL;
        block_add_line(c, blk, &copy, g->area_left, base, GW_BLACK, GW_LINE_RECORD);
    }
    c->n_lines = at;
    if (rules && rows > 0) {
        double thick = 0.35 * GW_PT_PER_MM, thin = 0.25 * GW_PT_PER_MM;
        block_add_rule(c, blk, g->area_left, g->area_right, g->area_bottom + rows * slot, thick,
                       GW_BLACK);
        if (cc_lines > 0 && (size_t)rows > cc_lines)
            block_add_rule(c, blk, g->area_left, g->area_right,
                           g->area_bottom + (rows - (int)cc_lines) * slot, thin, GW_BLACK);
        block_add_rule(c, blk, g->area_left, g->area_right, g->area_bottom, thick, GW_BLACK);
    }
    return rows;
}

/* The front of a part: the top document's 版头 (v2), the label (a v1 report's
 * own, or an attachment's generated 附件N) on row 1 and the title from row 3
 * (GB/T 9704 §7.3.7) — or the title on the first row after the 版头 —, the
 * subtitle, one blank row, then the 主送 and a minutes' attendance. */
static void set_part_front(ctx *c, const char_buf *label, bool own_label)
{
    const gw_doc *d = c->doc;
    char_buf b = { 0 };
    if (d->header && own_label)
        set_header(c);
    if (label && label->n) {
        append_chars(c, &b, label);
    } else if (own_label && d->label.len) {
        push_text(c, &b, &d->label, GW_ROLE_LABEL, c->geo.label_size, false);
    }
    if (b.n) {
        para_style st = { GW_LINE_LABEL, 0, 0, GW_ALIGN_JUSTIFY, 0, true };
        set_paragraph(c, &b, &st);
        add_blank_line(c);
        b.n = 0;
    }
    if (d->title.len || d->version == 1) {
        set_title(c, &b);
        b.n = 0;
        if (d->subtitle.len) {
            push_text(c, &b, &d->subtitle, GW_ROLE_HEADING2, c->geo.subtitle_size, false);
            para_style sub = { GW_LINE_SUBTITLE, 0, 0, GW_ALIGN_CENTER, 0, true };
            set_paragraph(c, &b, &sub);
        }
        add_blank_line(c);
    }
    free(b.v);
    set_to(c, d);
    set_attendance(c, d);
}

/* A part's body, then its 附件说明, 落款 and 附注. */
static void set_part_body(ctx *c)
{
    const gw_doc *d = c->doc;
    pour(c);
    set_blocks(c, d->blocks, d->n_blocks, 0);
    if (!halted(c))
        set_annex_note(c, d);
    if (d->signature && !halted(c))
        set_signature(c, d);
    else if (!halted(c))
        set_note(c, d);
}

/* Pour the part set so far to its end and finish its last page. */
static void end_part(ctx *c)
{
    c->done = true;
    pour(c);
    c->done = false;
}

/* The attachments bound after d (§7.3.7; docs/standard.md, "附件"): each from a new
 * page, its label 附件N (附件 alone when one is listed) on row 1 and its title
 * on row 3, body and signature as any document, page numbers going on;
 * documents d issues (role="issued") from a new page, title on row 1, no
 * label; an attachment's own attachments after it. */
static void set_attachments(ctx *c, const gw_doc *d)
{
    size_t listed = count_listed(d), k = 0;
    for (size_t i = 0; i < d->n_attachments && !halted(c); i++) {
        const gw_attachment *a = &d->attachments[i];
        k += listed_attachment(a);
        if (!a->bound || !a->doc)
            continue;
        end_part(c);
        c->doc = a->doc;
        c->lb = line_params(a->doc, c->opt);
        char_buf label = { 0 };
        if (listed_attachment(a)) {
            push_label_word(c, &label, d, GW_ROLE_LABEL, c->geo.label_size, a->pos);
            char num[32] = "";
            if (listed > 1)
                snprintf(num, sizeof num, "%zu", k);
            push_utf8(c, &label, num, GW_ROLE_LABEL, c->geo.label_size, a->pos);
        }
        c->pending_break = true;
        set_part_front(c, &label, false);
        free(label.v);
        set_part_body(c);
        set_attachments(c, a->doc);
        c->doc = d;
        c->lb = line_params(d, c->opt);
    }
}

/* ---- pass 2: lines to pages ------------------------------------------- */

bool gw_page_add_glyph(gw_page *p, const gw_glyph *g)
{
    if (!gw_grow(&p->glyphs, &p->cap_glyphs, p->n_glyphs + 1, sizeof *p->glyphs))
        return false;
    p->glyphs[p->n_glyphs++] = *g;
    return true;
}

bool gw_page_add_box(gw_page *p, const gw_line_box *box)
{
    if (!gw_grow(&p->lines, &p->cap_lines, p->n_lines + 1, sizeof *p->lines))
        return false;
    p->lines[p->n_lines++] = *box;
    return true;
}

bool gw_page_add_rule(gw_page *p, const gw_rule *r)
{
    if (!gw_grow(&p->rules, &p->cap_rules, p->n_rules + 1, sizeof *p->rules))
        return false;
    p->rules[p->n_rules++] = *r;
    return true;
}

static bool place_seal(const gw_geometry *g, gw_page *p, const line_seal *s, int row)
{
    double em_centre = gw_row_baseline(g, row, g->body_size) + (g->ascent - 0.5) * g->body_size;
    double cy = em_centre + s->lift;
    gw_image_place im = { s->image, g->area_left + s->cx - s->size / 2, cy - s->size / 2, s->size };
    if (!gw_grow(&p->images, &p->cap_images, p->n_images + 1, sizeof *p->images))
        return false;
    p->images[p->n_images++] = im;
    return true;
}

/* A 版头 or 版记 block: its glyphs, boxes and rules as they were placed. */
static bool place_free(gw_page *p, const set_line *l)
{
    size_t first = p->n_glyphs;
    for (size_t i = 0; i < l->n_free_glyphs; i++)
        if (!gw_page_add_glyph(p, &l->free_glyphs[i]))
            return false;
    for (size_t i = 0; i < l->n_free_boxes; i++) {
        gw_line_box b = l->free_boxes[i];
        b.first += first;
        if (!gw_page_add_box(p, &b))
            return false;
    }
    for (size_t i = 0; i < l->n_free_rules; i++)
        if (!gw_page_add_rule(p, &l->free_rules[i]))
            return false;
    return true;
}

static bool place_line(const gw_geometry *g, gw_page *p, const set_line *l, int row)
{
    for (size_t i = 0; i < l->n_seals; i++)
        if (!place_seal(g, p, &l->seals[i], row))
            return false;
    if (!place_free(p, l))
        return false;
    if (l->n == 0)
        return true;                       /* a blank row: nothing to draw */
    gw_line_box box = { l->kind, row, l->level, gw_row_baseline(g, row, l->size), 0, 0,
                        p->n_glyphs, l->n, l->para_start, l->para_end };
    for (size_t i = 0; i < l->n; i++) {
        const set_glyph *s = &l->glyphs[i];
        gw_glyph gl = { s->face, s->cp, g->area_left + s->slot_x + s->ink_x,
                        gw_row_baseline(g, row, s->size), s->size, s->slot_w, s->bold, s->role,
                        s->color };
        if (!gw_page_add_glyph(p, &gl))
            return false;
    }
    box.x0 = g->area_left + l->glyphs[0].slot_x;
    box.x1 = g->area_left + l->glyphs[l->n - 1].slot_x + l->glyphs[l->n - 1].slot_w;
    return gw_page_add_box(p, &box);
}

/* Grid rows a table needs free to start on a page: its head and its first
 * body row (or a page's worth, when the row is taller). */
static int table_start_rows(const gw_geometry *g, const gw_table_set *ts)
{
    size_t head = table_head_rows(ts), end = head < table_rows(ts) ? head + 1 : head;
    double need = table_height(ts, 0, end);
    double page = g->area_top - g->area_bottom;
    if (need > page)                       /* a row taller than a page starts anywhere */
        need = table_height(ts, 0, head) + 2 * GW_TABLE_LEADING;
    return (int)ceil(need / g->pitch);
}

/* Printed lines of the body among lines[a, b): not the signature block's
 * rows, not blank rows. */
static size_t body_lines(const set_line *lines, size_t a, size_t b)
{
    size_t n = 0;
    for (size_t i = a; i < b; i++)
        n += lines[i].kind != GW_LINE_SIGNATURE && lines[i].n > 0;
    return n;
}

/* When the lines from `at` on keep with a signature block that follows them
 * (the body's last lines, glued to it, or the block's own rows), how many body
 * lines are among them before the block; -1 when no block follows so. */
static long glued_to_signature(const set_line *lines, size_t n, size_t at)
{
    long body = 0;
    for (size_t i = at; i < n; i++) {
        if (lines[i].kind == GW_LINE_SIGNATURE)
            return body;
        if (!lines[i].keep_with_next)
            return -1;
        body += lines[i].n > 0;
    }
    return -1;
}

/* How many lines, from `from`, go in the `rows` grid rows left on a page: all
 * that fit, stopping before a table or a page break, unless the last would keep
 * with the next; then up to two lines fewer. */
static size_t lines_for_page(const gw_geometry *g, const set_line *lines, size_t n, size_t from,
                             int rows, bool fresh)
{
    size_t count = 0;
    while (from + count < n && count < (size_t)rows) {
        if (count > 0 && lines[from + count].page_break_before)
            return count;
        if (lines[from + count].kind == GW_LINE_TABLE)
            break;
        count++;
    }
    if (from + count >= n || lines[from + count].page_break_before)
        return count;
    const set_line *next = &lines[from + count];
    if (next->kind == GW_LINE_TABLE) {
        /* A table that still starts on this page: what precedes it stays here. */
        if (count < (size_t)rows && (int)(rows - count) >= table_start_rows(g, next->table))
            return count;
    } else if (count < (size_t)rows) {
        return count;
    }
    /* A page may end up to two rows short; four when that carries a caption and
     * heading over with their table; twelve when it carries the body's last
     * lines over with a signature block that would not fit (blank rows, issuer,
     * date, and with a seal the rows it reaches into) — the page breaks in the
     * block or just before it: at least two of them, never one alone (GB/T 9704
     * §7.3.5.5), and a paragraph's or heading's keep rules on top. */
    long glued = glued_to_signature(lines, n, from + count);
    size_t max_back = glued >= 0 ? 12 : next->kind == GW_LINE_TABLE ? 4 : 2;
    /* On a page that already holds something (a table above), all of them may go. */
    size_t most = fresh ? count : count + 1;
    for (size_t back = 0; back <= max_back && back < most; back++) {
        if (back == count)
            return 0;
        if (lines[from + count - 1 - back].keep_with_next)
            continue;
        if (glued >= 0 && body_lines(lines, from + count - back, from + count) + (size_t)glued < 2)
            continue;
        return count - back;
    }
    return count;                          /* no better break: keep the grid */
}

static bool add_page_number(const gw_geometry *g, gw_fontset *fonts, gw_page *p, gw_diag *diag,
                            const char *path)
{
    char text[64];
    snprintf(text, sizeof text, "\xE2\x80\x94 %d \xE2\x80\x94", p->number);   /* — N — */
    double size = g->pagenum_size, width = 0;
    gw_glyph glyphs[64];
    size_t n = 0;
    const unsigned char *s = (const unsigned char *)text;
    size_t len = strlen(text);
    while (len > 0 && n < 64) {
        uint32_t cp;
        size_t k = gw_utf8_decode(s, len, &cp);
        gw_face *f = gw_fonts_face_for(fonts, GW_ROLE_PAGENUM, cp);
        if (!f) {
            gw_error(diag, path, 0, 0, "no font can draw the page number character U+%04X",
                     (unsigned)cp);
            return false;
        }
        gw_face_use(f, cp);
        double adv = gw_face_advance(f, cp) * size / 1000.0;
        glyphs[n++] = (gw_glyph){ f, cp, width, 0, size, adv, false, GW_ROLE_PAGENUM, GW_BLACK };
        width += adv;
        s += k;
        len -= k;
    }
    /* The dash's stroke top sits 7 mm below the type area. */
    int xmin, ymin, xmax, ymax;
    double dash_top = 0.35 * size;
    if (gw_face_glyph_box(glyphs[0].face, glyphs[0].cp, &xmin, &ymin, &xmax, &ymax))
        dash_top = ymax * size / 1000.0;
    double baseline = g->area_bottom - g->pagenum_gap - dash_top;
    /* Odd pages right, even pages left, inset one character of its own size. */
    double x0 = p->number % 2 ? g->area_right - size - width : g->area_left + size;
    gw_line_box box = { GW_LINE_PAGENUM, -1, 0, baseline, x0, x0 + width, p->n_glyphs, n,
                        true, true };
    for (size_t i = 0; i < n; i++) {
        glyphs[i].x += x0;
        glyphs[i].y = baseline;
        if (!gw_page_add_glyph(p, &glyphs[i]))
            return false;
    }
    return gw_page_add_box(p, &box);
}

/* The frame a landscape table is set in (GB/T 9704 §8): the A4 page turned a
 * quarter turn, the type area with it; the PDF output turns it back so that the
 * table's head faces the binding edge on odd pages and the outer edge on even
 * ones (the same physical left on both), the page number staying upright where
 * portrait pages have it. */
gw_geometry gw_geometry_landscape(const gw_geometry *g)
{
    gw_geometry l = *g;
    l.page_width = g->page_height;
    l.page_height = g->page_width;
    l.area_left = g->area_bottom;
    l.area_right = g->area_top;
    l.area_bottom = g->page_width - g->area_right;
    l.area_top = g->page_width - g->area_left;
    return l;
}

/* Free what a page holds (what a sink left of it). */
static void page_clear(gw_page *p)
{
    free(p->glyphs);
    free(p->lines);
    free(p->rules);
    free(p->images);
    memset(p, 0, sizeof *p);
}

/* Finish the page being filled: its page number, then out to the sink. */
static bool finish_page(ctx *c)
{
    pager *pg = &c->pg;
    const gw_doc *d = c->top;
    if (d->page_numbers && !pg->unnumbered &&
        !add_page_number(&c->geo, c->fonts, &pg->page, c->diag, d->path))
        return false;
    bool taken = c->sink(c->sink_arg, &pg->page) == 0;
    page_clear(&pg->page);
    pg->open = false;
    c->aborted |= !taken;
    return taken;
}

/* Finish the page being filled (if any) and start the next. */
static bool next_page(ctx *c)
{
    pager *pg = &c->pg;
    const gw_doc *d = c->doc;
    if (pg->open && !finish_page(c))
        return false;
    if (pg->made >= c->max_pages) {
        gw_error(c->diag, d->path, 0, 0,
                 "the document needs more pages than the limit of %ld (raise it with --limit pages=N)",
                 c->max_pages);
        return false;
    }
    gw_page *p = &pg->page;
    p->number = pg->number++;
    p->width = c->geo.page_width;
    p->height = c->geo.page_height;
    p->landscape = pg->landscape;
    pg->open = true;
    /* A letter's first page has no number (GB/T 9704 §10.1). */
    pg->unnumbered = pg->made == 0 && c->top->kind == GW_KIND_LETTER;
    pg->made++;
    pg->row = 0;
    return true;
}

/* Place a table from the current row: the head rows on every page it spans,
 * the body rows page by page, a page ending at a row boundary (a row is cut
 * only when taller than a page).  The body then goes on in the first grid row
 * below the table. */
static bool place_table(ctx *c, gw_table_set *ts, const gw_geometry *g)
{
    pager *pg = &c->pg;
    double page_h = g->area_top - g->area_bottom, gap = 0.25 * g->body_size;
    size_t head = table_head_rows(ts), n = table_rows(ts);
    double head_h = table_height(ts, 0, head), total = table_height(ts, head, n);
    double y = pg->row * g->pitch, off = 0;
    bool head_here = false;
    double caption_h = table_caption_height(ts);
    if (caption_h > 0) {
        if (!table_place_caption(ts, &pg->page, g->area_left, g->area_top - y))
            return false;
        y += caption_h;
    }
    do {
        double room = page_h - y - (head_here ? 0 : head_h), stop = total;
        if (total - off > room + 1e-6) {
            stop = table_cut_rows(ts, head, n, off, off + room, true);
            bool giant = table_row_rest(ts, head, n, off) > page_h - head_h + 1e-6;
            if (stop <= off + 1e-6 && !giant && (y > 0 || head_here)) {
                if (!next_page(c))                 /* not one row fits here */
                    return false;
                y = 0;
                head_here = false;
                continue;
            }
            if (stop <= off + 1e-6)                /* a rowspan taller than a page */
                stop = table_cut_rows(ts, head, n, off, off + room, false);
            if (stop <= off + 1e-6)                /* a row taller than a page starts here */
                stop = table_cut(ts, head, n, off, off + room);
            if (stop <= off + 1e-6)                /* a line taller than a page: cannot be */
                stop = total;
            if (stop < total - 1e-6) {             /* a rowspan's text above the cut */
                stop = table_settle_cut(ts, head, n, stop, off + room);
                total = table_height(ts, head, n);
            }
        }
        if (!head_here && head > 0) {
            if (!table_place(ts, &pg->page, g->area_left, g->area_top - y, 0, head, 0, head_h, true))
                return false;
            y += head_h;
            head_here = true;
        }
        if (stop > off && !table_place(ts, &pg->page, g->area_left, g->area_top - y, head, n, off,
                                       stop, true))
            return false;
        y += stop - off;
        off = stop;
        if (off < total - 1e-6) {
            if (!next_page(c))
                return false;
            y = 0;
            head_here = false;
        }
    } while (off < total - 1e-6);
    pg->row = (int)ceil((y + gap) / g->pitch - 1e-9);
    return true;
}

/* How many rows a last page may gain to keep its 落款: three make 25 rows at
 * 25.9 pt, still 1.6 times the 16 pt body (a sealed block needs five rows: two
 * blank, issuer, date and one for the seal's lower edge, so two were too few
 * for a page that ends a row or so short). */
#define MAX_TIGHTENED_ROWS 3

/* GB/T 9704 §7.3.5.5: when the 落款 does not fit on the last page, the page is
 * tightened before any line is carried to a new page.  When the rest of the
 * document, from line `at` on a fresh page, is the last body lines and the
 * signature block and needs at most MAX_TIGHTENED_ROWS rows more than the page
 * has, the page gets those rows at a smaller pitch (29.6 pt becomes 28.3, 27.0
 * or 25.9 pt); else the page's geometry is g.  While the document is still
 * being set, pour() calls this only with more than lines_per_page +
 * MAX_TIGHTENED_ROWS lines set from `at` on (and the signature, set last, not
 * yet among them): the answer is g, as it will be once the rest is set. */
static const gw_geometry *last_page_geometry(const ctx *c, const gw_geometry *g, size_t at, int row,
                                             gw_geometry *tight)
{
    size_t rest = c->n_lines - at;
    if (row != 0 || rest <= (size_t)g->lines_per_page ||
        rest > (size_t)g->lines_per_page + MAX_TIGHTENED_ROWS ||
        c->lines[c->n_lines - 1].kind != GW_LINE_SIGNATURE)
        return g;
    for (size_t i = at; i < c->n_lines; i++)
        if (c->lines[i].kind == GW_LINE_TABLE || c->lines[i].kind == GW_LINE_HEADER ||
            (i > at && c->lines[i].page_break_before))
            return g;                      /* the 版头's rows are fixed: never tightened */
    *tight = *g;
    tight->lines_per_page = (int)rest;
    tight->pitch = (g->area_top - g->area_bottom - g->body_size) / (tight->lines_per_page - 1);
    return tight;
}

/* Place what comes next, from line c->at: a table, or the lines that go on
 * the rest of the page; moves c->at past them. */
static bool place_next(ctx *c)
{
    const gw_geometry *g = &c->geo;
    pager *pg = &c->pg;
    const set_line *l = &c->lines[c->at];
    bool broken = l->page_break_before && (pg->row > 0 || pg->page.n_glyphs > 0);
    if ((pg->row >= g->lines_per_page || broken) && !next_page(c))
        return false;
    if (l->kind == GW_LINE_TABLE && l->landscape) {
        /* Landscape pages of their own: the body goes on on a new portrait page. */
        bool used = pg->row > 0 || pg->page.n_glyphs > 0;
        pg->landscape = true;
        gw_geometry lg = gw_geometry_landscape(g);
        if (used && !next_page(c))
            return false;
        pg->page.landscape = true;
        pg->row = 0;
        if (!place_table(c, l->table, &lg))
            return false;
        pg->landscape = false;
        pg->row = g->lines_per_page;
        c->at++;
        return true;
    }
    if (l->kind == GW_LINE_TABLE) {
        if (!place_table(c, l->table, g))
            return false;
        c->at++;
        return true;
    }
    size_t at = c->at;
    gw_geometry tight;
    const gw_geometry *pgeo = last_page_geometry(c, g, at, pg->row, &tight);
    size_t take = lines_for_page(pgeo, c->lines, c->n_lines, at, pgeo->lines_per_page - pg->row,
                                 pg->row == 0);
    int first_row = pg->row;
    for (size_t i = 0; i < take; i++) {
        /* A blank row that lands at the top of a page is dropped. */
        if (pg->row == 0 && first_row == 0 && i > 0 && c->lines[at + i].n == 0)
            continue;
        if (!place_line(pgeo, &pg->page, &c->lines[at + i], pg->row++))
            return false;
    }
    /* The page holds its own copy of these glyphs now: free the set lines'
     * as pages are made, so the two copies never both hold the document. */
    for (size_t i = 0; i < take; i++) {
        set_line *done = &c->lines[at + i];
        free(done->glyphs);
        free(done->free_glyphs);
        free(done->free_boxes);
        free(done->free_rules);
        done->glyphs = NULL;
        done->free_glyphs = NULL;
        done->free_boxes = NULL;
        done->free_rules = NULL;
        done->n_free_glyphs = done->n_free_boxes = done->n_free_rules = 0;
    }
    at += take;
    c->at = at;
    if (at < c->n_lines && c->lines[at].kind != GW_LINE_TABLE)
        pg->row = pgeo->lines_per_page;         /* the page is full (or breaks here) */
    else if (at < c->n_lines && take < (size_t)(g->lines_per_page - first_row) &&
             pg->row + table_start_rows(g, c->lines[at].table) > g->lines_per_page)
        pg->row = g->lines_per_page;            /* the table starts on the next page */
    return true;
}

/* Free the first n set lines (their glyphs, where a page did not take them
 * already, and their tables) and move the rest to the front, so the array
 * holds only what waits for a page. */
static void drop_lines(ctx *c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        set_line_free(&c->lines[i]);
    if (n > 0)
        memmove(c->lines, c->lines + n, (c->n_lines - n) * sizeof *c->lines);
    c->n_lines -= n;
    c->at = c->at > n ? c->at - n : 0;
}

/* Pass 2, called after each block: pour onto pages the set lines whose place
 * no line set later can change, then drop them.  A step from c->at looks at
 * most lines_per_page + 1 lines ahead (lines_for_page, the table after a
 * page's lines; last_page_geometry, see there) and back only within its own
 * page, and the keep flags of a block's lines are final once the block is set
 * (a heading's mark on the next line is made as that line comes: set_section;
 * the signature marks the last line set, which a step never reaches).  So a
 * step is taken while a window of 2 × lines_per_page + 8 lines, more than it
 * needs, is set from c->at on; once the document is set (c->done), to the
 * end, and the last page is finished.  After an error nothing is poured: the
 * lines are dropped as they come. */
static void pour(ctx *c)
{
    if (!paging(c)) {
        drop_lines(c, c->n_lines);
        return;
    }
    size_t window = 2 * (size_t)c->geo.lines_per_page + 8;
    if (c->done && !c->pg.open && c->at >= c->n_lines)
        return;                            /* the part ended on a finished page */
    bool ok = c->pg.open || next_page(c);
    while (ok && c->at < c->n_lines && (c->done || c->n_lines - c->at >= window))
        ok = place_next(c);
    if (ok && c->done && !c->keep_open)
        ok = finish_page(c);
    /* A step that failed without saying why (an error, or the sink refusing
     * a page) ran out of memory. */
    if (!ok && !c->aborted && c->diag->errors == c->errors_before)
        c->failed = true;
    drop_lines(c, paging(c) ? c->at : c->n_lines);
}

/* The 版记 at the foot of the last page (GB/T 9704 §7.4) — on an even page
 * when the document is printed on both sides: a page it needs of its own, and
 * the blank page before it that makes it even, carry no number (§7.5). */
static bool place_record(ctx *c)
{
    pager *pg = &c->pg;
    set_line blk = { .kind = GW_LINE_RECORD };
    int rows = make_record(c, &blk);
    bool ok = !halted(c) && (pg->open || next_page(c));
    /* A free row between the body and the 版记's first rule. */
    bool fits = ok && (pg->row == 0 || pg->row + rows + 1 <= c->geo.lines_per_page) &&
                !pg->page.landscape;
    bool duplex = c->top->duplex;
    if (ok && (!fits || (duplex && pg->made % 2 != 0))) {
        bool blank = duplex && (pg->made + 1) % 2 != 0;
        ok = next_page(c);
        if (ok && blank) {
            pg->unnumbered = true;
            ok = next_page(c);
            pg->unnumbered = true;
        }
    }
    ok = ok && place_free(&pg->page, &blk);
    set_line_free(&blk);
    return ok;
}

static void free_images(gw_seal_image **images, size_t n)
{
    for (size_t i = 0; i < n; i++)
        gw_seal_free(images[i]);
    free(images);
}

void gw_layout_free(gw_layout *lay)
{
    if (!lay)
        return;
    for (size_t i = 0; i < lay->n_pages; i++)
        page_clear(&lay->pages[i]);
    free(lay->pages);
    free_images(lay->seals, lay->n_seals);
    free(lay);
}

/* The part's profile attribute, unless the command line chose one. */
static gw_lb_params line_params(const gw_doc *doc, const gw_layout_options *opt)
{
    gw_lb_params p = { 0, 0, gw_lb_default_options() };
    p.opt.profile = doc->profile == GW_PROFILE_WORD_GRID ? GW_LB_WORD_GRID : GW_LB_GB;
    if (opt) {
        if (opt->profile_set)
            p.opt.profile = opt->profile;
        p.opt.strict = opt->strict;
        p.opt.glue_num_han = opt->glue_num_han;
    }
    return p;
}

/* Both entry points: set and pour the whole document — the document, its
 * attachments, its 版记 — each finished page to `sink`.  *images receives the
 * seal images (NULL: freed here), which the pages handed over point at.  0, or
 * -1 after reporting. */
static int layout_run(const gw_doc *doc, gw_fontset *fonts, const gw_layout_options *opt,
                      page_sink sink, void *sink_arg, gw_diag *diag, gw_seal_image ***images,
                      size_t *n_images)
{
    ctx c = { .top = doc, .doc = doc, .opt = opt, .fonts = fonts, .diag = diag,
              .geo = gw_geometry_gbt9704(), .lb = line_params(doc, opt), .sink = sink,
              .sink_arg = sink_arg };
    c.max_pages = opt && opt->max_pages > 0 ? opt->max_pages : gw_limits_default().pages;
    c.errors_before = diag->errors;
    c.pg.number = doc->first_page_number;
    set_part_front(&c, NULL, true);
    set_part_body(&c);
    set_attachments(&c, doc);
    c.keep_open = doc->record != NULL;
    end_part(&c);
    if (doc->record && paging(&c)) {
        bool ok = place_record(&c) && finish_page(&c);
        if (!ok && !c.aborted && c.diag->errors == c.errors_before)
            c.failed = true;
    }
    if (c.failed)
        gw_error(diag, doc->path, 0, 0, "out of memory during layout");
    drop_lines(&c, c.n_lines);
    free(c.lines);
    page_clear(&c.pg.page);                /* a page left unfinished by an error */
    if (opt && opt->peak_set_lines)
        *opt->peak_set_lines = c.peak_lines;
    int rc = paging(&c) && !c.failed ? 0 : -1;
    if (images && rc == 0) {
        *images = c.images;
        *n_images = c.n_images;
    } else {
        free_images(c.images, c.n_images);
    }
    return rc;
}

/* gw_layout_stream's sink: the caller's function, which sees the page read-only. */
typedef struct stream_sink {
    gw_page_fn on_page;
    void *arg;
} stream_sink;

static int hand_to_caller(void *arg, gw_page *page)
{
    const stream_sink *s = arg;
    return s->on_page(s->arg, page);
}

int gw_layout_stream(const gw_doc *doc, gw_fontset *fonts, const gw_layout_options *opt,
                     gw_page_fn on_page, void *arg, gw_diag *diag)
{
    stream_sink s = { on_page, arg };
    return layout_run(doc, fonts, opt, hand_to_caller, &s, diag, NULL, NULL);
}

/* gw_layout_document's sink: keeps each page, taking its arrays as they are. */
typedef struct collector {
    gw_layout *lay;
    gw_diag *diag;
    const char *path;
} collector;

static int collect_page(void *arg, gw_page *page)
{
    collector *col = arg;
    gw_layout *lay = col->lay;
    if (!gw_grow(&lay->pages, &lay->cap_pages, lay->n_pages + 1, sizeof *lay->pages)) {
        gw_error(col->diag, col->path, 0, 0, "out of memory during layout");
        return -1;
    }
    lay->pages[lay->n_pages++] = *page;
    memset(page, 0, sizeof *page);         /* the layout's now: nothing left to free */
    return 0;
}

gw_layout *gw_layout_document(const gw_doc *doc, gw_fontset *fonts, const gw_layout_options *opt,
                              gw_diag *diag)
{
    gw_layout *lay = calloc(1, sizeof *lay);
    if (!lay) {
        gw_error(diag, doc->path, 0, 0, "out of memory during layout");
        return NULL;
    }
    lay->geo = gw_geometry_gbt9704();
    collector col = { lay, diag, doc->path };
    if (layout_run(doc, fonts, opt, collect_page, &col, diag, &lay->seals, &lay->n_seals) != 0) {
        gw_layout_free(lay);
        return NULL;
    }
    return lay;
}
