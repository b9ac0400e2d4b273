/* Unit tests of the OFD output (GB/T 33190-2016): the ZIP container
 * (ofdzip.c), read back byte by byte — local headers with the document's
 * time in DOS form, CRC-32 and sizes, raw deflate or stored, the central
 * directory and its end record, identical bytes for identical entries — and
 * its refusals (a bad level or name, a write error); a laid-out document as a
 * package (ofdout.c) whose parts come in the promised order and parse as XML
 * with unique IDs up to MaxUnitID, whose TextCodes carry exactly the layout's
 * characters (white space as a character reference, a character beyond the
 * BMP alone, one DeltaX a step with the `g N STEP` form) over embedded font
 * subsets that map every character set in them (two characters sharing a
 * glyph both, TrueType and CFF: no CGTransform needed); the same bytes under
 * SOURCE_DATE_EPOCH and a content-derived DocID; the geometry of rules, seals
 * and text in millimetres from the page's top-left, upright and through a
 * landscape page's quarter turn; the seal's PNG (gw_seal_png: one bit a
 * pixel, transparent paper and opaque ink) read back by gw_seal_load; and
 * the errors (a missing directory, a bad SOURCE_DATE_EPOCH, a document
 * without pages). */
#define _GNU_SOURCE  /* memmem, open_memstream, mkdtemp */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "scratch.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <ft2build.h>
#include FT_FREETYPE_H
#include <libdeflate.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "fileio.h"
#include "fonts.h"
#include "image.h"
#include "layout.h"
#include "model.h"
#include "ofdout.h"
#include "ofdzip.h"
#include "utf8.h"

#define SUNG "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"
#define LIBSERIF "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf"
#define HANAMINB "/usr/share/fonts/truetype/hanazono/HanaMinB.ttf"

#define OFD_NS "http://www.ofdspec.org/2016"
#define K (25.4 / 72.0)              /* mm a point */
#define A4_W 595.2756
#define A4_H 841.8898
#define EPOCH "1700000000"           /* 2023-11-14 22:13:20 UTC */
#define DOS_DATE ((2023 - 1980) << 9 | 11 << 5 | 14)
#define DOS_TIME (22 << 11 | 13 << 5 | 20 / 2)

/* ---- fixtures -------------------------------------------------------------- */

typedef struct fixture {
    scratch s;
    gw_fontset *fonts;
    gw_doc *doc;
    gw_layout *lay;
} fixture;

/* The diagnostics and a scratch directory, no fonts. */
static int setup_plain(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f || scratch_open(&f->s, "ofd") != 0) {
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

/* The body's chain is AR PL SungtiL GB then HanaMinB (CJK Extension B),
 * Latin from Liberation Serif; a title, a paragraph with Latin digits, a
 * space and 𠮷 (U+20BB7), laid out. */
static const char SOURCE[] =
    "<report version=\"1\"><meta><title>测试</title></meta>"
    "<title>标题文字</title>"
    "<p>正文内容共计 2022 年，吉𠮷同音。共计 97.85% 的 OFD files。</p></report>";

static int setup_fonts(void **state)
{
    if (access(SUNG, R_OK) || access(LIBSERIF, R_OK) || access(HANAMINB, R_OK))
        return -1;
    if (setup_plain(state) != 0)
        return -1;
    fixture *f = *state;
    f->fonts = scratch_fonts(SUNG "," HANAMINB, LIBSERIF, &f->s.diag);
    f->doc = gw_doc_load_memory("t.xml", SOURCE, sizeof SOURCE - 1, NULL, NULL, &f->s.diag);
    f->lay = f->doc && f->fonts ? gw_layout_document(f->doc, f->fonts, NULL, &f->s.diag) : NULL;
    return f->lay ? 0 : -1;
}

static int teardown(void **state)
{
    fixture *f = *state;
    gw_layout_free(f->lay);
    gw_doc_free(f->doc);
    gw_fonts_close(f->fonts);
    int rc = scratch_close(&f->s);
    free(f);
    return rc;
}

static const char *diag_text(fixture *f)
{
    return scratch_text(&f->s);
}

static void near(double got, double want, double tol, const char *what)
{
    if (!(fabs(got - want) <= tol))
        fail_msg("%s: %.6f, expected %.6f (± %g)", what, got, want, tol);
}

/* The whole of fd, from offset 0 (malloc'd). */
static unsigned char *read_fd(int fd, size_t *len)
{
    off_t end = lseek(fd, 0, SEEK_END);
    assert_true(end >= 0);
    assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
    unsigned char *b = malloc((size_t)end + 1);
    assert_non_null(b);
    size_t n = 0;
    while (n < (size_t)end) {
        ssize_t k = read(fd, b + n, (size_t)end - n);
        assert_true(k > 0);
        n += (size_t)k;
    }
    *len = n;
    return b;
}

/* ---- a ZIP reader of our own ----------------------------------------------- */

static unsigned get16(const unsigned char *p)
{
    return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)get16(p) | (uint32_t)get16(p + 2) << 16;
}

typedef struct zentry {
    char name[128];
    unsigned method, dos_time, dos_date;
    uint32_t crc;
    size_t csize, usize;
    size_t offset;               /* of its local header */
    const unsigned char *raw;    /* its bytes as stored in the archive */
    unsigned char *data;         /* inflated, NUL-terminated (malloc'd) */
} zentry;

typedef struct zarchive {
    zentry *e;
    size_t n;
} zarchive;

/* Parse a whole archive, checking every structural property the writer
 * promises: sequential local headers with no gaps, no data descriptors and
 * no extra fields, a central record an entry that repeats its local header
 * and points at it, the end record right after the directory. */
static void zip_parse(const unsigned char *b, size_t len, zarchive *z)
{
    assert_true(len >= 22);
    const unsigned char *end = b + len - 22;           /* no archive comment */
    assert_int_equal(get32(end), 0x06054b50);
    assert_int_equal(get16(end + 4), 0);               /* this disk */
    assert_int_equal(get16(end + 6), 0);               /* the directory's disk */
    size_t n = get16(end + 8);
    assert_int_equal(get16(end + 10), n);              /* entries here = entries in all */
    size_t cd_size = get32(end + 12), cd_off = get32(end + 16);
    assert_int_equal(get16(end + 20), 0);
    assert_int_equal(cd_off + cd_size, len - 22);
    z->n = n;
    z->e = calloc(n ? n : 1, sizeof *z->e);
    assert_non_null(z->e);

    struct libdeflate_decompressor *dec = libdeflate_alloc_decompressor();
    assert_non_null(dec);
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        zentry *e = &z->e[i];
        assert_true(at + 30 <= cd_off);
        const unsigned char *h = b + at;
        assert_int_equal(get32(h), 0x04034b50);
        assert_int_equal(get16(h + 4), 20);            /* version needed: 2.0 */
        assert_int_equal(get16(h + 6), 0);             /* no flags: sizes here, ASCII names */
        e->method = get16(h + 8);
        e->dos_time = get16(h + 10);
        e->dos_date = get16(h + 12);
        e->crc = get32(h + 14);
        e->csize = get32(h + 18);
        e->usize = get32(h + 22);
        size_t name_len = get16(h + 26);
        assert_int_equal(get16(h + 28), 0);            /* no extra field */
        assert_true(name_len > 0 && name_len < sizeof e->name);
        assert_true(at + 30 + name_len + e->csize <= cd_off);
        memcpy(e->name, h + 30, name_len);
        e->name[name_len] = '\0';
        e->offset = at;
        e->raw = h + 30 + name_len;
        e->data = malloc(e->usize + 1);
        assert_non_null(e->data);
        if (e->method == 8) {
            size_t got = 0;
            assert_int_equal(libdeflate_deflate_decompress(dec, e->raw, e->csize, e->data,
                                                           e->usize, &got),
                             LIBDEFLATE_SUCCESS);
            assert_int_equal(got, e->usize);
            assert_true(e->csize < e->usize);          /* deflated only when it pays */
        } else {
            assert_int_equal(e->method, 0);
            assert_int_equal(e->csize, e->usize);
            memcpy(e->data, e->raw, e->usize);
        }
        e->data[e->usize] = '\0';
        assert_int_equal(libdeflate_crc32(0, e->data, e->usize), e->crc);
        at += 30 + name_len + e->csize;
    }
    assert_int_equal(at, cd_off);                      /* the directory follows the data */
    libdeflate_free_decompressor(dec);

    for (size_t i = 0; i < n; i++) {
        const zentry *e = &z->e[i];
        assert_true(at + 46 <= cd_off + cd_size);
        const unsigned char *c = b + at;
        assert_int_equal(get32(c), 0x02014b50);
        assert_int_equal(get16(c + 4), 3u << 8 | 20);   /* made by Unix, 2.0 */
        /* version needed .. extra length: the local header's fields again */
        assert_memory_equal(c + 6, b + e->offset + 4, 26);
        assert_int_equal(get16(c + 32), 0);             /* no comment */
        assert_int_equal(get16(c + 34), 0);             /* disk 0 */
        assert_int_equal(get16(c + 36), 0);             /* internal attributes */
        assert_int_equal(get32(c + 38), 0100644u << 16); /* rw-r--r-- regular file */
        assert_int_equal(get32(c + 42), e->offset);
        size_t name_len = get16(c + 28);
        assert_int_equal(name_len, strlen(e->name));
        assert_memory_equal(c + 46, e->name, name_len);
        at += 46 + name_len;
    }
    assert_int_equal(at, cd_off + cd_size);
}

