/* Unit tests of the PDF output: a laid-out document becomes a complete PDF file,
 * the output appears only when complete (no temporary file left, an existing
 * file replaced whole), and a failed write leaves the target as it was; the
 * PDF/A-1b objects (XMP, output intent, ID, Info) are there and the same input
 * gives the same bytes under SOURCE_DATE_EPOCH; the font objects (pdffont.c)
 * give every character an exact ToUnicode entry, above U+FFFF and for glyphs
 * two characters share. */
#define _GNU_SOURCE  /* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "scratch.h"
#include <hpdf.h>
#include <zlib.h>

#include "pdffont.h"
#include "pdfout.h"

#define SUNG "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"
#define LIBSERIF "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf"
#define HANAMINB "/usr/share/fonts/truetype/hanazono/HanaMinB.ttf"
#define NOTO_SERIF_BOLD "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc:2"

typedef struct fixture {
    scratch s;
    gw_fontset *fonts;
    gw_doc *doc;
    gw_layout *lay;
} fixture;

static int setup(void **state)
{
    if (access(SUNG, R_OK) || access(LIBSERIF, R_OK))
        return -1;
    fixture *f = calloc(1, sizeof *f);
    if (!f || scratch_open(&f->s, "test") != 0) {
        free(f);
        return -1;
    }
    f->fonts = scratch_fonts(SUNG, LIBSERIF, &f->s.diag);
    static const char xml[] = "<report version=\"1\"><meta><title>测试</title></meta>"
                              "<title>标题</title><p>正文 2022 年，共计 97.85%。</p></report>";
    f->doc = gw_doc_load_memory("t.xml", xml, sizeof xml - 1, NULL, NULL, &f->s.diag);
    f->lay = f->doc && f->fonts ? gw_layout_document(f->doc, f->fonts, NULL, &f->s.diag) : NULL;
    if (!f->lay)
        return -1;
    *state = f;
    return 0;
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

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    *len = (size_t)ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *buf = malloc(*len + 1);
    assert_int_equal(fread(buf, 1, *len, fp), *len);
    buf[*len] = '\0';
    fclose(fp);
    return buf;
}

static void test_writes_complete_pdf_replacing_old_file(void **state)
{
    fixture *f = *state;
    char path[128];
    snprintf(path, sizeof path, "%s/out.pdf", f->s.dir);
    FILE *old = fopen(path, "w");
    fputs("an older file", old);
    fclose(old);
    assert_int_equal(gw_pdf_write(f->lay, &f->doc->meta, path, &f->s.diag), 0);
    size_t len;
    char *pdf = slurp(path, &len);
    assert_true(len > 1000);
    assert_memory_equal(pdf, "%PDF-1.", 7);
    assert_non_null(strstr(pdf + len - 16, "%%EOF"));
    /* Embedded fonts are subsets: the whole document is far smaller than the face. */
    struct stat st;
    assert_int_equal(stat(SUNG, &st), 0);
    assert_true(len < (size_t)st.st_size / 20);
    assert_int_equal(scratch_count(f->s.dir), 1);           /* no temporary file left */
    struct stat out;
    assert_int_equal(stat(path, &out), 0);
    assert_true(S_ISREG(out.st_mode));
    free(pdf);
}

static void test_failed_write_leaves_target_alone(void **state)
{
    fixture *f = *state;
    /* The target is a directory: the rename cannot replace it. */
    char path[128];
    snprintf(path, sizeof path, "%s/target", f->s.dir);
    assert_int_equal(mkdir(path, 0755), 0);
    assert_int_equal(gw_pdf_write(f->lay, &f->doc->meta, path, &f->s.diag), -1);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(scratch_count(f->s.dir), 1);           /* nothing else appeared */
    fflush(f->s.sink);
    assert_non_null(strstr(f->s.sink_text, "target: cannot write"));
}

static void test_missing_directory_is_an_error(void **state)
{
    fixture *f = *state;
    char path[160];
    snprintf(path, sizeof path, "%s/no/such/dir/out.pdf", f->s.dir);
    assert_int_equal(gw_pdf_write(f->lay, &f->doc->meta, path, &f->s.diag), -1);
    assert_int_equal(scratch_count(f->s.dir), 0);
    fflush(f->s.sink);
    assert_non_null(strstr(f->s.sink_text, "out.pdf: cannot create a file in"));
}

