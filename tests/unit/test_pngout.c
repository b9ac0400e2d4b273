/* Unit tests of the PNG output (pngout.c) on hand-built pages, read back
 * with libpng: a glyph's ink inside its box where its position says and
 * nowhere else, upright on a portrait page and turned a quarter on a
 * landscape one (the page number upright there too); a red glyph's pixels
 * red; a rule's pixels, black and red, on whole pixels (a slanted one as it
 * is, one of no length not at all); a seal's mask in its
 * ink colour, top row first and the high bit left; the page's pixel size at
 * two resolutions; the same page twice the same bytes; the chunks (pHYs in
 * pixels a metre, no time or text); the page files' names (OUT.png for one
 * page, OUT-01.png … for twelve), nothing written before the finish or
 * after a discard; and the refusals (a resolution out of range, no pages,
 * several pages to a device, a character the face lacks). */
#define _GNU_SOURCE  /* open_memstream, mkdtemp */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "scratch.h"

#include <dirent.h>
#include <math.h>
#include <png.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fonts.h"
#include "image.h"
#include "layout.h"
#include "pngout.h"

#define SUNG "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"
#define LIBSERIF "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf"
#define A4_W 595.2756
#define A4_H 841.8898
#define GUO 0x56FD      /* 国: ink almost to its em box's edges */
#define YI 0x4E00       /* 一: one stroke across */

typedef struct fixture {
    scratch s;
    gw_fontset *fonts;
    gw_face *face;
} fixture;

static int setup(void **state)
{
    if (access(SUNG, R_OK) || access(LIBSERIF, R_OK))
        return -1;
    fixture *f = calloc(1, sizeof *f);
    if (!f || scratch_open(&f->s, "png") != 0) {
        free(f);
        return -1;
    }
    f->fonts = scratch_fonts(SUNG, LIBSERIF, &f->s.diag);
    f->face = f->fonts ? gw_fonts_chain_face(f->fonts, GW_ROLE_BODY, 0) : NULL;
    *state = f;
    return f->face ? 0 : -1;
}

static int teardown(void **state)
{
    fixture *f = *state;
    gw_fonts_close(f->fonts);
    int rc = scratch_close(&f->s);
    free(f);
    return rc;
}

static const char *diag_text(fixture *f)
{
    return scratch_text(&f->s);
}

/* ---- reading the PNG back ------------------------------------------------ */

typedef struct image {
    int w, h;
    unsigned char *rgb;
} image;

static image decode(const unsigned char *data, size_t len)
{
    png_image im;
    memset(&im, 0, sizeof im);
    im.version = PNG_IMAGE_VERSION;
    assert_true(png_image_begin_read_from_memory(&im, data, len));
    im.format = PNG_FORMAT_RGB;
    image out = { (int)im.width, (int)im.height, malloc(PNG_IMAGE_SIZE(im)) };
    assert_non_null(out.rgb);
    assert_true(png_image_finish_read(&im, NULL, out.rgb, 0, NULL));
    return out;
}

static image render(fixture *f, const gw_page *p, int dpi)
{
    unsigned char *data = NULL;
    size_t len = 0;
    if (gw_png_render_memory(p, dpi, &data, &len, &f->s.diag) != 0)
        fail_msg("render failed: %s", diag_text(f));
    image im = decode(data, len);
    free(data);
    return im;
}

static const unsigned char *px(const image *im, int x, int y)
{
    assert_true(x >= 0 && x < im->w && y >= 0 && y < im->h);
    return im->rgb + ((size_t)y * (size_t)im->w + (size_t)x) * 3;
}

static bool white(const image *im, int x, int y)
{
    const unsigned char *p = px(im, x, y);
    return p[0] == 255 && p[1] == 255 && p[2] == 255;
}

static void expect_rgb(const image *im, int x, int y, int r, int g, int b)
{
    const unsigned char *p = px(im, x, y);
    if (p[0] != r || p[1] != g || p[2] != b)
        fail_msg("pixel (%d, %d) is %d %d %d, expected %d %d %d", x, y, p[0], p[1], p[2], r, g, b);
}

