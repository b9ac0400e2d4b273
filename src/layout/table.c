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

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>

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

/* ---- "*" columns from the content --------------------------------------------- */

/* The "*" columns share what the millimetre columns leave by their content:
 * each first gets the width of its longest unbreakable unit (a word, a number
 * with its unit, a character with the marks that may not be parted from it);
 * then the rest goes, a 48th at a time, to the column where it saves the most
 * lines of the table (a row is as tall as its tallest cell, so the widths that
 * save lines are those that even out the line counts across each row); what
 * saves nothing is shared by the columns' stars.  Line counts are estimated by
 * filling the units greedily, on the rows up to SPLIT_BUDGET units (a long
 * table's first rows stand for the rest, so the cost stays bounded).  When the
 * units do not fit at all, the stars share alone. */
#define SPLIT_BUDGET 4096
#define SPLIT_STEPS 48
#define SPLIT_LOOK 16      /* steps one column may take at once to save a line */

/* Lines already counted for a cell, by width (SPLIT_MEMO slots a cell, kept
 * apart from the cells, which every trial walks): the trials of the columns
 * the last step did not widen ask for the same widths again at each step. */
#define SPLIT_MEMO 32

typedef struct split_memo {
    int width;             /* 0: empty (a width is at least 1000) */
    unsigned lines;
} split_memo;

typedef struct split_cell {
    size_t row, rowspan, col, colspan;
    int *units;            /* widths of its unbreakable runs (1/1000 em); -1 a forced break */
    size_t n_units;
    split_memo *memo;      /* its SPLIT_MEMO slots in split.memo */
} split_cell;

typedef struct split {
    split_cell *cells;
    size_t n_cells, n_rows;   /* the sampled rows and their cells */
    split_memo *memo;         /* SPLIT_MEMO a cell */
    size_t *h;                /* lines of each sampled row, scratch */
    size_t *cur, *trial;      /* lines of each cell at the current widths, and at a trial's */
} split;

/* The widths of the unbreakable runs of a cell's text, in 1/1000 em of the
 * cell size; the faces are looked up without reporting (set_text reports). */
static int *cell_units(const gw_cell *cell, const table_env *env, size_t *n_units)
{
    const gw_text *text = &cell->text;
    size_t n = text->len, k = 0;
    gw_lb_item *items = malloc((n ? n : 1) * sizeof *items);
    bool *can_break = malloc((n ? n : 1) * sizeof *can_break);
    int *units = malloc((n ? n : 1) * sizeof *units);
    gw_role role = cell->header ? GW_ROLE_HEADING1 : GW_ROLE_BODY;
    bool ok = items && can_break && units;
    for (size_t i = 0; ok && i < n; i++) {
        uint32_t cp = text->cp[i];
        gw_face *face = cp == GW_CP_LINE_BREAK ? NULL : gw_fonts_face_for(env->fonts, role, cp);
        items[i] = (gw_lb_item){ cp, face ? gw_face_advance(face, cp) : 1000 };
    }
    ok = ok && gw_lb_breaks(items, n, &env->lb->opt, can_break) == 0;
    for (size_t s = 0, i = 1; ok && i <= n; i++) {
        bool forced = items[s].cp == GW_CP_LINE_BREAK;
        if (i < n && !forced && !can_break[i] && items[i].cp != GW_CP_LINE_BREAK)
            continue;
        int w = forced ? -1 : gw_lb_span_width(items, s, i, &env->lb->opt);
        ok = forced || w >= 0;
        units[k++] = w;
        s = i;
    }
    free(items);
    free(can_break);
    if (!ok) {
        free(units);
        return NULL;
    }
    *n_units = k;
    return units;
}

/* Lines of units filled greedily into `width` units. */
static size_t units_lines(const int *u, size_t n, int width)
{
    size_t lines = 1;
    long cur = 0;
    for (size_t k = 0; k < n; k++) {
        if (u[k] < 0) {
            lines++;
            cur = 0;
            continue;
        }
        if (cur > 0 && cur + u[k] > width) {
            lines++;
            cur = 0;
        }
        long over = u[k] > width ? (u[k] - 1) / width : 0;   /* split in an emergency */
        lines += (size_t)over;
        cur += u[k] - over * width;
    }
    return lines;
}

