/* srcpos — forward scanner over the raw XML source giving the line and column
 * of start tags and text characters (see srcpos.h).
 *
 * Called only by the model (src/model/model.c): before libxml2 sees the document, to
 * find entity declarations in a DOCTYPE, a declared encoding and elements with
 * too many attributes; and then in step with a
 * depth-first walk of libxml2's tree to give every text character its
 * source position.  Pure functions of the buffer; no global state. */
#include "srcpos.h"

#include <string.h>

#include "utf8.h"

/* Entity declarations found so far, and where to report them (NULL: don't). */
typedef struct ent_report {
    gw_scan_entity_fn *fn;
    void *ctx;
    size_t count;
} ent_report;

static gw_pos here(const gw_scan *sc)
{
    gw_pos p = { sc->line, sc->col };
    return p;
}

static bool at(const gw_scan *sc, const char *lit)
{
    size_t n = strlen(lit);
    return sc->off + n <= sc->len && memcmp(sc->s + sc->off, lit, n) == 0;
}

/* Advance over one source character: a CR LF pair or a lone CR or LF ends a
 * line; any other character (a UTF-8 sequence) moves one column. */
static void adv(gw_scan *sc)
{
    if (sc->off >= sc->len)
        return;
    unsigned char c = sc->s[sc->off];
    if (c == '\r' || c == '\n') {
        sc->off++;
        if (c == '\r' && sc->off < sc->len && sc->s[sc->off] == '\n')
            sc->off++;
        sc->line++;
        sc->col = 1;
        return;
    }
    uint32_t cp;
    size_t n = gw_utf8_decode(sc->s + sc->off, sc->len - sc->off, &cp);
    sc->off += n ? n : 1;
    sc->col++;
}

static void adv_n(gw_scan *sc, size_t n)
{
    while (n-- > 0)
        adv(sc);
}

/* Advance until just after the next occurrence of lit (or to the end). */
static void skip_past(gw_scan *sc, const char *lit)
{
    while (sc->off < sc->len && !at(sc, lit))
        adv(sc);
    adv_n(sc, strlen(lit));
}

/* From a '<', advance past the matching '>' that is not inside quotes. */
static void skip_tag(gw_scan *sc)
{
    unsigned char quote = 0;
    adv(sc);
    while (sc->off < sc->len) {
        unsigned char c = sc->s[sc->off];
        adv(sc);
        if (quote) {
            if (c == quote)
                quote = 0;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '>') {
            return;
        }
    }
}

