/* test_fonts — unit tests of the fonts module (src/fonts/fonts.c): role names, the
 * default resolution on a Debian machine, explicit --font chains, the fonts/
 * directory, error reports, coverage, metrics and hb-subset output.
 * Uses the free Debian fonts (fonts-arphic-gbsn00lp, fonts-arphic-gkai00mp,
 * fonts-wqy-zenhei, fonts-liberation); tests skip when they are missing. */
#include "fonts.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_TRUETYPE_TABLES_H
#include FT_TRUETYPE_TAGS_H

#define SUNG "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"
#define KAI "/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf"
#define ZENHEI "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
#define LIBSERIF "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf"
/* CFF outlines (fonts-noto-cjk): face 2 of the collection is Noto Serif CJK SC. */
#define NOTO_SERIF_BOLD "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc"
/* CJK Extension B (fonts-hanazono). */
#define HANAMINB "/usr/share/fonts/truetype/hanazono/HanaMinB.ttf"

/* ---- helpers ------------------------------------------------------------ */

static void need_debian_fonts(void)
{
    if (access(SUNG, R_OK) || access(KAI, R_OK) || access(ZENHEI, R_OK) || access(LIBSERIF, R_OK) ||
        access(NOTO_SERIF_BOLD, R_OK) || access(HANAMINB, R_OK))
        skip();
}

/* Diagnostics captured in memory. */
typedef struct capture {
    char *buf;
    size_t len;
    FILE *fp;
    gw_diag d;
} capture;

static void cap_open(capture *c)
{
    c->buf = NULL;
    c->len = 0;
    c->fp = open_memstream(&c->buf, &c->len);
    assert_non_null(c->fp);
    c->d = gw_diag_init(c->fp);
}

static const char *cap_text(capture *c)
{
    fflush(c->fp);
    return c->buf ? c->buf : "";
}

static void cap_close(capture *c)
{
    fclose(c->fp);
    free(c->buf);
}

/* Every role from the Debian files, nothing searched. */
static gw_font_options explicit_options(void)
{
    gw_font_options o;
    memset(&o, 0, sizeof o);
    o.role_paths[GW_ROLE_BODY] = SUNG;
    o.role_paths[GW_ROLE_TITLE] = SUNG;
    o.role_paths[GW_ROLE_HEADING1] = ZENHEI ":0";
    o.role_paths[GW_ROLE_HEADING2] = KAI;
    o.role_paths[GW_ROLE_LABEL] = ZENHEI ":0";
    o.role_paths[GW_ROLE_PAGENUM] = SUNG;
    o.role_paths[GW_ROLE_LATIN] = LIBSERIF;
    o.explicit_only = true;
    return o;
}

static gw_face *first_face(const gw_fontset *fs, gw_role role)
{
    assert_true(gw_fonts_chain_len(fs, role) >= 1);
    return gw_fonts_chain_face(fs, role, 0);
}

static unsigned char *read_file(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    assert_int_equal(fseek(fp, 0, SEEK_END), 0);
    long n = ftell(fp);
    assert_true(n > 0);
    rewind(fp);
    unsigned char *buf = malloc((size_t)n);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
    fclose(fp);
    *len = (size_t)n;
    return buf;
}

static void write_file(const char *path, const void *data, size_t len)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
}

static unsigned be16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
}

/* Offset of the table directory record of `tag` in a single-face sfnt. */
static size_t table_record(const unsigned char *font, size_t len, const char *tag)
{
    unsigned n = be16(font + 4);
    for (unsigned i = 0; i < n; i++) {
        size_t rec = 12 + 16 * (size_t)i;
        assert_true(rec + 16 <= len);
        if (memcmp(font + rec, tag, 4) == 0)
            return rec;
    }
    fail_msg("table %s not found", tag);
    return 0;
}

/* Rename every family name (IDs 1 and 16) of a single-face TrueType font to
 * `name` (UTF-16 code units), in place; Macintosh records are retired. */
static void patch_family(unsigned char *font, size_t len, const uint16_t *name, size_t n)
{
    size_t rec = table_record(font, len, "name");
    const unsigned char *tbl = font + be32(font + rec + 8);
    unsigned count = be16(tbl + 2), strings = be16(tbl + 4);
    for (unsigned i = 0; i < count; i++) {
        unsigned char *r = (unsigned char *)tbl + 6 + 12 * (size_t)i;
        unsigned platform = be16(r), id = be16(r + 6), slen = be16(r + 8), off = be16(r + 10);
        if (id != 1 && id != 16)
            continue;
        if (platform != 0 && platform != 3) {
            put16(r + 6, 255);
            continue;
        }
        assert_true(slen >= 2 * n);
        unsigned char *s = (unsigned char *)tbl + strings + off;
        for (size_t k = 0; k < n; k++)
            put16(s + 2 * k, name[k]);
        put16(r + 8, (unsigned)(2 * n));
    }
}

static char *make_tmpdir(void)
{
    char tmpl[] = "/tmp/gw-fonts-XXXXXX";
    char *dir = mkdtemp(tmpl);
    assert_non_null(dir);
    char *copy = malloc(strlen(dir) + 1);
    assert_non_null(copy);
    strcpy(copy, dir);
    return copy;
}

static char *join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    assert_non_null(p);
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

static void remove_tree(char *dir, const char *const *names)
{
    for (; *names; names++) {
        char *p = join(dir, *names);
        unlink(p);
        free(p);
    }
    assert_int_equal(rmdir(dir), 0);
    free(dir);
}

/* ---- role names --------------------------------------------------------- */

