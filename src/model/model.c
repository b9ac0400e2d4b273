/* model — reads a format-v1 report or a format-v2 公文 (docs/format.md): libxml2
 * parses it safely (no DTD, no entities, no network), validates it against the
 * RELAX NG schema of its version (schema/report-v1.rng, report-v2.rng, both
 * compiled in), and the tree is copied into our own gw_doc (model.h) with
 * whitespace normalised and a source position on every character (positions
 * come from the scanner in src/model/srcpos.c).  A v2 document's attachment sources
 * (attachment src) are checked and loaded the same way, into the same gw_doc.
 *
 * Called by the CLI (gw_doc_load) and the tests; the layout reads the result.
 * Every problem is reported to the caller's gw_diag as `FILE:LINE:COL: ...`. */
#define _DEFAULT_SOURCE  /* realpath */
#include "model.h"

#include <errno.h>
#include <stdarg.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "fileio.h"
#include "path.h"
#include "srcpos.h"

/* The schemas compiled into the program (generated from schema/report-v1.rng
 * and schema/report-v2.rng). */
extern const unsigned char gw_schema_rng[];
extern const size_t gw_schema_rng_len;
extern const unsigned char gw_schema_v2_rng[];
extern const size_t gw_schema_v2_rng_len;

/* NONET: never touch the network.  No NOENT, DTDLOAD or DTDATTR: entities are
 * never substituted and no DTD is read.  IGNORE_ENC: the source is UTF-8 (a
 * declaration naming another encoding is refused before parsing), so our
 * positions stay right.  HUGE: libxml2's own fixed caps (a text node of 10 MB,
 * nesting of 256) would stop a document before gwpdf's documented, raisable
 * limits (docs/limits.md: bytes, elements, depth, text) do; those govern, and
 * HUGE relaxes nothing about entities or DTDs, which stay refused. */
#define GW_PARSE_OPTIONS (XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_IGNORE_ENC | \
                          XML_PARSE_HUGE | XML_PARSE_COMPACT)

/* No element of format v1 or v2 takes more than eight attributes; 64 leaves
 * room for namespace declarations and costs libxml2's duplicate check (the
 * square of the count) nothing, where 100,000 attributes would take minutes. */
#define MAX_ATTRIBUTES 64

/* ---------------------------------------------------------------------------
 * Reporting libxml2's errors
 * ------------------------------------------------------------------------- */

/* Where messages about one source go. */
typedef struct sink {
    gw_diag *diag;
    const char *name;
} sink;

/* One libxml2 error (or warning) → one `FILE:LINE[:COL]: message` line. */
static void report_xml_error(const sink *sk, const xmlError *e)
{
    const char *msg = e->message ? e->message : "unknown XML error";
    if (e->code == XML_ERR_NO_MEMORY) {
        /* libxml2 names only the function that failed ("xmlSAX2Characters"),
         * and its later errors (such as "Extra content at the end of the
         * document") follow from the allocation, not from the source. */
        gw_error(sk->diag, sk->name, e->line > 0 ? e->line : 0, e->int2 > 0 ? e->int2 : 0,
                 "out of memory while reading the XML (in libxml2's %s); the messages after "
                 "this one follow from it", msg);
        return;
    }
    size_t n = strlen(msg);
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == '\r' || msg[n - 1] == ' '))
        n--;
    char *text = malloc(n + 1);
    if (text) {
        for (size_t i = 0; i < n; i++)
            text[i] = (msg[i] == '\n' || msg[i] == '\r') ? ' ' : msg[i];
        text[n] = '\0';
    }
    long line = e->line > 0 ? e->line : 0;
    long col = e->int2 > 0 ? e->int2 : 0;   /* parser errors only; RELAX NG has none */
    if (e->level == XML_ERR_WARNING)
        gw_warn(sk->diag, sk->name, line, col, "%.*s", (int)n, text ? text : msg);
    else
        gw_error(sk->diag, sk->name, line, col, "%.*s", (int)n, text ? text : msg);
    free(text);
}

/* libxml2's words for an & that is not a reference, which office text is full
 * of ("A&B", "&nbsp;" pasted from a web page), say what to write instead. */
static void entity_rewrite(const xmlError *e, char *msg, size_t size)
{
    msg[0] = '\0';
    char name[64];
    if (!e->message)
        return;
    if (strncmp(e->message, "xmlParseEntityRef: no name", 26) == 0)
        snprintf(msg, size, "a bare &: write it as &amp;");
    else if (strncmp(e->message, "EntityRef: expecting ';'", 24) == 0)
        snprintf(msg, size, "an & that starts no complete reference: write a bare & as &amp; "
                 "(a reference ends with ;, as in &amp; or &#x4E00;)");
    else if (sscanf(e->message, "Entity '%63[^']' not defined", name) == 1)
        snprintf(msg, size, "&%s; is not defined: XML knows only &amp; &lt; &gt; &quot; &apos; "
                 "and character references (&#x4E00;); write the character itself, or &amp; "
                 "for a bare &", name);
}

/* Structured handler of a parser context: userData is the context itself. */
static void on_parse_error(void *ctx, xmlErrorPtr e)
{
    const xmlParserCtxt *ctxt = ctx;
    char msg[256];
    entity_rewrite(e, msg, sizeof msg);
    if (!msg[0]) {
        report_xml_error(ctxt->_private, e);
        return;
    }
    xmlError copy = *e;
    copy.message = msg;
    /* At the &, not after it or after the reference. */
    char name[64];
    if (strncmp(e->message, "xmlParseEntityRef: no name", 26) == 0 && copy.int2 > 1)
        copy.int2--;
    else if (sscanf(e->message, "Entity '%63[^']' not defined", name) == 1 &&
             copy.int2 > (int)strlen(name) + 2)
        copy.int2 -= (int)strlen(name) + 2;
    else if (strncmp(e->message, "EntityRef: expecting ';'", 24) == 0 && ctxt->input &&
             ctxt->input->cur && ctxt->input->base) {
        int back = 0;                    /* characters from the & to where libxml2 stopped */
        const xmlChar *q = ctxt->input->cur;
        while (q > ctxt->input->base && back < 80 && *q != '&' && *q != '\n')
            back += (*--q & 0xC0) != 0x80;
        if (*q == '&' && copy.int2 > back)
            copy.int2 -= back;
    }
    report_xml_error(ctxt->_private, &copy);
}

/* What the RELAX NG handlers need: where to report, and the schema document
 * (NULL while compiling it) to explain "failed to validate attributes". */
typedef struct rng_sink {
    const sink *sk;
    xmlDocPtr schema;
    int explained;           /* explanations so far; each costs a schema compile */
} rng_sink;

/* Explanations per document: past these, libxml2's message stands alone. */
#define MAX_EXPLAINED 20

static void on_silent(void *ctx, xmlErrorPtr e)
{
    (void)ctx, (void)e;
}

static bool rng_is(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, BAD_CAST name);
}

/* An attribute of n by local name, and its name as typed (prefix:name). */
static const xmlAttr *attr_named(const xmlNode *n, const xmlChar *local, char *typed, size_t size)
{
    for (const xmlAttr *a = n->properties; a; a = a->next)
        if (xmlStrEqual(a->name, local)) {
            bool prefixed = a->ns && a->ns->prefix;
            snprintf(typed, size, "%s%s%s", prefixed ? (const char *)a->ns->prefix : "",
                     prefixed ? ":" : "", (const char *)a->name);
            return a;
        }
    return NULL;
}

/* The <attribute> patterns of one element's definition in the schema: the
 * definitions' content down to (not into) nested elements, through refs. */
typedef struct attr_patterns {
    const xmlNode *pat[32];
    bool optional[32];
    size_t n;
} attr_patterns;

static void collect_patterns(const xmlDoc *schema, const xmlNode *first, bool optional, int depth,
                             attr_patterns *out)
{
    if (depth > 16)
        return;
    for (const xmlNode *c = first; c && out->n < 32; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || rng_is(c, "element"))
            continue;
        if (rng_is(c, "attribute")) {
            out->pat[out->n] = c;
            out->optional[out->n++] = optional;
        } else if (rng_is(c, "ref")) {
            xmlChar *name = xmlGetProp(c, BAD_CAST "name");
            for (const xmlNode *d = xmlDocGetRootElement(schema)->children; name && d; d = d->next)
                if (rng_is(d, "define") && xmlHasProp(d, BAD_CAST "name")) {
                    xmlChar *dn = xmlGetProp(d, BAD_CAST "name");
                    if (xmlStrEqual(dn, name))
                        collect_patterns(schema, d->children, optional, depth + 1, out);
                    xmlFree(dn);
                }
            xmlFree(name);
        } else {
            bool opt = optional || rng_is(c, "optional") || rng_is(c, "zeroOrMore")
                    || rng_is(c, "choice");
            collect_patterns(schema, c->children, opt, depth + 1, out);
        }
    }
}

/* Every <element name="NAME"> of the schema. */
static void element_patterns(const xmlDoc *schema, const xmlNode *n, const xmlChar *name,
                             attr_patterns *out)
{
    for (; n; n = n->next) {
        if (!rng_is(n, "element") && n->type == XML_ELEMENT_NODE) {
            element_patterns(schema, n->children, name, out);
            continue;
        }
        if (!rng_is(n, "element"))
            continue;
        xmlChar *en = xmlGetProp(n, BAD_CAST "name");
        if (xmlStrEqual(en, name))
            collect_patterns(schema, n->children, false, 0, out);
        xmlFree(en);
        element_patterns(schema, n->children, name, out);
    }
}

/* Does the schema's attribute pattern accept value?  libxml2 decides: a copy
 * of the schema whose start is <element name="t"><attribute name="v">PATTERN
 * validates <t v="value"/>.  -1 when that cannot be built. */
static int pattern_accepts(const xmlDoc *schema, const xmlNode *pat, const xmlChar *value)
{
    xmlDocPtr g = xmlCopyDoc((xmlDocPtr)schema, 1);
    xmlNodePtr root = g ? xmlDocGetRootElement(g) : NULL, start = root ? root->children : NULL;
    while (start && !rng_is(start, "start"))
        start = start->next;
    int ok = -1;
    if (start) {
        xmlNodePtr el = xmlNewDocNode(g, root->ns, BAD_CAST "element", NULL);
        xmlNodePtr at = xmlNewDocNode(g, root->ns, BAD_CAST "attribute", NULL);
        xmlNodePtr body = xmlDocCopyNodeList(g, pat->children);
        while (start->children) {
            xmlNodePtr old = start->children;
            xmlUnlinkNode(old);
            xmlFreeNode(old);
        }
        if (el && at && xmlNewProp(el, BAD_CAST "name", BAD_CAST "t") &&
            xmlNewProp(at, BAD_CAST "name", BAD_CAST "v")) {
            xmlAddChild(start, el);
            xmlAddChild(el, at);
            xmlAddChildList(at, body);
            el = at = body = NULL;
            xmlRelaxNGParserCtxtPtr pc = xmlRelaxNGNewDocParserCtxt(g);
            if (pc)
                xmlRelaxNGSetParserStructuredErrors(pc, on_silent, NULL);
            xmlRelaxNGPtr rng = pc ? xmlRelaxNGParse(pc) : NULL;
            xmlRelaxNGFreeParserCtxt(pc);
            xmlDocPtr inst = rng ? xmlNewDoc(BAD_CAST "1.0") : NULL;
            xmlNodePtr t = inst ? xmlNewDocNode(inst, NULL, BAD_CAST "t", NULL) : NULL;
            xmlRelaxNGValidCtxtPtr vc = t ? xmlRelaxNGNewValidCtxt(rng) : NULL;
            if (vc && xmlNewProp(t, BAD_CAST "v", value)) {
                xmlDocSetRootElement(inst, t);
                t = NULL;
                xmlRelaxNGSetValidStructuredErrors(vc, on_silent, NULL);
                ok = xmlRelaxNGValidateDoc(vc, inst) == 0;
            }
            xmlRelaxNGFreeValidCtxt(vc);
            xmlFreeNode(t);
            xmlFreeDoc(inst);
            xmlRelaxNGFree(rng);
        }
        xmlFreeNode(el);
        xmlFreeNode(at);
        xmlFreeNodeList(body);
    }
    xmlFreeDoc(g);
    return ok;
}

/* ---- What the schema expects: element and attribute names, values ---- */

/* The name="..." of a schema node, not copied; NULL when it has none. */
static const xmlChar *rng_name(const xmlNode *n)
{
    const xmlAttr *a = xmlHasProp(n, BAD_CAST "name");
    return a && a->children ? a->children->content : NULL;
}

/* A small set of names (pointers into the schema document). */
typedef struct name_set {
    const xmlChar *v[64];
    size_t n;
} name_set;

static void name_add(name_set *s, const xmlChar *name)
{
    for (size_t i = 0; name && i < s->n; i++)
        if (xmlStrEqual(s->v[i], name))
            return;
    if (name && s->n < sizeof s->v / sizeof *s->v)
        s->v[s->n++] = name;
}

static bool name_in(const name_set *s, const xmlChar *name)
{
    for (size_t i = 0; i < s->n; i++)
        if (xmlStrEqual(s->v[i], name))
            return true;
    return false;
}

/* "a, b or c" of the names, each as fmt shows it ("<%s>", "%s"). */
static void name_list(const name_set *s, const char *fmt, const char *last, char *buf, size_t size)
{
    size_t at = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < s->n && at + 1 < size; i++) {
        char one[160];
        snprintf(one, sizeof one, fmt, (const char *)s->v[i]);
        int w = snprintf(buf + at, size - at, "%s%s", i == 0 ? "" : i + 1 == s->n ? last : ", ",
                         one);
        at += w > 0 ? (size_t)w : 0;
    }
}

static const xmlNode *schema_define(const xmlDoc *schema, const xmlChar *name)
{
    for (const xmlNode *d = xmlDocGetRootElement(schema)->children; name && d; d = d->next)
        if (rng_is(d, "define") && xmlStrEqual(rng_name(d), name))
            return d;
    return NULL;
}

static bool rng_nullable(const xmlDoc *schema, const xmlNode *p, int depth);

/* Can the patterns first, first->next, … (a sequence) match no element at all? */
static bool seq_nullable(const xmlDoc *schema, const xmlNode *first, int depth)
{
    for (const xmlNode *c = first; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && !rng_nullable(schema, c, depth))
            return false;
    return true;
}

