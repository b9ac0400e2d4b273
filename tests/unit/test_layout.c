/* Unit tests of layout.c: the GB/T 9704 grid, numbering, the real report set
 * without writing a PDF (margins, 28 characters a line, 22 lines a page, keep
 * rules, kinsoku, page numbers, every character in order), and small documents
 * for run-in headings, page breaks, lists, signatures and missing glyphs.
 * Fonts are named explicitly so the results do not depend on what is installed
 * beyond the Debian packages scripts/deps.sh installs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <unistd.h>

#include <cmocka.h>

#include "layout.h"
#include "linebreak.h"
#include "utf8.h"

#define SUNG "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"
#define KAI "/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf"
#define ZENHEI "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc:0"
#define LIBSERIF "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf"
#define REAL_REPORT GW_SOURCE_DIR "/content/zengcheng-2022-budget-self-evaluation.xml"
#define SEED GW_SOURCE_DIR "/tests/data/e2e/seed-zengcheng-2022.txt"

/* cmocka's assert_float_equal compares floats; positions need doubles. */
#define assert_near(a, b, eps) assert_near_at((a), (b), (eps), #a, __FILE__, __LINE__)
static void assert_near_at(double a, double b, double eps, const char *what, const char *file,
                           int line)
{
    if (!(fabs(a - b) <= eps))
        fail_msg("%s:%d: %s = %.6f, expected %.6f (±%g)", file, line, what, a, b, eps);
}

typedef struct fixture {
    char *diag_text;
    size_t diag_len;
    FILE *diag_stream;
    gw_diag diag;
    gw_fontset *fonts;
    gw_doc *doc;
    gw_layout *lay;
} fixture;

static int setup(void **state)
{
    if (access(SUNG, R_OK) || access(KAI, R_OK) || access(LIBSERIF, R_OK) ||
        access("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", R_OK))
        return -1;
    fixture *f = calloc(1, sizeof *f);
    f->diag_stream = open_memstream(&f->diag_text, &f->diag_len);
    f->diag = gw_diag_init(f->diag_stream);
    gw_font_options opt = { .explicit_only = true };
    opt.role_paths[GW_ROLE_BODY] = SUNG;
    opt.role_paths[GW_ROLE_TITLE] = SUNG;
    opt.role_paths[GW_ROLE_HEADING1] = ZENHEI;
    opt.role_paths[GW_ROLE_HEADING2] = KAI;
    opt.role_paths[GW_ROLE_LABEL] = ZENHEI;
    opt.role_paths[GW_ROLE_PAGENUM] = SUNG;
    opt.role_paths[GW_ROLE_LATIN] = LIBSERIF;
    f->fonts = gw_fonts_open(&opt, &f->diag);
    if (!f->fonts)
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
    fclose(f->diag_stream);
    free(f->diag_text);
    free(f);
    return 0;
}

static const char *diag_text(fixture *f)
{
    fflush(f->diag_stream);
    return f->diag_text ? f->diag_text : "";
}

/* Load and lay out `xml` (or the file `path`); asserts that both succeed. */
static const gw_layout *lay_out(fixture *f, const char *path, const char *xml)
{
    f->doc = xml ? gw_doc_load_memory("mem.xml", xml, strlen(xml), NULL, NULL, &f->diag)
                 : gw_doc_load(path, NULL, NULL, &f->diag);
    if (!f->doc)
        fail_msg("load failed: %s", diag_text(f));
    f->lay = gw_layout_document(f->doc, f->fonts, NULL, &f->diag);
    if (!f->lay)
        fail_msg("layout failed: %s", diag_text(f));
    return f->lay;
}

/* The text of a line box as UTF-8 (static buffer). */
static const char *line_text(const gw_page *p, const gw_line_box *b)
{
    static char buf[1024];
    size_t at = 0;
    for (size_t i = b->first; i < b->first + b->count && at + 5 < sizeof buf; i++)
        at += gw_utf8_encode(p->glyphs[i].cp, buf + at);
    buf[at] = '\0';
    return buf;
}

static bool is_ideograph_or_fullwidth(uint32_t cp)
{
    return (cp >= 0x3000 && cp <= 0x9FFF) || (cp >= 0xFF00 && cp <= 0xFFEF) ||
           (cp >= 0x2018 && cp <= 0x201D);
}

static bool is_ideograph(uint32_t cp)
{
    return cp >= 0x4E00 && cp <= 0x9FFF;
}

/* ------------------------------------------------------------------------- */

static void test_geometry(void **state)
{
    (void)state;
    gw_geometry g = gw_geometry_gbt9704();
    assert_near(g.page_width, 595.2756, 0.001);
    assert_near(g.page_height, 841.8898, 0.001);
    assert_near(g.area_left, 28 * GW_PT_PER_MM, 1e-9);
    assert_near(g.page_width - g.area_right, 26 * GW_PT_PER_MM, 1e-9);
    assert_near(g.page_height - g.area_top, 37 * GW_PT_PER_MM, 1e-9);
    assert_near(g.area_bottom, 35 * GW_PT_PER_MM, 1e-9);
    assert_near(g.cell * 28, 156 * GW_PT_PER_MM, 1e-9);
    assert_near(g.pitch, 29.6093, 0.0001);
    /* Row 1's em box touches the type area's top, row 22's its bottom. */
    double top0 = gw_row_baseline(&g, 0, 16) + 0.88 * 16;
    double bottom21 = gw_row_baseline(&g, 21, 16) - 0.12 * 16;
    assert_near(top0, g.area_top, 1e-9);
    assert_near(bottom21, g.area_bottom, 1e-9);
    /* Larger text is centred on the row: a 22 pt em box shares the 16 pt box's centre. */
    double c16 = gw_row_baseline(&g, 2, 16) + (0.88 - 0.5) * 16;
    double c22 = gw_row_baseline(&g, 2, 22) + (0.88 - 0.5) * 22;
    assert_near(c16, c22, 1e-9);
}

static void expect_number(int level, int n, const char *want)
{
    char buf[64];
    gw_format_number(level, n, buf, sizeof buf);
    assert_string_equal(buf, want);
}

static void test_numbering(void **state)
{
    (void)state;
    expect_number(1, 1, "一、");
    expect_number(1, 4, "四、");
    expect_number(1, 10, "十、");
    expect_number(1, 11, "十一、");
    expect_number(1, 20, "二十、");
    expect_number(1, 23, "二十三、");
    expect_number(1, 105, "一百零五、");
    expect_number(1, 110, "一百一十、");
    expect_number(2, 1, "（一）");
    expect_number(2, 12, "（十二）");
    expect_number(3, 1, "1.");
    expect_number(3, 12, "12.");
    expect_number(4, 3, "（3）");
    expect_number(5, 1, "①");
    expect_number(5, 20, "⑳");
    expect_number(5, 21, "㉑");
    expect_number(5, 50, "㊿");
    expect_number(5, 51, "（51）");
}

/* The seed's text with whitespace removed and ( ) , ; : ? ! folded to full width. */
static size_t folded(const char *s, size_t len, uint32_t *out, size_t cap)
{
    static const char half[] = "(),;:?!";
    static const uint32_t full[] = { 0xFF08, 0xFF09, 0xFF0C, 0xFF1B, 0xFF1A, 0xFF1F, 0xFF01 };
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (len > 0 && n < cap) {
        uint32_t cp;
        size_t k = gw_utf8_decode(p, len, &cp);
        assert_true(k > 0);
        p += k;
        len -= k;
        if (cp == ' ' || cp == '\n' || cp == '\r' || cp == '\t' || cp == 0x3000)
            continue;
        const char *h = cp < 0x80 ? strchr(half, (int)cp) : NULL;
        out[n++] = h && cp ? full[h - half] : cp;
    }
    return n;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
    buf[n] = '\0';
    fclose(fp);
    *len = (size_t)n;
    return buf;
}

/* Every character of the report is set, in reading order, and only the
 * generated numbers are added: the set text equals the seed's. */
static void check_text_equals_seed(const gw_layout *lay)
{
    size_t seed_len;
    char *seed = read_file(SEED, &seed_len);
    uint32_t *want = malloc(seed_len * sizeof *want);
    size_t n_want = folded(seed, seed_len, want, seed_len);
    char *got_utf8 = malloc(64 * 1024);
    size_t at = 0;
    for (size_t pi = 0; pi < lay->n_pages; pi++) {
        const gw_page *p = &lay->pages[pi];
        for (size_t li = 0; li < p->n_lines; li++)
            if (p->lines[li].kind != GW_LINE_PAGENUM)
                for (size_t i = p->lines[li].first; i < p->lines[li].first + p->lines[li].count; i++)
                    at += gw_utf8_encode(p->glyphs[i].cp, got_utf8 + at);
    }
    uint32_t *got = malloc(at * sizeof *got + 1);
    size_t n_got = folded(got_utf8, at, got, at);
    size_t i = 0;
    while (i < n_got && i < n_want && got[i] == want[i])
        i++;
    if (i != n_want || n_got != n_want)
        fail_msg("set text differs from the seed at character %zu of %zu (set %zu)", i, n_want,
                 n_got);
    free(got);
    free(got_utf8);
    free(want);
    free(seed);
}

static void check_page_number(const gw_geometry *g, const gw_page *p, const gw_line_box *b)
{
    char want[32];
    snprintf(want, sizeof want, "— %d —", p->number);
    assert_string_equal(line_text(p, b), want);
    assert_near(p->glyphs[b->first].size, 14.0, 1e-9);
    if (p->number % 2)
        assert_near(b->x1, g->area_right - 14.0, 0.01);   /* odd: right, inset 1 字 */
    else
        assert_near(b->x0, g->area_left + 14.0, 0.01);    /* even: left */
    /* The dash's top is 7 mm below the type area. */
    const gw_glyph *dash = &p->glyphs[b->first];
    int xmin, ymin, xmax, ymax;
    assert_true(gw_face_glyph_box(dash->face, dash->cp, &xmin, &ymin, &xmax, &ymax));
    assert_near(dash->y + ymax * 14.0 / 1000.0, g->area_bottom - 7 * GW_PT_PER_MM, 0.01);
}

static void test_real_report(void **state)
{
    fixture *f = *state;
    const gw_layout *lay = lay_out(f, REAL_REPORT, NULL);
    const gw_geometry *g = &lay->geo;
    assert_int_equal(lay->n_pages, 7);
    size_t full_cjk_lines = 0, full_cjk_28 = 0;
    for (size_t pi = 0; pi < lay->n_pages; pi++) {
        const gw_page *p = &lay->pages[pi];
        assert_int_equal(p->number, (int)pi + 1);
        int last_row = -1;
        const gw_line_box *last_line = NULL, *pagenum = NULL;
        for (size_t li = 0; li < p->n_lines; li++) {
            const gw_line_box *b = &p->lines[li];
            if (b->kind == GW_LINE_PAGENUM) {
                pagenum = b;
                continue;
            }
            const gw_glyph *first = &p->glyphs[b->first], *end = &p->glyphs[b->first + b->count - 1];
            assert_true(b->row > last_row);
            last_row = b->row;
            last_line = b;
            /* Baselines sit on the grid. */
            assert_near(first->y, gw_row_baseline(g, b->row, first->size), 1e-9);
            /* Nothing outside the type area. */
            assert_true(b->x0 >= g->area_left - 1e-6);
            assert_true(b->x1 <= g->area_right + 1e-6);
            /* Kinsoku: ，。、；：？！）》” never start a line, （《“ never end one. */
            if (gw_lb_no_start(first->cp))
                fail_msg("page %zu row %d starts with a closing mark: %s", pi + 1, b->row,
                         line_text(p, b));
            if (gw_lb_no_end(end->cp))
                fail_msg("page %zu row %d ends with an opening mark: %s", pi + 1, b->row,
                         line_text(p, b));
            if (b->kind != GW_LINE_BODY && b->kind != GW_LINE_HEADING)
                continue;
            /* Body lines: first lines indented 2 cells, the others flush left. */
            double indent = b->para_start ? 2 * g->cell : 0;
            assert_near(b->x0, g->area_left + indent, 1e-6);
            if (b->para_end)
                continue;
            /* Every line but a paragraph's last ends exactly at the right edge. */
            assert_near(b->x1, g->area_right, 1e-6);
            bool cjk_only = true, ideographs_only = true;
            for (size_t i = b->first; i < b->first + b->count; i++) {
                cjk_only &= is_ideograph_or_fullwidth(p->glyphs[i].cp);
                ideographs_only &= is_ideograph(p->glyphs[i].cp);
            }
            if (cjk_only && !b->para_start) {
                full_cjk_lines++;
                full_cjk_28 += b->count == 28;
                /* Ideographs alone fill exactly 28 cells; with punctuation,
                 * push-in (compressed marks) may fit 29 or 30 and push-out
                 * fewer, the line then stretched flush. */
                if (ideographs_only ? b->count != 28 : (b->count > 30 || b->count < 24))
                    fail_msg("page %zu row %d holds %zu: %s", pi + 1, b->row, b->count,
                             line_text(p, b));
            }
            if (ideographs_only && b->count == 28 && !b->para_start) {
                /* On the grid: the glyph pitch is exactly one cell. */
                for (size_t i = b->first + 1; i < b->first + b->count; i++)
                    assert_near(p->glyphs[i].x - p->glyphs[i - 1].x, g->cell, 1e-6);
            }
        }
        assert_non_null(pagenum);
        check_page_number(g, p, pagenum);
        if (pi + 1 < lay->n_pages) {
            /* Full pages, or at most two rows short where a keep rule ends them. */
            assert_true(last_row >= g->lines_per_page - 3);
            assert_true(last_row <= g->lines_per_page - 1);
            /* A heading never ends a page. */
            assert_int_not_equal(last_line->kind, GW_LINE_HEADING);
        }
    }
    /* Most full lines of Chinese text hold exactly 28 characters. */
    assert_true(full_cjk_lines > 40);
    assert_true(full_cjk_28 * 10 >= full_cjk_lines * 9);
    /* Front matter: label on row 1 flush left, title centred from row 3, body from row 6. */
    const gw_page *p1 = &lay->pages[0];
    assert_int_equal(p1->lines[0].kind, GW_LINE_LABEL);
    assert_int_equal(p1->lines[0].row, 0);
    assert_string_equal(line_text(p1, &p1->lines[0]), "附件2");
    assert_near(p1->lines[0].x0, g->area_left, 1e-6);
    assert_int_equal(p1->lines[1].kind, GW_LINE_TITLE);
    assert_int_equal(p1->lines[1].row, 2);
    assert_int_equal(p1->lines[2].kind, GW_LINE_TITLE);
    assert_int_equal(p1->lines[2].row, 3);
    assert_near(p1->glyphs[p1->lines[1].first].size, 22.0, 1e-9);
    for (int i = 1; i <= 2; i++)
        assert_near((p1->lines[i].x0 + p1->lines[i].x1) / 2, (g->area_left + g->area_right) / 2,
                           0.5);
    assert_int_equal(p1->lines[3].kind, GW_LINE_HEADING);
    assert_int_equal(p1->lines[3].row, 5);
    assert_string_equal(line_text(p1, &p1->lines[3]), "一、基本情况");
    assert_string_equal(line_text(p1, &p1->lines[4]), "（一）部门概况");
    check_text_equals_seed(lay);
}