/* The box of every pixel that is not white; false when there is none. */
typedef struct box {
    int x0, y0, x1, y1;         /* inclusive */
} box;

static bool ink_box(const image *im, box *b)
{
    *b = (box){ im->w, im->h, -1, -1 };
    for (int y = 0; y < im->h; y++)
        for (int x = 0; x < im->w; x++)
            if (!white(im, x, y)) {
                b->x0 = x < b->x0 ? x : b->x0;
                b->y0 = y < b->y0 ? y : b->y0;
                b->x1 = x > b->x1 ? x : b->x1;
                b->y1 = y > b->y1 ? y : b->y1;
            }
    return b->x1 >= 0;
}

static void near(double got, double want, double tol, const char *what)
{
    if (!(fabs(got - want) <= tol))
        fail_msg("%s: %.3f, expected %.3f (± %g)", what, got, want, tol);
}

static gw_glyph glyph(gw_face *face, uint32_t cp, double x, double y, uint32_t color)
{
    return (gw_glyph){ .face = face, .cp = cp, .x = x, .y = y, .size = 16, .advance = 16,
                       .role = GW_ROLE_BODY, .color = color };
}

/* ---- glyphs ---------------------------------------------------------------- */

/* 国 at (100, 700), 16 pt, at 144 dpi (2 px a point): its ink is the
 * face's glyph box placed at the origin moved to the nearest pixel across
 * and the pixel above it downwards (as poppler draws glyphs), within the
 * pixel its antialiased edge may reach into, and nothing else on the page
 * is inked. */
static void test_glyph_position(void **state)
{
    fixture *f = *state;
    gw_glyph g = glyph(f->face, GUO, 100, 700, GW_BLACK);
    gw_page page = { .number = 1, .width = A4_W, .height = A4_H, .glyphs = &g, .n_glyphs = 1 };
    image im = render(f, &page, 144);
    int xmin, ymin, xmax, ymax;
    assert_true(gw_face_glyph_box(f->face, GUO, &xmin, &ymin, &xmax, &ymax));
    double s = 2, em = 16 * s / 1000.0;
    double ox = 100 * s, oy = (A4_H - 700) * s;
    double sx = floor(ox + 0.5), sy = floor(oy);          /* 200, 283 (283.78 exact) */
    box b;
    assert_true(ink_box(&im, &b));
    near(b.x0, sx + xmin * em - 0.5, 0.5, "ink left");
    near(b.x1 + 1, sx + xmax * em + 0.5, 0.5, "ink right");
    near(b.y0, sy - ymax * em - 0.5, 0.5, "ink top");
    near(b.y1 + 1, sy - ymin * em + 0.5, 0.5, "ink bottom");
    /* and inside the em box the layout gave it (0.88 em up, 0.12 down) */
    assert_true(b.x0 >= ox - 1 && b.x1 < ox + 16 * s + 1);
    assert_true(b.y0 >= oy - 0.88 * 16 * s - 1 && b.y1 < oy + 0.12 * 16 * s + 1);
    /* the strokes are solid: some pixels fully black */
    bool black = false;
    for (int y = b.y0; y <= b.y1 && !black; y++)
        for (int x = b.x0; x <= b.x1 && !black; x++)
            black = px(&im, x, y)[0] == 0;
    assert_true(black);
    free(im.rgb);
}

/* A red glyph: its solid pixels exactly GW_RED, every inked pixel a mix of
 * the red and the white paper (red channel never below the others). */
static void test_red_glyph(void **state)
{
    fixture *f = *state;
    gw_glyph g = glyph(f->face, GUO, 200, 400, GW_RED);
    gw_page page = { .number = 1, .width = A4_W, .height = A4_H, .glyphs = &g, .n_glyphs = 1 };
    image im = render(f, &page, 144);
    size_t inked = 0, solid = 0;
    for (int y = 0; y < im.h; y++)
        for (int x = 0; x < im.w; x++) {
            const unsigned char *p = px(&im, x, y);
            if (white(&im, x, y))
                continue;
            inked++;
            assert_true(p[0] >= p[1] && p[0] >= p[2]);
            assert_true(p[0] >= 0xE8 - 1);
            solid += p[0] == 0xE8 && p[1] == 0x1F && p[2] == 0x1A;
        }
    assert_true(inked > 100);
    assert_true(solid > 20);
    free(im.rgb);
}