static void test_render_to_memory(void **state)
{
    fixture *f = *state;
    unsigned char *data = NULL;
    size_t len = 0;
    assert_int_equal(gw_pdf_render_memory(f->lay, &f->doc->meta, &data, &len, &f->s.diag), 0);
    assert_true(len > 1000);
    assert_memory_equal(data, "%PDF-1.", 7);
    assert_memory_equal(data + len - 6, "%%EOF", 5);
    assert_int_equal(scratch_count(f->s.dir), 0);           /* nothing written to disk */
    free(data);
}

/* A page the PDF cannot draw (a glyph its face lacks: a layout bug) fails the
 * document: gw_pdf_failed says so, later pages are refused, and the document
 * can only be discarded. */
static void test_undrawable_page_fails_the_document(void **state)
{
    fixture *f = *state;
    gw_page page = f->lay->pages[0];
    gw_glyph *glyphs = malloc(page.n_glyphs * sizeof *glyphs);
    memcpy(glyphs, page.glyphs, page.n_glyphs * sizeof *glyphs);
    glyphs[0].cp = 0xE000;                       /* private use: not in AR PL SungtiL GB */
    assert_false(gw_face_has(glyphs[0].face, 0xE000));
    page.glyphs = glyphs;
    gw_pdf_doc *d = gw_pdf_begin(&f->doc->meta, "t.pdf", &f->s.diag);
    assert_non_null(d);
    assert_int_equal(gw_pdf_page_fn(d, &f->lay->pages[0]), 0);
    assert_false(gw_pdf_failed(d));
    assert_int_equal(gw_pdf_page_fn(d, &page), -1);
    assert_true(gw_pdf_failed(d));
    assert_int_equal(gw_pdf_add_page(d, &f->lay->pages[0]), -1);
    gw_pdf_discard(d);
    free(glyphs);
    fflush(f->s.sink);
    assert_non_null(strstr(f->s.sink_text, "t.pdf: cannot draw page 2"));
}

/* The pages' compression and writing run on the spill's worker thread: when
 * the temporary file cannot grow (here RLIMIT_FSIZE, as on a full disk), the
 * failure comes back to the document — at a later page, or at the end — with
 * the system's reason, and no PDF is made. */
static void test_spill_write_failure_fails_the_document(void **state)
{
    fixture *f = *state;
    struct rlimit old;
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    void (*was)(int) = signal(SIGXFSZ, SIG_IGN);
    struct rlimit none = { 0, old.rlim_max };
    for (int pages = 1; pages <= 40; pages += 39) {
        assert_int_equal(setrlimit(RLIMIT_FSIZE, &none), 0);
        gw_pdf_doc *d = gw_pdf_begin(&f->doc->meta, "t.pdf", &f->s.diag);
        assert_non_null(d);
        int rc = 0;
        for (int i = 0; i < pages && rc == 0; i++)
            rc = gw_pdf_add_page(d, &f->lay->pages[0]);
        unsigned char *data = NULL;
        size_t len = 0;
        if (rc == 0)
            rc = gw_pdf_finish_memory(d, &data, &len);
        else
            gw_pdf_discard(d);
        assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
        assert_int_equal(rc, -1);
        assert_null(data);
        fflush(f->s.sink);
        assert_non_null(strstr(f->s.sink_text, pages == 1 ? "t.pdf: cannot write the pages to the "
                                                          "temporary file: File too large"
                                                        : "to the temporary file: File too large"));
    }
    signal(SIGXFSZ, was);
}

/* Page contents wait in an unnamed file in $TMPDIR until the save: nothing is
 * left in that directory, and a $TMPDIR that does not exist falls back to /tmp. */
static void test_pages_spill_to_an_unnamed_file(void **state)
{
    fixture *f = *state;
    const char *old = getenv("TMPDIR");
    char *saved = old ? strdup(old) : NULL;
    unsigned char *a = NULL, *b = NULL;
    size_t la = 0, lb = 0;
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    setenv("TMPDIR", f->s.dir, 1);
    assert_int_equal(gw_pdf_render_memory(f->lay, &f->doc->meta, &a, &la, &f->s.diag), 0);
    assert_int_equal(scratch_count(f->s.dir), 0);
    setenv("TMPDIR", "/nonexistent/gwpdf-test", 1);
    assert_int_equal(gw_pdf_render_memory(f->lay, &f->doc->meta, &b, &lb, &f->s.diag), 0);
    unsetenv("SOURCE_DATE_EPOCH");
    if (saved)
        setenv("TMPDIR", saved, 1);
    else
        unsetenv("TMPDIR");
    free(saved);
    assert_int_equal(la, lb);                                 /* the same file either way */
    assert_memory_equal(a, b, la);
    free(a);
    free(b);
}