static void test_role_names(void **state)
{
    (void)state;
    const char *names[GW_ROLE_COUNT] = { "body", "title", "heading1", "heading2",
                                         "label", "pagenum", "latin" };
    for (int r = 0; r < GW_ROLE_COUNT; r++) {
        gw_role parsed = GW_ROLE_COUNT;
        assert_string_equal(gw_role_name((gw_role)r), names[r]);
        assert_true(gw_role_parse(gw_role_name((gw_role)r), &parsed));
        assert_int_equal(parsed, r);
    }
    gw_role unused;
    assert_false(gw_role_parse("Body", &unused));
    assert_false(gw_role_parse("", &unused));
    assert_false(gw_role_parse(NULL, &unused));
    assert_string_equal(gw_role_design(GW_ROLE_BODY), "仿宋");
    assert_string_equal(gw_role_design(GW_ROLE_TITLE), "小标宋");
    assert_string_equal(gw_role_design(GW_ROLE_HEADING1), "黑体");
    assert_string_equal(gw_role_design(GW_ROLE_HEADING2), "楷体");
    assert_string_equal(gw_role_design(GW_ROLE_LABEL), "黑体");
    assert_string_equal(gw_role_design(GW_ROLE_PAGENUM), "宋体");
    assert_string_equal(gw_role_design(GW_ROLE_LATIN), "Times New Roman");
}

/* ---- default resolution through fontconfig ------------------------------ */

static void test_default_resolution(void **state)
{
    (void)state;
    need_debian_fonts();
    capture cap;
    cap_open(&cap);
    gw_font_options o;
    memset(&o, 0, sizeof o);
    gw_fontset *fs = gw_fonts_open(&o, &cap.d);
    assert_non_null(fs);
    assert_int_equal(cap.d.errors, 0);

    assert_string_equal(gw_face_family(first_face(fs, GW_ROLE_BODY)), "AR PL SungtiL GB");
    assert_int_equal(gw_fonts_role_source(fs, GW_ROLE_BODY), GW_SRC_FALLBACK);
    /* 小标宋: the Bold face of Noto Serif CJK SC (CFF), a real bold Song design. */
    assert_string_equal(gw_face_family(first_face(fs, GW_ROLE_TITLE)), "Noto Serif CJK SC");
    assert_string_equal(gw_face_path(first_face(fs, GW_ROLE_TITLE)), NOTO_SERIF_BOLD);
    assert_int_equal(gw_face_index(first_face(fs, GW_ROLE_TITLE)), 2);
    assert_string_equal(gw_face_family(first_face(fs, GW_ROLE_PAGENUM)), "AR PL SungtiL GB");
    assert_string_equal(gw_face_family(first_face(fs, GW_ROLE_HEADING1)), "WenQuanYi Zen Hei");
    assert_int_equal(gw_face_index(first_face(fs, GW_ROLE_HEADING1)), 0);
    assert_string_equal(gw_face_family(first_face(fs, GW_ROLE_LABEL)), "WenQuanYi Zen Hei");
    assert_string_equal(gw_face_family(first_face(fs, GW_ROLE_HEADING2)), "AR PL KaitiM GB");
    assert_string_equal(gw_face_family(first_face(fs, GW_ROLE_LATIN)), "Liberation Serif");
    assert_int_equal(gw_fonts_role_source(fs, GW_ROLE_LATIN), GW_SRC_FALLBACK);
    assert_string_equal(gw_face_path(first_face(fs, GW_ROLE_LATIN)), LIBSERIF);
    assert_false(gw_fonts_synthetic_bold(fs, GW_ROLE_TITLE));
    assert_false(gw_fonts_synthetic_bold(fs, GW_ROLE_BODY));
    /* A character the GB2312-only Song face lacks (堃 U+5803) is drawn by a
     * face of wider coverage later in the chain. */
    assert_false(gw_face_has(first_face(fs, GW_ROLE_BODY), 0x5803));
    gw_face *wide = gw_fonts_face_for(fs, GW_ROLE_BODY, 0x5803);
    assert_non_null(wide);
    assert_true(gw_face_has(wide, 0x5803));
    assert_true(gw_fonts_chain_len(fs, GW_ROLE_BODY) >= 2);
    /* Body and pagenum share the Song face. */
    assert_ptr_equal(first_face(fs, GW_ROLE_BODY), first_face(fs, GW_ROLE_PAGENUM));

    /* Opening says nothing of the stand-ins: the CLI reports them after the
     * document's own messages, one line for all, or one per role. */
    assert_int_equal(cap.d.warnings, 0);
    assert_string_equal(cap_text(&cap), "");
    assert_int_equal(gw_fonts_standins(fs), GW_ROLE_COUNT);
    gw_fonts_report_standin_summary(fs, &cap.d);
    assert_string_equal(cap_text(&cap), "warning: 7 font roles are drawn by stand-in faces, not by "
                        "仿宋, 小标宋, 黑体, 楷体, 宋体 and Times New Roman: `gwpdf fonts` (or "
                        "--verbose) shows which\n");
    gw_fonts_report_standins(fs, &cap.d);
    const char *text = cap_text(&cap);
    assert_non_null(strstr(text, "warning: font role body (仿宋): no 仿宋 face found; "
                                 "using AR PL SungtiL GB (" SUNG ")"));
    assert_non_null(strstr(text, "font role title (小标宋): no 小标宋 face found"));
    assert_non_null(strstr(text, "using Noto Serif CJK SC (" NOTO_SERIF_BOLD ":2)\n"));
    assert_null(strstr(text, "synthetic bold"));
    assert_non_null(strstr(text, "font role heading1 (黑体)"));
    assert_non_null(strstr(text, "font role latin (Times New Roman)"));
    assert_int_equal(cap.d.warnings, 1 + GW_ROLE_COUNT);
    gw_fonts_close(fs);
    cap_close(&cap);
}

