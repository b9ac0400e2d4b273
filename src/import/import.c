/* import — plain text → a format-v1 source (see import.h, docs/import.md).
 *
 * Called by the CLI (`gwpdf import`).  The text goes through three steps:
 *   1. decoded (UTF-8, else GB18030 through iconv) and cut into lines, each
 *      trimmed of the blanks at its ends;
 *   2. front matter (label, title, subtitle) taken from the first lines, the
 *      signature (issuer, date) from the last ones, and the lines between
 *      joined into paragraphs: a line that does not end a sentence continues
 *      into the next non-empty line unless that one starts with a typed number
 *      (blank lines in mid-sentence are page breaks of the original);
 *   3. each paragraph that starts with a typed number becomes a heading, a
 *      run-in heading or a list item — the numbered paragraphs of one sequence
 *      (same kind of number under the same parent) are all headings or all
 *      list items — and the XML is written while a stack of open sections
 *      follows the numbering levels (一、 1, （一） 2, 1. 3, （1） 4).
 * The XML is written by a small escaping writer (only &, < and > need it in
 * text) so the module needs no libxml2; the result is checked by the model
 * against the schema before it is returned. */
#define _POSIX_C_SOURCE 200809L   /* open_memstream */
#include "import.h"
#include "numbering.h"

#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "model.h"
#include "textbuf.h"
#include "utf8.h"

enum {
    HEADING_MAX = 40,    /* characters of a heading (after its number) */
    RUNIN_MAX = 30,      /* characters of a run-in heading's sentence */
    TITLE_LINE_MAX = 40, /* characters of one line of the title or subtitle */
    LABEL_MAX = 8,       /* characters of 附件N */
    ISSUER_MAX = 30,     /* characters of the issuer line */
    MAX_LEVEL = 5,       /* ① items sit below the four heading levels */
};

/* ---------------------------------------------------------------------------
 * Characters
 * ------------------------------------------------------------------------- */

static bool is_blank(uint32_t c)
{
    return c == ' ' || c == '\t' || c == 0x3000 || c == 0xA0 || c == 0xFEFF;
}

/* Characters XML 1.0 can hold (tab and line ends are handled before). */
static bool is_xml_char(uint32_t c)
{
    return c == '\t' || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD)
        || (c >= 0x10000 && c <= 0x10FFFF);
}

/* Marks that may follow the end of a sentence: 。” ！） …… */
static bool is_closing_mark(uint32_t c)
{
    return c == 0x201D || c == 0x2019 || c == 0xFF09 || c == ')' || c == 0x300D
        || c == 0x300F || c == 0x300B || c == 0x3011 || c == 0x3015 || c == 0x3009 || c == '"';
}

/* Marks after which a line is a complete paragraph: the sentence ends, or a
 * colon or semicolon introduces what follows (主要职责是：). */
static bool is_paragraph_end_mark(uint32_t c)
{
    return c == 0x3002 || c == 0xFF01 || c == 0xFF1F || c == '!' || c == '?' || c == 0xFF1B
        || c == ';' || c == 0xFF1A || c == ':' || c == 0x2026 || c == '.' || c == 0xFF0E;
}

/* Marks that end a sentence inside a line (for run-in headings). */
static bool is_sentence_end(uint32_t c)
{
    return c == 0x3002 || c == 0xFF01 || c == 0xFF1F || c == '!' || c == '?';
}