/* Found by the fuzzer (tests/fuzz/regressions/pdfout-charspace-out-of-range-
 * justified-short-line.xml): two characters justified across a line, before a
 * Latin word wider than the line, need more character spacing than libharu
 * takes; they are drawn one by one instead of failing. */
static void test_wide_justification(void **state)
{
    fixture *f = *state;
    static const char xml[] = "<report version=\"1\"><title>T</title>"
                              "<p>换行KKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKK</p></report>";
    gw_doc *doc = gw_doc_load_memory("w.xml", xml, sizeof xml - 1, NULL, NULL, &f->s.diag);
    assert_non_null(doc);
    gw_layout *lay = gw_layout_document(doc, f->fonts, NULL, &f->s.diag);
    assert_non_null(lay);
    unsigned char *data = NULL;
    size_t len = 0;
    assert_int_equal(gw_pdf_render_memory(lay, &doc->meta, &data, &len, &f->s.diag), 0);
    assert_memory_equal(data, "%PDF-1.", 7);
    free(data);
    gw_layout_free(lay);
    gw_doc_free(doc);
}

/* ---- PDF/A-1b and reproducibility -------------------------------------- */

static bool contains(const unsigned char *data, size_t len, const char *needle)
{
    return memmem(data, len, needle, strlen(needle)) != NULL;
}

static unsigned char *render(fixture *f, size_t *len)
{
    unsigned char *data = NULL;
    assert_int_equal(gw_pdf_render_memory(f->lay, &f->doc->meta, &data, len, &f->s.diag), 0);
    return data;
}

static void test_pdfa_objects(void **state)
{
    fixture *f = *state;
    size_t len;
    unsigned char *d = render(f, &len);
    assert_memory_equal(d, "%PDF-1.4\n%", 10);
    const char *expect[] = {
        "/Type /Metadata", "/Subtype /XML", "<pdfaid:part>1</pdfaid:part>",
        "<pdfaid:conformance>B</pdfaid:conformance>",
        "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">测试</rdf:li>",   /* meta title, UTF-8 */
        "/Title <FEFF6D4B8BD5>",                                              /* the same, UTF-16 */
        "/OutputIntents [", "/S /GTS_PDFA1", "/DestOutputProfile", "/N 3",
        "/ID [", "/Type0", "/Encoding /Identity-H", "/CIDFontType2", "/CIDToGIDMap ",
        "/CapHeight", "/CIDSet", "/FontFile2", "/ToUnicode", "/Outlines",
    };
    for (size_t i = 0; i < sizeof expect / sizeof *expect; i++)
        if (!contains(d, len, expect[i]))
            fail_msg("missing from the PDF: %s", expect[i]);
    free(d);
}

static void test_source_date_epoch_reproducible(void **state)
{
    fixture *f = *state;
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    size_t len1, len2;
    unsigned char *a = render(f, &len1);
    unsigned char *b = render(f, &len2);
    unsetenv("SOURCE_DATE_EPOCH");
    assert_int_equal(len1, len2);
    assert_memory_equal(a, b, len1);
    assert_true(contains(a, len1, "/CreationDate (D:20231114221320+00'00')"));
    assert_true(contains(a, len1, "<xmp:CreateDate>2023-11-14T22:13:20+00:00</xmp:CreateDate>"));
    free(a);
    free(b);
}

static void test_bad_source_date_epoch(void **state)
{
    fixture *f = *state;
    setenv("SOURCE_DATE_EPOCH", "12abc", 1);
    unsigned char *data = NULL;
    size_t len = 0;
    int rc = gw_pdf_render_memory(f->lay, &f->doc->meta, &data, &len, &f->s.diag);
    unsetenv("SOURCE_DATE_EPOCH");
    assert_int_equal(rc, -1);
    assert_null(data);
    fflush(f->s.sink);
    assert_non_null(strstr(f->s.sink_text, "SOURCE_DATE_EPOCH: '12abc' is not a number of seconds"));
}

/* ---- font objects ---------------------------------------------------------- */