/* ---- explicit --font faces ---------------------------------------------- */

static void test_explicit_only(void **state)
{
    (void)state;
    need_debian_fonts();
    capture cap;
    cap_open(&cap);
    gw_font_options o = explicit_options();
    gw_fontset *fs = gw_fonts_open(&o, &cap.d);
    assert_non_null(fs);
    assert_int_equal(cap.d.errors, 0);
    assert_int_equal(cap.d.warnings, 0);
    for (int r = 0; r < GW_ROLE_COUNT; r++) {
        assert_int_equal(gw_fonts_chain_len(fs, (gw_role)r), 1);
        assert_int_equal(gw_fonts_role_source(fs, (gw_role)r), GW_SRC_OPTION);
        assert_false(gw_fonts_synthetic_bold(fs, (gw_role)r));
    }
    gw_face *hei = first_face(fs, GW_ROLE_HEADING1);
    assert_string_equal(gw_face_path(hei), ZENHEI);
    assert_int_equal(gw_face_index(hei), 0);
    assert_string_equal(gw_face_family(hei), "WenQuanYi Zen Hei");
    assert_string_equal(gw_face_family(first_face(fs, GW_ROLE_BODY)), "AR PL SungtiL GB");
    assert_string_equal(gw_face_family(first_face(fs, GW_ROLE_HEADING2)), "AR PL KaitiM GB");
    assert_string_equal(gw_face_postscript(first_face(fs, GW_ROLE_LATIN)), "LiberationSerif");
    assert_int_equal(gw_fonts_face_count(fs), 4);
    assert_null(gw_fonts_chain_face(fs, GW_ROLE_BODY, 1));
    gw_fonts_close(fs);
    cap_close(&cap);
}

/* Which face draws what: Latin digits for body and heading2, CJK punctuation. */
static void test_face_for_roles(void **state)
{
    (void)state;
    need_debian_fonts();
    gw_font_options o = explicit_options();
    gw_diag d = gw_diag_init(NULL);
    gw_fontset *fs = gw_fonts_open(&o, &d);
    assert_non_null(fs);
    gw_face *sung = first_face(fs, GW_ROLE_BODY);
    gw_face *kai = first_face(fs, GW_ROLE_HEADING2);
    gw_face *hei = first_face(fs, GW_ROLE_HEADING1);
    gw_face *latin = first_face(fs, GW_ROLE_LATIN);

    /* body and heading2 take digits, Latin letters, ASCII punctuation and
     * the space from the Latin face… */
    const uint32_t latinish[] = { '1', 'A', 'z', '(', '.', ' ', 0xE9 /* é */, 0xA0 };
    for (size_t i = 0; i < sizeof latinish / sizeof *latinish; i++) {
        assert_ptr_equal(gw_fonts_face_for(fs, GW_ROLE_BODY, latinish[i]), latin);
        assert_ptr_equal(gw_fonts_face_for(fs, GW_ROLE_HEADING2, latinish[i]), latin);
    }
    /* …but quotes, dashes, ellipses and ideographic punctuation from the CJK face. */
    const uint32_t cjk[] = { 0x56FD /* 国 */, 0x201C, 0x201D, 0x2018, 0x2019, 0x2014,
                             0x2026, 0x3002, 0xFF0C, 0xFF08 };
    for (size_t i = 0; i < sizeof cjk / sizeof *cjk; i++) {
        assert_true(gw_face_has(latin, cjk[i]) || cjk[i] >= 0x3000);
        assert_ptr_equal(gw_fonts_face_for(fs, GW_ROLE_BODY, cjk[i]), sung);
        assert_ptr_equal(gw_fonts_face_for(fs, GW_ROLE_HEADING2, cjk[i]), kai);
    }
    if (gw_face_has(sung, 0xB7))  /* 间隔号 stays Chinese */
        assert_ptr_equal(gw_fonts_face_for(fs, GW_ROLE_BODY, 0xB7), sung);
    /* The other roles draw their own digits. */
    assert_ptr_equal(gw_fonts_face_for(fs, GW_ROLE_TITLE, '1'), sung);
    assert_ptr_equal(gw_fonts_face_for(fs, GW_ROLE_PAGENUM, '7'), sung);
    assert_ptr_equal(gw_fonts_face_for(fs, GW_ROLE_HEADING1, 'A'), hei);
    assert_ptr_equal(gw_fonts_face_for(fs, GW_ROLE_LABEL, '2'), hei);
    assert_ptr_equal(gw_fonts_face_for(fs, GW_ROLE_LATIN, '1'), latin);
    assert_null(gw_fonts_face_for(fs, GW_ROLE_LATIN, 0x56FD));
    gw_fonts_close(fs);
}

/* A Latin face first in the body chain: ideographs fall through to the next face. */
static void test_fallback_chain(void **state)
{
    (void)state;
    need_debian_fonts();
    gw_font_options o = explicit_options();
    o.role_paths[GW_ROLE_BODY] = LIBSERIF "," SUNG;
    capture cap;
    cap_open(&cap);
    gw_fontset *fs = gw_fonts_open(&o, &cap.d);
    assert_non_null(fs);
    assert_int_equal(gw_fonts_chain_len(fs, GW_ROLE_BODY), 2);
    gw_face *lib = gw_fonts_chain_face(fs, GW_ROLE_BODY, 0);
    gw_face *sung = gw_fonts_chain_face(fs, GW_ROLE_BODY, 1);
    assert_string_equal(gw_face_path(lib), LIBSERIF);
    assert_string_equal(gw_face_path(sung), SUNG);
    assert_ptr_equal(gw_fonts_face_for(fs, GW_ROLE_BODY, 0x56FD), sung);
    assert_ptr_equal(gw_fonts_face_for(fs, GW_ROLE_BODY, 'A'), lib);
    assert_false(gw_face_has(lib, 0x56FD));
    assert_true(gw_face_has(sung, 0x56FD));
    /* The Latin role's face is the same file: loaded once. */
    assert_ptr_equal(lib, first_face(fs, GW_ROLE_LATIN));
    assert_int_equal(gw_fonts_face_count(fs), 4);
    gw_fonts_close(fs);
    cap_close(&cap);
}