/* Marks that may not end a heading: a line ending so continues. */
static bool is_continuation_end(uint32_t c)
{
    static const uint32_t words[] = {
        0xFF0C, ',', 0x3001, 0x201C, 0xFF08, '(', 0x300A,        /* ， , 、 “ （ ( 《 */
        0x7684, 0x548C, 0x4E0E, 0x53CA, 0x6216, 0x5BF9, 0x628A,  /* 的 和 与 及 或 对 把 */
        0x88AB, 0x5C06, 0x4ECE, 0x5411, 0x5E76, 0x4E14, 0x4E4B,  /* 被 将 从 向 并 且 之 */
        0x4E8E,                                                  /* 于 */
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (c == words[i])
            return true;
    return false;
}

static bool ends_paragraph(const uint32_t *cp, size_t len)
{
    while (len > 0 && is_closing_mark(cp[len - 1]))
        len--;
    return len > 0 && is_paragraph_end_mark(cp[len - 1]);
}

static bool contains_any(const uint32_t *cp, size_t len, bool (*pred)(uint32_t))
{
    for (size_t i = 0; i < len; i++)
        if (pred(cp[i]))
            return true;
    return false;
}

static bool is_clause_mark(uint32_t c)
{
    return c == 0xFF0C || c == ',' || c == 0xFF1B || c == ';' || c == 0xFF1A || c == ':';
}

static bool is_inner_stop(uint32_t c)
{
    return is_sentence_end(c) || c == 0xFF1B || c == ';';
}

/* ---------------------------------------------------------------------------
 * Typed numbers and dates (also used by lint)
 * ------------------------------------------------------------------------- */

/* The digit and numeral readers live in numbering.c, beside the recogniser of
 * typed numbers (gw_typed_number_match) that the layout shares too. */
static int digit_value(uint32_t c) { return gw_digit_value(c); }
static int cn_digit(uint32_t c, bool zeros) { return gw_cn_digit(c, zeros); }
static size_t cn_number(const uint32_t *cp, size_t len, int *value)
{
    return gw_cn_number(cp, len, value);
}
static size_t arabic_number(const uint32_t *cp, size_t len, size_t max_digits, int *value)
{
    return gw_arabic_number(cp, len, max_digits, value);
}

#define CN_TEN 0x5341u   /* 十 */

static bool is_open_paren(uint32_t c) { return c == '(' || c == 0xFF08; }
static bool is_close_paren(uint32_t c) { return c == ')' || c == 0xFF09; }

static int days_in_month(int y, int m)
{
    static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

static size_t skip_blanks(const uint32_t *cp, size_t len, size_t i)
{
    while (i < len && is_blank(cp[i]))
        i++;
    return i;
}

/* A month or day at cp[*i]: Arabic (1–2 digits) or Chinese (一 … 三十一). */
static bool date_field(const uint32_t *cp, size_t len, size_t *i, int *value)
{
    size_t n = arabic_number(cp + *i, len - *i, 2, value);
    if (!n && *i + 1 < len && digit_value(cp[*i]) == 0)    /* 03 */
        n = arabic_number(cp + *i + 1, len - *i - 1, 1, value) ? 2 : 0;
    if (!n)
        n = cn_number(cp + *i, len - *i, value);
    *i += n;
    return n > 0;
}

static bool iso_date(const uint32_t *cp, size_t len, gw_written_date *d)
{
    if (len != 10)
        return false;
    int v[3] = { 0, 0, 0 };
    for (size_t i = 0, f = 0; i < 10; i++) {
        if (i == 4 || i == 7) {
            if (cp[i] != '-')
                return false;
            f++;
        } else if (cp[i] >= '0' && cp[i] <= '9') {
            v[f] = v[f] * 10 + (int)(cp[i] - '0');
        } else {
            return false;
        }
    }
    d->year = v[0];
    d->month = v[1];
    d->day = v[2];
    d->iso = true;
    return true;
}

bool gw_date_parse(const uint32_t *cp, size_t len, gw_written_date *d)
{
    memset(d, 0, sizeof *d);
    if (!iso_date(cp, len, d)) {
        size_t i = 0;
        int year = 0;
        bool arabic = len > 0 && digit_value(cp[0]) >= 0;
        for (; i < 4; i++) {                               /* 2023 or 二〇二三 */
            int v = i >= len ? -1 : arabic ? digit_value(cp[i]) : cn_digit(cp[i], true);
            if (v < 0)
                return false;
            year = year * 10 + v;
        }
        static const uint32_t marks[3] = { 0x5E74, 0x6708, 0x65E5 };   /* 年 月 日 */
        int fields[2];
        for (int f = 0; f < 3; f++) {
            i = skip_blanks(cp, len, i);
            if (i >= len || cp[i] != marks[f])
                return false;
            i = skip_blanks(cp, len, i + 1);
            if (f < 2 && !date_field(cp, len, &i, &fields[f]))
                return false;
        }
        if (i != len)
            return false;
        d->year = year;
        d->month = fields[0];
        d->day = fields[1];
    }
    d->real = d->year >= 1 && d->month >= 1 && d->month <= 12 && d->day >= 1
              && d->day <= days_in_month(d->year, d->month);
    return true;
}

/* ---------------------------------------------------------------------------
 * Buffers
 * ------------------------------------------------------------------------- */

typedef struct cpbuf {
    uint32_t *v;
    size_t len, cap;
} cpbuf;

typedef struct strbuf {
    char *v;
    size_t len, cap;
} strbuf;

/* A source line, trimmed: text[start..start+len) of the decoded text. */
typedef struct src_line {
    size_t start, len;
    long line;              /* 1-based line number in the input */
    bool blank_before;      /* an empty line (or more) separates it from the previous one */
} src_line;

typedef enum role { ROLE_P, ROLE_HEADING, ROLE_RUNIN, ROLE_ITEM, ROLE_BLOCK } role;

typedef enum shape {
    SHAPE_HEADING,          /* short, one phrase: 部门概况 */
    SHAPE_RUNIN,            /* a short first sentence, then body text */
    SHAPE_ITEM,             /* anything longer: a numbered paragraph */
} shape;

typedef struct para {
    cpbuf text;
    long line;              /* first source line */
    gw_typed_number num;    /* num.level 0: not numbered */
    shape shape;
    role role;
    size_t runin_len;       /* characters of the run-in heading (after the number) */
    bool decided;           /* role given with the rest of its sequence */
    bool block;             /* a GW_IMPORT_BLOCK line: the caller's next XML block */
} para;

/* A warning kept until the end, so that they come out in line order although
 * they are found in several passes. */
typedef struct note {
    long line;
    char message[256];
} note;

typedef struct importer {
    const char *name;
    gw_diag *diag;
    bool oom;
    cpbuf text;             /* the decoded input */
    long *line_of;          /* source line of each decoded character */
    src_line *lines;        /* non-empty lines */
    size_t n_lines, cap_lines;
    para *paras;
    size_t n_paras, cap_paras;
    strbuf out;
    long out_line;          /* line of the XML being written (1-based) */
    struct xml_mark *marks; /* which text line each stretch of XML comes from */
    size_t n_marks, cap_marks;
    long title_xml_line;    /* where an empty <title> was written (no title found); 0: none */
    struct note *notes;     /* warnings, reported sorted by line at the end */
    size_t n_notes, cap_notes;
    const long *positions;  /* when set, line L of the text is reported as positions[L - 1] */
    size_t n_positions;     /* (a .docx paragraph's number), without a column */
    bool paragraph_lines;   /* each line is a whole paragraph (a .docx's): never joined */
    const gw_import_made *made;  /* a made text: its markers read (NULL: plain text) */
    size_t next_block;      /* the next of made->blocks to write */
} importer;

/* Where text line `line` is reported: itself, or the position the caller gave. */
static long position_of(const importer *im, long line)
{
    if (!im->positions || line <= 0)
        return line;
    return (size_t)line <= im->n_positions ? im->positions[line - 1] : im->positions[im->n_positions - 1];
}

/* A line named inside a message, as the position before it is written: "line 12"
 * of a text, "¶12" of a .docx (diag's line_mark). */
static void name_line(const importer *im, long line, char *out, size_t size)
{
    if (im->diag && im->diag->line_mark)
        snprintf(out, size, "%s%ld", im->diag->line_mark, position_of(im, line));
    else
        snprintf(out, size, "line %ld", line);
}

static long column_of(const importer *im, long col)
{
    return im->positions ? 0 : col;
}

/* From XML line `xml` on (until the next mark), the XML comes from text line
 * `text`: the model's messages about the XML are reported at the text's line. */
typedef struct xml_mark {
    long xml, text;
} xml_mark;

static void mark_line(importer *im, long text_line)
{
    if (!gw_grow(&im->marks, &im->cap_marks, im->n_marks + 1, sizeof *im->marks)) {
        im->oom = true;
        return;
    }
    xml_mark m = { im->out_line, text_line };
    im->marks[im->n_marks++] = m;
}

static void note_warning(importer *im, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void note_warning(importer *im, long line, const char *fmt, ...)
{
    if (!gw_grow(&im->notes, &im->cap_notes, im->n_notes + 1, sizeof *im->notes)) {
        im->oom = true;
        return;
    }
    note *n = &im->notes[im->n_notes++];
    n->line = line;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(n->message, sizeof n->message, fmt, ap);
    va_end(ap);
}

/* Report the warnings in line order (stable: one line's keep their order). */
static void report_warnings(importer *im)
{
    for (size_t i = 1; i < im->n_notes; i++)
        for (size_t j = i; j > 0 && im->notes[j - 1].line > im->notes[j].line; j--) {
            note tmp = im->notes[j];
            im->notes[j] = im->notes[j - 1];
            im->notes[j - 1] = tmp;
        }
    for (size_t i = 0; i < im->n_notes; i++)
        gw_warn(im->diag, im->name, position_of(im, im->notes[i].line), 0, "%s",
                im->notes[i].message);
}

static void cp_push(importer *im, cpbuf *b, uint32_t c)
{
    if (!gw_grow(&b->v, &b->cap, b->len + 1, sizeof *b->v)) {
        im->oom = true;
        return;
    }
    b->v[b->len++] = c;
}

static void put(importer *im, const char *s, size_t n)
{
    if (!gw_grow(&im->out.v, &im->out.cap, im->out.len + n + 1, 1)) {
        im->oom = true;
        return;
    }
    memcpy(im->out.v + im->out.len, s, n);
    for (size_t i = 0; i < n; i++)
        im->out_line += s[i] == '\n';
    im->out.len += n;
    im->out.v[im->out.len] = '\0';
}

static void puts_(importer *im, const char *s)
{
    put(im, s, strlen(s));
}

static void put_indent(importer *im, int depth)
{
    for (int i = 0; i < depth; i++)
        put(im, "  ", 2);
}

/* Text escaped for XML: & < > are the only characters text needs escaped.
 * A line break inside a paragraph (the .docx import's w:br, U+2028) is <br/>
 * where the element takes one (`breaks`), else a space; a made text's bold
 * markers are <b>…</b> where the element takes it (`bold`), balanced within
 * the element and never around nothing, else dropped. */
static void put_text(importer *im, const uint32_t *cp, size_t len, bool breaks, bool bold)
{
    bool open = false, pending = false;
    for (size_t i = 0; i < len; i++) {
        char u[4];
        if (im->made && (cp[i] == GW_IMPORT_BOLD_ON || cp[i] == GW_IMPORT_BOLD_OFF)) {
            bool on = cp[i] == GW_IMPORT_BOLD_ON && bold;
            if (!on && open)
                puts_(im, "</b>");
            open = open && on;
            pending = on && !open;
            continue;
        }
        if (pending) {
            puts_(im, "<b>");
            open = true;
            pending = false;
        }
        switch (cp[i]) {
        case GW_CP_LINE_BREAK: puts_(im, breaks ? "<br/>" : " "); break;
        case '&': puts_(im, "&amp;"); break;
        case '<': puts_(im, "&lt;"); break;
        case '>': puts_(im, "&gt;"); break;
        default: put(im, u, gw_utf8_encode(cp[i], u)); break;
        }
    }
    if (open)
        puts_(im, "</b>");
}

/* <tag>text</tag> on a line of its own. */
static void put_element(importer *im, int depth, const char *open, const char *close,
                        const uint32_t *cp, size_t len)
{
    put_indent(im, depth);
    puts_(im, open);
    bool inline_text = !strncmp(open, "<p", 2) || !strncmp(open, "<item", 5);
    put_text(im, cp, len, inline_text, inline_text);
    puts_(im, close);
    puts_(im, "\n");
}

static const uint32_t *line_cp(const importer *im, const src_line *l)
{
    return im->text.v + l->start;
}


/* ---------------------------------------------------------------------------
 * Step 1: decoding and lines
 * ------------------------------------------------------------------------- */

/* A form feed (a page break in pdftotext's output), a vertical tab (Word's
 * manual line break) and the Unicode line and paragraph separators end a line
 * too, without counting as one. */
static bool is_line_end(uint32_t c)
{
    return c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == 0x2028 || c == 0x2029;
}

/* In a text made of paragraphs (the .docx import) U+2028 is a break inside a
 * paragraph, not a line end. */
static bool ends_line(const importer *im, uint32_t c)
{
    return is_line_end(c) && !(im->paragraph_lines && c == GW_CP_LINE_BREAK);
}

/* The line (1-based) of byte `at` in data. */
static long line_at(const char *data, size_t at)
{
    long line = 1;
    for (size_t i = 0; i < at; i++)
        if (data[i] == '\n' || (data[i] == '\r' && (i + 1 == at || data[i + 1] != '\n')))
            line++;
    return line;
}

/* Offset of the first byte that is not valid UTF-8, or len. */
static size_t utf8_invalid_at(const char *data, size_t len)
{
    size_t i = 0;
    while (i < len) {
        uint32_t c;
        size_t n = gw_utf8_decode((const unsigned char *)data + i, len - i, &c);
        if (!n)
            return i;
        i += n;
    }
    return len;
}

/* Where GB18030 decoding stopped: the byte, and its line and column (in
 * characters) in the text. */
typedef struct bad_seq {
    size_t at;
    long line, col;
} bad_seq;

/* The column after out[0..n), the UTF-8 decoded so far: characters since the
 * last line end, plus one. */
static long column_after(const char *out, size_t n)
{
    size_t start = n;
    while (start > 0 && out[start - 1] != '\n' && out[start - 1] != '\r')
        start--;
    long col = 1;
    for (size_t i = start; i < n; i++)
        col += ((unsigned char)out[i] & 0xC0) != 0x80;
    return col;
}

/* GB18030 → UTF-8 with iconv; a malloc'd buffer, or NULL (errno set) on a bad
 * sequence, *bad then saying where it is. */
static char *gb18030_to_utf8(const char *data, size_t len, size_t *out_len, bad_seq *bad)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1)
        return NULL;
    size_t cap = len * 2 + 4;       /* GB18030 takes 1–4 bytes for UTF-8's 1–4, at most 2× */
    char *out = malloc(cap);
    char *in = (char *)data, *o = out;
    size_t in_left = len, out_left = cap;
    if (out && iconv(cd, &in, &in_left, &o, &out_left) == (size_t)-1) {
        int saved = errno;
        bad->at = (size_t)(in - data);
        bad->line = line_at(data, bad->at);
        bad->col = column_after(out, (size_t)(o - out));
        free(out);
        out = NULL;
        errno = saved;
    }
    iconv_close(cd);
    if (out)
        *out_len = (size_t)(o - out);
    return out;
}

/* Decode data into im->text (and the line of each character); false after reporting. */
static bool decode(importer *im, const char *data, size_t len)
{
    size_t bad = utf8_invalid_at(data, len);
    char *converted = NULL;
    if (bad < len) {
        size_t conv_len;
        bad_seq where = { bad, line_at(data, bad), 0 };
        converted = gb18030_to_utf8(data, len, &conv_len, &where);
        if (!converted) {
            gw_error(im->diag, im->name, position_of(im, where.line), column_of(im, where.col),
                     "the text is neither UTF-8 (byte 0x%02X) nor GB18030",
                     (unsigned char)data[where.at < len ? where.at : bad]);
            return false;
        }
        note_warning(im, line_at(data, bad),
                     "not valid UTF-8 (byte 0x%02X); the text was read as GB18030",
                     (unsigned char)data[bad]);
        data = converted;
        len = conv_len;
    }
    size_t cap_lines = 0;
    long line = 1, col = 1;
    for (size_t i = 0; i < len && !im->oom;) {
        uint32_t c;
        size_t n = gw_utf8_decode((const unsigned char *)data + i, len - i, &c);
        i += n ? n : 1;
        if (c == '\r' && i < len && data[i] == '\n')
            i++;                                       /* CR LF is one line end */
        if (!ends_line(im, c) && !is_xml_char(c)) {
            gw_error(im->diag, im->name, position_of(im, line), column_of(im, col),
                     "character U+%04X cannot be written in an XML source", (unsigned)c);
            free(converted);
            return false;
        }
        cp_push(im, &im->text, c);
        if (!gw_grow(&im->line_of, &cap_lines, im->text.len, sizeof *im->line_of)) {
            im->oom = true;
            break;
        }
        im->line_of[im->text.len - 1] = line;
        col++;
        if (c == '\n' || c == '\r') {
            line++;
            col = 1;
        }
    }
    free(converted);
    return !im->oom;
}

/* Cut the text into trimmed non-empty lines. */
static void split_lines(importer *im)
{
    const uint32_t *t = im->text.v;
    bool blank_before = false;
    for (size_t i = 0; i <= im->text.len && !im->oom;) {
        size_t end = i;
        while (end < im->text.len && !ends_line(im, t[end]))
            end++;
        size_t a = i, b = end;
        while (a < b && is_blank(t[a]))
            a++;
        while (b > a && is_blank(t[b - 1]))
            b--;
        if (a == b) {
            blank_before = im->n_lines > 0;
        } else if (gw_grow(&im->lines, &im->cap_lines, im->n_lines + 1, sizeof *im->lines)) {
            src_line l = { a, b - a, im->line_of[a], blank_before };
            im->lines[im->n_lines++] = l;
            blank_before = false;
        } else {
            im->oom = true;
        }
        i = end + 1;
    }
}

/* ---------------------------------------------------------------------------
 * Step 2: front matter, signature, paragraphs
 * ------------------------------------------------------------------------- */

static bool numbered(const importer *im, const src_line *l)
{
    gw_typed_number num;
    return gw_typed_number_match(line_cp(im, l), l->len, &num);
}

/* The shape of the text after a typed number. */
static shape shape_of(const uint32_t *t, size_t n, size_t *runin_len)
{
    /* A heading is one phrase; a short full sentence (clauses, then 。) is not. */
    bool sentence = is_sentence_end(t[n - 1]) && contains_any(t, n - 1, is_clause_mark);
    if (n <= HEADING_MAX && !contains_any(t, n - 1, is_inner_stop) && !is_continuation_end(t[n - 1])
        && !sentence)
        return SHAPE_HEADING;
    size_t k = 0;
    while (k < n && !is_sentence_end(t[k]))
        k++;
    while (k + 1 < n && is_closing_mark(t[k + 1]))
        k++;
    if (k + 1 < n && k + 1 <= RUNIN_MAX && !contains_any(t, k, is_clause_mark)) {
        *runin_len = k + 1;
        return SHAPE_RUNIN;
    }
    return SHAPE_ITEM;
}

/* A made text's line standing for one of the caller's XML blocks. */
static bool is_block_line(const importer *im, const src_line *l)
{
    return im->made && l->len == 1 && line_cp(im, l)[0] == GW_IMPORT_BLOCK;
}

/* A numbered line that is a heading by itself: it does not continue into the next line. */
static bool stands_alone(const importer *im, const src_line *l)
{
    gw_typed_number num;
    size_t runin;
    const uint32_t *t = line_cp(im, l);
    return gw_typed_number_match(t, l->len, &num)
        && shape_of(t + num.len, l->len - num.len, &runin) == SHAPE_HEADING;
}

/* 附件, 附件2, 附件 2, 附件二 */
static bool label_shaped(const importer *im, const src_line *l)
{
    const uint32_t *t = line_cp(im, l);
    if (is_block_line(im, l) || l->len < 2 || l->len > LABEL_MAX || t[0] != 0x9644 || t[1] != 0x4EF6)
        return false;
    for (size_t i = 2; i < l->len; i++)
        if (!is_blank(t[i]) && digit_value(t[i]) < 0 && cn_digit(t[i], false) < 0
            && t[i] != CN_TEN)
            return false;
    return true;
}

static bool title_shaped(const importer *im, const src_line *l)
{
    return l->len <= TITLE_LINE_MAX && !numbered(im, l) && !is_block_line(im, l)
           && !ends_paragraph(line_cp(im, l), l->len);
}

/* （2022年度） or ——在全区工作会议上的讲话 */
static bool subtitle_shaped(const importer *im, const src_line *l)
{
    const uint32_t *t = line_cp(im, l);
    if (l->len > TITLE_LINE_MAX || numbered(im, l) || is_block_line(im, l))
        return false;
    if (is_open_paren(t[0]) && is_close_paren(t[l->len - 1]))
        return true;
    return l->len > 2 && t[0] == 0x2014 && t[1] == 0x2014;
}

typedef struct matter {
    size_t label, title_first, title_end, subtitle;    /* SIZE_MAX when absent */
    size_t body_first, body_end;
    size_t issuer, date;                               /* SIZE_MAX when absent */
} matter;

static void find_front(importer *im, matter *m)
{
    size_t i = 0;
    m->label = m->subtitle = SIZE_MAX;
    if (i < im->n_lines && label_shaped(im, &im->lines[i]))
        m->label = i++;
    m->title_first = i;
    while (i < im->n_lines && title_shaped(im, &im->lines[i])
           && (i == m->title_first || !im->lines[i].blank_before)
           && !(i > m->title_first && subtitle_shaped(im, &im->lines[i])))
        i++;
    m->title_end = i;
    if (m->title_end == m->title_first)
        note_warning(im, i < im->n_lines ? im->lines[i].line : 0,
                     "no title found (the first line reads like body text); the title is left "
                     "empty");
    else if (i < im->n_lines && subtitle_shaped(im, &im->lines[i]))
        m->subtitle = i++;
    m->body_first = i;
}

static void find_signature(importer *im, matter *m)
{
    m->issuer = m->date = SIZE_MAX;
    m->body_end = im->n_lines;
    if (im->n_lines <= m->body_first)
        return;
    size_t last = im->n_lines - 1;
    const src_line *d = &im->lines[last];
    gw_written_date date;
    if (!gw_date_parse(line_cp(im, d), d->len, &date))
        return;
    if (!date.real) {
        note_warning(im, d->line, "the last line is not a real calendar date: "
                     "kept as a paragraph, not taken for the signature's date");
        return;
    }
    m->date = last;
    m->body_end = last;
    if (last == m->body_first)
        return;
    const src_line *is = &im->lines[last - 1];
    const uint32_t *t = line_cp(im, is);
    /* An issuer is a short name on its own: not numbered, not the tail of a
     * sentence broken before it. */
    const src_line *before = last - 1 > m->body_first ? &im->lines[last - 2] : NULL;
    bool after_sentence = !before || ends_paragraph(line_cp(im, before), before->len)
                          || stands_alone(im, before) || is_block_line(im, before);
    if (!is_block_line(im, is) && is->len <= ISSUER_MAX && !numbered(im, is) && !ends_paragraph(t, is->len)
        && !is_continuation_end(t[is->len - 1]) && after_sentence) {
        m->issuer = last - 1;
        m->body_end = last - 1;
    }
}

static void append_line(importer *im, cpbuf *b, const src_line *l)
{
    const uint32_t *t = line_cp(im, l);
    /* The line end between two lines vanishes next to Chinese text and is one
     * space between two Latin words, as the model treats a source line end. */
    if (b->len > 0 && !gw_cp_is_cjk(b->v[b->len - 1]) && !gw_cp_is_cjk(t[0]))
        cp_push(im, b, ' ');
    for (size_t i = 0; i < l->len; i++)
        cp_push(im, b, t[i]);
}

/* Join the body lines into paragraphs. */
static void build_paragraphs(importer *im, const matter *m)
{
    for (size_t k = m->body_first; k < m->body_end && !im->oom;) {
        if (!gw_grow(&im->paras, &im->cap_paras, im->n_paras + 1, sizeof *im->paras)) {
            im->oom = true;
            return;
        }
        para *p = &im->paras[im->n_paras++];
        memset(p, 0, sizeof *p);
        p->line = im->lines[k].line;
        p->block = is_block_line(im, &im->lines[k]);
        append_line(im, &p->text, &im->lines[k]);
        bool alone = stands_alone(im, &im->lines[k]);
        size_t last = k++;
        while (!alone && !im->paragraph_lines && k < m->body_end &&
               !ends_paragraph(p->text.v, p->text.len)
               && !numbered(im, &im->lines[k])) {
            if (im->lines[k].blank_before)
                note_warning(im, im->lines[last].line,
                             "the line does not end a sentence: joined with line %ld after the "
                             "blank line (taken for a page break)", im->lines[k].line);
            append_line(im, &p->text, &im->lines[k]);
            last = k++;
        }
    }
}

/* ---------------------------------------------------------------------------
 * Step 3: headings, run-in headings, list items
 * ------------------------------------------------------------------------- */

static void classify(importer *im)
{
    for (size_t i = 0; i < im->n_paras; i++) {
        para *p = &im->paras[i];
        p->role = p->block ? ROLE_BLOCK : ROLE_P;
        /* A bold run that opens a made paragraph (a heading's look in Word)
         * hides no typed number: the number is matched after it. */
        size_t skip = im->made && p->text.len > 0 && p->text.v[0] == GW_IMPORT_BOLD_ON;
        if (p->block || !gw_typed_number_match(p->text.v + skip, p->text.len - skip, &p->num)) {
            p->num.level = 0;
            continue;
        }
        p->num.len += skip;
        p->shape = shape_of(p->text.v + p->num.len, p->text.len - p->num.len, &p->runin_len);
        if (p->num.level == MAX_LEVEL)
            p->shape = SHAPE_ITEM;                 /* no section is numbered ① */
    }
}

/* Numbered paragraphs of one sequence — the same kind of number, no number of
 * a higher level between them — are all headings or, when any of them reads as
 * a paragraph, all list items. */
static void decide_sequence(importer *im, size_t first)
{
    int level = im->paras[first].num.level;
    size_t end = first;
    bool items = false;
    for (; end < im->n_paras; end++) {
        const para *p = &im->paras[end];
        if (p->num.level != 0 && p->num.level < level)
            break;                                 /* a higher level ends the sequence */
        items = items || (p->num.level == level && p->shape == SHAPE_ITEM);
    }
    for (size_t k = first; k < end; k++) {
        para *p = &im->paras[k];
        if (p->num.level != level)
            continue;
        p->decided = true;
        if (!items) {
            p->role = p->shape == SHAPE_RUNIN ? ROLE_RUNIN : ROLE_HEADING;
            continue;
        }
        p->role = ROLE_ITEM;
        if (p->shape != SHAPE_ITEM) {
            char from[32];
            name_line(im, im->paras[first].line, from, sizeof from);
            note_warning(im, p->line,
                         "taken for a list item like the others numbered alike from %s, "
                         "though it reads like a heading", from);
        }
    }
}

static void decide_sequences(importer *im)
{
    for (size_t i = 0; i < im->n_paras; i++)
        if (im->paras[i].num.level != 0 && !im->paras[i].decided)
            decide_sequence(im, i);
}

/* ---------------------------------------------------------------------------
 * Writing the XML
 * ------------------------------------------------------------------------- */

typedef struct writer {
    int levels[MAX_LEVEL];      /* level of each open section, outermost first */
    int depth;                  /* open sections */
    int sections[MAX_LEVEL + 1];/* sections numbered so far inside each open container */
    bool list_open;
    int list_typed;             /* level of the numbers typed on the open list's items */
    int list_items;
} writer;

static void close_list(importer *im, writer *w)
{
    if (!w->list_open)
        return;
    put_indent(im, w->depth + 1);
    puts_(im, "</list>\n");
    w->list_open = false;
}

/* Close the open sections of level `level` or deeper. */
static void close_sections(importer *im, writer *w, int level)
{
    while (w->depth > 0 && w->levels[w->depth - 1] >= level) {
        close_list(im, w);
        w->depth--;
        put_indent(im, w->depth + 1);
        puts_(im, "</section>\n");
    }
}

/* A typed number other than the one format v1 will print (a skipped or
 * repeated number) is worth a look. */
static void warn_number(importer *im, const para *p, int level, int expected, const char *what)
{
    if (p->num.value == expected)
        return;
    char typed[32], printed[32];
    gw_format_number(p->num.level, p->num.value, typed, sizeof typed);
    gw_format_number(level, expected, printed, sizeof printed);
    note_warning(im, p->line,
                 "typed %s, but this is %s %d at its level: format v1 numbers it %s", typed, what,
                 expected, printed);
}

static void write_heading(importer *im, writer *w, const para *p)
{
    int level = p->num.level;
    close_list(im, w);
    close_sections(im, w, level);
    int number = ++w->sections[w->depth];
    warn_number(im, p, level, number, "heading");
    mark_line(im, p->line);
    put_indent(im, w->depth + 1);
    if (level == w->depth + 1) {
        puts_(im, "<section>\n");
    } else {
        char open[40];
        snprintf(open, sizeof open, "<section level=\"%d\">\n", level);
        puts_(im, open);
    }
    w->levels[w->depth++] = level;
    w->sections[w->depth] = 0;
    const uint32_t *t = p->text.v + p->num.len;
    size_t n = p->text.len - p->num.len;
    if (p->role == ROLE_RUNIN) {
        put_element(im, w->depth + 1, "<heading runin=\"true\">", "</heading>", t, p->runin_len);
        put_element(im, w->depth + 1, "<p>", "</p>", t + p->runin_len, n - p->runin_len);
    } else {
        put_element(im, w->depth + 1, "<heading>", "</heading>", t, n);
    }
}

static void write_item(importer *im, writer *w, const para *p)
{
    int typed = p->num.level;
    if (w->list_open && w->list_typed != typed)
        close_list(im, w);
    close_sections(im, w, typed);
    /* Items are numbered one level below their section; 1. outside sections. */
    int level = w->depth > 0 ? w->levels[w->depth - 1] + 1 : 3;
    mark_line(im, p->line);
    if (!w->list_open) {
        put_indent(im, w->depth + 1);
        puts_(im, "<list>\n");
        w->list_open = true;
        w->list_typed = typed;
        w->list_items = 0;
        if (typed != level) {
            char t1[32], t2[32], p1[32], p2[32];
            gw_format_number(typed, 1, t1, sizeof t1);
            gw_format_number(typed, 2, t2, sizeof t2);
            gw_format_number(level, 1, p1, sizeof p1);
            gw_format_number(level, 2, p2, sizeof p2);
            note_warning(im, p->line,
                         "list items typed %s %s … are numbered %s %s … by format v1 (a list "
                         "takes the numbering one level below its section)", t1, t2, p1, p2);
        }
    }
    warn_number(im, p, level, ++w->list_items, "list item");
    put_element(im, w->depth + 2, "<item>", "</item>", p->text.v + p->num.len,
                p->text.len - p->num.len);
}

static void write_line_element(importer *im, const char *open, const char *close, size_t line)
{
    const src_line *l = &im->lines[line];
    mark_line(im, l->line);
    put_element(im, 1, open, close, line_cp(im, l), l->len);
}

/* The date as typed, or in ISO form when that prints exactly as typed
 * (2023年3月15日 is written 2023-03-15; 2023年03月15日 is kept). */
static void write_date(importer *im, const src_line *l)
{
    const uint32_t *t = line_cp(im, l);
    mark_line(im, l->line);
    gw_written_date d;
    gw_date_parse(t, l->len, &d);
    char printed[64], typed[64];
    snprintf(printed, sizeof printed, "%d年%d月%d日", d.year, d.month, d.day);
    size_t k = 0;
    for (size_t i = 0; i < l->len && k + 4 < sizeof typed; i++)
        k += gw_utf8_encode(t[i], typed + k);
    typed[k] = '\0';
    if (!d.iso && !strcmp(printed, typed)) {
        char iso[32];
        snprintf(iso, sizeof iso, "%04d-%02d-%02d", d.year, d.month, d.day);
        put_indent(im, 2);
        puts_(im, "<date>");
        puts_(im, iso);
        puts_(im, "</date>\n");
        return;
    }
    put_element(im, 2, "<date>", "</date>", t, l->len);
}

/* The text line that stands at position `at` of a made text (the first line at
 * or after it; the last line when none): where a warning about it is given. */
static long line_at_position(const importer *im, long at)
{
    for (size_t i = 0; i < im->n_positions; i++)
        if (im->positions[i] >= at)
            return (long)i + 1;
    return (long)im->n_positions;
}

/* The image a made text holds (made->seal_at): the seal, written into the
 * signature, when it is anchored at the signature's lines or next to them (a
 * paragraph or two: Word anchors a floating image in an empty paragraph). */
static void write_seal(importer *im, const matter *m)
{
    const gw_import_made *made = im->made;
    if (!made || made->seal_at <= 0)
        return;
    long first = -1, last = -1;
    if (m->date != SIZE_MAX) {
        last = position_of(im, im->lines[m->date].line);
        first = m->issuer != SIZE_MAX ? position_of(im, im->lines[m->issuer].line) : last;
    }
    long at = line_at_position(im, made->seal_at);
    if (first < 0 || made->seal_at < first - 2 || made->seal_at > last + 2) {
        note_warning(im, at, "an image anchored here is not at the signature: not imported "
                     "(gwpdf draws no picture but the seal)");
        return;
    }
    if (!made->seal_src) {
        note_warning(im, at, "the image at the signature is taken for the seal, but no seal "
                     "file is written when the source goes to standard output: give -o OUT.xml");
        return;
    }
    gw_buf attr = { 0 };
    gw_buf_xml(&attr, made->seal_src);
    put_indent(im, 2);
    puts_(im, "<seal src=\"");
    put(im, attr.s ? attr.s : "", attr.n);
    puts_(im, "\"/>\n");
    im->oom = im->oom || attr.oom;
    free(attr.s);
    if (made->seal_used)
        *made->seal_used = true;
    note_warning(im, at, "the image at the signature is taken for the seal: written to %s",
                 made->seal_src);
}

/* The caller's next XML block (a table, a page break), as it is. */
static void write_block(importer *im, int depth, long line)
{
    if (im->next_block >= im->made->n_blocks)
        return;                              /* more markers than blocks: the caller's slip */
    mark_line(im, line);
    put_indent(im, depth);
    puts_(im, im->made->blocks[im->next_block++]);
    puts_(im, "\n");
}

static void write_document(importer *im, const matter *m)
{
    puts_(im, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<report version=\"1\">\n");
    if (m->label != SIZE_MAX)
        write_line_element(im, "<label>", "</label>", m->label);
    if (m->title_first < m->title_end)
        mark_line(im, im->lines[m->title_first].line);
    else
        im->title_xml_line = im->out_line;
    put_indent(im, 1);
    puts_(im, "<title>");
    for (size_t i = m->title_first; i < m->title_end; i++) {
        if (i > m->title_first)
            puts_(im, "<br/>");
        put_text(im, line_cp(im, &im->lines[i]), im->lines[i].len, true, false);
    }
    puts_(im, "</title>\n");
    if (m->subtitle != SIZE_MAX)
        write_line_element(im, "<subtitle>", "</subtitle>", m->subtitle);
    writer w;
    memset(&w, 0, sizeof w);
    for (size_t i = 0; i < im->n_paras; i++) {
        const para *p = &im->paras[i];
        if (p->role == ROLE_HEADING || p->role == ROLE_RUNIN) {
            write_heading(im, &w, p);
        } else if (p->role == ROLE_ITEM) {
            write_item(im, &w, p);
        } else if (p->role == ROLE_BLOCK) {
            close_list(im, &w);
            write_block(im, w.depth + 1, p->line);
        } else {
            close_list(im, &w);
            mark_line(im, p->line);
            put_element(im, w.depth + 1, "<p>", "</p>", p->text.v, p->text.len);
        }
    }
    close_list(im, &w);
    close_sections(im, &w, 1);
    if (m->date != SIZE_MAX) {
        puts_(im, "  <signature>\n");
        if (m->issuer != SIZE_MAX)
            mark_line(im, im->lines[m->issuer].line);
        if (m->issuer != SIZE_MAX)
            put_element(im, 2, "<issuer>", "</issuer>", line_cp(im, &im->lines[m->issuer]),
                        im->lines[m->issuer].len);
        write_date(im, &im->lines[m->date]);
        write_seal(im, m);
        puts_(im, "  </signature>\n");
    } else {
        write_seal(im, m);     /* no signature: the image is reported, not written */
    }
    puts_(im, "</report>\n");
}

/* ---------------------------------------------------------------------------
 * Entry point
 * ------------------------------------------------------------------------- */

static void importer_free(importer *im)
{
    for (size_t i = 0; i < im->n_paras; i++)
        free(im->paras[i].text.v);
    free(im->paras);
    free(im->lines);
    free(im->line_of);
    free(im->text.v);
    free(im->notes);
    free(im->marks);
}

/* The text line the XML line xml_line was written from (0: none known). */
static long text_line_of(const xml_mark *marks, size_t n, long xml_line)
{
    size_t lo = 0, hi = n;   /* the last mark at or before xml_line */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (marks[mid].xml <= xml_line)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo > 0 ? marks[lo - 1].text : 0;
}

/* The name the written XML is checked under; its messages are relayed under
 * the text's own name. */
#define CHECK_NAME "gwpdf-import-check"

/* One `CHECK_NAME:LINE[:COL]: message` line of the model's, reported at the
 * text line it comes from.  Returns whether it was an error that counts: the
 * empty <title> written when no title was found is expected (the importer has
 * warned; the author writes the title before rendering). */
static bool relay(const importer *im, const char *line, size_t n)
{
    size_t k = strlen(CHECK_NAME);
    if (n < k || memcmp(line, CHECK_NAME, k) != 0) {
        gw_error(im->diag, im->name, 0, 0, "%.*s", (int)n, line);   /* not the model's: keep it */
        return true;
    }
    const char *p = line + k, *end = line + n;
    long xml_line = 0;
    if (p < end && *p == ':' && p + 1 < end && p[1] >= '0' && p[1] <= '9') {
        char *q;
        xml_line = strtol(p + 1, &q, 10);
        p = q;
        if (p < end && *p == ':' && p + 1 < end && p[1] >= '0' && p[1] <= '9') {
            strtol(p + 1, &q, 10);   /* the XML's column says nothing about the text */
            p = q;
        }
    }
    if (p + 2 > end || p[0] != ':' || p[1] != ' ') {
        gw_error(im->diag, im->name, 0, 0, "%.*s", (int)n, line);
        return true;
    }
    p += 2;
    bool warning = (size_t)(end - p) >= 9 && memcmp(p, "warning: ", 9) == 0;
    if (warning)
        p += 9;
    if (!warning && xml_line > 0 && xml_line == im->title_xml_line)
        return false;
    long at = xml_line > 0 ? position_of(im, text_line_of(im->marks, im->n_marks, xml_line)) : 0;
    if (warning)
        gw_warn(im->diag, im->name, at, 0, "%.*s", (int)(end - p), p);
    else
        gw_error(im->diag, im->name, at, 0, "%.*s", (int)(end - p), p);
    return !warning;
}

/* What we write must be a valid source: check it as gwpdf render would, and
 * report what is wrong at the lines of the text (the user never sees the XML). */
static bool check_written(importer *im, const char *xml, const gw_limits *limits)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *mem = open_memstream(&buf, &size);
    if (!mem) {
        gw_error(im->diag, im->name, 0, 0, "out of memory");
        return false;
    }
    gw_diag quiet = gw_diag_init(mem);
    quiet.max_errors = 0;
    gw_doc *doc = gw_doc_load_memory(CHECK_NAME, xml, strlen(xml), NULL, limits, &quiet);
    gw_doc_free(doc);
    bool closed = fclose(mem) == 0;
    if (!closed || !buf) {
        free(buf);
        gw_error(im->diag, im->name, 0, 0, "out of memory");
        return false;
    }
    int errors = 0;
    for (const char *l = buf; *l;) {
        const char *nl = strchr(l, '\n');
        size_t n = nl ? (size_t)(nl - l) : strlen(l);
        errors += relay(im, l, n);
        l += n + (nl != NULL);
    }
    free(buf);
    return errors == 0;
}

