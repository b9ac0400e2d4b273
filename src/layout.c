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
 * lines it placed, so the memory held does not grow with the document.  No PDF
 * calls here. */
#include "layout.h"
#include "table.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
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
} set_glyph;

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
    const gw_seal_image *seal;  /* the signature's seal, centred on seal_cx (pt from the
                                   type area's left), 2.5 mm above this row's em centre */
    double seal_cx, seal_size;
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
    int number;              /* the printed number of the next page begun */
    bool landscape;          /* new pages are landscape pages (a landscape table) */
    long made;               /* pages begun: what the pages limit counts */
} pager;

typedef struct ctx {
    const gw_doc *doc;
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
    bool done;               /* every block is set: pour to the end */
    bool pending_break;      /* a <pagebreak/> waits for the next line */
    bool keep_pending;       /* the next line added keeps with the next (after a heading) */
    int errors_before;       /* diag->errors when the layout began */
    long max_pages;          /* the pages limit */
    gw_lb_params lb;         /* line-breaking profile and options */
    gw_seal_image *seal;     /* loaded by set_signature, owned until the layout ends */
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

static bool add_line(ctx *c, set_line *l)
{
    if (!gw_grow(&c->lines, &c->cap_lines, c->n_lines + 1, sizeof *c->lines)) {
        free(l->glyphs);
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

static void set_section(ctx *c, const gw_block *sec, int number)
{
    char num[64] = "";
    if (sec->numbered)
        gw_format_number(sec->level, number, num, sizeof num);
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

/* Label on row 1, title from row 3 (GB/T 9704 §7.3.7), subtitle under it, then
 * one blank row before the body. */
static void set_front_matter(ctx *c)
{
    const gw_doc *d = c->doc;
    char_buf b = { 0 };
    if (d->label.len) {
        push_text(c, &b, &d->label, GW_ROLE_LABEL, c->geo.label_size, false);
        para_style st = { GW_LINE_LABEL, 0, 0, GW_ALIGN_JUSTIFY, 0, true };
        set_paragraph(c, &b, &st);
        add_blank_line(c);
        b.n = 0;
    }
    set_title(c, &b);
    b.n = 0;
    if (d->subtitle.len) {
        push_text(c, &b, &d->subtitle, GW_ROLE_HEADING2, c->geo.subtitle_size, false);
        para_style sub = { GW_LINE_SUBTITLE, 0, 0, GW_ALIGN_CENTER, 0, true };
        set_paragraph(c, &b, &sub);
    }
    free(b.v);
    add_blank_line(c);
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

/* 落款 with a seal (GB/T 9704 §7.3.5.1, ../shared/gbt9704.md §10.1): the date
 * right-indented 4 字, the issuer on the row above centred on the date, the
 * seal centred on both with its centre 2.5 mm above the issuer's em centre (so
 * both sit below the centre).  The issuer goes as few rows below the body as
 * keep the seal's top off the last body line — its top is then within one row
 * of it — and rows are kept free under the date for the seal's lower part. */
static void set_sealed_signature(ctx *c, const gw_signature *sig, const char_buf *issuer,
                                 gw_face **fi, gw_lb_item *ii, int wi, const char_buf *date,
                                 gw_face **fd, gw_lb_item *id, int wd)
{
    const gw_geometry *g = &c->geo;
    char *path = seal_path(c->doc, sig->seal_src);
    c->failed |= path == NULL;
    gw_seal_image *img = path ? gw_seal_load(path, c->doc->path, sig->seal_pos.line,
                                             sig->seal_pos.col, c->diag) : NULL;
    free(path);
    if (!img)
        return;
    double d_mm = sig->seal_diameter_mm > 0 ? sig->seal_diameter_mm
                : img->width_mm > 0 ? img->width_mm : 42.0;
    double size = d_mm * GW_PT_PER_MM, lift = 2.5 * GW_PT_PER_MM, half_em = g->body_size / 2;
    int full = g->chars_per_line * 1000;
    int date_start = full - 4000 - wd, issuer_start = date_start + (wd - wi) / 2;
    if (issuer_start + wi > full)
        issuer_start = full - wi;
    double seal_cx = (date_start + wd / 2.0) * g->cell / 1000.0;
    if (date_start < 0 || issuer_start < 0 || size > g->area_right - g->area_left) {
        gw_error(c->diag, c->doc->path, sig->pos.line, sig->pos.col,
                 "the signature's issuer or date, or its %.0f mm seal, is wider than the type area",
                 d_mm);
        gw_seal_free(img);
        return;
    }
    c->seal = img;
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
    if (issuer->n)
        set_solid_line(c, issuer, fi, ii, wi, issuer_start, GW_LINE_SIGNATURE);
    else
        add_signature_blank(c);
    if (c->n_lines > issuer_line) {
        c->lines[issuer_line].seal = img;
        c->lines[issuer_line].seal_cx = seal_cx;
        c->lines[issuer_line].seal_size = size;
    }
    set_solid_line(c, date, fd, id, wd, date_start, GW_LINE_SIGNATURE);
    for (int i = 0; i < below; i++)
        add_signature_blank(c);
    if (c->n_lines > 0)                    /* none only when out of memory */
        c->lines[c->n_lines - 1].keep_with_next = false;
}

/* 落款 without a seal (GB/T 9704 §7.3.5.2): one blank line below the body, the
 * issuer right-indented 2 字, the date on the next line starting 2 字 right of
 * the issuer's start; a date that would then pass the 2 字 right indent is
 * right-indented 2 字 and the issuer moves left to keep the 2 字 offset.  The
 * block keeps with the last body line, so it is never alone on a page. */
static void set_plain_signature(ctx *c, const gw_signature *sig, const char_buf *issuer,
                                gw_face **fi, gw_lb_item *ii, int wi, const char_buf *date,
                                gw_face **fd, gw_lb_item *id, int wd)
{
    int full = c->geo.chars_per_line * 1000, indent = 2000;
    int issuer_start = full - indent - wi, date_start = issuer_start + indent;
    if (date_start + wd > full - indent) {
        date_start = full - indent - wd;
        issuer_start = date_start - indent;
    }
    if (issuer_start < 0 || date_start < 0) {
        gw_error(c->diag, c->doc->path, sig->pos.line, sig->pos.col,
                 "the signature's issuer or date is longer than a line");
        return;
    }
    if (c->n_lines > 0)
        c->lines[c->n_lines - 1].keep_with_next = true;
    add_signature_blank(c);
    if (issuer->n)
        set_solid_line(c, issuer, fi, ii, wi, issuer_start, GW_LINE_SIGNATURE);
    set_solid_line(c, date, fd, id, wd, date_start, GW_LINE_SIGNATURE);
    if (c->n_lines > 0)                    /* none only when out of memory */
        c->lines[c->n_lines - 1].keep_with_next = false;
}

/* The 落款: issuer and date (a blank 年　月　日 to sign by hand when no date is
 * given), with or without the seal. */
static void set_signature(ctx *c, const gw_signature *sig)
{
    char_buf issuer = { 0 }, date = { 0 };
    push_text(c, &issuer, &sig->issuer, GW_ROLE_BODY, c->geo.body_size, false);
    if (sig->has_date)
        push_text(c, &date, &sig->date, GW_ROLE_BODY, c->geo.body_size, false);
    else
        push_utf8(c, &date, "年\u3000月\u3000日", GW_ROLE_BODY, c->geo.body_size, sig->pos);
    gw_face **fi = resolve_faces(c, &issuer), **fd = resolve_faces(c, &date);
    gw_lb_item *ii = fi ? items_of(c, &issuer, fi) : NULL, *id = fd ? items_of(c, &date, fd) : NULL;
    if (ii && id) {
        int wi = gw_lb_span_width(ii, 0, issuer.n, &c->lb.opt);
        int wd = gw_lb_span_width(id, 0, date.n, &c->lb.opt);
        if (sig->seal_src)
            set_sealed_signature(c, sig, &issuer, fi, ii, wi, &date, fd, id, wd);
        else
            set_plain_signature(c, sig, &issuer, fi, ii, wi, &date, fd, id, wd);
    }
    free(ii);
    free(id);
    free(fi);
    free(fd);
    free(issuer.v);
    free(date.v);
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

static bool place_seal(const gw_geometry *g, gw_page *p, const set_line *l, int row)
{
    double em_centre = gw_row_baseline(g, row, g->body_size) + (g->ascent - 0.5) * g->body_size;
    double cy = em_centre + 2.5 * GW_PT_PER_MM;
    gw_image_place im = { l->seal, g->area_left + l->seal_cx - l->seal_size / 2,
                          cy - l->seal_size / 2, l->seal_size };
    if (!gw_grow(&p->images, &p->cap_images, p->n_images + 1, sizeof *p->images))
        return false;
    p->images[p->n_images++] = im;
    return true;
}

static bool place_line(const gw_geometry *g, gw_page *p, const set_line *l, int row)
{
    if (l->seal && !place_seal(g, p, l, row))
        return false;
    if (l->n == 0)
        return true;                       /* a blank row: nothing to draw */
    gw_line_box box = { l->kind, row, l->level, gw_row_baseline(g, row, l->size), 0, 0,
                        p->n_glyphs, l->n, l->para_start, l->para_end };
    for (size_t i = 0; i < l->n; i++) {
        const set_glyph *s = &l->glyphs[i];
        gw_glyph gl = { s->face, s->cp, g->area_left + s->slot_x + s->ink_x,
                        gw_row_baseline(g, row, s->size), s->size, s->slot_w, s->bold, s->role };
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
     * heading over with their table; eight when it carries the body's last two
     * lines (never one alone) over with a signature block that would not fit
     * (blank rows, issuer, date, and with a seal the rows it reaches into). */
    size_t max_back = next->kind == GW_LINE_SIGNATURE ? 8 : next->kind == GW_LINE_TABLE ? 4 : 2;
    /* On a page that already holds something (a table above), all of them may go. */
    size_t most = fresh ? count : count + 1;
    for (size_t back = 0; back <= max_back && back < most; back++)
        if (back == count || !lines[from + count - 1 - back].keep_with_next)
            return count - back;
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
        glyphs[n++] = (gw_glyph){ f, cp, width, 0, size, adv, false, GW_ROLE_PAGENUM };
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
    const gw_doc *d = c->doc;
    if (d->page_numbers && !add_page_number(&c->geo, c->fonts, &pg->page, c->diag, d->path))
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
    pg->made++;
    pg->row = 0;
    return true;
}

/* Place a table from the current row: the head rows on every page it spans,
 * the body rows page by page, a page ending at a row boundary (a row is cut
 * only when taller than a page).  The body then goes on in the first grid row
 * below the table. */
static bool place_table(ctx *c, const gw_table_set *ts, const gw_geometry *g)
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

/* GB/T 9704 §7.3.5.5: when the 落款 does not fit on the last page, the page is
 * tightened before any line is carried to a new page.  When the rest of the
 * document, from line `at` on a fresh page, is the last body lines and the
 * signature block and needs one or two rows more than the page has, the page
 * gets those rows at a smaller pitch (29.6 pt becomes 28.3 or 27.0 pt); else
 * the page's geometry is g.  While the document is still being set, pour()
 * calls this only with more than lines_per_page + 2 lines set from `at` on (and
 * the signature, set last, not yet among them): the answer is g, as it will be
 * once the rest is set. */
static const gw_geometry *last_page_geometry(const ctx *c, const gw_geometry *g, size_t at, int row,
                                             gw_geometry *tight)
{
    size_t rest = c->n_lines - at;
    if (row != 0 || rest <= (size_t)g->lines_per_page || rest > (size_t)g->lines_per_page + 2 ||
        c->lines[c->n_lines - 1].kind != GW_LINE_SIGNATURE)
        return g;
    for (size_t i = at; i < c->n_lines; i++)
        if (c->lines[i].kind == GW_LINE_TABLE || (i > at && c->lines[i].page_break_before))
            return g;
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
        free(c->lines[at + i].glyphs);
        c->lines[at + i].glyphs = NULL;
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
    for (size_t i = 0; i < n; i++) {
        free(c->lines[i].glyphs);
        table_free(c->lines[i].table);
    }
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
    bool ok = c->pg.open || next_page(c);
    while (ok && c->at < c->n_lines && (c->done || c->n_lines - c->at >= window))
        ok = place_next(c);
    if (ok && c->done)
        ok = finish_page(c);
    /* A step that failed without saying why (an error, or the sink refusing
     * a page) ran out of memory. */
    if (!ok && !c->aborted && c->diag->errors == c->errors_before)
        c->failed = true;
    drop_lines(c, paging(c) ? c->at : c->n_lines);
}

void gw_layout_free(gw_layout *lay)
{
    if (!lay)
        return;
    for (size_t i = 0; i < lay->n_pages; i++)
        page_clear(&lay->pages[i]);
    free(lay->pages);
    gw_seal_free(lay->seal);
    free(lay);
}

/* The document's profile attribute, unless the command line chose one. */
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

/* Both entry points: set and pour the whole document, each finished page to
 * `sink`.  *seal receives the seal image (NULL: freed here), which the pages
 * handed over point at.  0, or -1 after reporting. */
static int layout_run(const gw_doc *doc, gw_fontset *fonts, const gw_layout_options *opt,
                      page_sink sink, void *sink_arg, gw_diag *diag, gw_seal_image **seal)
{
    ctx c = { .doc = doc, .fonts = fonts, .diag = diag, .geo = gw_geometry_gbt9704(),
              .lb = line_params(doc, opt), .sink = sink, .sink_arg = sink_arg };
    c.max_pages = opt && opt->max_pages > 0 ? opt->max_pages : gw_limits_default().pages;
    c.errors_before = diag->errors;
    c.pg.number = doc->first_page_number;
    set_front_matter(&c);
    pour(&c);
    set_blocks(&c, doc->blocks, doc->n_blocks, 0);
    if (doc->signature && !halted(&c))
        set_signature(&c, doc->signature);
    c.done = true;
    pour(&c);
    if (c.failed)
        gw_error(diag, doc->path, 0, 0, "out of memory during layout");
    drop_lines(&c, c.n_lines);
    free(c.lines);
    page_clear(&c.pg.page);                /* a page left unfinished by an error */
    if (opt && opt->peak_set_lines)
        *opt->peak_set_lines = c.peak_lines;
    int rc = paging(&c) ? 0 : -1;
    if (seal && rc == 0)
        *seal = c.seal;
    else
        gw_seal_free(c.seal);
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
    return layout_run(doc, fonts, opt, hand_to_caller, &s, diag, NULL);
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
    if (layout_run(doc, fonts, opt, collect_page, &col, diag, &lay->seal) != 0) {
        gw_layout_free(lay);
        return NULL;
    }
    return lay;
}