static void test_no_face_has_it(void **state)
{
    (void)state;
    need_debian_fonts();
    gw_font_options o;
    memset(&o, 0, sizeof o);
    for (int r = 0; r < GW_ROLE_COUNT; r++)
        o.role_paths[r] = SUNG;
    o.explicit_only = true;
    gw_diag d = gw_diag_init(NULL);
    gw_fontset *fs = gw_fonts_open(&o, &d);
    assert_non_null(fs);
    assert_int_equal(gw_fonts_face_count(fs), 1);
    gw_face *sung = gw_fonts_face_at(fs, 0);
    const uint32_t missing[] = { 0x20BB7 /* 𠮷 */, 0x10FFFD, 0xF0000 };
    for (size_t i = 0; i < sizeof missing / sizeof *missing; i++) {
        for (int r = 0; r < GW_ROLE_COUNT; r++)
            assert_null(gw_fonts_face_for(fs, (gw_role)r, missing[i]));
        assert_false(gw_face_has(sung, missing[i]));
        assert_int_equal(gw_face_advance(sung, missing[i]), 0);
        int x0, y0, x1, y1;
        assert_false(gw_face_glyph_box(sung, missing[i], &x0, &y0, &x1, &y1));
    }
    assert_null(gw_fonts_face_at(fs, 1));
    gw_fonts_close(fs);
}

/* ---- errors ------------------------------------------------------------- */

static void test_unreadable_path(void **state)
{
    (void)state;
    need_debian_fonts();
    gw_font_options o = explicit_options();
    o.role_paths[GW_ROLE_BODY] = SUNG ",/nonexistent/dir/simfang.ttf";
    capture cap;
    cap_open(&cap);
    assert_null(gw_fonts_open(&o, &cap.d));
    assert_true(cap.d.errors >= 1);
    const char *text = cap_text(&cap);
    assert_non_null(strstr(text, "/nonexistent/dir/simfang.ttf: cannot read font file"));
    assert_non_null(strstr(text, "--font body"));
    assert_non_null(strstr(text, "No such file or directory"));
    cap_close(&cap);
}

static void test_bad_font_files(void **state)
{
    (void)state;
    need_debian_fonts();
    char *dir = make_tmpdir();
    char *junk = join(dir, "junk.ttf");
    write_file(junk, "this is not a font\n", 19);

    gw_font_options o = explicit_options();
    o.role_paths[GW_ROLE_TITLE] = junk;
    o.role_paths[GW_ROLE_LABEL] = ZENHEI ":7";
    capture cap;
    cap_open(&cap);
    assert_null(gw_fonts_open(&o, &cap.d));
    assert_int_equal(cap.d.errors, 2);
    const char *text = cap_text(&cap);
    assert_non_null(strstr(text, junk));
    assert_non_null(strstr(text, "--font title"));
    assert_non_null(strstr(text, ZENHEI ": the font collection has 3 faces; there is no face 7"));
    cap_close(&cap);

    /* An empty item in the list. */
    o = explicit_options();
    o.role_paths[GW_ROLE_BODY] = SUNG ",";
    cap_open(&cap);
    assert_null(gw_fonts_open(&o, &cap.d));
    assert_non_null(strstr(cap_text(&cap), "empty font path"));
    cap_close(&cap);

    /* A role left without any face. */
    o = explicit_options();
    o.role_paths[GW_ROLE_LATIN] = NULL;
    cap_open(&cap);
    assert_null(gw_fonts_open(&o, &cap.d));
    assert_non_null(strstr(cap_text(&cap), "font role latin (Times New Roman): no face"));
    cap_close(&cap);

    free(junk);
    const char *const names[] = { "junk.ttf", NULL };
    remove_tree(dir, names);
}

/* A face with neither TrueType nor CFF outlines (here: Liberation Serif with
 * its 'glyf' table renamed) is refused with a clear error. */
static void test_no_outlines_refused(void **state)
{
    (void)state;
    need_debian_fonts();
    size_t len;
    unsigned char *font = read_file(LIBSERIF, &len);
    size_t rec = table_record(font, len, "glyf");
    memcpy(font + rec, "glyX", 4);
    char *dir = make_tmpdir();
    char *path = join(dir, "bitmaps.ttf");
    write_file(path, font, len);
    free(font);

    gw_font_options o = explicit_options();
    o.role_paths[GW_ROLE_LATIN] = path;
    capture cap;
    cap_open(&cap);
    assert_null(gw_fonts_open(&o, &cap.d));
    const char *text = cap_text(&cap);
    assert_non_null(strstr(text, path));
    assert_non_null(strstr(text, "face 0 has neither TrueType (glyf) nor CFF outlines"));
    cap_close(&cap);

    /* In the fonts/ directory such a face is skipped with a warning. */
    o = explicit_options();
    o.role_paths[GW_ROLE_LATIN] = NULL;
    o.fonts_dir = dir;
    cap_open(&cap);
    assert_null(gw_fonts_open(&o, &cap.d));  /* nothing else serves latin */
    text = cap_text(&cap);
    assert_non_null(strstr(text, "warning: face 0 (Liberation Serif) has neither TrueType nor CFF outlines"));
    cap_close(&cap);

    free(path);
    const char *const names[] = { "bitmaps.ttf", NULL };
    remove_tree(dir, names);
}