/* The inflated bytes of a stream object (NUL-terminated, malloc'd). */
static unsigned char *stream_bytes(HPDF_Dict s, size_t *len)
{
    HPDF_UINT32 zlen = s->stream->size;
    unsigned char *z = malloc(zlen);
    assert_int_equal(HPDF_Stream_Seek(s->stream, 0, HPDF_SEEK_SET), HPDF_OK);
    assert_int_equal(HPDF_Stream_Read(s->stream, z, &zlen), HPDF_OK);
    uLongf cap = 1 << 20;
    unsigned char *bytes = malloc(cap + 1);
    assert_int_equal(uncompress(bytes, &cap, z, zlen), Z_OK);
    bytes[cap] = '\0';
    *len = cap;
    free(z);
    return bytes;
}

static char *stream_text(HPDF_Dict s)
{
    size_t len;
    return (char *)stream_bytes(s, &len);
}

static char *to_unicode_of(HPDF_Dict type0)
{
    HPDF_Dict cmap = HPDF_Dict_GetItem(type0, "ToUnicode", HPDF_OCLASS_DICT);
    assert_non_null(cmap);
    return stream_text(cmap);
}

static gw_fontset *open_one(const char *path, gw_diag *d)
{
    gw_font_options o = { .explicit_only = true };
    for (int r = 0; r < GW_ROLE_COUNT; r++)
        o.role_paths[r] = path;
    gw_fontset *fs = gw_fonts_open(&o, d);
    assert_non_null(fs);
    return fs;
}

/* The big-endian glyph id a CIDFontType2's CIDToGIDMap stream gives a CID. */
static unsigned gid_of_cid(HPDF_Dict type0, uint16_t cid)
{
    HPDF_Array desc = HPDF_Dict_GetItem(type0, "DescendantFonts", HPDF_OCLASS_ARRAY);
    assert_non_null(desc);
    HPDF_Dict cf = HPDF_Array_GetItem(desc, 0, HPDF_OCLASS_DICT);
    assert_non_null(cf);
    HPDF_Dict map = HPDF_Dict_GetItem(cf, "CIDToGIDMap", HPDF_OCLASS_DICT);
    assert_non_null(map);
    size_t len;
    unsigned char *b = stream_bytes(map, &len);
    assert_true(2u * cid + 1 < len);
    unsigned gid = (unsigned)b[2 * cid] << 8 | b[2 * cid + 1];
    free(b);
    return gid;
}

/* Liberation Serif draws '-' and the soft hyphen U+00AD with one glyph: in a
 * TrueType face each character gets a CID of its own, both mapped to the glyph
 * by the CIDToGIDMap, so each copies out as itself through one Type0 font.
 * Codes are fixed on first use, before the subset. */
static void test_shared_glyph_gets_its_own_cid(void **state)
{
    fixture *f = *state;
    gw_fontset *fs = open_one(LIBSERIF, &f->s.diag);
    gw_face *face = gw_fonts_chain_face(fs, GW_ROLE_BODY, 0);
    HPDF_Doc pdf = HPDF_New(NULL, NULL);
    pdf_deflater z = { 0 };
    pdf_font *pf = pdf_font_new(pdf, &z, face);
    assert_non_null(pf);
    HPDF_Dict t_hyphen, t_soft, t_a, t;
    uint16_t c_hyphen, c_soft, c_a, c;
    int w;
    assert_true(pdf_font_draw(pf, '-', &t_hyphen, &c_hyphen, &w));
    assert_true(pdf_font_draw(pf, 0xAD, &t_soft, &c_soft, &w));
    assert_true(pdf_font_draw(pf, 'A', &t_a, &c_a, &w));
    assert_false(pdf_font_draw(pf, 0x4E00, &t, &c, &w));          /* not in the face */
    assert_true(pdf_font_draw(pf, 'A', &t, &c, &w));
    assert_int_equal(c, c_a);                                    /* stable */
    assert_ptr_equal(t, t_a);
    assert_int_equal(w, gw_face_advance(face, 'A'));
    /* First use numbers the codes: 1, 2, 3. */
    assert_int_equal(c_hyphen, 1);
    assert_int_equal(c_soft, 2);
    assert_int_equal(c_a, 3);
    assert_ptr_equal(t_hyphen, t_soft);                          /* one font */
    assert_ptr_equal(t_hyphen, t_a);
    assert_int_equal(pdf_font_finish(pf, NULL, &f->s.diag), 0);
    assert_int_equal(gid_of_cid(t_a, c_hyphen), gid_of_cid(t_a, c_soft));   /* one glyph */
    assert_int_not_equal(gid_of_cid(t_a, c_hyphen), gid_of_cid(t_a, c_a));
    assert_int_equal(gid_of_cid(t_a, 0), 0);
    char *u = to_unicode_of(t_hyphen), line[64];
    snprintf(line, sizeof line, "<%04X> <002D>", c_hyphen);
    assert_non_null(strstr(u, line));
    snprintf(line, sizeof line, "<%04X> <00AD>", c_soft);
    assert_non_null(strstr(u, line));
    snprintf(line, sizeof line, "<%04X> <0041>", c_a);
    assert_non_null(strstr(u, line));
    assert_non_null(strstr(u, "3 beginbfchar"));
    assert_non_null(strstr(u, "/CMapType 2 def"));
    free(u);
    pdf_font_free(pf);
    pdf_deflater_free(&z);
    HPDF_Free(pdf);
    gw_fonts_close(fs);
}