static void zip_free(zarchive *z)
{
    for (size_t i = 0; i < z->n; i++)
        free(z->e[i].data);
    free(z->e);
    z->e = NULL;
    z->n = 0;
}

static const zentry *zip_find(const zarchive *z, const char *name)
{
    for (size_t i = 0; i < z->n; i++)
        if (!strcmp(z->e[i].name, name))
            return &z->e[i];
    return NULL;
}

/* ---- 1, 2: the ZIP writer --------------------------------------------------- */

/* Text that deflates well, a few KB. */
static char *sample_text(size_t *len)
{
    size_t cap = 8192, n = 0;
    char *s = malloc(cap);
    assert_non_null(s);
    for (int i = 0; n + 80 < cap; i++)
        n += (size_t)snprintf(s + n, cap - n,
                              "<ofd:TextCode X=\"%d\" Y=\"5.644\">第%d行</ofd:TextCode>\n", i, i);
    *len = n;
    return s;
}

/* Pseudo-random bytes (a PNG's stand-in: deflate cannot shrink them). */
static void noise(unsigned char *p, size_t n)
{
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        p[i] = (unsigned char)x;
    }
}

/* The archive of the four sample entries, dated `when`, as bytes. */
static unsigned char *sample_zip(time_t when, size_t *len)
{
    size_t tlen;
    char *text = sample_text(&tlen);
    unsigned char png[600];
    noise(png, sizeof png);
    int fd = gw_open_scratch();
    assert_true(fd >= 0);
    ofd_zip *z = ofd_zip_new(fd, when);
    assert_non_null(z);
    assert_int_equal(ofd_zip_add(z, "Doc_0/Pages/Page_0/Content.xml", text, tlen, 6), 0);
    assert_int_equal(ofd_zip_add(z, "Doc_0/Res/seal_1.png", png, sizeof png, 0), 0);
    assert_int_equal(ofd_zip_add(z, "Doc_0/DocumentRes.xml", "", 0, 6), 0);
    assert_int_equal(ofd_zip_add(z, "OFD.xml", "ab", 2, 12), 0);
    assert_int_equal(ofd_zip_finish(z), 0);
    assert_string_equal(ofd_zip_error(z), "");
    ofd_zip_free(z);
    unsigned char *b = read_fd(fd, len);
    close(fd);
    free(text);
    return b;
}

static void test_zip_writer(void **state)
{
    (void)state;
    size_t len, len2, tlen;
    unsigned char *b = sample_zip((time_t)1700000000, &len);
    char *text = sample_text(&tlen);
    unsigned char png[600];
    noise(png, sizeof png);

    zarchive z = { 0 };
    zip_parse(b, len, &z);
    assert_int_equal(z.n, 4);
    static const char *const names[] = { "Doc_0/Pages/Page_0/Content.xml", "Doc_0/Res/seal_1.png",
                                         "Doc_0/DocumentRes.xml", "OFD.xml" };
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal(z.e[i].name, names[i]);
        assert_int_equal(z.e[i].dos_date, DOS_DATE);   /* 2023-11-14, in UTC */
        assert_int_equal(z.e[i].dos_time, DOS_TIME);   /* 22:13:20 */
    }
    /* Deflated: raw deflate (no zlib header) of the text, which it shrinks. */
    assert_int_equal(z.e[0].method, 8);
    assert_int_equal(z.e[0].usize, tlen);
    assert_true(z.e[0].csize < tlen / 4);
    assert_memory_equal(z.e[0].data, text, tlen);
    assert_int_equal(z.e[0].crc, libdeflate_crc32(0, text, tlen));
    assert_true(z.e[0].raw == b + 30 + strlen(names[0]));   /* the first part opens the file */
    /* Level 0: stored as is. */
    assert_int_equal(z.e[1].method, 0);
    assert_int_equal(z.e[1].csize, sizeof png);
    assert_memory_equal(z.e[1].raw, png, sizeof png);
    assert_int_equal(z.e[1].crc, libdeflate_crc32(0, png, sizeof png));
    /* Empty: stored, no bytes, CRC 0. */
    assert_int_equal(z.e[2].method, 0);
    assert_int_equal(z.e[2].csize, 0);
    assert_int_equal(z.e[2].usize, 0);
    assert_int_equal(z.e[2].crc, 0);
    /* Two bytes at level 12: deflate would make them longer, so stored. */
    assert_int_equal(z.e[3].method, 0);
    assert_int_equal(z.e[3].csize, 2);
    assert_memory_equal(z.e[3].raw, "ab", 2);
    zip_free(&z);

    /* The same entries, the same time: the same bytes. */
    unsigned char *b2 = sample_zip((time_t)1700000000, &len2);
    assert_int_equal(len, len2);
    assert_memory_equal(b, b2, len);
    free(b2);
    /* Another time changes only the dates (2 s resolution: 1700000001 is 22:13:20 too). */
    b2 = sample_zip((time_t)1700000001, &len2);
    assert_int_equal(len, len2);
    assert_memory_equal(b, b2, len);
    free(b2);
    b2 = sample_zip((time_t)1700000002, &len2);
    assert_int_equal(len, len2);
    assert_memory_not_equal(b, b2, len);
    zip_parse(b2, len2, &z);
    assert_int_equal(z.e[0].dos_time, DOS_TIME + 1);
    zip_free(&z);
    free(b2);
    /* Before 1980 (ZIP cannot say it): 1980-01-01 00:00. */
    b2 = sample_zip((time_t)0, &len2);
    zip_parse(b2, len2, &z);
    assert_int_equal(z.e[0].dos_date, 1 << 5 | 1);
    assert_int_equal(z.e[0].dos_time, 0);
    zip_free(&z);
    free(b2);

    free(text);
    free(b);
}