/* Lines of cell c's text at column widths w. */
static size_t cell_lines(const split_cell *c, const double *w)
{
    double inner = -2 * PAD_X;
    for (size_t k = c->col; k < c->col + c->colspan; k++)
        inner += w[k];
    int width = (int)floor(inner / GW_TABLE_TEXT_SIZE * 1000.0);
    if (width < 1000)
        width = 1000;
    split_memo *m = &c->memo[(size_t)width % SPLIT_MEMO];
    if (m->width != width) {
        size_t lines = units_lines(c->units, c->n_units, width);
        if (lines > UINT_MAX)
            return lines;
        m->width = width;
        m->lines = (unsigned)lines;
    }
    return m->lines;
}

static bool covers(const split_cell *c, size_t col)
{
    return col >= c->col && col < c->col + c->colspan;
}

/* The sampled rows' lines, each cell holding cell_lines[i] (as row_tops makes
 * them: a row as tall as its tallest cell, a rowspan's lines in its last row
 * when its rows are too few). */
static size_t rows_total(const split *sp, const size_t *cell_lines_of)
{
    for (size_t r = 0; r < sp->n_rows; r++)
        sp->h[r] = 1;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < sp->n_cells; i++) {
            const split_cell *c = &sp->cells[i];
            if ((c->rowspan > 1) != (pass == 1))
                continue;
            size_t lines = cell_lines_of[i];
            size_t end = c->row + c->rowspan < sp->n_rows ? c->row + c->rowspan : sp->n_rows, have = 0;
            for (size_t r = c->row; r < end; r++)
                have += sp->h[r];
            if (lines > have)
                sp->h[end - 1] += lines - have;
        }
    }
    size_t total = 0;
    for (size_t r = 0; r < sp->n_rows; r++)
        total += sp->h[r];
    return total;
}

/* The lines at widths w with column `col` made `width` wide: only the cells
 * over that column are set again (the others keep sp->cur), which makes a
 * trial cost the column's cells, not the table's. */
static size_t trial_lines(const split *sp, double *w, size_t col, double width)
{
    double keep = w[col];
    w[col] = width;
    for (size_t i = 0; i < sp->n_cells; i++)
        sp->trial[i] = covers(&sp->cells[i], col) ? cell_lines(&sp->cells[i], w) : sp->cur[i];
    w[col] = keep;
    return rows_total(sp, sp->trial);
}

/* Hand out the spare width of the "*" columns (w[i] = width, share[i] > 0 for
 * a "*" column) a step at a time where it saves the most lines; returns the
 * steps left unused. */
static size_t split_spare(const split *sp, double *w, const double *share, size_t n, double step)
{
    for (size_t i = 0; i < sp->n_cells; i++)
        sp->cur[i] = cell_lines(&sp->cells[i], w);
    size_t left = SPLIT_STEPS, lines = rows_total(sp, sp->cur);
    while (left > 0) {
        double gain = 0;
        size_t best_c = n, best_k = 0, best_lines = lines;
        for (size_t c = 0; c < n; c++) {
            if (share[c] <= 0)
                continue;
            double keep = w[c];
            for (size_t k = 1; k <= left && k <= SPLIT_LOOK; k++) {
                size_t l = trial_lines(sp, w, c, keep + k * step);
                if (l < lines && (double)(lines - l) / k > gain + 1e-12) {
                    gain = (double)(lines - l) / k;
                    best_c = c;
                    best_k = k;
                    best_lines = l;
                }
            }
        }
        if (best_c == n)
            break;
        w[best_c] += best_k * step;
        for (size_t i = 0; i < sp->n_cells; i++)
            if (covers(&sp->cells[i], best_c))
                sp->cur[i] = cell_lines(&sp->cells[i], w);
        left -= best_k;
        lines = best_lines;
    }
    return left;
}