/* Two characters the face draws with one glyph (a Kangxi radical or a
 * compatibility ideograph and its unified twin); false when none is found. */
static bool find_shared_glyph(gw_face *face, uint32_t *first, uint32_t *second)
{
    static const uint32_t ranges[][2] = { { 0x4E00, 0x9FFF }, { 0x2F00, 0x2FD5 }, { 0xF900, 0xFAFF } };
    uint32_t *owner = calloc(65536, sizeof *owner);
    bool found = false;
    for (size_t r = 0; r < 3 && !found; r++)
        for (uint32_t cp = ranges[r][0]; cp <= ranges[r][1] && !found; cp++) {
            uint16_t code;
            unsigned variant;
            if (!gw_face_code(face, cp, &code, &variant))
                continue;
            if (variant == 1) {
                *first = owner[code];
                *second = cp;
                found = true;
            }
            owner[code] = cp;
        }
    free(owner);
    return found;
}

/* A CFF face's CIDs are fixed by the font, so a second character on a glyph
 * is drawn through a second Type0 font over the same CIDFont, whose ToUnicode
 * says that character. */
static void test_cff_shared_glyph_gets_its_own_type0(void **state)
{
    fixture *f = *state;
    if (access("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc", R_OK))
        skip();
    gw_fontset *scan = open_one(NOTO_SERIF_BOLD, &f->s.diag);
    uint32_t a = 0, b = 0;
    bool found = find_shared_glyph(gw_fonts_chain_face(scan, GW_ROLE_BODY, 0), &a, &b);
    gw_fonts_close(scan);
    if (!found)
        skip();
    gw_fontset *fs = open_one(NOTO_SERIF_BOLD, &f->s.diag);
    gw_face *face = gw_fonts_chain_face(fs, GW_ROLE_BODY, 0);
    HPDF_Doc pdf = HPDF_New(NULL, NULL);
    pdf_deflater z = { 0 };
    pdf_font *pf = pdf_font_new(pdf, &z, face);
    HPDF_Dict ta, tb, tx;
    uint16_t ca, cb, cx;
    int w;
    assert_true(pdf_font_draw(pf, a, &ta, &ca, &w));
    assert_true(pdf_font_draw(pf, b, &tb, &cb, &w));
    assert_true(pdf_font_draw(pf, 0x56FD, &tx, &cx, &w));        /* 国: a glyph of its own */
    assert_int_equal(ca, cb);
    assert_ptr_not_equal(ta, tb);
    assert_ptr_equal(ta, tx);
    assert_int_equal(pdf_font_finish(pf, NULL, &f->s.diag), 0);
    HPDF_Array da = HPDF_Dict_GetItem(ta, "DescendantFonts", HPDF_OCLASS_ARRAY);
    HPDF_Array db = HPDF_Dict_GetItem(tb, "DescendantFonts", HPDF_OCLASS_ARRAY);
    assert_ptr_equal(HPDF_Array_GetItem(da, 0, HPDF_OCLASS_DICT),
                     HPDF_Array_GetItem(db, 0, HPDF_OCLASS_DICT));   /* one CIDFont */
    char *ua = to_unicode_of(ta), *ub = to_unicode_of(tb), line[64];
    snprintf(line, sizeof line, "<%04X> <%04X>", ca, a);
    assert_non_null(strstr(ua, line));
    snprintf(line, sizeof line, "<%04X> <%04X>", cb, b);
    assert_non_null(strstr(ub, line));
    assert_non_null(strstr(ub, "1 beginbfchar"));
    free(ua);
    free(ub);
    pdf_font_free(pf);
    pdf_deflater_free(&z);
    HPDF_Free(pdf);
    gw_fonts_close(fs);
}