static bool rng_nullable(const xmlDoc *schema, const xmlNode *p, int depth)
{
    if (depth > 16 || rng_is(p, "element") || rng_is(p, "notAllowed"))
        return false;
    if (rng_is(p, "optional") || rng_is(p, "zeroOrMore") || rng_is(p, "attribute"))
        return true;
    if (rng_is(p, "ref")) {
        const xmlNode *d = schema_define(schema, rng_name(p));
        return !d || seq_nullable(schema, d->children, depth + 1);
    }
    if (rng_is(p, "choice")) {
        for (const xmlNode *c = p->children; c; c = c->next)
            if (c->type == XML_ELEMENT_NODE && rng_nullable(schema, c, depth + 1))
                return true;
        return false;
    }
    return seq_nullable(schema, p->children, depth + 1);
}

/* The names of the elements a pattern can start with (first) or hold at all
 * (any), not looking into the elements themselves. */
static void rng_names(const xmlDoc *schema, const xmlNode *p, bool any, int depth, name_set *out);

static void seq_names(const xmlDoc *schema, const xmlNode *first, bool any, int depth,
                      name_set *out)
{
    for (const xmlNode *c = first; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        rng_names(schema, c, any, depth, out);
        if (!any && !rng_nullable(schema, c, depth))
            return;
    }
}

static void rng_names(const xmlDoc *schema, const xmlNode *p, bool any, int depth, name_set *out)
{
    if (depth > 16 || rng_is(p, "attribute"))
        return;
    if (rng_is(p, "element")) {
        name_add(out, rng_name(p));
    } else if (rng_is(p, "ref")) {
        const xmlNode *d = schema_define(schema, rng_name(p));
        if (d)
            seq_names(schema, d->children, any, depth + 1, out);
    } else if (rng_is(p, "choice") || rng_is(p, "interleave")) {
        for (const xmlNode *c = p->children; c; c = c->next)
            if (c->type == XML_ELEMENT_NODE)
                rng_names(schema, c, any, depth + 1, out);
    } else {
        seq_names(schema, p->children, any, depth + 1, out);
    }
}

/* Can the content patterns from `first` hold text (not looking into elements)? */
static bool rng_holds_text(const xmlDoc *schema, const xmlNode *first, int depth)
{
    for (const xmlNode *c = first; c && depth < 16; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || rng_is(c, "element") || rng_is(c, "attribute"))
            continue;
        if (rng_is(c, "text") || rng_is(c, "mixed"))
            return true;
        const xmlNode *d = rng_is(c, "ref") ? schema_define(schema, rng_name(c)) : c;
        if (d && rng_holds_text(schema, d->children, depth + 1))
            return true;
    }
    return false;
}

/* Every <element name="NAME"> pattern of the schema (libxml2 allows several:
 * section1 … section4, the document's title and meta's). */
static void element_defs(const xmlNode *n, const xmlChar *name, const xmlNode **out, size_t *k,
                         size_t max)
{
    for (; n && *k < max; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (rng_is(n, "element") && (!name || xmlStrEqual(rng_name(n), name)))
            out[(*k)++] = n;
        element_defs(n->children, name, out, k, max);
    }
}

/* Does pattern p stand for one item of a sequence (an element, a repeat or
 * choice of them), not a sequence of several to walk through? */
static const xmlNode *seq_body(const xmlDoc *schema, const xmlNode *p)
{
    if (rng_is(p, "group"))
        return p->children;
    if (rng_is(p, "ref")) {
        const xmlNode *d = schema_define(schema, rng_name(p));
        size_t n = 0;
        for (const xmlNode *c = d ? d->children : NULL; c; c = c->next)
            n += c->type == XML_ELEMENT_NODE;
        return n > 1 ? d->children : NULL;
    }
    if (rng_is(p, "optional")) {
        size_t n = 0;
        for (const xmlNode *c = p->children; c; c = c->next)
            n += c->type == XML_ELEMENT_NODE && !rng_is(c, "attribute");
        return n > 1 ? p->children : NULL;
    }
    return NULL;
}

/* The children of an element (kids[0..k], kids[k] the one libxml2 did not
 * expect) walked against the sequence of patterns from `pat`, *i the next
 * child: the names of a required pattern found missing right before kids[k]
 * go into `missing` (true returned); false when that is not what went wrong. */
static bool missing_before(const xmlDoc *schema, const xmlNode *pat, const xmlNode *const *kids,
                           size_t k, size_t *i, int depth, name_set *missing)
{
    for (const xmlNode *p = pat; p && depth < 16; p = p->next) {
        if (p->type != XML_ELEMENT_NODE || rng_is(p, "attribute"))
            continue;
        const xmlNode *body = seq_body(schema, p);
        name_set f = { { 0 }, 0 };
        if (body) {
            rng_names(schema, p, true, depth, &f);
            bool entered = !rng_is(p, "optional") || name_in(&f, kids[*i]->name);
            if (entered && missing_before(schema, body, kids, k, i, depth + 1, missing))
                return true;
            if (*i > k)
                return false;
            continue;
        }
        rng_names(schema, p, false, depth, &f);
        bool repeats = rng_is(p, "zeroOrMore") || rng_is(p, "oneOrMore") || rng_is(p, "ref");
        if (name_in(&f, kids[*i]->name)) {
            do
                (*i)++;
            while (repeats && *i <= k && name_in(&f, kids[*i]->name));
            if (*i > k)
                return false;          /* kids[k] fits here: something else is wrong */
        } else if (!rng_nullable(schema, p, depth)) {
            if (*i != k || f.n == 0)
                return false;
            *missing = f;
            return true;
        }
    }
    return false;
}

/* Optimal string alignment distance of a and b (at most 64 bytes each). */
static int edit_distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    if (n > 64 || m > 64)
        return 99;
    int d[65][65];
    for (size_t i = 0; i <= n; i++)
        d[i][0] = (int)i;
    for (size_t j = 0; j <= m; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= n; i++)
        for (size_t j = 1; j <= m; j++) {
            int cost = a[i - 1] != b[j - 1];
            int v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < v)
                v = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    return d[n][m];
}

/* The name of `names` closest to `typed`, when it is a near miss: at most two
 * edits, and fewer than half the letters typed ("heding" → heading, not
 * "foo" → to). */
static const xmlChar *near_miss(const name_set *names, const xmlChar *typed)
{
    const xmlChar *best = NULL;
    int best_d = 3, len = xmlStrlen(typed);
    for (size_t i = 0; i < names->n; i++) {
        int d = edit_distance((const char *)typed, (const char *)names->v[i]);
        if (d > 0 && d < best_d && 2 * d < len) {
            best = names->v[i];
            best_d = d;
        }
    }
    return best;
}

/* The attribute patterns of element `name` (all its definitions). */
static void element_attr_patterns(const xmlDoc *schema, const xmlChar *name, attr_patterns *out)
{
    element_patterns(schema, xmlDocGetRootElement(schema), name, out);
}

static void attr_names(const attr_patterns *pats, name_set *out)
{
    for (size_t i = 0; i < pats->n; i++)
        name_add(out, rng_name(pats->pat[i]));
}

/* The values an attribute pattern allows when it is a choice of fixed
 * values (align: justify, center, right); false for any other pattern. */
static bool attr_values(const xmlNode *pat, name_set *out)
{
    bool only_values = true;
    for (const xmlNode *c = pat->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (rng_is(c, "value") && c->children && c->children->content)
            name_add(out, c->children->content);
        else if (rng_is(c, "choice"))
            only_values &= attr_values(c, out);
        else
            only_values = false;
    }
    return only_values && out->n > 0;
}

/* ": align is justify, center or right" for the attribute `name` of an
 * element, or "" when its pattern is not a list of values. */
static void values_hint(const attr_patterns *pats, const xmlChar *name, char *buf, size_t size)
{
    buf[0] = '\0';
    name_set vals = { { 0 }, 0 };
    for (size_t i = 0; i < pats->n; i++)
        if (xmlStrEqual(rng_name(pats->pat[i]), name) && !attr_values(pats->pat[i], &vals))
            return;
    char list[384];
    name_list(&vals, "%s", " or ", list, sizeof list);
    if (vals.n > 0)
        snprintf(buf, size, ": %s is %s", (const char *)name, list);
}

/* " (a positive integer: ASCII digits, …)": the schema's comment on the
 * define an attribute's pattern refers to, or "" when there is none. */
static void type_hint(const xmlDoc *schema, const attr_patterns *pats, const xmlChar *name,
                      char *buf, size_t size)
{
    buf[0] = '\0';
    for (size_t i = 0; i < pats->n && !buf[0]; i++) {
        if (!xmlStrEqual(rng_name(pats->pat[i]), name))
            continue;
        const xmlNode *ref = pats->pat[i]->children;
        while (ref && ref->type != XML_ELEMENT_NODE)
            ref = ref->next;
        const xmlNode *d = rng_is(ref, "ref") ? schema_define(schema, rng_name(ref)) : NULL;
        const xmlNode *c = d ? d->prev : NULL;
        while (c && c->type == XML_TEXT_NODE)
            c = c->prev;
        if (!c || c->type != XML_COMMENT_NODE || !c->content)
            continue;
        const char *t = (const char *)c->content;
        while (*t == ' ' || *t == '\n')
            t++;
        size_t n = strlen(t);
        while (n > 0 && (t[n - 1] == ' ' || t[n - 1] == '\n' || t[n - 1] == '.'))
            n--;
        if (n > 0 && n < 300)
            snprintf(buf, size, " (%c%.*s)", t[0] >= 'A' && t[0] <= 'Z' ? t[0] - 'A' + 'a' : t[0],
                     (int)n - 1, t + 1);
    }
}

/* "Element X failed to validate attributes" says neither which attribute nor
 * why: find an attribute whose value no pattern of the schema for X accepts,
 * else a required attribute that is missing.  msg is left empty if neither. */
static void attributes_hint(rng_sink *rs, const xmlNode *n, char *msg, size_t size)
{
    if (!rs->schema || rs->explained >= MAX_EXPLAINED)
        return;
    rs->explained++;
    attr_patterns pats = { { 0 }, { 0 }, 0 };
    element_attr_patterns(rs->schema, n->name, &pats);
    for (const xmlAttr *a = n->properties; a; a = a->next) {
        bool named = false, accepted = false;
        xmlChar *v = xmlNodeListGetString(n->doc, a->children, 1);
        for (size_t i = 0; i < pats.n && !accepted; i++) {
            if (xmlStrEqual(rng_name(pats.pat[i]), a->name) && !a->ns) {
                named = true;
                accepted = pattern_accepts(rs->schema, pats.pat[i], v ? v : BAD_CAST "") != 0;
            }
        }
        char values[400];
        values_hint(&pats, a->name, values, sizeof values);
        if (!values[0])
            type_hint(rs->schema, &pats, a->name, values, sizeof values);
        bool v1_root = xmlStrEqual(n->name, BAD_CAST "report") && xmlStrEqual(a->name,
                                                                             BAD_CAST "version");
        if (named && !accepted)
            snprintf(msg, size, "%s=\"%.80s\" is not a value <%s> takes%s%s%s",
                     (const char *)a->name, v ? (const char *)v : "", (const char *)n->name,
                     values, values[0] ? "" : " (docs/format.md lists its attributes and values)",
                     v1_root ? " (a format v2 source is a <document version=\"2\">)" : "");
        xmlFree(v);
        if (msg[0])
            return;
    }
    for (size_t i = 0; i < pats.n && !msg[0]; i++) {
        const xmlChar *pn = rng_name(pats.pat[i]);
        name_set vals = { { 0 }, 0 };
        if (!pn || pats.optional[i] || xmlHasNsProp(n, pn, NULL))
            continue;
        if (attr_values(pats.pat[i], &vals) && vals.n == 1)
            snprintf(msg, size, "<%s> needs a %s attribute: %s=\"%s\"", (const char *)n->name,
                     (const char *)pn, (const char *)pn, (const char *)vals.v[0]);
        else
            snprintf(msg, size, "<%s> needs a %s attribute (docs/format.md lists its attributes "
                     "and values)", (const char *)n->name, (const char *)pn);
    }
}

/* The element named `name` that an error is about: libxml2 sometimes passes
 * the element's first child instead (all on one line, for one). */
static const xmlNode *element_at(const xmlNode *n, const char *name)
{
    for (int up = 0; n && up < 2; up++, n = n->parent)
        if (n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, BAD_CAST name))
            return n;
    return NULL;
}

/* "Invalid attribute A for element E": an attribute E does not take (then
 * its attributes, and a near miss), or a value the attribute does not take
 * (then the values it does). */
static void invalid_attribute(rng_sink *rs, const xmlNode *n, const xmlAttr *a, const char *typed,
                              char *msg, size_t size)
{
    xmlChar *v = xmlNodeListGetString(n->doc, a->children, 1);
    const char *value = v ? (const char *)v : "";
    attr_patterns pats = { { 0 }, { 0 }, 0 };
    if (rs->schema)
        element_attr_patterns(rs->schema, n->name, &pats);
    name_set names = { { 0 }, 0 };
    attr_names(&pats, &names);
    char values[400] = "";
    if (!a->ns && name_in(&names, a->name)) {
        values_hint(&pats, a->name, values, sizeof values);
        if (!values[0])
            type_hint(rs->schema, &pats, a->name, values, sizeof values);
        bool v1_root = xmlStrEqual(n->name, BAD_CAST "report") && xmlStrEqual(a->name,
                                                                             BAD_CAST "version");
        snprintf(msg, size, "%s=\"%.80s\" is not a value <%s> takes%s%s", typed, value,
                 (const char *)n->name, values[0] ? values : " (docs/format.md lists its "
                 "attributes and values)", v1_root ? " (a format v2 source is a <document "
                 "version=\"2\">)" : "");
    } else if (!rs->schema) {
        snprintf(msg, size, "%s=\"%.80s\" is not allowed on <%s> (docs/format.md lists its "
                 "attributes and values)", typed, value, (const char *)n->name);
    } else {
        const xmlChar *near = a->ns ? NULL : near_miss(&names, a->name);
        char list[400], guess[160] = "";
        name_list(&names, "%s", " and ", list, sizeof list);
        if (near)
            snprintf(guess, sizeof guess, ": did you mean %s?", (const char *)near);
        if (names.n == 0)
            snprintf(msg, size, "<%s> takes no attributes, and %s=\"%.80s\" is one",
                     (const char *)n->name, typed, value);
        else if (near)
            snprintf(msg, size, "<%s> takes no attribute %s=\"%.80s\"%s (%s %s)",
                     (const char *)n->name, typed, value, guess,
                     names.n == 1 ? "its one attribute is" : "its attributes are", list);
        else
            snprintf(msg, size, "<%s> takes no attribute %s=\"%.80s\": %s %s",
                     (const char *)n->name, typed, value,
                     names.n == 1 ? "its one attribute is" : "its attributes are", list);
    }
    xmlFree(v);
}

