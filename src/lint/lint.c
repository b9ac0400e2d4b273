/* lint — proofreading checks on a format-v1 source and their safe fixes (see lint.h).
 *
 * Called by the CLI (`gwpdf lint`).  The source is loaded by the model, which
 * validates it and keeps the source line and column of every character of
 * text; the checks walk those texts, so each finding is placed exactly
 * without scanning the XML again.  Fixes go back to the raw bytes: the line
 * and column of a finding give the offset of the one ASCII character to
 * replace, and every other byte is copied unchanged. */
#include "lint.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "import.h"
#include "outfile.h"
#include "utf8.h"

typedef struct linter {
    gw_lint_report *r;
    size_t cap;
    bool oom;
    const char *src;
    size_t len;
    size_t *line_start;     /* byte offset of each source line (index 0: line 1) */
    size_t n_lines;
} linter;

static gw_lint_finding *add(linter *l, gw_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static gw_lint_finding *add(linter *l, gw_pos pos, const char *fmt, ...)
{
    if (!gw_grow(&l->r->findings, &l->cap, l->r->n + 1, sizeof *l->r->findings)) {
        l->oom = true;
        return NULL;
    }
    gw_lint_finding *f = &l->r->findings[l->r->n++];
    memset(f, 0, sizeof *f);
    f->pos = pos;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->message, sizeof f->message, fmt, ap);
    va_end(ap);
    return f;
}

/* "U+XXXX" characters as UTF-8, for messages. */
static const char *utf8_of(uint32_t cp, char buf[8])
{
    size_t n = gw_utf8_encode(cp, buf);
    buf[n] = '\0';
    return buf;
}

/* ---------------------------------------------------------------------------
 * Source positions → byte offsets
 * ------------------------------------------------------------------------- */

static void index_lines(linter *l)
{
    size_t cap = 0;
    /* After a byte order mark, as the model counts columns. */
    size_t start = l->len >= 3 && !memcmp(l->src, "\xEF\xBB\xBF", 3) ? 3 : 0;
    for (size_t i = start;; i++) {
        if (!gw_grow(&l->line_start, &cap, l->n_lines + 1, sizeof *l->line_start)) {
            l->oom = true;
            return;
        }
        l->line_start[l->n_lines++] = start;
        while (i < l->len && l->src[i] != '\n' && l->src[i] != '\r')
            i++;
        if (i >= l->len)
            return;
        if (l->src[i] == '\r' && i + 1 < l->len && l->src[i + 1] == '\n')
            i++;
        start = i + 1;
    }
}

/* The byte offset of pos (columns count characters), or SIZE_MAX. */
static size_t offset_of(const linter *l, gw_pos pos)
{
    if (pos.line < 1 || (size_t)pos.line > l->n_lines || pos.col < 1)
        return SIZE_MAX;
    size_t off = l->line_start[pos.line - 1];
    for (long c = 1; c < pos.col; c++) {
        if (off >= l->len || l->src[off] == '\n' || l->src[off] == '\r')
            return SIZE_MAX;
        uint32_t cp;
        size_t n = gw_utf8_decode((const unsigned char *)l->src + off, l->len - off, &cp);
        off += n ? n : 1;
    }
    return off < l->len ? off : SIZE_MAX;
}

/* ---------------------------------------------------------------------------
 * Punctuation
 * ------------------------------------------------------------------------- */

static uint32_t full_width_of(uint32_t c)
{
    switch (c) {
    case ',': return 0xFF0C;
    case ';': return 0xFF1B;
    case ':': return 0xFF1A;
    case '?': return 0xFF1F;
    case '!': return 0xFF01;
    case '(': return 0xFF08;
    case ')': return 0xFF09;
    default: return 0;
    }
}

static bool cjk_at(const gw_text *t, size_t i)
{
    return i < t->len && t->cp[i] != GW_CP_LINE_BREAK && gw_cp_is_cjk(t->cp[i]);
}

static bool next_to_cjk(const gw_text *t, size_t i)
{
    return (i > 0 && cjk_at(t, i - 1)) || cjk_at(t, i + 1);
}