/* ---- the fonts/ directory ----------------------------------------------- */

static void test_fonts_dir(void **state)
{
    (void)state;
    need_debian_fonts();
    char *dir = make_tmpdir();
    /* A face whose only family name is 仿宋 (Windows UTF-16 records), made from
     * Liberation Serif; it has no ideographs. */
    size_t len;
    unsigned char *font = read_file(LIBSERIF, &len);
    const uint16_t fangsong[] = { 0x4EFF, 0x5B8B };
    patch_family(font, len, fangsong, 2);
    char *fake = join(dir, "FAKE-FANGSONG.TTF");
    write_file(fake, font, len);
    free(font);
    const char *links[][2] = { { SUNG, "song.ttf" }, { ZENHEI, "zenhei.TTC" },
                               { KAI, "kai.Ttf" }, { LIBSERIF, "LiberationSerif.ttf" } };
    for (size_t i = 0; i < 4; i++) {
        char *p = join(dir, links[i][1]);
        assert_int_equal(symlink(links[i][0], p), 0);
        free(p);
    }
    char *junk = join(dir, "junk.ttf"), *txt = join(dir, "readme.txt");
    write_file(junk, "junk", 4);
    write_file(txt, "not a font", 10);

    gw_font_options o;
    memset(&o, 0, sizeof o);
    o.fonts_dir = dir;
    o.explicit_only = true;
    capture cap;
    cap_open(&cap);
    gw_fontset *fs = gw_fonts_open(&o, &cap.d);
    assert_non_null(fs);
    assert_int_equal(cap.d.errors, 0);

    gw_face *body = first_face(fs, GW_ROLE_BODY);
    assert_string_equal(gw_face_family(body), "仿宋");
    assert_string_equal(gw_face_path(body), fake);
    assert_int_equal(gw_fonts_role_source(fs, GW_ROLE_BODY), GW_SRC_FONTS_DIR);
    /* 仿宋 from fonts/, then the Song stand-in, then the wide-coverage Hei. */
    assert_int_equal(gw_fonts_chain_len(fs, GW_ROLE_BODY), 3);
    gw_face *sung = gw_fonts_chain_face(fs, GW_ROLE_BODY, 1);
    assert_string_equal(gw_face_family(sung), "AR PL SungtiL GB");
    assert_string_equal(gw_face_family(gw_fonts_chain_face(fs, GW_ROLE_BODY, 2)), "WenQuanYi Zen Hei");
    assert_ptr_equal(gw_fonts_face_for(fs, GW_ROLE_BODY, 0x56FD), sung);

    assert_int_equal(gw_fonts_role_source(fs, GW_ROLE_TITLE), GW_SRC_FALLBACK);
    assert_ptr_equal(first_face(fs, GW_ROLE_TITLE), sung);
    assert_true(gw_fonts_synthetic_bold(fs, GW_ROLE_TITLE));
    gw_face *hei = first_face(fs, GW_ROLE_HEADING1);
    assert_string_equal(gw_face_family(hei), "WenQuanYi Zen Hei");
    assert_int_equal(gw_face_index(hei), 0);
    assert_string_equal(gw_face_family(first_face(fs, GW_ROLE_HEADING2)), "AR PL KaitiM GB");
    assert_string_equal(gw_face_family(first_face(fs, GW_ROLE_LATIN)), "Liberation Serif");
    assert_int_equal(gw_fonts_role_source(fs, GW_ROLE_LATIN), GW_SRC_FALLBACK);

    assert_int_equal(gw_fonts_standins(fs), GW_ROLE_COUNT - 1);   /* 仿宋 was found */
    gw_fonts_report_standins(fs, &cap.d);
    const char *text = cap_text(&cap);
    assert_null(strstr(text, "font role body"));
    assert_non_null(strstr(text, "font role title (小标宋): no 小标宋 face found; using AR PL SungtiL GB"));
    assert_non_null(strstr(text, "junk.ttf: warning: not a font file FreeType can read; skipped"));
    assert_null(strstr(text, "readme.txt"));
    gw_fonts_close(fs);
    cap_close(&cap);

    free(fake);
    free(junk);
    free(txt);
    const char *const names[] = { "FAKE-FANGSONG.TTF", "song.ttf", "zenhei.TTC", "kai.Ttf",
                                  "LiberationSerif.ttf", "junk.ttf", "readme.txt", NULL };
    remove_tree(dir, names);
}

/* ---- metrics ------------------------------------------------------------ */

static void test_advances_and_boxes(void **state)
{
    (void)state;
    need_debian_fonts();
    gw_font_options o = explicit_options();
    gw_diag d = gw_diag_init(NULL);
    gw_fontset *fs = gw_fonts_open(&o, &d);
    assert_non_null(fs);
    gw_face *sung = first_face(fs, GW_ROLE_BODY);
    gw_face *lib = first_face(fs, GW_ROLE_LATIN);
    for (int k = 0; k < 3; k++) {  /* cached answers equal the first ones */
        assert_int_equal(gw_face_advance(sung, 0x56FD), 1000);
        assert_int_equal(gw_face_advance(lib, '1'), 500);
        assert_int_equal(gw_face_advance(lib, ' '), 250);
    }
    assert_int_equal(gw_face_advance(sung, 0x3002), 1000);
    for (uint32_t cp = 0x4E00; cp < 0x9FA6; cp++)  /* fills and grows the cache */
        if (gw_face_has(sung, cp))
            assert_int_equal(gw_face_advance(sung, cp), 1000);

    int x0, y0, x1, y1;
    assert_true(gw_face_glyph_box(sung, 0x56FD, &x0, &y0, &x1, &y1));
    assert_true(x0 >= 0 && x0 < 200);
    assert_true(x1 > 800 && x1 <= 1000);
    assert_true(y0 > -200 && y0 < 50);
    assert_true(y1 > 600 && y1 < 1000);
    assert_true(gw_face_glyph_box(lib, '1', &x0, &y0, &x1, &y1));
    assert_true(x0 > 0 && x1 < 500 && x0 < x1);
    assert_int_equal(y0, 0);
    assert_true(y1 > 600 && y1 < 700);
    assert_true(gw_face_glyph_box(lib, 'p', &x0, &y0, &x1, &y1));
    assert_true(y0 < -150);
    assert_true(gw_face_glyph_box(lib, ' ', &x0, &y0, &x1, &y1));  /* empty outline */
    assert_int_equal(x0 | y0 | x1 | y1, 0);
    gw_fonts_close(fs);
}