static void test_missing_glyph_is_an_error(void **state)
{
    fixture *f = *state;
    static const char xml[] = "<report version=\"1\">\n<title>标题</title>\n"
                              "<p>人名𠮷与\xEE\x80\x80。</p>\n</report>\n";
    f->doc = gw_doc_load_memory("mem.xml", xml, strlen(xml), NULL, NULL, &f->diag);
    assert_non_null(f->doc);
    f->lay = gw_layout_document(f->doc, f->fonts, NULL, &f->diag);
    assert_null(f->lay);
    assert_string_equal(diag_text(f),
        "mem.xml:3:6: no font can draw '𠮷' (U+20BB7) in the body role (仿宋); install a face "
        "that has it or name one with --font body=PATH\n"
        "mem.xml:3:8: no font can draw '\xEE\x80\x80' (U+E000) in the body role (仿宋); install a "
        "face that has it or name one with --font body=PATH\n");
}

/* A character above U+FFFF that a face has is set like any other (the PDF
 * output gives it a 2-byte code and a surrogate pair in the ToUnicode CMap):
 * WenQuanYi Zen Hei has U+10000. */
static void test_above_bmp_is_set(void **state)
{
    fixture *f = *state;
    static const char xml[] = "<report version=\"1\">\n<title>标题</title>\n"
                              "<section><heading>含\xF0\x90\x80\x80字</heading></section>\n</report>\n";
    f->doc = gw_doc_load_memory("mem.xml", xml, strlen(xml), NULL, NULL, &f->diag);
    assert_non_null(f->doc);
    f->lay = gw_layout_document(f->doc, f->fonts, NULL, &f->diag);
    assert_non_null(f->lay);
    assert_string_equal(diag_text(f), "");
    const gw_page *p = &f->lay->pages[0];
    bool found = false;
    for (size_t i = 0; i < p->n_glyphs; i++) {
        if (p->glyphs[i].cp == 0x10000) {
            found = true;
            assert_string_equal(gw_face_family(p->glyphs[i].face), "WenQuanYi Zen Hei");
            assert_int_equal(p->glyphs[i].role, GW_ROLE_HEADING1);
            /* between 含 and 字, on one line */
            assert_int_equal(p->glyphs[i - 1].cp, 0x542B);
            assert_int_equal(p->glyphs[i + 1].cp, 0x5B57);
            assert_true(p->glyphs[i].x < p->glyphs[i + 1].x);
        }
    }
    assert_true(found);
}

/* The glyphs of a line come from the heading face, then the body face. */
static void test_runin_heading(void **state)
{
    fixture *f = *state;
    const gw_layout *lay = lay_out(f,
        NULL, "<report version=\"1\"><title>标题</title><section><heading>一级</heading>"
              "<section><heading runin=\"true\">目标不够明确。</heading><p>正文继续。</p>"
              "</section></section></report>");
    const gw_page *p = &lay->pages[0];
    const gw_line_box *b = &p->lines[2];
    assert_string_equal(line_text(p, b), "（一）目标不够明确。正文继续。");
    gw_face *kai = gw_fonts_chain_face(f->fonts, GW_ROLE_HEADING2, 0);
    gw_face *sung = gw_fonts_chain_face(f->fonts, GW_ROLE_BODY, 0);
    for (size_t i = 0; i < 10; i++)
        assert_ptr_equal(p->glyphs[b->first + i].face, kai);
    for (size_t i = 10; i < b->count; i++)
        assert_ptr_equal(p->glyphs[b->first + i].face, sung);
    assert_int_equal(p->lines[1].kind, GW_LINE_HEADING);
    assert_string_equal(line_text(p, &p->lines[1]), "一、一级");
    assert_ptr_equal(p->glyphs[p->lines[1].first].face, gw_fonts_chain_face(f->fonts, GW_ROLE_HEADING1, 0));
}

/* The widths of the title lines on page 1. */
static size_t title_lines(const gw_page *p, double *w, const char **text, char store[][256])
{
    size_t n = 0;
    for (size_t i = 0; i < p->n_lines && n < 4; i++) {
        if (p->lines[i].kind != GW_LINE_TITLE)
            continue;
        w[n] = p->lines[i].x1 - p->lines[i].x0;
        snprintf(store[n], 256, "%s", line_text(p, &p->lines[i]));
        text[n] = store[n];
        n++;
    }
    return n;
}

/* A title without <br/> breaks between words into a trapezoid or a diamond. */
static void test_title_broken_between_words(void **state)
{
    fixture *f = *state;
    const gw_layout *lay = lay_out(f, NULL,
        "<report version=\"1\"><title>关于进一步加强和改进预算绩效管理工作推动财政资金聚力增效的实施意见"
        "</title><p>正文。</p></report>");
    double w[4];
    const char *text[4];
    char store[4][256];
    size_t n = title_lines(&lay->pages[0], w, text, store);
    assert_int_equal(n, 2);
    /* 管理|工作: a word boundary, not 管|理 or 工|作. */
    assert_string_equal(text[0], "关于进一步加强和改进预算绩效管理");
    assert_string_equal(text[1], "工作推动财政资金聚力增效的实施意见");
    /* Not a rectangle: the lines differ by at least one title character. */
    assert_true(fabs(w[0] - w[1]) >= 22.0 * lay->geo.cell / 16.0 - 0.01);
    /* Every line is centred. */
    const gw_page *p = &lay->pages[0];
    for (size_t i = 0; i < 2; i++)
        assert_near((p->lines[i].x0 + p->lines[i].x1) / 2, (lay->geo.area_left + lay->geo.area_right) / 2, 0.5);
}

/* Issue 16: a title breaks where a phrase ends — after the organ's name at
 * its head, after a year — rather than inside 部门整体支出, even when the lines
 * come out less equal; the shape rule still holds. */
static void test_title_breaks_at_phrases(void **state)
{
    fixture *f = *state;
    static const char *const cases[][3] = {
        { "青禾县文化馆2023年度部门整体支出绩效自评表", "青禾县文化馆", "2023年度部门整体支出绩效自评表" },
        { "关于报送2022年度部门整体支出绩效自评报告的函", "关于报送2022年度", "部门整体支出绩效自评报告的函" },
        { "青禾县文化馆关于2023年度送戏下乡工作情况的报告", "青禾县文化馆关于2023年度",
          "送戏下乡工作情况的报告" },
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        char xml[512];
        snprintf(xml, sizeof xml, "<report version=\"1\"><title>%s</title><p>正文。</p></report>",
                 cases[k][0]);
        gw_layout_free(f->lay);
        gw_doc_free(f->doc);
        f->lay = NULL;
        f->doc = NULL;
        const gw_layout *lay = lay_out(f, NULL, xml);
        double w[4];
        const char *text[4];
        char store[4][256];
        size_t n = title_lines(&lay->pages[0], w, text, store);
        assert_int_equal(n, 2);
        assert_string_equal(text[0], cases[k][1]);
        assert_string_equal(text[1], cases[k][2]);
        assert_true(fabs(w[0] - w[1]) >= 22.0 * lay->geo.cell / 16.0 - 0.01);
    }
}

static void test_title_three_lines_no_hourglass(void **state)
{
    fixture *f = *state;
    const gw_layout *lay = lay_out(f, NULL,
        "<report version=\"1\"><title>广州市增城区总工会关于本年度部门整体支出绩效自评情况"
        "及下一步改进措施和工作计划的综合报告</title><p>正文。</p></report>");
    double w[4];
    const char *text[4];
    char store[4][256];
    size_t n = title_lines(&lay->pages[0], w, text, store);
    assert_int_equal(n, 3);
    bool hourglass = w[1] < w[0] && w[1] < w[2];
    bool rectangle = fabs(w[0] - w[1]) < 1 || fabs(w[1] - w[2]) < 1;
    assert_false(hourglass);
    assert_false(rectangle);
    /* Each line ends and starts on a word: no line starts with a lone character
     * torn from the word before (checked on this title's known words). */
    for (size_t i = 0; i < n; i++)
        assert_true(strlen(text[i]) >= 3 * 4);
}

/* The author's <br/> wins over the automatic breaks. */
static void test_title_author_breaks_win(void **state)
{
    fixture *f = *state;
    const gw_layout *lay = lay_out(f, NULL,
        "<report version=\"1\"><title>关于进一步加强<br/>预算绩效管理的实施意见</title><p>正文。</p></report>");
    double w[4];
    const char *text[4];
    char store[4][256];
    assert_int_equal(title_lines(&lay->pages[0], w, text, store), 2);
    assert_string_equal(text[0], "关于进一步加强");
    assert_string_equal(text[1], "预算绩效管理的实施意见");
}

/* A title of many one-letter words (issue 21: the breaker tried every choice
 * of three breaks among 133 candidates).  Its cost is measured by the stress
 * inputs, not here; here the result is legal: every line fits, words stay
 * whole, every letter is there once.  Laid out title lines and their widths
 * go to lines[] and w[]; returns how many. */
static size_t one_letter_title(fixture *f, int words, double *w, size_t max)
{
    char xml[1024];
    size_t at = (size_t)snprintf(xml, sizeof xml, "<report version=\"1\"><title>");
    for (int i = 0; i < words; i++)
        at += (size_t)snprintf(xml + at, sizeof xml - at, i ? " l" : "l");
    snprintf(xml + at, sizeof xml - at, "</title><p>正文。</p></report>");
    gw_layout_free(f->lay);
    gw_doc_free(f->doc);
    f->lay = NULL;
    const gw_layout *lay = lay_out(f, NULL, xml);
    const gw_page *p = &lay->pages[0];
    size_t n = 0, letters = 0;
    for (size_t i = 0; i < p->n_lines; i++) {
        const gw_line_box *b = &p->lines[i];
        if (b->kind != GW_LINE_TITLE)
            continue;
        assert_true(n < max);
        w[n++] = b->x1 - b->x0;
        assert_true(b->x1 - b->x0 <= lay->geo.area_right - lay->geo.area_left + 0.01);
        const char *text = line_text(p, b);
        size_t len = strlen(text);
        /* Whole words, "l l … l": never a space at either end, nor two together. */
        assert_true(len > 0 && text[0] == 'l' && text[len - 1] == 'l');
        for (size_t k = 0; k < len; k++) {
            assert_int_equal(text[k], k % 2 ? ' ' : 'l');
            letters += text[k] == 'l';
        }
    }
    assert_int_equal(letters, (size_t)words);
    return n;
}

static void test_title_many_one_letter_words(void **state)
{
    fixture *f = *state;
    double w[16];
    /* Too long for four lines in this face (20 words a line): broken by width. */
    assert_true(one_letter_title(f, 134, w, 16) > 4);
    /* Four lines' worth, 64 candidates: a trapezoid or diamond of four lines,
     * widths growing, then shrinking, by a character or more. */
    size_t n = one_letter_title(f, 65, w, 16);
    assert_int_equal(n, 4);
    double one_char = 22.0 * f->lay->geo.cell / 16.0;
    size_t k = 1;
    while (k < n && w[k] - w[k - 1] >= one_char - 0.01)
        k++;
    while (k < n && w[k - 1] - w[k] >= one_char - 0.01)
        k++;
    assert_int_equal(k, n);
}

/* The profile attribute picks WORD_GRID; the command line's --profile wins
 * (docs/linebreak.md's case 21 against case 25). */
static void test_profiles(void **state)
{
    fixture *f = *state;
    static const char xml[] = "<report version=\"1\" profile=\"word-grid\"><title>标题</title>"
                              "<p>本办法自印发之日起施行，由市政府办公厅法规处负责解释。</p></report>";
    const gw_layout *lay = lay_out(f, NULL, xml);
    const gw_page *p = &lay->pages[0];
    assert_string_equal(line_text(p, &p->lines[1]), "本办法自印发之日起施行，由市政府办公厅法规处负责解");
    assert_string_equal(line_text(p, &p->lines[2]), "释。");
    gw_layout_free(f->lay);
    gw_layout_options opt = { .profile_set = true, .profile = GW_LB_GB };
    f->lay = gw_layout_document(f->doc, f->fonts, &opt, &f->diag);
    assert_non_null(f->lay);
    p = &f->lay->pages[0];
    assert_string_equal(line_text(p, &p->lines[1]), "本办法自印发之日起施行，由市政府办公厅法规处负责解释。");
    assert_int_equal(p->lines[2].kind, GW_LINE_PAGENUM);
}

static void test_pagebreak_and_no_label(void **state)
{
    fixture *f = *state;
    const gw_layout *lay = lay_out(f, NULL,
        "<report version=\"1\"><title>标题</title><p>甲。</p><pagebreak/><p>乙。</p></report>");
    assert_int_equal(lay->n_pages, 2);
    /* Without a label the title is on row 1. */
    assert_int_equal(lay->pages[0].lines[0].kind, GW_LINE_TITLE);
    assert_int_equal(lay->pages[0].lines[0].row, 0);
    assert_int_equal(lay->pages[0].lines[1].row, 2);
    assert_int_equal(lay->pages[1].lines[0].row, 0);
    assert_string_equal(line_text(&lay->pages[1], &lay->pages[1].lines[0]), "乙。");
}

/* Builds <report> with a title, `fill` one-line paragraphs, then `tail`. */
static char *filled_doc(int fill, const char *tail)
{
    size_t cap = 4096 + strlen(tail);
    char *xml = malloc(cap);
    size_t at = (size_t)snprintf(xml, cap, "<report version=\"1\"><title>标题</title>");
    for (int i = 0; i < fill; i++)
        at += (size_t)snprintf(xml + at, cap - at, "<p>短段落。</p>");
    snprintf(xml + at, cap - at, "%s</report>", tail);
    return xml;
}

static void test_heading_never_ends_a_page(void **state)
{
    fixture *f = *state;
    /* Title row 0, blank row 1, 19 paragraphs on rows 2–20: the heading would
     * fall on row 21 with its text on the next page; it moves down with it. */
    char *xml = filled_doc(19, "<section><heading>标题二</heading><p>内容。</p></section>");
    const gw_layout *lay = lay_out(f, NULL, xml);
    free(xml);
    assert_int_equal(lay->n_pages, 2);
    const gw_page *p1 = &lay->pages[0], *p2 = &lay->pages[1];
    assert_int_equal(p1->lines[p1->n_lines - 2].row, 20);   /* last text line; then the page number */
    assert_int_equal(p2->lines[0].kind, GW_LINE_HEADING);
    assert_int_equal(p2->lines[0].row, 0);
}

