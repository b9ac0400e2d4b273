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

#include "gongwen.h"
#include "grow.h"
#include "model.h"
#include "textbuf.h"
#include "utf8.h"

enum {
    HEADING_MAX = 40,    /* characters of a heading (after its number) */
    RUNIN_MAX = 30,      /* characters of a run-in heading's sentence */
    TITLE_LINE_MAX = 40, /* characters of one line of the title or subtitle */
    TITLE_LINES_MAX = 3, /* lines of a title (GB/T 9704 §7.3.1: one or several; three at most here) */
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
    bool block;             /* a GW_IMPORT_BLOCK line: the caller's next XML block, */
    char *xml;              /* or a table of TAB-separated lines, written here (owned) */
    size_t block_no;        /* which of the caller's blocks */
    bool outline;           /* opens with a decimal outline number (1.2　…): ends a sequence */
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
    size_t *block_no;       /* of each line of a made text: the blocks before it */
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

/* A made text's line standing for a page break (<pagebreak/>): an attachment
 * starts a new page by itself, so one before it is not written. */
static bool pagebreak_line(const importer *im, size_t i)
{
    if (!is_block_line(im, &im->lines[i]) || !im->block_no)
        return false;
    size_t b = im->block_no[i];
    return b < im->made->n_blocks && !strcmp(im->made->blocks[b], "<pagebreak/>");
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

/* 1　总则, 1.2.1　国家级…: a decimal outline number (预案, 技术规范) and a blank,
 * which format v1 does not number: the line opens a paragraph of its own. */
static bool outline_line(const importer *im, const src_line *l)
{
    const uint32_t *t = line_cp(im, l);
    size_t n = l->len, i = 0;
    while (i < n && digit_value(t[i]) >= 0)
        i++;
    if (i == 0 || i > 2)
        return false;                       /* 2022 年度…: a year, not a chapter */
    while (i < n && (digit_value(t[i]) >= 0 || (t[i] == '.' && i + 1 < n &&
                                                 digit_value(t[i + 1]) >= 0)))
        i++;
    if (i >= n || !is_blank(t[i]))
        return false;
    while (i < n && is_blank(t[i]))
        i++;
    return i < n && digit_value(t[i]) < 0;
}

/* 目录, 目　　录: a table of contents' heading. */
static bool contents_line(const importer *im, const src_line *l)
{
    const uint32_t *t = line_cp(im, l);
    size_t n = l->len;
    return n >= 2 && t[0] == 0x76EE && t[n - 1] == 0x5F55 && (n == 2 || is_blank(t[1]));
}

static bool title_shaped(const importer *im, const src_line *l)
{
    gw_doc_number dn;
    size_t at;
    const uint32_t *t = line_cp(im, l);
    return l->len <= TITLE_LINE_MAX && !numbered(im, l) && !is_block_line(im, l)
           && !ends_paragraph(t, l->len) && !gw_doc_number_parse(t, l->len, &dn)
           && !gw_gongwen_signer(t, l->len, &at) && !outline_line(im, l) && !contents_line(im, l);
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

/* The label, title and subtitle from line `from` on (before `end`). */
static void find_front(importer *im, matter *m, size_t from, size_t end)
{
    size_t i = from;
    m->label = m->subtitle = SIZE_MAX;
    if (i < end && label_shaped(im, &im->lines[i]))
        m->label = i++;
    m->title_first = i;
    while (i < end && i - m->title_first < TITLE_LINES_MAX && title_shaped(im, &im->lines[i])
           && (i == m->title_first || !im->lines[i].blank_before)
           && !(i > m->title_first && subtitle_shaped(im, &im->lines[i])))
        i++;
    m->title_end = i;
    if (m->title_end == m->title_first)
        note_warning(im, i < end ? im->lines[i].line : 0,
                     "no title found (the first line reads like body text); the title is left "
                     "empty");
    else if (i < end && subtitle_shaped(im, &im->lines[i]))
        m->subtitle = i++;
    m->body_first = i;
}

/* The signature from the last lines before `end`: a date, and the issuer above it. */
static void find_signature(importer *im, matter *m, size_t end)
{
    m->issuer = m->date = SIZE_MAX;
    m->body_end = end;
    if (end <= m->body_first)
        return;
    size_t last = end - 1;
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

/* A line of a pasted table: a TAB between its cells (a plain text's only). */
static bool tab_line(const importer *im, size_t i)
{
    if (im->made)
        return false;
    const src_line *l = &im->lines[i];
    const uint32_t *t = line_cp(im, l);
    for (size_t k = 0; k < l->len; k++)
        if (t[k] == '\t')
            return true;
    return false;
}

/* A short line without TABs inside a table, a row across it: up to three in a
 * row (a group without rows of its own), then a row with TABs again. */
static bool row_across(const importer *im, size_t i, size_t end)
{
    for (size_t k = i; k < end && k < i + 4; k++) {
        if (im->lines[k].blank_before && k > i)
            return false;
        if (tab_line(im, k))
            return k > i;
        if (im->lines[k].len > TITLE_LINE_MAX)
            return false;
    }
    return false;
}

typedef struct tab_cell {
    size_t at, len;         /* in the decoded text */
    int rowspan;            /* 0: covered by the cell above (or to the left) */
    int colspan;            /* the row's only cell, across the table: the number of columns */
} tab_cell;

/* The cells of line i, its leading TABs (empty cells) kept: the line was
 * trimmed of them as blanks. */
static size_t tab_cells(const importer *im, size_t i, tab_cell *cells, size_t max)
{
    const src_line *l = &im->lines[i];
    const uint32_t *t = im->text.v;
    size_t a = l->start, b = l->start + l->len;
    while (a > 0 && t[a - 1] != '\n' && t[a - 1] != '\r' && is_blank(t[a - 1]))
        a--;
    while (a < b && t[a] != '\t' && is_blank(t[a]))
        a++;                                  /* an indent of spaces is no cell */
    size_t n = 0;
    for (size_t k = a; k <= b && n < max;) {
        size_t e = k;
        while (e < b && t[e] != '\t')
            e++;
        size_t x = k, y = e;
        while (x < y && is_blank(t[x]))
            x++;
        while (y > x && is_blank(t[y - 1]))
            y--;
        cells[n++] = (tab_cell){ x, y - x, 1, 1 };
        k = e + 1;
    }
    return n;
}

enum { TAB_COLUMNS_MAX = 31, TAB_HEAD_MAX = 3 };

typedef struct tab_grid {
    tab_cell *cells;        /* rows × TAB_COLUMNS_MAX */
    size_t *typed;          /* the cells typed on each row */
    bool *across;           /* a row without TABs: one cell across the table */
    size_t rows, cols, head;
} tab_grid;

static tab_cell *cell_at(const tab_grid *g, size_t r, size_t c)
{
    return &g->cells[r * TAB_COLUMNS_MAX + c];
}

static void tab_grid_free(tab_grid *g)
{
    free(g->cells);
    free(g->typed);
    free(g->across);
}

/* The cells of lines [first, end), a short row filled with empty cells. */
static bool tab_grid_read(importer *im, size_t first, size_t end, tab_grid *g)
{
    memset(g, 0, sizeof *g);
    g->rows = end - first;
    g->cells = calloc(g->rows * TAB_COLUMNS_MAX, sizeof *g->cells);
    g->typed = calloc(g->rows, sizeof *g->typed);
    g->across = calloc(g->rows, sizeof *g->across);
    if (!g->cells || !g->typed || !g->across)
        return false;
    for (size_t r = 0; r < g->rows; r++) {
        g->typed[r] = tab_cells(im, first + r, cell_at(g, r, 0), TAB_COLUMNS_MAX);
        g->cols = g->typed[r] > g->cols ? g->typed[r] : g->cols;
        g->across[r] = !tab_line(im, first + r);
    }
    for (size_t r = 0; r < g->rows; r++) {
        for (size_t c = 0; c < g->cols; c++)
            cell_at(g, r, c)->rowspan = g->across[r] && c > 0 ? 0 : 1;
        if (g->across[r])
            cell_at(g, r, 0)->colspan = (int)g->cols;
    }
    return true;
}

/* The head: the first row, and each next one whose first cell is empty —
 * merged down from the head (省（市） over 1996年 1997年 …); a body row remains. */
static size_t tab_head_rows(const tab_grid *g)
{
    size_t h = 1;
    while (h < TAB_HEAD_MAX && h + 1 < g->rows && !g->across[h] && cell_at(g, h, 0)->len == 0)
        h++;
    return h;
}

/* Rows [from + 1, to): their leading empty cells (before any with text) are
 * the cell above, merged down; an empty cell after a filled one stays. */
static void tab_merge_down(tab_grid *g, size_t from, size_t to)
{
    for (size_t r = from + 1; r < to; r++) {
        for (size_t c = 0; c < g->cols && !g->across[r]; c++) {
            tab_cell *cell = cell_at(g, r, c);
            if (cell->len > 0)
                break;
            size_t up = r - 1;
            while (up > from && cell_at(g, up, c)->rowspan == 0 && !g->across[up])
                up--;
            tab_cell *above = cell_at(g, up, c);
            if ((above->len == 0 && above->rowspan != 0) || g->across[up] || above->rowspan == 0)
                break;
            above->rowspan++;
            cell->rowspan = 0;
        }
    }
}

/* A head row that leaves its last columns empty, over a head row with cells
 * there: its last cell spans them (分年度招生任务 over the years). */
static void tab_span_head(tab_grid *g)
{
    for (size_t r = 0; r + 1 < g->head; r++) {
        size_t n = g->typed[r];
        if (n == 0 || n >= g->cols || cell_at(g, r, n - 1)->rowspan == 0)
            continue;
        cell_at(g, r, n - 1)->colspan = (int)(g->cols - n + 1);
        for (size_t c = n; c < g->cols; c++)
            cell_at(g, r, c)->rowspan = 0;
    }
}

static void tab_cell_open(gw_buf *b, const char *tag, const tab_cell *cell)
{
    gw_buf_printf(b, "<%s", tag);
    if (cell->rowspan > 1)
        gw_buf_printf(b, " rowspan=\"%d\"", cell->rowspan);
    if (cell->colspan > 1)
        gw_buf_printf(b, " colspan=\"%d\"", cell->colspan);
    gw_buf_str(b, ">");
}

static char *tab_write(const importer *im, const tab_grid *g)
{
    gw_buf b = { 0 };
    gw_buf_str(&b, "<table><thead>");
    for (size_t r = 0; r < g->rows; r++) {
        if (r == g->head)
            gw_buf_str(&b, "</thead><tbody>");
        gw_buf_str(&b, "<tr>");
        const char *tag = r < g->head ? "th" : "td";
        for (size_t c = 0; c < g->cols; c++) {
            const tab_cell *cell = cell_at(g, r, c);
            if (cell->rowspan == 0)
                continue;
            tab_cell_open(&b, tag, cell);
            for (size_t k = 0; k < cell->len; k++) {
                uint32_t ch = im->text.v[cell->at + k];
                char u[5];
                if (ch == '&')
                    gw_buf_str(&b, "&amp;");
                else if (ch == '<')
                    gw_buf_str(&b, "&lt;");
                else if (ch == '>')
                    gw_buf_str(&b, "&gt;");
                else
                    gw_buf_put(&b, u, gw_utf8_encode(ch, u));
            }
            gw_buf_printf(&b, "</%s>", tag);
        }
        gw_buf_str(&b, "</tr>");
    }
    gw_buf_str(&b, g->head < g->rows ? "</tbody></table>" : "</thead></table>");
    if (b.oom) {
        free(b.s);
        return NULL;
    }
    return b.s;
}

/* Lines [first, end) of TAB-separated cells as a <table>: its head rows (th),
 * cells merged down (rowspan) and across (colspan) as the typing shows them.
 * NULL when out of memory. */
static char *tab_table(importer *im, size_t first, size_t end)
{
    tab_grid g;
    char *xml = NULL;
    if (tab_grid_read(im, first, end, &g)) {
        g.head = tab_head_rows(&g);
        tab_merge_down(&g, 0, g.head);
        tab_span_head(&g);
        tab_merge_down(&g, g.head, g.rows);
        xml = tab_write(im, &g);
    }
    tab_grid_free(&g);
    return xml;
}

/* 第一章 总 则, 第二节, 第三条 …: the articles of a 办法 or 规定 open a paragraph
 * (a 条 runs on over its lines); *chapter for 章, 节, 部分 and 篇, which stand
 * alone as a heading line. */
static bool article_line(const importer *im, const src_line *l, bool *chapter)
{
    const uint32_t *t = line_cp(im, l);
    size_t n = l->len, i = 1;
    if (n < 3 || t[0] != 0x7B2C)                     /* 第 */
        return false;
    while (i < n && i < 6 && (cn_digit(t[i], true) >= 0 || t[i] == CN_TEN || t[i] == 0x767E ||
                              digit_value(t[i]) >= 0))
        i++;
    if (i == 1 || i >= n)
        return false;
    *chapter = t[i] == 0x7AE0 || t[i] == 0x8282 || t[i] == 0x7BC7 ||     /* 章 节 篇 */
               (t[i] == 0x90E8 && i + 1 < n && t[i + 1] == 0x5206);      /* 部分 */
    return *chapter || t[i] == 0x6761;                                    /* 条 */
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
        if (p->block && im->block_no)
            p->block_no = im->block_no[k];
        /* A line without TABs between two rows of a table is a row across it
         * (一、知识产权保护方面（共5项） over the rows it groups). */
        size_t rows = 0;
        while (k + rows < m->body_end && (rows == 0 || !im->lines[k + rows].blank_before) &&
               (tab_line(im, k + rows) || (rows > 0 && row_across(im, k + rows, m->body_end))))
            rows++;
        if (rows >= 2) {                      /* a pasted table: one line a row */
            p->block = true;
            p->xml = tab_table(im, k, k + rows);
            im->oom = im->oom || !p->xml;
            k += rows;
            continue;
        }
        append_line(im, &p->text, &im->lines[k]);
        bool chapter = false;
        const src_line *l = &im->lines[k];
        p->outline = outline_line(im, l) || article_line(im, l, &chapter);
        bool alone = stands_alone(im, l) || (article_line(im, l, &chapter) && chapter) ||
                     contents_line(im, l) ||
                     (outline_line(im, l) && l->len <= HEADING_MAX &&
                      !contains_any(line_cp(im, l), l->len, is_inner_stop));
        size_t last = k++;
        while (!alone && !im->paragraph_lines && k < m->body_end &&
               !ends_paragraph(p->text.v, p->text.len)
               && !numbered(im, &im->lines[k]) && !article_line(im, &im->lines[k], &chapter)
               && !outline_line(im, &im->lines[k])
               && !(tab_line(im, k) && k + 1 < m->body_end && tab_line(im, k + 1))) {
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
 * Step 2b: the parts of a whole 公文 (format v2)
 *
 * A text is a 公文 when it has any part a report alone does not: a 版头 line
 * (份号, 密级, 紧急程度, 发文字号, 签发人), a 主送 under the title, a 附件说明,
 * a 附注, attachments after the 落款, a document issued by the notice, or a
 * 版记.  The parts are found from where the lines stand in the whole text:
 * the 版记 from the end, the 版头 from the start, the main document's 落款 as
 * the first date line that closes a body, then each attachment (its label
 * line) or issued document (a new title) after it, each a document of its own.
 * ------------------------------------------------------------------------- */

enum { MAX_PARTS = 32, MAX_ISSUERS = 8 };

typedef struct part {
    matter m;                     /* its label, title, subtitle, body and date */
    size_t issuers[MAX_ISSUERS];  /* issuer lines, in order (a wrapped name: two lines, */
    size_t issuer_lines[MAX_ISSUERS];   /* issuer_lines[k] of them) */
    size_t n_issuers;
    size_t to_first, to_end;      /* 主送 lines (equal: none) */
    size_t names_first, names_end;/* 附件说明 lines (equal: none) */
    size_t note;                  /* 附注 line, SIZE_MAX: none */
    size_t para_first, para_end;  /* its paragraphs */
    bool issued;                  /* a document the notice issues or forwards */
    size_t owner;                 /* the part an attachment belongs to (0: the main document) */
    int label_number;             /* the number typed on its label (0: none) */
    bool label_pre2012;           /* labelled 附 (附：), as before GB/T 9704-2012 */
} part;

typedef struct gongwen {
    size_t copy, secrecy, urgency, doc_number;   /* lines; SIZE_MAX: none */
    size_t mark;                  /* 发文机关标志 line, SIZE_MAX: none */
    bool mark_suffix;             /* typed with 文件 after the organ */
    size_t signer_first, signer_end;
    part parts[MAX_PARTS];        /* [0]: the main document */
    size_t n_parts;
    size_t record_first;          /* the 版记's first line (n_lines: none) */
    size_t cc_first, cc_end;      /* 抄送 lines */
    size_t distributor;           /* 印发 line, SIZE_MAX: none */
} gongwen;

static const uint32_t *cp_of(const importer *im, size_t i, size_t *len)
{
    *len = im->lines[i].len;
    return line_cp(im, &im->lines[i]);
}

static bool line_is(const importer *im, size_t i, bool (*shaped)(const uint32_t *, size_t))
{
    size_t n;
    const uint32_t *t = cp_of(im, i, &n);
    return shaped(t, n);
}

static bool doc_number_line(const importer *im, size_t i)
{
    size_t n;
    const uint32_t *t = cp_of(im, i, &n);
    gw_doc_number dn;
    return gw_doc_number_parse(t, n, &dn);
}

static bool signer_line(const importer *im, size_t i)
{
    size_t n, at;
    const uint32_t *t = cp_of(im, i, &n);
    return gw_gongwen_signer(t, n, &at);
}

static bool secrecy_line(const importer *im, size_t i)
{
    size_t n, at;
    const uint32_t *t = cp_of(im, i, &n);
    return gw_gongwen_secrecy(t, n, &at);
}

static bool cc_line(const importer *im, size_t i)
{
    size_t n, at;
    const uint32_t *t = cp_of(im, i, &n);
    return gw_gongwen_cc(t, n, &at);
}

static bool distributor_line(const importer *im, size_t i)
{
    size_t n, a, b, c;
    const uint32_t *t = cp_of(im, i, &n);
    return gw_gongwen_distributor(t, n, &a, &b, &c);
}

static bool label_line(const importer *im, size_t i, int *number, bool *pre2012)
{
    size_t n;
    const uint32_t *t = cp_of(im, i, &n);
    return !is_block_line(im, &im->lines[i]) && gw_gongwen_label(t, n, number, pre2012);
}

static bool names_line(const importer *im, size_t i)
{
    size_t n, at;
    bool old;
    const uint32_t *t = cp_of(im, i, &n);
    int number;
    /* 附件： alone is an attachment's label after a 落款, the start of a 附件说明
     * before it: the caller knows which side it is on. */
    return gw_gongwen_attachments_note(t, n, &at, &old) && !(at < n && gw_gongwen_label(t, n, &number, &old));
}

/* A whole-line date that exists. */
static bool date_line(const importer *im, size_t i)
{
    size_t n;
    const uint32_t *t = cp_of(im, i, &n);
    gw_written_date d;
    return !is_block_line(im, &im->lines[i]) && gw_date_parse(t, n, &d) && d.real;
}

/* A line that can be (part of) an issuer's name: short, unnumbered, no sentence. */
static bool issuer_shaped(const importer *im, size_t i)
{
    size_t n;
    const uint32_t *t = cp_of(im, i, &n);
    size_t at;
    bool old;
    return !is_block_line(im, &im->lines[i]) && n <= ISSUER_MAX && !numbered(im, &im->lines[i]) &&
           !ends_paragraph(t, n) && !is_continuation_end(t[n - 1]) && !date_line(im, i) &&
           !gw_gongwen_attachments_note(t, n, &at, &old) && !tab_line(im, i);
}

/* Organs end their names so: 局 委 会 府 厅 部 院 室 处 所 站 办 组 校 队 社 馆 心 司 行 团. */
static bool organ_end(uint32_t c)
{
    static const uint32_t ends[] = {
        0x5C40, 0x59D4, 0x4F1A, 0x5E9C, 0x5385, 0x90E8, 0x9662, 0x5BA4, 0x5904, 0x6240, 0x7AD9,
        0x529E, 0x7EC4, 0x6821, 0x961F, 0x793E, 0x9986, 0x5FC3, 0x53F8, 0x884C, 0x56E2,
    };
    for (size_t k = 0; k < sizeof ends / sizeof ends[0]; k++)
        if (c == ends[k])
            return true;
    return false;
}

static bool ends_like_organ(const importer *im, size_t i)
{
    size_t n;
    const uint32_t *t = cp_of(im, i, &n);
    return organ_end(t[n - 1]);
}

/* Whom a 主送 addresses ends so, besides organs: 单位 部门 机关 街道 镇 乡 区 县 市
 * 省 同志 (各预算单位：, 各镇人民政府、街道办事处：, 各位同志：). */
static bool addressee_end(uint32_t c)
{
    static const uint32_t ends[] = {
        0x4F4D, 0x95E8, 0x5173, 0x9053, 0x9547, 0x4E61, 0x533A, 0x53BF, 0x5E02, 0x7701, 0x5FD7,
    };
    if (organ_end(c))
        return true;
    for (size_t k = 0; k < sizeof ends / sizeof ends[0]; k++)
        if (c == ends[k])
            return true;
    return false;
}

static bool is_enumeration_comma(uint32_t c)
{
    return c == 0x3001;
}

/* The 主送 under a title: one line ending with a colon, or two when the first
 * ends with 、 or ， (organs wrapped).  Returns the lines it takes (0: none). */
static size_t to_lines(const importer *im, size_t i, size_t end)
{
    for (size_t k = 0; k < 3 && i + k < end; k++) {
        size_t n;
        const uint32_t *t = cp_of(im, i + k, &n);
        if (is_block_line(im, &im->lines[i + k]) || numbered(im, &im->lines[i + k]) ||
            contains_any(t, n, is_sentence_end))
            return 0;
        uint32_t last = t[n - 1];
        /* Organs: 各…, a list of them (、), or a name that ends as an addressee's. */
        bool organs = im->lines[i].len > 0 && line_cp(im, &im->lines[i])[0] == 0x5404;   /* 各 */
        for (size_t j = 0; j <= k && !organs; j++) {
            size_t m;
            const uint32_t *u = cp_of(im, i + j, &m);
            organs = contains_any(u, m, is_enumeration_comma);
        }
        if (last == 0xFF1A || last == ':')
            return n >= 2 && (organs || addressee_end(t[n - 2])) ? k + 1 : 0;
        if (last != 0x3001 && last != 0xFF0C && last != ',')
            return 0;
    }
    return 0;
}

/* Does the title announce a document it issues or forwards (印发, 转发, 批转, 颁发, 发布)? */
static bool issuing_title(const importer *im, const matter *m)
{
    static const uint32_t verbs[][2] = {
        { 0x5370, 0x53D1 }, { 0x8F6C, 0x53D1 }, { 0x6279, 0x8F6C }, { 0x9881, 0x53D1 },
        { 0x53D1, 0x5E03 },
    };
    for (size_t i = m->title_first; i < m->title_end; i++) {
        size_t n;
        const uint32_t *t = cp_of(im, i, &n);
        for (size_t k = 0; k + 1 < n; k++)
            for (size_t v = 0; v < sizeof verbs / sizeof verbs[0]; v++)
                if (t[k] == verbs[v][0] && t[k + 1] == verbs[v][1])
                    return true;
    }
    return false;
}

/* The 版记 from the end: the 印发 line, the 抄送 lines before it. */
static void find_record(importer *im, gongwen *g)
{
    size_t n = im->n_lines;
    g->record_first = n;
    g->cc_first = g->cc_end = n;
    g->distributor = SIZE_MAX;
    size_t end = n;
    if (end > 0 && distributor_line(im, end - 1)) {
        g->distributor = end - 1;
        g->record_first = --end;
    }
    /* 抄送： and the lines it wraps over, up to the 印发 line (or the end). */
    for (size_t k = end; k > 0 && end - k < 4; k--) {
        if (cc_line(im, k - 1)) {
            g->cc_first = k - 1;
            g->cc_end = end;
            g->record_first = k - 1;
            break;
        }
    }
}

/* 某某区财政局文件: the 发文机关标志 with its 文件, as a 版头 is pasted. */
static bool mark_with_suffix(const importer *im, size_t i)
{
    size_t n;
    const uint32_t *t = cp_of(im, i, &n);
    return n > 2 && n <= ISSUER_MAX && t[n - 2] == 0x6587 && t[n - 1] == 0x4EF6 &&   /* 文件 */
           !numbered(im, &im->lines[i]) && !contains_any(t, n, is_clause_mark);
}

/* The 版头 lines at the start, in any order: 份号, 密级, 紧急程度, 发文字号, 签发人,
 * and the 发文机关标志 — typed with 文件, or an organ's name right above the
 * 发文字号 (a letter's 版头). */
static size_t find_header(importer *im, gongwen *g, size_t end)
{
    g->copy = g->secrecy = g->urgency = g->doc_number = g->mark = SIZE_MAX;
    g->signer_first = g->signer_end = 0;
    size_t i = 0;
    for (; i < end; i++) {
        if (g->mark == SIZE_MAX && g->doc_number == SIZE_MAX && mark_with_suffix(im, i)) {
            g->mark = i;
            g->mark_suffix = true;
            continue;
        }
        if (g->mark == SIZE_MAX && g->doc_number == SIZE_MAX && i + 1 < end &&
            issuer_shaped(im, i) && ends_like_organ(im, i) && doc_number_line(im, i + 1)) {
            g->mark = i;
            continue;
        }
        if (g->copy == SIZE_MAX && line_is(im, i, gw_gongwen_copy))
            g->copy = i;
        else if (g->secrecy == SIZE_MAX && secrecy_line(im, i))
            g->secrecy = i;
        else if (g->urgency == SIZE_MAX && line_is(im, i, gw_gongwen_urgency))
            g->urgency = i;
        else if (g->doc_number == SIZE_MAX && doc_number_line(im, i))
            g->doc_number = i;
        else if (signer_line(im, i) && (g->signer_end == 0 || g->signer_end == i)) {
            if (g->signer_end == 0)
                g->signer_first = i;
            g->signer_end = i + 1;
        } else
            break;
    }
    return i;
}

/* The issuers above the date line `date` of a part whose body starts at
 * `first`: the issuer-shaped lines right above it, each a name, except that a
 * line not ending as an organ does and followed by one more is one name
 * wrapped over two lines. */
static void find_issuers(importer *im, part *pt, size_t first, size_t date)
{
    size_t k = date;
    while (k > first && date - k < MAX_ISSUERS && issuer_shaped(im, k - 1))
        k--;
    /* The body's last line is not an issuer when nothing but issuers follows
     * a sentence that has not ended (the tail of a paragraph). */
    pt->n_issuers = 0;
    for (size_t i = k; i < date && pt->n_issuers < MAX_ISSUERS;) {
        size_t lines = 1;
        if (i + 1 < date && !ends_like_organ(im, i) && ends_like_organ(im, i + 1) &&
            date - i == 2 && pt->n_issuers == 0)
            lines = 2;                      /* one name over two lines */
        pt->issuers[pt->n_issuers] = i;
        pt->issuer_lines[pt->n_issuers++] = lines;
        i += lines;
    }
}

/* A part from line `from` (its label or title) to `end`: front, 主送 when asked,
 * 附件说明, 落款 and 附注.  Returns the line after its 落款 (or 附注), or the
 * line where its body ended when it has no 落款. */
/* Lines [from, end) of a 附件说明 after its first: numbered names (at most 80
 * characters) or a name's wrapped line (at most 40, no sentence ended). */
static bool names_only(const importer *im, size_t from, size_t end)
{
    for (size_t j = from; j < end; j++) {
        const src_line *l = &im->lines[j];
        const uint32_t *t = line_cp(im, l);
        if (is_block_line(im, l) || ends_paragraph(t, l->len) ||
            l->len > (numbered(im, l) ? 2 * TITLE_LINE_MAX : TITLE_LINE_MAX))
            return false;
    }
    return true;
}

/* Does the date line k close its document — nothing after it but a 附注 and
 * page breaks before `end`, an attachment's label, or (`issued`) the title of
 * the document a notice issues?  A date in the middle of a text closes nothing. */
static bool closes(const importer *im, size_t k, size_t end, bool issued)
{
    size_t j = k + 1, n;
    if (j < end) {
        const uint32_t *t = cp_of(im, j, &n);
        j += gw_gongwen_note(t, n);
    }
    while (j < end && pagebreak_line(im, j))
        j++;
    int number;
    bool old;
    return j >= end || label_line(im, j, &number, &old) ||
           (issued && title_shaped(im, &im->lines[j]));
}

static size_t find_part(importer *im, part *pt, size_t from, size_t end, bool main_doc, gongwen *g)
{
    memset(pt, 0, sizeof *pt);
    pt->note = SIZE_MAX;
    int number;
    bool old;
    if (!main_doc && from < end && label_line(im, from, &number, &old)) {
        find_front(im, &pt->m, from + 1, end);   /* 附件1： too, which v1's label is not */
        pt->m.label = from;
    } else {
        find_front(im, &pt->m, from, end);
    }
    size_t i = pt->m.body_first;
    if (main_doc && g->doc_number == SIZE_MAX && i < end && doc_number_line(im, i)) {
        g->doc_number = i;                  /* web pages show it under the title */
        pt->m.body_first = ++i;
    }
    size_t to = main_doc && i < end ? to_lines(im, i, end) : 0;
    pt->to_first = i;
    pt->to_end = i + to;
    pt->m.body_first = i + to;
    pt->m.issuer = pt->m.date = SIZE_MAX;
    /* The 落款: the first date line after some body that closes the document. */
    size_t date = SIZE_MAX;
    bool issues = main_doc && issuing_title(im, &pt->m);
    for (size_t k = pt->m.body_first + 1; k < end; k++)
        if (date_line(im, k) && closes(im, k, end, issues)) {
            date = k;
            break;
        }
    size_t body_end = date == SIZE_MAX ? end : date;
    if (date != SIZE_MAX) {
        find_issuers(im, pt, pt->m.body_first, date);
        if (pt->n_issuers > 0)
            body_end = pt->issuers[0];
        pt->m.date = date;
    }
    /* The 附件说明: its 附件： line, then names to the issuers (or the date) —
     * numbered, or a name's wrapped line — and page breaks at its end.  A line
     * of anything else between says the 附件： line was body text. */
    pt->names_first = pt->names_end = body_end;
    for (size_t k = pt->m.body_first; k < body_end; k++)
        if (names_line(im, k)) {
            size_t e = body_end;
            while (e > k + 1 && pagebreak_line(im, e - 1))
                e--;
            if (names_only(im, k + 1, e)) {
                pt->names_first = k;
                pt->names_end = e;
                body_end = k;
            }
            break;
        }
    while (body_end > pt->m.body_first && pagebreak_line(im, body_end - 1))
        body_end--;
    pt->m.body_end = body_end;
    if (date == SIZE_MAX)
        return body_end < pt->names_end ? pt->names_end : body_end;
    size_t after = date + 1;
    size_t n;
    if (after < end) {
        const uint32_t *t = cp_of(im, after, &n);
        if (gw_gongwen_note(t, n))
            pt->note = after++;
    }
    return after;
}

/* One name of a 附件说明: its lines [first, end), the number typed before it. */
typedef struct listed_name {
    size_t first, end;
    size_t from;                /* code points before the name on its first line */
    gw_typed_number num;        /* num.level 0: typed without a number */
} listed_name;

/* The names of a 附件说明: a numbered line starts one; a line that does not
 * continues the name above it (wrapped). */
static size_t listed_names(importer *im, const part *pt, listed_name *names, size_t max)
{
    size_t count = 0;
    for (size_t i = pt->names_first; i < pt->names_end; i++) {
        size_t n, at = 0;
        bool old;
        const uint32_t *t = cp_of(im, i, &n);
        if (i == pt->names_first)
            gw_gongwen_attachments_note(t, n, &at, &old);
        if (at >= n)
            continue;                           /* 附件： alone, the names below */
        gw_typed_number num = { 0 };
        bool numbered_name = gw_typed_number_match(t + at, n - at, &num);
        if ((numbered_name || count == 0) && count < max) {
            listed_name *ln = &names[count++];
            ln->first = i;
            ln->end = i + 1;
            ln->from = at + (numbered_name ? num.len : 0);
            ln->num = numbered_name ? num : (gw_typed_number){ 0 };
        } else if (count > 0) {
            names[count - 1].end = i + 1;
        }
    }
    return count;
}

/* Does the text of lines [first, end) (from `from` on the first) read exactly
 * as the title of part `pt`, line breaks aside? */
static bool name_is_title(importer *im, const listed_name *ln, const part *pt)
{
    cpbuf a = { 0 }, b = { 0 };
    for (size_t i = ln->first; i < ln->end; i++) {
        src_line l = im->lines[i];
        if (i == ln->first) {
            l.start += ln->from;
            l.len -= ln->from;
        }
        append_line(im, &a, &l);
    }
    for (size_t i = pt->m.title_first; i < pt->m.title_end; i++)
        append_line(im, &b, &im->lines[i]);
    /* A title typed over lines reads as its name in one (a made text's title is
     * one paragraph, its breaks U+2028). */
    size_t n = 0;
    for (size_t i = 0; i < b.len; i++)
        if (b.v[i] != GW_CP_LINE_BREAK)
            b.v[n++] = b.v[i];
    b.len = n;
    bool same = a.len == b.len && (a.len == 0 || !memcmp(a.v, b.v, a.len * sizeof *a.v));
    free(a.v);
    free(b.v);
    return same;
}

/* An attachment's title is as many lines as its name in the owner's 附件说明
 * takes, when they read alike: the name says where a title stops, which the
 * lines' shapes alone cannot (第一章 总 则 right under a title). */
static void fit_titles(importer *im, gongwen *g)
{
    for (size_t o = 0; o < g->n_parts; o++) {
        listed_name names[MAX_PARTS];
        size_t n_names = listed_names(im, &g->parts[o], names, MAX_PARTS), at = 0;
        for (size_t k = o + 1; k < g->n_parts && at < n_names; k++) {
            part *pt = &g->parts[k];
            if (pt->owner != o || pt->issued)
                continue;
            const listed_name *ln = &names[at++];
            matter saved = pt->m;
            for (size_t j = 1; j <= TITLE_LINES_MAX; j++) {
                if (pt->m.title_first + j > pt->m.body_end && pt->m.title_first + j > saved.title_end)
                    break;
                pt->m.title_end = pt->m.title_first + j;
                if (name_is_title(im, ln, pt)) {
                    pt->m.subtitle = saved.subtitle != SIZE_MAX && saved.subtitle == pt->m.title_end
                                     ? saved.subtitle : SIZE_MAX;
                    pt->m.body_first = pt->m.subtitle != SIZE_MAX ? pt->m.subtitle + 1
                                                                  : pt->m.title_end;
                    saved = pt->m;
                    break;
                }
            }
            pt->m = saved;
        }
    }
}

/* Find the parts; false when the text has none a report alone lacks (it is
 * then written as format v1, exactly as before). */
static bool find_gongwen(importer *im, gongwen *g)
{
    memset(g, 0, sizeof *g);
    find_record(im, g);
    size_t end = g->record_first;
    size_t i = find_header(im, g, end);
    bool header = g->copy != SIZE_MAX || g->secrecy != SIZE_MAX || g->urgency != SIZE_MAX ||
                  g->doc_number != SIZE_MAX || g->signer_end > 0 || g->mark != SIZE_MAX;
    /* A text that opens with a label is an attachment by itself: a report. */
    int number;
    bool old;
    if (!header && i < end && label_line(im, i, &number, &old))
        return false;
    part *main_part = &g->parts[0];
    size_t next = find_part(im, main_part, i, end, true, g);
    g->n_parts = 1;
    bool issuing = issuing_title(im, &main_part->m);
    size_t owner = 0;
    while (next < end && g->n_parts < MAX_PARTS) {
        size_t at = next;
        while (at < end && pagebreak_line(im, at))
            at++;                           /* an attachment starts its own page */
        if (at == end || !(label_line(im, at, &number, &old) || issuing))
            break;
        next = at;
        part *pt = &g->parts[g->n_parts];
        bool labelled = label_line(im, next, &number, &old);
        bool issued = !labelled && issuing;
        if (!labelled && !issued)
            break;                          /* text after the 落款 that starts nothing */
        /* It runs to the next label (or the 版记). */
        size_t stop = next + 1;
        while (stop < end && !label_line(im, stop, &number, &old))
            stop++;
        size_t after = find_part(im, pt, next, stop, false, g);
        pt->issued = issued;
        label_line(im, next, &pt->label_number, &pt->label_pre2012);
        if (!labelled) {
            pt->label_number = 0;
            pt->label_pre2012 = false;
        }
        /* An issued document that lists attachments owns the ones that follow. */
        pt->owner = owner;
        if (issued && pt->names_first < pt->names_end)
            owner = g->n_parts;
        if (pt->m.date == SIZE_MAX) {
            /* No 落款: the body runs to the next part, unless a 附件说明 ends it —
             * and only page breaks may stand between that and the next part. */
            size_t k = pt->names_end;
            while (k < stop && pagebreak_line(im, k))
                k++;
            if (pt->names_first == pt->names_end || k < stop) {
                pt->names_first = pt->names_end = stop;
                pt->m.body_end = stop;
                while (pt->m.body_end > pt->m.body_first && pagebreak_line(im, pt->m.body_end - 1))
                    pt->m.body_end--;
            }
        }
        g->n_parts++;
        next = pt->m.date == SIZE_MAX ? stop : after;
        issuing = false;                    /* one issued document a notice */
    }
    if (next < end) {
        /* Text after the last part that starts none (more parts than MAX_PARTS):
         * the last document keeps it in its body, in order, and no 落款. */
        part *last = &g->parts[g->n_parts - 1];
        last->m.date = SIZE_MAX;
        last->n_issuers = 0;
        last->note = SIZE_MAX;
        last->names_first = last->names_end = end;
        last->m.body_end = end;
    }
    fit_titles(im, g);
    bool parts = g->n_parts > 1 || main_part->to_end > main_part->to_first ||
                 main_part->names_end > main_part->names_first || main_part->note != SIZE_MAX;
    return header || parts || g->record_first < im->n_lines;
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
static void decide_sequence(importer *im, size_t first, size_t last)
{
    int level = im->paras[first].num.level;
    size_t end = first, heads = 0, paragraphs = 0;
    bool parent = false;                          /* lower numbers inside the sequence */
    for (; end < last; end++) {
        const para *p = &im->paras[end];
        if ((p->num.level != 0 && p->num.level < level) || p->outline)
            break;                                 /* a higher level ends the sequence */
        parent = parent || p->num.level > level;
        if (p->num.level == level && p->shape == SHAPE_ITEM)
            paragraphs++;
        else if (p->num.level == level)
            heads++;
    }
    /* The whole shape decides: a run of numbers with numbered parts under them,
     * most of them reading as headings, is a level of sections (一、总体要求 …
     * under a preamble) even if one reads as a paragraph; otherwise any
     * paragraph among them makes them all list items. */
    bool sections = parent && heads > paragraphs;
    bool items = paragraphs > 0 && !sections;
    for (size_t k = first; k < end; k++) {
        para *p = &im->paras[k];
        if (p->num.level != level)
            continue;
        p->decided = true;
        if (!items) {
            p->role = p->shape == SHAPE_RUNIN ? ROLE_RUNIN : ROLE_HEADING;
            if (p->shape == SHAPE_ITEM) {
                char from[32];
                name_line(im, im->paras[first].line, from, sizeof from);
                note_warning(im, p->line, "taken for a heading like the others numbered alike "
                             "from %s, with numbered parts under them, though it reads like a "
                             "paragraph", from);
            }
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

/* The sequences of paragraphs [from, to): one document's body (an
 * attachment's numbering is its own). */
static void decide_sequences(importer *im, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        if (im->paras[i].num.level != 0 && !im->paras[i].decided)
            decide_sequence(im, i, to);
}

/* ---------------------------------------------------------------------------
 * Writing the XML
 * ------------------------------------------------------------------------- */

typedef struct writer {
    int base;                   /* indentation of the body's top level (1 in <report>) */
    int levels[MAX_LEVEL];      /* level of each open section, outermost first */
    int depth;                  /* open sections */
    int sections[MAX_LEVEL + 1];/* sections numbered so far inside each open container */
    bool list_open;
    bool list_as_typed;         /* the items of this run are written as typed paragraphs */
    int list_typed;             /* level of the numbers typed on the open list's items */
    int list_items;
} writer;

static void close_list(importer *im, writer *w)
{
    w->list_as_typed = false;
    if (!w->list_open)
        return;
    put_indent(im, w->base + w->depth);
    puts_(im, "</list>\n");
    w->list_open = false;
}

/* Close the open sections of level `level` or deeper. */
static void close_sections(importer *im, writer *w, int level)
{
    while (w->depth > 0 && w->levels[w->depth - 1] >= level) {
        close_list(im, w);
        w->depth--;
        put_indent(im, w->base + w->depth);
        puts_(im, "</section>\n");
    }
}

/* How a warning calls a number: typed in a text; in a made text (a .docx) it
 * may be Word's own numbering, so "numbered", kept "as the document has it". */
static const char *typed_word(const importer *im)
{
    return im->made ? "numbered" : "typed";
}

static const char *kept_word(const importer *im)
{
    return im->made ? "in the document" : "typed";
}

/* Does the number typed on p stand for the one format v1 prints for it (level,
 * value)?  Its forms do — 1、 1． for 1., (一) for （一） — a skipped or
 * repeated number does not: 四、 where gwpdf prints 三、. */
static bool typed_as_printed(const para *p, int level, int value)
{
    return p->num.level == level && p->num.value == value;
}

/* The number typed on p, for a warning. */
static void typed_number(const para *p, char *out, size_t size)
{
    size_t n = p->num.len, k = 0;
    while (n > 0 && is_blank(p->text.v[n - 1]))
        n--;
    for (size_t i = 0; i < n && k + 5 < size; i++)
        k += gw_utf8_encode(p->text.v[i], out + k);
    out[k] = '\0';
}

static void write_heading(importer *im, writer *w, const para *p)
{
    int level = p->num.level;
    close_list(im, w);
    close_sections(im, w, level);
    int number = ++w->sections[w->depth];
    /* A number gwpdf would print otherwise is kept as typed: nothing typed is
     * changed, and the heading is not counted among its siblings. */
    bool as_typed = !typed_as_printed(p, level, number);
    if (as_typed) {
        char typed[32], printed[32];
        typed_number(p, typed, sizeof typed);
        gw_format_number(level, number, printed, sizeof printed);
        note_warning(im, p->line, "%s %s, but this is heading %d at its level, which gwpdf "
                     "numbers %s: kept as %s (number=\"none\")", typed_word(im), typed, number,
                     printed, kept_word(im));
        w->sections[w->depth]--;
    }
    mark_line(im, p->line);
    put_indent(im, w->base + w->depth);
    if (level == w->depth + 1) {
        puts_(im, "<section>\n");
    } else {
        char open[40];
        snprintf(open, sizeof open, "<section level=\"%d\">\n", level);
        puts_(im, open);
    }
    w->levels[w->depth++] = level;
    w->sections[w->depth] = 0;
    size_t from = as_typed ? 0 : p->num.len;
    const uint32_t *t = p->text.v + from;
    size_t n = p->text.len - from, runin = p->runin_len + (as_typed ? p->num.len : 0);
    if (p->role == ROLE_RUNIN) {
        put_element(im, w->base + w->depth, as_typed ? "<heading runin=\"true\" number=\"none\">"
                    : "<heading runin=\"true\">", "</heading>", t, runin);
        put_element(im, w->base + w->depth, "<p>", "</p>", t + runin, n - runin);
    } else {
        put_element(im, w->base + w->depth, as_typed ? "<heading number=\"none\">" : "<heading>",
                    "</heading>", t, n);
    }
}

static void write_item(importer *im, writer *w, const para *p)
{
    int typed = p->num.level;
    if ((w->list_open || w->list_as_typed) && w->list_typed != typed)
        close_list(im, w);
    close_sections(im, w, typed);
    /* Items are numbered one level below their section; 1. outside sections. */
    int level = w->depth > 0 ? w->levels[w->depth - 1] + 1 : 3;
    mark_line(im, p->line);
    if (!w->list_open && !w->list_as_typed) {
        w->list_typed = typed;
        w->list_items = 0;
        if (typed != level) {
            /* A list format v1 would number otherwise: its items stay as typed. */
            char t1[32], t2[32], p1[32], p2[32];
            gw_format_number(typed, 1, t1, sizeof t1);
            gw_format_number(typed, 2, t2, sizeof t2);
            gw_format_number(level, 1, p1, sizeof p1);
            gw_format_number(level, 2, p2, sizeof p2);
            note_warning(im, p->line,
                         "list items %s %s %s …, which format v1 numbers %s %s … (a list takes "
                         "the numbering one level below its section): %s",
                         typed_word(im), t1, t2, p1, p2,
                         im->made ? "kept as in the document, as paragraphs"
                                  : "kept as typed paragraphs");
            w->list_as_typed = true;
        } else if (typed_as_printed(p, level, 1)) {
            put_indent(im, w->base + w->depth);
            puts_(im, "<list>\n");
            w->list_open = true;
        }
    }
    int number = ++w->list_items;
    if (!w->list_as_typed && !typed_as_printed(p, level, number)) {
        char t[32], printed[32];
        typed_number(p, t, sizeof t);
        gw_format_number(level, number, printed, sizeof printed);
        note_warning(im, p->line, "%s %s, but this is list item %d, which gwpdf numbers %s: "
                     "kept as %s, a paragraph (and the items after it)", typed_word(im), t, number,
                     printed, kept_word(im));
        close_list(im, w);
        w->list_as_typed = true;
        w->list_typed = typed;
    }
    if (w->list_as_typed)
        put_element(im, w->base + w->depth, "<p>", "</p>", p->text.v, p->text.len);
    else
        put_element(im, w->base + w->depth + 1, "<item>", "</item>", p->text.v + p->num.len,
                    p->text.len - p->num.len);
}

static void write_line_element(importer *im, const char *open, const char *close, size_t line)
{
    const src_line *l = &im->lines[line];
    mark_line(im, l->line);
    put_element(im, 1, open, close, line_cp(im, l), l->len);
}

/* Is the date typed t[0..len) exactly as gwpdf prints an ISO date (2023年3月15日)? */
static bool printed_as_typed(const uint32_t *t, size_t len, const gw_written_date *d)
{
    char printed[64], typed[64];
    snprintf(printed, sizeof printed, "%d年%d月%d日", d->year, d->month, d->day);
    size_t k = 0;
    for (size_t i = 0; i < len && k + 4 < sizeof typed; i++)
        k += gw_utf8_encode(t[i], typed + k);
    typed[k] = '\0';
    return !d->iso && !strcmp(printed, typed);
}

/* The date as typed, or in ISO form when that prints exactly as typed
 * (2023年3月15日 is written 2023-03-15; 2023年03月15日 is kept). */
static void write_date_at(importer *im, const src_line *l, int depth)
{
    const uint32_t *t = line_cp(im, l);
    mark_line(im, l->line);
    gw_written_date d;
    gw_date_parse(t, l->len, &d);
    if (printed_as_typed(t, l->len, &d)) {
        char iso[32];
        snprintf(iso, sizeof iso, "%04d-%02d-%02d", d.year, d.month, d.day);
        put_indent(im, depth);
        puts_(im, "<date>");
        puts_(im, iso);
        puts_(im, "</date>\n");
        return;
    }
    put_element(im, depth, "<date>", "</date>", t, l->len);
}

static void write_date(importer *im, const src_line *l)
{
    write_date_at(im, l, 2);
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
static void write_seal_at(importer *im, const matter *m, int depth)
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
    put_indent(im, depth);
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

static void write_seal(importer *im, const matter *m)
{
    write_seal_at(im, m, 2);
}

/* The caller's next XML block (a table, a page break), as it is. */
static void write_block(importer *im, int depth, const para *p)
{
    const char *xml = p->xml;
    if (!xml && im->made && p->block_no < im->made->n_blocks)
        xml = im->made->blocks[p->block_no];
    if (!xml)
        return;                              /* more markers than blocks: the caller's slip */
    mark_line(im, p->line);
    put_indent(im, depth);
    puts_(im, xml);
    puts_(im, "\n");
}

static void write_title(importer *im, const matter *m, int depth);
static void write_body(importer *im, size_t from, size_t to, int base);

static void write_document(importer *im, const matter *m)
{
    puts_(im, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<report version=\"1\">\n");
    if (m->label != SIZE_MAX)
        write_line_element(im, "<label>", "</label>", m->label);
    write_title(im, m, 1);
    if (m->subtitle != SIZE_MAX)
        write_line_element(im, "<subtitle>", "</subtitle>", m->subtitle);
    write_body(im, 0, im->n_paras, 1);
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
 * Writing a whole 公文 (format v2)
 * ------------------------------------------------------------------------- */

/* Line i as an element at depth, its text from code point `from`. */
static void write_line_from(importer *im, int depth, const char *open, const char *close,
                            size_t i, size_t from)
{
    size_t n;
    const uint32_t *t = cp_of(im, i, &n);
    mark_line(im, im->lines[i].line);
    put_element(im, depth, open, close, t + from, n - from);
}

/* Lines [first, end) joined as one element (a 主送 or 抄送 wrapped by the page). */
static void write_joined(importer *im, int depth, const char *open, const char *close,
                         size_t first, size_t end, size_t from)
{
    cpbuf b = { 0 };
    for (size_t i = first; i < end; i++) {
        src_line l = im->lines[i];
        if (i == first) {
            l.start += from;
            l.len -= from;
        }
        append_line(im, &b, &l);
    }
    mark_line(im, im->lines[first].line);
    put_element(im, depth, open, close, b.v, b.len);
    free(b.v);
}

static void write_header(importer *im, gongwen *g)
{
    bool any = g->copy != SIZE_MAX || g->secrecy != SIZE_MAX || g->urgency != SIZE_MAX ||
               g->doc_number != SIZE_MAX || g->signer_end > 0 || g->mark != SIZE_MAX;
    if (!any)
        return;
    puts_(im, g->mark != SIZE_MAX && g->mark_suffix ? "  <header suffix=\"文件\">\n"
                                                     : "  <header>\n");
    if (g->copy != SIZE_MAX)
        write_line_from(im, 2, "<copy>", "</copy>", g->copy, 0);
    if (g->secrecy != SIZE_MAX) {
        size_t n, at;
        const uint32_t *t = cp_of(im, g->secrecy, &n);
        gw_gongwen_secrecy(t, n, &at);
        mark_line(im, im->lines[g->secrecy].line);
        put_indent(im, 2);
        if (at == 0) {
            puts_(im, "<secrecy>");
        } else {
            puts_(im, "<secrecy period=\"");
            put_text(im, t + at, n - at, false, false);
            puts_(im, "\">");
        }
        put_text(im, t, 2, false, false);
        puts_(im, "</secrecy>\n");
    }
    if (g->urgency != SIZE_MAX)
        write_line_from(im, 2, "<urgency>", "</urgency>", g->urgency, 0);
    if (g->mark != SIZE_MAX) {
        size_t n;
        cp_of(im, g->mark, &n);
        mark_line(im, im->lines[g->mark].line);
        put_element(im, 2, "<issuer-mark>", "</issuer-mark>", line_cp(im, &im->lines[g->mark]),
                    n - (g->mark_suffix ? 2 : 0));
    }
    if (g->doc_number != SIZE_MAX) {
        size_t n;
        const uint32_t *t = cp_of(im, g->doc_number, &n);
        gw_doc_number dn;
        gw_doc_number_parse(t, n, &dn);
        if (!dn.standard)
            note_warning(im, im->lines[g->doc_number].line,
                         "the 发文字号 is kept as typed; GB/T 9704 writes it with 〔〕 around the "
                         "year, no 第 and no leading zero (增工函〔2023〕12号)");
        write_line_from(im, 2, "<doc-number>", "</doc-number>", g->doc_number, 0);
    }
    /* 签发人：张三 李四 — a name each, "签发人：" generated. */
    for (size_t i = g->signer_first; i < g->signer_end; i++) {
        size_t n, at;
        const uint32_t *t = cp_of(im, i, &n);
        gw_gongwen_signer(t, n, &at);
        mark_line(im, im->lines[i].line);
        while (at < n) {
            size_t e = at;
            while (e < n && !is_blank(t[e]) && t[e] != 0x3001)
                e++;
            put_element(im, 2, "<signer>", "</signer>", t + at, e - at);
            at = e;
            while (at < n && (is_blank(t[at]) || t[at] == 0x3001))
                at++;
        }
    }
    puts_(im, "  </header>\n");
}

static void write_title(importer *im, const matter *m, int depth)
{
    if (m->title_first < m->title_end)
        mark_line(im, im->lines[m->title_first].line);
    else
        im->title_xml_line = im->out_line;
    put_indent(im, depth);
    puts_(im, "<title>");
    for (size_t i = m->title_first; i < m->title_end; i++) {
        if (i > m->title_first)
            puts_(im, "<br/>");
        put_text(im, line_cp(im, &im->lines[i]), im->lines[i].len, true, false);
    }
    puts_(im, "</title>\n");
}

/* Paragraphs [from, to) as the body of a document at depth `base`. */
static void write_body(importer *im, size_t from, size_t to, int base)
{
    writer w;
    memset(&w, 0, sizeof w);
    w.base = base;
    for (size_t i = from; i < to; i++) {
        const para *p = &im->paras[i];
        if (p->role == ROLE_HEADING || p->role == ROLE_RUNIN) {
            write_heading(im, &w, p);
        } else if (p->role == ROLE_ITEM) {
            write_item(im, &w, p);
        } else if (p->role == ROLE_BLOCK) {
            close_list(im, &w);
            write_block(im, w.base + w.depth, p);
        } else {
            close_list(im, &w);
            mark_line(im, p->line);
            put_element(im, w.base + w.depth, "<p>", "</p>", p->text.v, p->text.len);
        }
    }
    close_list(im, &w);
    close_sections(im, &w, 1);
}

static void write_parts_of(importer *im, gongwen *g, size_t owner, int depth);

/* The signature of a part: its issuers, its date (and, for the main document
 * of a made text, the seal). */
static void write_signature2(importer *im, part *pt, int depth, bool main_doc)
{
    if (pt->m.date == SIZE_MAX)
        return;
    put_indent(im, depth);
    puts_(im, "<signature>\n");
    for (size_t k = 0; k < pt->n_issuers; k++)
        write_joined(im, depth + 1, "<issuer>", "</issuer>", pt->issuers[k],
                     pt->issuers[k] + pt->issuer_lines[k], 0);
    const src_line *d = &im->lines[pt->m.date];
    mark_line(im, d->line);
    write_date_at(im, d, depth + 1);
    if (main_doc) {
        pt->m.issuer = pt->n_issuers > 0 ? pt->issuers[0] : SIZE_MAX;
        write_seal_at(im, &pt->m, depth + 1);
    }
    put_indent(im, depth);
    puts_(im, "</signature>\n");
}

/* 附注: （此件公开发布） with its brackets generated. */
static void write_note(importer *im, const part *pt, int depth)
{
    if (pt->note == SIZE_MAX)
        return;
    size_t n;
    const uint32_t *t = cp_of(im, pt->note, &n);
    if (t[0] != 0xFF08 || t[n - 1] != 0xFF09)
        note_warning(im, im->lines[pt->note].line, "the 附注 is typed in ( ): gwpdf prints it in "
                     "（ ） as GB/T 9704 §7.3.5.4 does");
    mark_line(im, im->lines[pt->note].line);
    put_element(im, depth, "<note>", "</note>", t + 1, n - 2);
}

/* A part's own content: title, 主送 (the main document), body, 落款, 附注,
 * then its attachments. */
static void write_part_content(importer *im, gongwen *g, size_t k, int depth)
{
    part *pt = &g->parts[k];
    write_title(im, &pt->m, depth);
    if (pt->m.subtitle != SIZE_MAX)
        write_line_from(im, depth, "<subtitle>", "</subtitle>", pt->m.subtitle, 0);
    if (pt->to_end > pt->to_first)
        write_joined(im, depth, "<to>", "</to>", pt->to_first, pt->to_end, 0);
    write_body(im, pt->para_first, pt->para_end, depth);
    write_signature2(im, pt, depth, k == 0);
    write_note(im, pt, depth);
    write_parts_of(im, g, k, depth);
}

/* Which attachment of part `owner` each listed name is: slot[j] the part listed
 * j-th, SIZE_MAX for a name the text does not hold (sent separately).  When the
 * title of every attachment in the text is a name of the list, in order, the
 * list's order stands (an attachment sent separately may be listed first); else
 * they are matched one for one as they stand, the names left over sent
 * separately.  Returns the slots: the names, or the attachments if more. */
static size_t attachment_slots(importer *im, const gongwen *g, size_t owner,
                               const listed_name *names, size_t n_names, size_t *slot)
{
    size_t bound[MAX_PARTS], n_bound = 0;
    for (size_t k = owner + 1; k < g->n_parts; k++)
        if (g->parts[k].owner == owner && !g->parts[k].issued)
            bound[n_bound++] = k;
    size_t n = n_names > n_bound ? n_names : n_bound;
    for (size_t j = 0; j < n; j++)
        slot[j] = SIZE_MAX;
    size_t j = 0, i = 0;
    for (; i < n_bound && n_names > n_bound; i++) {
        while (j < n_names && !name_is_title(im, &names[j], &g->parts[bound[i]]))
            j++;
        if (j == n_names)
            break;
        slot[j++] = bound[i];
    }
    if (n_names <= n_bound || i < n_bound) {          /* one for one, as they stand */
        for (j = 0; j < n; j++)
            slot[j] = j < n_bound ? bound[j] : SIZE_MAX;
    }
    return n;
}

/* The name a 附件说明 lists, as text. */
static void put_listed_name(importer *im, const listed_name *ln)
{
    cpbuf b = { 0 };
    for (size_t i = ln->first; i < ln->end; i++) {
        src_line l = im->lines[i];
        if (i == ln->first) {
            l.start += ln->from;
            l.len -= ln->from;
        }
        append_line(im, &b, &l);
    }
    put_text(im, b.v, b.len, false, false);
    free(b.v);
}

/* Attachment k, listed at (0-based) of `total`, under its listed name. */
static void write_attachment(importer *im, gongwen *g, size_t k, int depth, size_t at,
                             size_t total, const listed_name *ln)
{
    part *pt = &g->parts[k];
    int expected = total > 1 ? (int)at + 1 : 0;
    long label_line_no = pt->m.label != SIZE_MAX ? im->lines[pt->m.label].line : 0;
    if (label_line_no && pt->label_number != expected && expected > 0)
        note_warning(im, label_line_no, "the label is typed with %d; gwpdf labels this "
                     "attachment 附件%d", pt->label_number, expected);
    else if (label_line_no && pt->label_number != expected)
        note_warning(im, label_line_no, "the label is typed with %d; gwpdf labels a single "
                     "attachment 附件, without a number", pt->label_number);
    if (pt->label_pre2012)
        note_warning(im, label_line_no, "the label is typed 附 as before 2012: kept "
                     "(label=\"附\"), printed without its colon");
    put_indent(im, depth);
    mark_line(im, label_line_no ? label_line_no : im->lines[pt->m.title_first].line);
    puts_(im, pt->label_pre2012 ? "<attachment label=\"附\"" : "<attachment");
    if (ln && !name_is_title(im, ln, pt)) {
        puts_(im, " name=\"");
        put_listed_name(im, ln);
        puts_(im, "\"");
        note_warning(im, im->lines[ln->first].line, "the 附件说明 names attachment %zu otherwise "
                     "than its title: kept as its name (GB/T 9704 §7.3.6 wants the two alike)",
                     at + 1);
    }
    puts_(im, ">\n");
    write_part_content(im, g, k, depth + 1);
    put_indent(im, depth);
    puts_(im, "</attachment>\n");
}

/* A name of the 附件说明 the text holds no attachment for: sent separately. */
static void write_unbound(importer *im, const listed_name *ln, int depth)
{
    note_warning(im, im->lines[ln->first].line, "the 附件说明 lists an attachment the text does "
                 "not hold: written as sent separately (bound=\"false\")");
    put_indent(im, depth);
    puts_(im, "<attachment bound=\"false\">\n");
    write_joined(im, depth + 1, "<title>", "</title>", ln->first, ln->end, ln->from);
    put_indent(im, depth);
    puts_(im, "</attachment>\n");
}

/* The documents part `owner` issues, then its attachments in the order of its
 * 附件说明, each checked against it. */
static void write_parts_of(importer *im, gongwen *g, size_t owner, int depth)
{
    part *op = &g->parts[owner];
    listed_name names[MAX_PARTS];
    size_t slot[MAX_PARTS];
    size_t n_names = listed_names(im, op, names, MAX_PARTS);
    for (size_t k = owner + 1; k < g->n_parts; k++) {
        part *pt = &g->parts[k];
        if (pt->owner != owner || !pt->issued)
            continue;
        put_indent(im, depth);
        mark_line(im, im->lines[pt->m.title_first].line);
        puts_(im, "<attachment role=\"issued\">\n");
        write_part_content(im, g, k, depth + 1);
        put_indent(im, depth);
        puts_(im, "</attachment>\n");
    }
    size_t total = attachment_slots(im, g, owner, names, n_names, slot);
    for (size_t j = 0; j < total; j++) {
        const listed_name *ln = j < n_names ? &names[j] : NULL;
        if (slot[j] != SIZE_MAX)
            write_attachment(im, g, slot[j], depth, j, total, ln);
        else if (ln)
            write_unbound(im, ln, depth);
    }
    if (n_names == 0 && total > 0 && owner == 0)
        note_warning(im, im->lines[op->m.date != SIZE_MAX ? op->m.date : op->m.title_first].line,
                     "attachments follow, but the text has no 附件说明: gwpdf prints one from "
                     "their titles (GB/T 9704 §7.3.6)");
}

static void write_record(importer *im, gongwen *g)
{
    if (g->record_first >= im->n_lines)
        return;
    puts_(im, "  <record>\n");
    if (g->cc_end > g->cc_first) {
        size_t n, at;
        const uint32_t *t = cp_of(im, g->cc_first, &n);
        gw_gongwen_cc(t, n, &at);
        write_joined(im, 2, "<cc>", "</cc>", g->cc_first, g->cc_end, at);
    }
    if (g->distributor != SIZE_MAX) {
        size_t n, name, date_at, date_len;
        const uint32_t *t = cp_of(im, g->distributor, &n);
        gw_gongwen_distributor(t, n, &name, &date_at, &date_len);
        gw_written_date d;
        gw_date_parse(t + date_at, date_len, &d);
        mark_line(im, im->lines[g->distributor].line);
        puts_(im, "    <distributor>\n");
        put_element(im, 3, "<name>", "</name>", t, name);
        char iso[32];
        snprintf(iso, sizeof iso, "%04d-%02d-%02d", d.year, d.month, d.day);
        put_indent(im, 3);
        puts_(im, "<date>");
        puts_(im, iso);
        puts_(im, "</date>\n");
        puts_(im, "    </distributor>\n");
        if (!printed_as_typed(t + date_at, date_len, &d))
            note_warning(im, im->lines[g->distributor].line,
                         "the 印发 date is printed %d年%d月%d日 (GB/T 9704 §7.4.3: Arabic "
                         "numerals, no leading zero)", d.year, d.month, d.day);
    }
    puts_(im, "  </record>\n");
}

static void write_gongwen(importer *im, gongwen *g)
{
    puts_(im, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<document version=\"2\">\n");
    write_header(im, g);
    write_part_content(im, g, 0, 1);
    write_record(im, g);
    puts_(im, "</document>\n");
}

/* ---------------------------------------------------------------------------
 * Entry point
 * ------------------------------------------------------------------------- */

static void importer_free(importer *im)
{
    for (size_t i = 0; i < im->n_paras; i++) {
        free(im->paras[i].text.v);
        free(im->paras[i].xml);
    }
    free(im->paras);
    free(im->lines);
    free(im->line_of);
    free(im->text.v);
    free(im->notes);
    free(im->marks);
    free(im->block_no);
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
        if (im.made && im.n_lines > 0) {
            im.block_no = malloc(im.n_lines * sizeof *im.block_no);
            im.oom = im.oom || !im.block_no;
            for (size_t i = 0, b = 0; im.block_no && i < im.n_lines; i++) {
                im.block_no[i] = b;
                b += is_block_line(&im, &im.lines[i]);
            }
        }
        gongwen *g = calloc(1, sizeof *g);
        im.oom = im.oom || !g;
        size_t notes = im.n_notes;
        bool v2 = g && find_gongwen(&im, g);
        if (!v2)
            im.n_notes = notes;            /* what the search said does not stand for a report */
        if (v2) {
            for (size_t k = 0; k < g->n_parts; k++) {
                part *pt = &g->parts[k];
                pt->para_first = im.n_paras;
                build_paragraphs(&im, &pt->m);
                pt->para_end = im.n_paras;
            }
            classify(&im);
            for (size_t k = 0; k < g->n_parts; k++)
                decide_sequences(&im, g->parts[k].para_first, g->parts[k].para_end);
            write_gongwen(&im, g);
        } else if (g) {
            matter m;
            find_front(&im, &m, 0, im.n_lines);
            find_signature(&im, &m, im.n_lines);
            build_paragraphs(&im, &m);
            classify(&im);
            decide_sequences(&im, 0, im.n_paras);
            write_document(&im, &m);
        }
        free(g);
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
