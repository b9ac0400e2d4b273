/* table — measuring and placing format-v1 tables (see table.h).
 *
 * Called by layout.c: table_measure while the blocks are set, table_place and
 * table_cut while the pages are made.  Coordinates inside a measured table are
 * offsets in points: x from the table's left edge, y down from the top of the
 * table's first row. */
#include "table.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "utf8.h"

#define PAD_X (1.5 * GW_PT_PER_MM)   /* text to the vertical rules */
#define PAD_Y 1.5                    /* text's line box to the horizontal rules */
#define CAPTION_SIZE 16.0            /* 三号 */
#define CAPTION_GAP 6.0              /* caption to the table */
/* The ideographic em box: 0.88 em above the baseline (as the body's, layout.h). */
#define ASCENT 0.88

/* A glyph of a cell, x from the table's left edge, baseline y down from the top
 * of the cell's first row. */
typedef struct cell_glyph {
    gw_face *face;
    uint32_t cp;
    double x, baseline, advance, size;
    bool bold;
    gw_role role;
} cell_glyph;

typedef struct tcell {
    size_t row, col, rowspan, colspan;
    cell_glyph *g;
    size_t n_g;
    size_t n_lines;
    double text_top;      /* first line box's top, down from the cell's top */
} tcell;

struct gw_table_set {
    size_t n_cols, n_rows, n_head;
    double *col_x;        /* n_cols + 1 edges from the table's left edge */
    double left;          /* the table's left edge from the type area's left edge */
    double *row_y;        /* n_rows + 1 row tops, down from the first row's top */
    tcell *cells;
    size_t n_cells;
    tcell caption;        /* a landscape table's caption, set above its head */
    double caption_h;     /* 0: none */
};

void table_free(gw_table_set *ts)
{
    if (!ts)
        return;
    for (size_t i = 0; i < ts->n_cells; i++)
        free(ts->cells[i].g);
    free(ts->cells);
    free(ts->caption.g);
    free(ts->col_x);
    free(ts->row_y);
    free(ts);
}

size_t table_rows(const gw_table_set *ts)
{
    return ts->n_rows;
}

size_t table_head_rows(const gw_table_set *ts)
{
    return ts->n_head;
}

double table_height(const gw_table_set *ts, size_t r0, size_t r1)
{
    return ts->row_y[r1] - ts->row_y[r0];
}

/* ---- columns ------------------------------------------------------------- */

/* Column edges: "N mm" columns take their width, "N*" columns share the rest
 * in proportion; no <col>: equal columns.  A table of millimetre columns only,
 * narrower than the type area, is centred. */
static bool column_edges(gw_table_set *ts, const gw_table *t, gw_pos pos, const table_env *env)
{
    size_t n = ts->n_cols;
    double *w = calloc(n ? n : 1, sizeof *w);
    ts->col_x = calloc(n + 1, sizeof *ts->col_x);
    if (!w || !ts->col_x) {
        free(w);
        return false;
    }
    double fixed = 0, stars = 0;
    for (size_t i = 0; i < n; i++) {
        const char *s = i < t->n_cols ? t->col_widths[i] : "*";
        char *end = NULL;
        double v = strtod(s, &end);
        if (end == s)
            v = 1;                                  /* "*" */
        if (end && !strcmp(end, "mm")) {
            w[i] = v * GW_PT_PER_MM;
            fixed += w[i];
        } else {
            w[i] = -v;                              /* a share, resolved below */
            stars += v;
        }
    }
    if (fixed > env->area_width + 0.01) {
        gw_error(env->diag, env->path, pos.line, pos.col,
                 "the table's columns of fixed width add up to %.1f mm, more than the %.0f mm "
                 "of the type area", fixed / GW_PT_PER_MM, env->area_width / GW_PT_PER_MM);
        free(w);
        return false;
    }
    double total = 0;
    for (size_t i = 0; i < n; i++) {
        if (w[i] < 0)
            w[i] = (env->area_width - fixed) * -w[i] / stars;
        ts->col_x[i + 1] = ts->col_x[i] + w[i];
        total += w[i];
    }
    ts->left = (env->area_width - total) / 2;
    free(w);
    return true;
}

/* ---- cell text ------------------------------------------------------------ */