static void test_no_lone_lines(void **state)
{
    fixture *f = *state;
    /* A 3-line paragraph starting on row 20 would leave its last line alone on
     * page 2 (or its first alone on page 1): it moves whole, page 1 ends 2 short. */
    char *xml = filled_doc(18, "<p>甲乙丙丁戊己庚辛壬癸甲乙丙丁戊己庚辛壬癸甲乙丙丁戊己庚辛壬癸"
                               "甲乙丙丁戊己庚辛壬癸甲乙丙丁戊己庚辛壬癸甲乙丙丁。</p>");
    const gw_layout *lay = lay_out(f, NULL, xml);
    free(xml);
    assert_int_equal(lay->n_pages, 2);
    const gw_page *p1 = &lay->pages[0], *p2 = &lay->pages[1];
    assert_int_equal(p1->lines[p1->n_lines - 2].row, 19);
    assert_int_equal(p2->n_lines, 4);                         /* 3 lines + page number */
    assert_true(p2->lines[0].para_start);
}

static void test_lists(void **state)
{
    fixture *f = *state;
    const gw_layout *lay = lay_out(f, NULL,
        "<report version=\"1\"><title>标题</title><list><item>甲。</item><item>乙。</item></list>"
        "<section><heading>一级</heading><list><item>丙。</item></list></section></report>");
    const gw_page *p = &lay->pages[0];
    assert_string_equal(line_text(p, &p->lines[1]), "1.甲。");
    assert_string_equal(line_text(p, &p->lines[2]), "2.乙。");
    assert_string_equal(line_text(p, &p->lines[4]), "（一）丙。");
}

static void test_indents(void **state)
{
    fixture *f = *state;
    const gw_layout *lay = lay_out(f, NULL,
        "<report version=\"1\"><title>标题</title><p>缩进。</p><p indent=\"0\">顶格。</p>"
        "<p>\u3000\u3000自带缩进。</p><p align=\"center\">居中</p><p align=\"right\">居右</p></report>");
    const gw_geometry *g = &lay->geo;
    const gw_page *p = &lay->pages[0];
    assert_near(p->lines[1].x0, g->area_left + 2 * g->cell, 1e-6);
    assert_near(p->lines[2].x0, g->area_left, 1e-6);
    assert_near(p->lines[3].x0, g->area_left, 1e-6);            /* the typed U+3000s indent */
    assert_string_equal(line_text(p, &p->lines[3]), "\u3000\u3000自带缩进。");
    assert_near((p->lines[4].x0 + p->lines[4].x1) / 2, (g->area_left + g->area_right) / 2, 1e-6);
    assert_near(p->lines[5].x1, g->area_right, 1e-6);
}

static void test_signature_without_seal(void **state)
{
    fixture *f = *state;
    const gw_layout *lay = lay_out(f, NULL,
        "<report version=\"1\"><title>标题</title><p>正文。</p><signature>"
        "<issuer>某某区某某局</issuer><date>2023-03-15</date></signature></report>");
    const gw_geometry *g = &lay->geo;
    const gw_page *p = &lay->pages[0];
    const gw_line_box *issuer = &p->lines[2], *date = &p->lines[3];
    assert_int_equal(issuer->kind, GW_LINE_SIGNATURE);
    assert_int_equal(issuer->row, p->lines[1].row + 2);      /* one blank row below the body */
    assert_int_equal(date->row, issuer->row + 1);
    assert_string_equal(line_text(p, date), "2023年3月15日");
    /* Date longer than issuer + 2 字: date right-indented 2 字, issuer 2 字 left of it. */
    assert_near(date->x1, g->area_right - 2 * g->cell, 0.01);
    assert_near(date->x0 - issuer->x0, 2 * g->cell, 0.01);
}

/* The signature block never stands alone: when the date would fall on the
 * next page and tightening the page (two rows at most) is not enough, the
 * block and the body's last line go over together.  Title, blank row, 20
 * paragraphs and the 3-row block need 25 rows. */
static void test_signature_never_alone(void **state)
{
    fixture *f = *state;
    /* 26 rows: more than a tightened page holds (25). */
    char *xml = filled_doc(21, "<signature><issuer>某某区某某局</issuer><date>2023-03-15</date>"
                               "</signature>");
    const gw_layout *lay = lay_out(f, NULL, xml);
    free(xml);
    assert_int_equal(lay->n_pages, 2);
    const gw_page *p2 = &lay->pages[1];
    assert_int_equal(p2->lines[0].kind, GW_LINE_BODY);          /* two body lines come along */
    assert_int_equal(p2->lines[1].kind, GW_LINE_BODY);
    assert_int_equal(p2->lines[1].row, 1);
    assert_int_equal(p2->lines[2].kind, GW_LINE_SIGNATURE);
    assert_int_equal(p2->lines[2].row, 3);
    assert_int_equal(p2->lines[3].kind, GW_LINE_SIGNATURE);
    assert_string_equal(line_text(p2, &p2->lines[3]), "2023年3月15日");
    const gw_page *p1 = &lay->pages[0];
    assert_int_equal(p1->lines[p1->n_lines - 2].row, 20);      /* page 1 ends 1 row short */
}

/* Found by the fuzzer (tests/fuzz/regressions/layout-ubsan-null-plus-zero-
 * empty-section.xml): a section with a heading and nothing else. */
static void test_empty_section(void **state)
{
    fixture *f = *state;
    const gw_layout *lay = lay_out(f, NULL,
        "<report version=\"1\"><title>T</title><section><heading>H</heading></section></report>");
    const gw_page *p = &lay->pages[0];
    assert_int_equal(p->lines[1].kind, GW_LINE_HEADING);
    assert_string_equal(line_text(p, &p->lines[1]), "一、H");
}

/* A seal whose file is missing is an error at the <seal> element naming the path. */
static void test_seal_missing_file(void **state)
{
    fixture *f = *state;
    static const char xml[] = "<report version=\"1\"><title>标题</title><p>正文。</p>\n"
                              "<signature><issuer>局</issuer><seal src=\"seal.png\"/></signature></report>";
    f->doc = gw_doc_load_memory("mem.xml", xml, strlen(xml), NULL, NULL, &f->diag);
    assert_non_null(f->doc);
    f->lay = gw_layout_document(f->doc, f->fonts, NULL, &f->diag);
    assert_null(f->lay);
    assert_string_equal(diag_text(f),
                        "mem.xml:2:30: cannot read the seal image seal.png: No such file or directory\n");
}

static const gw_line_box *find_line(const gw_page *p, const char *text)
{
    for (size_t i = 0; i < p->n_lines; i++)
        if (!strcmp(line_text(p, &p->lines[i]), text))
            return &p->lines[i];
    return NULL;
}

/* GB/T 9704 §7.3.5.1 on the content/ report with a seal: the date right-indented
 * 4 字, the issuer centred on it, the 42 mm seal centred on both with both below
 * its centre, its top within one row of the last body line (not on it), and
 * inside the type area. */
static void test_sealed_signature(void **state)
{
    fixture *f = *state;
    const gw_layout *lay = lay_out(f, GW_SOURCE_DIR "/content/qinghe-2023-song-xi-xia-xiang-report.xml", NULL);
    const gw_geometry *g = &lay->geo;
    assert_int_equal(lay->n_seals, 1);
    const gw_page *p = &lay->pages[lay->n_pages - 1];
    assert_int_equal(p->n_images, 1);
    const gw_image_place *im = &p->images[0];
    assert_ptr_equal(im->image, lay->seals[0]);
    assert_near(im->size, 42 * GW_PT_PER_MM, 0.05);     /* the PNG's pHYs: 992 px at 600 dpi */
    const gw_line_box *date = find_line(p, "2024年1月15日"), *issuer = find_line(p, "青禾县文化馆");
    assert_non_null(date);
    assert_non_null(issuer);
    assert_int_equal(date->kind, GW_LINE_SIGNATURE);
    assert_int_equal(issuer->row + 1, date->row);
    assert_near(date->x1, g->area_left + 24 * g->cell, 0.01);               /* 右空四字 */
    double date_cx = (date->x0 + date->x1) / 2, issuer_cx = (issuer->x0 + issuer->x1) / 2;
    assert_near(issuer_cx, date_cx, 0.01);                                  /* centred on the date */
    double seal_cx = im->x + im->size / 2, seal_cy = im->y + im->size / 2;
    assert_near(seal_cx, date_cx, 0.01);
    /* Both below the seal's centre; the seal covers the date's glyphs. */
    double em_top_issuer = issuer->baseline + 0.88 * g->body_size;
    double em_bottom_date = date->baseline - 0.12 * g->body_size;
    assert_true(issuer->baseline + (0.88 - 0.5) * g->body_size < seal_cy);
    assert_true(em_top_issuer < im->y + im->size);
    assert_true(im->y < em_bottom_date && em_bottom_date < im->y + im->size);
    /* The last body line above the block. */
    const gw_line_box *body = NULL;
    for (size_t i = 0; i < p->n_lines; i++)
        if (p->lines[i].kind == GW_LINE_BODY && p->lines[i].row < issuer->row)
            body = &p->lines[i];
    assert_non_null(body);
    double body_bottom = body->baseline - 0.12 * g->body_size, seal_top = im->y + im->size;
    assert_true(seal_top <= body_bottom + 1e-6);                 /* off the body text */
    assert_true(body_bottom - seal_top < g->pitch);              /* within one row of it */
    /* Inside the type area. */
    assert_true(im->x >= g->area_left && im->x + im->size <= g->area_right);
    assert_true(im->y >= g->area_bottom && seal_top <= g->area_top);
    /* The issuer's and date's text is black over the red: the seal is drawn first
     * (the PDF output draws images before text); its ink is red. */
    assert_true(lay->seals[0]->red > 0.8 && lay->seals[0]->green < 0.2 && lay->seals[0]->blue < 0.2);
}

/* ---- format v2: the 公文's own parts (GB/T 9704 §7, §10) ---------------- */

#define SEAL GW_SOURCE_DIR "/content/qinghe-seal.png"

/* The first box of `kind` on p whose text starts with `prefix`. */
static const gw_line_box *find_box(const gw_page *p, gw_line_kind kind, const char *prefix)
{
    for (size_t i = 0; i < p->n_lines; i++)
        if (p->lines[i].kind == kind &&
            !strncmp(line_text(p, &p->lines[i]), prefix, strlen(prefix)))
            return &p->lines[i];
    return NULL;
}

static bool has_page_number(const gw_page *p)
{
    for (size_t i = 0; i < p->n_lines; i++)
        if (p->lines[i].kind == GW_LINE_PAGENUM)
            return true;
    return false;
}

/* Em-box top of a box's first glyph (0.88 em above the baseline). */
static double em_top(const gw_page *p, const gw_line_box *b)
{
    return b->baseline + 0.88 * p->glyphs[b->first].size;
}

static const gw_rule *lowest_rule(const gw_page *p, uint32_t color)
{
    const gw_rule *low = NULL;
    for (size_t i = 0; i < p->n_rules; i++)
        if (p->rules[i].color == color && (!low || p->rules[i].y0 < low->y0))
            low = &p->rules[i];
    return low;
}

static const char *const UPWARD =
    "<document version=\"2\"><header suffix=\"文件\"><copy>000123</copy>"
    "<secrecy period=\"5年\">机密</secrecy><urgency>特急</urgency>"
    "<issuer-mark>青禾县文化和旅游局</issuer-mark><issuer-mark>青禾县财政局</issuer-mark>"
    "<doc-number>青文旅〔2023〕8号</doc-number><signer>张三</signer><signer>李四</signer>"
    "<signer>王五</signer></header><title>关于申请专项资金的请示</title>"
    "<to>青禾县人民政府：</to><p>现将有关事项请示如下。</p><p>妥否，请批示。</p></document>";

/* 版头 of an upward joint document: front marks on rows 1–3, the red marks
 * stacked with 文件 centred on them, their top 35 mm below the type area and
 * the block centred and within 156 mm; 签发人 two a line right-indented 1 字,
 * the 发文字号 indented 1 字 on the last of them; the red rule 4 mm under it;
 * the title two lines under the rule, on the grid; 主送 flush left. */
static void test_v2_header_upward(void **state)
{
    fixture *f = *state;
    const gw_layout *lay = lay_out(f, NULL, UPWARD);
    const gw_geometry *g = &lay->geo;
    const gw_page *p = &lay->pages[0];
    const gw_line_box *copy = find_box(p, GW_LINE_HEADER, "000123");
    const gw_line_box *secrecy = find_box(p, GW_LINE_HEADER, "机密★5年");
    const gw_line_box *urgency = find_box(p, GW_LINE_HEADER, "特急");
    assert_non_null(copy);
    assert_non_null(secrecy);
    assert_non_null(urgency);
    for (int r = 0; r < 3; r++) {
        const gw_line_box *b = r == 0 ? copy : r == 1 ? secrecy : urgency;
        assert_near(b->baseline, gw_row_baseline(g, r, g->body_size), 1e-6);
        assert_near(b->x0, g->area_left, 0.01);
    }
    assert_int_equal(p->glyphs[secrecy->first].role, GW_ROLE_HEADING1);
    /* The marks: red, in the title role, top 35 mm below the type area. */
    double top = -1e9, x0 = 1e9, x1 = -1e9;
    size_t red = 0;
    for (size_t i = 0; i < p->n_glyphs; i++) {
        const gw_glyph *gl = &p->glyphs[i];
        if (gl->color != GW_RED)
            continue;
        red++;
        assert_int_equal(gl->role, GW_ROLE_TITLE);
        top = fmax(top, gl->y + 0.88 * gl->size);
        x0 = fmin(x0, gl->x);
        x1 = fmax(x1, gl->x + gl->advance);
    }
    assert_int_equal(red, strlen("青禾县文化和旅游局青禾县财政局文件") / 3);
    assert_near(top, g->area_top - 35 * GW_PT_PER_MM, 0.01);
    assert_near((x0 + x1) / 2, (g->area_left + g->area_right) / 2, 0.5 * GW_PT_PER_MM);
    assert_true(x1 - x0 <= g->area_right - g->area_left + 1e-6);
    const gw_line_box *suffix = find_box(p, GW_LINE_HEADER, "文件");
    const gw_line_box *m1 = find_box(p, GW_LINE_HEADER, "青禾县文化"), *m2 = find_box(p, GW_LINE_HEADER, "青禾县财政局");
    assert_non_null(suffix);
    assert_non_null(m1);
    assert_non_null(m2);
    assert_near(m1->x1, m2->x1, 0.5);                        /* spread to the longest */
    assert_near(suffix->baseline, (m1->baseline + m2->baseline) / 2, 0.01);
    assert_true(suffix->x0 > m1->x1);
    /* 签发人: two a line; the doc-number on the last line, indented 1 字. */
    const gw_line_box *s1 = find_box(p, GW_LINE_HEADER, "签发人：张三"),
                      *s2 = find_box(p, GW_LINE_HEADER, "王五"),
                      *dn = find_box(p, GW_LINE_HEADER, "青文旅〔2023〕8号");
    assert_non_null(s1);
    assert_non_null(s2);
    assert_non_null(dn);
    assert_string_equal(line_text(p, s1), "签发人：张三\u3000李四");
    assert_near(s1->x1, g->area_right - g->cell, 0.01);
    assert_near(s2->x1, g->area_right - g->cell, 0.01);
    assert_near(s1->baseline - s2->baseline, g->pitch, 1e-6);
    assert_near(dn->baseline, s2->baseline, 1e-6);
    assert_near(dn->x0, g->area_left + g->cell, 0.01);
    assert_int_equal(p->glyphs[s1->first].role, GW_ROLE_BODY);
    assert_int_equal(p->glyphs[s1->first + 4].role, GW_ROLE_HEADING2);
    /* Copied out, the 发文字号 comes before the 签发人, as in the source. */
    assert_true(dn->first < s1->first);
    /* Two blank lines or more between the marks and the first signer line. */
    double marks_bottom = m2->baseline - 0.12 * p->glyphs[m2->first].size;
    assert_true(marks_bottom - em_top(p, s1) >= 2 * g->pitch - 1e-6);
    /* The red rule: 156 mm, 4 mm under the doc-number's em box. */
    const gw_rule *rule = lowest_rule(p, GW_RED);
    assert_non_null(rule);
    assert_near(rule->x0, g->area_left, 1e-6);
    assert_near(rule->x1, g->area_right, 1e-6);
    assert_near(dn->baseline - 0.12 * g->body_size - rule->y0, 4 * GW_PT_PER_MM, 1e-6);
    /* The title on a grid row two lines or more under the rule; 主送 flush left. */
    const gw_line_box *title = find_box(p, GW_LINE_TITLE, "关于");
    assert_non_null(title);
    assert_true(title->row >= 0);
    assert_true(rule->y0 - (g->area_top - title->row * g->pitch) >= 2 * g->pitch - 1e-6);
    assert_true(rule->y0 - (g->area_top - (title->row - 1) * g->pitch) < 2 * g->pitch);
    const gw_line_box *to = find_box(p, GW_LINE_BODY, "青禾县人民政府：");
    assert_non_null(to);
    assert_near(to->x0, g->area_left, 0.01);
    assert_int_equal(to->row, title->row + 2);
}

