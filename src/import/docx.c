/* docx — `gwpdf import FILE.docx`: a Word document's text and structure handed
 * to the text import (import.c), which recognises the report's parts.
 *
 * The package is read with libzip from memory, every part bounded before and
 * while it is inflated; the XML parts with libxml2 under the model's settings
 * (no network, no entity substitution, and a part declaring a DOCTYPE refused
 * before it is parsed).  From word/document.xml the paragraphs are taken in
 * order — in tables and text boxes too — each one line of text: its runs'
 * text, tabs, breaks, symbols and special hyphens, bold runs (as marks the
 * text import turns into <b>); fields by their result; insertions kept and
 * deletions dropped (tracked changes as accepted); Word's automatic numbering
 * (word/numbering.xml) and heading styles (word/styles.xml) written out as the
 * numbers Word shows, so the text import's recognisers of typed numbers make
 * them sections and list items again.  Page breaks and tables are written here
 * as finished blocks (<pagebreak/>, <table> with its grid widths, header rows,
 * gridSpan and vMerge as colspan and rowspan, landscape when its section is or
 * when it is too wide for portrait) that the text import places between its
 * paragraphs.  Everything else Word stores (fonts, sizes, colours, indents,
 * page setup) is left on purpose: gwpdf sets the format.  Positions in
 * messages are paragraph numbers, `FILE.docx:¶12: …`.
 *
 * Called by the CLI through gw_import_docx (import.h). */
#define _GNU_SOURCE
#include "import.h"

#include <ctype.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "grow.h"
#include "textbuf.h"
#include "utf8.h"
#include "ziplib.h"

#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define MC_NS "http://schemas.openxmlformats.org/markup-compatibility/2006"
#define WP_NS "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
#define A_NS "http://schemas.openxmlformats.org/drawingml/2006/main"
#define V_NS "urn:schemas-microsoft-com:vml"
#define R_NS "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define PR_NS "http://schemas.openxmlformats.org/package/2006/relationships"
#define MAX_LEVELS 9
/* All parts together may inflate to this many times the byte limit: a
 * document.xml is some 20 times its share of the .docx, and the rest is small. */
#define TOTAL_FACTOR 4

/* ---- the package -------------------------------------------------------- */

typedef struct package {
    const char *name;
    gw_diag *diag;
    gw_ziplib z;             /* libzip, loaded for this import */
    zip_t *zip;
    zip_source_t *src;
    long part_limit, total_limit, total;
} package;

static bool has_dot_dot(const char *n)
{
    for (const char *p = n; (p = strstr(p, "..")) != NULL; p += 2)
        if ((p == n || p[-1] == '/' || p[-1] == '\\') && (p[2] == '\0' || p[2] == '/' || p[2] == '\\'))
            return true;
    return false;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Every entry's name is a relative path inside the package, and no name is
 * given twice (a reader could take either copy). */
static bool check_names(package *p)
{
    zip_int64_t n = p->z.get_num_entries(p->zip, 0);
    const char **names = malloc((size_t)(n > 0 ? n : 1) * sizeof *names);
    if (!names) {
        gw_error(p->diag, p->name, 0, 0, "out of memory reading the package");
        return false;
    }
    bool ok = true;
    for (zip_int64_t i = 0; i < n && ok; i++) {
        const char *e = p->z.get_name(p->zip, (zip_uint64_t)i, ZIP_FL_ENC_RAW);
        names[i] = e ? e : "";
        if (!e || !*e || e[0] == '/' || e[0] == '\\' || strchr(e, ':') || has_dot_dot(e)) {
            gw_error(p->diag, p->name, 0, 0, "the package holds a part named '%s': a part must be "
                     "named by a relative path inside the package (no '..', no absolute name)", e ? e : "");
            ok = false;
        }
    }
    if (ok && n > 1) {
        qsort(names, (size_t)n, sizeof *names, cmp_str);
        for (zip_int64_t i = 1; i < n && ok; i++)
            if (!strcasecmp(names[i - 1], names[i])) {
                gw_error(p->diag, p->name, 0, 0, "the package holds the part %s twice", names[i]);
                ok = false;
            }
    }
    free(names);
    return ok;
}

static bool package_open(package *p, const unsigned char *data, size_t len, const gw_limits *l)
{
    const char *why = NULL;
    if (gw_ziplib_open(&p->z, &why) != 0) {
        gw_error(p->diag, p->name, 0, 0, "cannot load libzip to read the package (%s): install "
                 "Debian's libzip4", why ? why : "?");
        return false;
    }
    zip_error_t err;
    p->z.error_init(&err);
    p->part_limit = l->bytes;
    p->total_limit = l->bytes * TOTAL_FACTOR;
    p->src = p->z.source_buffer_create(data, len, 0, &err);
    p->zip = p->src ? p->z.open_from_source(p->src, ZIP_RDONLY | ZIP_CHECKCONS, &err) : NULL;
    if (!p->zip && p->z.error_code_zip(&err) == ZIP_ER_EXISTS)
        gw_error(p->diag, p->name, 0, 0, "the package holds a part name twice: a reader could "
                 "take either copy");
    else if (!p->zip)
        gw_error(p->diag, p->name, 0, 0, "not a readable ZIP package (%s): is it a .docx?",
                 p->z.error_strerror(&err));
    if (!p->zip) {
        if (p->src)
            p->z.source_free(p->src);
        p->src = NULL;
        p->z.error_fini(&err);
        return false;
    }
    p->z.error_fini(&err);
    return check_names(p);
}

static void package_close(package *p)
{
    if (p->zip)
        p->z.discard(p->zip);      /* frees the source too */
    p->zip = NULL;
    gw_ziplib_close(&p->z);
}

/* The part `part`, whole, NUL-terminated (NULL and *missing when absent, or
 * NULL after reporting).  Its size is checked as declared before inflating
 * and as inflated while reading, against the byte limit and the package's
 * total: a ZIP bomb stops one buffer past the bound. */
static char *read_part(package *p, const char *part, size_t *len, bool *missing)
{
    *missing = false;
    zip_int64_t i = p->z.name_locate(p->zip, part, ZIP_FL_NOCASE);
    if (i < 0) {
        *missing = true;
        return NULL;
    }
    zip_stat_t st;
    p->z.stat_init(&st);
    if (p->z.stat_index(p->zip, (zip_uint64_t)i, 0, &st) != 0) {
        gw_error(p->diag, p->name, 0, 0, "%s: cannot read the part's header", part);
        return NULL;
    }
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
        gw_error(p->diag, p->name, 0, 0, "%s is encrypted: save the document without a password",
                 part);
        return NULL;
    }
    long room = p->total_limit - p->total < p->part_limit ? p->total_limit - p->total : p->part_limit;
    if ((st.valid & ZIP_STAT_SIZE) && st.size > (zip_uint64_t)room) {
        gw_error(p->diag, p->name, 0, 0, "%s inflates to %llu bytes, more than the %ld allowed "
                 "(raise it with --limit bytes=N)", part, (unsigned long long)st.size, room);
        return NULL;
    }
    zip_file_t *f = p->z.fopen_index(p->zip, (zip_uint64_t)i, 0);
    if (!f) {
        gw_error(p->diag, p->name, 0, 0, "%s: cannot open the part: %s", part,
                 p->z.strerror(p->zip));
        return NULL;
    }
    size_t cap = (st.valid & ZIP_STAT_SIZE) ? (size_t)st.size + 1 : 65536, n = 0;
    char *buf = malloc(cap + 1);
    bool ok = buf != NULL, over = false;
    while (ok) {
        if (n == cap) {
            if ((size_t)room + 1 <= cap) {
                over = true;
                ok = false;
                break;
            }
            char *b = realloc(buf, 2 * cap + 1);
            if (!b) {
                gw_error(p->diag, p->name, 0, 0, "out of memory reading %s", part);
                ok = false;
                break;
            }
            buf = b;
            cap *= 2;
        }
        zip_int64_t k = p->z.fread(f, buf + n, cap - n);
        if (k < 0) {
            gw_error(p->diag, p->name, 0, 0, "%s: the part is damaged: %s", part,
                     p->z.file_strerror(f));
            ok = false;
        } else if (k == 0) {
            break;
        }
        n += ok ? (size_t)k : 0;
        if (n > (size_t)room) {
            over = true;
            ok = false;
        }
    }
    p->z.fclose(f);
    if (over)
        gw_error(p->diag, p->name, 0, 0, "%s inflates past %ld bytes, more than allowed (a ZIP "
                 "bomb?); raise the limit with --limit bytes=N", part, room);
    else if (!buf)
        gw_error(p->diag, p->name, 0, 0, "out of memory reading %s", part);
    if (!ok) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    p->total += (long)n;
    *len = n;
    return buf;
}