static void test_zip_limits(void **state)
{
    (void)state;
    int fd = gw_open_scratch();
    assert_true(fd >= 0);
    ofd_zip *z = ofd_zip_new(fd, (time_t)1700000000);
    assert_non_null(z);
    assert_string_equal(ofd_zip_error(z), "");
    assert_int_equal(ofd_zip_add(z, "a.xml", "x", 1, 13), -1);
    assert_string_not_equal(ofd_zip_error(z), "");
    assert_non_null(strstr(ofd_zip_error(z), "level"));
    assert_int_equal(lseek(fd, 0, SEEK_END), 0);          /* nothing written */
    ofd_zip_free(z);

    assert_int_equal(ftruncate(fd, 0), 0);
    assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
    z = ofd_zip_new(fd, (time_t)1700000000);
    assert_int_equal(ofd_zip_add(z, "", "x", 1, 6), -1);
    assert_non_null(strstr(ofd_zip_error(z), "name"));
    assert_int_equal(ofd_zip_add(z, "b.xml", "x", 1, -1), -1);
    assert_int_equal(lseek(fd, 0, SEEK_END), 0);
    /* A refusal writes nothing: the archive made after it is whole. */
    assert_int_equal(ofd_zip_add(z, "c.xml", "xyz", 3, 6), 0);
    assert_int_equal(ofd_zip_finish(z), 0);
    ofd_zip_free(z);
    size_t len;
    unsigned char *b = read_fd(fd, &len);
    zarchive za = { 0 };
    zip_parse(b, len, &za);
    assert_int_equal(za.n, 1);
    assert_string_equal(za.e[0].name, "c.xml");
    assert_string_equal((char *)za.e[0].data, "xyz");
    zip_free(&za);
    free(b);
    close(fd);

    /* A descriptor open only for reading: EBADF on the first write. */
    char path[] = "/tmp/gwpdf-ofdzip-XXXXXX";
    int tmp = mkstemp(path);
    assert_true(tmp >= 0);
    close(tmp);
    int ro = open(path, O_RDONLY);
    assert_true(ro >= 0);
    z = ofd_zip_new(ro, (time_t)1700000000);
    assert_int_equal(ofd_zip_add(z, "a.xml", "hello", 5, 6), -1);
    char want[160];
    snprintf(want, sizeof want, "write error: %s", strerror(EBADF));
    assert_string_equal(ofd_zip_error(z), want);
    assert_int_equal(ofd_zip_finish(z), -1);              /* and the directory cannot follow */
    assert_string_equal(ofd_zip_error(z), want);          /* the first error is kept */
    ofd_zip_free(z);
    close(ro);
    unlink(path);

    /* A full device: ENOSPC, here at the end record of an empty archive too. */
    int full = open("/dev/full", O_WRONLY);
    if (full >= 0) {
        snprintf(want, sizeof want, "write error: %s", strerror(ENOSPC));
        z = ofd_zip_new(full, (time_t)1700000000);
        assert_int_equal(ofd_zip_add(z, "a.xml", "hello", 5, 6), -1);
        assert_string_equal(ofd_zip_error(z), want);
        ofd_zip_free(z);
        z = ofd_zip_new(full, (time_t)1700000000);
        assert_int_equal(ofd_zip_finish(z), -1);
        assert_string_equal(ofd_zip_error(z), want);
        ofd_zip_free(z);
        close(full);
    }
}

/* ---- reading a package back --------------------------------------------------- */

typedef struct package {
    zarchive zip;
    xmlDoc *ofd, *document, *public_res, *document_res;
    xmlDoc *pages[4];
    size_t n_pages;
} package;

static xmlDoc *parse_part(const zarchive *z, const char *name)
{
    const zentry *e = zip_find(z, name);
    if (!e)
        fail_msg("no part %s in the package", name);
    xmlDoc *doc = xmlReadMemory((const char *)e->data, (int)e->usize, name, NULL,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc)
        fail_msg("%s is not well-formed XML", name);
    xmlNode *root = xmlDocGetRootElement(doc);
    assert_non_null(root);
    assert_non_null(root->ns);
    assert_string_equal((const char *)root->ns->href, OFD_NS);
    return doc;
}

static void package_open(package *p, const unsigned char *data, size_t len)
{
    memset(p, 0, sizeof *p);
    zip_parse(data, len, &p->zip);
    p->ofd = parse_part(&p->zip, "OFD.xml");
    p->document = parse_part(&p->zip, "Doc_0/Document.xml");
    p->public_res = parse_part(&p->zip, "Doc_0/PublicRes.xml");
    p->document_res = parse_part(&p->zip, "Doc_0/DocumentRes.xml");
    for (size_t i = 0; i < sizeof p->pages / sizeof p->pages[0]; i++) {
        char name[64];
        snprintf(name, sizeof name, "Doc_0/Pages/Page_%zu/Content.xml", i);
        if (!zip_find(&p->zip, name))
            break;
        p->pages[p->n_pages++] = parse_part(&p->zip, name);
    }
}

static void package_close(package *p)
{
    xmlFreeDoc(p->ofd);
    xmlFreeDoc(p->document);
    xmlFreeDoc(p->public_res);
    xmlFreeDoc(p->document_res);
    for (size_t i = 0; i < p->n_pages; i++)
        xmlFreeDoc(p->pages[i]);
    zip_free(&p->zip);
}

static bool is_elem(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name) && n->ns &&
           !strcmp((const char *)n->ns->href, OFD_NS);
}

/* The elements called `name` under n, in document order (at most max). */
static size_t find_all(xmlNode *n, const char *name, xmlNode **out, size_t max, size_t have)
{
    for (; n; n = n->next) {
        if (is_elem(n, name)) {
            if (have < max)
                out[have] = n;
            have++;
        }
        if (n->type == XML_ELEMENT_NODE)
            have = find_all(n->children, name, out, max, have);
    }
    return have;
}

static xmlNode *find_one(xmlDoc *doc, const char *name)
{
    xmlNode *hit[2];
    size_t n = find_all(xmlDocGetRootElement(doc), name, hit, 2, 0);
    if (n != 1)
        fail_msg("%zu %s elements, expected 1", n, name);
    return hit[0];
}

/* The index-th of the `expect` elements called `name` on a page. */
static xmlNode *page_object(xmlDoc *page, const char *name, size_t index, size_t expect)
{
    xmlNode *hit[8];
    size_t n = find_all(xmlDocGetRootElement(page), name, hit, 8, 0);
    if (n != expect)
        fail_msg("%zu %s elements, expected %zu", n, name, expect);
    return hit[index];
}

/* An element's text content (malloc'd). */
static char *text_of(xmlNode *n)
{
    xmlChar *t = xmlNodeGetContent(n);
    char *s = strdup(t ? (const char *)t : "");
    xmlFree(t);
    return s;
}

/* An attribute (malloc'd), or NULL when absent. */
static char *attr(xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    if (!v)
        return NULL;
    char *s = strdup((const char *)v);
    xmlFree(v);
    return s;
}

/* Exactly `n` numbers, separated by spaces, in attribute `name`. */
static void attr_nums(xmlNode *node, const char *name, double *v, size_t n)
{
    char *s = attr(node, name);
    if (!s)
        fail_msg("no %s attribute", name);
    char *p = s, *end;
    for (size_t i = 0; i < n; i++) {
        v[i] = strtod(p, &end);
        if (end == p)
            fail_msg("%s=\"%s\": %zu numbers expected", name, s, n);
        p = end;
    }
    while (*p == ' ')
        p++;
    if (*p)
        fail_msg("%s=\"%s\": more than %zu numbers", name, s, n);
    free(s);
}

static double attr_num(xmlNode *node, const char *name)
{
    double v;
    attr_nums(node, name, &v, 1);
    return v;
}

/* Every element with an ID in a part: its IDs appended to ids. */
static void collect_ids(xmlNode *n, unsigned *ids, size_t *n_ids, size_t max)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        char *id = attr(n, "ID");
        if (id) {
            char *end;
            unsigned long v = strtoul(id, &end, 10);
            assert_true(*id && !*end && v > 0);
            assert_true(*n_ids < max);
            ids[(*n_ids)++] = (unsigned)v;
            free(id);
        }
        collect_ids(n->children, ids, n_ids, max);
    }
}