/* The "*" columns' widths from the content (see above): w[i] > 0 for the
 * millimetre columns, share[i] > 0 for the "*" ones, `rest` what the former
 * leave.  *done is false when the units do not fit (the stars then share);
 * false when out of memory. */
static bool split_stars(const gw_table *t, double *w, const double *share, size_t n, double rest,
                        const table_env *env, bool *done)
{
    *done = false;
    size_t n_all = 0, units = 0;
    for (size_t r = 0; r < t->n_rows; r++)
        n_all += t->rows[r].n_cells;
    split sp = { calloc(n_all ? n_all : 1, sizeof *sp.cells), 0, 0,
                 calloc((n_all ? n_all : 1) * SPLIT_MEMO, sizeof *sp.memo),
                 calloc(t->n_rows + 1, sizeof *sp.h), calloc(n_all ? n_all : 1, sizeof *sp.cur),
                 calloc(n_all ? n_all : 1, sizeof *sp.trial) };
    double *least = calloc(n ? n : 1, sizeof *least);
    bool ok = sp.cells && sp.memo && sp.h && sp.cur && sp.trial && least;
    for (size_t c = 0; c < n; c++)
        least[c] = MIN_COLUMN;
    /* The longest unit of every one-column cell; the rows up to the budget kept. */
    for (size_t r = 0; ok && r < t->n_rows; r++) {
        bool keep = units < SPLIT_BUDGET;
        for (size_t i = 0; ok && i < t->rows[r].n_cells; i++) {
            const gw_cell *cell = &t->rows[r].cells[i];
            size_t col = (size_t)cell->col, span = (size_t)cell->colspan, n_units = 0;
            int *u = cell_units(cell, env, &n_units);
            ok = u != NULL;
            for (size_t k = 0; ok && span == 1 && col < n && k < n_units; k++)
                if (u[k] / 1000.0 * GW_TABLE_TEXT_SIZE + 2 * PAD_X > least[col])
                    least[col] = u[k] / 1000.0 * GW_TABLE_TEXT_SIZE + 2 * PAD_X;
            if (ok && keep && col + span <= n) {
                size_t at = sp.n_cells++;
                sp.cells[at] = (split_cell){ .row = r, .rowspan = (size_t)cell->rowspan,
                                             .col = col, .colspan = span, .units = u,
                                             .n_units = n_units, .memo = sp.memo + at * SPLIT_MEMO };
                units += n_units;
            } else {
                free(u);
            }
        }
        sp.n_rows = keep ? r + 1 : sp.n_rows;
    }
    double need = 0, stars = 0;
    for (size_t c = 0; c < n; c++) {
        need += share[c] > 0 ? least[c] : 0;
        stars += share[c] > 0 ? share[c] : 0;
    }
    if (ok && need <= rest + 1e-9) {
        for (size_t c = 0; c < n; c++)
            if (share[c] > 0)
                w[c] = least[c];
        double spare = rest - need, step = spare / SPLIT_STEPS;
        size_t left = step > 0.25 ? split_spare(&sp, w, share, n, step) : SPLIT_STEPS;
        for (size_t c = 0; c < n; c++)
            if (share[c] > 0)
                w[c] += left * step * share[c] / stars;
        *done = true;
    }
    for (size_t i = 0; i < sp.n_cells; i++)
        free(sp.cells[i].units);
    free(sp.cells);
    free(sp.memo);
    free(sp.h);
    free(sp.cur);
    free(sp.trial);
    free(least);
    return ok;
}

/* Column edges: "N mm" columns take their width, "N*" columns (no <col>:
 * every column is "*") share the rest by their content (split_stars), or in
 * proportion when their content does not fit.  A table of millimetre columns
 * only, narrower than the type area, is centred.  False after reporting, or
 * out of memory (ts->col_x NULL). */