/* A part as XML: no DOCTYPE (refused before libxml2 sees it, so no entity is
 * ever declared), no network. */
static xmlDoc *read_xml(package *p, const char *part, bool required)
{
    size_t len = 0;
    bool missing;
    char *buf = read_part(p, part, &len, &missing);
    if (!buf) {
        if (missing && required)
            gw_error(p->diag, p->name, 0, 0, "the package has no %s: not a Word document", part);
        return NULL;
    }
    if (memmem(buf, len, "<!DOCTYPE", 9) || memmem(buf, len, "<!ENTITY", 8)) {
        gw_error(p->diag, p->name, 0, 0, "%s declares a DOCTYPE or entities, which a Word "
                 "document never does: refused", part);
        free(buf);
        return NULL;
    }
    xmlDoc *doc = xmlReadMemory(buf, (int)len, part, NULL,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    free(buf);
    if (!doc) {
        const xmlError *e = xmlGetLastError();
        const char *m = e && e->message ? e->message : "?";
        int n = (int)strcspn(m, "\n");
        gw_error(p->diag, p->name, 0, 0, "%s is not well-formed XML (line %d: %.*s)", part,
                 e ? e->line : 0, n, m);
    }
    return doc;
}

/* ---- small XML helpers -------------------------------------------------- */

static bool is_w(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
           !strcmp((const char *)n->ns->href, W_NS) && !strcmp((const char *)n->name, name);
}

static bool is_mc(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
           !strcmp((const char *)n->ns->href, MC_NS) && !strcmp((const char *)n->name, name);
}

static bool is_ns(const xmlNode *n, const char *ns, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
           !strcmp((const char *)n->ns->href, ns) && !strcmp((const char *)n->name, name);
}

static xmlNode *child_w(const xmlNode *n, const char *name)
{
    for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (is_w(c, name))
            return c;
    return NULL;
}

/* w:val (or another w: attribute) as a malloc'd string; NULL when absent. */
static char *attr_w(const xmlNode *n, const char *name)
{
    return n ? (char *)xmlGetNsProp(n, (const xmlChar *)name, (const xmlChar *)W_NS) : NULL;
}

static long attr_long(const xmlNode *n, const char *name, long dflt)
{
    char *v = attr_w(n, name);
    long r = v ? strtol(v, NULL, 10) : dflt;
    xmlFree(v);
    return r;
}

/* ---- numbering and styles ----------------------------------------------- */

typedef struct num_level {
    char fmt[32];          /* w:numFmt */
    char text[64];         /* w:lvlText, UTF-8 */
    long start;
    char suffix[8];        /* w:suff: tab, space, nothing */
} num_level;

typedef struct abstract_num {
    long id;
    num_level lvl[MAX_LEVELS];
    long count[MAX_LEVELS];    /* the last number given at each level */
    bool started[MAX_LEVELS];
} abstract_num;

typedef struct num_inst {
    long id, abstract;
    long start_override[MAX_LEVELS];   /* -1: none */
    bool override_used[MAX_LEVELS];
} num_inst;

typedef struct style {
    char *id, *based_on;
    int heading;           /* 1.. from its name or outline level, 0 none */
    long num_id, ilvl;     /* numbering of the style, num_id 0: none */
    signed char bold;      /* w:b of its w:rPr: -1 not said, 0 or 1 */
} style;

typedef struct word {
    package *pkg;
    abstract_num *abs;
    size_t n_abs, cap_abs;
    num_inst *nums;
    size_t n_nums, cap_nums;
    style *styles;
    size_t n_styles, cap_styles;
    long heading_count[5];     /* numbers given to heading-styled paragraphs without numbering */
    bool numbered_headings;    /* some heading style is numbered: the others get no number */
    gw_buf text;               /* one line a paragraph */
    long *positions;           /* the paragraph of each line */
    size_t n_lines, cap_lines;
    long para;                 /* paragraphs met so far */
    bool oom;
    bool warned_table, warned_note, warned_format, warned_page, warned_nested;
    bool bold;                 /* the paragraph being read is in a bold run (marker written) */
    bool style_bold;           /* the paragraph's style makes its runs bold */
    bool has_text;             /* a line with text has been given to the text import */
    bool break_pending;        /* a page break waits for the next paragraph with text */
    char **blocks;             /* XML blocks of the body (tables, page breaks), in order */
    size_t *block_section;     /* the section each stands in */
    size_t n_blocks, cap_blocks, cap_block_sections;
    size_t section;            /* sections ended so far (a w:sectPr in a paragraph ends one) */
    bool *landscape;           /* per section ended: w:pgSz w:orient="landscape" */
    size_t cap_landscape;
    long image_at;             /* the last picture's paragraph (0: none) */
    char *image_rel;           /* its relationship (r:embed), malloc'd */
    size_t n_images;           /* every image met, floating or in line */
    int field_depth;           /* complex fields open */
    bool field_code[16];       /* per depth: still in the field's code (before separate) */
} word;

static void copy_val(const xmlNode *n, char *to, size_t size)
{
    char *v = attr_w(n, "val");
    snprintf(to, size, "%s", v ? v : "");
    xmlFree(v);
}

static void read_abstract(word *w, const xmlNode *an)
{
    if (!gw_grow(&w->abs, &w->cap_abs, w->n_abs + 1, sizeof *w->abs)) {
        w->oom = true;
        return;
    }
    abstract_num *a = &w->abs[w->n_abs++];
    memset(a, 0, sizeof *a);
    a->id = attr_long(an, "abstractNumId", -1);
    for (int k = 0; k < MAX_LEVELS; k++) {
        snprintf(a->lvl[k].fmt, sizeof a->lvl[k].fmt, "decimal");
        a->lvl[k].start = 1;
    }
    for (xmlNode *l = an->children; l; l = l->next) {
        if (!is_w(l, "lvl"))
            continue;
        long k = attr_long(l, "ilvl", -1);
        if (k < 0 || k >= MAX_LEVELS)
            continue;
        num_level *lv = &a->lvl[k];
        copy_val(child_w(l, "numFmt"), lv->fmt, sizeof lv->fmt);
        copy_val(child_w(l, "lvlText"), lv->text, sizeof lv->text);
        copy_val(child_w(l, "suff"), lv->suffix, sizeof lv->suffix);
        xmlNode *s = child_w(l, "start");
        lv->start = s ? attr_long(s, "val", 1) : 1;
    }
}

static void read_num(word *w, const xmlNode *nn)
{
    if (!gw_grow(&w->nums, &w->cap_nums, w->n_nums + 1, sizeof *w->nums)) {
        w->oom = true;
        return;
    }
    num_inst *n = &w->nums[w->n_nums++];
    memset(n, 0, sizeof *n);
    n->id = attr_long(nn, "numId", -1);
    n->abstract = attr_long(child_w(nn, "abstractNumId"), "val", -1);
    for (int k = 0; k < MAX_LEVELS; k++)
        n->start_override[k] = -1;
    for (xmlNode *o = nn->children; o; o = o->next) {
        if (!is_w(o, "lvlOverride"))
            continue;
        long k = attr_long(o, "ilvl", -1);
        xmlNode *so = child_w(o, "startOverride");
        if (k >= 0 && k < MAX_LEVELS && so)
            n->start_override[k] = attr_long(so, "val", 1);
    }
}

static void read_numbering(word *w, xmlDoc *doc)
{
    xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    for (xmlNode *c = root ? root->children : NULL; c; c = c->next) {
        if (is_w(c, "abstractNum"))
            read_abstract(w, c);
        else if (is_w(c, "num"))
            read_num(w, c);
    }
}

/* "heading 2" / "Heading2" / "标题 2" → 2; -1 for a title style ("Title",
 * "Subtitle", 标题, 副标题), which is no heading whatever it is based on:
 * templates base their title on "heading 1" for its look. */
static int heading_of_name(const char *name)
{
    if (!name)
        return 0;
    if (!strcasecmp(name, "Title") || !strcasecmp(name, "Subtitle") || !strcmp(name, "标题") ||
        !strcmp(name, "副标题"))
        return -1;
    const char *p = NULL;
    if (!strncasecmp(name, "heading", 7))
        p = name + 7;
    else if (!strncmp(name, "标题", strlen("标题")))
        p = name + strlen("标题");
    if (!p)
        return 0;
    while (*p == ' ')
        p++;
    return *p >= '1' && *p <= '9' && p[1] == '\0' ? *p - '0' : 0;
}

/* A toggle property (w:b and the like) set on: present, and not val="0",
 * "false" or "off". */
static bool toggle_on(const xmlNode *prop)
{
    if (!prop)
        return false;
    char *v = attr_w(prop, "val");
    bool on = !v || !(!strcmp(v, "0") || !strcasecmp(v, "false") || !strcasecmp(v, "off"));
    xmlFree(v);
    return on;
}

static void read_styles(word *w, xmlDoc *doc)
{
    xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    for (xmlNode *c = root ? root->children : NULL; c && !w->oom; c = c->next) {
        if (!is_w(c, "style"))
            continue;
        if (!gw_grow(&w->styles, &w->cap_styles, w->n_styles + 1, sizeof *w->styles)) {
            w->oom = true;
            return;
        }
        style *s = &w->styles[w->n_styles++];
        memset(s, 0, sizeof *s);
        char *id = attr_w(c, "styleId");
        s->id = strdup(id ? id : "");
        xmlFree(id);
        if (!s->id) {
            w->n_styles--;
            w->oom = true;
            return;
        }
        char *based = attr_w(child_w(c, "basedOn"), "val");
        s->based_on = based ? strdup(based) : NULL;
        xmlFree(based);
        char *name = attr_w(child_w(c, "name"), "val");
        s->heading = heading_of_name(name);
        xmlFree(name);
        xmlNode *ppr = child_w(c, "pPr");
        xmlNode *ol = child_w(ppr, "outlineLvl");
        if (s->heading == 0 && ol) {
            long v = attr_long(ol, "val", 9);
            s->heading = v >= 0 && v < 8 ? (int)v + 1 : 0;
        }
        xmlNode *np = child_w(ppr, "numPr");
        s->num_id = np ? attr_long(child_w(np, "numId"), "val", 0) : 0;
        s->ilvl = np ? attr_long(child_w(np, "ilvl"), "val", 0) : 0;
        xmlNode *b = child_w(child_w(c, "rPr"), "b");
        s->bold = b ? toggle_on(b) : -1;
    }
}

static const style *find_style(const word *w, const char *id)
{
    for (size_t i = 0; id && i < w->n_styles; i++)
        if (!strcmp(w->styles[i].id, id))
            return &w->styles[i];
    return NULL;
}

/* Whether a paragraph or character style makes text bold: the nearest w:b
 * through its basedOn chain (at most 16 steps, as below). */
static bool style_is_bold(const word *w, const char *id)
{
    const style *s = find_style(w, id);
    for (int step = 0; s && step < 16; step++) {
        if (s->bold >= 0)
            return s->bold;
        s = find_style(w, s->based_on);
    }
    return false;
}

/* The heading level and numbering a paragraph style gives, through its
 * basedOn chain (at most 16 steps: a loop in a hostile file ends there). */
static void style_props(const word *w, const char *id, int *heading, long *num_id, long *ilvl)
{
    const style *s = find_style(w, id);
    for (int step = 0; s && step < 16; step++) {
        if (!*heading)
            *heading = s->heading;
        if (!*num_id && s->num_id) {
            *num_id = s->num_id;
            *ilvl = s->ilvl;
        }
        s = find_style(w, s->based_on);
    }
}

/* Whether the document numbers any of its heading styles.  It then numbers
 * its headings itself, and a heading style it leaves unnumbered is above or
 * beside that hierarchy (a template's title or 主送 on "heading 1"): such a
 * paragraph is given as it is, not numbered by its level. */
static bool headings_numbered(const word *w)
{
    for (size_t i = 0; i < w->n_styles; i++) {
        int heading = 0;
        long num_id = 0, ilvl = 0;
        style_props(w, w->styles[i].id, &heading, &num_id, &ilvl);
        if (heading > 0 && num_id > 0)
            return true;
    }
    return false;
}

/* ---- numbers as Word shows them ------------------------------------------ */

static const char *const CN_DIGIT[] = { "〇", "一", "二", "三", "四", "五", "六", "七", "八", "九" };

static void chinese_number(gw_buf *b, long n)
{
    if (n <= 0 || n > 9999) {
        gw_buf_printf(b, "%ld", n);
        return;
    }
    static const char *const unit[] = { "", "十", "百", "千" };
    int d[4] = { (int)(n / 1000), (int)(n / 100 % 10), (int)(n / 10 % 10), (int)(n % 10) };
    bool started = false, zero = false;
    for (int k = 0; k < 4; k++) {
        int place = 3 - k;
        if (d[k] == 0) {
            zero = started;
            continue;
        }
        if (zero)
            gw_buf_str(b, CN_DIGIT[0]);
        zero = false;
        /* 十一, not 一十一, when the tens lead */
        if (!(place == 1 && d[k] == 1 && !started))
            gw_buf_str(b, CN_DIGIT[d[k]]);
        gw_buf_str(b, unit[place]);
        started = true;
    }
}

static void roman(gw_buf *b, long n, bool upper)
{
    static const struct { int v; const char *s; } r[] = {
        { 1000, "m" }, { 900, "cm" }, { 500, "d" }, { 400, "cd" }, { 100, "c" }, { 90, "xc" },
        { 50, "l" }, { 40, "xl" }, { 10, "x" }, { 9, "ix" }, { 5, "v" }, { 4, "iv" }, { 1, "i" },
    };
    if (n <= 0 || n > 3999) {
        gw_buf_printf(b, "%ld", n);
        return;
    }
    for (size_t i = 0; i < sizeof r / sizeof r[0]; i++)
        for (; n >= r[i].v; n -= r[i].v)
            for (const char *c = r[i].s; *c; c++) {
                char ch = upper ? (char)toupper((unsigned char)*c) : *c;
                gw_buf_put(b, &ch, 1);
            }
}

/* The number n in Word's format `fmt`; false for a format this import does
 * not know (it is then written in Arabic digits, with a warning). */
static bool format_number(gw_buf *b, const char *fmt, long n)
{
    if (!strcmp(fmt, "decimal") || !*fmt) {
        gw_buf_printf(b, "%ld", n);
    } else if (!strcmp(fmt, "decimalZero")) {
        gw_buf_printf(b, "%02ld", n);
    } else if (!strcmp(fmt, "decimalFullWidth") || !strcmp(fmt, "decimalFullWidth2")) {
        char digits[24];
        int k = snprintf(digits, sizeof digits, "%ld", n);
        for (int i = 0; i < k; i++) {
            char u[5];
            size_t m = gw_utf8_encode(0xFF10 + (uint32_t)(digits[i] - '0'), u);
            gw_buf_put(b, u, m);
        }
    } else if (!strcmp(fmt, "chineseCounting") || !strcmp(fmt, "chineseCountingThousand") ||
               !strcmp(fmt, "ideographDigital") || !strcmp(fmt, "taiwaneseCounting") ||
               !strcmp(fmt, "taiwaneseCountingThousand")) {
        chinese_number(b, n);
    } else if (!strcmp(fmt, "decimalEnclosedCircle") || !strcmp(fmt, "decimalEnclosedCircleChinese")) {
        if (n >= 1 && n <= 20) {
            char u[5];
            size_t m = gw_utf8_encode(0x2460 + (uint32_t)(n - 1), u);
            gw_buf_put(b, u, m);
        } else {
            gw_buf_printf(b, "%ld", n);
        }
    } else if (!strcmp(fmt, "lowerLetter") || !strcmp(fmt, "upperLetter")) {
        char c = (char)((fmt[0] == 'l' ? 'a' : 'A') + (n - 1) % 26);
        for (long k = 0; k <= (n - 1) / 26; k++)
            gw_buf_put(b, &c, 1);
    } else if (!strcmp(fmt, "lowerRoman") || !strcmp(fmt, "upperRoman")) {
        roman(b, n, fmt[0] == 'u');
    } else if (!strcmp(fmt, "none") || !strcmp(fmt, "bullet")) {
        /* the level text alone */
    } else {
        gw_buf_printf(b, "%ld", n);
        return false;
    }
    return true;
}

static abstract_num *abstract_of(word *w, long abs_id)
{
    for (size_t i = 0; i < w->n_abs; i++)
        if (w->abs[i].id == abs_id)
            return &w->abs[i];
    return NULL;
}

static num_inst *num_of(word *w, long num_id)
{
    for (size_t i = 0; i < w->n_nums; i++)
        if (w->nums[i].id == num_id)
            return &w->nums[i];
    return NULL;
}

static void note(word *w, bool *once, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void note(word *w, bool *once, const char *fmt, ...)
{
    if (once && *once)
        return;
    if (once)
        *once = true;
    char msg[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    gw_warn(w->pkg->diag, w->pkg->name, w->para, 0, "%s", msg);
}

/* The number Word shows before a paragraph of list numId at level ilvl, counted
 * as Word counts (per abstract numbering; a level restarts the ones below it),
 * written into b.  Nothing for numId 0 or an unknown list. */
static void put_list_number(word *w, gw_buf *b, long num_id, long ilvl)
{
    num_inst *ni = num_id > 0 ? num_of(w, num_id) : NULL;
    abstract_num *a = ni ? abstract_of(w, ni->abstract) : NULL;
    if (!a || ilvl < 0 || ilvl >= MAX_LEVELS)
        return;
    if (ni->start_override[ilvl] >= 0 && !ni->override_used[ilvl]) {
        a->count[ilvl] = ni->start_override[ilvl] - 1;
        a->started[ilvl] = true;
        ni->override_used[ilvl] = true;
    }
    if (!a->started[ilvl]) {
        a->count[ilvl] = a->lvl[ilvl].start - 1;
        a->started[ilvl] = true;
    }
    a->count[ilvl]++;
    for (int k = (int)ilvl + 1; k < MAX_LEVELS; k++)
        a->started[k] = false;
    const char *t = a->lvl[ilvl].text;
    for (const char *p = t; *p; p++) {
        if (*p == '%' && p[1] >= '1' && p[1] <= '9') {
            int k = p[1] - '1';
            long v = a->started[k] ? a->count[k] : a->lvl[k].start;
            if (!format_number(b, a->lvl[k].fmt, v))
                note(w, &w->warned_format, "list numbers in Word's format '%s' are written in "
                     "Arabic digits", a->lvl[k].fmt);
            p++;
        } else {
            gw_buf_put(b, p, 1);
        }
    }
    if (!strcmp(a->lvl[ilvl].suffix, "space"))
        gw_buf_str(b, " ");
}

/* A heading style's paragraph without a list: the number GB/T 9704 gives its
 * level, so the text import makes it a section (it removes the number again). */
static void put_heading_number(word *w, gw_buf *b, int level)
{
    if (level < 1 || level > 4)
        return;
    w->heading_count[level]++;
    for (int k = level + 1; k <= 4; k++)
        w->heading_count[k] = 0;
    char num[32];
    gw_format_number(level, (int)w->heading_count[level], num, sizeof num);
    gw_buf_str(b, num);
}

/* ---- the document ------------------------------------------------------- */

/* End a line of text: the current paragraph's (or a break inside it). */
static void end_line(word *w)
{
    gw_buf_str(&w->text, "\n");
    if (!gw_grow(&w->positions, &w->cap_lines, w->n_lines + 1, sizeof *w->positions)) {
        w->oom = true;
        return;
    }
    w->positions[w->n_lines++] = w->para;
}

static void put_cp(gw_buf *b, uint32_t cp)
{
    char u[5];
    size_t n = gw_utf8_encode(cp, u);
    gw_buf_put(b, u, n);
}

static void walk_paragraph_content(word *w, const xmlNode *n, gw_buf *line, xmlNode **boxes,
                                   size_t *n_boxes);
static void walk_block(word *w, const xmlNode *n);

/* A character of the Symbol font (Adobe's Symbol encoding) as Unicode; 0 when
 * the encoding leaves it empty. */
static uint32_t symbol_char(unsigned c)
{
    static const uint16_t upper[26] = {   /* A..Z */
        0x391, 0x392, 0x3A7, 0x394, 0x395, 0x3A6, 0x393, 0x397, 0x399, 0x3D1, 0x39A, 0x39B, 0x39C,
        0x39D, 0x39F, 0x3A0, 0x398, 0x3A1, 0x3A3, 0x3A4, 0x3A5, 0x3C2, 0x3A9, 0x39E, 0x3A8, 0x396,
    };
    static const uint16_t lower[26] = {   /* a..z */
        0x3B1, 0x3B2, 0x3C7, 0x3B4, 0x3B5, 0x3C6, 0x3B3, 0x3B7, 0x3B9, 0x3D5, 0x3BA, 0x3BB, 0x3BC,
        0x3BD, 0x3BF, 0x3C0, 0x3B8, 0x3C1, 0x3C3, 0x3C4, 0x3C5, 0x3D6, 0x3C9, 0x3BE, 0x3C8, 0x3B6,
    };
    static const struct { uint8_t c; uint16_t u; } other[] = {
        { 0x22, 0x2200 }, { 0x24, 0x2203 }, { 0x27, 0x220B }, { 0x2A, 0x2217 }, { 0x2D, 0x2212 },
        { 0x40, 0x2245 }, { 0x5C, 0x2234 }, { 0x5E, 0x22A5 }, { 0x7E, 0x223C }, { 0xA0, 0x20AC },
        { 0xA1, 0x3D2 }, { 0xA2, 0x2032 }, { 0xA3, 0x2264 }, { 0xA4, 0x2044 }, { 0xA5, 0x221E },
        { 0xA6, 0x192 }, { 0xA7, 0x2663 }, { 0xA8, 0x2666 }, { 0xA9, 0x2665 }, { 0xAA, 0x2660 },
        { 0xAB, 0x2194 }, { 0xAC, 0x2190 }, { 0xAD, 0x2191 }, { 0xAE, 0x2192 }, { 0xAF, 0x2193 },
        { 0xB0, 0xB0 }, { 0xB1, 0xB1 }, { 0xB2, 0x2033 }, { 0xB3, 0x2265 }, { 0xB4, 0xD7 },
        { 0xB5, 0x221D }, { 0xB6, 0x2202 }, { 0xB7, 0x2022 }, { 0xB8, 0xF7 }, { 0xB9, 0x2260 },
        { 0xBA, 0x2261 }, { 0xBB, 0x2248 }, { 0xBC, 0x2026 }, { 0xBF, 0x21B5 }, { 0xC0, 0x2135 },
        { 0xC4, 0x2297 }, { 0xC5, 0x2295 }, { 0xC6, 0x2205 }, { 0xC7, 0x2229 }, { 0xC8, 0x222A },
        { 0xC9, 0x2283 }, { 0xCA, 0x2287 }, { 0xCC, 0x2282 }, { 0xCD, 0x2286 }, { 0xCE, 0x2208 },
        { 0xCF, 0x2209 }, { 0xD0, 0x2220 }, { 0xD1, 0x2207 }, { 0xD2, 0xAE }, { 0xD3, 0xA9 },
        { 0xD4, 0x2122 }, { 0xD5, 0x220F }, { 0xD6, 0x221A }, { 0xD7, 0x22C5 }, { 0xD8, 0xAC },
        { 0xD9, 0x2227 }, { 0xDA, 0x2228 }, { 0xDB, 0x21D4 }, { 0xDC, 0x21D0 }, { 0xDD, 0x21D1 },
        { 0xDE, 0x21D2 }, { 0xDF, 0x21D3 }, { 0xE0, 0x25CA }, { 0xE1, 0x2329 }, { 0xE5, 0x2211 },
        { 0xF1, 0x232A }, { 0xF2, 0x222B },
    };
    if (c >= 'A' && c <= 'Z')
        return upper[c - 'A'];
    if (c >= 'a' && c <= 'z')
        return lower[c - 'a'];
    for (size_t i = 0; i < sizeof other / sizeof other[0]; i++)
        if (other[i].c == c)
            return other[i].u;
    return c >= 0x20 && c < 0x7F ? c : 0;    /* digits and punctuation as in ASCII */
}

/* A w:sym: the character it names.  Word keeps a symbol font's characters at
 * F000 + code; the Symbol font's are mapped to Unicode, another font's (Wingdings…)
 * are kept as they are, with a warning (render then says whether a face draws it). */
static void put_symbol(word *w, const xmlNode *c, gw_buf *line)
{
    char *ch = attr_w(c, "char"), *font = attr_w(c, "font");
    unsigned long v = ch ? strtoul(ch, NULL, 16) : 0;
    uint32_t u = 0;
    if (font && !strcasecmp(font, "Symbol"))
        u = symbol_char((unsigned)(v >= 0xF000 && v <= 0xF0FF ? v - 0xF000 : v));
    else if (v > 0 && v <= 0x10FFFF && !(v >= 0xF000 && v <= 0xF0FF))
        u = (uint32_t)v;
    if (u) {
        put_cp(line, u);
    } else if (v > 0 && v <= 0x10FFFF) {
        note(w, NULL, "the symbol %04lX of the font %s has no Unicode equivalent the import "
             "knows: kept as U+%04lX", v, font ? font : "?", v);
        put_cp(line, (uint32_t)v);
    }
    xmlFree(ch);
    xmlFree(font);
}

/* Before text of a run: the bold marker when the run's boldness differs from
 * what the line is in (the text import writes <b> where the element takes it). */
static void bold_to(word *w, gw_buf *line, bool bold)
{
    if (bold == w->bold)
        return;
    put_cp(line, bold ? GW_IMPORT_BOLD_ON : GW_IMPORT_BOLD_OFF);
    w->bold = bold;
}

/* The relationship of the picture in a drawing: its a:blip's r:embed, or a VML
 * v:imagedata's r:id.  Malloc'd; NULL when it holds none. */
static char *picture_rel(const xmlNode *n, int depth)
{
    if (depth > 32)
        return NULL;
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || is_mc(c, "Fallback"))
            continue;
        xmlChar *id = NULL;
        if (is_ns(c, A_NS, "blip"))
            id = xmlGetNsProp(c, BAD_CAST "embed", BAD_CAST R_NS);
        else if (is_ns(c, V_NS, "imagedata"))
            id = xmlGetNsProp(c, BAD_CAST "id", BAD_CAST R_NS);
        if (id) {
            char *r = strdup((const char *)id);
            xmlFree(id);
            return r;
        }
        char *r = picture_rel(c, depth + 1);
        if (r)
            return r;
    }
    return NULL;
}

/* A picture met in a paragraph, floating (wp:anchor, VML) or in line: the
 * last one may be the seal, which the text import decides by where it stands. */
static void note_picture(word *w, const xmlNode *n)
{
    char *rel = picture_rel(n, 0);
    if (!rel)
        return;
    w->n_images++;
    free(w->image_rel);
    w->image_rel = rel;
    w->image_at = w->para;
}

/* A run's content. */
static void walk_run(word *w, const xmlNode *r, gw_buf *line, xmlNode **boxes, size_t *n_boxes)
{
    /* Direct w:b says it; else the character style toggles the paragraph
     * style's bold (ECMA-376 17.7.3: bold is a toggle property). */
    const xmlNode *rpr = child_w(r, "rPr");
    const xmlNode *direct = child_w(rpr, "b");
    bool bold;
    if (direct) {
        bold = toggle_on(direct);
    } else {
        char *rstyle = attr_w(child_w(rpr, "rStyle"), "val");
        bold = style_is_bold(w, rstyle) != w->style_bold;
        xmlFree(rstyle);
    }
    for (xmlNode *c = r->children; c; c = c->next) {
        bool in_code = w->field_depth > 0 && w->field_code[w->field_depth - 1];
        if (is_w(c, "fldChar")) {
            char *t = attr_w(c, "fldCharType");
            if (t && !strcmp(t, "begin") && w->field_depth < 16)
                w->field_code[w->field_depth++] = true;
            else if (t && !strcmp(t, "separate") && w->field_depth > 0)
                w->field_code[w->field_depth - 1] = false;
            else if (t && !strcmp(t, "end") && w->field_depth > 0)
                w->field_depth--;
            xmlFree(t);
        } else if (in_code) {
            continue;                      /* the field's code: its result follows */
        } else if (is_w(c, "t")) {
            xmlChar *s = xmlNodeGetContent(c);
            if (s && *s)
                bold_to(w, line, bold);
            gw_buf_str(line, s ? (const char *)s : "");
            xmlFree(s);
        } else if (is_w(c, "tab") || is_w(c, "ptab")) {
            gw_buf_str(line, "\t");
        } else if (is_w(c, "br") || is_w(c, "cr")) {
            char *type = attr_w(c, "type");
            bool page = type && !strcmp(type, "page"), column = type && !strcmp(type, "column");
            xmlFree(type);
            if (page)
                w->break_pending = true;       /* before the next paragraph with text */
            else if (column)
                note(w, &w->warned_page, "Word's column breaks are not kept: gwpdf sets one "
                     "column");
            else
                put_cp(line, GW_CP_LINE_BREAK);
        } else if (is_w(c, "sym")) {
            bold_to(w, line, bold);
            put_symbol(w, c, line);
        } else if (is_w(c, "softHyphen")) {
            put_cp(line, 0x00AD);
        } else if (is_w(c, "noBreakHyphen")) {
            put_cp(line, 0x2011);
        } else if (is_w(c, "footnoteReference") || is_w(c, "endnoteReference") ||
                   is_w(c, "commentReference")) {
            note(w, &w->warned_note, "footnotes, endnotes and comments are not imported");
        } else if (is_w(c, "drawing") || is_w(c, "pict") || is_mc(c, "AlternateContent")) {
            if (is_w(c, "pict"))
                note_picture(w, c);                /* VML, as Word 2003 wrote pictures */
            walk_paragraph_content(w, c, line, boxes, n_boxes);
        }
    }
}

/* A paragraph's children (runs, hyperlinks, insertions, fields, content
 * controls); text boxes met on the way are kept in boxes to be read after. */
static void walk_paragraph_content(word *w, const xmlNode *n, gw_buf *line, xmlNode **boxes,
                                   size_t *n_boxes)
{
    for (xmlNode *c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (is_ns(c, WP_NS, "anchor") || is_ns(c, WP_NS, "inline"))
            note_picture(w, c);
        if (is_w(c, "r")) {
            walk_run(w, c, line, boxes, n_boxes);
        } else if (is_w(c, "del") || is_w(c, "moveFrom") || is_w(c, "pPr") || is_w(c, "rPr") ||
                   is_mc(c, "Fallback")) {
            continue;                      /* deleted, formatting, or the same again */
        } else if (is_w(c, "txbxContent")) {
            if (*n_boxes < 16)
                boxes[(*n_boxes)++] = c;
            else
                walk_block(w, c);          /* more boxes than kept: read now, before the anchor */
        } else if (is_mc(c, "AlternateContent")) {
            xmlNode *choice = NULL;
            for (xmlNode *k = c->children; k && !choice; k = k->next)
                if (is_mc(k, "Choice"))
                    choice = k;
            if (choice)
                walk_paragraph_content(w, choice, line, boxes, n_boxes);
        } else {
            walk_paragraph_content(w, c, line, boxes, n_boxes);   /* ins, hyperlink, fldSimple, sdt, … */
        }
    }
}

/* Does the UTF-8 text hold a character other than white space and markers? */
static bool has_visible(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = gw_utf8_decode((const unsigned char *)s + i, n - i, &cp);
        if (k == 0)
            return true;
        if (cp != ' ' && cp != '\t' && cp != 0x3000 && cp != GW_CP_LINE_BREAK &&
            cp != GW_IMPORT_BOLD_ON && cp != GW_IMPORT_BOLD_OFF)
            return true;
        i += k;
    }
    return false;
}