/* 信函格式: the mark 30 mm below the page's top; two red double lines 170 mm
 * long, centred, thick over thin 4 mm under the mark and thin over thick with
 * the lowest 20 mm above the page's bottom; the doc-number flush right under
 * the upper lines; no page number on page 1, 2 on page 2; a letter's 版记 has
 * no rules. */
static void test_v2_letter(void **state)
{
    fixture *f = *state;
    char xml[8192];
    char body[4096] = "";
    for (int i = 0; i < 30; i++)
        strcat(body, "<p>根据有关要求，现将我会自评报告报送你局。</p>");
    snprintf(xml, sizeof xml, "<document version=\"2\" kind=\"letter\"><header>"
             "<issuer-mark>广州市增城区总工会</issuer-mark><doc-number>增工函〔2023〕12号"
             "</doc-number></header><title>关于报送自评报告的函</title><to>区财政局：</to>%s"
             "<record><cc>区纪委监委。</cc></record></document>", body);
    const gw_layout *lay = lay_out(f, NULL, xml);
    const gw_geometry *g = &lay->geo;
    const gw_page *p = &lay->pages[0];
    double top = -1e9, bottom = 1e9;
    for (size_t i = 0; i < p->n_glyphs; i++)
        if (p->glyphs[i].color == GW_RED) {
            top = fmax(top, p->glyphs[i].y + 0.88 * p->glyphs[i].size);
            bottom = fmin(bottom, p->glyphs[i].y - 0.12 * p->glyphs[i].size);
        }
    assert_near(top, g->page_height - 30 * GW_PT_PER_MM, 0.01);
    size_t n = 0;
    double high = -1e9, low = 1e9, high_w = 0, low_w = 0;
    for (size_t i = 0; i < p->n_rules; i++) {
        const gw_rule *r = &p->rules[i];
        assert_int_equal(r->color, GW_RED);
        assert_near(r->x0, 20 * GW_PT_PER_MM, 0.01);
        assert_near(r->x1 - r->x0, 170 * GW_PT_PER_MM, 0.01);
        n++;
        if (r->y0 > high) {
            high = r->y0;
            high_w = r->width;
        }
        if (r->y0 < low) {
            low = r->y0;
            low_w = r->width;
        }
    }
    assert_int_equal(n, 4);
    assert_near(bottom - high, 4 * GW_PT_PER_MM, 0.01);
    assert_near(low, 20 * GW_PT_PER_MM, 0.01);
    assert_true(high_w > 2 * low_w - 1e-9 || low_w > 2 * high_w - 1e-9 || high_w == low_w);
    assert_true(high_w > 0.5 && low_w > 0.5);                  /* the thick lines outside */
    const gw_line_box *dn = find_box(p, GW_LINE_HEADER, "增工函");
    assert_non_null(dn);
    assert_near(dn->x1, g->area_right, 0.01);
    assert_true(dn->baseline < high);
    assert_false(has_page_number(p));
    assert_true(lay->n_pages >= 2);
    assert_true(has_page_number(&lay->pages[1]));
    assert_int_equal(lay->pages[1].number, 2);
    const gw_page *last = &lay->pages[lay->n_pages - 1];
    assert_non_null(find_box(last, GW_LINE_RECORD, "抄送："));
    for (size_t i = 0; i < last->n_rules; i++)
        assert_int_not_equal(last->rules[i].color, GW_BLACK);
}

/* 附件说明 (§7.3.4): "附件：" indented 2 字, "2." under "1.", a wrapped name
 * aligned with its first character; each bound attachment from a new page,
 * 附件N on row 1 flush left in the label role, its title on row 3; page
 * numbers go on; bound="false" is listed, not printed; role="issued" is
 * printed without a label and not listed. */
static void test_v2_annex_and_attachments(void **state)
{
    fixture *f = *state;
    const char *xml =
        "<document version=\"2\"><title>关于印发方案的通知</title><p>现将方案印发给你们。</p>"
        "<signature><issuer>某某局</issuer><date>2023-03-15</date></signature>"
        "<attachment><title>2023年度全县乡村文化振兴专项资金使用情况及下一步工作安排的说明材料</title>"
        "<p>说明。</p></attachment>"
        "<attachment bound=\"false\"><title>另送材料</title></attachment>"
        "<attachment><title>资金测算表</title><p>测算。</p></attachment>"
        "<attachment role=\"issued\"><title>某某工作方案</title><p>方案正文。</p></attachment>"
        "</document>";
    const gw_layout *lay = lay_out(f, NULL, xml);
    const gw_geometry *g = &lay->geo;
    const gw_page *p = &lay->pages[0];
    const gw_line_box *a1 = find_box(p, GW_LINE_BODY, "附件：1.");
    assert_non_null(a1);
    assert_near(a1->x0, g->area_left + 2 * g->cell, 0.01);
    /* "1." is the glyph after "附件："; "2." and "3." start under it. */
    double one_x = p->glyphs[a1->first + 3].x;
    const gw_line_box *wrap = NULL, *a2 = find_box(p, GW_LINE_BODY, "2.另送材料");
    const gw_line_box *a3 = find_box(p, GW_LINE_BODY, "3.资金测算表");
    assert_non_null(a2);
    assert_non_null(a3);
    assert_near(p->glyphs[a2->first].x, one_x, 0.01);
    assert_near(p->glyphs[a3->first].x, one_x, 0.01);
    for (size_t i = 0; i < p->n_lines; i++)
        if (p->lines[i].row == a1->row + 1)
            wrap = &p->lines[i];
    assert_non_null(wrap);                                   /* the long name wraps */
    assert_ptr_not_equal(wrap, a2);
    assert_near(p->glyphs[wrap->first].x, p->glyphs[a1->first + 5].x, 0.3);   /* ink: 2 vs 全 */
    /* The attachments: 附件1, 附件3 (numbered as listed), then the issued document. */
    assert_int_equal(lay->n_pages, 4);
    const char *labels[] = { "附件1", "附件3" };
    for (int i = 0; i < 2; i++) {
        const gw_page *ap = &lay->pages[1 + i];
        const gw_line_box *label = find_box(ap, GW_LINE_LABEL, labels[i]);
        assert_non_null(label);
        assert_string_equal(line_text(ap, label), labels[i]);
        assert_int_equal(label->row, 0);
        assert_near(label->x0, g->area_left, 0.01);
        assert_int_equal(ap->glyphs[label->first].role, GW_ROLE_LABEL);
        const gw_line_box *title = find_box(ap, GW_LINE_TITLE, i == 0 ? "2023" : "资金");
        assert_non_null(title);
        assert_int_equal(title->row, 2);
        assert_int_equal(ap->number, 2 + i);
        assert_true(has_page_number(ap));
    }
    const gw_page *issued = &lay->pages[3];
    assert_null(find_box(issued, GW_LINE_LABEL, ""));
    const gw_line_box *it = find_box(issued, GW_LINE_TITLE, "某某工作方案");
    assert_non_null(it);
    assert_int_equal(it->row, 0);
    for (size_t i = 0; i < lay->n_pages; i++)
        assert_null(find_box(&lay->pages[i], GW_LINE_TITLE, "另送材料"));
}

/* 联合行文 with seals (§7.3.5.1): the seals side by side, neither touching nor
 * leaving the type area, each centred on its issuer; the last covers the date
 * (right-indented 4 字); the 附注 on the row under the date, indented 2 字, in
 * brackets. */
static void test_v2_joint_seals_and_note(void **state)
{
    fixture *f = *state;
    const char *xml =
        "<document version=\"2\"><title>关于申请专项资金的请示</title><p>妥否，请批示。</p>"
        "<signature><issuer>青禾县文化和旅游局</issuer><issuer>青禾县财政局</issuer>"
        "<date>2023-03-15</date><seal src=\"" SEAL "\"/><seal src=\"" SEAL "\"/></signature>"
        "<note>联系人：王五，电话：1234567</note></document>";
    const gw_layout *lay = lay_out(f, NULL, xml);
    const gw_geometry *g = &lay->geo;
    const gw_page *p = &lay->pages[lay->n_pages - 1];
    assert_int_equal(p->n_images, 2);
    const gw_image_place *s1 = &p->images[0], *s2 = &p->images[1];
    assert_true(s1->x + s1->size < s2->x);                          /* apart */
    assert_near(s1->y, s2->y, 1e-6);                                /* one row */
    for (int i = 0; i < 2; i++) {
        const gw_image_place *s = &p->images[i];
        assert_true(s->x >= g->area_left && s->x + s->size <= g->area_right);
    }
    const gw_line_box *issuers = find_box(p, GW_LINE_SIGNATURE, "青禾县文化和旅游局");
    const gw_line_box *date = find_box(p, GW_LINE_SIGNATURE, "2023年3月15日");
    const gw_line_box *note = find_box(p, GW_LINE_SIGNATURE, "（联系人");
    assert_non_null(issuers);
    assert_non_null(date);
    assert_non_null(note);
    assert_near(date->x1, g->area_left + 24 * g->cell, 0.01);
    assert_near(s2->x + s2->size / 2, (date->x0 + date->x1) / 2, 0.01);
    assert_true(s2->y < date->baseline && date->baseline < s2->y + s2->size);
    /* Each issuer centred under its seal (both on one row). */
    const gw_glyph *first = &p->glyphs[issuers->first];
    double left_x1 = 0;
    for (size_t i = issuers->first; i < issuers->first + issuers->count; i++)
        if (p->glyphs[i].cp == 0x5C40 && left_x1 == 0)             /* the first 局 */
            left_x1 = p->glyphs[i].x + p->glyphs[i].advance;
    assert_near((first->x + left_x1) / 2, s1->x + s1->size / 2, 1.0);
    assert_int_equal(note->row, date->row + 1);
    assert_near(note->x0, g->area_left + 2 * g->cell, 0.01);
    assert_string_equal(line_text(p, note), "（联系人：王五，电话：1234567）");
}

/* 命令格式 (§10.3): the mark 20 mm below the type area, the 令号 centred two
 * lines under it and no rule; the 签名章 right-indented 4 字 two rows under the
 * body with the title 2 字 to its left, centred on it; the date one blank row
 * under the stamp. */
static void test_v2_order_with_stamp(void **state)
{
    fixture *f = *state;
    const char *xml =
        "<document version=\"2\" kind=\"order\"><header><issuer-mark>青禾县人民政府令</issuer-mark>"
        "<doc-number>第3号</doc-number></header><p>《青禾县文化遗产保护办法》已经县政府常务会议"
        "通过，现予公布，自2023年5月1日起施行。</p><signature><signer-stamp src=\"" SEAL
        "\" diameter=\"20\">县长</signer-stamp><date>2023-04-01</date></signature></document>";
    const gw_layout *lay = lay_out(f, NULL, xml);
    const gw_geometry *g = &lay->geo;
    const gw_page *p = &lay->pages[0];
    double top = -1e9;
    for (size_t i = 0; i < p->n_glyphs; i++)
        if (p->glyphs[i].color == GW_RED)
            top = fmax(top, p->glyphs[i].y + 0.88 * p->glyphs[i].size);
    assert_near(top, g->area_top - 20 * GW_PT_PER_MM, 0.01);
    assert_int_equal(p->n_rules, 0);
    const gw_line_box *dn = find_box(p, GW_LINE_HEADER, "第3号");
    assert_non_null(dn);
    assert_near((dn->x0 + dn->x1) / 2, (g->area_left + g->area_right) / 2, 0.5);
    const gw_line_box *body = find_box(p, GW_LINE_BODY, "《青禾县");
    assert_non_null(body);
    assert_true(dn->baseline - body->baseline >= 2 * g->pitch);
    assert_int_equal(p->n_images, 1);
    const gw_image_place *st = &p->images[0];
    assert_near(st->size, 20 * GW_PT_PER_MM, 1e-6);
    assert_near(st->x + st->size, g->area_left + 24 * g->cell, 0.01);
    const gw_line_box *title = find_box(p, GW_LINE_SIGNATURE, "县长");
    const gw_line_box *date = find_box(p, GW_LINE_SIGNATURE, "2023年4月1日");
    assert_non_null(title);
    assert_non_null(date);
    assert_near(title->x1, st->x - 2 * g->cell, 0.01);
    double em_centre = title->baseline + (0.88 - 0.5) * g->body_size;
    assert_near(st->y + st->size / 2, em_centre, 1e-6);
    assert_near(date->x1, g->area_left + 24 * g->cell, 0.01);
    int stamp_rows = (int)ceil(st->size / g->pitch - 1e-9);
    const gw_line_box *last_body = body;
    for (size_t i = 0; i < p->n_lines; i++)
        if (p->lines[i].kind == GW_LINE_BODY)
            last_body = &p->lines[i];
    /* Rows: two blank, the stamp's, one blank, the date. */
    assert_int_equal(date->row, last_body->row + 2 + stamp_rows + 1 + 1);
}