static bool column_edges(gw_table_set *ts, const gw_table *t, gw_pos pos, const table_env *env)
{
    size_t n = ts->n_cols;
    double *w = calloc(n ? n : 1, sizeof *w), *share = calloc(n ? n : 1, sizeof *share);
    ts->col_x = calloc(n + 1, sizeof *ts->col_x);
    if (!w || !share || !ts->col_x) {
        free(w);
        free(share);
        free(ts->col_x);
        ts->col_x = NULL;
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
            share[i] = v;                           /* resolved below */
            stars += v;
        }
    }
    if (fixed > env->area_width + 0.01) {
        gw_error(env->diag, env->path, pos.line, pos.col,
                 "the table's columns of fixed width add up to %.1f mm, more than the %.0f mm "
                 "of the type area", fixed / GW_PT_PER_MM, env->area_width / GW_PT_PER_MM);
        free(w);
        free(share);
        return false;
    }
    bool by_content = false;
    if (stars > 0 && !split_stars(t, w, share, n, env->area_width - fixed, env, &by_content)) {
        free(w);
        free(share);
        free(ts->col_x);
        ts->col_x = NULL;
        return false;
    }
    double total = 0;
    for (size_t i = 0; i < n; i++) {
        if (share[i] > 0 && !by_content)
            w[i] = (env->area_width - fixed) * share[i] / stars;
        ts->col_x[i + 1] = ts->col_x[i] + w[i];
        total += w[i];
    }
    ts->left = (env->area_width - total) / 2;
    bool ok = columns_wide_enough(t, w, n, fixed, pos, env);
    free(w);
    free(share);
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
    bool cell;            /* a cell's text: no line of one character where avoidable */
} text_style;