/* A paragraph bold from its first character to its last (after its number)
 * is a heading's look in Word, which gwpdf sets itself: its markers go.  Bold
 * inside a paragraph is kept. */
static void drop_whole_bold(gw_buf *line, size_t from)
{
    bool inside = false, plain = false, any = false;
    for (size_t i = from; i < line->n;) {
        uint32_t cp;
        size_t k = gw_utf8_decode((const unsigned char *)line->s + i, line->n - i, &cp);
        if (k == 0)
            return;
        if (cp == GW_IMPORT_BOLD_ON || cp == GW_IMPORT_BOLD_OFF) {
            inside = cp == GW_IMPORT_BOLD_ON;
            any = true;
        } else if (!inside && has_visible(line->s + i, k)) {
            plain = true;
        }
        i += k;
    }
    if (!any || plain)
        return;
    size_t to = from;
    for (size_t i = from; i < line->n;) {
        uint32_t cp;
        size_t k = gw_utf8_decode((const unsigned char *)line->s + i, line->n - i, &cp);
        if (cp != GW_IMPORT_BOLD_ON && cp != GW_IMPORT_BOLD_OFF) {
            memmove(line->s + to, line->s + i, k);
            to += k;
        }
        i += k;
    }
    line->n = to;
}

/* A paragraph's text, its number first, into line; text boxes met in it into
 * boxes (read after it).  *page_before: Word breaks the page before it. */