/* 版记 (§7.4): on the last page, its last rule on the type area's bottom edge,
 * the first and last 0.35 mm and the one between 0.25 mm, 抄送 in 4号 indented
 * 1 字 with wrapped lines after the colon, "…印发" 1 字 from the right; with
 * duplex the page count is even, a blank page before it and its own page
 * unnumbered; duplex="false" adds no page. */
static void test_v2_record(void **state)
{
    fixture *f = *state;
    char xml[4096];
    const char *fmt =
        "<document version=\"2\" duplex=\"%s\"><title>关于某某事项的通知</title><p>正文。</p>"
        "<record><cc>县委办公室，县人大常委会办公室，县政协办公室，县纪委监委，县法院，县检察院"
        "，县人武部。</cc><distributor><name>青禾县文化和旅游局办公室</name>"
        "<date>2023-03-15</date></distributor></record></document>";
    snprintf(xml, sizeof xml, fmt, "true");
    const gw_layout *lay = lay_out(f, NULL, xml);
    const gw_geometry *g = &lay->geo;
    assert_int_equal(lay->n_pages, 2);                       /* page 1 is odd: the 版记 on 2 */
    const gw_page *p = &lay->pages[1];
    assert_true(has_page_number(p));                         /* no blank page before it */
    assert_int_equal(p->n_rules, 3);
    const gw_rule *low = lowest_rule(p, GW_BLACK);
    assert_near(low->y0, g->area_bottom, 1e-6);
    assert_near(low->x1 - low->x0, 156 * GW_PT_PER_MM, 0.01);
    double widths[3];
    for (int i = 0; i < 3; i++)
        widths[i] = p->rules[i].width;
    assert_near(widths[0], 0.35 * GW_PT_PER_MM, 1e-6);
    assert_near(widths[1], 0.25 * GW_PT_PER_MM, 1e-6);
    assert_near(widths[2], 0.35 * GW_PT_PER_MM, 1e-6);
    const gw_line_box *cc = find_box(p, GW_LINE_RECORD, "抄送：");
    assert_non_null(cc);
    assert_near(cc->x0, g->area_left + g->cell, 0.01);
    assert_near(p->glyphs[cc->first].size, 14.0, 1e-9);
    const gw_line_box *wrap = NULL, *dist = find_box(p, GW_LINE_RECORD, "青禾县文化和旅游局办公室");
    for (size_t i = 0; i < p->n_lines; i++)
        if (p->lines[i].kind == GW_LINE_RECORD && p->lines[i].baseline < cc->baseline &&
            &p->lines[i] != dist)
            wrap = &p->lines[i];
    assert_non_null(wrap);
    assert_near(p->glyphs[wrap->first].x, p->glyphs[cc->first + 3].x, 0.01);
    assert_non_null(dist);
    assert_near(dist->x0, g->area_left + g->cell, 0.01);
    assert_near(dist->x1, g->area_right - g->cell, 0.01);
    assert_true(strstr(line_text(p, dist), "2023年3月15日印发") != NULL);
    gw_layout_free(f->lay);
    gw_doc_free(f->doc);
    snprintf(xml, sizeof xml, fmt, "false");
    lay = lay_out(f, NULL, xml);
    assert_int_equal(lay->n_pages, 1);
}

/* A full page before the 版记 on an even page: a blank odd page, then the 版记
 * on its own even page, neither numbered (§7.5). */
static void test_v2_record_blank_page(void **state)
{
    fixture *f = *state;
    char xml[16384] = "<document version=\"2\"><title>关于某某事项的通知</title>";
    for (int i = 0; i < 21 + 20; i++)
        strcat(xml, "<p>为推进乡村文化振兴。</p>");
    strcat(xml, "<record><cc>县委办公室。</cc></record></document>");
    const gw_layout *lay = lay_out(f, NULL, xml);
    assert_int_equal(lay->n_pages, 4);
    assert_true(has_page_number(&lay->pages[1]));
    assert_int_equal(lay->pages[2].n_glyphs, 0);
    assert_false(has_page_number(&lay->pages[3]));
    assert_non_null(find_box(&lay->pages[3], GW_LINE_RECORD, "抄送："));
}

/* 纪要: 出席 / 请假 in 黑体 indented 2 字, the names after the colon, wrapped
 * lines aligned after it. */
static void test_v2_minutes_attendance(void **state)
{
    fixture *f = *state;
    const char *xml =
        "<document version=\"2\" kind=\"minutes\"><header><issuer-mark>青禾县文化和旅游局局务会议纪要"
        "</issuer-mark></header><title>2023年第5次局务会议纪要</title><attendance><present>"
        "张三、李四、王五、赵六、钱七、孙八、周九、吴十、郑十一、王十二、冯十三、陈十四</present>"
        "<absent>褚十五</absent></attendance><p>会议研究了有关事项。</p></document>";
    const gw_layout *lay = lay_out(f, NULL, xml);
    const gw_geometry *g = &lay->geo;
    const gw_page *p = &lay->pages[0];
    const gw_line_box *present = find_box(p, GW_LINE_BODY, "出席：");
    const gw_line_box *absent = find_box(p, GW_LINE_BODY, "请假：");
    assert_non_null(present);
    assert_non_null(absent);
    assert_near(present->x0, g->area_left + 2 * g->cell, 0.01);
    assert_int_equal(p->glyphs[present->first].role, GW_ROLE_HEADING1);
    assert_int_equal(p->glyphs[present->first + 3].role, GW_ROLE_BODY);
    assert_int_equal(absent->row, present->row + 2);          /* one wrapped line between */
    const gw_line_box *wrap = NULL;
    for (size_t i = 0; i < p->n_lines; i++)
        if (p->lines[i].row == present->row + 1)
            wrap = &p->lines[i];
    assert_non_null(wrap);
    assert_near(p->glyphs[wrap->first].x, p->glyphs[present->first + 3].x, 0.01);
}

/* ---- tables -------------------------------------------------------------- */

/* The UTF-8 text of every glyph of page p in drawing order. */
static char *page_text(const gw_page *p)
{
    char *buf = malloc(p->n_glyphs * 4 + 1);
    assert_non_null(buf);
    size_t at = 0;
    for (size_t i = 0; i < p->n_glyphs; i++)
        at += gw_utf8_encode(p->glyphs[i].cp, buf + at);
    buf[at] = '\0';
    return buf;
}

/* Every rule and glyph of the page lies in the type area. */
static void assert_inside_area(const gw_geometry *g, const gw_page *p)
{
    for (size_t i = 0; i < p->n_rules; i++) {
        const gw_rule *r = &p->rules[i];
        assert_true(r->x0 >= g->area_left - 0.01 && r->x1 <= g->area_right + 0.01);
        assert_true(fmin(r->y0, r->y1) >= g->area_bottom - 0.01);
        assert_true(fmax(r->y0, r->y1) <= g->area_top + 0.01);
        assert_near(r->width, 0.5, 1e-9);
    }
    for (size_t i = 0; i < p->n_glyphs; i++) {
        const gw_glyph *gl = &p->glyphs[i];
        if (gl->role == GW_ROLE_PAGENUM || gl->role == GW_ROLE_TITLE)
            continue;                       /* the 22 pt title is centred on its row */
        assert_true(gl->x >= g->area_left - 0.01 && gl->x + gl->advance <= g->area_right + 0.01);
        assert_true(gl->y - 0.12 * gl->size >= g->area_bottom - 0.01);
        assert_true(gl->y + 0.88 * gl->size <= g->area_top + 0.01);
    }
}

static void test_table_on_the_grid(void **state)
{
    fixture *f = *state;
    const gw_layout *lay = lay_out(f, NULL,
        "<report version=\"1\"><title>标题</title><p>表前。</p><table>"
        "<caption>表1 收支情况</caption>"
        "<col width=\"2*\"/><col width=\"*\"/><col width=\"30mm\"/>"
        "<thead><tr><th rowspan=\"2\">项目</th><th colspan=\"2\">金额（万元）</th></tr>"
        "<tr><th>预算数</th><th>执行数</th></tr></thead>"
        "<tbody><tr><td>人员经费和日常公用经费合计数</td><td align=\"right\">922.64</td>"
        "<td align=\"right\">915.30</td></tr></tbody></table><p>表后正文。</p></report>");
    const gw_geometry *g = &lay->geo;
    assert_int_equal(lay->n_pages, 1);
    const gw_page *p = &lay->pages[0];
    assert_inside_area(g, p);
    assert_true(p->n_rules > 0);
    /* The table spans the type area: its left rule on the area's left edge. */
    double left = 1e9, right = -1e9, bottom = 1e9;
    for (size_t i = 0; i < p->n_rules; i++) {
        left = fmin(left, p->rules[i].x0);
        right = fmax(right, p->rules[i].x1);
        bottom = fmin(bottom, fmin(p->rules[i].y0, p->rules[i].y1));
    }
    assert_near(left, g->area_left, 0.01);
    assert_near(right, g->area_right, 0.01);
    /* Cells are set in 12 pt, heads in 黑体; each cell's text in order. */
    char *text = page_text(p);
    assert_non_null(strstr(text, "项目金额（万元）预算数执行数人员经费和日常公用经费合计数922.64915.30"));
    free(text);
    const gw_line_box *after = NULL, *caption = NULL;
    double prev_cell_line = NAN;
    for (size_t i = 0; i < p->n_lines; i++) {
        const gw_line_box *b = &p->lines[i];
        if (b->kind == GW_LINE_TABLE) {
            for (size_t k = b->first; k < b->first + b->count; k++) {
                assert_near(p->glyphs[k].size, 12.0, 1e-9);
                if (p->glyphs[k].cp == 0x9879 /* 项 */)
                    assert_int_equal(p->glyphs[k].role, GW_ROLE_HEADING1);
            }
            /* The two lines of the first body cell are 18 pt apart. */
            if (p->glyphs[b->first].cp == 0x4EBA /* 人 */)
                prev_cell_line = b->baseline;
            else if (!isnan(prev_cell_line) && p->glyphs[b->first].cp != '9')
                assert_near(prev_cell_line - b->baseline, 18.0, 1e-6), prev_cell_line = NAN;
        }
        if (!strcmp(line_text(p, b), "表1 收支情况") || !strcmp(line_text(p, b), "表1收支情况"))
            caption = b;
        if (!strcmp(line_text(p, b), "表后正文。"))
            after = b;
    }
    assert_non_null(caption);
    assert_int_equal(caption->kind, GW_LINE_HEADING);
    /* After the table the body is back on the grid, below the table's last rule. */
    assert_non_null(after);
    assert_true(after->row > caption->row);
    assert_near(after->baseline, gw_row_baseline(g, after->row, g->body_size), 1e-6);
    assert_true(after->baseline + 0.88 * g->body_size < bottom);
}

/* A table longer than a page: the head rows on top of every page it spans,
 * each row whole on one page, nothing outside the type area. */
static void test_table_across_pages(void **state)
{
    fixture *f = *state;
    char *xml = malloc(64 * 1024);
    assert_non_null(xml);
    size_t at = (size_t)sprintf(xml, "<report version=\"1\"><title>标题</title><table>"
                                     "<col width=\"*\"/><col width=\"4*\"/><thead><tr><th>序号</th>"
                                     "<th>说明</th></tr></thead><tbody>");
    for (int k = 1; k <= 40; k++)
        at += (size_t)sprintf(xml + at, "<tr><td>行%02d</td><td>这是第%d行的说明文字，长度足以在这一列里"
                                        "折成两行，以便测试。</td></tr>", k, k);
    sprintf(xml + at, "</tbody></table><p>表后。</p></report>");
    const gw_layout *lay = lay_out(f, NULL, xml);
    free(xml);
    assert_true(lay->n_pages >= 2);
    int seen[41] = { 0 };
    for (size_t pi = 0; pi < lay->n_pages; pi++) {
        const gw_page *p = &lay->pages[pi];
        assert_inside_area(&lay->geo, p);
        const gw_line_box *first = NULL;
        for (size_t i = 0; i < p->n_lines && !first; i++)
            if (p->lines[i].kind == GW_LINE_TABLE)
                first = &p->lines[i];
        if (!first)
            continue;
        assert_string_equal(line_text(p, first), "序号");
        char *text = page_text(p);
        assert_non_null(strstr(text, "序号说明"));
        for (int k = 1; k <= 40; k++) {
            char row[256];
            snprintf(row, sizeof row, "行%02d这是第%d行的说明文字，长度足以在这一列里折成两行，以便测试。", k, k);
            if (strstr(text, row))
                seen[k]++;
        }
        free(text);
    }
    for (int k = 1; k <= 40; k++)
        assert_int_equal(seen[k], 1);                    /* every row whole, once */
}

/* A row taller than a page is cut between its lines, and no character is lost. */
static void test_table_row_taller_than_page(void **state)
{
    fixture *f = *state;
    char *xml = malloc(64 * 1024);
    assert_non_null(xml);
    size_t at = (size_t)sprintf(xml, "<report version=\"1\"><title>标题</title><table>"
                                     "<col width=\"*\"/><col width=\"*\"/><thead><tr><th>甲</th>"
                                     "<th>乙</th></tr></thead><tbody><tr><td>长</td><td>");
    for (int k = 0; k < 2000; k++)                 /* taller than a page in any column split */
        at += (size_t)sprintf(xml + at, "文");
    sprintf(xml + at, "</td></tr></tbody></table></report>");
    const gw_layout *lay = lay_out(f, NULL, xml);
    free(xml);
    assert_true(lay->n_pages >= 2);
    size_t wen = 0;
    for (size_t pi = 0; pi < lay->n_pages; pi++) {
        const gw_page *p = &lay->pages[pi];
        assert_inside_area(&lay->geo, p);
        for (size_t i = 0; i < p->n_glyphs; i++)
            wen += p->glyphs[i].cp == 0x6587;
        char *text = page_text(p);
        assert_non_null(strstr(text, "甲乙"));             /* the head on every page */
        free(text);
    }
    assert_int_equal(wen, 2000);
}

/* True when a rule of p runs along the segment (x0, y0)-(x1, y1) (horizontal or
 * vertical), covering it whole. */