/* "Did not expect element X there": a required element missing before it
 * (a <title> before <p>), or an element the format does not have (with a
 * near miss); empty when libxml2's words, with the parent named, are best. */
static void unexpected_element(rng_sink *rs, const xmlNode *n, char *msg, size_t size)
{
    const xmlNode *parent = n->parent;
    const xmlDoc *schema = rs->schema;
    if (!schema || rs->explained >= MAX_EXPLAINED)
        return;
    rs->explained++;
    const xmlNode *defs[16];
    size_t n_defs = 0, n_all = 0;
    element_defs(xmlDocGetRootElement(schema), parent->name, defs, &n_defs, 16);
    name_set allowed = { { 0 }, 0 };
    bool text = false;
    for (size_t d = 0; d < n_defs; d++) {
        seq_names(schema, defs[d]->children, true, 0, &allowed);
        text |= rng_holds_text(schema, defs[d]->children, 0);
    }
    const xmlNode *all[256];
    element_defs(xmlDocGetRootElement(schema), NULL, all, &n_all, 256);
    bool known = false;
    for (size_t d = 0; d < n_all && !known; d++)
        known = xmlStrEqual(rng_name(all[d]), n->name);
    const xmlNode *root = xmlDocGetRootElement(n->doc);
    int version = root && xmlStrEqual(root->name, BAD_CAST "document") ? 2 : 1;
    if (!known || n->ns) {
        char typed[160];
        bool prefixed = n->ns && n->ns->prefix;
        snprintf(typed, sizeof typed, "%s%s%s", prefixed ? (const char *)n->ns->prefix : "",
                 prefixed ? ":" : "", (const char *)n->name);
        const xmlChar *near = NULL;
        name_set every = { { 0 }, 0 };
        for (size_t d = 0; d < n_all; d++)
            name_add(&every, rng_name(all[d]));
        if (!n->ns && !(near = near_miss(&allowed, n->name)))
            near = near_miss(&every, n->name);  /* a typo of an element that belongs elsewhere */
        if (near)
            snprintf(msg, size, "format v%d has no element <%s>: did you mean <%s>? (inside <%s>)",
                     version, typed, (const char *)near, (const char *)parent->name);
        else
            snprintf(msg, size, "format v%d has no element <%s> (inside <%s>; docs/format.md "
                     "lists the elements)", version, typed, (const char *)parent->name);
        return;
    }
    enum { MAX_KIDS = 10000 };
    size_t k = 0;
    for (const xmlNode *c = parent->children; c && c != n && k < MAX_KIDS; c = c->next)
        k += c->type == XML_ELEMENT_NODE;
    const xmlNode **kids = k < MAX_KIDS ? malloc((k + 1) * sizeof *kids) : NULL;
    if (!kids)
        return;
    size_t j = 0;
    for (const xmlNode *c = parent->children; c && j <= k; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            kids[j++] = c;
    name_set missing = { { 0 }, 0 };
    for (size_t d = 0; d < n_defs && !missing.n; d++) {
        size_t i = 0;
        if (!missing_before(schema, defs[d]->children, kids, k, &i, 0, &missing))
            missing.n = 0;
    }
    free(kids);
    char list[400];
    if (missing.n && name_in(&allowed, n->name)) {
        name_list(&missing, "<%s>", " or ", list, sizeof list);
        bool vowel = strchr("aeiou", missing.v[0][0]) != NULL;
        snprintf(msg, size, "a%s %s is required before <%s> (inside <%s>)", vowel ? "n" : "",
                 list, (const char *)n->name, (const char *)parent->name);
    } else if (!name_in(&allowed, n->name)) {
        name_list(&allowed, "<%s>", text ? " and " : " or ", list, sizeof list);
        snprintf(msg, size, "<%s> does not belong inside <%s>, which holds only %s%s%s",
                 (const char *)n->name, (const char *)parent->name, text ? "text" : "",
                 text && allowed.n ? " and " : "", allowed.n ? list : text ? "" : "nothing");
    }
}

/* libxml2's RELAX NG messages name the attribute or element but not the value,
 * the place or what was expected, and drop an attribute's prefix; msg gets the
 * message rewritten with what the node and the schema tell.  Empty when
 * libxml2's own words are best. */
static void rng_rewrite(rng_sink *rs, const xmlError *e, char *msg, size_t size)
{
    msg[0] = '\0';
    const xmlNode *n = e->node;
    if (!n || n->type != XML_ELEMENT_NODE || !e->message)
        return;
    char attr[64], elem[64], typed[160];
    if (sscanf(e->message, "Invalid attribute %63s for element %63s", attr, elem) == 2) {
        n = element_at(n, elem);
        const xmlAttr *a = n ? attr_named(n, BAD_CAST attr, typed, sizeof typed) : NULL;
        if (a)
            invalid_attribute(rs, n, a, typed, msg, size);
        return;
    }
    if (sscanf(e->message, "Element %63s failed to validate attributes", elem) == 1) {
        if ((n = element_at(n, elem)) != NULL)
            attributes_hint(rs, n, msg, size);
        return;
    }
    if (!strstr(e->message, "Did not expect element") || !n->parent ||
        n->parent->type != XML_ELEMENT_NODE)
        return;
    unexpected_element(rs, n, msg, size);
    if (msg[0])
        return;
    size_t len = strlen(e->message);
    while (len > 0 && (e->message[len - 1] == '\n' || e->message[len - 1] == ' '))
        len--;
    snprintf(msg, size, "%.*s (inside <%s>; docs/format.md says what it may hold, in which order)",
             (int)len, e->message, (const char *)n->parent->name);
}

/* Structured handler of the RELAX NG parser and validator. */
static void on_rng_error(void *ctx, xmlErrorPtr e)
{
    rng_sink *rs = ctx;
    /* A <value> that did not match: libxml2 goes on to name the attribute or
     * element at fault, which is the message that helps. */
    if (e->message && strncmp(e->message, "failed to compare type", 22) == 0)
        return;
    /* e is libxml2's last-error record, which explaining (a schema compiled
     * and a document validated) overwrites: work on a copy. */
    xmlError copy = *e;
    char *text = e->message ? strdup(e->message) : NULL;
    copy.message = text;
    char msg[768];
    rng_rewrite(rs, &copy, msg, sizeof msg);
    if (msg[0])
        copy.message = msg;
    report_xml_error(rs->sk, &copy);
    free(text);
}

/* ---------------------------------------------------------------------------
 * Parsing: no DTD, no entities, no network
 * ------------------------------------------------------------------------- */

static void report_at_parser(xmlParserCtxtPtr ctxt, const char *fmt, const xmlChar *name)
{
    const sink *sk = ctxt->_private;
    long line = ctxt->input ? ctxt->input->line : 0;
    long col = ctxt->input ? ctxt->input->col : 0;
    gw_error(sk->diag, sk->name, line, col, fmt, name ? (const char *)name : "");
}

/* SAX hooks that replace libxml2's defaults: a declared entity is reported
 * and never recorded, so no reference can ever be expanded. */
static void on_entity_decl(void *ctx, const xmlChar *name, int type, const xmlChar *public_id,
                           const xmlChar *system_id, xmlChar *content)
{
    (void)type, (void)public_id, (void)system_id, (void)content;
    report_at_parser(ctx, "entity declaration '%s' is not allowed: write the character "
                          "itself or a character reference", name);
}

static void on_unparsed_entity_decl(void *ctx, const xmlChar *name, const xmlChar *public_id,
                                    const xmlChar *system_id, const xmlChar *notation)
{
    (void)public_id, (void)system_id, (void)notation;
    report_at_parser(ctx, "entity declaration '%s' is not allowed", name);
}

/* Reached only for an undeclared entity, which libxml2 has already reported
 * as an error; adding no node keeps it out of the tree. */
static void on_reference(void *ctx, const xmlChar *name)
{
    (void)ctx, (void)name;
}

static void on_external_subset(void *ctx, const xmlChar *name, const xmlChar *external_id,
                               const xmlChar *system_id)
{
    (void)ctx, (void)name, (void)external_id, (void)system_id;
}

/* Any DOCTYPE: format v1 has no DTD, and a source that names one (perhaps on
 * the network) expects something gwpdf will never do. */
static void on_internal_subset(void *ctx, const xmlChar *name, const xmlChar *external_id,
                               const xmlChar *system_id)
{
    (void)external_id, (void)system_id;
    report_at_parser(ctx, "a DOCTYPE is not allowed: format v1 sources have no DTD "
                          "(remove the <!DOCTYPE %s ...> declaration)", name);
}

static xmlParserInputPtr on_resolve_entity(void *ctx, const xmlChar *public_id,
                                           const xmlChar *system_id)
{
    (void)ctx, (void)public_id, (void)system_id;
    return NULL;
}

static void on_prescan_entity(void *ctx, gw_pos pos, const char *name, size_t name_len,
                              bool parameter)
{
    const sink *sk = ctx;
    gw_error(sk->diag, sk->name, pos.line, pos.col,
             "entity declaration '%s%.*s' is not allowed: gwpdf reads no DTD entities; write "
             "the character itself or a character reference", parameter ? "%" : "",
             (int)name_len, name);
}

/* A declared encoding other than UTF-8 (or ASCII, a part of it): gwpdf reads
 * UTF-8 only, so say so at the declaration, with the way to convert. */
static bool refuse_encoding(const sink *sk, const char *data, size_t len)
{
    gw_pos p;
    const char *v;
    size_t n;
    if (!gw_scan_declared_encoding(data, len, &p, &v, &n))
        return false;
    static const char *const ok[] = { "UTF-8", "UTF8", "US-ASCII", "ASCII" };
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
        if (strlen(ok[i]) == n && strncasecmp(ok[i], v, n) == 0)
            return false;
    bool gb = (n >= 2 && strncasecmp(v, "GB", 2) == 0) || (n == 5 && !strncasecmp(v, "CP936", 5));
    int shown = n > 40 ? 40 : (int)n;
    gw_error(sk->diag, sk->name, p.line, p.col,
             "encoding=\"%.*s\" is declared, but gwpdf sources must be UTF-8: convert the file "
             "(iconv -f %.*s -t UTF-8 FILE >NEW.xml) and declare encoding=\"UTF-8\"; plain text "
             "can be turned into a source with gwpdf import", shown, v, gb ? 7 : shown,
             gb ? "GB18030" : v);
    return true;
}

/* A file that is plainly not XML (a seal image, the PDF itself, a Word file
 * given by mistake), told by its first bytes; NULL for anything else. */
static const char *not_xml_kind(const unsigned char *u, size_t len)
{
    static const struct { const char *magic; size_t n; const char *what; } kinds[] = {
        { "\x89PNG\r\n\x1a\n", 8, "a PNG image" },
        { "\xFF\xD8\xFF", 3, "a JPEG image" },
        { "%PDF-", 5, "a PDF" },
        { "PK\x03\x04", 4, "a ZIP archive (a .docx Word file?)" },
        { "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8, "an old Word (.doc) or Excel (.xls) file" },
    };
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        if (len >= kinds[i].n && memcmp(u, kinds[i].magic, kinds[i].n) == 0)
            return kinds[i].what;
    return NULL;
}

/* Refuse what libxml2 must never see: entity declarations (found by our own
 * scan of the DOCTYPE), sources that are not UTF-8, and elements with so many
 * attributes that libxml2 (still the parser) would spend minutes on them. */
static bool refuse_early(const sink *sk, const char *data, size_t len)
{
    if (len > INT_MAX) {
        gw_error(sk->diag, sk->name, 0, 0, "file too large");
        return true;
    }
    const unsigned char *u = (const unsigned char *)data;
    const char *kind = not_xml_kind(u, len);
    if (kind) {
        gw_error(sk->diag, sk->name, 0, 0, "this is %s, not a gwpdf XML source; to start from a "
                 "Word or text file, save it as plain text (.txt) and use gwpdf import", kind);
        return true;
    }
    bool utf16_bom = len >= 2 && ((u[0] == 0xFE && u[1] == 0xFF) || (u[0] == 0xFF && u[1] == 0xFE));
    bool nul = len >= 4 && (u[0] == 0 || u[1] == 0 || u[2] == 0 || u[3] == 0);
    if (utf16_bom || nul) {
        gw_error(sk->diag, sk->name, 1, 1, "the source is not UTF-8 (format v1 sources are UTF-8)");
        return true;
    }
    if (refuse_encoding(sk, data, len))
        return true;
    gw_pos p;
    const char *name;
    size_t name_len;
    if (gw_scan_attribute_counts(data, len, MAX_ATTRIBUTES, &p, &name, &name_len)) {
        gw_error(sk->diag, sk->name, p.line, p.col, "<%.*s> has more than %d attributes: no "
                 "element of format v1 or v2 takes more than a few (docs/format.md lists them)",
                 name_len > 40 ? 40 : (int)name_len, name, MAX_ATTRIBUTES);
        return true;
    }
    return gw_scan_entity_decls(data, len, on_prescan_entity, (void *)sk) > 0;
}

/* A copy of data with every lone CR made an LF (NULL when there is none, or
 * out of memory: *oom).  XML reads CR, CR LF and LF all as one line end; libxml2
 * counts lines only at LF, so a lone-CR source would report everything at line
 * 1.  Same length, so every offset and column stays where it was. */
static char *lone_cr_to_lf(const char *data, size_t len, bool *oom)
{
    *oom = false;
    const char *cr = memchr(data, '\r', len);
    while (cr && (size_t)(cr - data) + 1 < len && cr[1] == '\n')
        cr = memchr(cr + 2, '\r', len - (size_t)(cr + 2 - data));
    if (!cr)
        return NULL;
    char *copy = malloc(len ? len : 1);
    if (!copy) {
        *oom = true;
        return NULL;
    }
    memcpy(copy, data, len);
    for (size_t i = (size_t)(cr - data); i < len; i++)
        if (copy[i] == '\r' && (i + 1 == len || copy[i + 1] != '\n'))
            copy[i] = '\n';
    return copy;
}

/* Inside a DOCTYPE (refused above, so no DTD node exists) libxml2's own
 * handlers would hang a comment or processing instruction on the missing DTD
 * node, and lose it: a leak the fuzzer found.  There it has no place; drop it. */
static void on_comment(void *ctx, const xmlChar *value)
{
    xmlParserCtxtPtr ctxt = ctx;
    if (ctxt->inSubset == 0)
        xmlSAX2Comment(ctx, value);
}

static void on_processing_instruction(void *ctx, const xmlChar *target, const xmlChar *data)
{
    xmlParserCtxtPtr ctxt = ctx;
    if (ctxt->inSubset == 0)
        xmlSAX2ProcessingInstruction(ctx, target, data);
}

static void install_hooks(xmlParserCtxtPtr ctxt, const sink *sk)
{
    ctxt->_private = (void *)sk;
    ctxt->sax->serror = on_parse_error;
    ctxt->sax->entityDecl = on_entity_decl;
    ctxt->sax->unparsedEntityDecl = on_unparsed_entity_decl;
    ctxt->sax->reference = on_reference;
    ctxt->sax->externalSubset = on_external_subset;
    ctxt->sax->internalSubset = on_internal_subset;
    ctxt->sax->resolveEntity = on_resolve_entity;
    ctxt->sax->comment = on_comment;
    ctxt->sax->processingInstruction = on_processing_instruction;
}

/* Parse data[0..len) with a private parser context; NULL after reporting. */
static xmlDocPtr parse_xml(const sink *sk, const char *data, size_t len)
{
    if (!data) {
        data = "";
        len = 0;
    }
    if (refuse_early(sk, data, len))
        return NULL;
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt || !ctxt->sax) {
        xmlFreeParserCtxt(ctxt);
        gw_error(sk->diag, sk->name, 0, 0, "out of memory");
        return NULL;
    }
    install_hooks(ctxt, sk);
    int errors0 = sk->diag->errors;
    bool oom;
    char *lf = lone_cr_to_lf(data, len, &oom);
    xmlDocPtr doc = oom ? NULL : xmlCtxtReadMemory(ctxt, lf ? lf : data, (int)len, sk->name, NULL,
                                                   GW_PARSE_OPTIONS);
    free(lf);
    if (oom)
        gw_error(sk->diag, sk->name, 0, 0, "out of memory");
    else if (!doc && sk->diag->errors == errors0)
        gw_error(sk->diag, sk->name, 0, 0, "cannot parse the XML");
    xmlFreeParserCtxt(ctxt);
    return doc;
}

/* ---------------------------------------------------------------------------
 * The schema
 * ------------------------------------------------------------------------- */

static xmlRelaxNGPtr compile_schema(const sink *sk, xmlDocPtr sdoc)
{
    xmlRelaxNGParserCtxtPtr pc = xmlRelaxNGNewDocParserCtxt(sdoc);
    if (!pc) {
        gw_error(sk->diag, sk->name, 0, 0, "out of memory");
        return NULL;
    }
    rng_sink rs = { sk, NULL, 0 };
    xmlRelaxNGSetParserStructuredErrors(pc, on_rng_error, &rs);
    int errors0 = sk->diag->errors;
    xmlRelaxNGPtr rng = xmlRelaxNGParse(pc);
    xmlRelaxNGFreeParserCtxt(pc);
    if (!rng && sk->diag->errors == errors0)
        gw_error(sk->diag, sk->name, 0, 0, "not a usable RELAX NG schema");
    return rng;
}

static bool is_name(const xmlNode *n, const char *name);

/* report-v2.rng's <include href="report-v1.rng"> resolved from the compiled-in
 * copy (the program has no schema files beside it): report-v1.rng's
 * definitions are copied into the including grammar and its <start> is
 * dropped for the include's own, as RELAX NG's include with an overriding
 * start means.  False when out of memory. */
static bool inline_v1_include(xmlDocPtr v2, xmlDocPtr v1)
{
    xmlNodePtr root = xmlDocGetRootElement(v2), v1root = xmlDocGetRootElement(v1);
    xmlNodePtr inc = root ? root->children : NULL;
    while (inc && !is_name(inc, "include"))
        inc = inc->next;
    if (!inc || !v1root)
        return true;
    for (xmlNodePtr c = inc->children, next; c; c = next) {
        next = c->next;
        xmlUnlinkNode(c);
        xmlAddPrevSibling(inc, c);
    }
    for (xmlNodePtr c = v1root->children; c; c = c->next) {
        /* The comments too: they describe the defines (type_hint). */
        if ((c->type != XML_ELEMENT_NODE && c->type != XML_COMMENT_NODE) || is_name(c, "start"))
            continue;
        xmlNodePtr copy = xmlDocCopyNode(c, v2, 1);
        if (!copy)
            return false;
        xmlAddPrevSibling(inc, copy);
    }
    xmlUnlinkNode(inc);
    xmlFreeNode(inc);
    return true;
}

/* The built-in schema of `version` as a parsed document; NULL after reporting. */
static xmlDocPtr builtin_schema(gw_diag *diag, int version)
{
    sink s1 = { diag, "schema/report-v1.rng (built in)" };
    xmlDocPtr v1 = parse_xml(&s1, (const char *)gw_schema_rng, gw_schema_rng_len);
    if (!v1 || version == 1)
        return v1;
    sink s2 = { diag, "schema/report-v2.rng (built in)" };
    xmlDocPtr v2 = parse_xml(&s2, (const char *)gw_schema_v2_rng, gw_schema_v2_rng_len);
    if (v2 && !inline_v1_include(v2, v1)) {
        gw_error(diag, s2.name, 0, 0, "out of memory");
        xmlFreeDoc(v2);
        v2 = NULL;
    }
    xmlFreeDoc(v1);
    return v2;
}

/* The schema at schema_path, or the built-in one of `version` when NULL;
 * *sdoc_out its document (kept to explain errors; the caller frees it). */
static xmlRelaxNGPtr load_schema(gw_diag *diag, const char *schema_path, int version,
                                 xmlDocPtr *sdoc_out)
{
    *sdoc_out = NULL;
    sink sk = { diag, schema_path ? schema_path : version == 2 ? "schema/report-v2.rng (built in)"
                                                               : "schema/report-v1.rng (built in)" };
    xmlDocPtr sdoc = NULL;
    if (schema_path) {
        size_t len = 0;
        char *buf = gw_read_path(schema_path, gw_limits_default().bytes, true, "source", &len,
                                 diag);
        if (!buf)
            return NULL;
        sdoc = parse_xml(&sk, buf, len);
        free(buf);
    } else {
        sdoc = builtin_schema(diag, version);
    }
    if (!sdoc)
        return NULL;
    xmlRelaxNGPtr rng = compile_schema(&sk, sdoc);
    if (rng)
        *sdoc_out = sdoc;
    else
        xmlFreeDoc(sdoc);
    return rng;
}

static void validate(const sink *sk, xmlRelaxNGPtr rng, xmlDocPtr sdoc, xmlDocPtr doc)
{
    xmlRelaxNGValidCtxtPtr vc = xmlRelaxNGNewValidCtxt(rng);
    if (!vc) {
        gw_error(sk->diag, sk->name, 0, 0, "out of memory");
        return;
    }
    rng_sink rs = { sk, sdoc, 0 };
    xmlRelaxNGSetValidStructuredErrors(vc, on_rng_error, &rs);
    int errors0 = sk->diag->errors;
    int ret = xmlRelaxNGValidateDoc(vc, doc);
    xmlRelaxNGFreeValidCtxt(vc);
    if (ret != 0 && sk->diag->errors == errors0)
        gw_error(sk->diag, sk->name, 0, 0, "the document does not match the schema");
}

/* ---------------------------------------------------------------------------
 * Source positions: every element and text character gets one
 * ------------------------------------------------------------------------- */

/* State of building one gw_doc.  node->_private holds 1 + the index in pos[]
 * of an element's start tag or of a text node's first character. */
/* The files a document binds (attachment src): the folder they must lie in,
 * the files being loaded (outermost first: a cycle), every file bound so far
 * (bound twice), and what the limits still allow of the sources together. */
typedef struct binder {
    char *root_dir;              /* realpath of the document's folder; NULL: none */
    char **chain;
    size_t n_chain;
    char **bound;
    size_t n_bound;
    gw_limits left;
    const char *schema_path;
    bool oom;
} binder;

typedef struct loader {
    const sink *sk;
    binder *bind;
    gw_pos *pos;
    size_t n_pos, cap_pos;
    bool oom;
} loader;

static bool push_pos(loader *ld, gw_pos p)
{
    if (ld->n_pos == ld->cap_pos) {
        size_t cap = ld->cap_pos ? ld->cap_pos * 2 : 1024;
        gw_pos *bigger = cap <= SIZE_MAX / sizeof *bigger ? realloc(ld->pos, cap * sizeof *bigger)
                                                          : NULL;
        if (!bigger) {
            ld->oom = true;
            return false;
        }
        ld->pos = bigger;
        ld->cap_pos = cap;
    }
    ld->pos[ld->n_pos++] = p;
    return true;
}

static bool is_control(uint32_t cp)
{
    return (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || (cp >= 0x7F && cp <= 0x9F);
}

static void check_control(loader *ld, uint32_t cp, gw_pos p, const char *where)
{
    if (is_control(cp))
        gw_error(ld->sk->diag, ld->sk->name, p.line, p.col,
                 "control character U+%04X is not allowed %s", (unsigned)cp, where);
}

/* Decode the next code point of a libxml2 string (already valid UTF-8). */
static size_t next_cp(const xmlChar *s, size_t len, uint32_t *cp)
{
    size_t n = gw_utf8_decode(s, len, cp);
    if (n == 0) {
        *cp = 0xFFFD;
        n = 1;
    }
    return n;
}

static void check_attributes(loader *ld, const xmlNode *n, gw_pos p)
{
    for (const xmlAttr *a = n->properties; a; a = a->next) {
        for (const xmlNode *t = a->children; t; t = t->next) {
            if (!t->content)
                continue;
            size_t len = strlen((const char *)t->content);
            for (size_t i = 0; i < len;) {
                uint32_t cp;
                i += next_cp(t->content + i, len - i, &cp);
                check_control(ld, cp, p, "in an attribute value");
            }
        }
    }
}

static void annotate_nodes(loader *ld, gw_scan *sc, xmlNodePtr n);

static void annotate_element(loader *ld, gw_scan *sc, xmlNodePtr n)
{
    gw_pos p = { xmlGetLineNo(n), 0 };
    gw_scan_start_tag(sc, &p);
    if (!push_pos(ld, p))
        return;
    n->_private = (void *)(uintptr_t)ld->n_pos;
    check_attributes(ld, n, p);
    annotate_nodes(ld, sc, n->children);
}

static void annotate_text(loader *ld, gw_scan *sc, xmlNodePtr n)
{
    if (!n->content)
        return;
    size_t len = strlen((const char *)n->content);
    gw_pos p = { xmlGetLineNo(n), 0 };
    n->_private = (void *)(uintptr_t)(ld->n_pos + 1);
    for (size_t i = 0; i < len && !ld->oom;) {
        uint32_t cp;
        i += next_cp(n->content + i, len - i, &cp);
        gw_scan_text_char(sc, &p);   /* on a mismatch p stays the last position */
        push_pos(ld, p);
        check_control(ld, cp, p, "in text");
    }
}

/* Walk the tree in document order, in step with the scanner. */
static void annotate_nodes(loader *ld, gw_scan *sc, xmlNodePtr n)
{
    for (; n && !ld->oom; n = n->next) {
        if (n->type == XML_ELEMENT_NODE)
            annotate_element(ld, sc, n);
        else if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
            annotate_text(ld, sc, n);
        else if (n->type == XML_ENTITY_REF_NODE)
            gw_error(ld->sk->diag, ld->sk->name, xmlGetLineNo(n), 0,
                     "entity reference '&%s;' is not allowed", (const char *)n->name);
    }
}

static gw_pos node_pos(const loader *ld, const xmlNode *n)
{
    uintptr_t i = (uintptr_t)n->_private;
    if (i == 0 || i > ld->n_pos) {
        gw_pos p = { xmlGetLineNo(n), 0 };
        return p;
    }
    return ld->pos[i - 1];
}

/* Position of the k-th character of a text node. */
static gw_pos char_pos(const loader *ld, const xmlNode *n, size_t k)
{
    uintptr_t i = (uintptr_t)n->_private;
    if (i == 0 || i - 1 + k >= ld->n_pos)
        return node_pos(ld, n->parent ? n->parent : n);
    return ld->pos[i - 1 + k];
}

/* ---------------------------------------------------------------------------
 * Text: collecting inline content and normalising whitespace
 * ------------------------------------------------------------------------- */

typedef struct tbuf {
    gw_text t;
    size_t cap;
} tbuf;

static void text_free(gw_text *t)
{
    free(t->cp);
    free(t->pos);
    free(t->flags);
    memset(t, 0, sizeof *t);
}

static bool tbuf_resize(tbuf *b, size_t cap)
{
    if (cap == 0 || cap > SIZE_MAX / sizeof(gw_pos))
        return cap == 0;
    uint32_t *cp = realloc(b->t.cp, cap * sizeof *cp);
    if (cp)
        b->t.cp = cp;
    gw_pos *pos = realloc(b->t.pos, cap * sizeof *pos);
    if (pos)
        b->t.pos = pos;
    uint8_t *flags = realloc(b->t.flags, cap);
    if (flags)
        b->t.flags = flags;
    if (!cp || !pos || !flags)
        return false;
    b->cap = cap;
    return true;
}

static bool tbuf_grow(tbuf *b)
{
    return tbuf_resize(b, b->cap ? b->cap * 2 : 32);
}

/* The text, its arrays cut to its length: the model keeps every text for the
 * whole run, so doubling's slack would stay (a table of one-cell rows spent
 * some 400 bytes on each cell).  Shrinking cannot lose the text. */
static gw_text tbuf_done(tbuf *b)
{
    if (b->t.len > 0 && b->t.len < b->cap)
        tbuf_resize(b, b->t.len);
    return b->t;
}

static void tbuf_push(loader *ld, tbuf *b, uint32_t cp, gw_pos pos, uint8_t flags)
{
    if (ld->oom)
        return;
    if (b->t.len == b->cap && !tbuf_grow(b)) {
        ld->oom = true;
        return;
    }
    b->t.cp[b->t.len] = cp;
    b->t.pos[b->t.len] = pos;
    b->t.flags[b->t.len] = flags;
    b->t.len++;
}

static bool is_name(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static void collect_text_node(loader *ld, tbuf *raw, const xmlNode *n, uint8_t flags)
{
    if (!n->content)
        return;
    size_t len = strlen((const char *)n->content);
    size_t k = 0;
    uint32_t cp;
    for (size_t i = 0; i < len; k++) {
        i += next_cp(n->content + i, len - i, &cp);
        tbuf_push(ld, raw, cp, char_pos(ld, n, k), flags);
    }
}

/* Append the inline content of the nodes first..stop (exclusive) to raw:
 * text as typed, <b> as GW_CH_BOLD, <br/> as GW_CP_LINE_BREAK. */
static void collect_inline(loader *ld, tbuf *raw, const xmlNode *first, const xmlNode *stop,
                           uint8_t flags)
{
    for (const xmlNode *n = first; n && n != stop; n = n->next) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
            collect_text_node(ld, raw, n, flags);
        else if (is_name(n, "br"))
            tbuf_push(ld, raw, GW_CP_LINE_BREAK, node_pos(ld, n), flags);
        else if (is_name(n, "b"))
            collect_inline(ld, raw, n->children, NULL, flags | GW_CH_BOLD);
        else if (n->type == XML_ELEMENT_NODE)
            collect_inline(ld, raw, n->children, NULL, flags);   /* keep every character */
    }
}

static bool is_xml_space(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n';
}

/* Han, CJK symbols and punctuation, full-width forms, and the marks Chinese
 * text takes from the CJK face (“ ” ‘ ’ — … ·): docs/format.md, Whitespace. */
static bool is_cjk(uint32_t cp)
{
    return (cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF)
        || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFFEF)
        || (cp >= 0x20000 && cp <= 0x3FFFF) || (cp >= 0x3000 && cp <= 0x303F)
        || (cp >= 0x2018 && cp <= 0x201D) || cp == 0x2014 || cp == 0x2026 || cp == 0x00B7;
}

/* Should the whitespace run raw[i..j) vanish rather than become one space? */
static bool drop_run(const gw_text *raw, size_t i, size_t j)
{
    if (i == 0 || j == raw->len)
        return true;                                /* block start or end */
    uint32_t before = raw->cp[i - 1], after = raw->cp[j];
    if (before == GW_CP_LINE_BREAK || after == GW_CP_LINE_BREAK)
        return true;                                /* at a <br/> */
    bool line_end = false;
    for (size_t k = i; k < j; k++)
        line_end = line_end || raw->cp[k] == '\n' || raw->cp[k] == '\r';
    return line_end && (is_cjk(before) || is_cjk(after));
}

/* The gw_text rules of model.h applied to raw; raw is left untouched. */
static gw_text normalise(loader *ld, const gw_text *raw)
{
    /* Sized once, to the raw length it never exceeds, then cut to fit. */
    tbuf out = { { 0 }, 0 };
    if (!tbuf_resize(&out, raw->len)) {
        ld->oom = true;
        return out.t;
    }
    size_t i = 0;
    while (i < raw->len) {
        if (!is_xml_space(raw->cp[i])) {
            tbuf_push(ld, &out, raw->cp[i], raw->pos[i], raw->flags[i]);
            i++;
            continue;
        }
        size_t j = i;
        while (j < raw->len && is_xml_space(raw->cp[j]))
            j++;
        if (!drop_run(raw, i, j))
            tbuf_push(ld, &out, ' ', raw->pos[i], raw->flags[i]);
        i = j;
    }
    return tbuf_done(&out);
}

/* Normalised inline text of the nodes first..stop (exclusive). */
static gw_text inline_text(loader *ld, const xmlNode *first, const xmlNode *stop)
{
    tbuf raw = { { 0 }, 0 };
    collect_inline(ld, &raw, first, stop, 0);
    gw_text t = normalise(ld, &raw.t);
    text_free(&raw.t);
    return t;
}

static gw_text text_of(loader *ld, const xmlNode *n)
{
    return inline_text(ld, n->children, NULL);
}

/* ---------------------------------------------------------------------------
 * Attributes
 * ------------------------------------------------------------------------- */

static bool prop_is(const xmlNode *n, const char *name, const char *value)
{
    xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
    bool eq = v && strcmp((const char *)v, value) == 0;
    xmlFree(v);
    return eq;
}

/* A decimal attribute in 1..INT_MAX, or dflt when absent; reports junk. */
static int prop_int(loader *ld, const xmlNode *n, const char *name, int dflt)
{
    xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
    if (!v)
        return dflt;
    char *end;
    errno = 0;
    long x = strtol((const char *)v, &end, 10);
    if (errno || end == (char *)v || *end || x < 1 || x > INT_MAX) {
        gw_pos p = node_pos(ld, n);
        gw_error(ld->sk->diag, ld->sk->name, p.line, p.col,
                 "%s=\"%s\" is not a positive whole number", name, (const char *)v);
        x = dflt;
    }
    xmlFree(v);
    return (int)x;
}

/* strdup of an attribute value; NULL when absent (sets oom on failure). */
static char *prop_dup(loader *ld, const xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
    if (!v)
        return NULL;
    char *s = strdup((const char *)v);
    xmlFree(v);
    if (!s)
        ld->oom = true;
    return s;
}

static gw_align prop_align(const xmlNode *n)
{
    if (prop_is(n, "align", "center"))
        return GW_ALIGN_CENTER;
    if (prop_is(n, "align", "right"))
        return GW_ALIGN_RIGHT;
    return GW_ALIGN_JUSTIFY;
}

static const xmlNode *first_element(const xmlNode *n)
{
    while (n && n->type != XML_ELEMENT_NODE)
        n = n->next;
    return n;
}

static const xmlNode *next_element(const xmlNode *n)
{
    return first_element(n->next);
}

/* ---------------------------------------------------------------------------
 * Tables
 * ------------------------------------------------------------------------- */

/* Append seg to out, after a GW_CP_LINE_BREAK at `at` unless out is the first. */
static void append_segment(loader *ld, tbuf *out, size_t *n_seg, const gw_text *seg, gw_pos at)
{
    if ((*n_seg)++ > 0)
        tbuf_push(ld, out, GW_CP_LINE_BREAK, at, 0);
    for (size_t i = 0; i < seg->len; i++)
        tbuf_push(ld, out, seg->cp[i], seg->pos[i], seg->flags[i]);
}

/* A cell's text: its inline content, or its paragraphs joined by line breaks. */
static gw_text cell_text(loader *ld, const xmlNode *cell)
{
    tbuf out = { { 0 }, 0 };
    size_t n_seg = 0;
    const xmlNode *run = NULL;
    for (const xmlNode *c = cell->children;; c = c->next) {
        bool para = is_name(c, "p");
        if (c && !para) {
            if (!run)
                run = c;
            continue;
        }
        if (run) {
            gw_text seg = inline_text(ld, run, c);
            if (seg.len > 0)
                append_segment(ld, &out, &n_seg, &seg, seg.pos[0]);
            text_free(&seg);
            run = NULL;
        }
        if (!c)
            break;
        gw_text seg = text_of(ld, c);
        append_segment(ld, &out, &n_seg, &seg, node_pos(ld, c));
        text_free(&seg);
    }
    return tbuf_done(&out);
}

static void build_cell(loader *ld, const xmlNode *n, gw_cell *cell)
{
    cell->header = is_name(n, "th");
    cell->colspan = prop_int(ld, n, "colspan", 1);
    cell->rowspan = prop_int(ld, n, "rowspan", 1);
    cell->align = prop_align(n);
    cell->align_set = xmlHasProp(n, (const xmlChar *)"align") != NULL;
    cell->pos = node_pos(ld, n);
    cell->text = cell_text(ld, n);
}

static size_t count_named(const xmlNode *first, const char *a, const char *b)
{
    size_t n = 0;
    for (const xmlNode *c = first; c; c = c->next)
        n += is_name(c, a) || (b && is_name(c, b));
    return n;
}

static void build_row(loader *ld, const xmlNode *tr, bool in_head, gw_row *row)
{
    row->in_head = in_head;
    row->pos = node_pos(ld, tr);
    size_t n = count_named(tr->children, "td", "th");
    row->cells = n ? calloc(n, sizeof *row->cells) : NULL;
    if (n && !row->cells) {
        ld->oom = true;
        return;
    }
    for (const xmlNode *c = first_element(tr->children); c; c = next_element(c))
        if (is_name(c, "td") || is_name(c, "th"))
            build_cell(ld, c, &row->cells[row->n_cells++]);
}

static size_t count_rows(const xmlNode *table)
{
    size_t n = count_named(table->children, "tr", NULL);
    for (const xmlNode *c = table->children; c; c = c->next)
        if (is_name(c, "thead") || is_name(c, "tbody"))
            n += count_named(c->children, "tr", NULL);
    return n;
}

static void add_rows(loader *ld, const xmlNode *first, bool in_head, gw_table *t)
{
    for (const xmlNode *c = first_element(first); c; c = next_element(c))
        if (is_name(c, "tr"))
            build_row(ld, c, in_head, &t->rows[t->n_rows++]);
}

static bool alloc_table(loader *ld, const xmlNode *n, gw_table *t)
{
    size_t cols = count_named(n->children, "col", NULL), rows = count_rows(n);
    t->col_widths = cols ? calloc(cols, sizeof *t->col_widths) : NULL;
    t->rows = rows ? calloc(rows, sizeof *t->rows) : NULL;
    if ((cols && !t->col_widths) || (rows && !t->rows)) {
        ld->oom = true;
        return false;
    }
    return true;
}

/* An early, cheap bound on a table's width: the layout refuses a column under
 * 7.23 mm (one 12 pt character and its padding), so no page holds more than 21
 * columns (31 landscape); 64 stops an absurd declaration before the grid is
 * built. */
#define MAX_TABLE_COLUMNS 64

/* An error at p, in the source being loaded. */
static void model_error(loader *ld, gw_pos p, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void model_error(loader *ld, gw_pos p, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    gw_error(ld->sk->diag, ld->sk->name, p.line, p.col, "%s", msg);
}

/* Lay every cell on the grid (HTML's table model): each takes the first free
 * column of its row, spans colspan columns and rowspan rows; report a cell past
 * the last column, a span past the grid, a colspan running into a rowspan from
 * above (two cells on one slot), and a rowspan crossing from thead into the
 * body.  Sets cell->col and t->n_grid_cols.  Each column keeps the row where it
 * is free again, so the cost follows the cells, not rows × columns. */
static void check_table_grid(loader *ld, gw_table *t, gw_pos table_pos)
{
    size_t cols = t->n_cols;
    if (cols == 0 && t->n_rows > 0)
        for (size_t i = 0; i < t->rows[0].n_cells; i++)
            cols += (size_t)t->rows[0].cells[i].colspan;
    if (cols > MAX_TABLE_COLUMNS) {
        model_error(ld, table_pos, "the table has %zu columns; at most %d fit on the page",
                    cols, MAX_TABLE_COLUMNS);
        return;
    }
    t->n_grid_cols = cols;
    size_t *free_from = calloc(cols + 1, sizeof *free_from);   /* row where column c is free */
    if (!free_from) {
        ld->oom = true;
        return;
    }
    for (size_t r = 0; r < t->n_rows; r++) {
        gw_row *row = &t->rows[r];
        size_t section_end = row->in_head ? t->n_head_rows : t->n_rows;
        size_t c = 0;
        for (size_t i = 0; i < row->n_cells; i++) {
            gw_cell *cell = &row->cells[i];
            while (c < cols && free_from[c] > r)
                c++;
            if (c >= cols) {
                model_error(ld, cell->pos, "this cell lies past the table's %zu column%s: the row "
                            "has more cells than columns (colspans, and rowspans from the rows "
                            "above, count too)", cols, cols == 1 ? "" : "s");
                break;
            }
            if (c + (size_t)cell->colspan > cols) {
                model_error(ld, cell->pos, "colspan=\"%d\" runs past the table's %zu column%s "
                            "(the cell starts in column %zu)", cell->colspan, cols,
                            cols == 1 ? "" : "s", c + 1);
                break;
            }
            if (r + (size_t)cell->rowspan > section_end) {
                model_error(ld, cell->pos, "rowspan=\"%d\" runs past the last row of the %s "
                            "(the cell starts in row %zu of %zu)", cell->rowspan,
                            row->in_head ? "table head (thead)" : "table", r + 1, section_end);
                break;
            }
            size_t taken = c;
            while (taken < c + (size_t)cell->colspan && free_from[taken] <= r)
                taken++;
            if (taken < c + (size_t)cell->colspan) {
                model_error(ld, cell->pos, "colspan=\"%d\" runs into column %zu, which a cell "
                            "of a row above covers with its rowspan (the cell starts in column "
                            "%zu)", cell->colspan, taken + 1, c + 1);
                break;
            }
            cell->col = (int)c;
            for (size_t dc = 0; dc < (size_t)cell->colspan; dc++)
                free_from[c + dc] = r + (size_t)cell->rowspan;
            c += (size_t)cell->colspan;
        }
    }
    free(free_from);
}

static gw_table *build_table(loader *ld, const xmlNode *n)
{
    gw_table *t = calloc(1, sizeof *t);
    if (!t) {
        ld->oom = true;
        return NULL;
    }
    t->landscape = prop_is(n, "orient", "landscape");
    if (!alloc_table(ld, n, t))
        return t;
    for (const xmlNode *c = first_element(n->children); c; c = next_element(c)) {
        if (is_name(c, "caption")) {
            text_free(&t->caption);
            t->caption = text_of(ld, c);
        } else if (is_name(c, "col")) {
            char *w = prop_dup(ld, c, "width");
            t->col_widths[t->n_cols++] = w ? w : strdup("");
            if (!t->col_widths[t->n_cols - 1])
                ld->oom = true;
        } else if (is_name(c, "thead") || is_name(c, "tbody")) {
            add_rows(ld, c->children, is_name(c, "thead"), t);
        }
    }
    add_rows(ld, n->children, false, t);   /* tr directly under table, if a schema allows it */
    while (t->n_head_rows < t->n_rows && t->rows[t->n_head_rows].in_head)
        t->n_head_rows++;
    if (!ld->oom)
        check_table_grid(ld, t, node_pos(ld, n));
    return t;
}

/* ---------------------------------------------------------------------------
 * Blocks and sections
 * ------------------------------------------------------------------------- */

static bool is_block(const xmlNode *n)
{
    return is_name(n, "p") || is_name(n, "section") || is_name(n, "list") || is_name(n, "table")
        || is_name(n, "pagebreak");
}

static void build_blocks(loader *ld, const xmlNode *first, int depth, int parent_level,
                         gw_block **out, size_t *n_out);

static void build_para(loader *ld, const xmlNode *n, gw_block *b)
{
    b->kind = GW_BLOCK_PARA;
    b->text = text_of(ld, n);
    b->indent = !prop_is(n, "indent", "0");
    b->align = prop_align(n);
}

static void build_list(loader *ld, const xmlNode *n, gw_block *b)
{
    b->kind = GW_BLOCK_LIST;
    size_t count = count_named(n->children, "item", NULL);
    b->children = count ? calloc(count, sizeof *b->children) : NULL;
    if (count && !b->children) {
        ld->oom = true;
        return;
    }
    for (const xmlNode *c = first_element(n->children); c; c = next_element(c)) {
        if (!is_name(c, "item"))
            continue;
        gw_block *item = &b->children[b->n_children++];
        item->kind = GW_BLOCK_ITEM;
        item->pos = node_pos(ld, c);
        item->text = text_of(ld, c);
        item->indent = true;
        item->align = GW_ALIGN_JUSTIFY;
    }
}

/* level = the level attribute, or one below the enclosing section's (so the
 * sections inside a level="3" section are level 4); it must grow with depth. */
static int section_level(loader *ld, const xmlNode *n, int depth, int parent_level)
{
    int level = prop_int(ld, n, "level", parent_level + 1);
    gw_pos p = node_pos(ld, n);
    if (depth > 4)
        gw_error(ld->sk->diag, ld->sk->name, p.line, p.col,
                 "section nested %d deep: sections nest at most 4 deep", depth);
    else if (level > 4)
        gw_error(ld->sk->diag, ld->sk->name, p.line, p.col,
                 "section level %d: levels go from 1 to 4", level);
    else if (level <= parent_level)
        gw_error(ld->sk->diag, ld->sk->name, p.line, p.col,
                 "section level %d must be greater than the level of the enclosing section "
                 "(%d); give it level=\"%d\" or more", level, parent_level, parent_level + 1);
    return level;
}

static void build_section(loader *ld, const xmlNode *n, int depth, int parent_level,
                          gw_block *b)
{
    b->kind = GW_BLOCK_SECTION;
    b->level = section_level(ld, n, depth, parent_level);
    b->numbered = true;
    b->heading_pos = b->pos;
    const xmlNode *h = first_element(n->children);
    if (is_name(h, "heading")) {
        b->heading = text_of(ld, h);
        b->heading_pos = node_pos(ld, h);
        b->runin = prop_is(h, "runin", "true");
        b->numbered = !prop_is(h, "number", "none");
    }
    build_blocks(ld, n->children, depth + 1, b->level, &b->children, &b->n_children);
}

static void build_block(loader *ld, const xmlNode *n, int depth, int parent_level, gw_block *b)
{
    b->pos = node_pos(ld, n);
    if (is_name(n, "p"))
        build_para(ld, n, b);
    else if (is_name(n, "section"))
        build_section(ld, n, depth, parent_level, b);
    else if (is_name(n, "list"))
        build_list(ld, n, b);
    else if (is_name(n, "table")) {
        b->kind = GW_BLOCK_TABLE;
        b->table = build_table(ld, n);
    } else
        b->kind = GW_BLOCK_PAGEBREAK;
}

/* Room for the block elements among first and its siblings. */
static bool alloc_blocks(loader *ld, const xmlNode *first, gw_block **out, size_t *n_out)
{
    size_t count = 0;
    for (const xmlNode *c = first; c; c = c->next)
        count += is_block(c);
    *out = NULL;
    *n_out = 0;
    if (count == 0)
        return true;
    *out = calloc(count, sizeof **out);
    if (!*out)
        ld->oom = true;
    return *out != NULL;
}

/* The block elements among first and its siblings, in order. */
static void build_blocks(loader *ld, const xmlNode *first, int depth, int parent_level,
                         gw_block **out, size_t *n_out)
{
    if (!alloc_blocks(ld, first, out, n_out))
        return;
    for (const xmlNode *c = first; c && !ld->oom; c = c->next)
        if (is_block(c))
            build_block(ld, c, depth, parent_level, &(*out)[(*n_out)++]);
}

/* ---------------------------------------------------------------------------
 * Signature and dates
 * ------------------------------------------------------------------------- */

static bool is_digit_cp(uint32_t cp)
{
    return cp >= '0' && cp <= '9';
}

/* Is t exactly DDDD-DD-DD (ASCII)? */
static bool iso_shaped(const gw_text *t)
{
    if (t->len != 10)
        return false;
    for (size_t i = 0; i < 10; i++) {
        bool dash = i == 4 || i == 7;
        if (dash ? t->cp[i] != '-' : !is_digit_cp(t->cp[i]))
            return false;
    }
    return true;
}

static int digits(const gw_text *t, size_t from, size_t n)
{
    int v = 0;
    for (size_t i = from; i < from + n; i++)
        v = v * 10 + (int)(t->cp[i] - '0');
    return v;
}

static int days_in_month(int y, int m)
{
    static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

/* Append the number in field t[from..from+n) without leading zeros, each digit
 * keeping the position of the source digit it comes from. */
static void push_number(loader *ld, tbuf *out, const gw_text *t, size_t from, size_t n)
{
    size_t i = from;
    while (i + 1 < from + n && t->cp[i] == '0')
        i++;
    for (; i < from + n; i++)
        tbuf_push(ld, out, t->cp[i], t->pos[i], t->flags[i]);
}

/* 2023-03-15 → 2023年3月15日; 年 sits at the first '-', 月 at the second,
 * 日 at the last digit. */
static gw_text chinese_date(loader *ld, const gw_text *t)
{
    tbuf out = { { 0 }, 0 };
    push_number(ld, &out, t, 0, 4);
    tbuf_push(ld, &out, 0x5E74, t->pos[4], t->flags[4]);   /* 年 */
    push_number(ld, &out, t, 5, 2);
    tbuf_push(ld, &out, 0x6708, t->pos[7], t->flags[7]);   /* 月 */
    push_number(ld, &out, t, 8, 2);
    tbuf_push(ld, &out, 0x65E5, t->pos[9], t->flags[9]);   /* 日 */
    return out.t;
}

/* An ISO date becomes its printed form; other text is kept as typed. */
static void convert_date(loader *ld, gw_text *t)
{
    if (!iso_shaped(t))
        return;
    int y = digits(t, 0, 4), m = digits(t, 5, 2), d = digits(t, 8, 2);
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) {
        gw_error(ld->sk->diag, ld->sk->name, t->pos[0].line, t->pos[0].col,
                 "date %04d-%02d-%02d is not a real calendar date%s", y, m, d,
                 m < 1 || m > 12 ? " (no such month)" : "");
        return;
    }
    gw_text printed = chinese_date(ld, t);
    text_free(t);
    *t = printed;
}

static void build_seal_ref(loader *ld, const xmlNode *n, gw_seal_ref *ref)
{
    ref->pos = node_pos(ld, n);
    ref->src = prop_dup(ld, n, "src");
    if (!ref->src && !ld->oom && !(ref->src = strdup("")))
        ld->oom = true;
    char *d = prop_dup(ld, n, "diameter");
    if (d) {
        char *end;
        double v = strtod(d, &end);
        if (end == d || *end || !(v > 0)) {
            gw_error(ld->sk->diag, ld->sk->name, ref->pos.line, ref->pos.col,
                     "diameter=\"%s\" is not a positive number of millimetres", d);
            v = 0;
        }
        ref->diameter_mm = v;
        free(d);
    }
}

/* Room for `n` more items of `size` bytes at *arr (n_have in use); false (and
 * oom) when out of memory. */
static bool grow_array(loader *ld, void **arr, size_t n_have, size_t size)
{
    if (n_have > SIZE_MAX / size - 1) {
        ld->oom = true;
        return false;
    }
    void *bigger = realloc(*arr, (n_have + 1) * size);
    if (!bigger) {
        ld->oom = true;
        return false;
    }
    *arr = bigger;
    memset((char *)bigger + n_have * size, 0, size);
    return true;
}

static void push_text_item(loader *ld, gw_text **arr, size_t *n, gw_text t)
{
    if (!grow_array(ld, (void **)arr, *n, sizeof **arr)) {
        text_free(&t);
        return;
    }
    (*arr)[(*n)++] = t;
}

static gw_signature *build_signature(loader *ld, const xmlNode *n)
{
    gw_signature *sig = calloc(1, sizeof *sig);
    if (!sig) {
        ld->oom = true;
        return NULL;
    }
    sig->pos = node_pos(ld, n);
    for (const xmlNode *c = first_element(n->children); c && !ld->oom; c = next_element(c)) {
        if (is_name(c, "issuer")) {
            push_text_item(ld, &sig->issuers, &sig->n_issuers, text_of(ld, c));
        } else if (is_name(c, "date")) {
            text_free(&sig->date);
            sig->date = text_of(ld, c);
            sig->has_date = true;
            convert_date(ld, &sig->date);
        } else if (is_name(c, "seal")) {
            if (grow_array(ld, (void **)&sig->seals, sig->n_seals, sizeof *sig->seals))
                build_seal_ref(ld, c, &sig->seals[sig->n_seals++]);
        } else if (is_name(c, "signer-stamp")) {
            sig->has_stamp = true;
            build_seal_ref(ld, c, &sig->stamp);
            text_free(&sig->stamp_title);
            sig->stamp_title = text_of(ld, c);
        }
    }
    return sig;
}

/* ---------------------------------------------------------------------------
 * Version 2: 版头, attendance, 版记
 * ------------------------------------------------------------------------- */

/* An attribute's value as text, every character at the element's position
 * (libxml2 gives attribute values no positions of their own). */
static gw_text attr_text(loader *ld, const xmlNode *n, const char *name)
{
    tbuf out = { { 0 }, 0 };
    xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
    if (!v)
        return out.t;
    gw_pos p = node_pos(ld, n);
    size_t len = strlen((const char *)v);
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        i += next_cp(v + i, len - i, &cp);
        tbuf_push(ld, &out, cp, p, 0);
    }
    xmlFree(v);
    return out.t;
}

static void set_text(loader *ld, gw_text *slot, const xmlNode *n)
{
    text_free(slot);
    *slot = text_of(ld, n);
}

/* 份号: six ASCII digits (GB/T 9704 §7.2.1). */
static void check_copy_number(loader *ld, const gw_text *t, gw_pos at)
{
    bool ok = t->len == 6;
    for (size_t i = 0; ok && i < t->len; i++)
        ok = is_digit_cp(t->cp[i]);
    if (!ok)
        model_error(ld, at, "the copy number (份号) must be 6 digits, such as 000123; this one "
                    "has %zu character%s", t->len, t->len == 1 ? "" : "s");
}

static bool text_is(const gw_text *t, const char *utf8)
{
    char *s = gw_text_utf8(t);
    bool eq = s && strcmp(s, utf8) == 0;
    free(s);
    return eq;
}

/* 密级 (§7.2.2) and 紧急程度 (§7.2.3) take the standard's words only. */
static void check_grade(loader *ld, const gw_text *t, gw_pos at, const char *what,
                        const char *const *words)
{
    for (const char *const *w = words; *w; w++)
        if (text_is(t, *w))
            return;
    char *typed = gw_text_utf8(t);
    model_error(ld, at, "%s \"%s\" is not one of %s, %s%s%s", what, typed ? typed : "", words[0],
                words[1], words[2] ? " or " : "", words[2] ? words[2] : "");
    free(typed);
}

static gw_header *build_header(loader *ld, const xmlNode *n)
{
    gw_header *h = calloc(1, sizeof *h);
    if (!h) {
        ld->oom = true;
        return NULL;
    }
    h->pos = node_pos(ld, n);
    h->suffix = attr_text(ld, n, "suffix");
    for (const xmlNode *c = first_element(n->children); c && !ld->oom; c = next_element(c)) {
        if (is_name(c, "copy")) {
            set_text(ld, &h->copy, c);
            check_copy_number(ld, &h->copy, node_pos(ld, c));
        } else if (is_name(c, "secrecy")) {
            set_text(ld, &h->secrecy, c);
            static const char *const grades[] = { "秘密", "机密", "绝密", NULL };
            check_grade(ld, &h->secrecy, node_pos(ld, c), "the secrecy grade (密级)", grades);
            text_free(&h->period);
            h->period = attr_text(ld, c, "period");
        } else if (is_name(c, "urgency")) {
            set_text(ld, &h->urgency, c);
            static const char *const urgencies[] = { "特急", "加急", NULL };
            check_grade(ld, &h->urgency, node_pos(ld, c), "the urgency (紧急程度)", urgencies);
        } else if (is_name(c, "issuer-mark")) {
            push_text_item(ld, &h->marks, &h->n_marks, text_of(ld, c));
        } else if (is_name(c, "doc-number")) {
            set_text(ld, &h->doc_number, c);
        } else if (is_name(c, "signer")) {
            push_text_item(ld, &h->signers, &h->n_signers, text_of(ld, c));
        }
    }
    return h;
}

static gw_attendance *build_attendance(loader *ld, const xmlNode *n)
{
    gw_attendance *a = calloc(1, sizeof *a);
    if (!a) {
        ld->oom = true;
        return NULL;
    }
    for (const xmlNode *c = first_element(n->children); c; c = next_element(c)) {
        if (is_name(c, "present"))
            set_text(ld, &a->present, c);
        else if (is_name(c, "absent"))
            set_text(ld, &a->absent, c);
        else if (is_name(c, "attending"))
            set_text(ld, &a->attending, c);
    }
    return a;
}

static gw_record *build_record(loader *ld, const xmlNode *n)
{
    gw_record *r = calloc(1, sizeof *r);
    if (!r) {
        ld->oom = true;
        return NULL;
    }
    r->pos = node_pos(ld, n);
    for (const xmlNode *c = first_element(n->children); c; c = next_element(c)) {
        if (is_name(c, "cc")) {
            set_text(ld, &r->cc, c);
        } else if (is_name(c, "distributor")) {
            for (const xmlNode *d = first_element(c->children); d; d = next_element(d)) {
                if (is_name(d, "name")) {
                    set_text(ld, &r->distributor, d);
                } else if (is_name(d, "date")) {
                    set_text(ld, &r->distributed, d);
                    convert_date(ld, &r->distributed);
                }
            }
        }
    }
    return r;
}

/* ---------------------------------------------------------------------------
 * The document
 * ------------------------------------------------------------------------- */

/* Characters of one entry of the PDF's document information (Title, Author,
 * Subject, Keywords).  PDF/A-1 and libharu take strings of at most 65,535
 * bytes, written as UTF-16 (two bytes a character, four beyond U+FFFF, plus a
 * two-byte mark): 8,000 characters stay under half of that, and a real title
 * or author list is a hundred characters or so. */
#define MAX_INFO_CHARS 8000

/* True (after reporting at p) when t is too long for the document information;
 * `what` names the element, `how` says how to fix it. */
static bool info_too_long(loader *ld, const gw_text *t, gw_pos p, const char *what,
                          const char *how)
{
    if (t->len <= MAX_INFO_CHARS)
        return false;
    model_error(ld, p, "%s holds %zu characters, more than the %d the PDF's document "
                "information takes: %s", what, t->len, MAX_INFO_CHARS, how);
    return true;
}

static void set_meta_field(loader *ld, char **field, const xmlNode *n)
{
    gw_text t = text_of(ld, n);
    char what[48];
    snprintf(what, sizeof what, "<meta><%s>", (const char *)n->name);
    if (info_too_long(ld, &t, node_pos(ld, n), what, "shorten it")) {
        text_free(&t);
        return;
    }
    free(*field);
    *field = gw_text_utf8(&t);
    if (!*field)
        ld->oom = true;
    text_free(&t);
}

static void build_meta(loader *ld, const xmlNode *n, gw_meta *meta)
{
    for (const xmlNode *c = first_element(n->children); c; c = next_element(c)) {
        if (is_name(c, "title"))
            set_meta_field(ld, &meta->title, c);
        else if (is_name(c, "author"))
            set_meta_field(ld, &meta->author, c);
        else if (is_name(c, "subject"))
            set_meta_field(ld, &meta->subject, c);
        else if (is_name(c, "keywords"))
            set_meta_field(ld, &meta->keywords, c);
    }
}

static gw_doc_kind kind_of(const xmlNode *root)
{
    if (prop_is(root, "kind", "letter"))
        return GW_KIND_LETTER;
    if (prop_is(root, "kind", "order"))
        return GW_KIND_ORDER;
    if (prop_is(root, "kind", "minutes"))
        return GW_KIND_MINUTES;
    return GW_KIND_GENERAL;
}

static void build_report_attributes(loader *ld, const xmlNode *root, gw_doc *doc)
{
    doc->version = is_name(root, "document") ? 2 : 1;
    doc->kind = kind_of(root);
    doc->duplex = !prop_is(root, "duplex", "false");
    doc->profile = prop_is(root, "profile", "word-grid") ? GW_PROFILE_WORD_GRID : GW_PROFILE_GB;
    doc->first_page_number = prop_int(ld, root, "first-page-number", 1);
    doc->page_numbers = !prop_is(root, "page-numbers", "none");
}

static void build_attachment(loader *ld, const xmlNode *n, gw_doc *parent, gw_attachment *a);

/* Does t print nothing (spaces, U+3000 and line breaks only, or empty)? */
static bool is_blank_text(const gw_text *t)
{
    for (size_t i = 0; i < t->len; i++)
        if (t->cp[i] != ' ' && t->cp[i] != 0x3000 && t->cp[i] != GW_CP_LINE_BREAK)
            return false;
    return true;
}

/* A child of report or document that is not a body block. */
static void build_front_or_back(loader *ld, const xmlNode *c, gw_doc *doc)
{
    gw_text *slot = NULL;
    if (is_name(c, "meta")) {
        build_meta(ld, c, &doc->meta);
    } else if (is_name(c, "label")) {
        slot = &doc->label;
        doc->label_pos = node_pos(ld, c);
    } else if (is_name(c, "title")) {
        slot = &doc->title;
        doc->title_pos = node_pos(ld, c);
    } else if (is_name(c, "subtitle")) {
        slot = &doc->subtitle;
    } else if (is_name(c, "to")) {
        slot = &doc->to;
    } else if (is_name(c, "note")) {
        slot = &doc->note;
        doc->note_pos = node_pos(ld, c);
    } else if (is_name(c, "signature") && !doc->signature) {
        doc->signature = build_signature(ld, c);
    } else if (is_name(c, "header") && !doc->header) {
        doc->header = build_header(ld, c);
    } else if (is_name(c, "attendance") && !doc->attendance) {
        doc->attendance = build_attendance(ld, c);
    } else if (is_name(c, "record") && !doc->record) {
        doc->record = build_record(ld, c);
    } else if (is_name(c, "attachment")) {
        if (grow_array(ld, (void **)&doc->attachments, doc->n_attachments, sizeof *doc->attachments))
            build_attachment(ld, c, doc, &doc->attachments[doc->n_attachments++]);
    }
    if (slot) {
        text_free(slot);
        *slot = text_of(ld, c);
    }
    if (slot == &doc->title && is_blank_text(&doc->title))
        model_error(ld, doc->title_pos, "the <title> has no text (only spaces or line breaks), "
                    "which would print a blank title: write the title in it");
}

/* A UTF-8 copy of t for the PDF's document information: lines joined as one. */
static char *info_string(loader *ld, const gw_text *t)
{
    char *s = gw_text_utf8(t);
    if (!s) {
        ld->oom = true;
        return NULL;
    }
    char *w = s;
    for (const char *r = s; *r; r++)
        if (*r != '\n')
            *w++ = *r;
    *w = '\0';
    return s;
}

/* meta's title defaults to the printed title, its author to the signature's
 * first issuer (else a v2 document's first 发文机关标志). */
static void default_meta(loader *ld, gw_doc *doc)
{
    if (!doc->meta.title && doc->title.len &&
        !info_too_long(ld, &doc->title, doc->title_pos, "the title", "shorten it, or give "
                       "a shorter one for the PDF in <meta><title>"))
        doc->meta.title = info_string(ld, &doc->title);
    const gw_text *author = NULL;
    const char *from = "the first <issuer>";
    if (doc->signature && doc->signature->n_issuers && doc->signature->issuers[0].len) {
        author = &doc->signature->issuers[0];
    } else if (doc->header && doc->header->n_marks && doc->header->marks[0].len) {
        author = &doc->header->marks[0];
        from = "the first <issuer-mark>";
    }
    if (!doc->meta.author && author &&
        !info_too_long(ld, author, author->pos[0], from, "shorten it, or give a shorter "
                       "author for the PDF in <meta><author>"))
        doc->meta.author = info_string(ld, author);
}

/* The rules of format v2 a schema cannot state (docs/format.md, Errors). */
static void check_v2_rules(loader *ld, const gw_doc *doc, gw_pos root_pos, bool top)
{
    const gw_signature *sig = doc->signature;
    if (top && doc->title.len == 0 && doc->title_pos.line == 0 && doc->kind != GW_KIND_ORDER)
        model_error(ld, root_pos, "the document has no <title>: only an order (kind=\"order\") "
                    "may have none");
    if (doc->attendance && doc->kind != GW_KIND_MINUTES)
        model_error(ld, root_pos, "<attendance> belongs to minutes only: give the document "
                    "kind=\"minutes\" or remove it");
    if (sig && sig->n_seals > 0 && sig->n_seals != sig->n_issuers)
        model_error(ld, sig->pos, "the signature has %zu issuer%s and %zu seal%s: give one seal "
                    "per issuer, in the same order", sig->n_issuers, sig->n_issuers == 1 ? "" : "s",
                    sig->n_seals, sig->n_seals == 1 ? "" : "s");
    if (top && doc->kind == GW_KIND_MINUTES && sig && sig->n_seals > 0)
        model_error(ld, sig->seals[0].pos, "minutes (kind=\"minutes\") carry no seal: remove "
                    "the <seal>");
    if (top && doc->kind == GW_KIND_ORDER && !(sig && sig->has_stamp))
        model_error(ld, sig ? sig->pos : root_pos, "an order (kind=\"order\") is signed with the "
                    "signer's stamp: add <signature><signer-stamp src=\"...\">职务</signer-stamp>"
                    "<date>...</date></signature>");
}

/* The children of report, document or an inline attachment in document order
 * (so errors come out in order). */
static void build_children(loader *ld, const xmlNode *parent, gw_doc *doc)
{
    if (!alloc_blocks(ld, parent->children, &doc->blocks, &doc->n_blocks))
        return;
    for (const xmlNode *c = first_element(parent->children); c && !ld->oom; c = next_element(c)) {
        if (is_block(c))
            build_block(ld, c, 1, 0, &doc->blocks[doc->n_blocks++]);
        else
            build_front_or_back(ld, c, doc);
    }
}

static void build_report(loader *ld, const xmlNode *root, gw_doc *doc)
{
    build_report_attributes(ld, root, doc);
    build_children(ld, root, doc);
    if (!ld->oom && doc->version == 2)
        check_v2_rules(ld, doc, node_pos(ld, root), true);
    if (!ld->oom)
        default_meta(ld, doc);
}

/* The attachment's name in the 附件说明: name=, else its title on one line. */
static gw_text listed_title(loader *ld, const xmlNode *n, const gw_doc *att)
{
    if (xmlHasProp(n, (const xmlChar *)"name"))
        return attr_text(ld, n, "name");
    tbuf out = { { 0 }, 0 };
    if (att)
        for (size_t i = 0; i < att->title.len; i++)
            if (att->title.cp[i] != GW_CP_LINE_BREAK)
                tbuf_push(ld, &out, att->title.cp[i], att->title.pos[i], att->title.flags[i]);
    return out.t;
}

/* An inline attachment: a document of its own (title, body, signature, note,
 * attachments) read from the same source. */
static gw_doc *inline_attachment(loader *ld, const xmlNode *n, const gw_doc *parent)
{
    gw_doc *att = calloc(1, sizeof *att);
    if (!att || !(att->path = strdup(parent->path))) {
        free(att);
        ld->oom = true;
        return NULL;
    }
    att->version = 2;
    att->kind = GW_KIND_GENERAL;
    att->profile = parent->profile;
    att->page_numbers = parent->page_numbers;
    att->first_page_number = 1;
    build_children(ld, n, att);
    gw_pos p = node_pos(ld, n);
    if (!ld->oom && att->title.len == 0 && att->title_pos.line == 0)
        model_error(ld, p, "an attachment without src needs a <title>");
    if (!ld->oom)
        check_v2_rules(ld, att, p, false);
    return att;
}

static gw_doc *bind_source(loader *ld, const xmlNode *n, const char *src);

static void build_attachment(loader *ld, const xmlNode *n, gw_doc *parent, gw_attachment *a)
{
    a->pos = node_pos(ld, n);
    a->bound = !prop_is(n, "bound", "false");
    a->issued = prop_is(n, "role", "issued");
    a->label = attr_text(ld, n, "label");
    char *src = prop_dup(ld, n, "src");
    if (src) {
        if (first_element(n->children))
            model_error(ld, a->pos, "an attachment with src=\"%s\" is bound from that file and "
                        "holds nothing itself", src);
        else
            a->doc = bind_source(ld, n, src);
        free(src);
    } else {
        a->doc = inline_attachment(ld, n, parent);
    }
    a->title = listed_title(ld, n, a->doc);
}

static gw_doc *build_doc(const sink *sk, binder *bind, xmlDocPtr xdoc, const char *data, size_t len)
{
    loader ld = { sk, bind, NULL, 0, 0, false };
    gw_scan sc;
    gw_scan_init(&sc, data, len);
    annotate_nodes(&ld, &sc, xdoc->children);
    gw_doc *doc = calloc(1, sizeof *doc);
    const xmlNode *root = xmlDocGetRootElement(xdoc);
    if (doc && root && !ld.oom) {
        doc->path = strdup(sk->name);
        ld.oom = !doc->path;
        build_report(&ld, root, doc);
    }
    free(ld.pos);
    if (!doc || ld.oom)
        gw_error(sk->diag, sk->name, 0, 0, "out of memory");
    return doc;
}

/* ---------------------------------------------------------------------------
 * Limits (gwlimits.h): counted on libxml2's tree before it is validated, so an
 * absurd document is refused before any costly work on it.
 * ------------------------------------------------------------------------- */

typedef struct tally {
    const sink *sk;
    const gw_limits *lim;
    long elements, text;
    bool over;
} tally;

/* `what` holds one %ld for the limit, e.g. "more than %ld elements". */
static void over_limit(tally *t, const xmlNode *n, const char *what, long limit, const char *name)
{
    if (t->over)
        return;
    t->over = true;
    char msg[128];
    snprintf(msg, sizeof msg, what, limit);
    gw_error(t->sk->diag, t->sk->name, xmlGetLineNo(n), 0,
             "%s, the limit (raise it with --limit %s=N)", msg, name);
}

static long table_cells(const xmlNode *table)
{
    long cells = 0;
    for (const xmlNode *c = table->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (!xmlStrcmp(c->name, BAD_CAST "td") || !xmlStrcmp(c->name, BAD_CAST "th"))
            cells++;
        else if (xmlStrcmp(c->name, BAD_CAST "table"))
            cells += table_cells(c);
    }
    return cells;
}

/* Characters of a text node but XML white space: the blanks between block
 * elements are no one's text, and a run of blanks prints as one space. */
static long text_chars(const xmlNode *n)
{
    if ((n->type != XML_TEXT_NODE && n->type != XML_CDATA_SECTION_NODE) || !n->content)
        return 0;
    long chars = 0;
    for (const xmlChar *s = n->content; *s; s++)
        chars += (*s & 0xC0) != 0x80 && *s != ' ' && *s != '\t' && *s != '\n' && *s != '\r';
    return chars;
}

/* Characters of the one block of text an element holds: its text, and that of
 * its inline <b> children (the only inline element that holds text). */
static long block_chars(const xmlNode *n)
{
    long chars = 0;
    for (const xmlNode *c = n->children; c; c = c->next) {
        chars += text_chars(c);
        if (c->type == XML_ELEMENT_NODE && !xmlStrcmp(c->name, BAD_CAST "b"))
            for (const xmlNode *g = c->children; g; g = g->next)
                chars += text_chars(g);
    }
    return chars;
}

static void count_nodes(tally *t, const xmlNode *n, long depth)
{
    for (; n && !t->over; n = n->next) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            t->text += text_chars(n);     /* blanks between blocks are no one's text */
            /* At the element holding the text: libxml2 dates a long text
             * node from where its first piece ended, lines past its start. */
            if (t->text > t->lim->text)
                over_limit(t, n->parent ? n->parent : n, "the document holds more than %ld "
                           "characters of text", t->lim->text, "text");
            continue;
        }
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (++t->elements > t->lim->elements)
            over_limit(t, n, "the document has more than %ld elements", t->lim->elements, "elements");
        if (depth > t->lim->depth)
            over_limit(t, n, "elements nest more than %ld deep", t->lim->depth, "depth");
        if (!xmlStrcmp(n->name, BAD_CAST "table") && table_cells(n) > t->lim->table_cells)
            over_limit(t, n, "this table has more than %ld cells", t->lim->table_cells, "table_cells");
        /* A block is line-broken as a whole: its working memory grows with it. */
        if (xmlStrcmp(n->name, BAD_CAST "b") && block_chars(n) > t->lim->paragraph) {
            char what[96];
            snprintf(what, sizeof what, "this <%.40s> holds more than %%ld characters of text",
                     (const char *)n->name);
            over_limit(t, n, what, t->lim->paragraph, "paragraph");
        }
        count_nodes(t, n->children, depth + 1);
    }
}