static void read_paragraph(word *w, const xmlNode *p, gw_buf *line, xmlNode **boxes,
                           size_t *n_boxes, bool *page_before)
{
    w->para++;
    xmlNode *ppr = child_w(p, "pPr");
    *page_before = toggle_on(child_w(ppr, "pageBreakBefore"));
    char *style_id = attr_w(child_w(ppr, "pStyle"), "val");
    int heading = 0;
    long num_id = 0, ilvl = 0;
    xmlNode *np = child_w(ppr, "numPr");
    if (np) {
        num_id = attr_long(child_w(np, "numId"), "val", 0);
        ilvl = attr_long(child_w(np, "ilvl"), "val", 0);
    }
    long style_num = 0, style_ilvl = 0;
    style_props(w, style_id, &heading, &style_num, &style_ilvl);
    if (heading < 0 || w->numbered_headings)
        heading = 0;
    w->style_bold = style_is_bold(w, style_id);
    xmlFree(style_id);
    if (!np) {                     /* the paragraph's own numPr (numId 0: none) wins */
        num_id = style_num;
        ilvl = style_ilvl;
    }
    if (num_id > 0)
        put_list_number(w, line, num_id, ilvl);
    else if (heading)
        put_heading_number(w, line, heading);
    size_t text_from = line->n;
    w->bold = false;
    walk_paragraph_content(w, p, line, boxes, n_boxes);
    bold_to(w, line, false);
    drop_whole_bold(line, text_from);
    w->oom |= line->oom;
}