/* ---- deduplication ------------------------------------------------------ */

static void test_dedup(void **state)
{
    (void)state;
    need_debian_fonts();
    gw_font_options o = explicit_options();
    /* The same file spelled differently, and the same .ttc face with and
     * without ":0", are one face; another face of the .ttc is another. */
    o.role_paths[GW_ROLE_PAGENUM] = "/usr/share/fonts/truetype/arphic-gbsn00lp/../arphic-gbsn00lp/gbsn00lp.ttf";
    o.role_paths[GW_ROLE_LABEL] = ZENHEI;
    o.role_paths[GW_ROLE_HEADING2] = ZENHEI ":1," KAI;
    gw_diag d = gw_diag_init(NULL);
    gw_fontset *fs = gw_fonts_open(&o, &d);
    assert_non_null(fs);
    assert_ptr_equal(first_face(fs, GW_ROLE_BODY), first_face(fs, GW_ROLE_TITLE));
    assert_ptr_equal(first_face(fs, GW_ROLE_BODY), first_face(fs, GW_ROLE_PAGENUM));
    assert_ptr_equal(first_face(fs, GW_ROLE_HEADING1), first_face(fs, GW_ROLE_LABEL));
    gw_face *mono = first_face(fs, GW_ROLE_HEADING2);
    assert_int_equal(gw_face_index(mono), 1);
    assert_string_equal(gw_face_family(mono), "WenQuanYi Zen Hei Mono");
    assert_ptr_not_equal(mono, first_face(fs, GW_ROLE_HEADING1));
    /* Song, Zen Hei 0, Zen Hei 1, Kai, Liberation Serif. */
    assert_int_equal(gw_fonts_face_count(fs), 5);
    for (size_t i = 0; i < gw_fonts_face_count(fs); i++)
        for (size_t j = i + 1; j < gw_fonts_face_count(fs); j++)
            assert_ptr_not_equal(gw_fonts_face_at(fs, i), gw_fonts_face_at(fs, j));
    gw_fonts_close(fs);
}

/* ---- subsetting --------------------------------------------------------- */

/* Whether CID `cid` is marked in the program's CIDSet. */
static bool cid_set_has(const gw_font_program *p, unsigned cid)
{
    return cid / 8 < p->cid_set_len && (p->cid_set[cid / 8] & (0x80u >> (cid % 8)));
}

/* Subset f after using cps (each twice), then read the program back with
 * FreeType: every character's code draws a glyph with an outline, the CIDSet
 * marks exactly the glyphs present, and unused characters are gone. */
static void check_program(gw_face *f, const uint32_t *cps, size_t n, bool cff)
{
    for (size_t i = 0; i < n; i++) {
        gw_face_use(f, cps[i]);
        gw_face_use(f, cps[i]);  /* twice: counted once */
    }
    assert_int_equal(gw_face_used_count(f), n);
    gw_font_program p;
    capture cap;
    cap_open(&cap);
    assert_int_equal(gw_face_program(f, &p, &cap.d), 0);
    assert_int_equal(cap.d.errors, 0);
    cap_close(&cap);
    assert_int_equal(p.cff, cff);
    assert_non_null(p.data);
    assert_int_equal(p.n_chars, n);
    for (size_t i = 1; i < p.n_chars; i++)
        assert_true(p.chars[i - 1] < p.chars[i]);            /* ascending, distinct */

    struct stat st;
    assert_int_equal(stat(gw_face_path(f), &st), 0);
    assert_true(p.len < (size_t)st.st_size / 10);

    FT_Library lib;
    FT_Face face;
    assert_int_equal(FT_Init_FreeType(&lib), 0);
    assert_int_equal(FT_New_Memory_Face(lib, p.data, (FT_Long)p.len, 0, &face), 0);
    size_t marked = 0;
    for (unsigned cid = 0; cid < p.cid_set_len * 8; cid++)
        marked += cid_set_has(&p, cid);
    for (size_t i = 0; i < p.n_chars; i++) {
        /* TrueType: codes are numbered in order of first use and the
         * CIDToGIDMap gives the glyph; a bare CID-keyed CFF: FreeType takes the
         * code as the CID.  Either way the code was fixed before the subset. */
        uint16_t code;
        unsigned variant;
        assert_true(gw_face_code(f, p.chars[i], &code, &variant));
        assert_int_equal(code, p.codes[i]);
        assert_int_equal(variant, 0);
        assert_true(cid_set_has(&p, p.codes[i]));
        unsigned gid = p.codes[i];
        if (!cff) {
            assert_true(p.codes[i] >= 1 && p.codes[i] <= n);
            assert_int_equal(p.n_cid_to_gid, n + 1);
            gid = p.cid_to_gid[p.codes[i]];
            assert_int_not_equal(gid, 0);
        }
        assert_int_equal(FT_Load_Glyph(face, gid, FT_LOAD_NO_SCALE), 0);
        if (p.chars[i] != ' ')
            assert_true(face->glyph->outline.n_points > 0);
        assert_int_equal(p.widths[i], gw_face_advance(f, p.chars[i]));
    }
    if (!cff) {
        /* The embedded TrueType keeps no cmap (a CIDFontType2 never reads it). */
        FT_ULong cmap = 0, glyf = 0, name = 0;
        assert_int_not_equal(FT_Load_Sfnt_Table(face, TTAG_cmap, 0, NULL, &cmap), 0);
        assert_int_not_equal(FT_Load_Sfnt_Table(face, TTAG_name, 0, NULL, &name), 0);
        assert_int_equal(FT_Load_Sfnt_Table(face, TTAG_glyf, 0, NULL, &glyf), 0);
        assert_true(glyf > 0);
        assert_int_equal(marked, n + 1);                      /* the codes and .notdef */
        assert_true(face->num_glyphs >= 2 && (size_t)face->num_glyphs < n + 40);
    } else {
        /* A bare CID-keyed CFF: FreeType counts CIDs as glyphs; the CIDSet marks
         * the used glyphs and .notdef. */
        assert_true(p.cid_keyed);
        assert_int_equal(marked, p.n_chars + 1);
        assert_true(cid_set_has(&p, 0));
    }
    assert_true(p.cap_height > 0 && p.ascent > 0 && p.descent < 0);
    assert_true(p.bbox[2] > p.bbox[0] && p.bbox[3] > p.bbox[1]);
    assert_non_null(strchr(p.base_name, '\0'));
    for (const char *c = p.base_name; *c; c++)
        assert_true(isalnum((unsigned char)*c) || *c == '-' || *c == '_');
    FT_Done_Face(face);
    FT_Done_FreeType(lib);
    gw_font_program_free(&p);
}