/* MaxUnitID is the largest ID of the package, and no ID is used twice. */
static void check_ids(const package *p)
{
    unsigned ids[4096];
    size_t n = 0;
    xmlDoc *parts[] = { p->ofd, p->document, p->public_res, p->document_res };
    for (size_t i = 0; i < 4; i++)
        collect_ids(xmlDocGetRootElement(parts[i]), ids, &n, 4096);
    for (size_t i = 0; i < p->n_pages; i++)
        collect_ids(xmlDocGetRootElement(p->pages[i]), ids, &n, 4096);
    assert_true(n > 0);
    unsigned max = 0;
    for (size_t i = 0; i < n; i++) {
        if (ids[i] > max)
            max = ids[i];
        for (size_t j = 0; j < i; j++)
            if (ids[i] == ids[j])
                fail_msg("ID %u is used twice", ids[i]);
    }
    char *s = text_of(find_one(p->document, "MaxUnitID"));
    assert_int_equal(strtoul(s, NULL, 10), max);
    free(s);
}

/* A DeltaX value expanded (`g N STEP` as N steps): the count, steps in out. */
static size_t expand_deltas(const char *s, double *out, size_t max, bool *used_g)
{
    size_t n = 0;
    const char *p = s;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        char *end;
        size_t reps = 1;
        if (*p == 'g') {
            *used_g = true;
            reps = (size_t)strtoul(p + 1, &end, 10);
            assert_true(end > p + 1 && reps >= 2);   /* g is worth it from two on */
            p = end;
        }
        double v = strtod(p, &end);
        assert_true(end > p);
        p = end;
        for (size_t i = 0; i < reps; i++) {
            assert_true(n < max);
            out[n++] = v;
        }
    }
    return n;
}

/* The code points of a UTF-8 string (at most max). */
static size_t code_points(const char *s, uint32_t *out, size_t max)
{
    size_t n = 0, len = strlen(s);
    const unsigned char *p = (const unsigned char *)s;
    while (len > 0) {
        uint32_t cp;
        size_t k = gw_utf8_decode(p, len, &cp);
        assert_true(k > 0);
        assert_true(n < max);
        out[n++] = cp;
        p += k;
        len -= k;
    }
    return n;
}

/* ---- 3: a document as an OFD package ------------------------------------------ */

/* The characters of one font in the package (for the cmap check). */
typedef struct font_use {
    unsigned id;
    const gw_face *face;
    uint32_t cps[256];
    size_t n;
} font_use;

static font_use *use_of(font_use *uses, size_t *n_uses, unsigned id)
{
    for (size_t i = 0; i < *n_uses; i++)
        if (uses[i].id == id)
            return &uses[i];
    assert_true(*n_uses < 8);
    uses[*n_uses] = (font_use){ .id = id };
    return &uses[(*n_uses)++];
}

static void test_document_package(void **state)
{
    fixture *f = *state;
    const gw_page *pg = &f->lay->pages[0];
    assert_int_equal(f->lay->n_pages, 1);
    unsigned char *data = NULL;
    size_t len = 0;
    assert_int_equal(gw_ofd_render_memory(f->lay, &f->doc->meta, &data, &len, &f->s.diag), 0);
    package p;
    package_open(&p, data, len);
    assert_int_equal(p.n_pages, 1);

    /* The layout's faces, in order of first use: one Font each. */
    const gw_face *faces[8];
    size_t n_faces = 0;
    bool has_space = false, has_ext_b = false;
    for (size_t i = 0; i < pg->n_glyphs; i++) {
        size_t k = 0;
        while (k < n_faces && faces[k] != pg->glyphs[i].face)
            k++;
        if (k == n_faces) {
            assert_true(n_faces < 8);
            faces[n_faces++] = pg->glyphs[i].face;
        }
        has_space |= pg->glyphs[i].cp == ' ';
        has_ext_b |= pg->glyphs[i].cp == 0x20BB7;
    }
    assert_true(has_space);
    assert_true(has_ext_b);
    assert_int_equal(n_faces, 3);             /* Sung, Liberation Serif, HanaMinB */

    /* The parts, exactly, in the writer's order: the pages as they came, the
     * fonts, PublicRes, DocumentRes, Document.xml, and OFD.xml last. */
    assert_int_equal(p.zip.n, 5 + n_faces);
    assert_string_equal(p.zip.e[0].name, "Doc_0/Pages/Page_0/Content.xml");
    for (size_t i = 0; i < n_faces; i++) {
        const char *name = p.zip.e[1 + i].name;
        size_t nl = strlen(name);
        assert_memory_equal(name, "Doc_0/Res/font_", 15);
        assert_true(nl > 19 && (!strcmp(name + nl - 4, ".ttf") || !strcmp(name + nl - 4, ".otf")));
        assert_int_equal(p.zip.e[1 + i].method, 8);
    }
    assert_string_equal(p.zip.e[1 + n_faces].name, "Doc_0/PublicRes.xml");
    assert_string_equal(p.zip.e[2 + n_faces].name, "Doc_0/DocumentRes.xml");
    assert_string_equal(p.zip.e[3 + n_faces].name, "Doc_0/Document.xml");
    assert_string_equal(p.zip.e[4 + n_faces].name, "OFD.xml");
    for (size_t i = 0; i < p.zip.n; i++)
        if (strstr(p.zip.e[i].name, ".xml"))
            assert_int_equal(p.zip.e[i].method, 8);

    check_ids(&p);

    /* OFD.xml and Document.xml point at each other's parts. */
    char *s = text_of(find_one(p.ofd, "DocRoot"));
    assert_string_equal(s, "Doc_0/Document.xml");
    free(s);
    s = text_of(find_one(p.ofd, "Title"));
    assert_string_equal(s, "测试");
    free(s);
    s = text_of(find_one(p.ofd, "DocID"));
    assert_int_equal(strlen(s), 32);
    assert_int_equal(strspn(s, "0123456789abcdef"), 32);
    free(s);
    s = text_of(find_one(p.ofd, "Creator"));
    assert_string_equal(s, "gwpdf");
    free(s);
    s = text_of(find_one(p.document, "PhysicalBox"));
    assert_string_equal(s, "0 0 210 297");              /* A4 in mm */
    free(s);
    s = text_of(find_one(p.document, "PublicRes"));
    assert_string_equal(s, "PublicRes.xml");
    free(s);
    xmlNode *page_ref = find_one(p.document, "Page");
    s = attr(page_ref, "BaseLoc");
    assert_string_equal(s, "Pages/Page_0/Content.xml");
    free(s);
    s = attr(find_one(p.public_res, "Res"), "BaseLoc");
    assert_string_equal(s, "Res");
    free(s);

    /* The text: every glyph's character, in order, over the objects' TextCodes. */
    const zentry *content = zip_find(&p.zip, "Doc_0/Pages/Page_0/Content.xml");
    assert_non_null(memmem(content->data, content->usize, "&#32;", 5));
    /* ... and no TextCode holds a raw space a reader could trim */
    for (const char *t = (const char *)content->data; (t = strstr(t, "<ofd:TextCode"));) {
        const char *open_end = strchr(t, '>'), *close = strstr(t, "</ofd:TextCode>");
        assert_non_null(open_end);
        assert_non_null(close);
        assert_true(open_end < close);
        assert_null(memchr(open_end + 1, ' ', (size_t)(close - open_end - 1)));
        t = close;
    }
    xmlNode *objs[64];
    size_t n_objs = find_all(xmlDocGetRootElement(p.pages[0]), "TextObject", objs, 64, 0);
    assert_true(n_objs >= 4 && n_objs <= 64);
    font_use uses[8];
    size_t n_uses = 0, gi = 0;
    bool used_g = false;
    for (size_t o = 0; o < n_objs; o++) {
        assert_true(gi < pg->n_glyphs);
        const gw_glyph *first = &pg->glyphs[gi];
        double size = attr_num(objs[o], "Size"), box[4];
        near(size, first->size * K, 0.0005, "Size");
        attr_nums(objs[o], "Boundary", box, 4);
        near(box[0], first->x * K, 0.0005, "Boundary x: the run's first origin");
        font_use *u = use_of(uses, &n_uses, (unsigned)attr_num(objs[o], "Font"));
        if (!u->face)
            u->face = first->face;
        assert_ptr_equal(u->face, first->face);           /* one Font, one face */
        xmlNode *codes[64];
        size_t n_codes = find_all(objs[o]->children, "TextCode", codes, 64, 0);
        assert_true(n_codes >= 1 && n_codes <= 64);
        for (size_t c = 0; c < n_codes; c++) {
            char *t = text_of(codes[c]);
            uint32_t cps[128];
            size_t n = code_points(t, cps, 128);
            free(t);
            assert_true(n >= 1);
            /* X and DeltaX put each character at its glyph's origin (to the
             * writer's 0.0001 mm a step), Y on the baseline. */
            double x = attr_num(codes[c], "X");
            near(box[1] + attr_num(codes[c], "Y"), (pg->height - pg->glyphs[gi].y) * K, 0.001,
                 "baseline");
            char *dx = attr(codes[c], "DeltaX");
            double steps[128];
            size_t n_steps = dx ? expand_deltas(dx, steps, 128, &used_g) : 0;
            free(dx);
            assert_int_equal(n_steps, n - 1);             /* characters, not UTF-16 units */
            for (size_t k = 0; k < n; k++) {
                assert_true(gi < pg->n_glyphs);
                const gw_glyph *g = &pg->glyphs[gi];
                assert_ptr_equal(g->face, first->face);
                assert_true(fabs(g->y - first->y) < 1e-6);
                if (cps[k] != g->cp)
                    fail_msg("character %zu is U+%04X, the layout set U+%04X", gi,
                             (unsigned)cps[k], (unsigned)g->cp);
                if (cps[k] > 0xFFFF)
                    assert_int_equal(n, 1);               /* beyond the BMP: alone */
                near(box[0] + x, g->x * K, 0.0005 * (double)(k + 2), "glyph origin");
                assert_true(u->n < 256);
                u->cps[u->n++] = cps[k];
                if (k + 1 < n)
                    x += steps[k];
                gi++;
            }
        }
    }
    assert_int_equal(gi, pg->n_glyphs);                    /* nothing more, nothing less */
    assert_true(used_g);                                   /* the grid's equal steps */
    assert_int_equal(n_uses, n_faces);

    /* The fonts: names, a file in the package, a cmap for every character. */
    xmlNode *fonts[8];
    size_t n_fonts = find_all(xmlDocGetRootElement(p.public_res), "Font", fonts, 8, 0);
    assert_int_equal(n_fonts, n_faces);
    FT_Library ft;
    assert_int_equal(FT_Init_FreeType(&ft), 0);
    for (size_t i = 0; i < n_fonts; i++) {
        unsigned id = (unsigned)attr_num(fonts[i], "ID");
        font_use *u = use_of(uses, &n_uses, id);
        assert_non_null(u->face);                          /* a Font some text uses */
        assert_int_equal(n_uses, n_faces);
        char *font_name = attr(fonts[i], "FontName"), *family = attr(fonts[i], "FamilyName");
        assert_non_null(font_name);
        assert_non_null(family);
        assert_true(*font_name && *family);
        assert_string_equal(family, gw_face_family(u->face));
        free(font_name);
        free(family);
        xmlNode *file_node[2];
        assert_int_equal(find_all(fonts[i]->children, "FontFile", file_node, 2, 0), 1);
        char *file = text_of(file_node[0]), part[128];
        snprintf(part, sizeof part, "Doc_0/Res/%s", file);
        free(file);
        const zentry *e = zip_find(&p.zip, part);
        if (!e)
            fail_msg("FontFile %s is not in the package", part);
        struct stat st;
        assert_int_equal(stat(gw_face_path(u->face), &st), 0);
        assert_true(e->usize < (size_t)st.st_size / 4);   /* a subset */
        FT_Face face;
        assert_int_equal(FT_New_Memory_Face(ft, e->data, (FT_Long)e->usize, 0, &face), 0);
        for (size_t k = 0; k < u->n; k++)
            if (FT_Get_Char_Index(face, u->cps[k]) == 0)
                fail_msg("%s has no glyph for U+%04X", part, (unsigned)u->cps[k]);
        FT_Done_Face(face);
    }
    FT_Done_FreeType(ft);
    package_close(&p);
    free(data);
}