/* Synthetic bold inks more than the plain glyph, in the same place. */
static void test_fake_bold(void **state)
{
    fixture *f = *state;
    gw_glyph g = glyph(f->face, GUO, 100, 700, GW_BLACK);
    gw_page page = { .number = 1, .width = A4_W, .height = A4_H, .glyphs = &g, .n_glyphs = 1 };
    image plain = render(f, &page, 144);
    g.fake_bold = true;
    image bold = render(f, &page, 144);
    box a, b;
    assert_true(ink_box(&plain, &a));
    assert_true(ink_box(&bold, &b));
    long ink_a = 0, ink_b = 0;
    for (size_t i = 0; i < (size_t)plain.w * (size_t)plain.h * 3; i++) {
        ink_a += 255 - plain.rgb[i];
        ink_b += 255 - bold.rgb[i];
    }
    assert_true(ink_b > ink_a + ink_a / 10);
    /* the stroke, 0.4 pt at 16 pt, is 0.8 px: half of it outside, under a pixel */
    assert_true(abs(a.x0 - b.x0) <= 1 && abs(a.y0 - b.y0) <= 1);
    assert_true(abs(a.x1 - b.x1) <= 1 && abs(a.y1 - b.y1) <= 1);
    free(plain.rgb);
    free(bold.rgb);
}

/* ---- rules ----------------------------------------------------------------- */

/* A black rule across and a red one down, at 144 dpi: each is the rectangle
 * its butt-capped stroke covers, its edges on whole pixels, solid. */
static void test_rules(void **state)
{
    fixture *f = *state;
    gw_rule rules[2] = {
        { 100, 400, 300, 400, 1.0, GW_BLACK },     /* rows 882.8 .. 884.8: 883, 884 */
        { 400, 100, 400, 200, 0.5, GW_RED },       /* columns 799.5 .. 800.5: 800 */
    };
    gw_page page = { .number = 1, .width = A4_W, .height = A4_H, .rules = rules, .n_rules = 2 };
    image im = render(f, &page, 144);
    int row = (int)floor((A4_H - 400) * 2);                 /* 883 */
    for (int x = 200; x < 600; x++) {
        expect_rgb(&im, x, row, 0, 0, 0);
        expect_rgb(&im, x, row + 1, 0, 0, 0);
        assert_true(white(&im, x, row - 1));
        assert_true(white(&im, x, row + 2));
    }
    assert_true(white(&im, 199, row));
    assert_true(white(&im, 600, row));
    int top = (int)floor((A4_H - 200) * 2 + 0.5), bottom = (int)floor((A4_H - 100) * 2 + 0.5);
    for (int y = top; y < bottom; y++) {
        expect_rgb(&im, 800, y, 0xE8, 0x1F, 0x1A);
        assert_true(white(&im, 799, y));
        assert_true(white(&im, 801, y));
    }
    assert_true(white(&im, 800, top - 1));
    assert_true(white(&im, 800, bottom));
    box b;
    assert_true(ink_box(&im, &b));
    assert_int_equal(b.x0, 200);
    assert_int_equal(b.x1, 800);
    assert_int_equal(b.y0, row);
    assert_int_equal(b.y1, bottom - 1);
    free(im.rgb);
}

/* A slanted rule is stroked as it is (ink along its middle, none past its
 * butt ends); a rule of no length inks nothing, as in the PDF. */
static void test_rules_slanted(void **state)
{
    fixture *f = *state;
    gw_rule rules[2] = {
        { 100, 500, 200, 600, 2.0, GW_BLACK },
        { 300, 300, 300, 300, 2.0, GW_BLACK },
    };
    gw_page page = { .number = 1, .width = A4_W, .height = A4_H, .rules = rules, .n_rules = 2 };
    image im = render(f, &page, 72);
    int mx = 150, my = (int)floor(A4_H - 550);
    assert_false(white(&im, mx, my));
    assert_true(white(&im, mx + 5, my));
    assert_true(white(&im, mx - 5, my));
    box b;
    assert_true(ink_box(&im, &b));
    assert_true(b.x0 >= 99 && b.x1 <= 201);
    assert_true(b.y0 >= (int)(A4_H - 600) - 1 && b.y1 <= (int)(A4_H - 500) + 1);
    free(im.rgb);
}