/* The face of each character of a cell, reported like body text when none. */
static bool cell_faces(const gw_text *text, gw_role role, const table_env *env, gw_face **faces)
{
    bool ok = true;
    for (size_t i = 0; i < text->len; i++) {
        uint32_t cp = text->cp[i];
        faces[i] = cp == GW_CP_LINE_BREAK ? NULL : gw_fonts_face_for(env->fonts, role, cp);
        if (faces[i] && (text->flags[i] & GW_CH_BOLD)) {
            gw_face *bold = gw_fonts_bold_face(env->fonts, faces[i]);
            if (bold && gw_face_has(bold, cp))
                faces[i] = bold;                  /* <b>: the family's bold face */
        }
        if (!faces[i] && cp != GW_CP_LINE_BREAK) {
            char utf8[8] = { 0 };
            gw_utf8_encode(cp, utf8);
            gw_error(env->diag, env->path, text->pos[i].line, text->pos[i].col,
                     "no font can draw '%s' (U+%04X) in the %s role (%s); install a face "
                     "that has it or name one with --font %s=PATH", utf8, (unsigned)cp,
                     gw_role_name(role), gw_role_design(role), gw_role_name(role));
            ok = false;
        }
    }
    return ok;
}

/* How a cell's (or the caption's) text is set. */
typedef struct text_style {
    gw_role role;
    gw_align align;
    double size, leading;
} text_style;

/* Set one broken line: glyphs at x from the text's left edge x0. */
static bool set_cell_line(tcell *tc, const gw_text *text, gw_face **faces, const gw_lb_item *items,
                          const gw_lb_line *ln, const gw_lb_params *lb, const text_style *st,
                          double x0, double baseline, gw_lb_place *places)
{
    gw_align align = st->align;
    gw_role role = st->role;
    if (gw_place_line(items, ln, lb, align == GW_ALIGN_JUSTIFY, places) != 0)
        return false;
    int shift = 0;
    if (align == GW_ALIGN_CENTER)
        shift = (ln->avail - ln->width - ln->lead_blank) / 2;
    else if (align == GW_ALIGN_RIGHT)
        shift = ln->avail - ln->width;
    double unit = st->size / 1000.0;
    for (size_t i = ln->start; i < ln->end; i++) {
        const gw_lb_place *pl = &places[i - ln->start];
        if (!faces[i] || pl->slot == 0)
            continue;
        /* The part of the glyph the rules kept is centred in its slot. */
        double kept = items[i].width - pl->trim_left - pl->trim_right;
        double ink = (pl->slot - kept) / 2.0 - pl->trim_left;
        cell_glyph *g = &tc->g[tc->n_g++];
        *g = (cell_glyph){ faces[i], text->cp[i], x0 + (shift + pl->x + ink) * unit, baseline,
                           pl->slot * unit, st->size,
                           (text->flags[i] & GW_CH_BOLD) && !gw_face_is_bold(faces[i]), role };
        gw_face_use(faces[i], text->cp[i]);
    }
    return true;
}

/* Break text into lines `width` wide starting at x0; glyph baselines relative
 * to the first line box's top (moved when the row heights are known). */