/* Will the straight double quotes of t be fixed (paired as “ ”)? */
static bool quotes_paired(const gw_text *t)
{
    size_t n = 0;
    for (size_t i = 0; i < t->len; i++)
        n += t->cp[i] == '"';
    return n % 2 == 0;
}

/* Chinese text on either side, counting straight quotes that will become “ ”. */
static bool next_to_cjk_after_fix(const gw_text *t, size_t i, bool paired)
{
    bool before = i > 0 && (cjk_at(t, i - 1) || (paired && t->cp[i - 1] == '"'));
    bool after = i + 1 < t->len && (cjk_at(t, i + 1) || (paired && t->cp[i + 1] == '"'));
    return before || after;
}

static void flag_half_width(linter *l, const gw_text *t, size_t i, const char *why)
{
    uint32_t full = full_width_of(t->cp[i]);
    char a[8], b[8];
    gw_lint_finding *f = add(l, t->pos[i], "half-width '%s' %s: use '%s'",
                             utf8_of(t->cp[i], a), why, utf8_of(full, b));
    if (f) {
        f->fix_from = t->cp[i];
        f->fix_to = full;
    }
}

/* , ; : ? ! ( ) next to Chinese text on either side (at the end of a
 * paragraph too).  A half-width bracket is changed with its partner, so a
 * fix never leaves a pair of mixed widths. */
static void check_half_width(linter *l, const gw_text *t)
{
    size_t *partner = malloc((t->len ? t->len : 1) * sizeof *partner);
    size_t *stack = malloc((t->len ? t->len : 1) * sizeof *stack);
    bool *flagged = calloc(t->len ? t->len : 1, sizeof *flagged);
    if (!partner || !stack || !flagged) {
        l->oom = true;
        goto done;
    }
    size_t depth = 0;
    for (size_t i = 0; i < t->len; i++) {
        partner[i] = SIZE_MAX;
        if (t->cp[i] == '(') {
            stack[depth++] = i;
        } else if (t->cp[i] == ')' && depth > 0) {
            partner[i] = stack[--depth];
            partner[stack[depth]] = i;
        }
    }
    bool paired = quotes_paired(t);
    for (size_t i = 0; i < t->len; i++)
        flagged[i] = full_width_of(t->cp[i]) && next_to_cjk_after_fix(t, i, paired);
    /* A mark touching one that becomes full-width, or the partner of a bracket
     * that does, becomes full-width too ("中:;" → "中：；"), so that the fixed
     * text has nothing left to report.  Sweeps both ways until nothing changes. */
    for (bool changed = true; changed;) {
        changed = false;
        for (size_t k = 0; k < 2 * t->len; k++) {
            size_t i = k < t->len ? k : 2 * t->len - 1 - k;
            if (flagged[i] || !full_width_of(t->cp[i]))
                continue;
            if ((i > 0 && flagged[i - 1]) || (i + 1 < t->len && flagged[i + 1])
                || (partner[i] != SIZE_MAX && flagged[partner[i]])) {
                flagged[i] = true;
                changed = true;
            }
        }
    }
    for (size_t i = 0; i < t->len; i++) {
        if (!flagged[i])
            continue;
        if (next_to_cjk_after_fix(t, i, paired))
            flag_half_width(l, t, i, "next to Chinese text");
        else if (partner[i] != SIZE_MAX && flagged[partner[i]])
            flag_half_width(l, t, i, "pairing a bracket next to Chinese text");
        else
            flag_half_width(l, t, i, "in a run of punctuation next to Chinese text");
    }
done:
    free(partner);
    free(stack);
    free(flagged);
}

/* Straight quotes: " anywhere (paired as “ ” when their number is even),
 * ' next to Chinese text (an apostrophe between Latin letters is left alone). */