/* One face drawing characters of the BMP and beyond it (HanaMinB has a few
 * of the BMP): one TextObject, but each character beyond the BMP in a
 * TextCode of its own, so readers that count DeltaX in UTF-16 units and
 * those that count characters place the rest alike; the ideographic space
 * and the space as character references. */
static void test_beyond_bmp_alone(void **state)
{
    fixture *f = *state;
    gw_face *face = gw_fonts_chain_face(f->fonts, GW_ROLE_BODY, 1);
    assert_non_null(face);
    static const uint32_t cps[] = { 0x82B1, 0x660E, 0x20BB7, 0x671D, 0x2A6A5,
                                    0x4E00, 0x3000, ' ', 'A' };
    enum { N = sizeof cps / sizeof cps[0] };
    gw_glyph glyphs[N];
    for (size_t i = 0; i < N; i++) {
        assert_true(gw_face_has(face, cps[i]));
        gw_face_use(face, cps[i]);
        glyphs[i] = (gw_glyph){ .face = face, .cp = cps[i], .x = 100 + 16.0 * (double)i,
                                .y = 500, .size = 16, .advance = 16, .role = GW_ROLE_BODY,
                                .color = GW_BLACK };
    }
    gw_page page = { .number = 1, .width = A4_W, .height = A4_H, .glyphs = glyphs,
                     .n_glyphs = N };
    gw_layout lay = { .pages = &page, .n_pages = 1 };
    unsigned char *data = NULL;
    size_t len = 0;
    assert_int_equal(gw_ofd_render_memory(&lay, NULL, &data, &len, &f->s.diag), 0);
    package p;
    package_open(&p, data, len);
    check_ids(&p);
    page_object(p.pages[0], "TextObject", 0, 1);           /* one run */
    xmlNode *codes[8];
    size_t n = find_all(xmlDocGetRootElement(p.pages[0]), "TextCode", codes, 8, 0);
    assert_int_equal(n, 5);
    static const char *const text[] = { "花明", "𠮷", "朝", "𪚥", "一\u3000 A" };
    static const size_t first[] = { 0, 2, 3, 4, 5 };
    for (size_t i = 0; i < n; i++) {
        char *t = text_of(codes[i]);
        assert_string_equal(t, text[i]);
        free(t);
        near(attr_num(codes[i], "X"), first[i] * 16 * K, 0.001, "TextCode X");
        char *dx = attr(codes[i], "DeltaX");
        if (i == 0)
            assert_string_equal(dx, "5.6444");
        else if (i == 4)
            assert_string_equal(dx, "g 3 5.6444");
        else
            assert_null(dx);                               /* one character: no DeltaX */
        free(dx);
    }
    const zentry *content = zip_find(&p.zip, "Doc_0/Pages/Page_0/Content.xml");
    static const char refs[] = "一&#12288;&#32;A<";
    assert_non_null(memmem(content->data, content->usize, refs, sizeof refs - 1));
    package_close(&p);
    free(data);
}

/* ---- 4: determinism --------------------------------------------------------- */

static char *doc_id(const unsigned char *data, size_t len)
{
    package p;
    package_open(&p, data, len);
    char *id = text_of(find_one(p.ofd, "DocID"));
    package_close(&p);
    return id;
}