/* Counts what the source holds against what the limits still allow, and
 * takes it off them: a document and the files it binds share the limits. */
static bool within_limits(const sink *sk, xmlDocPtr xdoc, gw_limits *left)
{
    tally t = { sk, left, 0, 0, false };
    count_nodes(&t, xdoc->children, 1);
    left->elements -= t.elements;
    left->text -= t.text;
    return !t.over;
}

/* Parse, check and build one source (the document, or a file it binds). */
static gw_doc *load_source(binder *b, const char *name, const char *data, size_t len, gw_diag *diag)
{
    sink sk = { diag, name };
    int errors0 = diag->errors;
    if (len > (size_t)b->left.bytes) {
        gw_error(diag, sk.name, 0, 0,
                 "the source is %zu bytes, more than %ld, the limit (raise it with --limit bytes=N)",
                 len, b->left.bytes);
        return NULL;
    }
    b->left.bytes -= (long)len;
    xmlDocPtr xdoc = parse_xml(&sk, data, len);
    if (!xdoc)
        return NULL;
    if (!within_limits(&sk, xdoc, &b->left)) {
        xmlFreeDoc(xdoc);
        return NULL;
    }
    const xmlNode *root = xmlDocGetRootElement(xdoc);
    if (b->n_bound > 0 && root && !is_name(root, "document") && !is_name(root, "report")) {
        gw_error(diag, sk.name, xmlGetLineNo(root), 0, "<%s> is not a gwpdf source: an attachment's "
                 "root is <report version=\"1\"> or <document version=\"2\">",
                 (const char *)root->name);
        xmlFreeDoc(xdoc);
        return NULL;
    }
    xmlDocPtr sdoc;
    xmlRelaxNGPtr rng = load_schema(diag, b->schema_path, is_name(root, "document") ? 2 : 1,
                                    &sdoc);
    if (rng) {
        validate(&sk, rng, sdoc, xdoc);
        xmlRelaxNGFree(rng);
    }
    xmlFreeDoc(sdoc);
    gw_doc *doc = NULL;
    if (diag->errors == errors0)
        doc = build_doc(&sk, b, xdoc, data ? data : "", data ? len : 0);
    xmlFreeDoc(xdoc);
    if (diag->errors != errors0) {
        gw_doc_free(doc);
        return NULL;
    }
    return doc;
}