/* A block of the body for the text import: its marker line at paragraph `at`. */
static void add_block(word *w, char *xml, long at)
{
    if (!xml || !gw_grow(&w->blocks, &w->cap_blocks, w->n_blocks + 1, sizeof *w->blocks) ||
        !gw_grow(&w->block_section, &w->cap_block_sections, w->n_blocks + 1,
                 sizeof *w->block_section)) {
        free(xml);
        w->oom = true;
        return;
    }
    w->blocks[w->n_blocks] = xml;
    w->block_section[w->n_blocks++] = w->section;
    put_cp(&w->text, GW_IMPORT_BLOCK);
    long para = w->para;
    w->para = at;
    end_line(w);
    w->para = para;
}

/* A section ends with this paragraph (its w:sectPr): remember its orientation. */
static void end_section(word *w, const xmlNode *sect)
{
    if (!gw_grow(&w->landscape, &w->cap_landscape, w->section + 1, sizeof *w->landscape)) {
        w->oom = true;
        return;
    }
    char *orient = attr_w(child_w(sect, "pgSz"), "orient");
    w->landscape[w->section++] = orient && !strcmp(orient, "landscape");
    xmlFree(orient);
}

static void walk_paragraph(word *w, const xmlNode *p)
{
    gw_buf line = { 0 };
    xmlNode *boxes[16];
    size_t n_boxes = 0;
    bool page_before;
    bool pending = w->break_pending;
    w->break_pending = false;
    read_paragraph(w, p, &line, boxes, &n_boxes, &page_before);
    pending = pending || page_before;
    if (has_visible(line.s, line.n)) {
        /* A page break between two paragraphs with text is kept; one before
         * the first text or at the end of the document is not. */
        if (pending && w->has_text)
            add_block(w, strdup("<pagebreak/>"), w->para);
        w->has_text = true;
    } else {
        w->break_pending = w->break_pending || pending;
    }
    gw_buf_put(&w->text, line.s ? line.s : "", line.n);
    end_line(w);
    free(line.s);
    const xmlNode *sect = child_w(child_w(p, "pPr"), "sectPr");
    if (sect)
        end_section(w, sect);
    for (size_t i = 0; i < n_boxes; i++)
        walk_block(w, boxes[i]);
}

