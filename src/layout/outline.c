/* outline — bookmarks read off the laid-out pages (see outline.h).
 *
 * Called by the outputs as pages are drawn: a line box of a title or of a
 * level-1/level-2 heading opens an entry at the line's top; its glyphs are
 * read while they stay in the role the line was set in (a run-in heading's
 * body text is not part of it) and up to the paragraph's last line, perhaps
 * on the next page. */
#include "outline.h"

#include <stdlib.h>

#include "grow.h"
#include "utf8.h"

void gw_outline_init(gw_outline *o, gw_outline_fn fn, void *arg)
{
    *o = (gw_outline){ .fn = fn, .arg = arg };
}

void gw_outline_free(gw_outline *o)
{
    free(o->text);
    o->text = NULL;
    o->n = o->cap = 0;
}

static bool add_char(gw_outline *o, uint32_t cp)
{
    if (!gw_grow(&o->text, &o->cap, o->n + 5, 1))
        return false;
    o->n += gw_utf8_encode(cp, o->text + o->n);
    o->text[o->n] = '\0';
    return true;
}

/* The role a marked line's text is set in, and its level. */
static bool marked_line(const gw_line_box *b, gw_role *role, int *level)
{
    if (b->kind == GW_LINE_TITLE) {
        *role = GW_ROLE_TITLE;
        *level = 0;
        return true;
    }
    if (b->kind == GW_LINE_HEADING && (b->level == 1 || b->level == 2)) {
        *role = b->level == 1 ? GW_ROLE_HEADING1 : GW_ROLE_HEADING2;
        *level = b->level;
        return true;
    }
    return false;
}

/* The depth of the entry being closed, updating what later entries nest under. */
static int entry_depth(gw_outline *o)
{
    int part = o->in_part ? 1 : 0;
    if (o->level == 0) {
        if (o->n_titles++ > 0) {
            o->in_part = true;
            o->level1_in_part = false;
        }
        return 0;
    }
    if (o->level == 1) {
        o->level1_in_part = true;
        return part;
    }
    return o->level1_in_part ? part + 1 : part;
}

static int close_entry(gw_outline *o)
{
    o->open = false;
    if (o->n == 0)
        return 0;
    gw_outline_entry e = { entry_depth(o), o->text, o->page, o->top };
    return o->fn(o->arg, &e);
}

static int read_line(gw_outline *o, const gw_page *p, const gw_line_box *b, size_t index)
{
    if (b->kind == GW_LINE_PAGENUM)
        return 0;
    if (!o->open) {
        if (b->count == 0 || !b->para_start || !marked_line(b, &o->role, &o->level))
            return 0;
        o->open = true;
        o->page = index;
        o->top = b->baseline + p->glyphs[b->first].size;
        o->n = 0;
    }
    for (size_t g = b->first; g < b->first + b->count; g++) {
        if (p->glyphs[g].role != o->role)
            return close_entry(o);
        if (!add_char(o, p->glyphs[g].cp))
            return -1;
    }
    return b->para_end ? close_entry(o) : 0;
}

int gw_outline_page(gw_outline *o, const gw_page *p, size_t index)
{
    for (size_t i = 0; i < p->n_lines; i++)
        if (read_line(o, p, &p->lines[i], index) != 0)
            return -1;
    return 0;
}

int gw_outline_finish(gw_outline *o)
{
    return o->open ? close_entry(o) : 0;
}