/* ---------------------------------------------------------------------------
 * Binding attachment sources (attachment src): only files inside the
 * document's folder, each once, never in a cycle, never a device or FIFO
 * ------------------------------------------------------------------------- */

static bool push_path(char ***list, size_t *n, const char *path)
{
    char *copy = strdup(path);
    char **bigger = copy ? realloc(*list, (*n + 1) * sizeof **list) : NULL;
    if (!bigger) {
        free(copy);
        return false;
    }
    *list = bigger;
    (*list)[(*n)++] = copy;
    return true;
}

static bool listed(char *const *list, size_t n, const char *path)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], path) == 0)
            return true;
    return false;
}

static void binder_init(binder *b, const char *path, const char *schema_path, const gw_limits *lim)
{
    memset(b, 0, sizeof *b);
    b->schema_path = schema_path;
    b->left = lim ? *lim : gw_limits_default();
    char *dir = path ? gw_path_dir(path) : NULL;
    b->root_dir = dir ? realpath(dir, NULL) : NULL;
    free(dir);
    char *self = path ? realpath(path, NULL) : NULL;
    if (self && !push_path(&b->chain, &b->n_chain, self))
        b->oom = true;
    free(self);
}

static void binder_free(binder *b)
{
    for (size_t i = 0; i < b->n_chain; i++)
        free(b->chain[i]);
    for (size_t i = 0; i < b->n_bound; i++)
        free(b->bound[i]);
    free(b->chain);
    free(b->bound);
    free(b->root_dir);
}