/* ---- seals ----------------------------------------------------------------- */

/* An 8 × 8 mask whose only ink is a 2 × 2 block at the top left (the first
 * two rows' two high bits), painted over an 80 pt square at 72 dpi: the
 * block is the square's top-left 20 px, in the ink colour, and the other
 * corners are paper — rows top to bottom, the high bit left. */
static void test_seal(void **state)
{
    fixture *f = *state;
    uint8_t mask[8] = { 0xC0, 0xC0, 0, 0, 0, 0, 0, 0 };
    gw_seal_image seal = { .width = 8, .height = 8, .mask = mask, .stride = 1, .red = 0.2,
                           .green = 0.4, .blue = 0.8, .ink_pixels = 4 };
    gw_image_place place = { &seal, 300, 500, 80 };
    gw_page page = { .number = 1, .width = A4_W, .height = A4_H, .images = &place,
                     .n_images = 1 };
    image im = render(f, &page, 72);
    int x0 = 300, y0 = (int)floor(A4_H - 500 - 80);       /* its top is at 261.89 */
    expect_rgb(&im, x0 + 10, y0 + 10, 51, 102, 204);
    expect_rgb(&im, x0 + 6, y0 + 6, 51, 102, 204);
    expect_rgb(&im, x0 + 14, y0 + 14, 51, 102, 204);
    /* the edge of the square is as inked as its inside, and nothing is
     * inked outside it */
    expect_rgb(&im, x0, y0 + 10, 51, 102, 204);
    assert_true(white(&im, x0 - 1, y0 + 10));
    assert_true(white(&im, x0 + 10, y0 - 1));
    assert_true(white(&im, x0 + 70, y0 + 10));             /* top right */
    assert_true(white(&im, x0 + 10, y0 + 70));             /* bottom left */
    assert_true(white(&im, x0 + 70, y0 + 70));
    box b;
    assert_true(ink_box(&im, &b));
    assert_true(b.x0 >= x0 && b.y0 >= y0);
    /* the mask is enlarged ten times, smoothly: its edge fades over half a cell */
    assert_true(b.x1 <= x0 + 26 && b.y1 <= y0 + 26);
    free(im.rgb);
}

/* ---- a landscape page ---------------------------------------------------- */

/* In the landscape frame a rule along x and 一 (a stroke along x); the page
 * number 一 in portrait coordinates.  On the page, at 72 dpi: the rule runs
 * down the column at width − y, from height − x1 to height − x0; the body's
 * 一 is taller than wide, its baseline the column at width − y, its ink to
 * the left of it; the page number's 一 wider than tall, where it was put. */