static bool rule_covers(const gw_page *p, double x0, double y0, double x1, double y1)
{
    for (size_t i = 0; i < p->n_rules; i++) {
        const gw_rule *r = &p->rules[i];
        double rx0 = fmin(r->x0, r->x1), rx1 = fmax(r->x0, r->x1);
        double ry0 = fmin(r->y0, r->y1), ry1 = fmax(r->y0, r->y1);
        bool horizontal = fabs(y0 - y1) < 1e-6 && fabs(ry0 - ry1) < 1e-6 && fabs(ry0 - y0) < 1e-6 &&
                          rx0 <= fmin(x0, x1) + 1e-6 && rx1 >= fmax(x0, x1) - 1e-6;
        bool vertical = fabs(x0 - x1) < 1e-6 && fabs(rx0 - rx1) < 1e-6 && fabs(rx0 - x0) < 1e-6 &&
                        ry0 <= fmin(y0, y1) + 1e-6 && ry1 >= fmax(y0, y1) - 1e-6;
        if (horizontal || vertical)
            return true;
    }
    return false;
}

/* A sparse table (issue 21: 20 000 one-cell rows of 64 declared columns were
 * padded to 1.28 million cells): the slots no cell covers still get the grid's
 * rules — along each slot's top and its left side — on every page the table
 * runs over, and the cells' text is all there, once. */
static void test_table_sparse_grid(void **state)
{
    fixture *f = *state;
    enum { ROWS = 60, COLS = 6 };
    char *xml = malloc(16 * 1024);
    assert_non_null(xml);
    size_t at = (size_t)sprintf(xml, "<report version=\"1\"><title>标题</title><table>");
    for (int c = 0; c < COLS; c++)
        at += (size_t)sprintf(xml + at, "<col width=\"*\"/>");
    at += (size_t)sprintf(xml + at, "<tbody><tr><td rowspan=\"3\">甲</td><td colspan=\"2\">乙</td></tr>");
    /* Rows 2 and 3 start in column 2 (the rowspan), the others in column 1; a
     * row of 3k + 2 has an empty cell before its 丙. */
    for (int r = 1; r < ROWS; r++)
        at += (size_t)sprintf(xml + at, "<tr>%s<td>丙</td></tr>", r % 3 == 1 ? "" : "<td/>");
    sprintf(xml + at, "</tbody></table><p>表后。</p></report>");
    const gw_layout *lay = lay_out(f, NULL, xml);
    free(xml);
    assert_true(lay->n_pages >= 2);
    const gw_geometry *g = &lay->geo;
    double col = (g->area_right - g->area_left) / COLS;
    size_t bing = 0, rows = 0;
    for (size_t pi = 0; pi < lay->n_pages; pi++) {
        const gw_page *p = &lay->pages[pi];
        assert_inside_area(g, p);
        for (size_t i = 0; i < p->n_glyphs; i++)
            bing += p->glyphs[i].cp == 0x4E19;     /* 丙 */
        /* Row tops on this page: the y of each horizontal rule (each row has a
         * cell, whose top rule is drawn whatever becomes of the empty slots). */
        double tops[64];
        size_t n_tops = 0;
        for (size_t i = 0; i < p->n_rules && n_tops < 64; i++) {
            const gw_rule *r = &p->rules[i];
            if (fabs(r->y0 - r->y1) < 1e-6) {
                bool seen = false;
                for (size_t k = 0; k < n_tops; k++)
                    seen |= fabs(tops[k] - r->y0) < 1e-6;
                if (!seen)
                    tops[n_tops++] = r->y0;
            }
        }
        for (size_t k = 0; k < n_tops; k++)
            for (size_t j = k + 1; j < n_tops; j++)
                if (tops[j] > tops[k]) {
                    double t = tops[k];
                    tops[k] = tops[j];
                    tops[j] = t;
                }
        /* Whatever the row, columns 4 to 6 hold no cell: each slot's top and
         * left rule are drawn. */
        for (size_t k = 0; k + 1 < n_tops; k++, rows++)
            for (int c = 3; c < COLS; c++) {
                double x = g->area_left + c * col;
                assert_true(rule_covers(p, x, tops[k], x + col, tops[k]));
                assert_true(rule_covers(p, x, tops[k], x, tops[k + 1]));
            }
    }
    assert_int_equal(bing, ROWS - 1);
    assert_true(rows >= ROWS - 2);              /* the last row of each page has no row below */
}

/* Load `xml` as mem.xml and lay it out: NULL when refused, *said then the
 * messages this call added to the fixture's diagnostics. */
static const gw_layout *try_lay_out(fixture *f, const char *xml, const char **said)
{
    gw_layout_free(f->lay);
    gw_doc_free(f->doc);
    f->lay = NULL;
    size_t before = strlen(diag_text(f));
    f->doc = gw_doc_load_memory("mem.xml", xml, strlen(xml), NULL, NULL, &f->diag);
    assert_non_null(f->doc);
    f->lay = gw_layout_document(f->doc, f->fonts, NULL, &f->diag);
    *said = diag_text(f) + before;
    return f->lay;
}

/* A column narrower than one 12 pt character and its padding (7.23 mm) cannot
 * hold its cells' text: an error at the table naming the column, its width and
 * the least one, and no layout. */
static void test_table_column_too_narrow(void **state)
{
    fixture *f = *state;
    const char *said = NULL;
    assert_null(try_lay_out(f, "<report version=\"1\">\n<title>标题</title>\n<table>"
                               "<col width=\"0.001mm\"/><col width=\"*\"/>"
                               "<tbody><tr><td>甲</td><td>乙</td></tr></tbody></table>\n</report>\n", &said));
    assert_string_equal(said,
        "mem.xml:3:1: column 1 of the table (width=\"0.001mm\") is 0.001 mm wide; a column needs "
        "at least 7.23 mm, one 12 pt character and its padding\n");
    /* A "*" column the fixed ones leave nothing. */
    assert_null(try_lay_out(f, "<report version=\"1\">\n<title>标题</title>\n<table>"
                               "<col width=\"100mm\"/><col width=\"56mm\"/><col width=\"*\"/>"
                               "<tbody><tr><td>甲</td><td>乙</td><td>丙</td></tr></tbody></table>\n"
                               "</report>\n", &said));
    assert_string_equal(said,
        "mem.xml:3:1: column 3 of the table (width=\"*\") is left 0 mm wide by the columns of "
        "fixed width (156.0 of the 156 mm); a column needs at least 7.23 mm, one 12 pt character "
        "and its padding\n");
    /* The least width is enough. */
    assert_non_null(try_lay_out(f, "<report version=\"1\">\n<title>标题</title>\n<table>"
                                   "<col width=\"7.234mm\"/><col width=\"*\"/>"
                                   "<tbody><tr><td>甲</td><td>乙</td></tr></tbody></table>\n"
                                   "</report>\n", &said));
    /* 22 equal columns of 7.09 mm are too many. */
    char many[2048];
    size_t at = (size_t)snprintf(many, sizeof many, "<report version=\"1\">\n<title>标题</title>\n"
                                                    "<table><tbody><tr>");
    for (int c = 0; c < 22; c++)
        at += (size_t)snprintf(many + at, sizeof many - at, "<td>%d</td>", c);
    snprintf(many + at, sizeof many - at, "</tr></tbody></table>\n</report>\n");
    assert_null(try_lay_out(f, many, &said));
    assert_string_equal(said,
        "mem.xml:3:1: column 1 of the table is 7.091 mm wide (and 21 other columns): 22 columns "
        "share the 156 mm; a column needs at least 7.23 mm, one 12 pt character and its padding\n");
}

/* A landscape table gets pages of its own, set in the turned frame; the page
 * number stays in portrait coordinates; the body goes on on a portrait page. */
static void test_landscape_table(void **state)
{
    fixture *f = *state;
    const gw_layout *lay = lay_out(f, NULL,
        "<report version=\"1\"><title>标题</title><p>表前。</p><table orient=\"landscape\">"
        "<caption>表1 宽表</caption><thead><tr><th>项目</th><th>一月</th><th>二月</th></tr></thead>"
        "<tbody><tr><td>收入</td><td>1.0</td><td>2.0</td></tr></tbody></table>"
        "<p>表后。</p></report>");
    const gw_geometry *g = &lay->geo;
    gw_geometry lg = gw_geometry_landscape(g);
    assert_near(lg.area_right - lg.area_left, 225 * GW_PT_PER_MM, 0.01);
    assert_near(lg.area_top - lg.area_bottom, 156 * GW_PT_PER_MM, 0.01);
    assert_int_equal(lay->n_pages, 3);
    assert_false(lay->pages[0].landscape);
    assert_true(lay->pages[1].landscape);
    assert_false(lay->pages[2].landscape);
    const gw_page *p = &lay->pages[1];
    char *text = page_text(p);
    assert_non_null(strstr(text, "表1 宽表项目一月二月收入1.02.0"));
    free(text);
    bool caption = false, number = false;
    double right = -1e9;
    for (size_t i = 0; i < p->n_rules; i++)
        right = fmax(right, p->rules[i].x1);
    assert_near(right, lg.area_right, 0.01);              /* the turned type area's width */
    for (size_t i = 0; i < p->n_glyphs; i++) {
        const gw_glyph *gl = &p->glyphs[i];
        if (gl->role == GW_ROLE_PAGENUM) {
            number = true;                                 /* upright, where portrait has it */
            assert_true(gl->y < g->area_bottom && gl->x < g->area_left + 6 * g->cell);
            continue;
        }
        caption |= gl->cp == 0x8868 /* 表 */ && gl->size == 16.0;
        assert_true(gl->x >= lg.area_left - 0.01 && gl->x + gl->advance <= lg.area_right + 0.01);
        assert_true(gl->y >= lg.area_bottom && gl->y <= lg.area_top);
    }
    assert_true(caption && number);
    text = page_text(&lay->pages[2]);
    assert_non_null(strstr(text, "表后。"));
    free(text);
}

/* GB/T 9704 §7.3.5.5: a signature that would not fit on the last page makes
 * the page tighter (one or two rows more at a smaller pitch) before any line
 * is carried over; three rows more is too many: lines are carried. */
static const gw_layout *signature_after(fixture *f, int paragraphs)
{
    char xml[8192];
    size_t at = (size_t)snprintf(xml, sizeof xml, "<report version=\"1\"><title>标题</title>");
    for (int i = 0; i < paragraphs; i++)
        at += (size_t)snprintf(xml + at, sizeof xml - at, "<p>第%d段正文。</p>", i + 1);
    snprintf(xml + at, sizeof xml - at, "<signature><issuer>某某局</issuer>"
                                        "<date>2024-01-15</date></signature></report>");
    gw_layout_free(f->lay);
    gw_doc_free(f->doc);
    f->lay = NULL;
    f->doc = NULL;
    return lay_out(f, NULL, xml);
}

static void test_last_page_tightened_for_signature(void **state)
{
    fixture *f = *state;
    /* title, blank row, 19 paragraphs, blank row, issuer, date: 24 rows */
    const gw_layout *lay = signature_after(f, 19);
    const gw_geometry *g = &lay->geo;
    assert_int_equal(lay->n_pages, 1);
    const gw_page *p = &lay->pages[0];
    const gw_line_box *date = find_line(p, "2024年1月15日");
    assert_non_null(date);
    assert_int_equal(date->row, 23);
    /* The 24th row's em box ends on the type area's bottom edge. */
    assert_near(date->baseline - 0.12 * g->body_size, g->area_bottom, 0.01);
    assert_inside_area(g, p);
    /* 22 rows + 3: 25 rows at 25.9 pt, the most a page is tightened. */
    lay = signature_after(f, 20);
    g = &lay->geo;
    assert_int_equal(lay->n_pages, 1);
    p = &lay->pages[0];
    date = find_line(p, "2024年1月15日");
    assert_non_null(date);
    assert_int_equal(date->row, 24);
    assert_near(date->baseline - 0.12 * g->body_size, g->area_bottom, 0.01);
    const gw_line_box *last = find_line(p, "第20段正文。"), *before = find_line(p, "第19段正文。");
    assert_non_null(last);
    assert_non_null(before);
    assert_near(before->baseline - last->baseline, (g->area_top - g->area_bottom - g->body_size) / 24,
                1e-6);
    assert_inside_area(g, p);
    /* 22 rows + 4 is too many: the body's last two lines go over with the
     * block — two, never one alone — and page 1 keeps the grid. */
    lay = signature_after(f, 21);
    assert_int_equal(lay->n_pages, 2);
    const gw_page *p2 = &lay->pages[1];
    assert_non_null(find_line(p2, "第20段正文。"));
    assert_non_null(find_line(p2, "第21段正文。"));
    assert_null(find_line(p2, "第19段正文。"));
    assert_int_equal(find_line(p2, "第20段正文。")->row, 0);
    assert_non_null(find_line(p2, "2024年1月15日"));
    const gw_line_box *l19 = find_line(&lay->pages[0], "第19段正文。");
    assert_non_null(l19);
    assert_int_equal(l19->row, 20);
}

/* The report of content/: 19 rows of body, "特此报告。" and a sealed 落款 of
 * five rows (two blank, issuer, date, one for the seal's lower edge) need
 * three rows more than the page has: the page is tightened, not left with
 * "特此报告。" and the block alone on page 2 (issue 16). */
static void test_sealed_signature_page_tightened(void **state)
{
    fixture *f = *state;
    char path[512];
    snprintf(path, sizeof path, "%s/content/qinghe-2023-song-xi-xia-xiang-report.xml", GW_SOURCE_DIR);
    const gw_layout *lay = lay_out(f, path, NULL);
    assert_int_equal(lay->n_pages, 1);
    const gw_page *p = &lay->pages[0];
    assert_non_null(find_line(p, "特此报告。"));
    const gw_line_box *date = find_line(p, "2024年1月15日");
    assert_non_null(date);
    /* The 25 rows end on the type area's bottom edge: the date on row 23, the
     * last row kept for the seal's lower edge. */
    const gw_geometry *g = &lay->geo;
    assert_int_equal(date->row, 23);
    double pitch = (g->area_top - g->area_bottom - g->body_size) / 24;
    assert_near(date->baseline - 0.12 * g->body_size - pitch, g->area_bottom, 0.01);
    assert_int_equal(lay->n_seals, 1);
}

/* ---- streaming (gw_layout_stream) --------------------------------------- */

/* What a stream's on_page checks each page against, and what it saw. */
typedef struct stream_check {
    const gw_layout *want;     /* the collected layout of the same document, or NULL */
    gw_diag *diag;
    size_t pages;              /* pages received */
    size_t text_lines;         /* line boxes on the grid received (not page numbers) */
    size_t refuse_at;          /* return -1 (after reporting) at this page; 0: never */
    int errors_before;         /* diag->errors when the stream began */
    size_t pages_after_error;  /* pages received after an error was reported */
} stream_check;