/* Does src name a path that stays below its folder as typed (relative, no ..)? */
static const char *src_path_problem(const char *src)
{
    if (src[0] == '/')
        return "is an absolute path: attachments are bound from the document's folder or below; "
               "give a path relative to the document";
    if (src[0] && !gw_path_is_below(src))
        return "leaves the document's folder (..): attachments are bound from the "
               "document's folder or below";
    return NULL;
}

/* The file at `real` (checked), read within what the limits leave; NULL
 * after reporting at the attachment. */
static char *read_bound_file(loader *ld, gw_pos p, const char *src, const char *real, size_t *len)
{
    int fd = open(real, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        model_error(ld, p, "cannot bind src=\"%s\": %s", src, strerror(errno));
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        model_error(ld, p, "src=\"%s\" is not a regular file: an attachment is a source file", src);
        close(fd);
        return NULL;
    }
    long most = ld->bind->left.bytes;
    char *data = st.st_size > most ? NULL : gw_read_fd(fd, most, len);
    int err = st.st_size > most ? EFBIG : errno;
    close(fd);
    if (!data && err == EFBIG)
        model_error(ld, p, "binding src=\"%s\" makes the sources more than %ld bytes, the limit "
                    "(raise it with --limit bytes=N)", src, ld->bind->left.bytes);
    else if (!data)
        model_error(ld, p, "cannot bind src=\"%s\": %s", src, strerror(err));
    return data;
}