static void test_reproducible(void **state)
{
    fixture *f = *state;
    unsigned char *a = NULL, *b = NULL, *c = NULL;
    size_t la = 0, lb = 0, lc = 0;
    setenv("SOURCE_DATE_EPOCH", EPOCH, 1);
    assert_int_equal(gw_ofd_render_memory(f->lay, &f->doc->meta, &a, &la, &f->s.diag), 0);
    assert_int_equal(gw_ofd_render_memory(f->lay, &f->doc->meta, &b, &lb, &f->s.diag), 0);
    setenv("SOURCE_DATE_EPOCH", "1600000000", 1);          /* 2020-09-13 */
    assert_int_equal(gw_ofd_render_memory(f->lay, &f->doc->meta, &c, &lc, &f->s.diag), 0);
    unsetenv("SOURCE_DATE_EPOCH");
    assert_int_equal(la, lb);
    assert_memory_equal(a, b, la);

    package p;
    package_open(&p, a, la);
    char *s = text_of(find_one(p.ofd, "CreationDate"));
    assert_string_equal(s, "2023-11-14");
    free(s);
    s = text_of(find_one(p.ofd, "ModDate"));
    assert_string_equal(s, "2023-11-14");
    free(s);
    for (size_t i = 0; i < p.zip.n; i++) {
        assert_int_equal(p.zip.e[i].dos_date, DOS_DATE);
        assert_int_equal(p.zip.e[i].dos_time, DOS_TIME);
    }
    package_close(&p);

    /* Another date: other bytes, the same DocID (it names the content). */
    assert_false(la == lc && !memcmp(a, c, la));
    package_open(&p, c, lc);
    s = text_of(find_one(p.ofd, "CreationDate"));
    assert_string_equal(s, "2020-09-13");
    free(s);
    package_close(&p);
    char *id_a = doc_id(a, la), *id_c = doc_id(c, lc);
    assert_string_equal(id_a, id_c);

    /* Another text: another DocID. */
    /* Another text: another DocID, though one character is all that differs
     * (the same parts, names and IDs). */
    char other[sizeof SOURCE];
    memcpy(other, SOURCE, sizeof SOURCE);
    char *gong = strstr(other, "共计");
    assert_non_null(gong);
    memcpy(gong, "总", strlen("总"));                   /* 共 → 总, both three bytes */
    gw_doc *doc = gw_doc_load_memory("u.xml", other, sizeof other - 1, NULL, NULL, &f->s.diag);
    assert_non_null(doc);
    gw_layout *lay = gw_layout_document(doc, f->fonts, NULL, &f->s.diag);
    assert_non_null(lay);
    unsigned char *d = NULL;
    size_t ld = 0;
    setenv("SOURCE_DATE_EPOCH", EPOCH, 1);
    assert_int_equal(gw_ofd_render_memory(lay, &doc->meta, &d, &ld, &f->s.diag), 0);
    unsetenv("SOURCE_DATE_EPOCH");
    char *id_d = doc_id(d, ld);
    assert_string_not_equal(id_a, id_d);
    free(id_a);
    free(id_c);
    free(id_d);
    free(d);
    gw_layout_free(lay);
    gw_doc_free(doc);
    free(a);
    free(b);
    free(c);
}

/* ---- 5: geometry --------------------------------------------------------------- */

/* An 8 × 8 seal: a ring of ink with a dot in the middle, in GW_RED's ink. */
static void make_seal(gw_seal_image *s, uint8_t *mask)
{
    static const uint8_t rows[8] = { 0x3C, 0x42, 0x81, 0x99, 0x99, 0x81, 0x42, 0x3C };
    memcpy(mask, rows, 8);
    *s = (gw_seal_image){ .width = 8, .height = 8, .mask = mask, .stride = 1,
                          .red = 232 / 255.0, .green = 31 / 255.0, .blue = 26 / 255.0 };
    for (size_t i = 0; i < 8; i++)
        for (int b = 0; b < 8; b++)
            s->ink_pixels += rows[i] >> b & 1;
}

/* A PathObject's line: its endpoints on the page (mm from the top-left). */
static void path_line(xmlNode *path, double *x0, double *y0, double *x1, double *y1)
{
    double box[4];
    attr_nums(path, "Boundary", box, 4);
    xmlNode *ad[2];
    assert_int_equal(find_all(path->children, "AbbreviatedData", ad, 2, 0), 1);
    char *s = text_of(ad[0]);
    double a, b, c, d;
    char m, l;
    assert_int_equal(sscanf(s, " %c %lf %lf %c %lf %lf", &m, &a, &b, &l, &c, &d), 6);
    assert_int_equal(m, 'M');
    assert_int_equal(l, 'L');
    free(s);
    /* The Boundary holds the stroked line, half the line's width each side. */
    double half = attr_num(path, "LineWidth") / 2;
    near(fmin(a, c), half, 0.001, "Boundary left of the line");
    near(fmin(b, d), half, 0.001, "Boundary above the line");
    near(box[2] - fmax(a, c), half, 0.001, "Boundary right of the line");
    near(box[3] - fmax(b, d), half, 0.001, "Boundary below the line");
    *x0 = box[0] + a;
    *y0 = box[1] + b;
    *x1 = box[0] + c;
    *y1 = box[1] + d;
}

static void check_stroke(xmlNode *path, double width_pt, const char *rgb)
{
    near(attr_num(path, "LineWidth"), width_pt * K, 0.0005, "LineWidth");
    xmlNode *sc[2];
    assert_int_equal(find_all(path->children, "StrokeColor", sc, 2, 0), 1);
    char *v = attr(sc[0], "Value");
    assert_string_equal(v, rgb);
    free(v);
}

static void check_ctm(xmlNode *n, const double *want)
{
    double ctm[6];
    attr_nums(n, "CTM", ctm, 6);
    for (int i = 0; i < 6; i++)
        near(ctm[i], want[i], 0.0005, "CTM");
}