char *gw_import_text_at(const char *name, const char *data, size_t len, const gw_import_made *made,
                        const gw_limits *limits, size_t *out_len, gw_diag *diag)
{
    importer im;
    memset(&im, 0, sizeof im);
    im.name = name;
    im.diag = diag;
    im.made = made;
    im.positions = made && made->n_positions > 0 ? made->positions : NULL;
    im.n_positions = made ? made->n_positions : 0;
    im.paragraph_lines = made && made->paragraph_lines;
    im.out_line = 1;
    char *xml = NULL;
    if (decode(&im, data, len)) {
        split_lines(&im);
        matter m;
        find_front(&im, &m);
        find_signature(&im, &m);
        build_paragraphs(&im, &m);
        classify(&im);
        decide_sequences(&im);
        write_document(&im, &m);
        report_warnings(&im);
        if (!im.oom)
            xml = im.out.v;
        else
            free(im.out.v);
    }
    if (im.oom)
        gw_error(diag, name, 0, 0, "out of memory");
    if (xml && !check_written(&im, xml, limits)) {
        free(xml);
        xml = NULL;
    }
    importer_free(&im);
    if (!xml)
        return NULL;
    *out_len = strlen(xml);
    return xml;
}

char *gw_import_text(const char *name, const char *data, size_t len, const gw_limits *limits,
                     size_t *out_len, gw_diag *diag)
{
    return gw_import_text_at(name, data, len, NULL, limits, out_len, diag);
}