static void check_straight_quotes(linter *l, const gw_text *t)
{
    bool paired = quotes_paired(t);
    size_t seen = 0;
    for (size_t i = 0; i < t->len; i++) {
        if (t->cp[i] == '"') {
            bool opening = seen++ % 2 == 0;
            gw_lint_finding *f;
            if (paired) {
                f = add(l, t->pos[i], "straight quote '\"': use '%s'", opening ? "“" : "”");
                if (f) {
                    f->fix_from = '"';
                    f->fix_to = opening ? 0x201C : 0x201D;
                }
            } else {
                add(l, t->pos[i], "straight quote '\"': use '“' or '”' (an odd number of them "
                    "here, so not paired automatically)");
            }
        } else if (t->cp[i] == '\'' && next_to_cjk(t, i)) {
            add(l, t->pos[i], "straight quote ''' next to Chinese text: use '‘' or '’'");
        }
    }
}

/* ---------------------------------------------------------------------------
 * Balance of brackets and quotes
 * ------------------------------------------------------------------------- */

typedef struct pair {
    uint32_t open, close, open_alt, close_alt;
} pair;

static const pair PAIRS[] = {
    { 0xFF08, 0xFF09, '(', ')' },          /* （ ） and ( ) */
    { 0x3010, 0x3011, '[', ']' },          /* 【 】 and [ ] */
    { 0x300A, 0x300B, 0, 0 },              /* 《 》 */
    { 0x3008, 0x3009, 0, 0 },              /* 〈 〉 */
    { 0x300C, 0x300D, 0, 0 },              /* 「 」 */
    { 0x300E, 0x300F, 0, 0 },              /* 『 』 */
    { 0x3014, 0x3015, 0, 0 },              /* 〔 〕 */
    { 0x201C, 0x201D, 0, 0 },              /* “ ” */
    { 0x2018, 0x2019, 0, 0 },              /* ‘ ’ */
};
enum { N_PAIRS = sizeof PAIRS / sizeof PAIRS[0] };

static int pair_opened_by(uint32_t c)
{
    for (int k = 0; k < N_PAIRS; k++)
        if (c == PAIRS[k].open || (PAIRS[k].open_alt && c == PAIRS[k].open_alt))
            return k;
    return -1;
}

static int pair_closed_by(uint32_t c)
{
    for (int k = 0; k < N_PAIRS; k++)
        if (c == PAIRS[k].close || (PAIRS[k].close_alt && c == PAIRS[k].close_alt))
            return k;
    return -1;
}