static int set_text(tcell *tc, const gw_text *text, const text_style *st, double x0, double width,
                    const table_env *env)
{
    size_t n = text->len;
    gw_face **faces = calloc(n ? n : 1, sizeof *faces);
    gw_lb_item *items = malloc((n ? n : 1) * sizeof *items);
    gw_lb_place *places = malloc((n ? n : 1) * sizeof *places);
    tc->g = calloc(n ? n : 1, sizeof *tc->g);
    gw_lb_line *lines = NULL;
    size_t n_lines = 0;
    int rc = -1;                                  /* -1 out of memory, 1 reported, 0 done */
    if (!faces || !items || !places || !tc->g)
        goto out;
    if (!cell_faces(text, st->role, env, faces)) {
        rc = 1;
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        items[i] = (gw_lb_item){ text->cp[i], faces[i] ? gw_face_advance(faces[i], text->cp[i]) : 0 };
    gw_lb_params p = *env->lb;
    p.line_width = (int)floor(width / st->size * 1000.0);
    if (p.line_width < 1000)
        p.line_width = 1000;                      /* at least one character a line */
    p.first_indent = 0;
    if (gw_break_paragraph(items, n, &p, &lines, &n_lines) != 0)
        goto out;
    double em_top = (st->leading - st->size) / 2;
    for (size_t i = 0; i < n_lines; i++) {
        double baseline = i * st->leading + em_top + ASCENT * st->size;
        if (!set_cell_line(tc, text, faces, items, &lines[i], &p, st, x0, baseline, places))
            goto out;
    }
    tc->n_lines = n_lines;
    rc = 0;
out:
    free(lines);
    free(places);
    free(items);
    free(faces);
    return rc;
}

/* A cell: 12 pt, th in 黑体 and centred, td justified, unless align says. */
static int set_cell(tcell *tc, const gw_cell *cell, const gw_table_set *ts, const table_env *env)
{
    text_style st = { cell->header ? GW_ROLE_HEADING1 : GW_ROLE_BODY,
                      cell->align_set ? cell->align : cell->header ? GW_ALIGN_CENTER : GW_ALIGN_JUSTIFY,
                      GW_TABLE_TEXT_SIZE, GW_TABLE_LEADING };
    double x0 = ts->col_x[tc->col] + PAD_X;
    double inner = ts->col_x[tc->col + tc->colspan] - ts->col_x[tc->col] - 2 * PAD_X;
    return set_text(tc, &cell->text, &st, x0, inner, env);
}

/* A landscape table's caption, above it on its first page: centred 3号黑体. */
static int set_caption(gw_table_set *ts, const gw_text *caption, const table_env *env)
{
    text_style st = { GW_ROLE_HEADING1, GW_ALIGN_CENTER, CAPTION_SIZE, CAPTION_SIZE * 1.5 };
    int rc = set_text(&ts->caption, caption, &st, 0, ts->col_x[ts->n_cols], env);
    if (rc == 0)
        ts->caption_h = ts->caption.n_lines * st.leading + CAPTION_GAP;
    return rc;
}

double table_caption_height(const gw_table_set *ts)
{
    return ts->caption_h;
}

bool table_place_caption(const gw_table_set *ts, gw_page *p, double area_left, double top)
{
    double left = area_left + ts->left;
    const tcell *tc = &ts->caption;
    size_t first = p->n_glyphs;
    for (size_t k = 0; k < tc->n_g; k++) {
        const cell_glyph *g = &tc->g[k];
        gw_glyph gl = { g->face, g->cp, left + g->x, top - g->baseline, g->size, g->advance,
                        g->bold, g->role, GW_BLACK };
        if (!gw_page_add_glyph(p, &gl))
            return false;
    }
    if (p->n_glyphs == first)
        return true;
    gw_line_box box = { GW_LINE_HEADING, -1, 0, top - tc->g[0].baseline, left,
                        left + ts->col_x[ts->n_cols], first, p->n_glyphs - first, true, true };
    return gw_page_add_box(p, &box);
}

/* ---- rows ------------------------------------------------------------------ */

static double cell_height(const tcell *tc)
{
    size_t lines = tc->n_lines ? tc->n_lines : 1;
    return lines * GW_TABLE_LEADING + 2 * PAD_Y;
}

/* Row tops: each row as tall as its one-row cells; a rowspan cell taller than
 * its rows makes its last row taller. */
static bool row_tops(gw_table_set *ts)
{
    double *h = calloc(ts->n_rows ? ts->n_rows : 1, sizeof *h);
    ts->row_y = calloc(ts->n_rows + 1, sizeof *ts->row_y);
    if (!h || !ts->row_y) {
        free(h);
        return false;
    }
    for (size_t r = 0; r < ts->n_rows; r++)
        h[r] = GW_TABLE_LEADING + 2 * PAD_Y;
    for (size_t i = 0; i < ts->n_cells; i++)
        if (ts->cells[i].rowspan == 1 && cell_height(&ts->cells[i]) > h[ts->cells[i].row])
            h[ts->cells[i].row] = cell_height(&ts->cells[i]);
    for (size_t i = 0; i < ts->n_cells; i++) {
        const tcell *tc = &ts->cells[i];
        double have = 0;
        for (size_t r = tc->row; r < tc->row + tc->rowspan; r++)
            have += h[r];
        if (tc->rowspan > 1 && cell_height(tc) > have)
            h[tc->row + tc->rowspan - 1] += cell_height(tc) - have;
    }
    for (size_t r = 0; r < ts->n_rows; r++)
        ts->row_y[r + 1] = ts->row_y[r] + h[r];
    free(h);
    return true;
}

/* Centre each cell's text vertically in its rows. */
static void centre_text(gw_table_set *ts)
{
    for (size_t i = 0; i < ts->n_cells; i++) {
        tcell *tc = &ts->cells[i];
        double room = ts->row_y[tc->row + tc->rowspan] - ts->row_y[tc->row];
        double text = tc->n_lines * GW_TABLE_LEADING;
        tc->text_top = (room - text) / 2;
        for (size_t k = 0; k < tc->n_g; k++)
            tc->g[k].baseline += tc->text_top;
    }
}

/* Every cell of the table, plus an empty cell for each grid slot none covers
 * (so every slot has its rules). */
static bool collect_cells(gw_table_set *ts, const gw_table *t)
{
    size_t slots = ts->n_rows * ts->n_cols;
    bool *busy = calloc(slots + 1, sizeof *busy);
    ts->cells = calloc(slots + 1, sizeof *ts->cells);   /* never more cells than slots */
    if (!busy || !ts->cells) {
        free(busy);
        return false;
    }
    for (size_t r = 0; r < t->n_rows; r++) {
        for (size_t i = 0; i < t->rows[r].n_cells; i++) {
            const gw_cell *c = &t->rows[r].cells[i];
            tcell *tc = &ts->cells[ts->n_cells++];
            *tc = (tcell){ .row = r, .col = (size_t)c->col, .rowspan = (size_t)c->rowspan,
                           .colspan = (size_t)c->colspan };
            for (size_t dr = 0; dr < tc->rowspan; dr++)
                for (size_t dc = 0; dc < tc->colspan; dc++)
                    busy[(r + dr) * ts->n_cols + tc->col + dc] = true;
        }
    }
    for (size_t s = 0; s < slots; s++)
        if (!busy[s])
            ts->cells[ts->n_cells++] = (tcell){ .row = s / ts->n_cols, .col = s % ts->n_cols,
                                                .rowspan = 1, .colspan = 1 };
    free(busy);
    return true;
}

gw_table_set *table_measure(const gw_table *t, gw_pos pos, const table_env *env, bool with_caption,
                            bool *oom)
{
    gw_table_set *ts = calloc(1, sizeof *ts);
    if (!ts) {
        *oom = true;
        return NULL;
    }
    ts->n_cols = t->n_grid_cols;
    ts->n_rows = t->n_rows;
    ts->n_head = t->n_head_rows;
    if (!column_edges(ts, t, pos, env)) {
        *oom = ts->col_x == NULL;
        table_free(ts);
        return NULL;
    }
    bool ok = collect_cells(ts, t);
    int errors = 0;
    size_t k = 0;
    for (size_t r = 0; ok && r < t->n_rows; r++) {
        for (size_t i = 0; ok && i < t->rows[r].n_cells; i++, k++) {
            int rc = set_cell(&ts->cells[k], &t->rows[r].cells[i], ts, env);
            ok = rc >= 0;
            errors += rc > 0;
        }
    }
    if (ok && with_caption && t->caption.len > 0) {
        int rc = set_caption(ts, &t->caption, env);
        ok = rc >= 0;
        errors += rc > 0;
    }
    ok = ok && row_tops(ts);
    if (!ok || errors) {
        *oom = !ok;
        table_free(ts);
        return NULL;
    }
    centre_text(ts);
    return ts;
}

/* ---- placing -------------------------------------------------------------- */

/* True when a line of text of rows [r0, r1) crosses offset `at` (from the
 * rows' top); *line_top is then the top of the first such line. */
static bool cuts_text(const gw_table_set *ts, size_t r0, size_t r1, double at, double *line_top)
{
    double base = ts->row_y[r0];
    bool cuts = false;
    for (size_t i = 0; i < ts->n_cells; i++) {
        const tcell *tc = &ts->cells[i];
        if (tc->row < r0 || tc->row >= r1)
            continue;
        double top = ts->row_y[tc->row] - base + tc->text_top;
        for (size_t l = 0; l < tc->n_lines; l++) {
            double a = top + l * GW_TABLE_LEADING, b = a + GW_TABLE_LEADING;
            if (a < at - 1e-6 && b > at + 1e-6 && (!cuts || a < *line_top)) {
                *line_top = a;
                cuts = true;
            }
        }
    }
    return cuts;
}

/* True when a cell crossing offset `at` has all its text below it: cut there,
 * the cell's text would come after the rows that follow it in the source. */
static bool text_all_below(const gw_table_set *ts, size_t r0, size_t r1, double at)
{
    double base = ts->row_y[r0];
    for (size_t i = 0; i < ts->n_cells; i++) {
        const tcell *tc = &ts->cells[i];
        if (tc->row < r0 || tc->row >= r1 || tc->n_lines == 0)
            continue;
        double a = ts->row_y[tc->row] - base, b = ts->row_y[tc->row + tc->rowspan] - base;
        if (a < at - 1e-6 && b > at + 1e-6 && a + tc->text_top >= at - 1e-6)
            return true;
    }
    return false;
}

double table_cut_rows(const gw_table_set *ts, size_t r0, size_t r1, double off0, double limit,
                      bool keep_order)
{
    double base = ts->row_y[r0], line_top;
    for (size_t k = r1; k > r0; k--) {
        double b = ts->row_y[k] - base;
        if (b > limit + 1e-6)
            continue;
        if (b <= off0 + 1e-6)
            break;
        /* A row boundary inside a rowspan cell is a place to cut where the cell's
         * text does not cross it, and (keep_order) does not lie wholly below it. */
        if (!cuts_text(ts, r0, r1, b, &line_top) && !(keep_order && text_all_below(ts, r0, r1, b)))
            return b;
    }
    return off0;
}

double table_row_rest(const gw_table_set *ts, size_t r0, size_t r1, double off)
{
    double base = ts->row_y[r0];
    for (size_t k = r0; k < r1; k++)
        if (ts->row_y[k + 1] - base > off + 1e-6)
            return ts->row_y[k + 1] - base - off;
    return 0;
}

double table_cut(const gw_table_set *ts, size_t r0, size_t r1, double off0, double limit)
{
    double cut = limit, line_top;
    while (cut > off0 && cuts_text(ts, r0, r1, cut, &line_top))
        cut = line_top;                            /* the line goes to the next page */
    return cut > off0 ? cut : off0;
}

static bool add_rule(gw_page *p, double x0, double y0, double x1, double y1)
{
    gw_rule r = { x0, y0, x1, y1, GW_TABLE_RULE, GW_BLACK };
    return gw_page_add_rule(p, &r);
}

static bool place_cell(const gw_table_set *ts, const tcell *tc, gw_page *p, double left, double top,
                       double base, double off0, double off1)
{
    double a = ts->row_y[tc->row] - base, b = ts->row_y[tc->row + tc->rowspan] - base;
    if (b <= off0 + 1e-6 || a >= off1 - 1e-6)
        return true;                               /* not in this slice */
    double ya = top - (a > off0 ? a - off0 : 0), yb = top - ((b < off1 ? b : off1) - off0);
    double x0 = left + ts->col_x[tc->col], x1 = left + ts->col_x[tc->col + tc->colspan];
    if (!add_rule(p, x0, ya, x1, ya) || !add_rule(p, x0, ya, x0, yb))
        return false;
    size_t first = p->n_glyphs;
    double line_y = NAN;
    for (size_t k = 0; k < tc->n_g; k++) {
        const cell_glyph *g = &tc->g[k];
        double y = a + g->baseline;                    /* offset in the rows */
        double line_top = y - ASCENT * GW_TABLE_TEXT_SIZE - (GW_TABLE_LEADING - GW_TABLE_TEXT_SIZE) / 2;
        if (line_top < off0 - 1e-6 || line_top + GW_TABLE_LEADING > off1 + 1e-6)
            continue;                                  /* its line is on another page */
        if (!isnan(line_y) && fabs(y - line_y) > 1e-6) {
            gw_line_box box = { GW_LINE_TABLE, -1, 0, top - (line_y - off0), 0, 0, first,
                                p->n_glyphs - first, false, false };
            if (!gw_page_add_box(p, &box))
                return false;
            first = p->n_glyphs;
        }
        line_y = y;
        gw_glyph gl = { g->face, g->cp, left + g->x, top - (y - off0), g->size,
                        g->advance, g->bold, g->role, GW_BLACK };
        if (!gw_page_add_glyph(p, &gl))
            return false;
    }
    if (p->n_glyphs > first) {
        gw_line_box box = { GW_LINE_TABLE, -1, 0, top - (line_y - off0), 0, 0, first,
                            p->n_glyphs - first, false, false };
        if (!gw_page_add_box(p, &box))
            return false;
    }
    return true;
}

bool table_place(const gw_table_set *ts, gw_page *p, double area_left, double top, size_t r0, size_t r1,
                 double off0, double off1, bool close)
{
    double base = ts->row_y[r0];
    double left = area_left + ts->left;
    for (size_t i = 0; i < ts->n_cells; i++) {
        const tcell *tc = &ts->cells[i];
        if (tc->row >= r0 && tc->row < r1 && !place_cell(ts, tc, p, left, top, base, off0, off1))
            return false;
    }
    double right = left + ts->col_x[ts->n_cols], bottom = top - (off1 - off0);
    if (!add_rule(p, right, top, right, bottom))
        return false;
    return !close || add_rule(p, left, bottom, right, bottom);
}