/* Set one broken line: glyphs at x from the text's left edge x0. */
static bool set_cell_line(tcell *tc, const gw_text *text, gw_face **faces, const gw_lb_item *items,
                          const gw_lb_line *ln, const gw_lb_params *lb, const text_style *st,
                          double x0, double baseline, gw_lb_place *places)
{
    gw_align align = st->align;
    gw_role role = st->role;
    /* Ragged, never stretched: in a column a few characters wide, justifying
     * spreads a line's characters an em apart.  GW_ALIGN_JUSTIFY (the model's
     * "left") is flush left. */
    if (gw_place_line(items, ln, lb, false, places) != 0)
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

/* ---- breaking a cell's text ----------------------------------------------- */

/* The line breaker fills each line greedily, which in a column three or four
 * characters wide can leave a line of one character ("产出数 / 量 / （12分）")
 * or a last line with less than 2 em of text (孤字, docs/linebreak.md,
 * "Paragraph rules").  Where it does, the cell's segment (text between forced
 * breaks) is broken again by a search over its legal breaks that keeps the
 * fewest lines and then has the fewest such lines; among equals, non-last
 * lines as full as possible. */

static bool is_blank_cp(uint32_t cp)
{
    return cp == ' ' || cp == 0x3000 || cp == GW_CP_LINE_BREAK;
}

/* Characters a line shows. */
static size_t shown(const gw_lb_item *items, size_t s, size_t e)
{
    size_t n = 0;
    for (size_t i = s; i < e; i++)
        n += !is_blank_cp(items[i].cp);
    return n;
}

/* What counts against 孤字: the advances of Han characters, letters and digits. */
static int lone_content(const gw_lb_item *items, size_t s, size_t e)
{
    int c = 0;
    for (size_t i = s; i < e; i++)
        c += u_isalnum((UChar32)items[i].cp) ? items[i].width : 0;
    return c;
}

/* How well a run of lines is set, compared field by field. */
typedef struct break_cost {
    size_t lines, lone;       /* lines; lines of one character, and a last line under 2 em */
    double slack;             /* sum of the squared room left on the lines but the last, em² */
    bool reached;
} break_cost;

static bool cost_less(const break_cost *a, const break_cost *b)
{
    if (!b->reached)
        return a->reached;
    if (a->lines != b->lines)
        return a->lines < b->lines;
    if (a->lone != b->lone)
        return a->lone < b->lone;
    return a->slack < b->slack - 1e-9;
}

/* True when the greedy lines [g0, g1) of one segment have a line of one
 * character or a last line under 2 em. */
static bool greedy_is_poor(const gw_lb_item *items, const gw_lb_line *g, size_t g0, size_t g1)
{
    if (g1 - g0 < 2)
        return false;
    size_t all = shown(items, g[g0].start, g[g1 - 1].end);
    for (size_t i = g0; i < g1; i++)
        if (all > 1 && shown(items, g[i].start, g[i].end) == 1)
            return true;
    return lone_content(items, g[g1 - 1].start, g[g1 - 1].end) < 2000;
}

/* The line [s, e) as the breaker sets it alone (its width and line-start blank). */
static bool one_line(const gw_lb_item *items, size_t s, size_t e, const gw_lb_params *p, bool last,
                     gw_lb_line *out)
{
    gw_lb_params wide = *p;
    wide.line_width = INT_MAX / 4;
    wide.first_indent = 0;
    gw_lb_line *ln = NULL;
    size_t n = 0;
    if (gw_break_paragraph(items + s, e - s, &wide, &ln, &n) != 0)
        return false;
    *out = (gw_lb_line){ s + ln[0].start, s + ln[0].end, ln[0].width, p->line_width, last,
                         ln[0].lead_blank };
    free(ln);
    return true;
}

/* Break the segment of greedy lines g[g0, g1) again (see above) into *out. */
static int rebreak_segment(const gw_lb_item *items, const bool *can_break, const gw_lb_line *g,
                           size_t g0, size_t g1, const gw_lb_params *p, gw_lb_line **out,
                           size_t *n_out, size_t *cap)
{
    size_t from = g[g0].start, to = g[g1 - 1].end, m = 0;
    size_t *pos = malloc((to - from + 2) * sizeof *pos);
    size_t *greedy_next = calloc(to - from + 2, sizeof *greedy_next);
    break_cost *best = calloc(to - from + 2, sizeof *best);
    size_t *prev = calloc(to - from + 2, sizeof *prev);
    int rc = -1;
    if (!pos || !greedy_next || !best || !prev)
        goto out;
    /* The nodes: the legal breaks and the greedy lines' starts (an atom too
     * wide for the line is split where the breaker split it). */
    size_t k = g0;
    for (size_t i = from; i < to; i++) {
        bool start = k < g1 && g[k].start == i;
        if (start || can_break[i]) {
            greedy_next[m] = start ? (k + 1 < g1 ? g[k + 1].start : to) : 0;
            pos[m++] = i;
        }
        k += start;
    }
    pos[m] = to;
    size_t all = shown(items, from, to);
    best[0].reached = true;
    for (size_t i = 0; i < m; i++) {
        if (!best[i].reached)
            continue;
        for (size_t j = i + 1; j <= m; j++) {
            int w = gw_lb_span_width(items, pos[i], pos[j], &p->opt);
            if (w < 0)
                goto out;
            bool greedy = greedy_next[i] == pos[j];
            if (w > p->line_width && !greedy) {
                if (pos[j] > greedy_next[i])
                    break;                        /* longer lines only get wider */
                continue;
            }
            bool last = j == m;
            break_cost c = best[i];
            c.lines++;
            c.lone += all > 1 && shown(items, pos[i], pos[j]) == 1;
            c.lone += last && i > 0 && lone_content(items, pos[i], pos[j]) < 2000;
            if (!last && w < p->line_width)
                c.slack += (p->line_width - w) / 1000.0 * (p->line_width - w) / 1000.0;
            if (cost_less(&c, &best[j])) {
                best[j] = c;
                prev[j] = i;
            }
        }
    }
    /* best[m] is reached: the greedy lines are one of the paths. */
    size_t n = best[m].lines, at = *n_out;
    if (!gw_grow(out, cap, at + n, sizeof **out))
        goto out;
    for (size_t j = m, l = n; l-- > 0; j = prev[j])
        if (!one_line(items, pos[prev[j]], pos[j], p, j == m, &(*out)[at + l]))
            goto out;
    *n_out = at + n;
    rc = 0;
out:
    free(pos);
    free(greedy_next);
    free(best);
    free(prev);
    return rc;
}

/* The lines of a cell's text: the breaker's, each segment with a line of one
 * character or a short last line broken again.  0, or -1 out of memory. */
static int break_cell(const gw_lb_item *items, size_t n, const gw_lb_params *p, gw_lb_line **lines,
                      size_t *n_lines)
{
    gw_lb_line *g = NULL, *out = NULL;
    size_t n_g = 0, n_out = 0, cap = 0;
    bool *can_break = malloc((n ? n : 1) * sizeof *can_break);
    int rc = -1;
    if (!can_break || gw_break_paragraph(items, n, p, &g, &n_g) != 0 ||
        gw_lb_breaks(items, n, &p->opt, can_break) != 0)
        goto out;
    for (size_t g0 = 0; g0 < n_g;) {
        size_t g1 = g0;
        while (g1 < n_g && !g[g1].last)
            g1++;
        g1 += g1 < n_g;                             /* the segment's last line */
        if (greedy_is_poor(items, g, g0, g1)) {
            if (rebreak_segment(items, can_break, g, g0, g1, p, &out, &n_out, &cap) != 0)
                goto out;
        } else {
            if (!gw_grow(&out, &cap, n_out + (g1 - g0), sizeof *out))
                goto out;
            memcpy(out + n_out, g + g0, (g1 - g0) * sizeof *out);
            n_out += g1 - g0;
        }
        g0 = g1;
    }
    *lines = out;
    *n_lines = n_out;
    out = NULL;
    rc = 0;
out:
    free(out);
    free(g);
    free(can_break);
    return rc;
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
    if ((st->cell ? break_cell(items, n, &p, &lines, &n_lines)
                  : gw_break_paragraph(items, n, &p, &lines, &n_lines)) != 0)
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

/* A cell: 12 pt, th in 黑体 and centred, td flush left, unless align says. */
static int set_cell(tcell *tc, const gw_cell *cell, const gw_table_set *ts, const table_env *env)
{
    text_style st = { cell->header ? GW_ROLE_HEADING1 : GW_ROLE_BODY,
                      cell->align_set ? cell->align : cell->header ? GW_ALIGN_CENTER : GW_ALIGN_JUSTIFY,
                      GW_TABLE_TEXT_SIZE, GW_TABLE_LEADING, true };
    double x0 = ts->col_x[tc->col] + PAD_X;
    double inner = ts->col_x[tc->col + tc->colspan] - ts->col_x[tc->col] - 2 * PAD_X;
    return set_text(tc, &cell->text, &st, x0, inner, env);
}

/* A landscape table's caption, above it on its first page: centred 3号黑体. */
static int set_caption(gw_table_set *ts, const gw_text *caption, const table_env *env)
{
    text_style st = { GW_ROLE_HEADING1, GW_ALIGN_CENTER, CAPTION_SIZE, CAPTION_SIZE * 1.5, false };
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
    double grow_max;      /* how much taller the row above the cut may grow */
    bool cuts;            /* a line of text crosses it ... */
    double line_top;      /* ... the top of the first such line */
    bool all_below;       /* a cell crossing it has all its text below it */
    double grow;          /* what the row above must grow for the text that moves up */
} cut_probe;

/* True when a cut at offset `at` (from `base`) crosses the cell, whose text
 * does not lie wholly above it but fits in the cell's part above it once the
 * row above the cut is `grow_max` taller: cut there, the text moves into that
 * part (table_settle_cut), so that a row that fits the page is not sent to the
 * next for a rowspan's text; *need is how much taller the row must grow. */
static bool text_moves_up(const gw_table_set *ts, const tcell *tc, double base, double at,
                          double grow_max, double *need)
{
    double a = ts->row_y[tc->row] - base, b = ts->row_y[tc->row + tc->rowspan] - base;
    double text = tc->n_lines * GW_TABLE_LEADING;
    if (tc->n_lines == 0 || a >= at - 1e-6 || b <= at + 1e-6 || a + tc->text_top + text <= at + 1e-6)
        return false;
    *need = text + 2 * PAD_Y - (at - a);
    *need = *need > 0 ? *need : 0;
    return *need <= grow_max + 1e-6;
}

static bool probe_cell(const gw_table_set *ts, const tcell *tc, void *ctx)
{
    cut_probe *q = ctx;
    double need = 0;
    if (tc->row < q->r0 || tc->row >= q->r1 || tc->n_lines == 0)
        return true;
    if (text_moves_up(ts, tc, q->base, q->at, q->grow_max, &need)) {
        q->grow = need > q->grow ? need : q->grow;
        return true;
    }
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
static cut_probe probe_cut(const gw_table_set *ts, size_t r0, size_t r1, double at, double grow_max)
{
    cut_probe q = { r0, r1, ts->row_y[r0], at, grow_max, false, 0, false, 0 };
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
    cut_probe q = probe_cut(ts, r0, r1, at, 0);
    if (q.cuts)
        *line_top = q.line_top;
    return q.cuts;
}

/* The row boundary of rows [r0, r1) at offset `at`, or r1 when `at` is none. */
static size_t boundary_at(const gw_table_set *ts, size_t r0, size_t r1, double at)
{
    size_t k = rows_above(ts, r0, r1, at);
    return k < r1 && fabs(ts->row_y[k] - ts->row_y[r0] - at) < 1e-6 ? k : r1;
}

double table_cut_rows(const gw_table_set *ts, size_t r0, size_t r1, double off0, double limit,
                      bool keep_order)
{
    double base = ts->row_y[r0];
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
         * text does not cross it, and (keep_order) does not lie wholly below it
         * — unless the text fits above it, in a row grown to the limit at most. */
        cut_probe q = probe_cut(ts, r0, r1, b, k < r1 ? limit - b : 0);
        if (!q.cuts && !(keep_order && q.all_below))
            return b;
    }
    return off0;
}

/* What table_settle_cut visits: the table to change and the cut. */
typedef struct settle {
    gw_table_set *ts;
    size_t r0, r1, end;   /* end: the row boundary of the cut (r1: none) */
    double base, at, grow;
} settle;

/* Move a cell's text by `shift` (pt, downwards). */
static void shift_text(tcell *tc, double shift)
{
    for (size_t k = 0; k < tc->n_g; k++)
        tc->g[k].baseline += shift;
    tc->text_top += shift;
}

/* The row above the cut having grown: a cell ending at the cut stays centred;
 * a cell across it whose text moves up is centred in its part above it. */
static bool settle_cell(const gw_table_set *cts, const tcell *ctc, void *ctx)
{
    const settle *st = ctx;
    double need = 0;
    if (ctc->row < st->r0 || ctc->row >= st->r1)
        return true;
    tcell *tc = &st->ts->cells[ctc - cts->cells];
    if (st->end < st->r1 && tc->row + tc->rowspan == st->end) {
        shift_text(tc, st->grow / 2);
        return true;
    }
    if (!text_moves_up(cts, ctc, st->base, st->at, 0, &need))
        return true;
    double part = st->at - (cts->row_y[tc->row] - st->base);
    shift_text(tc, (part - tc->n_lines * GW_TABLE_LEADING) / 2 - tc->text_top);
    return true;
}

double table_settle_cut(gw_table_set *ts, size_t r0, size_t r1, double at, double limit)
{
    size_t end = boundary_at(ts, r0, r1, at);
    cut_probe q = probe_cut(ts, r0, r1, at, end < r1 ? limit - at : 0);
    settle st = { ts, r0, r1, q.grow > 0 ? end : r1, ts->row_y[r0], at + q.grow, q.grow };
    if (q.grow > 0)
        for (size_t r = end; r <= ts->n_rows; r++)
            ts->row_y[r] += q.grow;                /* the row above the cut grows */
    size_t above = rows_above(ts, r0, r1, st.at);
    if (above == r0)
        return st.at;
    size_t k = above - 1;
    visit_reaching(ts, 1, 0, ts->tree_base, ts->row_first[k], k, settle_cell, &st);
    for (size_t i = ts->row_first[k]; i < ts->row_first[k + 1]; i++)
        settle_cell(ts, &ts->cells[i], &st);
    return st.at;
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