/* ---- tables ------------------------------------------------------------- */

/* Columns a portrait table may have (7.23 mm each in the 156 mm type area),
 * and a landscape one (225 mm): docs/format.md. */
#define PORTRAIT_COLUMNS 21
#define LANDSCAPE_COLUMNS 31

/* A cell as read: where it starts on the grid, its spans and its content. */
typedef struct cell {
    size_t row, col, colspan, rowspan;
    bool merged;           /* a w:vMerge continuation: part of the cell above */
    gw_buf xml;            /* inline text or <p> paragraphs */
} cell;

typedef struct table {
    cell *cells;
    size_t n_cells, cap_cells;
    size_t n_rows, n_cols, head_rows;
    long *widths;          /* w:tblGrid, twips; n_cols of them, or NULL */
    bool oom;
} table;

/* Text of the import's line (UTF-8, markers in it) as XML inline text:
 * escaped, U+2028 as <br/>, bold markers as balanced <b>. */
static void put_inline(gw_buf *b, const char *s, size_t n)
{
    bool open = false;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = gw_utf8_decode((const unsigned char *)s + i, n - i, &cp);
        if (k == 0)
            break;
        if (cp == GW_IMPORT_BOLD_ON || cp == GW_IMPORT_BOLD_OFF) {
            if (open != (cp == GW_IMPORT_BOLD_ON))
                gw_buf_str(b, open ? "</b>" : "<b>");
            open = cp == GW_IMPORT_BOLD_ON;
        } else if (cp == GW_CP_LINE_BREAK) {
            gw_buf_str(b, "<br/>");
        } else if (cp == '&' || cp == '<' || cp == '>') {
            gw_buf_str(b, cp == '&' ? "&amp;" : cp == '<' ? "&lt;" : "&gt;");
        } else {
            gw_buf_put(b, s + i, k);
        }
        i += k;
    }
    if (open)
        gw_buf_str(b, "</b>");
}

/* The paragraphs of a cell (and of content controls in it) into c->xml: one
 * as inline text, several as <p> each; a table inside a cell gives its
 * paragraphs too, with a warning.  Text boxes are read after the table. */
static void cell_paragraphs(word *w, const xmlNode *n, gw_buf *paras, size_t *count,
                            xmlNode **boxes, size_t *n_boxes)
{
    for (xmlNode *c = n->children; c && !w->oom; c = c->next) {
        if (is_w(c, "p")) {
            gw_buf line = { 0 };
            bool page_before;
            read_paragraph(w, c, &line, boxes, n_boxes, &page_before);
            if (has_visible(line.s, line.n)) {
                gw_buf_str(paras, "<p>");
                put_inline(paras, line.s, line.n);
                gw_buf_str(paras, "</p>");
                (*count)++;
            }
            free(line.s);
        } else if (is_w(c, "tbl")) {
            note(w, &w->warned_nested, "a table inside a table cell is imported as that cell's "
                 "paragraphs");
            for (xmlNode *r = c->children; r; r = r->next)
                for (xmlNode *tc = is_w(r, "tr") ? r->children : NULL; tc; tc = tc->next)
                    if (is_w(tc, "tc"))
                        cell_paragraphs(w, tc, paras, count, boxes, n_boxes);
        } else if (is_w(c, "sdt") || is_w(c, "customXml") || is_w(c, "ins") || is_w(c, "sdtContent")) {
            cell_paragraphs(w, c, paras, count, boxes, n_boxes);
        }
    }
}

/* A cell's content from its paragraphs: one as inline text (its <p></p>
 * taken off), several as they are.  Takes paras. */
static void cell_content(cell *c, gw_buf *paras, size_t count)
{
    if (count != 1) {
        c->xml = *paras;
        return;
    }
    gw_buf_put(&c->xml, paras->s + 3, paras->n - 7);
    free(paras->s);
}

static cell *new_cell(table *t)
{
    if (!gw_grow(&t->cells, &t->cap_cells, t->n_cells + 1, sizeof *t->cells)) {
        t->oom = true;
        return NULL;
    }
    cell *c = &t->cells[t->n_cells++];
    memset(c, 0, sizeof *c);
    return c;
}

/* The cell of an earlier row that covers column col of row `row` - 1, or NULL. */
static cell *cell_above(table *t, size_t row, size_t col)
{
    for (size_t i = t->n_cells; i-- > 0;) {
        cell *c = &t->cells[i];
        if (c->merged || c->row >= row)
            continue;
        if (c->row + c->rowspan == row && col >= c->col && col < c->col + c->colspan)
            return c;
    }
    return NULL;
}

/* The rows and cells of w:tbl into t: spans from w:gridSpan and w:vMerge,
 * leading w:tblHeader rows as the head, widths from w:tblGrid. */