static void test_landscape(void **state)
{
    fixture *f = *state;
    gw_rule rule = { 100, 200, 300, 200, 2.0, GW_BLACK };
    gw_glyph glyphs[2] = { glyph(f->face, YI, 400, 300, GW_BLACK),
                           glyph(f->face, YI, 280, 50, GW_BLACK) };
    glyphs[1].role = GW_ROLE_PAGENUM;
    gw_page page = { .number = 2, .width = A4_W, .height = A4_H, .glyphs = glyphs,
                     .n_glyphs = 2, .rules = &rule, .n_rules = 1, .landscape = true };
    image im = render(f, &page, 72);
    /* the rule: columns 394.3 .. 396.3 → 394, 395; rows 541.9 .. 741.9 → 542 .. 741 */
    int col = (int)floor(A4_W - 200 - 1 + 0.5);
    for (int y = 542; y < 742; y++) {
        expect_rgb(&im, col, y, 0, 0, 0);
        expect_rgb(&im, col + 1, y, 0, 0, 0);
        assert_true(white(&im, col - 1, y));
        assert_true(white(&im, col + 2, y));
    }
    assert_true(white(&im, col, 541));
    assert_true(white(&im, col, 742));
    /* the body's 一: in its frame at x 400..416 along and baseline y 300, so
     * on the page in rows height − 416 .. height − 400, left of column
     * width − 300 + 0.12 em and right of width − 300 − 0.88 em */
    int ix0 = (int)(A4_W - 300 - 0.88 * 16) - 1, ix1 = (int)(A4_W - 300 + 0.12 * 16) + 1;
    int iy0 = (int)(A4_H - 416) - 1, iy1 = (int)(A4_H - 400) + 1;
    box b = { im.w, im.h, -1, -1 };
    for (int y = 0; y < im.h; y++)
        for (int x = 0; x < im.w; x++)
            if (!white(&im, x, y) && y < 700 && abs(x - col) > 3) {
                b.x0 = x < b.x0 ? x : b.x0;
                b.y0 = y < b.y0 ? y : b.y0;
                b.x1 = x > b.x1 ? x : b.x1;
                b.y1 = y > b.y1 ? y : b.y1;
            }
    assert_true(b.x1 >= 0);
    assert_true(b.x0 >= ix0 && b.x1 <= ix1 && b.y0 >= iy0 && b.y1 <= iy1);
    assert_true(b.y1 - b.y0 > 3 * (b.x1 - b.x0 + 1));          /* turned: tall and thin */
    /* the page number's 一: upright at (280, 50), wide and flat */
    box n = { im.w, im.h, -1, -1 };
    for (int y = 742; y < im.h; y++)
        for (int x = 0; x < im.w; x++)
            if (!white(&im, x, y)) {
                n.x0 = x < n.x0 ? x : n.x0;
                n.y0 = y < n.y0 ? y : n.y0;
                n.x1 = x > n.x1 ? x : n.x1;
                n.y1 = y > n.y1 ? y : n.y1;
            }
    assert_true(n.x1 >= 0);
    assert_true(n.x0 >= 279 && n.x1 <= 297);
    assert_true(n.y1 <= (int)(A4_H - 50) + 1 && n.y0 >= (int)(A4_H - 50 - 0.88 * 16) - 1);
    assert_true(n.x1 - n.x0 > 3 * (n.y1 - n.y0 + 1));
    free(im.rgb);
}

/* ---- the file -------------------------------------------------------------- */

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* A chunk's data, or NULL when the PNG has none of that type. */
static const unsigned char *chunk(const unsigned char *png, size_t len, const char *type,
                                  uint32_t *n)
{
    for (size_t i = 8; i + 12 <= len;) {
        uint32_t k = be32(png + i);
        if (!memcmp(png + i + 4, type, 4)) {
            *n = k;
            return png + i + 8;
        }
        i += 12 + (size_t)k;
    }
    return NULL;
}

/* Page size at two resolutions (round(points / 72 × dpi)), 8-bit RGB, pHYs
 * in pixels a metre, no time or text chunks, the same bytes twice. */