#define assert_same(a, b) \
    do { if (!((a) == (b))) fail_msg("%s:%d: %s differs", __FILE__, __LINE__, #a); } while (0)

static void assert_same_seal(const gw_seal_image *a, const gw_seal_image *b)
{
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(a->width, b->width);
    assert_int_equal(a->height, b->height);
    assert_int_equal(a->stride, b->stride);
    assert_memory_equal(a->mask, b->mask, a->stride * (size_t)a->height);
    assert_same(a->red, b->red);
    assert_same(a->width_mm, b->width_mm);
}

/* Page `got` equals page `want` glyph for glyph, box for box, rule for rule. */
static void assert_same_page(const gw_page *got, const gw_page *want, const gw_layout *lay)
{
    assert_int_equal(got->number, want->number);
    assert_same(got->width, want->width);
    assert_same(got->height, want->height);
    assert_int_equal(got->landscape, want->landscape);
    assert_int_equal(got->n_glyphs, want->n_glyphs);
    for (size_t i = 0; i < got->n_glyphs; i++) {
        const gw_glyph *a = &got->glyphs[i], *b = &want->glyphs[i];
        assert_ptr_equal(a->face, b->face);
        assert_int_equal(a->cp, b->cp);
        assert_same(a->x, b->x);
        assert_same(a->y, b->y);
        assert_same(a->size, b->size);
        assert_same(a->advance, b->advance);
        assert_int_equal(a->fake_bold, b->fake_bold);
        assert_int_equal(a->role, b->role);
    }
    assert_int_equal(got->n_lines, want->n_lines);
    for (size_t i = 0; i < got->n_lines; i++) {
        const gw_line_box *a = &got->lines[i], *b = &want->lines[i];
        assert_int_equal(a->kind, b->kind);
        assert_int_equal(a->row, b->row);
        assert_int_equal(a->level, b->level);
        assert_same(a->baseline, b->baseline);
        assert_same(a->x0, b->x0);
        assert_same(a->x1, b->x1);
        assert_int_equal(a->first, b->first);
        assert_int_equal(a->count, b->count);
        assert_int_equal(a->para_start, b->para_start);
        assert_int_equal(a->para_end, b->para_end);
    }
    assert_int_equal(got->n_rules, want->n_rules);
    for (size_t i = 0; i < got->n_rules; i++) {
        const gw_rule *a = &got->rules[i], *b = &want->rules[i];
        assert_same(a->x0, b->x0);
        assert_same(a->y0, b->y0);
        assert_same(a->x1, b->x1);
        assert_same(a->y1, b->y1);
        assert_same(a->width, b->width);
    }
    assert_int_equal(got->n_images, want->n_images);
    for (size_t i = 0; i < got->n_images; i++) {
        const gw_image_place *a = &got->images[i], *b = &want->images[i];
        assert_ptr_equal(b->image, lay->seals[0]);
        assert_same_seal(a->image, b->image);   /* the stream's own copy, still valid */
        assert_same(a->x, b->x);
        assert_same(a->y, b->y);
        assert_same(a->size, b->size);
    }
}

static int check_page(void *arg, const gw_page *page)
{
    stream_check *sc = arg;
    sc->pages_after_error += sc->diag->errors > sc->errors_before;
    if (sc->want) {
        assert_true(sc->pages < sc->want->n_pages);
        assert_same_page(page, &sc->want->pages[sc->pages], sc->want);
    }
    sc->pages++;
    for (size_t i = 0; i < page->n_lines; i++)
        sc->text_lines += page->lines[i].row >= 0;
    if (sc->pages == sc->refuse_at) {
        gw_error(sc->diag, "sink", 0, 0, "refused page %zu", sc->pages);
        return -1;
    }
    return 0;
}

/* Load `path` (or `xml` as "mem.xml"), collect its layout, then stream it:
 * the stream must hand over the collected pages, in order, and report the
 * same errors when there are any.  Returns the stream's set-lines peak;
 * *pages and *text_lines receive what it handed over. */
static size_t stream_matches_collector(fixture *f, const char *path, const char *xml,
                                       size_t *pages, size_t *text_lines)
{
    gw_doc *doc = xml ? gw_doc_load_memory("mem.xml", xml, strlen(xml), NULL, NULL, &f->diag)
                      : gw_doc_load(path, NULL, NULL, &f->diag);
    if (!doc)
        fail_msg("load failed: %s", diag_text(f));
    size_t peak_collect = 0, peak_stream = 0;
    gw_layout_options opt = { .peak_set_lines = &peak_collect };
    size_t diag_at = strlen(diag_text(f));
    gw_layout *lay = gw_layout_document(doc, f->fonts, &opt, &f->diag);
    char *collect_diag = strdup(diag_text(f) + diag_at);
    diag_at = strlen(diag_text(f));
    opt.peak_set_lines = &peak_stream;
    stream_check sc = { .want = lay, .diag = &f->diag, .errors_before = f->diag.errors };
    int rc = gw_layout_stream(doc, f->fonts, &opt, check_page, &sc, &f->diag);
    assert_string_equal(diag_text(f) + diag_at, collect_diag);
    if (lay) {
        assert_int_equal(rc, 0);
        assert_int_equal(sc.pages, lay->n_pages);
    } else {
        assert_int_equal(rc, -1);
        assert_int_equal(sc.pages_after_error, 0);
    }
    assert_int_equal(peak_stream, peak_collect);
    free(collect_diag);
    gw_layout_free(lay);
    gw_doc_free(doc);
    if (pages)
        *pages = sc.pages;
    if (text_lines)
        *text_lines = sc.text_lines;
    return peak_stream;
}

/* The stream hands over exactly the collected pages of the real reports and
 * of the test documents (glyphs, positions, line boxes, rules, the seal). */
static void test_stream_same_pages(void **state)
{
    fixture *f = *state;
    static const char *const docs[] = {
        "content/zengcheng-2022-budget-self-evaluation.xml",
        "content/qinghe-2023-performance-score-table.xml",
        "content/qinghe-2023-song-xi-xia-xiang-report.xml",
        "tests/data/tables/landscape.xml",
        "tests/data/tables/rowspans-over-pages.xml",
        "tests/data/e2e/list-outside.xml",
        "tests/data/e2e/no-label.xml",
        "tests/data/e2e/number-none.xml",
        "tests/data/e2e/pagebreak.xml",
        "tests/data/e2e/rules.xml",
        "tests/data/e2e/runin-level3.xml",
        "tests/data/e2e/signature-long-issuer.xml",
        "tests/data/e2e/signature.xml",
        "tests/bad/no-glyph-private-use.xml",    /* errors: the same lines, no page */
    };
    for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", GW_SOURCE_DIR, docs[i]);
        size_t pages = 0;
        stream_matches_collector(f, path, NULL, &pages, NULL);
        if (i < 3)
            assert_true(pages > 0);
    }
}

/* Text drawn from common characters by a fixed generator, so that a made-up
 * report is the same on every run. */
typedef struct text_gen {
    FILE *out;
    unsigned long seed;
} text_gen;

static void gen_words(text_gen *g, int n)
{
    static const char pool[] =
        "预算绩效管理工作部门整体支出情况报告年度目标完成资金使用项目实施单位服务群众组织"
        "建设制度规范监督检查考核评价结果应用问题原因分析改进措施下一步计划加强落实推进提高"
        "质量效率社会经济效益满意度指标内容说明基本职责机构设置人员编制收入财政拨款其他会议";
    size_t n_pool = (sizeof pool - 1) / 3;               /* 3 bytes each in UTF-8 */
    for (int i = 0; i < n; i++) {
        g->seed = g->seed * 1103515245UL + 12345UL;
        fwrite(pool + 3 * ((g->seed >> 8) % n_pool), 1, 3, g->out);
    }
}

/* A paragraph's text (some six lines), then `extra`. */
static void gen_para(text_gen *g, const char *extra)
{
    for (int i = 0; i < 7; i++) {
        gen_words(g, 8 + i * 3 % 11);
        fputs(i % 3 == 2 ? "。" : "，", g->out);
    }
    fputs(extra, g->out);
}

static void gen_table(text_gen *g, int number, bool landscape)
{
    fprintf(g->out, "<table%s><caption>表%d ", landscape ? " orient=\"landscape\"" : "", number);
    gen_words(g, 8);
    fputs("</caption><col width=\"16mm\"/><col width=\"3*\"/><col width=\"2*\"/>"
          "<thead><tr><th>序号</th><th>指标</th><th>说明</th></tr></thead><tbody>", g->out);
    for (int r = 0; r < 20; r++) {
        fprintf(g->out, "<tr><td>%d</td><td>", r + 1);
        gen_words(g, 4 + r % 7);
        fputs("</td><td>", g->out);
        gen_words(g, 10 + r * 7 % 30);
        fputs("</td></tr>", g->out);
    }
    fputs("</tbody></table>", g->out);
}

/* A long report, made here: `sections` level-1 sections of paragraphs, a
 * level-2 section with a run-in level-3 one and a list; a table in every
 * tenth, a landscape table in the 7th, a page break after the 5th, and the
 * sealed signature.  `bad` is put at the end of the 30th section's first
 * paragraph and of the last paragraph.  Caller frees. */
static char *long_report(int sections, const char *bad)
{
    char *xml = NULL;
    size_t len = 0;
    text_gen g = { open_memstream(&xml, &len), 9704 };
    assert_non_null(g.out);
    fputs("<report version=\"1\"><label>附件1</label><title>", g.out);
    gen_words(&g, 20);
    fputs("</title>", g.out);
    for (int i = 1; i <= sections; i++) {
        fputs("<section><heading>", g.out);
        gen_words(&g, 6 + i % 5);
        fputs("</heading>", g.out);
        for (int k = 0; k < 3; k++) {
            fputs("<p>", g.out);
            gen_para(&g, k == 0 && i == 30 ? bad : "");
            fputs("</p>", g.out);
        }
        fputs("<section><heading>", g.out);
        gen_words(&g, 8);
        fputs("</heading><p>", g.out);
        gen_para(&g, "");
        fputs("</p><section><heading runin=\"true\">", g.out);
        gen_words(&g, 5);
        fputs("。</heading><p>", g.out);
        gen_para(&g, "");
        fputs("</p></section></section><list><item>", g.out);
        gen_para(&g, "");
        fputs("</item><item>", g.out);
        gen_para(&g, "");
        fputs("</item></list>", g.out);
        if (i % 10 == 0 || i == 7)
            gen_table(&g, i, i == 7);
        if (i == 5)
            fputs("<pagebreak/>", g.out);
        fputs("</section>", g.out);
    }
    fputs("<p>", g.out);
    gen_para(&g, bad);
    fprintf(g.out, "</p><signature><issuer>某某县财政局</issuer><date>2024-01-15</date>"
                   "<seal src=\"%s/content/qinghe-seal.png\"/></signature></report>",
            GW_SOURCE_DIR);
    fclose(g.out);
    return xml;
}

/* A report of some 150 pages streams as it is collected, and the layout never
 * holds more than a window of set lines while thousands are set. */
static void test_stream_long_report_bounded(void **state)
{
    fixture *f = *state;
    char *xml = long_report(100, "");
    size_t pages = 0, text_lines = 0;
    size_t peak = stream_matches_collector(f, NULL, xml, &pages, &text_lines);
    free(xml);
    assert_string_equal(diag_text(f), "");
    assert_true(pages >= 150);
    assert_true(text_lines > 2500);
    print_message("long report: %zu pages, %zu lines, at most %zu set lines held\n", pages,
                  text_lines, peak);
    if (peak >= 200)
        fail_msg("the layout held %zu set lines at once (of %zu, %zu pages)", peak, text_lines,
                 pages);
}

/* on_page refusing a page stops the layout there, whichever page it is (one
 * inside a table, the landscape one, the last): nothing more is handed over,
 * gw_layout_stream returns -1, and nothing leaks (LeakSanitizer). */
static void test_stream_stops_when_refused(void **state)
{
    fixture *f = *state;
    char *xml = long_report(12, "");
    f->doc = gw_doc_load_memory("mem.xml", xml, strlen(xml), NULL, NULL, &f->diag);
    free(xml);
    assert_non_null(f->doc);
    f->lay = gw_layout_document(f->doc, f->fonts, NULL, &f->diag);
    assert_non_null(f->lay);
    size_t landscape = 0, with_rules = 0;
    for (size_t i = 0; i < f->lay->n_pages; i++) {
        landscape += f->lay->pages[i].landscape;
        with_rules += f->lay->pages[i].n_rules > 0;
    }
    assert_true(landscape >= 1 && with_rules >= 3);         /* a table over two pages, too */
    for (size_t refuse = 1; refuse <= f->lay->n_pages; refuse++) {
        int errors = f->diag.errors;
        stream_check sc = { .want = f->lay, .diag = &f->diag, .refuse_at = refuse,
                            .errors_before = errors };
        assert_int_equal(gw_layout_stream(f->doc, f->fonts, NULL, check_page, &sc, &f->diag), -1);
        assert_int_equal(sc.pages, refuse);
        assert_int_equal(f->diag.errors, errors + 1);   /* the sink's own, nothing more */
        assert_int_equal(sc.pages_after_error, 0);
    }
    assert_int_equal(f->diag.errors, (int)f->lay->n_pages);
    assert_non_null(strstr(diag_text(f), "sink: refused page 1\nsink: refused page 2\n"));
    assert_null(strstr(diag_text(f), "out of memory"));
}

/* A character no face draws, in the middle and at the very end of a long
 * report: both are reported (the lines after the first error are still set),
 * no page is handed over after the first, and the result is -1. */
static void test_stream_error_near_the_end(void **state)
{
    fixture *f = *state;
    char *xml = long_report(100, "\xEE\x80\x80");          /* U+E000, private use */
    f->doc = gw_doc_load_memory("mem.xml", xml, strlen(xml), NULL, NULL, &f->diag);
    free(xml);
    assert_non_null(f->doc);
    stream_check sc = { .diag = &f->diag };
    assert_int_equal(gw_layout_stream(f->doc, f->fonts, NULL, check_page, &sc, &f->diag), -1);
    assert_int_equal(f->diag.errors, 2);
    assert_int_equal(sc.pages_after_error, 0);            /* every page came before the error */
    assert_true(sc.pages > 0 && sc.pages < 150);          /* pages did go out as they were made */
    const char *text = diag_text(f), *second = strchr(text, '\n');
    assert_non_null(second);
    assert_non_null(strstr(text, "no font can draw '\xEE\x80\x80' (U+E000) in the body role"));
    assert_non_null(strstr(second, "no font can draw '\xEE\x80\x80' (U+E000) in the body role"));
    /* The collector reports the same two errors and keeps nothing. */
    char *streamed = strdup(text);
    f->lay = gw_layout_document(f->doc, f->fonts, NULL, &f->diag);
    assert_null(f->lay);
    assert_string_equal(diag_text(f) + strlen(streamed), streamed);
    free(streamed);
}

/* The pages limit counts the pages made: the pages before it are handed
 * over, then the error. */
static void test_stream_pages_limit(void **state)
{
    fixture *f = *state;
    char *xml = long_report(20, "");
    f->doc = gw_doc_load_memory("mem.xml", xml, strlen(xml), NULL, NULL, &f->diag);
    free(xml);
    assert_non_null(f->doc);
    gw_layout_options opt = { .max_pages = 5 };
    stream_check sc = { .diag = &f->diag };
    assert_int_equal(gw_layout_stream(f->doc, f->fonts, &opt, check_page, &sc, &f->diag), -1);
    assert_int_equal(sc.pages, 5);
    assert_string_equal(diag_text(f), "mem.xml: the document needs more pages than the limit of 5 "
                                      "(raise it with --limit pages=N)\n");
}

/* ---- tables set as a typesetter would (issue 16) ---------------------------- */

/* The distinct heights of page p's horizontal rules, top down (at most max). */
static size_t rule_levels(const gw_page *p, double *ys, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < p->n_rules; i++) {
        const gw_rule *r = &p->rules[i];
        if (fabs(r->y0 - r->y1) > 1e-6)
            continue;
        bool seen = false;
        for (size_t k = 0; k < n; k++)
            seen |= fabs(ys[k] - r->y0) < 1e-6;
        if (!seen && n < max)
            ys[n++] = r->y0;
    }
    for (size_t k = 0; k < n; k++)
        for (size_t j = k + 1; j < n; j++)
            if (ys[j] > ys[k]) {
                double t = ys[k];
                ys[k] = ys[j];
                ys[j] = t;
            }
    return n;
}