/* Above U+FFFF the ToUnicode value is a UTF-16 surrogate pair. */
static void test_tounicode_surrogate_pairs(void **state)
{
    fixture *f = *state;
    if (access(HANAMINB, R_OK))
        skip();
    gw_fontset *fs = open_one(HANAMINB, &f->s.diag);
    gw_face *face = gw_fonts_chain_face(fs, GW_ROLE_BODY, 0);
    HPDF_Doc pdf = HPDF_New(NULL, NULL);
    pdf_deflater z = { 0 };
    pdf_font *pf = pdf_font_new(pdf, &z, face);
    assert_non_null(pf);
    HPDF_Dict t;
    uint16_t code, code2;
    int w;
    assert_true(pdf_font_draw(pf, 0x20BB7, &t, &code, &w));     /* 𠮷 = D842 DFB7 */
    assert_int_equal(w, 1000);
    assert_true(pdf_font_draw(pf, 0x2A6A5, &t, &code2, &w));    /* 𪚥 = D869 DEA5 */
    assert_int_equal(pdf_font_finish(pf, NULL, &f->s.diag), 0);
    char *u = to_unicode_of(t), line[64];
    snprintf(line, sizeof line, "<%04X> <D842DFB7>", code);
    assert_non_null(strstr(u, line));
    snprintf(line, sizeof line, "<%04X> <D869DEA5>", code2);
    assert_non_null(strstr(u, line));
    free(u);
    pdf_font_free(pf);
    pdf_deflater_free(&z);
    HPDF_Free(pdf);
    gw_fonts_close(fs);
}

/* The W array lists only the glyphs whose width differs from DW. */
static void test_widths(void **state)
{
    fixture *f = *state;
    gw_fontset *fs = open_one(SUNG, &f->s.diag);
    gw_face *face = gw_fonts_chain_face(fs, GW_ROLE_BODY, 0);
    const uint32_t cps[] = { 0x4E00, 0x4E8C, 0x4E09, 0x56DB, 'a' };
    HPDF_Doc pdf = HPDF_New(NULL, NULL);
    pdf_deflater z = { 0 };
    pdf_font *pf = pdf_font_new(pdf, &z, face);
    assert_non_null(pf);
    HPDF_Dict t;
    uint16_t code;
    int w;
    for (size_t i = 0; i < 5; i++)
        assert_true(pdf_font_draw(pf, cps[i], &t, &code, &w));
    assert_int_equal(w, gw_face_advance(face, 'a'));
    assert_int_equal(pdf_font_finish(pf, NULL, &f->s.diag), 0);
    HPDF_Array desc = HPDF_Dict_GetItem(t, "DescendantFonts", HPDF_OCLASS_ARRAY);
    HPDF_Dict cid = HPDF_Array_GetItem(desc, 0, HPDF_OCLASS_DICT);
    HPDF_Number dw = HPDF_Dict_GetItem(cid, "DW", HPDF_OCLASS_NUMBER);
    assert_int_equal(dw->value, 1000);
    HPDF_Array warr = HPDF_Dict_GetItem(cid, "W", HPDF_OCLASS_ARRAY);
    assert_int_equal(HPDF_Array_Items(warr), 2);                 /* code [width] */
    HPDF_Number first = HPDF_Array_GetItem(warr, 0, HPDF_OCLASS_NUMBER);
    assert_int_equal(first->value, code);
    HPDF_Array run = HPDF_Array_GetItem(warr, 1, HPDF_OCLASS_ARRAY);
    HPDF_Number width = HPDF_Array_GetItem(run, 0, HPDF_OCLASS_NUMBER);
    assert_int_equal(width->value, w);
    pdf_font_free(pf);
    pdf_deflater_free(&z);
    HPDF_Free(pdf);
    gw_fonts_close(fs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_writes_complete_pdf_replacing_old_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_write_leaves_target_alone, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_directory_is_an_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_render_to_memory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pages_spill_to_an_unnamed_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_spill_write_failure_fails_the_document, setup, teardown),
        cmocka_unit_test_setup_teardown(test_undrawable_page_fails_the_document, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wide_justification, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pdfa_objects, setup, teardown),
        cmocka_unit_test_setup_teardown(test_source_date_epoch_reproducible, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_source_date_epoch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shared_glyph_gets_its_own_cid, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cff_shared_glyph_gets_its_own_type0, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tounicode_surrogate_pairs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_widths, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