static void test_subset(void **state)
{
    (void)state;
    need_debian_fonts();
    gw_font_options o = explicit_options();
    gw_diag d = gw_diag_init(NULL);
    gw_fontset *fs = gw_fonts_open(&o, &d);
    assert_non_null(fs);
    /* 国务院办公厅关于印发通知，。“” */
    const uint32_t cjk[] = { 0x56FD, 0x52A1, 0x9662, 0x529E, 0x516C, 0x5385, 0x5173, 0x4E8E,
                             0x5370, 0x53D1, 0x901A, 0x77E5, 0xFF0C, 0x3002, 0x201C, 0x201D };
    const uint32_t digits[] = { '0', '1', '2', '4', 'A', ' ' };
    check_program(first_face(fs, GW_ROLE_BODY), cjk, sizeof cjk / sizeof *cjk, false);
    check_program(first_face(fs, GW_ROLE_HEADING1), cjk, sizeof cjk / sizeof *cjk, false);  /* .ttc */
    check_program(first_face(fs, GW_ROLE_LATIN), digits, sizeof digits / sizeof *digits, false);
    gw_fonts_close(fs);
}

static void test_use_many(void **state)
{
    (void)state;
    need_debian_fonts();
    gw_font_options o = explicit_options();
    gw_diag d = gw_diag_init(NULL);
    gw_fontset *fs = gw_fonts_open(&o, &d);
    assert_non_null(fs);
    gw_face *f = first_face(fs, GW_ROLE_HEADING2);
    assert_int_equal(gw_face_used_count(f), 0);
    size_t has = 0;
    for (uint32_t cp = 0x4E00; cp <= 0x9FFF; cp++)
        has += gw_face_has(f, cp);
    assert_true(has > 6000);                     /* GB 2312's 6 763 and more */
    for (int round = 0; round < 20; round++)
        for (uint32_t cp = 0x4E00; cp <= 0x9FFF; cp++)
            gw_face_use(f, cp);
    assert_int_equal(gw_face_used_count(f), has);   /* characters the face lacks are not recorded */
    gw_face_use(f, 0x110000);  /* not a code point: ignored */
    assert_int_equal(gw_face_used_count(f), has);
    /* Codes were given in order of first use: 1 .. has, each once. */
    unsigned char *seen = calloc(has + 1, 1);
    for (uint32_t cp = 0x4E00; cp <= 0x9FFF; cp++) {
        uint16_t code;
        unsigned variant;
        if (!gw_face_has(f, cp)) {
            assert_false(gw_face_code(f, cp, &code, &variant));
            continue;
        }
        assert_true(gw_face_code(f, cp, &code, &variant));
        assert_true(code >= 1 && code <= has && !seen[code]);
        seen[code] = 1;
    }
    free(seen);
    gw_fonts_clear_used(fs);
    assert_int_equal(gw_face_used_count(f), 0);
    gw_fonts_close(fs);
}

/* A CFF face (Noto Serif CJK SC Bold, face 2 of a .ttc) serves a role and
 * subsets to a bare CID-keyed CFF program whose codes are its CIDs. */
static void test_cff_program(void **state)
{
    (void)state;
    if (access(NOTO_SERIF_BOLD, R_OK))
        skip();
    gw_font_options o = { .explicit_only = true };
    for (int r = 0; r < GW_ROLE_COUNT; r++)
        o.role_paths[r] = NOTO_SERIF_BOLD ":2";
    gw_diag d = gw_diag_init(NULL);
    gw_fontset *fs = gw_fonts_open(&o, &d);
    assert_non_null(fs);
    gw_face *f = first_face(fs, GW_ROLE_TITLE);
    assert_string_equal(gw_face_family(f), "Noto Serif CJK SC");
    /* 年度部门整体支出绩效自评报告 */
    const uint32_t cps[] = { 0x5E74, 0x5EA6, 0x90E8, 0x95E8, 0x6574, 0x4F53, 0x652F, 0x51FA,
                             0x7EE9, 0x6548, 0x81EA, 0x8BC4, 0x62A5, 0x544A };
    check_program(f, cps, sizeof cps / sizeof *cps, true);
    gw_fonts_close(fs);
}