static void read_table(word *w, const xmlNode *tbl, table *t, xmlNode **boxes, size_t *n_boxes)
{
    const xmlNode *grid = child_w(tbl, "tblGrid");
    size_t n_grid = 0;
    for (const xmlNode *g = grid ? grid->children : NULL; g; g = g->next)
        n_grid += is_w(g, "gridCol");
    if (n_grid > 0 && (t->widths = calloc(n_grid, sizeof *t->widths)) != NULL) {
        size_t k = 0;
        for (const xmlNode *g = grid->children; g; g = g->next)
            if (is_w(g, "gridCol"))
                t->widths[k++] = attr_long(g, "w", 0);
    }
    bool head = true;
    for (const xmlNode *r = tbl->children; r && !t->oom; r = r->next) {
        if (!is_w(r, "tr"))
            continue;
        size_t row = t->n_rows++, col = 0;
        const xmlNode *trpr = child_w(r, "trPr");
        col = (size_t)attr_long(child_w(trpr, "gridBefore"), "val", 0);
        head = head && toggle_on(child_w(trpr, "tblHeader"));
        if (head)
            t->head_rows = t->n_rows;
        for (const xmlNode *tc = r->children; tc && !t->oom; tc = tc->next) {
            if (!is_w(tc, "tc"))
                continue;
            const xmlNode *tcpr = child_w(tc, "tcPr");
            long span = attr_long(child_w(tcpr, "gridSpan"), "val", 1);
            const xmlNode *vm = child_w(tcpr, "vMerge");
            char *vmv = attr_w(vm, "val");
            bool continues = vm && (!vmv || !strcmp(vmv, "continue"));
            xmlFree(vmv);
            cell *c = new_cell(t);
            if (!c)
                break;
            *c = (cell){ row, col, (size_t)(span > 0 && span < 64 ? span : 1), 1, false, { 0 } };
            gw_buf paras = { 0 };
            size_t count = 0;
            cell_paragraphs(w, tc, &paras, &count, boxes, n_boxes);
            /* A continuation with text of its own stays a cell: nothing is lost. */
            cell *above = continues && count == 0 ? cell_above(t, row, col) : NULL;
            if (above && above->col == col && above->colspan == c->colspan) {
                above->rowspan++;
                c->merged = true;
                free(paras.s);
            } else {
                cell_content(c, &paras, count);
            }
            col += c->colspan;
        }
        if (col > t->n_cols)
            t->n_cols = col;
    }
    if (n_grid > t->n_cols)
        t->n_cols = n_grid;
    if (n_grid != t->n_cols) {             /* the grid does not describe the cells */
        free(t->widths);
        t->widths = NULL;
    }
}

static void table_free(table *t)
{
    for (size_t i = 0; i < t->n_cells; i++)
        free(t->cells[i].xml.s);
    free(t->cells);
    free(t->widths);
}

static void put_row_cells(gw_buf *b, const table *t, size_t row, const char *tag)
{
    gw_buf_str(b, "<tr>");
    for (size_t i = 0; i < t->n_cells; i++) {
        const cell *c = &t->cells[i];
        if (c->row != row || c->merged)
            continue;
        gw_buf_printf(b, "<%s", tag);
        if (c->colspan > 1)
            gw_buf_printf(b, " colspan=\"%zu\"", c->colspan);
        if (c->rowspan > 1)
            gw_buf_printf(b, " rowspan=\"%zu\"", c->rowspan);
        gw_buf_str(b, ">");
        gw_buf_put(b, c->xml.s ? c->xml.s : "", c->xml.n);
        gw_buf_printf(b, "</%s>", tag);
    }
    gw_buf_str(b, "</tr>");
}

/* The table as format-v1 XML (docs/format.md, table). */
static char *table_xml(const table *t, bool landscape)
{
    gw_buf b = { 0 };
    gw_buf_str(&b, landscape ? "<table orient=\"landscape\">" : "<table>");
    long total = 0;
    for (size_t i = 0; t->widths && i < t->n_cols; i++)
        total += t->widths[i] > 0 ? t->widths[i] : 0;
    for (size_t i = 0; total > 0 && i < t->n_cols; i++) {
        /* Relative widths, in hundredths of the table: Word's twips are set
         * for Word's page, the proportions are what the author meant. */
        long pct = t->widths[i] > 0 ? (t->widths[i] * 100 + total / 2) / total : 0;
        gw_buf_printf(&b, "<col width=\"%ld*\"/>", pct > 0 ? pct : 1);
    }
    if (t->head_rows > 0) {
        gw_buf_str(&b, "<thead>");
        for (size_t r = 0; r < t->head_rows; r++)
            put_row_cells(&b, t, r, "th");
        gw_buf_str(&b, "</thead>");
    }
    gw_buf_str(&b, "<tbody>");
    for (size_t r = t->head_rows; r < t->n_rows; r++)
        put_row_cells(&b, t, r, "td");
    gw_buf_str(&b, "</tbody></table>");
    if (b.oom) {
        free(b.s);
        return NULL;
    }
    return b.s;
}

/* A head row whose rowspan reaches into the body cannot be a head row. */
static bool head_closed(const table *t)
{
    for (size_t i = 0; i < t->n_cells; i++) {
        const cell *c = &t->cells[i];
        if (!c->merged && c->row < t->head_rows && c->row + c->rowspan > t->head_rows)
            return false;
    }
    return true;
}

/* A table before any text (a template's layout of the 版头 and title), one of
 * a single column (a frame), or one wider than a landscape page holds is read
 * as lines, a paragraph a line, as before; any other becomes a <table>. */
static void walk_table_as_lines(word *w, const xmlNode *t)
{
    for (xmlNode *r = t->children; r; r = r->next)
        if (is_w(r, "tr"))
            for (xmlNode *c = r->children; c; c = c->next)
                if (is_w(c, "tc"))
                    walk_block(w, c);
}

/* The grid columns a w:tbl uses: its w:tblGrid's, or its widest row's. */
static size_t table_columns(const xmlNode *tbl)
{
    size_t n = 0;
    const xmlNode *grid = child_w(tbl, "tblGrid");
    for (const xmlNode *g = grid ? grid->children : NULL; g; g = g->next)
        n += is_w(g, "gridCol");
    for (const xmlNode *r = tbl->children; r; r = r->next) {
        if (!is_w(r, "tr"))
            continue;
        long k = attr_long(child_w(child_w(r, "trPr"), "gridBefore"), "val", 0);
        for (const xmlNode *tc = r->children; tc; tc = tc->next)
            if (is_w(tc, "tc")) {
                long span = attr_long(child_w(child_w(tc, "tcPr"), "gridSpan"), "val", 1);
                k += span > 0 && span < 64 ? span : 1;
            }
        if (k > 0 && (size_t)k > n)
            n = (size_t)k;
    }
    return n;
}

static void walk_table(word *w, const xmlNode *tbl)
{
    size_t cols = table_columns(tbl);
    if (!w->has_text || cols <= 1 || cols > LANDSCAPE_COLUMNS) {
        if (cols > LANDSCAPE_COLUMNS)
            note(w, NULL, "a table of %zu columns is wider than a landscape page holds (%d): "
                 "imported as lines of text, a cell a line", cols, LANDSCAPE_COLUMNS);
        walk_table_as_lines(w, tbl);
        return;
    }
    long first_para = w->para + 1;
    table t = { 0 };
    xmlNode *boxes[16];
    size_t n_boxes = 0;
    read_table(w, tbl, &t, boxes, &n_boxes);
    if (t.oom || w->oom || t.n_rows == 0) {
        w->oom = w->oom || t.oom;
    } else {
        if (!head_closed(&t)) {
            note(w, &w->warned_table, "a table's header rows hold a cell merged down into its "
                 "body: imported without a header row");
            t.head_rows = 0;
        }
        bool wide = t.n_cols > PORTRAIT_COLUMNS;
        if (wide)
            note(w, NULL, "a table of %zu columns is wider than a portrait page holds (%d): set "
                 "on landscape pages", t.n_cols, PORTRAIT_COLUMNS);
        char *xml = table_xml(&t, wide);
        add_block(w, xml, first_para);
    }
    table_free(&t);
    for (size_t i = 0; i < n_boxes; i++)
        walk_block(w, boxes[i]);
}

/* Block content: paragraphs, tables, content controls, text boxes' bodies. */
static void walk_block(word *w, const xmlNode *n)
{
    for (xmlNode *c = n->children; c && !w->oom; c = c->next) {
        if (is_w(c, "p"))
            walk_paragraph(w, c);
        else if (is_w(c, "tbl"))
            walk_table(w, c);
        else if (is_w(c, "sdt"))
            walk_block(w, child_w(c, "sdtContent") ? child_w(c, "sdtContent") : c);
        else if (is_w(c, "customXml") || is_w(c, "ins") || is_w(c, "moveTo"))
            walk_block(w, c);
        else if (is_mc(c, "AlternateContent")) {
            for (xmlNode *k = c->children; k; k = k->next)
                if (is_mc(k, "Choice")) {
                    walk_block(w, k);
                    break;
                }
        }
    }
}