static void test_file(void **state)
{
    fixture *f = *state;
    gw_glyph g = glyph(f->face, GUO, 100, 700, GW_RED);
    gw_rule r = { 100, 400, 300, 400, 1.0, GW_BLACK };
    gw_page page = { .number = 1, .width = A4_W, .height = A4_H, .glyphs = &g, .n_glyphs = 1,
                     .rules = &r, .n_rules = 1 };
    static const struct { int dpi, w, h; uint32_t ppm; } sizes[] = {
        { 150, 1240, 1754, 5906 }, { 96, 794, 1123, 3780 },
    };
    for (size_t i = 0; i < 2; i++) {
        unsigned char *a = NULL, *b = NULL;
        size_t na = 0, nb = 0;
        assert_int_equal(gw_png_render_memory(&page, sizes[i].dpi, &a, &na, &f->s.diag), 0);
        assert_int_equal(gw_png_render_memory(&page, sizes[i].dpi, &b, &nb, &f->s.diag), 0);
        assert_int_equal(na, nb);
        assert_memory_equal(a, b, na);
        assert_memory_equal(a, "\x89PNG\r\n\x1a\n", 8);
        uint32_t n;
        const unsigned char *ihdr = chunk(a, na, "IHDR", &n);
        assert_non_null(ihdr);
        assert_int_equal(be32(ihdr), sizes[i].w);
        assert_int_equal(be32(ihdr + 4), sizes[i].h);
        assert_int_equal(ihdr[8], 8);                       /* bit depth */
        assert_int_equal(ihdr[9], 2);                       /* RGB */
        assert_int_equal(gw_png_pixels(A4_W, sizes[i].dpi), sizes[i].w);
        assert_int_equal(gw_png_pixels(A4_H, sizes[i].dpi), sizes[i].h);
        const unsigned char *phys = chunk(a, na, "pHYs", &n);
        assert_non_null(phys);
        assert_int_equal(n, 9);
        assert_int_equal(be32(phys), sizes[i].ppm);
        assert_int_equal(be32(phys + 4), sizes[i].ppm);
        assert_int_equal(phys[8], 1);                       /* the metre */
        static const char *const absent[] = { "tIME", "tEXt", "zTXt", "iTXt" };
        for (size_t k = 0; k < 4; k++)
            assert_null(chunk(a, na, absent[k], &n));
        image im = decode(a, na);
        assert_int_equal(im.w, sizes[i].w);
        assert_int_equal(im.h, sizes[i].h);
        free(im.rgb);
        free(a);
        free(b);
    }
}

/* ---- documents and their files --------------------------------------------- */

static void test_page_path(void **state)
{
    (void)state;
    static const struct { const char *out; size_t i, n; const char *want; } cases[] = {
        { "out.png", 0, 1, "out.png" },
        { "out.png", 0, 7, "out-1.png" },
        { "out.png", 6, 7, "out-7.png" },
        { "a/b.c/out.png", 0, 12, "a/b.c/out-01.png" },
        { "a/b.c/out.png", 11, 12, "a/b.c/out-12.png" },
        { "OUT.PNG", 1, 100, "OUT-002.PNG" },
        { "out", 0, 2, "out-1.png" },
        { "dir.png/x", 0, 2, "dir.png/x-1.png" },
        { "d/.png", 0, 2, "d/.png-1.png" },
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char *p = gw_png_page_path(cases[k].out, cases[k].i, cases[k].n);
        assert_non_null(p);
        assert_string_equal(p, cases[k].want);
        free(p);
    }
}

/* n blank pages into dir/name at 18 dpi; the finish's status. */
static int write_pages(fixture *f, const char *name, size_t n, bool finish)
{
    char out[160];
    snprintf(out, sizeof out, "%s/%s", f->s.dir, name);
    gw_png_doc *d = gw_png_begin(out, 18, &f->s.diag);
    assert_non_null(d);
    gw_page page = { .number = 1, .width = A4_W, .height = A4_H };
    for (size_t i = 0; i < n; i++)
        assert_int_equal(gw_png_add_page(d, &page), 0);
    assert_false(gw_png_failed(d));
    assert_int_equal(gw_png_page_count(d), n);
    assert_int_equal(scratch_count(f->s.dir), 0);           /* nothing before the finish */
    if (!finish) {
        gw_png_discard(d);
        return 0;
    }
    return gw_png_finish(d, out);
}

static void test_document_files(void **state)
{
    fixture *f = *state;
    char path[200];
    /* one page: OUT.png itself */
    assert_int_equal(write_pages(f, "one.png", 1, true), 0);
    assert_int_equal(scratch_count(f->s.dir), 1);
    snprintf(path, sizeof path, "%s/one.png", f->s.dir);
    assert_int_equal(access(path, R_OK), 0);
    assert_int_equal(unlink(path), 0);
    /* twelve: OUT-01.png … OUT-12.png, and no OUT.png */
    assert_int_equal(write_pages(f, "doc.png", 12, true), 0);
    assert_int_equal(scratch_count(f->s.dir), 12);
    for (int i = 1; i <= 12; i++) {
        snprintf(path, sizeof path, "%s/doc-%02d.png", f->s.dir, i);
        assert_int_equal(access(path, R_OK), 0);
        FILE *fp = fopen(path, "rb");
        assert_non_null(fp);
        unsigned char head[24];
        assert_int_equal(fread(head, 1, 24, fp), 24);
        fclose(fp);
        assert_int_equal(be32(head + 16), gw_png_pixels(A4_W, 18));
        assert_int_equal(unlink(path), 0);
    }
    /* discarded: nothing */
    assert_int_equal(write_pages(f, "gone.png", 3, false), 0);
    assert_int_equal(scratch_count(f->s.dir), 0);
}