static bool is_latin_letter(uint32_t c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static void check_balance(linter *l, const gw_text *t)
{
    size_t *open = malloc((t->len ? t->len : 1) * sizeof *open);
    if (!open) {
        l->oom = true;
        return;
    }
    size_t depth = 0;
    char a[8], b[8];
    for (size_t i = 0; i < t->len; i++) {
        uint32_t c = t->cp[i];
        if (c == 0x2019 && i > 0 && i + 1 < t->len && is_latin_letter(t->cp[i - 1])
            && is_latin_letter(t->cp[i + 1]))
            continue;                                   /* an apostrophe: don’t */
        int k = pair_opened_by(c);
        if (k >= 0) {
            open[depth++] = i;
            continue;
        }
        k = pair_closed_by(c);
        if (k < 0)
            continue;
        size_t d = depth;
        while (d > 0 && pair_opened_by(t->cp[open[d - 1]]) != k)
            d--;
        if (d == 0) {
            add(l, t->pos[i], "'%s' closes nothing: no '%s' before it", utf8_of(c, a),
                utf8_of(PAIRS[k].open, b));
            continue;
        }
        while (depth > d) {                              /* opened inside, never closed */
            size_t o = open[--depth];
            add(l, t->pos[o], "'%s' is not closed before the '%s' at line %d column %d",
                utf8_of(t->cp[o], a), utf8_of(c, b), t->pos[i].line, t->pos[i].col);
        }
        depth--;
    }
    while (depth > 0) {
        size_t o = open[--depth];
        int k = pair_opened_by(t->cp[o]);
        add(l, t->pos[o], "'%s' is not closed (no '%s' after it)", utf8_of(t->cp[o], a),
            utf8_of(PAIRS[k].close, b));
    }
    free(open);
}

/* ---------------------------------------------------------------------------
 * Dates
 * ------------------------------------------------------------------------- */

static char *text_utf8_span(const gw_text *t, size_t from, size_t to)
{
    gw_text part = { t->cp + from, t->pos + from, t->flags + from, to - from };
    return gw_text_utf8(&part);
}

/* 2022年2月30日 in running text: Arabic year, month and day. */
static void check_text_dates(linter *l, const gw_text *t)
{
    for (size_t i = 4; i < t->len; i++) {
        if (t->cp[i] != 0x5E74)                          /* 年 */
            continue;
        size_t from = i;
        while (from > 0 && t->cp[from - 1] >= '0' && t->cp[from - 1] <= '9' && i - from < 5)
            from--;
        if (i - from != 4)
            continue;
        size_t to = i + 1;
        while (to < t->len && to - i <= 8 && t->cp[to] != 0x65E5)   /* 日 */
            to++;
        gw_written_date d;
        if (to >= t->len || !gw_date_parse(t->cp + from, to + 1 - from, &d) || d.real)
            continue;
        char *s = text_utf8_span(t, from, to + 1);
        add(l, t->pos[from], "%s is not a real calendar date", s ? s : "the date");
        free(s);
    }
}

/* Is the source at pos typed DDDD-DD-DD? */
static bool typed_iso(const linter *l, gw_pos pos)
{
    size_t off = offset_of(l, pos);
    if (off == SIZE_MAX || off + 10 > l->len)
        return false;
    for (size_t i = 0; i < 10; i++) {
        char c = l->src[off + i];
        if ((i == 4 || i == 7) ? c != '-' : (c < '0' || c > '9'))
            return false;
    }
    return true;
}

static void check_signature_date(linter *l, const gw_signature *sig)
{
    const gw_text *t = &sig->date;
    if (!sig->has_date || t->len == 0 || typed_iso(l, t->pos[0]))
        return;                                          /* ISO dates are checked by the model */
    char *s = gw_text_utf8(t);
    gw_written_date d;
    if (!gw_date_parse(t->cp, t->len, &d))
        add(l, t->pos[0], "the date '%s' is not a date: write it as 2023-03-15", s ? s : "");
    else if (!d.real)
        add(l, t->pos[0], "the date '%s' is not a real calendar date", s ? s : "");
    else
        add(l, t->pos[0], "the date '%s' is written out: write it as %04d-%02d-%02d, printed "
            "%d年%d月%d日 in Arabic numerals as GB/T 9704-2012 asks", s ? s : "", d.year,
            d.month, d.day, d.year, d.month, d.day);
    free(s);
}

/* ---------------------------------------------------------------------------
 * The document
 * ------------------------------------------------------------------------- */

static void check_text(linter *l, const gw_text *t)
{
    check_half_width(l, t);
    check_straight_quotes(l, t);
    check_balance(l, t);
    check_text_dates(l, t);
}

static void check_typed_number(linter *l, const gw_text *t, const char *what)
{
    gw_typed_number num;
    if (!gw_typed_number_match(t->cp, t->len, &num))
        return;
    size_t end = num.len;
    while (end > 0 && (t->cp[end - 1] == ' ' || t->cp[end - 1] == 0x3000 || t->cp[end - 1] == '\t'))
        end--;
    char *s = text_utf8_span(t, 0, end);
    add(l, t->pos[0], "%s starts with the typed number '%s': format v1 numbers %ss itself "
        "(remove it)", what, s ? s : "", what);
    free(s);
}

static void check_table(linter *l, const gw_table *tab)
{
    check_text(l, &tab->caption);
    for (size_t r = 0; r < tab->n_rows; r++)
        for (size_t c = 0; c < tab->rows[r].n_cells; c++)
            check_text(l, &tab->rows[r].cells[c].text);
}

static void check_blocks(linter *l, const gw_block *blocks, size_t n)
{
    for (size_t i = 0; i < n && !l->oom; i++) {
        const gw_block *b = &blocks[i];
        switch (b->kind) {
        case GW_BLOCK_PARA:
            check_text(l, &b->text);
            break;
        case GW_BLOCK_ITEM:
            check_typed_number(l, &b->text, "list item");
            check_text(l, &b->text);
            break;
        case GW_BLOCK_SECTION:
            if (b->numbered)
                check_typed_number(l, &b->heading, "heading");
            check_text(l, &b->heading);
            if (b->n_children == 0) {
                char *h = gw_text_utf8(&b->heading);
                add(l, b->pos, "the section '%s' is empty: nothing follows its heading",
                    h ? h : "");
                free(h);
            }
            check_blocks(l, b->children, b->n_children);
            break;
        case GW_BLOCK_LIST:
            check_blocks(l, b->children, b->n_children);
            break;
        case GW_BLOCK_TABLE:
            check_table(l, b->table);
            break;
        case GW_BLOCK_PAGEBREAK:
            break;
        }
    }
}

/* Where </report> starts: the place of a finding about the whole document. */
static gw_pos end_of_report(const linter *l)
{
    gw_pos pos = { (long)l->n_lines, 1 };
    const char *tag = "</report";
    size_t n = strlen(tag);
    for (size_t off = l->len >= n ? l->len - n + 1 : 0; off-- > 0;) {
        if (memcmp(l->src + off, tag, n) != 0)
            continue;
        for (size_t line = l->n_lines; line-- > 0;) {
            if (l->line_start[line] > off)
                continue;
            pos.line = (long)line + 1;
            pos.col = 1;
            for (size_t k = l->line_start[line]; k < off; k++)
                pos.col += ((unsigned char)l->src[k] & 0xC0) != 0x80;
            return pos;
        }
    }
    return pos;
}

static int by_position(const void *a, const void *b)
{
    const gw_lint_finding *x = a, *y = b;
    if (x->pos.line != y->pos.line)
        return x->pos.line < y->pos.line ? -1 : 1;
    if (x->pos.col != y->pos.col)
        return x->pos.col < y->pos.col ? -1 : 1;
    return 0;
}

/* Is `listed` the text of `title` without its line breaks? */
static bool same_but_breaks(const gw_text *listed, const gw_text *title)
{
    size_t j = 0;
    for (size_t i = 0; i < title->len; i++) {
        if (title->cp[i] == GW_CP_LINE_BREAK)
            continue;
        if (j >= listed->len || listed->cp[j] != title->cp[i])
            return false;
        j++;
    }
    return j == listed->len;
}

/* The 发文字号's year goes in 〔〕 (GB/T 9704 §7.2.5), not 【】, [] or （）; its
 * number has no leading zero and no 第 (“不编虚位…不加‘第’字”). */
static void check_doc_number(linter *l, const gw_text *t)
{
    for (size_t i = 0; i < t->len; i++) {
        uint32_t cp = t->cp[i];
        if (cp == 0x3010 || cp == '[' || cp == 0xFF3B || cp == 0xFF08 || cp == '(') {
            add(l, t->pos[i], "the year of the 发文字号 goes in 〔〕 (U+3014, U+3015), as GB/T "
                "9704 §7.2.5 asks");
            break;
        }
    }
    gw_doc_number dn;
    if (!t->len || !gw_doc_number_parse(t->cp, t->len, &dn))
        return;
    size_t after = dn.organ_len + 6;             /* the organ, the bracketed year */
    if (dn.di && after < t->len)
        add(l, t->pos[after], "the 发文字号's number takes no 第 (GB/T 9704 §7.2.5)");
    if (dn.leading_zero && after + dn.di < t->len)
        add(l, t->pos[after + dn.di], "the 发文字号's number has no leading zero (GB/T 9704 §7.2.5: "
            "不编虚位, 1 not 01)");
}

/* A printed date (2023年3月15日, as the model keeps it) as a day count to
 * compare; -1 when it is not one. */
static long day_of(const gw_text *t)
{
    gw_written_date d;
    if (!t->len || !gw_date_parse(t->cp, t->len, &d) || !d.real)
        return -1;
    return (long)d.year * 400 + d.month * 32 + d.day;
}

/* The 版记's 印发日期 is the day the document was printed and sent: not before
 * the 成文日期 of its 落款. */
static void check_record_date(linter *l, const gw_doc *doc)
{
    if (!doc->record || !doc->signature || !doc->signature->has_date)
        return;
    long signed_on = day_of(&doc->signature->date), sent_on = day_of(&doc->record->distributed);
    if (signed_on >= 0 && sent_on >= 0 && sent_on < signed_on)
        add(l, doc->record->pos, "the 版记's 印发 date is before the 成文日期 of the 落款: a "
            "document is printed on or after the day it is signed");
}

/* 主送 is typed with its final colon (GB/T 9704 §7.3.2: 最后一个机关名称后标全角冒号). */
static void check_to(linter *l, const gw_text *to)
{
    if (!to->len)
        return;
    uint32_t last = to->cp[to->len - 1];
    if (last != 0xFF1A && last != ':')           /* a half-width one is fixed as text is */
        add(l, to->pos[to->len - 1], "the 主送 ends without its colon: type '：' after the last "
            "organ (GB/T 9704 §7.3.2)");
}

/* What format v2 adds: the 版头's texts, 主送, 附注, the 版记, the attachments
 * written in this file (their texts, and a listed name that differs from the
 * title, which GB/T 9704 §7.3.7 does not allow). */
static void check_v2(linter *l, const gw_doc *doc)
{
    const gw_header *h = doc->header;
    if (h) {
        for (size_t i = 0; i < h->n_marks; i++)
            check_text(l, &h->marks[i]);
        check_text(l, &h->doc_number);
        check_doc_number(l, &h->doc_number);
        if (h->n_marks == 0)
            add(l, h->pos, "the 版头 has no 发文机关标志: add <issuer-mark> (the 发文字号 and the "
                "red rule are set from line 1 without it)");
    }
    check_text(l, &doc->to);
    check_to(l, &doc->to);
    check_record_date(l, doc);
    check_text(l, &doc->note);
    if (doc->record)
        check_text(l, &doc->record->cc);
    for (size_t i = 0; i < doc->n_attachments; i++) {
        const gw_attachment *a = &doc->attachments[i];
        if (!a->doc || strcmp(a->doc->path, doc->path) != 0)
            continue;                      /* bound from another file: lint that file */
        if (a->doc->title.len && !same_but_breaks(&a->title, &a->doc->title))
            add(l, a->pos, "the attachment's name in the 附件说明 differs from its title; GB/T "
                "9704 §7.3.7 asks for the same name in both");
        check_text(l, &a->doc->title);
        check_blocks(l, a->doc->blocks, a->doc->n_blocks);
    }
}

int gw_lint_doc(const gw_doc *doc, const char *src, size_t len, gw_lint_report *out)
{
    memset(out, 0, sizeof *out);
    linter l = { out, 0, false, src, len, NULL, 0 };
    index_lines(&l);
    if (!l.oom) {
        check_text(&l, &doc->label);
        check_text(&l, &doc->title);
        check_text(&l, &doc->subtitle);
        check_blocks(&l, doc->blocks, doc->n_blocks);
        if (doc->version == 2)
            check_v2(&l, doc);
        if (doc->signature) {
            for (size_t i = 0; i < doc->signature->n_issuers; i++)
                check_text(&l, &doc->signature->issuers[i]);
            check_signature_date(&l, doc->signature);
        } else if (doc->label.len == 0 && doc->kind != GW_KIND_MINUTES) {
            /* An attachment (附件) is signed by the document it is attached to. */
            add(&l, end_of_report(&l), "no signature: add <signature> with the issuer and "
                "the date (an attachment, with <label>, needs none)");
        }
    }
    free(l.line_start);
    if (l.oom) {
        gw_lint_report_free(out);
        return -1;
    }
    /* Stable order by position: findings of one character keep their order. */
    gw_lint_finding *f = out->findings;
    for (size_t i = 1; i < out->n; i++)
        for (size_t j = i; j > 0 && by_position(&f[j - 1], &f[j]) > 0; j--) {
            gw_lint_finding tmp = f[j];
            f[j] = f[j - 1];
            f[j - 1] = tmp;
        }
    return 0;
}

void gw_lint_report_free(gw_lint_report *r)
{
    free(r->findings);
    r->findings = NULL;
    r->n = 0;
}

char *gw_lint_fix(const char *src, size_t len, gw_lint_report *r, size_t *out_len)
{
    linter l = { r, 0, false, src, len, NULL, 0 };
    index_lines(&l);
    /* Each fix replaces one ASCII byte by at most 3 bytes. */
    char *out = l.oom ? NULL : malloc(len + 3 * r->n + 1);
    if (!out) {
        free(l.line_start);
        return NULL;
    }
    size_t *at = malloc((r->n ? r->n : 1) * sizeof *at);
    if (!at) {
        free(out);
        free(l.line_start);
        return NULL;
    }
    for (size_t i = 0; i < r->n; i++) {
        gw_lint_finding *f = &r->findings[i];
        at[i] = f->fix_to ? offset_of(&l, f->pos) : SIZE_MAX;
        if (at[i] != SIZE_MAX && (unsigned char)src[at[i]] != f->fix_from)
            at[i] = SIZE_MAX;                        /* typed as a reference: leave it */
        if (at[i] == SIZE_MAX)
            f->fix_to = 0;
    }
    size_t o = 0, copied = 0;
    for (size_t i = 0; i < r->n; i++) {              /* findings are in source order */
        if (at[i] == SIZE_MAX || at[i] < copied)
            continue;
        memcpy(out + o, src + copied, at[i] - copied);
        o += at[i] - copied;
        o += gw_utf8_encode(r->findings[i].fix_to, out + o);
        copied = at[i] + 1;
    }
    memcpy(out + o, src + copied, len - copied);
    o += len - copied;
    out[o] = '\0';
    *out_len = o;
    free(at);
    free(l.line_start);
    return out;
}

/* A source fixed in place is rewritten only when a fix was applied. */
static bool needs_writing(const gw_lint_report *r, const char *path, const char *fix_path)
{
    if (strcmp(path, fix_path) != 0)
        return true;
    for (size_t i = 0; i < r->n; i++)
        if (r->findings[i].fix_to)
            return true;
    return false;
}

/* Fixed findings listed on fix_log, the others reported as warnings; 1 when
 * any warning was reported, else 0. */
static int report_findings(const gw_lint_report *r, const char *path, bool fixed, FILE *fix_log,
                           gw_diag *diag)
{
    int status = 0;
    for (size_t i = 0; i < r->n; i++) {
        const gw_lint_finding *f = &r->findings[i];
        if (fixed && f->fix_to) {
            char a[8], b[8];
            fprintf(fix_log, "%s:%d:%d: fixed: '%s' → '%s' (%s)\n", path, f->pos.line,
                    f->pos.col, utf8_of(f->fix_from, a), utf8_of(f->fix_to, b), f->message);
        } else {
            gw_warn(diag, path, f->pos.line, f->pos.col, "%s", f->message);
            status = 1;
        }
    }
    return status;
}

int gw_lint_run(const char *path, const gw_limits *limits, const char *fix_path, FILE *fix_log,
                gw_diag *diag)
{
    gw_limits lim = limits ? *limits : gw_limits_default();
    size_t len;
    char *src = gw_read_file(path, lim.bytes, &len, diag);
    if (!src)
        return errno == EFBIG ? 1 : 2;          /* over the byte limit is the input's fault */
    gw_doc *doc = gw_doc_load_memory(path, src, len, NULL, &lim, diag);
    gw_lint_report r;
    int status;
    if (!doc) {
        status = 1;
    } else if (gw_lint_doc(doc, src, len, &r) != 0) {
        gw_error(diag, path, 0, 0, "out of memory");
        status = 2;
    } else {
        size_t fixed_len = 0;
        char *fixed = fix_path ? gw_lint_fix(src, len, &r, &fixed_len) : NULL;
        if (fix_path && !fixed) {
            gw_error(diag, path, 0, 0, "out of memory");
            status = 2;
        } else if (fixed && needs_writing(&r, path, fix_path)
                   && gw_write_output(fix_path, NULL, 0, fixed, fixed_len, diag) != 0) {
            status = 2;                              /* nothing fixed: nothing listed */
        } else {
            status = report_findings(&r, path, fixed != NULL, fix_log, diag);
        }
        free(fixed);
        gw_lint_report_free(&r);
    }
    gw_doc_free(doc);
    free(src);
    return status;
}