/* The version 1 or 2 source an attachment's src names, loaded; NULL after
 * reporting (the attachment is then left unbound). */
static gw_doc *bind_source(loader *ld, const xmlNode *n, const char *src)
{
    binder *b = ld->bind;
    gw_pos p = node_pos(ld, n);
    const char *problem = src_path_problem(src);
    if (problem) {
        model_error(ld, p, "src=\"%s\" %s", src, problem);
        return NULL;
    }
    char *dir = gw_path_dir(ld->sk->name);
    size_t size = dir ? strlen(dir) + strlen(src) + 2 : 0;
    char *joined = dir ? malloc(size) : NULL;
    if (!joined) {
        free(dir);
        ld->oom = true;
        return NULL;
    }
    snprintf(joined, size, "%s/%s", strcmp(dir, ".") == 0 ? "" : dir, src);
    const char *name = strcmp(dir, ".") == 0 ? joined + 1 : joined;
    free(dir);
    gw_doc *doc = NULL;
    char *real = realpath(name, NULL);
    size_t root_len = b->root_dir ? strlen(b->root_dir) : 0;
    if (!real) {
        model_error(ld, p, "cannot bind src=\"%s\": %s", src, strerror(errno));
    } else if (!b->root_dir || strncmp(real, b->root_dir, root_len) != 0 ||
               (real[root_len] != '/' && strcmp(b->root_dir, "/") != 0)) {
        model_error(ld, p, "src=\"%s\" leads outside the document's folder (through a symbolic "
                    "link): attachments are bound from the document's folder or below", src);
    } else if (listed(b->chain, b->n_chain, real)) {
        model_error(ld, p, "src=\"%s\" binds a source that is binding it: an attachment may not "
                    "bind itself, directly or through another", src);
    } else if (listed(b->bound, b->n_bound, real)) {
        model_error(ld, p, "src=\"%s\" is bound a second time: each file is bound once", src);
    } else {
        size_t len = 0;
        char *data = read_bound_file(ld, p, src, real, &len);
        if (data && (!push_path(&b->bound, &b->n_bound, real) ||
                     !push_path(&b->chain, &b->n_chain, real))) {
            ld->oom = true;
        } else if (data) {
            int errors0 = ld->sk->diag->errors;
            doc = load_source(b, name, data, len, ld->sk->diag);
            free(b->chain[--b->n_chain]);
            if (!doc && ld->sk->diag->errors > errors0)
                model_error(ld, p, "src=\"%s\": the attached source has the errors above", src);
        }
        free(data);
    }
    free(real);
    free(joined);
    return doc;
}