static void test_refusals(void **state)
{
    fixture *f = *state;
    /* resolutions out of range */
    assert_null(gw_png_begin("t.png", GW_PNG_DPI_MIN - 1, &f->s.diag));
    assert_null(gw_png_begin("t.png", GW_PNG_DPI_MAX + 1, &f->s.diag));
    assert_non_null(strstr(diag_text(f), "t.png: 17 dpi: the PNG output draws at 18 to 600 dpi"));
    assert_non_null(strstr(diag_text(f), "t.png: 601 dpi:"));
    /* no pages */
    gw_png_doc *d = gw_png_begin("empty.png", 72, &f->s.diag);
    assert_non_null(d);
    assert_int_equal(gw_png_finish(d, "empty.png"), -1);
    assert_non_null(strstr(diag_text(f), "empty.png: the document has no pages"));
    /* several pages to a device: refused, nothing made beside it */
    d = gw_png_begin("/dev/null", 18, &f->s.diag);
    gw_page page = { .number = 1, .width = A4_W, .height = A4_H };
    assert_int_equal(gw_png_add_page(d, &page), 0);
    assert_int_equal(gw_png_add_page(d, &page), 0);
    assert_int_equal(gw_png_finish(d, "/dev/null"), -1);
    assert_non_null(strstr(diag_text(f), "/dev/null: is a device: a document of 2 pages"));
    assert_int_equal(access("/dev/null-1.png", F_OK), -1);
    /* one page to a device: written in place */
    d = gw_png_begin("/dev/null", 18, &f->s.diag);
    assert_int_equal(gw_png_add_page(d, &page), 0);
    assert_int_equal(gw_png_finish(d, "/dev/null"), 0);
    /* a directory that is not there: said, nothing written */
    char out[160];
    snprintf(out, sizeof out, "%s/no/such/out.png", f->s.dir);
    d = gw_png_begin(out, 18, &f->s.diag);
    assert_int_equal(gw_png_add_page(d, &page), 0);
    int errors = f->s.diag.errors;
    assert_int_equal(gw_png_finish(d, out), -1);
    assert_true(f->s.diag.errors > errors);
    assert_int_equal(scratch_count(f->s.dir), 0);
    /* a character the face cannot draw (a layout bug): the page fails */
    gw_glyph g = glyph(f->face, 0x10FFFD, 100, 700, GW_BLACK);
    page.glyphs = &g;
    page.n_glyphs = 1;
    d = gw_png_begin("bad.png", 18, &f->s.diag);
    assert_int_equal(gw_png_add_page(d, &page), -1);
    assert_true(gw_png_failed(d));
    assert_int_equal(gw_png_add_page(d, &page), -1);
    gw_png_discard(d);
    assert_non_null(strstr(diag_text(f), "bad.png: page 1: U+10FFFD has no glyph in " SUNG));
    /* a page too large for cairo at this resolution */
    gw_page huge = { .number = 1, .width = 20000, .height = 100 };
    d = gw_png_begin("huge.png", 600, &f->s.diag);
    assert_int_equal(gw_png_add_page(d, &huge), -1);
    gw_png_discard(d);
    assert_non_null(strstr(diag_text(f), "huge.png: page 1: 20000 × 100 pt at 600 dpi"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_glyph_position, setup, teardown),
        cmocka_unit_test_setup_teardown(test_red_glyph, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fake_bold, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rules_slanted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_seal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_landscape, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_page_path, setup, teardown),
        cmocka_unit_test_setup_teardown(test_document_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