static bool is_space_byte(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* At `<!ENTITY`: report the declaration's name and position. */
static void report_entity(const gw_scan *sc, ent_report *er)
{
    size_t p = sc->off + 8;
    bool parameter = false;
    while (p < sc->len && is_space_byte(sc->s[p]))
        p++;
    if (p < sc->len && sc->s[p] == '%') {
        parameter = true;
        p++;
        while (p < sc->len && is_space_byte(sc->s[p]))
            p++;
    }
    size_t start = p;
    while (p < sc->len && !is_space_byte(sc->s[p]) && sc->s[p] != '"' && sc->s[p] != '\''
           && sc->s[p] != '>')
        p++;
    er->count++;
    if (er->fn)
        er->fn(er->ctx, here(sc), (const char *)sc->s + start, p - start, parameter);
}

/* Inside a DOCTYPE's '[': advance past the closing ']', reporting entity
 * declarations to er (may be NULL). */
static void skip_subset(gw_scan *sc, ent_report *er)
{
    while (sc->off < sc->len) {
        if (at(sc, "]")) {
            adv(sc);
            return;
        }
        if (at(sc, "<!--")) {
            adv_n(sc, 4);
            skip_past(sc, "-->");
        } else if (at(sc, "<?")) {
            adv_n(sc, 2);
            skip_past(sc, "?>");
        } else if (at(sc, "<!")) {
            if (er && at(sc, "<!ENTITY"))
                report_entity(sc, er);
            skip_tag(sc);
        } else if (at(sc, "\"") || at(sc, "'")) {
            /* a stray literal (malformed); skip it as a unit */
            unsigned char q = sc->s[sc->off];
            adv(sc);
            while (sc->off < sc->len && sc->s[sc->off] != q)
                adv(sc);
            adv(sc);
        } else {
            adv(sc);
        }
    }
}

/* At `<!DOCTYPE`: advance past its final '>', internal subset included. */
static void skip_doctype(gw_scan *sc, ent_report *er)
{
    unsigned char quote = 0;
    adv_n(sc, 9);
    while (sc->off < sc->len) {
        unsigned char c = sc->s[sc->off];
        if (quote) {
            if (c == quote)
                quote = 0;
            adv(sc);
        } else if (c == '"' || c == '\'') {
            quote = c;
            adv(sc);
        } else if (c == '[') {
            adv(sc);
            skip_subset(sc, er);
        } else if (c == '>') {
            adv(sc);
            return;
        } else {
            adv(sc);
        }
    }
}

/* At a '<' outside CDATA: skip a comment, PI, DOCTYPE or tag, or enter CDATA. */
static void skip_markup(gw_scan *sc)
{
    if (at(sc, "<!--")) {
        adv_n(sc, 4);
        skip_past(sc, "-->");
    } else if (at(sc, "<![CDATA[")) {
        adv_n(sc, 9);
        sc->in_cdata = true;
    } else if (at(sc, "<!DOCTYPE")) {
        skip_doctype(sc, NULL);
    } else if (at(sc, "<?")) {
        adv_n(sc, 2);
        skip_past(sc, "?>");
    } else {
        skip_tag(sc);
    }
}

static bool is_name_start_byte(unsigned char c)
{
    return c == '_' || c == ':' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c >= 0x80;
}

void gw_scan_init(gw_scan *sc, const char *data, size_t len)
{
    sc->s = (const unsigned char *)data;
    sc->len = data ? len : 0;
    sc->off = 0;
    sc->line = 1;
    sc->col = 1;
    sc->in_cdata = false;
    sc->tag_start = 0;
    if (at(sc, "\xEF\xBB\xBF"))
        sc->off = 3;
}

bool gw_scan_start_tag(gw_scan *sc, gw_pos *pos)
{
    while (sc->off < sc->len) {
        if (sc->in_cdata) {
            if (at(sc, "]]>")) {
                adv_n(sc, 3);
                sc->in_cdata = false;
            } else {
                adv(sc);
            }
            continue;
        }
        if (sc->s[sc->off] != '<') {
            adv(sc);
            continue;
        }
        if (sc->off + 1 < sc->len && is_name_start_byte(sc->s[sc->off + 1])) {
            *pos = here(sc);
            sc->tag_start = sc->off;
            skip_tag(sc);
            return true;
        }
        skip_markup(sc);
    }
    return false;
}

/* At '&': advance past the reference's ';' (or just the '&' if malformed). */
static void skip_reference(gw_scan *sc)
{
    size_t p = sc->off + 1;
    while (p < sc->len && sc->s[p] != ';' && sc->s[p] != '<' && sc->s[p] != '&'
           && !is_space_byte(sc->s[p]))
        p++;
    if (p < sc->len && sc->s[p] == ';') {
        while (sc->off <= p)   /* a name may hold non-ASCII characters */
            adv(sc);
    } else {
        adv(sc);
    }
}

bool gw_scan_text_char(gw_scan *sc, gw_pos *pos)
{
    while (sc->off < sc->len) {
        if (sc->in_cdata) {
            if (at(sc, "]]>")) {
                adv_n(sc, 3);
                sc->in_cdata = false;
                continue;
            }
            *pos = here(sc);
            adv(sc);
            return true;
        }
        unsigned char c = sc->s[sc->off];
        if (c == '<') {
            skip_markup(sc);
            continue;
        }
        *pos = here(sc);
        if (c == '&')
            skip_reference(sc);
        else
            adv(sc);
        return true;
    }
    return false;
}

size_t gw_scan_entity_decls(const char *data, size_t len, gw_scan_entity_fn *fn, void *ctx)
{
    gw_scan sc;
    ent_report er = { fn, ctx, 0 };
    gw_scan_init(&sc, data, len);
    while (sc.off < sc.len) {
        if (is_space_byte(sc.s[sc.off])) {
            adv(&sc);
        } else if (at(&sc, "<?")) {
            adv_n(&sc, 2);
            skip_past(&sc, "?>");
        } else if (at(&sc, "<!--")) {
            adv_n(&sc, 4);
            skip_past(&sc, "-->");
        } else if (at(&sc, "<!DOCTYPE")) {
            skip_doctype(&sc, &er);
        } else {
            break;   /* the root element: the prolog is over */
        }
    }
    return er.count;
}

/* Attributes in the tag s[from..to): each has exactly one '=' outside quotes
 * (a malformed tag may count more; libxml2 refuses it anyway). */
static size_t count_equals(const unsigned char *s, size_t from, size_t to)
{
    size_t n = 0;
    unsigned char quote = 0;
    for (size_t i = from; i < to; i++) {
        if (quote)
            quote = s[i] == quote ? 0 : quote;
        else if (s[i] == '"' || s[i] == '\'')
            quote = s[i];
        else
            n += s[i] == '=';
    }
    return n;
}

bool gw_scan_attribute_counts(const char *data, size_t len, size_t most, gw_pos *pos,
                              const char **name, size_t *name_len)
{
    gw_scan sc;
    gw_scan_init(&sc, data, len);
    gw_pos p;
    while (gw_scan_start_tag(&sc, &p)) {
        if (count_equals(sc.s, sc.tag_start, sc.off) <= most)
            continue;
        size_t a = sc.tag_start + 1, b = a;
        while (b < sc.off && !is_space_byte(sc.s[b]) && sc.s[b] != '/' && sc.s[b] != '>')
            b++;
        *pos = p;
        *name = (const char *)sc.s + a;
        *name_len = b - a;
        return true;
    }
    return false;
}

bool gw_scan_declared_encoding(const char *data, size_t len, gw_pos *pos, const char **value,
                               size_t *value_len)
{
    gw_scan sc;
    gw_scan_init(&sc, data, len);
    if (!at(&sc, "<?xml") || sc.off + 5 >= sc.len || !is_space_byte(sc.s[sc.off + 5]))
        return false;
    while (sc.off < sc.len && !at(&sc, "?>") && !at(&sc, "encoding"))
        adv(&sc);
    if (!at(&sc, "encoding"))
        return false;
    gw_pos p = here(&sc);
    size_t i = sc.off + 8;
    while (i < sc.len && is_space_byte(sc.s[i]))
        i++;
    if (i >= sc.len || sc.s[i] != '=')
        return false;
    i++;
    while (i < sc.len && is_space_byte(sc.s[i]))
        i++;
    if (i >= sc.len || (sc.s[i] != '"' && sc.s[i] != '\''))
        return false;
    unsigned char q = sc.s[i++];
    size_t start = i;
    while (i < sc.len && sc.s[i] != q && sc.s[i] != '?' && sc.s[i] != '>')
        i++;
    if (i >= sc.len || sc.s[i] != q)
        return false;
    *pos = p;
    *value = (const char *)sc.s + start;
    *value_len = i - start;
    return true;
}