static void test_geometry(void **state)
{
    fixture *f = *state;
    uint8_t mask[8];
    gw_seal_image seal;
    make_seal(&seal, mask);

    /* A portrait page: the 版头's red rule and a seal, no text (no fonts). */
    gw_rule rule = { 79.37, 700, 521.57, 700, 1.0, GW_RED };
    gw_image_place im = { &seal, 400, 100, 120 };
    gw_page portrait = { .number = 1, .width = A4_W, .height = A4_H, .rules = &rule,
                         .n_rules = 1, .images = &im, .n_images = 1 };
    gw_layout lay = { .pages = &portrait, .n_pages = 1 };
    unsigned char *data = NULL;
    size_t len = 0;
    assert_int_equal(gw_ofd_render_memory(&lay, NULL, &data, &len, &f->s.diag), 0);
    package p;
    package_open(&p, data, len);
    check_ids(&p);
    assert_int_equal(p.n_pages, 1);
    xmlNode *font_nodes[1];
    assert_int_equal(find_all(xmlDocGetRootElement(p.public_res), "Font", font_nodes, 1, 0), 0);

    xmlNode *path = page_object(p.pages[0], "PathObject", 0, 1);
    double x0, y0, x1, y1;
    path_line(path, &x0, &y0, &x1, &y1);
    near(x0, 28.0, 0.002, "the rule starts 28 mm from the left");
    near(x1, 521.57 * K, 0.002, "rule end x");
    near(y0, (A4_H - 700) * K, 0.002, "rule y from the top");
    near(y1, (A4_H - 700) * K, 0.002, "rule y from the top");
    check_stroke(path, 1.0, "232 31 26");

    xmlNode *img = page_object(p.pages[0], "ImageObject", 0, 1);
    double box[4];
    attr_nums(img, "Boundary", box, 4);
    near(box[0], 400 * K, 0.0005, "seal x");
    near(box[1], (A4_H - 220) * K, 0.0005, "seal top");
    near(box[2], 120 * K, 0.0005, "seal width");
    near(box[3], 120 * K, 0.0005, "seal height");
    check_ctm(img, (const double[]){ 120 * K, 0, 0, 120 * K, 0, 0 });
    /* Its resource: a MultiMedia whose PNG is in the package. */
    xmlNode *media = find_one(p.document_res, "MultiMedia");
    char *rid = attr(img, "ResourceID"), *mid = attr(media, "ID"), *fmt = attr(media, "Format");
    assert_string_equal(rid, mid);
    assert_string_equal(fmt, "PNG");
    free(rid);
    free(mid);
    free(fmt);
    char *file = text_of(find_one(p.document_res, "MediaFile")), part[128];
    snprintf(part, sizeof part, "Doc_0/Res/%s", file);
    free(file);
    const zentry *png = zip_find(&p.zip, part);
    assert_non_null(png);
    assert_int_equal(png->method, 0);                      /* already compressed: stored */
    assert_memory_equal(png->data, "\x89PNG\r\n\x1a\n", 8);
    /* The seal PNG is written when its page first shows it, before the page. */
    assert_true(png < zip_find(&p.zip, "Doc_0/Pages/Page_0/Content.xml"));
    package_close(&p);
    free(data);

    /* A landscape page after it, in the landscape frame (x along the portrait
     * page's height): a rule, the same seal, two glyphs; and the page number,
     * in portrait coordinates. */
    gw_face *face = gw_fonts_chain_face(f->fonts, GW_ROLE_BODY, 0);
    gw_face_use(face, 0x56FD);
    gw_face_use(face, 0x5BB6);
    gw_face_use(face, '2');
    gw_glyph glyphs[3] = {
        { .face = face, .cp = 0x56FD, .x = 100, .y = 300, .size = 16, .advance = 16,
          .role = GW_ROLE_BODY, .color = GW_BLACK },
        { .face = face, .cp = 0x5BB6, .x = 116, .y = 300, .size = 16, .advance = 16,
          .role = GW_ROLE_BODY, .color = GW_BLACK },
        { .face = face, .cp = '2', .x = 290, .y = 50, .size = 14, .advance = 7,
          .role = GW_ROLE_PAGENUM, .color = GW_BLACK },
    };
    gw_rule lrule = { 100, 200, 300, 200, 0.5, GW_BLACK };
    gw_page pages[2] = { portrait, { .number = 2, .width = A4_W, .height = A4_H,
                                     .glyphs = glyphs, .n_glyphs = 3, .rules = &lrule,
                                     .n_rules = 1, .images = &im, .n_images = 1,
                                     .landscape = true } };
    lay = (gw_layout){ .pages = pages, .n_pages = 2 };
    assert_int_equal(gw_ofd_render_memory(&lay, NULL, &data, &len, &f->s.diag), 0);
    package_open(&p, data, len);
    check_ids(&p);
    assert_int_equal(p.n_pages, 2);
    /* One seal on two pages: one MultiMedia, one PNG, both images on it. */
    find_one(p.document_res, "MultiMedia");
    size_t pngs = 0;
    for (size_t i = 0; i < p.zip.n; i++)
        pngs += strstr(p.zip.e[i].name, ".png") != NULL;
    assert_int_equal(pngs, 1);
    char *r0 = attr(page_object(p.pages[0], "ImageObject", 0, 1), "ResourceID");
    char *r1 = attr(page_object(p.pages[1], "ImageObject", 0, 1), "ResourceID");
    assert_string_equal(r0, r1);
    free(r0);
    free(r1);

    /* Landscape (x, y) lands on portrait (width − y, x). */
    path = page_object(p.pages[1], "PathObject", 0, 1);
    path_line(path, &x0, &y0, &x1, &y1);
    near(x0, (A4_W - 200) * K, 0.002, "landscape rule x");
    near(x1, (A4_W - 200) * K, 0.002, "landscape rule x");
    near(y0, (A4_H - 100) * K, 0.002, "landscape rule start");
    near(y1, (A4_H - 300) * K, 0.002, "landscape rule end");
    check_stroke(path, 0.5, "0 0 0");
    /* The seal's square (400..520, 100..220) turned: its top-left corner comes
     * from (520, 220), the image's unit square mapped by the quarter turn. */
    img = page_object(p.pages[1], "ImageObject", 0, 1);
    attr_nums(img, "Boundary", box, 4);
    near(box[0], (A4_W - 220) * K, 0.0005, "landscape seal x");
    near(box[1], (A4_H - 520) * K, 0.0005, "landscape seal top");
    near(box[2], 120 * K, 0.0005, "landscape seal width");
    near(box[3], 120 * K, 0.0005, "landscape seal height");
    check_ctm(img, (const double[]){ 0, -120 * K, 120 * K, 0, 0, 120 * K });
    /* The text turns with the page: CTM 0 −1 1 0 0 L, L the run's length. */
    xmlNode *text = page_object(p.pages[1], "TextObject", 0, 2);
    double run = (116 + 16 - 100) * K, em = 16 * K;
    check_ctm(text, (const double[]){ 0, -1, 1, 0, 0, run });
    attr_nums(text, "Boundary", box, 4);
    near(box[0], (A4_W - 300) * K - em, 0.0005, "landscape text box x");
    near(box[1], (A4_H - 100) * K - run, 0.0005, "landscape text box y");
    near(box[2], 1.25 * em, 0.0005, "landscape text box width");
    near(box[3], run, 0.0005, "landscape text box height");
    xmlNode *code = page_object(p.pages[1], "TextCode", 0, 2);
    near(attr_num(code, "X"), 0, 0.0005, "TextCode X");
    near(attr_num(code, "Y"), em, 0.0005, "TextCode Y: the baseline an em in");
    near(attr_num(code, "DeltaX"), 16 * K, 0.0005, "DeltaX");
    /* Through the CTM: the object's (X, Y) lands on the first glyph's origin. */
    near(box[0] + attr_num(code, "Y"), (A4_W - 300) * K, 0.001, "first origin x");
    near(box[1] + run - attr_num(code, "X"), (A4_H - 100) * K, 0.0015, "first origin y");
    /* The page number stays upright. */
    xmlNode *num = page_object(p.pages[1], "TextObject", 1, 2);
    char *ctm = attr(num, "CTM");
    assert_null(ctm);
    attr_nums(num, "Boundary", box, 4);
    near(box[0], 290 * K, 0.0005, "page number x");
    near(box[1], (A4_H - 50 - 14) * K, 0.0005, "page number top");
    package_close(&p);
    free(data);
}

/* ---- 6: the seal's PNG ----------------------------------------------------------- */

static void test_seal_png(void **state)
{
    fixture *f = *state;
    /* 13 × 5: rows wider than a byte, with padding bits to ignore. */
    enum { W = 13, H = 5 };
    uint8_t mask[2 * H] = { 0 };
    bool want[H][W];
    size_t ink = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            want[y][x] = (x * 7 + y * 3) % 5 < 2 || (x == 12 && y == 4);
            if (want[y][x]) {
                mask[y * 2 + x / 8] |= (uint8_t)(0x80u >> (x % 8));
                ink++;
            }
        }
    mask[1] |= 0x01;                 /* a padding bit: not a pixel, must not show */
    gw_seal_image img = { .width = W, .height = H, .mask = mask, .stride = 2, .red = 0.8,
                          .green = 0.1, .blue = 0.15, .ink_pixels = ink };
    unsigned char *png = NULL, *png2 = NULL;
    size_t len = 0, len2 = 0;
    assert_int_equal(gw_seal_png(&img, &png, &len), 0);
    assert_int_equal(gw_seal_png(&img, &png2, &len2), 0);
    assert_int_equal(len, len2);                           /* the same bytes each time */
    assert_memory_equal(png, png2, len);
    assert_true(len > 33);
    assert_memory_equal(png, "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
    assert_memory_equal(png + 16, "\0\0\0\x0d\0\0\0\x05", 8);   /* big-endian W, H */
    assert_int_equal(png[24], 1);                          /* one bit a pixel */
    assert_int_equal(png[25], 3);                          /* over a palette */
    /* Two colours: the paper (white, transparent) and the ink (opaque). */
    const unsigned char *plte = memmem(png, len, "PLTE", 4);
    assert_non_null(plte);
    assert_memory_equal(plte - 4, "\0\0\0\x06", 4);
    assert_memory_equal(plte + 4, "\xff\xff\xff\xcc\x1a\x26", 6);   /* 0.8 0.1 0.15 */
    const unsigned char *trns = memmem(png, len, "tRNS", 4);
    assert_non_null(trns);
    assert_memory_equal(trns - 4, "\0\0\0\x02", 4);
    assert_memory_equal(trns + 4, "\0\xff", 2);
    assert_null(memmem(png, len, "tIME", 4));              /* no time, no text */
    assert_null(memmem(png, len, "tEXt", 4));

    char path[128];
    snprintf(path, sizeof path, "%s/seal.png", f->s.dir);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(png, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
    gw_seal_image *back = gw_seal_load(path, "t.xml", 1, 1, &f->s.diag);
    assert_non_null(back);
    assert_int_equal(back->width, W);
    assert_int_equal(back->height, H);
    assert_int_equal(back->ink_pixels, ink);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            bool on = back->mask[(size_t)y * back->stride + (size_t)x / 8] & (0x80u >> (x % 8));
            if (on != want[y][x])
                fail_msg("pixel (%d, %d) is %s", x, y, on ? "ink" : "blank");
        }
    near(back->red, 0.8, 1 / 255.0, "red");
    near(back->green, 0.1, 1 / 255.0, "green");
    near(back->blue, 0.15, 1 / 255.0, "blue");
    gw_seal_free(back);
    free(png);
    free(png2);
}