/* Characters above U+FFFF (CJK Extension B) get 2-byte codes like any other. */
static void test_extension_b_program(void **state)
{
    (void)state;
    if (access(HANAMINB, R_OK))
        skip();
    gw_font_options o = { .explicit_only = true };
    for (int r = 0; r < GW_ROLE_COUNT; r++)
        o.role_paths[r] = HANAMINB;
    gw_diag d = gw_diag_init(NULL);
    gw_fontset *fs = gw_fonts_open(&o, &d);
    assert_non_null(fs);
    gw_face *f = first_face(fs, GW_ROLE_BODY);
    const uint32_t cps[] = { 0x20BB7 /* 𠮷 */, 0x2123C /* 𡈼 */, 0x2000B /* 𠀋 */, 0x2A6A5 /* 𪚥 */ };
    for (size_t i = 0; i < 4; i++)
        assert_true(gw_face_has(f, cps[i]));
    check_program(f, cps, 4, false);
    gw_fonts_close(fs);
}

/* --no-hinting: the same glyphs, a smaller program without instructions. */
static void test_drop_hinting(void **state)
{
    (void)state;
    need_debian_fonts();
    size_t len[2];
    for (int drop = 0; drop < 2; drop++) {
        gw_font_options o = explicit_options();
        o.drop_hinting = drop;
        gw_diag d = gw_diag_init(NULL);
        gw_fontset *fs = gw_fonts_open(&o, &d);
        assert_non_null(fs);
        gw_face *f = first_face(fs, GW_ROLE_BODY);
        const uint32_t cps[] = { 0x56FD, 0x52A1, 0x9662, 0x529E, 0x516C, 0x5385 };
        for (size_t i = 0; i < 6; i++)
            gw_face_use(f, cps[i]);
        gw_font_program p;
        assert_int_equal(gw_face_program(f, &p, &d), 0);
        assert_int_equal(p.n_chars, 6);
        len[drop] = p.len;
        gw_font_program_free(&p);
        gw_fonts_close(fs);
    }
    assert_true(len[1] < len[0]);
}

/* Through fontconfig, the title (小标宋) prefers the Bold face of its stand-in
 * family, and a real bold face needs no synthetic bold. */
static void test_title_prefers_bold(void **state)
{
    (void)state;
    if (access(NOTO_SERIF_BOLD, R_OK))
        skip();
    gw_diag d = gw_diag_init(NULL);
    gw_fontset *fs = gw_fonts_open(NULL, &d);
    assert_non_null(fs);
    gw_face *f = first_face(fs, GW_ROLE_TITLE);
    if (gw_fonts_role_source(fs, GW_ROLE_TITLE) == GW_SRC_FALLBACK) {
        assert_string_equal(gw_face_family(f), "Noto Serif CJK SC");
        assert_non_null(strstr(gw_face_path(f), "Bold"));
        assert_false(gw_fonts_synthetic_bold(fs, GW_ROLE_TITLE));
    }
    gw_fonts_close(fs);
}

/* <b>: the bold face of the family through fontconfig (Liberation Serif Bold);
 * a family without one (AR PL SungtiL GB) gives NULL (synthetic bold). */
static void test_bold_face(void **state)
{
    (void)state;
    need_debian_fonts();
    gw_diag d = gw_diag_init(NULL);
    gw_fontset *fs = gw_fonts_open(NULL, &d);
    assert_non_null(fs);
    gw_face *latin = first_face(fs, GW_ROLE_LATIN), *song = first_face(fs, GW_ROLE_BODY);
    assert_false(gw_face_is_bold(latin));
    gw_face *bold = gw_fonts_bold_face(fs, latin);
    assert_non_null(bold);
    assert_true(gw_face_is_bold(bold));
    assert_string_equal(gw_face_family(bold), "Liberation Serif");
    assert_non_null(strstr(gw_face_path(bold), "LiberationSerif-Bold"));
    assert_ptr_equal(gw_fonts_bold_face(fs, latin), bold);        /* looked for once */
    assert_null(gw_fonts_bold_face(fs, song));
    gw_face *title = first_face(fs, GW_ROLE_TITLE);                /* already bold */
    assert_ptr_equal(gw_fonts_bold_face(fs, title), title);
    gw_fonts_close(fs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_role_names),
        cmocka_unit_test(test_default_resolution),
        cmocka_unit_test(test_explicit_only),
        cmocka_unit_test(test_face_for_roles),
        cmocka_unit_test(test_fallback_chain),
        cmocka_unit_test(test_no_face_has_it),
        cmocka_unit_test(test_unreadable_path),
        cmocka_unit_test(test_bad_font_files),
        cmocka_unit_test(test_no_outlines_refused),
        cmocka_unit_test(test_cff_program),
        cmocka_unit_test(test_extension_b_program),
        cmocka_unit_test(test_drop_hinting),
        cmocka_unit_test(test_title_prefers_bold),
        cmocka_unit_test(test_bold_face),
        cmocka_unit_test(test_fonts_dir),
        cmocka_unit_test(test_advances_and_boxes),
        cmocka_unit_test(test_dedup),
        cmocka_unit_test(test_subset),
        cmocka_unit_test(test_use_many),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
