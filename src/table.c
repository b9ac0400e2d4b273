/* table — measuring and placing format-v1 tables (see table.h).
 *
 * Called by layout.c: table_measure while the blocks are set, table_place and
 * table_cut while the pages are made.  Coordinates inside a measured table are
 * offsets in points: x from the table's left edge, y down from the top of the
 * table's first row.
 *
 * Cost follows the cells present, not rows × columns: only the source's cells
 * are kept (in source order, so a row's cells are one range), the grid slots no
 * cell covers are kept as runs of columns per row, and what a page needs — the
 * cells over a row, the row at an offset — is found by binary search over the
 * row tops and a max-tree over the cells' last rows (a rowspan from above),
 * never by scanning the whole table. */
#include "table.h"

#include <math.h>
#include <stdio.h>
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

/* Columns [c0, c1) of a row that no cell covers: they get the grid's rules. */
typedef struct empty_run {
    size_t c0, c1;
} empty_run;

struct gw_table_set {
    size_t n_cols, n_rows, n_head;
    double *col_x;        /* n_cols + 1 edges from the table's left edge */
    double left;          /* the table's left edge from the type area's left edge */
    double *row_y;        /* n_rows + 1 row tops, down from the first row's top */
    tcell *cells;         /* the source's cells, in source order (by first row) */
    size_t n_cells;
    size_t *row_first;    /* n_rows + 1: the cells starting in row r are [row_first[r], row_first[r+1]) */
    size_t *reach;        /* max-tree over the cells' end rows (row + rowspan), leaves at tree_base */
    size_t tree_base;
    empty_run *runs;      /* the empty runs of row r are [run_first[r], run_first[r+1]) */
    size_t *run_first;
    size_t n_runs;
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
    free(ts->row_first);
    free(ts->reach);
    free(ts->runs);
    free(ts->run_first);
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

/* The narrowest column that holds its cells' text: one character of the cell
 * size inside the padding on both sides (set_text never sets a line narrower
 * than one character, so a narrower column's text would cross its rules). */
#define MIN_COLUMN (GW_TABLE_TEXT_SIZE + 2 * PAD_X)

/* Report the first column narrower than MIN_COLUMN (and how many others are):
 * a "*" column the fixed ones leave (almost) nothing, columns sharing the type
 * area too many ways, or a too small "N mm". */
static bool columns_wide_enough(const gw_table *t, const double *w, size_t n, double fixed,
                                gw_pos pos, const table_env *env)
{
    size_t first = n, narrow = 0;
    for (size_t i = 0; i < n; i++) {
        if (w[i] < MIN_COLUMN - 1e-9) {
            first = first < n ? first : i;
            narrow++;
        }
    }
    if (narrow == 0)
        return true;
    const char *typed = first < t->n_cols ? t->col_widths[first] : "*";
    char what[96], others[64] = "";
    snprintf(what, sizeof what, first < t->n_cols ? "column %zu of the table (width=\"%s\")"
                                                  : "column %zu of the table", first + 1, typed);
    if (narrow > 1)
        snprintf(others, sizeof others, " (and %zu other column%s)", narrow - 1, narrow > 2 ? "s" : "");
    /* Whole thousandths of a millimetre: a column left nothing reads 0 mm. */
    double mm = round(w[first] / GW_PT_PER_MM * 1000) / 1000, min_mm = MIN_COLUMN / GW_PT_PER_MM;
    double area_mm = env->area_width / GW_PT_PER_MM;
    char why[160] = "";
    if (strchr(typed, '*') && fixed > 0)
        snprintf(why, sizeof why, " by the columns of fixed width (%.1f of the %.0f mm)",
                 fixed / GW_PT_PER_MM, area_mm);
    else if (strchr(typed, '*'))
        snprintf(why, sizeof why, ": %zu columns share the %.0f mm", n, area_mm);
    gw_error(env->diag, env->path, pos.line, pos.col,
             "%s is %s%g mm wide%s%s; a column needs at least %.2f mm, one %.0f pt character "
             "and its padding", what, strchr(typed, '*') && fixed > 0 ? "left " : "", mm, others,
             why, min_mm, GW_TABLE_TEXT_SIZE);
    return false;
}

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
    bool ok = columns_wide_enough(t, w, n, fixed, pos, env);
    free(w);
    return ok;
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

/* The source's cells, in source order, and where each row's cells start. */
static bool collect_cells(gw_table_set *ts, const gw_table *t)
{
    size_t n = 0;
    for (size_t r = 0; r < t->n_rows; r++)
        n += t->rows[r].n_cells;
    ts->cells = calloc(n ? n : 1, sizeof *ts->cells);
    ts->row_first = calloc(ts->n_rows + 1, sizeof *ts->row_first);
    if (!ts->cells || !ts->row_first)
        return false;
    for (size_t r = 0; r < t->n_rows; r++) {
        ts->row_first[r] = ts->n_cells;
        for (size_t i = 0; i < t->rows[r].n_cells; i++) {
            const gw_cell *c = &t->rows[r].cells[i];
            ts->cells[ts->n_cells++] = (tcell){ .row = r, .col = (size_t)c->col,
                                                .rowspan = (size_t)c->rowspan,
                                                .colspan = (size_t)c->colspan };
        }
    }
    ts->row_first[ts->n_rows] = ts->n_cells;
    return true;
}

/* The max-tree over the cells' end rows: which cells of earlier rows reach
 * down into a row, in O(log cells) per cell found. */
static bool build_reach(gw_table_set *ts)
{
    size_t base = 1;
    while (base < ts->n_cells)
        base *= 2;
    ts->tree_base = base;
    ts->reach = calloc(2 * base, sizeof *ts->reach);
    if (!ts->reach)
        return false;
    for (size_t i = 0; i < ts->n_cells; i++)
        ts->reach[base + i] = ts->cells[i].row + ts->cells[i].rowspan;
    for (size_t k = base; k-- > 1;)
        ts->reach[k] = ts->reach[2 * k] > ts->reach[2 * k + 1] ? ts->reach[2 * k] : ts->reach[2 * k + 1];
    return true;
}

/* The grid slots no cell covers, as runs of columns per row: each column keeps
 * the row where it is free again (the model has checked that no two cells
 * overlap), so a row costs its cells and one pass over the columns. */
static bool find_empty_runs(gw_table_set *ts)
{
    size_t cols = ts->n_cols, cap = 0;
    size_t *free_from = calloc(cols + 1, sizeof *free_from);
    ts->run_first = calloc(ts->n_rows + 1, sizeof *ts->run_first);
    if (!free_from || !ts->run_first) {
        free(free_from);
        return false;
    }
    for (size_t r = 0; r < ts->n_rows; r++) {
        ts->run_first[r] = ts->n_runs;
        for (size_t i = ts->row_first[r]; i < ts->row_first[r + 1]; i++)
            for (size_t c = ts->cells[i].col; c < ts->cells[i].col + ts->cells[i].colspan && c < cols; c++)
                free_from[c] = r + ts->cells[i].rowspan;
        for (size_t c = 0; c < cols;) {
            if (free_from[c] > r) {
                c++;
                continue;
            }
            size_t c1 = c;
            while (c1 < cols && free_from[c1] <= r)
                c1++;
            if (!gw_grow(&ts->runs, &cap, ts->n_runs + 1, sizeof *ts->runs)) {
                free(free_from);
                return false;
            }
            ts->runs[ts->n_runs++] = (empty_run){ c, c1 };
            c = c1;
        }
    }
    ts->run_first[ts->n_rows] = ts->n_runs;
    free(free_from);
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
    bool ok = collect_cells(ts, t) && build_reach(ts) && find_empty_runs(ts);
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

/* The first row of [r0, r1) whose bottom lies below offset `off` (from the top
 * of row r0); r1 when none. */
static size_t row_below(const gw_table_set *ts, size_t r0, size_t r1, double off)
{
    double base = ts->row_y[r0];
    size_t lo = r0, hi = r1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ts->row_y[mid + 1] - base > off + 1e-6)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* The end of the rows of [r0, r1) whose top lies above offset `off`: rows
 * [r0, result) do. */
static size_t rows_above(const gw_table_set *ts, size_t r0, size_t r1, double off)
{
    double base = ts->row_y[r0];
    size_t lo = r0, hi = r1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ts->row_y[mid] - base < off - 1e-6)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

typedef bool (*cell_visit)(const gw_table_set *ts, const tcell *tc, void *ctx);

/* Visit, in source order, the cells before index `limit` whose rows reach below
 * the top of row `row`: the subtree of node `k` covers cells [lo, hi). */
static bool visit_reaching(const gw_table_set *ts, size_t k, size_t lo, size_t hi, size_t limit,
                           size_t row, cell_visit fn, void *ctx)
{
    if (lo >= limit || ts->reach[k] <= row)
        return true;
    if (hi - lo == 1)
        return fn(ts, &ts->cells[lo], ctx);
    size_t mid = lo + (hi - lo) / 2;
    return visit_reaching(ts, 2 * k, lo, mid, limit, row, fn, ctx) &&
           visit_reaching(ts, 2 * k + 1, mid, hi, limit, row, fn, ctx);
}

/* What a cut at offset `at` of rows [r0, r1) meets. */
typedef struct cut_probe {
    size_t r0, r1;
    double base, at;
    bool cuts;            /* a line of text crosses it ... */
    double line_top;      /* ... the top of the first such line */
    bool all_below;       /* a cell crossing it has all its text below it */
} cut_probe;

static bool probe_cell(const gw_table_set *ts, const tcell *tc, void *ctx)
{
    cut_probe *q = ctx;
    if (tc->row < q->r0 || tc->row >= q->r1 || tc->n_lines == 0)
        return true;
    double top = ts->row_y[tc->row] - q->base + tc->text_top;
    /* The lines are LEADING apart: only the one around `at` can cross it. */
    double near = floor((q->at - top) / GW_TABLE_LEADING);
    for (double l = near - 1; l <= near + 1; l++) {
        if (l < 0 || l >= (double)tc->n_lines)
            continue;
        double a = top + (size_t)l * GW_TABLE_LEADING, b = a + GW_TABLE_LEADING;
        if (a < q->at - 1e-6 && b > q->at + 1e-6 && (!q->cuts || a < q->line_top)) {
            q->line_top = a;
            q->cuts = true;
        }
    }
    double a = ts->row_y[tc->row] - q->base, b = ts->row_y[tc->row + tc->rowspan] - q->base;
    if (a < q->at - 1e-6 && b > q->at + 1e-6 && a + tc->text_top >= q->at - 1e-6)
        q->all_below = true;
    return true;
}

/* Probe the cells that may cross offset `at`: a cell crossing it starts above
 * it, so it covers the last row whose top is above `at` — that row's cells and
 * those reaching into it from the rows above. */
static cut_probe probe_cut(const gw_table_set *ts, size_t r0, size_t r1, double at)
{
    cut_probe q = { r0, r1, ts->row_y[r0], at, false, 0, false };
    size_t end = rows_above(ts, r0, r1, at);
    if (end == r0)
        return q;
    size_t k = end - 1;
    visit_reaching(ts, 1, 0, ts->tree_base, ts->row_first[k], k, probe_cell, &q);
    for (size_t i = ts->row_first[k]; i < ts->row_first[k + 1]; i++)
        probe_cell(ts, &ts->cells[i], &q);
    return q;
}

/* True when a line of text of rows [r0, r1) crosses offset `at` (from the
 * rows' top); *line_top is then the top of the first such line. */
static bool cuts_text(const gw_table_set *ts, size_t r0, size_t r1, double at, double *line_top)
{
    cut_probe q = probe_cut(ts, r0, r1, at);
    if (q.cuts)
        *line_top = q.line_top;
    return q.cuts;
}

/* True when a cell crossing offset `at` has all its text below it: cut there,
 * the cell's text would come after the rows that follow it in the source. */
static bool text_all_below(const gw_table_set *ts, size_t r0, size_t r1, double at)
{
    return probe_cut(ts, r0, r1, at).all_below;
}

double table_cut_rows(const gw_table_set *ts, size_t r0, size_t r1, double off0, double limit,
                      bool keep_order)
{
    double base = ts->row_y[r0], line_top;
    /* The last row boundary at or above the limit (binary search). */
    size_t lo = r0, hi = r1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo + 1) / 2;
        if (ts->row_y[mid] - base <= limit + 1e-6)
            lo = mid;
        else
            hi = mid - 1;
    }
    for (size_t k = lo; k > r0; k--) {
        double b = ts->row_y[k] - base;
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
    size_t k = row_below(ts, r0, r1, off);
    return k < r1 ? ts->row_y[k + 1] - ts->row_y[r0] - off : 0;
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

/* Where a slice [off0, off1) of the rows from `base` is drawn on its page. */
typedef struct slice {
    gw_page *p;
    size_t r0, r1;
    double left, top, base, off0, off1;
} slice;

static bool place_visit(const gw_table_set *ts, const tcell *tc, void *ctx)
{
    const slice *sl = ctx;
    if (tc->row < sl->r0 || tc->row >= sl->r1)
        return true;
    return place_cell(ts, tc, sl->p, sl->left, sl->top, sl->base, sl->off0, sl->off1);
}

/* PDF y of the top of row r and of the bottom of row r, within the slice. */
static double slice_top(const gw_table_set *ts, const slice *sl, size_t r)
{
    double a = ts->row_y[r] - sl->base;
    return sl->top - (a > sl->off0 ? a - sl->off0 : 0);
}

static double slice_bottom(const gw_table_set *ts, const slice *sl, size_t r)
{
    double b = ts->row_y[r + 1] - sl->base;
    return sl->top - ((b < sl->off1 ? b : sl->off1) - sl->off0);
}

static bool same_runs(const gw_table_set *ts, size_t r, size_t s)
{
    size_t n = ts->run_first[r + 1] - ts->run_first[r];
    if (n != ts->run_first[s + 1] - ts->run_first[s])
        return false;
    for (size_t i = 0; i < n; i++) {
        const empty_run *a = &ts->runs[ts->run_first[r] + i], *b = &ts->runs[ts->run_first[s] + i];
        if (a->c0 != b->c0 || a->c1 != b->c1)
            return false;
    }
    return true;
}

/* The rules of the empty slots of rows [r0, r1): each run's top rule, and each
 * slot's left rule drawn once down the rows where the runs stay the same. */
static bool place_empty(const gw_table_set *ts, const slice *sl, size_t r0, size_t r1)
{
    size_t from = r0;
    for (size_t r = r0; r < r1; r++) {
        double ya = slice_top(ts, sl, r);
        for (size_t i = ts->run_first[r]; i < ts->run_first[r + 1]; i++) {
            const empty_run *run = &ts->runs[i];
            if (!add_rule(sl->p, sl->left + ts->col_x[run->c0], ya, sl->left + ts->col_x[run->c1], ya))
                return false;
        }
        if (r + 1 < r1 && same_runs(ts, r, r + 1))
            continue;
        double y0 = slice_top(ts, sl, from), y1 = slice_bottom(ts, sl, r);
        for (size_t i = ts->run_first[r]; i < ts->run_first[r + 1]; i++)
            for (size_t c = ts->runs[i].c0; c < ts->runs[i].c1; c++)
                if (!add_rule(sl->p, sl->left + ts->col_x[c], y0, sl->left + ts->col_x[c], y1))
                    return false;
        from = r + 1;
    }
    return true;
}

bool table_place(const gw_table_set *ts, gw_page *p, double area_left, double top, size_t r0, size_t r1,
                 double off0, double off1, bool close)
{
    slice sl = { p, r0, r1, area_left + ts->left, top, ts->row_y[r0], off0, off1 };
    /* The rows the slice shows part of: [rs, re).  Its cells are those starting
     * there and those reaching into row rs from above, in source order. */
    size_t rs = row_below(ts, r0, r1, off0), re = rows_above(ts, r0, r1, off1);
    size_t limit = ts->row_first[rs < re ? rs : re];
    if (!visit_reaching(ts, 1, 0, ts->tree_base, limit, rs, place_visit, &sl))
        return false;
    for (size_t i = ts->row_first[rs]; rs < re && i < ts->row_first[re]; i++)
        if (!place_cell(ts, &ts->cells[i], p, sl.left, top, sl.base, off0, off1))
            return false;
    if (rs < re && !place_empty(ts, &sl, rs, re))
        return false;
    double left = sl.left, right = left + ts->col_x[ts->n_cols], bottom = top - (off1 - off0);
    if (!add_rule(p, right, top, right, bottom))
        return false;
    return !close || add_rule(p, left, bottom, right, bottom);
}
