/* docx — `gwpdf import FILE.docx`: a Word document's text and structure handed
 * to the text import (import.c), which recognises the report's parts.
 *
 * The package is read with libzip from memory, every part bounded before and
 * while it is inflated; the XML parts with libxml2 under the model's settings
 * (no network, no entity substitution, and a part declaring a DOCTYPE refused
 * before it is parsed).  From word/document.xml the paragraphs are taken in
 * order — in tables and text boxes too — each one line of text: its runs'
 * text, tabs, breaks, symbols and special hyphens; fields by their result;
 * insertions kept and deletions dropped (tracked changes as accepted); Word's
 * automatic numbering (word/numbering.xml) and heading styles
 * (word/styles.xml) written out as the numbers Word shows, so the text
 * import's recognisers of typed numbers make them sections and list items
 * again.  Everything else Word stores (fonts, sizes, colours, indents, page
 * setup) is left on purpose: gwpdf sets the format.  Positions in messages are
 * paragraph numbers, `FILE.docx:¶12: …`.
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
    gw_buf text;               /* one line a paragraph */
    long *positions;           /* the paragraph of each line */
    size_t n_lines, cap_lines;
    long para;                 /* paragraphs met so far */
    bool oom;
    bool warned_table, warned_note, warned_format, warned_page;
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

/* "heading 2" / "Heading2" / "标题 2" → 2. */
static int heading_of_name(const char *name)
{
    if (!name)
        return 0;
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
        if (!s->heading && ol) {
            long v = attr_long(ol, "val", 9);
            s->heading = v >= 0 && v < 8 ? (int)v + 1 : 0;
        }
        xmlNode *np = child_w(ppr, "numPr");
        s->num_id = np ? attr_long(child_w(np, "numId"), "val", 0) : 0;
        s->ilvl = np ? attr_long(child_w(np, "ilvl"), "val", 0) : 0;
    }
}

static const style *find_style(const word *w, const char *id)
{
    for (size_t i = 0; id && i < w->n_styles; i++)
        if (!strcmp(w->styles[i].id, id))
            return &w->styles[i];
    return NULL;
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

/* A run's content. */
static void walk_run(word *w, const xmlNode *r, gw_buf *line, xmlNode **boxes, size_t *n_boxes)
{
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
            gw_buf_str(line, s ? (const char *)s : "");
            xmlFree(s);
        } else if (is_w(c, "tab") || is_w(c, "ptab")) {
            gw_buf_str(line, "\t");
        } else if (is_w(c, "br") || is_w(c, "cr")) {
            char *type = attr_w(c, "type");
            bool page = type && (!strcmp(type, "page") || !strcmp(type, "column"));
            xmlFree(type);
            if (page)
                note(w, &w->warned_page, "Word's page breaks are not kept: gwpdf breaks pages "
                     "on the GB/T 9704 grid");
            else
                put_cp(line, GW_CP_LINE_BREAK);
        } else if (is_w(c, "sym")) {
            put_symbol(w, c, line);
        } else if (is_w(c, "softHyphen")) {
            put_cp(line, 0x00AD);
        } else if (is_w(c, "noBreakHyphen")) {
            put_cp(line, 0x2011);
        } else if (is_w(c, "footnoteReference") || is_w(c, "endnoteReference") ||
                   is_w(c, "commentReference")) {
            note(w, &w->warned_note, "footnotes, endnotes and comments are not imported");
        } else if (is_w(c, "drawing") || is_w(c, "pict") || is_mc(c, "AlternateContent")) {
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

static void walk_paragraph(word *w, const xmlNode *p)
{
    w->para++;
    gw_buf line = { 0 };
    xmlNode *ppr = child_w(p, "pPr");
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
    xmlFree(style_id);
    if (!np) {                     /* the paragraph's own numPr (numId 0: none) wins */
        num_id = style_num;
        ilvl = style_ilvl;
    }
    if (num_id > 0)
        put_list_number(w, &line, num_id, ilvl);
    else if (heading)
        put_heading_number(w, &line, heading);
    xmlNode *boxes[16];
    size_t n_boxes = 0;
    walk_paragraph_content(w, p, &line, boxes, &n_boxes);
    w->oom |= line.oom;
    gw_buf_put(&w->text, line.s ? line.s : "", line.n);
    end_line(w);
    free(line.s);
    for (size_t i = 0; i < n_boxes; i++)
        walk_block(w, boxes[i]);
}

static void walk_table(word *w, const xmlNode *t)
{
    note(w, &w->warned_table, "a table is imported as lines of text, a paragraph a line, "
         "cell after cell: its rows and columns are not kept yet");
    for (xmlNode *r = t->children; r; r = r->next)
        if (is_w(r, "tr"))
            for (xmlNode *c = r->children; c; c = c->next)
                if (is_w(c, "tc"))
                    walk_block(w, c);
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

static void word_free(word *w)
{
    for (size_t i = 0; i < w->n_styles; i++) {
        free(w->styles[i].id);
        free(w->styles[i].based_on);
    }
    free(w->styles);
    free(w->abs);
    free(w->nums);
    free(w->text.s);
    free(w->positions);
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
                     const gw_limits *limits, size_t *out_len, gw_diag *diag)
{
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
            gw_warn(&local, name, 0, 0, "the .docx's fonts, sizes, colours, indents, spacing and "
                    "page setup are not imported: gwpdf sets the format (GB/T 9704)");
            walk_block(&w, body);
            if (w.oom || w.text.oom)
                gw_error(&local, name, 0, 0, "out of memory reading the document");
            else
                xml = gw_import_text_at(name, w.text.s ? w.text.s : "", w.text.n, w.positions,
                                        w.n_lines, true, limits, out_len, &local);
        }
        xmlFreeDoc(numbering);
        xmlFreeDoc(styles);
        xmlFreeDoc(doc);
    }
    word_free(&w);
    package_close(&pkg);
    diag->errors = local.errors;
    diag->warnings = local.warnings;
    return xml;
}