/* A table in a section Word sets on landscape pages is set on landscape pages. */
static void turn_landscape_tables(word *w)
{
    static const char plain[] = "<table>", turned[] = "<table orient=\"landscape\">";
    for (size_t i = 0; i < w->n_blocks && !w->oom; i++) {
        size_t sect = w->block_section[i];
        if (sect >= w->section || !w->landscape[sect] || strncmp(w->blocks[i], plain, 7))
            continue;
        size_t n = strlen(w->blocks[i]);
        char *t = malloc(n + sizeof turned - sizeof plain + 1);
        if (!t) {
            w->oom = true;
            return;
        }
        memcpy(t, turned, sizeof turned - 1);
        memcpy(t + sizeof turned - 1, w->blocks[i] + 7, n - 7 + 1);
        free(w->blocks[i]);
        w->blocks[i] = t;
    }
}

static void word_free(word *w)
{
    for (size_t i = 0; i < w->n_blocks; i++)
        free(w->blocks[i]);
    free(w->blocks);
    free(w->block_section);
    free(w->landscape);
    for (size_t i = 0; i < w->n_styles; i++) {
        free(w->styles[i].id);
        free(w->styles[i].based_on);
    }
    free(w->styles);
    free(w->abs);
    free(w->nums);
    free(w->text.s);
    free(w->positions);
    free(w->image_rel);
}

/* The part a relationship of word/document.xml points to ("media/image1.png"
 * → "word/media/image1.png"), malloc'd; NULL when it is external, climbs out
 * of the package, or is not there to be named. */
static char *related_part(package *p, const char *rel_id)
{
    xmlDoc *rels = read_xml(p, "word/_rels/document.xml.rels", false);
    xmlNode *root = rels ? xmlDocGetRootElement(rels) : NULL;
    char *part = NULL;
    for (xmlNode *c = root ? root->children : NULL; c && !part; c = c->next) {
        if (!is_ns(c, PR_NS, "Relationship"))
            continue;
        xmlChar *id = xmlGetProp(c, BAD_CAST "Id");
        xmlChar *target = xmlGetProp(c, BAD_CAST "Target");
        xmlChar *mode = xmlGetProp(c, BAD_CAST "TargetMode");
        if (id && target && !strcmp((const char *)id, rel_id) &&
            !(mode && !strcmp((const char *)mode, "External")) &&
            !has_dot_dot((const char *)target)) {
            const char *t = (const char *)target;
            if (*t == '/')
                part = strdup(t + 1);              /* absolute: from the package root */
            else if (asprintf(&part, "word/%s", t) < 0)
                part = NULL;
        }
        xmlFree(id);
        xmlFree(target);
        xmlFree(mode);
    }
    xmlFreeDoc(rels);
    return part;
}

/* What kind of image the bytes are, for a warning; NULL for a PNG. */
static const char *not_png(const unsigned char *d, size_t n)
{
    if (n >= 8 && !memcmp(d, "\x89PNG\r\n\x1a\n", 8))
        return NULL;
    if (n >= 3 && !memcmp(d, "\xFF\xD8\xFF", 3))
        return "a JPEG";
    if (n >= 4 && !memcmp(d, "GIF8", 4))
        return "a GIF";
    if (n >= 2 && !memcmp(d, "BM", 2))
        return "a BMP";
    if (n >= 44 && !memcmp(d + 40, " EMF", 4))
        return "an EMF drawing";
    if (n >= 4 && !memcmp(d, "\xD7\xCD\xC6\x9A", 4))
        return "a WMF drawing";
    return "not a PNG image";
}

/* The last picture, which may be the seal: its PNG bytes into *png (the
 * text import decides by its place whether the source takes it); warnings for
 * the pictures that cannot be, and for every other picture, once. */
static void find_seal(word *w, package *p, gw_import_image *png)
{
    size_t others = w->n_images - (w->image_rel ? 1 : 0);
    if (others > 0)
        gw_warn(p->diag, p->name, 0, 0, "%zu picture%s not imported: gwpdf draws no picture but "
                "the seal", others, others == 1 ? " is" : "s are");
    if (!w->image_rel)
        return;
    long saved = w->para;
    w->para = w->image_at;                 /* the warnings below name the picture's paragraph */
    char *part = related_part(p, w->image_rel);
    size_t len = 0;
    bool missing = false;
    unsigned char *data = part ? (unsigned char *)read_part(p, part, &len, &missing) : NULL;
    const char *kind = data ? not_png(data, len) : NULL;
    if (!part || missing)
        note(w, NULL, "the picture's part (%s) is not in the package: not imported",
             part ? part : w->image_rel);
    else if (kind)
        note(w, NULL, "the picture here is %s: not imported; if it is the seal, save it as a PNG "
             "and give the signature <seal src=\"….png\"/>", kind);
    if (data && !kind) {
        png->data = data;
        png->len = len;
    } else {
        free(data);
        w->image_at = 0;
    }
    free(part);
    w->para = saved;
}

/* The package's kind from its parts: a Word document, or what it is instead. */
static bool is_word_document(package *p)
{
    static const struct { const char *part, *what; } others[] = {
        { "xl/workbook.xml", "an Excel workbook (.xlsx)" },
        { "ppt/presentation.xml", "a PowerPoint presentation (.pptx)" },
        { "mimetype", "an OpenDocument file (.odt/.ods): save it as .docx" },
        { "EncryptedPackage", "an encrypted document: save it without a password" },
    };
    if (p->z.name_locate(p->zip, "word/document.xml", ZIP_FL_NOCASE) >= 0)
        return true;
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
        if (p->z.name_locate(p->zip, others[i].part, ZIP_FL_NOCASE) >= 0) {
            gw_error(p->diag, p->name, 0, 0, "%s, not a Word document (.docx)", others[i].what);
            return false;
        }
    gw_error(p->diag, p->name, 0, 0, "a ZIP without word/document.xml: not a Word document (.docx)");
    return false;
}

gw_import_kind gw_import_sniff(const unsigned char *data, size_t len)
{
    if (len >= 4 && !memcmp(data, "PK\3\4", 4))
        return GW_IMPORT_ZIP;
    if (len >= 8 && !memcmp(data, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))
        return GW_IMPORT_OLE;
    return GW_IMPORT_TEXT;
}

char *gw_import_docx(const char *name, const unsigned char *data, size_t len,
                     const gw_limits *limits, const char *seal_src, gw_import_image *seal,
                     size_t *out_len, gw_diag *diag)
{
    gw_import_image png = { 0 };
    bool seal_used = false;
    *seal = png;
    gw_limits defaults = gw_limits_default();
    if (!limits)
        limits = &defaults;
    /* Positions are paragraphs: FILE.docx:¶12. */
    gw_diag local = *diag;
    local.line_mark = "¶";
    package pkg = { .name = name, .diag = &local };
    word w = { .pkg = &pkg };
    char *xml = NULL;
    if (package_open(&pkg, data, len, limits) && is_word_document(&pkg)) {
        xmlDoc *numbering = read_xml(&pkg, "word/numbering.xml", false);
        xmlDoc *styles = local.errors == diag->errors ? read_xml(&pkg, "word/styles.xml", false) : NULL;
        xmlDoc *doc = local.errors == diag->errors ? read_xml(&pkg, "word/document.xml", true) : NULL;
        xmlNode *body = doc ? child_w(xmlDocGetRootElement(doc), "body") : NULL;
        if (doc && !body)
            gw_error(&local, name, 0, 0, "word/document.xml has no w:body: not a Word document");
        if (body && local.errors == diag->errors) {
            read_numbering(&w, numbering);
            read_styles(&w, styles);
            w.numbered_headings = headings_numbered(&w);
            gw_warn(&local, name, 0, 0, "the .docx's fonts, sizes, colours, indents, spacing and "
                    "page setup are not imported: gwpdf sets the format (GB/T 9704)");
            walk_block(&w, body);
            end_section(&w, child_w(body, "sectPr"));
            turn_landscape_tables(&w);
            find_seal(&w, &pkg, &png);
            if (w.oom || w.text.oom) {
                gw_error(&local, name, 0, 0, "out of memory reading the document");
            } else if (local.errors == diag->errors) {
                gw_import_made made = { w.positions, w.n_lines, true,
                                        (const char *const *)w.blocks, w.n_blocks,
                                        w.image_at, seal_src, &seal_used };
                xml = gw_import_text_at(name, w.text.s ? w.text.s : "", w.text.n, &made, limits,
                                        out_len, &local);
            }
        }
        xmlFreeDoc(numbering);
        xmlFreeDoc(styles);
        xmlFreeDoc(doc);
    }
    word_free(&w);
    package_close(&pkg);
    diag->errors = local.errors;
    diag->warnings = local.warnings;
    if (xml && seal_used)
        *seal = png;
    else
        free(png.data);
    return xml;
}