/* True when a horizontal rule of p at height y covers x. */
static bool rule_at(const gw_page *p, double y, double x)
{
    for (size_t i = 0; i < p->n_rules; i++) {
        const gw_rule *r = &p->rules[i];
        if (fabs(r->y0 - r->y1) < 1e-6 && fabs(r->y0 - y) < 1e-6 && fmin(r->x0, r->x1) < x &&
            fmax(r->x0, r->x1) > x)
            return true;
    }
    return false;
}

/* The x of the nearest vertical rule of p left of x: the column's left edge. */
static double column_of(const gw_page *p, double x)
{
    double left = -1e9;
    for (size_t i = 0; i < p->n_rules; i++) {
        const gw_rule *r = &p->rules[i];
        if (fabs(r->x0 - r->x1) < 1e-6 && r->x0 < x && r->x0 > left)
            left = r->x0;
    }
    return left;
}

/* What the first body row of page p (its top at ys[1], the next row's at
 * ys[2]) needs on a page: its height, or the text of a rowspan cell that
 * starts in it with its padding (that text cannot go to a later page than
 * the row).  A rowspan cell is where no rule closes the column at ys[2]; its
 * text lines are those above the rule that ends it. */
static double first_row_need(const gw_page *p, const double *ys, size_t n_ys)
{
    double need = ys[1] - ys[2];
    for (size_t i = 0; i < p->n_lines; i++) {
        const gw_line_box *b = &p->lines[i];
        double x = b->count ? p->glyphs[b->first].x + 1 : 0;
        if (b->kind != GW_LINE_TABLE || b->baseline > ys[1] || rule_at(p, ys[2], x))
            continue;
        size_t end = 3;
        while (end < n_ys && !rule_at(p, ys[end], x))
            end++;
        /* The cell's lines: every box in this column between ys[1] and its end rule. */
        double top = -1e9, bottom = 1e9;
        for (size_t k = 0; k < p->n_lines; k++) {
            const gw_line_box *c = &p->lines[k];
            double cx = c->count ? p->glyphs[c->first].x + 1 : 0;
            if (c->kind != GW_LINE_TABLE || c->baseline > ys[1] || (end < n_ys && c->baseline < ys[end]) ||
                fabs(column_of(p, cx) - column_of(p, x)) > 1e-6)
                continue;
            top = fmax(top, c->baseline + 0.88 * 12 + 3);
            bottom = fmin(bottom, c->baseline - 0.12 * 12 - 3);
        }
        if (top > bottom)
            need = fmax(need, top - bottom + 3);
    }
    return need;
}

/* Where a table runs on from page i to page i + 1 (a head row on top), the
 * blank under the table on page i should be lower than what the first body row
 * on page i + 1 needs (first_row_need): a row goes to the next page only when
 * it does not fit.  Returns the number of pages where it is not (each
 * printed); *breaks counts the page breaks in the table. */
static size_t blank_feet(const gw_layout *lay, size_t *breaks)
{
    size_t bad = 0;
    *breaks = 0;
    for (size_t pi = 0; pi + 1 < lay->n_pages; pi++) {
        double here[512], next[512];
        size_t n_here = rule_levels(&lay->pages[pi], here, 512);
        size_t n_next = rule_levels(&lay->pages[pi + 1], next, 512);
        if (n_here < 2 || n_next < 3 || fabs(next[0] - lay->geo.area_top) > 0.01)
            continue;                          /* the table does not run on */
        double blank = here[n_here - 1] - lay->geo.area_bottom;
        double row = first_row_need(&lay->pages[pi + 1], next, n_next);
        if (!(blank < row)) {
            print_message("page %zu ends %.1f pt above the type area's foot; the next row, "
                          "%.1f pt, would have fitted\n", pi + 1, blank, row);
            bad++;
        }
        ++*breaks;
    }
    return bad;
}

static bool is_han(uint32_t cp)
{
    return cp >= 0x4E00 && cp <= 0x9FFF;
}

/* The score table: cell lines set ragged (no two Han characters of a line
 * more than 0.1 em apart), no line of one character in a cell of more, and no
 * page foot left blank that the next row would have filled. */
static void test_table_set_ragged(void **state)
{
    fixture *f = *state;
    const gw_layout *lay = lay_out(f, GW_SOURCE_DIR "/content/qinghe-2023-performance-score-table.xml",
                                   NULL);
    /* The characters that are a cell's whole text may stand alone on a line. */
    uint32_t alone[64];
    size_t n_alone = 0;
    for (size_t b = 0; b < f->doc->n_blocks; b++) {
        const gw_table *t = f->doc->blocks[b].kind == GW_BLOCK_TABLE ? f->doc->blocks[b].table : NULL;
        for (size_t r = 0; t && r < t->n_rows; r++)
            for (size_t c = 0; c < t->rows[r].n_cells; c++)
                if (t->rows[r].cells[c].text.len == 1 && n_alone < 64)
                    alone[n_alone++] = t->rows[r].cells[c].text.cp[0];
    }
    size_t lines = 0, pairs = 0, spread = 0, lone = 0, breaks = 0;
    for (size_t pi = 0; pi < lay->n_pages; pi++) {
        const gw_page *p = &lay->pages[pi];
        for (size_t i = 0; i < p->n_lines; i++) {
            const gw_line_box *b = &p->lines[i];
            if (b->kind != GW_LINE_TABLE)
                continue;
            lines++;
            for (size_t k = b->first; k + 1 < b->first + b->count; k++) {
                const gw_glyph *a = &p->glyphs[k], *z = &p->glyphs[k + 1];
                if (!is_han(a->cp) || !is_han(z->cp))
                    continue;
                pairs++;
                double gap = z->x - (a->x + a->advance);
                if (gap > 0.1 * a->size && spread++ < 5)
                    print_message("page %zu, cell line \"%s\": %.2f em between two characters\n",
                                  pi + 1, line_text(p, b), gap / a->size);
            }
            bool single = b->count == 1;
            for (size_t k = 0; single && k < n_alone; k++)
                single = alone[k] != p->glyphs[b->first].cp;
            if (single)
                print_message("page %zu: a cell line of one character, \"%s\"\n", pi + 1,
                              line_text(p, b)), lone++;
        }
    }
    size_t feet = blank_feet(lay, &breaks);
    assert_true(lines > 200 && pairs > 300 && breaks >= 1);
    assert_int_equal(spread, 0);
    assert_int_equal(lone, 0);
    assert_int_equal(feet, 0);
}

#define GW_TABLE_ROW_1 21.0   /* a row of one line: 18 pt leading and 1.5 pt above and below */

/* A rowspan cell at a page foot, in columns of fixed width: its text, centred
 * in its six rows, would lie below the first of them; the page still ends at
 * the last row that fits, the cell's text centred in its part on that page
 * (before any row that follows it in the source). */
static void test_table_rowspan_at_page_foot(void **state)
{
    fixture *f = *state;
    /* The group's text on one line, on two, and on three after four
     * paragraphs, where the page ends with two rows of a group whose text
     * needs three: the row above the cut grows to hold it. */
    static const char *const group_text[] = { "乙组", "乙组的说明文字较长",
                                              "乙组的说明文字较长而且还要更长一些" };
    static const int before[] = { 0, 0, 4 };
    for (size_t v = 0; v < 3; v++) {
        char *xml = malloc(64 * 1024);
        assert_non_null(xml);
        size_t at = (size_t)sprintf(xml, "<report version=\"1\"><title>标题</title>");
        for (int k = 0; k < before[v]; k++)
            at += (size_t)sprintf(xml + at, "<p>正文。</p>");
        at += (size_t)sprintf(xml + at, "<table><col width=\"30mm\"/><col width=\"126mm\"/><thead><tr>"
                                        "<th>组别</th><th>说明</th></tr></thead><tbody>");
        for (int k = 1; k <= 60; k++)
            at += (size_t)sprintf(xml + at, "<tr>%s%s%s<td>第%d行</td></tr>",
                                  k % 6 == 1 ? "<td rowspan=\"6\">" : "",
                                  k % 6 == 1 ? group_text[v] : "", k % 6 == 1 ? "</td>" : "", k);
        sprintf(xml + at, "</tbody></table><p>表后。</p></report>");
        gw_layout_free(f->lay);
        gw_doc_free(f->doc);
        const gw_layout *lay = lay_out(f, NULL, xml);
        free(xml);
        assert_true(lay->n_pages >= 2);
        size_t breaks = 0;
        assert_int_equal(blank_feet(lay, &breaks), 0);
        assert_true(breaks >= 1);
        /* Every group's text is drawn once, whole on one page, and the type
         * area holds everything. */
        size_t groups = 0;
        for (size_t pi = 0; pi < lay->n_pages; pi++) {
            assert_inside_area(&lay->geo, &lay->pages[pi]);
            char *text = page_text(&lay->pages[pi]);
            for (const char *s = strstr(text, group_text[v]); s; s = strstr(s + 1, group_text[v]))
                groups++;
            free(text);
        }
        assert_int_equal(groups, 10);
        if (v == 2) {
            /* Page 1 is filled: less than a one-line row is left under the
             * table, and its last row is taller than one line. */
            double ys[512];
            size_t n = rule_levels(&lay->pages[0], ys, 512);
            assert_true(n >= 3 && ys[n - 1] - lay->geo.area_bottom < GW_TABLE_ROW_1);
            assert_true(ys[n - 2] - ys[n - 1] > GW_TABLE_ROW_1 + 1);
        }
    }
}

/* "*" columns share the type area by their content: a column whose longest
 * unit is a long number holds it on one line, and the column of long text
 * gets the width that saves lines, where equal columns would not. */
static void test_table_star_columns_by_content(void **state)
{
    fixture *f = *state;
    const gw_layout *lay = lay_out(f, NULL,
        "<report version=\"1\"><title>标题</title><table><tbody>"
        "<tr><td>序号</td><td>金额</td><td>说明</td></tr>"
        "<tr><td>1</td><td>1,286,500.00</td><td>这一列的说明文字很长，需要比平均分配更宽的列，"
        "才能在较少的行里排完，而前两列的内容都很短。</td></tr></tbody></table></report>");
    const gw_page *p = &lay->pages[0];
    double ys[16];
    assert_int_equal(rule_levels(p, ys, 16), 3);
    /* The number on one line, whole. */
    const gw_line_box *number = NULL;
    for (size_t i = 0; i < p->n_lines; i++)
        if (p->lines[i].kind == GW_LINE_TABLE && !strcmp(line_text(p, &p->lines[i]), "1,286,500.00"))
            number = &p->lines[i];
    assert_non_null(number);
    /* Three equal columns of 52 mm set the 46 characters of the long cell in
     * four lines of 12; by content its column takes what the others leave,
     * and the row is at most three lines (18 pt each) tall. */
    assert_true(ys[1] - ys[2] <= 3 * 18.0 + 3.0 + 0.01);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_geometry),
        cmocka_unit_test(test_numbering),
        cmocka_unit_test_setup_teardown(test_real_report, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_glyph_is_an_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_above_bmp_is_set, setup, teardown),
        cmocka_unit_test_setup_teardown(test_runin_heading, setup, teardown),
        cmocka_unit_test_setup_teardown(test_title_broken_between_words, setup, teardown),
        cmocka_unit_test_setup_teardown(test_title_breaks_at_phrases, setup, teardown),
        cmocka_unit_test_setup_teardown(test_title_three_lines_no_hourglass, setup, teardown),
        cmocka_unit_test_setup_teardown(test_title_author_breaks_win, setup, teardown),
        cmocka_unit_test_setup_teardown(test_title_many_one_letter_words, setup, teardown),
        cmocka_unit_test_setup_teardown(test_profiles, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pagebreak_and_no_label, setup, teardown),
        cmocka_unit_test_setup_teardown(test_heading_never_ends_a_page, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_lone_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lists, setup, teardown),
        cmocka_unit_test_setup_teardown(test_indents, setup, teardown),
        cmocka_unit_test_setup_teardown(test_signature_without_seal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_signature_never_alone, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_section, setup, teardown),
        cmocka_unit_test_setup_teardown(test_seal_missing_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sealed_signature, setup, teardown),
        cmocka_unit_test_setup_teardown(test_v2_header_upward, setup, teardown),
        cmocka_unit_test_setup_teardown(test_v2_letter, setup, teardown),
        cmocka_unit_test_setup_teardown(test_v2_annex_and_attachments, setup, teardown),
        cmocka_unit_test_setup_teardown(test_v2_joint_seals_and_note, setup, teardown),
        cmocka_unit_test_setup_teardown(test_v2_order_with_stamp, setup, teardown),
        cmocka_unit_test_setup_teardown(test_v2_record, setup, teardown),
        cmocka_unit_test_setup_teardown(test_v2_record_blank_page, setup, teardown),
        cmocka_unit_test_setup_teardown(test_v2_minutes_attendance, setup, teardown),
        cmocka_unit_test_setup_teardown(test_table_on_the_grid, setup, teardown),
        cmocka_unit_test_setup_teardown(test_table_across_pages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_table_row_taller_than_page, setup, teardown),
        cmocka_unit_test_setup_teardown(test_table_sparse_grid, setup, teardown),
        cmocka_unit_test_setup_teardown(test_table_column_too_narrow, setup, teardown),
        cmocka_unit_test_setup_teardown(test_landscape_table, setup, teardown),
        cmocka_unit_test_setup_teardown(test_last_page_tightened_for_signature, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sealed_signature_page_tightened, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stream_same_pages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stream_long_report_bounded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stream_stops_when_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stream_error_near_the_end, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stream_pages_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_table_set_ragged, setup, teardown),
        cmocka_unit_test_setup_teardown(test_table_rowspan_at_page_foot, setup, teardown),
        cmocka_unit_test_setup_teardown(test_table_star_columns_by_content, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