gw_doc *gw_doc_load_memory(const char *name, const char *data, size_t len,
                           const char *schema_path, const gw_limits *limits, gw_diag *diag)
{
    binder b;
    binder_init(&b, name, schema_path, limits);
    gw_doc *doc = NULL;
    if (b.oom)
        gw_error(diag, name ? name : "<memory>", 0, 0, "out of memory");
    else
        doc = load_source(&b, name ? name : "<memory>", data, len, diag);
    binder_free(&b);
    return doc;
}

gw_doc *gw_doc_load(const char *path, const char *schema_path, const gw_limits *limits,
                    gw_diag *diag)
{
    gw_limits lim = limits ? *limits : gw_limits_default();
    struct stat st;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > lim.bytes) {
        gw_error(diag, path, 0, 0,
                 "the source is %lld bytes, more than %ld, the limit (raise it with --limit bytes=N)",
                 (long long)st.st_size, lim.bytes);
        return NULL;
    }
    size_t len = 0;
    char *data = gw_read_path(path, lim.bytes, false, "source", &len, diag);
    if (!data)
        return NULL;
    gw_doc *doc = gw_doc_load_memory(path, data, len, schema_path, &lim, diag);
    free(data);
    return doc;
}

/* ---------------------------------------------------------------------------
 * Freeing and output
 * ------------------------------------------------------------------------- */

static void table_free(gw_table *t)
{
    if (!t)
        return;
    text_free(&t->caption);
    for (size_t i = 0; i < t->n_cols; i++)
        free(t->col_widths[i]);
    free(t->col_widths);
    for (size_t r = 0; r < t->n_rows; r++) {
        for (size_t c = 0; c < t->rows[r].n_cells; c++)
            text_free(&t->rows[r].cells[c].text);
        free(t->rows[r].cells);
    }
    free(t->rows);
    free(t);
}

static void blocks_free(gw_block *blocks, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        text_free(&blocks[i].text);
        text_free(&blocks[i].heading);
        blocks_free(blocks[i].children, blocks[i].n_children);
        table_free(blocks[i].table);
    }
    free(blocks);
}

static void texts_free(gw_text *t, size_t n)
{
    for (size_t i = 0; i < n; i++)
        text_free(&t[i]);
    free(t);
}

static void signature_free(gw_signature *sig)
{
    if (!sig)
        return;
    texts_free(sig->issuers, sig->n_issuers);
    text_free(&sig->date);
    for (size_t i = 0; i < sig->n_seals; i++)
        free(sig->seals[i].src);
    free(sig->seals);
    free(sig->stamp.src);
    text_free(&sig->stamp_title);
    free(sig);
}

static void header_free(gw_header *h)
{
    if (!h)
        return;
    text_free(&h->copy);
    text_free(&h->secrecy);
    text_free(&h->period);
    text_free(&h->urgency);
    texts_free(h->marks, h->n_marks);
    text_free(&h->suffix);
    text_free(&h->doc_number);
    texts_free(h->signers, h->n_signers);
    free(h);
}

static void attendance_free(gw_attendance *a)
{
    if (!a)
        return;
    text_free(&a->present);
    text_free(&a->absent);
    text_free(&a->attending);
    free(a);
}

static void record_free(gw_record *r)
{
    if (!r)
        return;
    text_free(&r->cc);
    text_free(&r->distributor);
    text_free(&r->distributed);
    free(r);
}

void gw_doc_free(gw_doc *doc)
{
    if (!doc)
        return;
    free(doc->path);
    free(doc->meta.title);
    free(doc->meta.author);
    free(doc->meta.subject);
    free(doc->meta.keywords);
    header_free(doc->header);
    text_free(&doc->label);
    text_free(&doc->title);
    text_free(&doc->subtitle);
    text_free(&doc->to);
    attendance_free(doc->attendance);
    blocks_free(doc->blocks, doc->n_blocks);
    signature_free(doc->signature);
    text_free(&doc->note);
    for (size_t i = 0; i < doc->n_attachments; i++) {
        gw_doc_free(doc->attachments[i].doc);
        text_free(&doc->attachments[i].title);
        text_free(&doc->attachments[i].label);
    }
    free(doc->attachments);
    record_free(doc->record);
    free(doc);
}

char *gw_text_utf8(const gw_text *t)
{
    size_t len = t ? t->len : 0;
    if (len > (SIZE_MAX - 1) / 4)
        return NULL;
    char *s = malloc(len * 4 + 1);
    if (!s)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        if (t->cp[i] == GW_CP_LINE_BREAK)
            s[o++] = '\n';
        else
            o += gw_utf8_encode(t->cp[i], s + o);
    }
    s[o] = '\0';
    return s;
}