/* The glyph of `cp` in a font file in memory (FreeType, its Unicode cmap); 0
 * when the file lacks it. */
static FT_UInt glyph_in(FT_Library ft, const unsigned char *data, size_t len, uint32_t cp)
{
    FT_Face face;
    assert_int_equal(FT_New_Memory_Face(ft, data, (FT_Long)len, 0, &face), 0);
    assert_int_equal(FT_Select_Charmap(face, FT_ENCODING_UNICODE), 0);
    FT_UInt g = FT_Get_Char_Index(face, cp);
    FT_Done_Face(face);
    return g;
}

/* Two characters one glyph draws, in `face` (searched like test_pdfout's
 * find_shared_glyph: Kangxi radicals and compatibility ideographs against the
 * unified ideographs); false when the face has no such pair. */
static bool shared_pair(FT_Library ft, const char *path, long index, uint32_t *a, uint32_t *b)
{
    FT_Face face;
    if (FT_New_Face(ft, path, index, &face) != 0)
        return false;
    static const uint32_t sharers[][2] = { { 0x2F00, 0x2FD5 }, { 0xF900, 0xFAFF } };
    bool found = false;
    for (size_t r = 0; r < 2 && !found; r++)
        for (uint32_t cp = sharers[r][0]; cp <= sharers[r][1] && !found; cp++) {
            FT_UInt g = FT_Get_Char_Index(face, cp);
            for (uint32_t u = 0x4E00; g && u <= 0x9FFF && !found; u++)
                if (FT_Get_Char_Index(face, u) == g) {
                    *a = u;
                    *b = cp;
                    found = true;
                }
        }
    FT_Done_Face(face);
    return found;
}

/* OFD's TextCode carries Unicode and the reader finds each glyph through the
 * embedded font's cmap, so the subset must keep a cmap entry for every
 * character drawn — also for two characters that share one glyph (no
 * CGTransform is written: docs/ofd.md): Liberation Serif's '-' and soft
 * hyphen (TrueType), and a radical or compatibility ideograph with its unified
 * twin in Noto Serif CJK (CFF). */
static void test_shared_glyph_in_cmap(void **state)
{
    fixture *f = *state;
    FT_Library ft;
    assert_int_equal(FT_Init_FreeType(&ft), 0);
    static const struct { const char *path; long index; } faces[] = {
        { LIBSERIF, 0 },
        { "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc", 2 },
    };
    for (size_t k = 0; k < 2; k++) {
        uint32_t a = '-', b = 0xAD;
        if (k == 1 && !shared_pair(ft, faces[k].path, faces[k].index, &a, &b)) {
            print_message("no shared glyph in %s: the CFF case is not run\n", faces[k].path);
            continue;
        }
        char spec[160];
        snprintf(spec, sizeof spec, "%s:%ld", faces[k].path, faces[k].index);
        gw_font_options opt = { .explicit_only = true };
        for (int r = 0; r < GW_ROLE_COUNT; r++)
            opt.role_paths[r] = spec;
        gw_fontset *fs = gw_fonts_open(&opt, &f->s.diag);
        assert_non_null(fs);
        gw_face *face = gw_fonts_chain_face(fs, GW_ROLE_BODY, 0);
        gw_face_use(face, a);
        gw_face_use(face, b);
        gw_face_use(face, 'A');
        unsigned char *data = NULL;
        size_t len = 0;
        bool cff = false;
        assert_int_equal(gw_face_subset_file(face, &data, &len, &cff, &f->s.diag), 0);
        assert_int_equal(cff, k == 1);
        FT_UInt ga = glyph_in(ft, data, len, a), gb = glyph_in(ft, data, len, b);
        assert_int_not_equal(ga, 0);
        assert_int_equal(ga, gb);                             /* one glyph, two entries */
        assert_int_not_equal(glyph_in(ft, data, len, 'A'), 0);
        assert_int_equal(glyph_in(ft, data, len, 'B'), 0);    /* a subset */
        free(data);
        gw_fonts_close(fs);
    }
    FT_Done_FreeType(ft);
}

/* ---- 7: errors -------------------------------------------------------------------- */

static void test_errors(void **state)
{
    fixture *f = *state;
    gw_rule rule = { 79.37, 700, 521.57, 700, 1.0, GW_RED };
    gw_page page = { .number = 1, .width = A4_W, .height = A4_H, .rules = &rule, .n_rules = 1 };

    /* A directory that does not exist: -1, said, and no file anywhere. */
    char path[160];
    snprintf(path, sizeof path, "%s/no/such/dir/out.ofd", f->s.dir);
    gw_ofd_doc *d = gw_ofd_begin(NULL, path, &f->s.diag);
    assert_non_null(d);
    assert_int_equal(gw_ofd_add_page(d, &page), 0);
    assert_false(gw_ofd_failed(d));
    int errors = f->s.diag.errors;
    assert_int_equal(gw_ofd_finish(d, path), -1);
    assert_true(f->s.diag.errors > errors);
    char want[200];
    snprintf(want, sizeof want, "%s: cannot", path);
    assert_non_null(strstr(diag_text(f), want));
    assert_non_null(strstr(diag_text(f), strerror(ENOENT)));
    assert_int_equal(scratch_count(f->s.dir), 0);

    /* The same page into the directory itself: written, nothing else beside it. */
    snprintf(path, sizeof path, "%s/out.ofd", f->s.dir);
    gw_layout lay = { .pages = &page, .n_pages = 1 };
    assert_int_equal(gw_ofd_write(&lay, NULL, path, &f->s.diag), 0);
    assert_int_equal(scratch_count(f->s.dir), 1);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644);

    /* No pages: refused. */
    d = gw_ofd_begin(NULL, "empty.ofd", &f->s.diag);
    assert_non_null(d);
    unsigned char *data = NULL;
    size_t len = 0;
    assert_int_equal(gw_ofd_finish_memory(d, &data, &len), -1);
    assert_null(data);
    assert_non_null(strstr(diag_text(f), "empty.ofd: the document has no pages"));

    /* A SOURCE_DATE_EPOCH that is not a number: no document, a message. */
    setenv("SOURCE_DATE_EPOCH", "garbage", 1);
    errors = f->s.diag.errors;
    d = gw_ofd_begin(NULL, "t.ofd", &f->s.diag);
    unsetenv("SOURCE_DATE_EPOCH");
    assert_null(d);
    assert_int_equal(f->s.diag.errors, errors + 1);
    assert_non_null(
        strstr(diag_text(f), "SOURCE_DATE_EPOCH: 'garbage' is not a number of seconds"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_zip_writer),
        cmocka_unit_test(test_zip_limits),
        cmocka_unit_test_setup_teardown(test_document_package, setup_fonts, teardown),
        cmocka_unit_test_setup_teardown(test_beyond_bmp_alone, setup_fonts, teardown),
        cmocka_unit_test_setup_teardown(test_shared_glyph_in_cmap, setup_plain, teardown),
        cmocka_unit_test_setup_teardown(test_reproducible, setup_fonts, teardown),
        cmocka_unit_test_setup_teardown(test_geometry, setup_fonts, teardown),
        cmocka_unit_test_setup_teardown(test_seal_png, setup_plain, teardown),
        cmocka_unit_test_setup_teardown(test_errors, setup_plain, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
