/* make_seal — draws a specimen seal (样章) as a PNG for the example documents:
 * a red ring, a five-pointed star, the office's name around the top of the
 * ring and the word 样章 across the middle, on a transparent background, with
 * its physical size in the pHYs chunk.  The offices in content/ are fictional;
 * the seal is marked 样章 (specimen) so it can never pass for a real one.
 *
 * With `square`, a signer's name stamp (签名章) instead: a square frame with
 * four characters in two columns read right to left (e.g. 县长样章: the
 * specimen of a county head's stamp).
 *
 * Built by CMake as `make_seal` (FreeType renders the glyphs, libpng writes the
 * file); run by scripts/make-seal.sh.  Not part of gwpdf itself.
 *
 *   make_seal OUT.png FONT[:INDEX] NAME [DIAMETER_MM [square]]   */
#include <ft2build.h>
#include FT_FREETYPE_H
#include <math.h>
#include <png.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif
#define DPI 600.0
#define RED_R 230
#define RED_G 0
#define RED_B 18

typedef struct canvas {
    int n;                 /* width = height, pixels */
    uint8_t *alpha;        /* coverage 0..255 of the red ink */
} canvas;

static void plot(canvas *c, int x, int y, int a)
{
    if (x < 0 || y < 0 || x >= c->n || y >= c->n)
        return;
    uint8_t *p = &c->alpha[(size_t)y * (size_t)c->n + (size_t)x];
    if (a > *p)
        *p = (uint8_t)a;
}

/* The ring between radii r0 and r1, anti-aliased by 4x4 supersampling. */
static void ring(canvas *c, double r0, double r1)
{
    double mid = c->n / 2.0;
    for (int y = 0; y < c->n; y++)
        for (int x = 0; x < c->n; x++) {
            int hits = 0;
            for (int s = 0; s < 16; s++) {
                double dx = x + (s % 4 + 0.5) / 4 - mid, dy = y + (s / 4 + 0.5) / 4 - mid;
                double r = sqrt(dx * dx + dy * dy);
                hits += r >= r0 && r <= r1;
            }
            plot(c, x, y, hits * 255 / 16);
        }
}

/* A square frame between insets d0 and d1 from the edge, anti-aliased likewise. */
static void frame(canvas *c, double d0, double d1)
{
    for (int y = 0; y < c->n; y++)
        for (int x = 0; x < c->n; x++) {
            int hits = 0;
            for (int s = 0; s < 16; s++) {
                double px = x + (s % 4 + 0.5) / 4, py = y + (s / 4 + 0.5) / 4;
                double d = fmin(fmin(px, c->n - px), fmin(py, c->n - py));
                hits += d >= d0 && d <= d1;
            }
            plot(c, x, y, hits * 255 / 16);
        }
}

/* Inside the five-pointed star of outer radius R centred at (cx, cy), point up. */
static bool in_star(double x, double y, double cx, double cy, double R)
{
    double px[10], py[10];
    for (int i = 0; i < 10; i++) {
        double r = i % 2 ? R * 0.382 : R, a = -M_PI / 2 + i * M_PI / 5;
        px[i] = cx + r * cos(a);
        py[i] = cy + r * sin(a);
    }
    bool in = false;
    for (int i = 0, j = 9; i < 10; j = i++)
        if ((py[i] > y) != (py[j] > y) && x < (px[j] - px[i]) * (y - py[i]) / (py[j] - py[i]) + px[i])
            in = !in;
    return in;
}

static void star(canvas *c, double cx, double cy, double R)
{
    for (int y = (int)(cy - R) - 1; y <= (int)(cy + R) + 1; y++)
        for (int x = (int)(cx - R) - 1; x <= (int)(cx + R) + 1; x++) {
            int hits = 0;
            for (int s = 0; s < 16; s++)
                hits += in_star(x + (s % 4 + 0.5) / 4, y + (s / 4 + 0.5) / 4, cx, cy, R);
            plot(c, x, y, hits * 255 / 16);
        }
}

/* One glyph of `size` pixels, rotated by `angle` (radians, counter-clockwise),
 * its centre at (cx, cy) (y down). */
static int glyph(canvas *c, FT_Face face, uint32_t cp, double size, double angle, double cx, double cy)
{
    FT_Matrix m = { (FT_Fixed)(cos(angle) * 65536), (FT_Fixed)(-sin(angle) * 65536),
                    (FT_Fixed)(sin(angle) * 65536), (FT_Fixed)(cos(angle) * 65536) };
    /* Rotate about the em box's centre: shift the origin by the rotated (-w/2, -h/2). */
    double hw = size / 2, hh = size * 0.38;
    FT_Vector delta = { (FT_Pos)((-hw * cos(angle) + hh * sin(angle)) * 64),
                        (FT_Pos)((-hw * sin(angle) - hh * cos(angle)) * 64) };
    if (FT_Set_Pixel_Sizes(face, 0, (FT_UInt)size) != 0)
        return -1;
    FT_Set_Transform(face, &m, &delta);
    if (FT_Load_Char(face, cp, FT_LOAD_RENDER | FT_LOAD_NO_HINTING) != 0)
        return -1;
    FT_Bitmap *b = &face->glyph->bitmap;
    int x0 = (int)lround(cx) + face->glyph->bitmap_left, y0 = (int)lround(cy) - face->glyph->bitmap_top;
    for (unsigned r = 0; r < b->rows; r++)
        for (unsigned k = 0; k < b->width; k++)
            plot(c, x0 + (int)k, y0 + (int)r, b->buffer[r * (unsigned)b->pitch + k]);
    return 0;
}

static size_t decode_all(const char *s, uint32_t *out, size_t cap)
{
    size_t n = 0, len = strlen(s);
    while (len > 0 && n < cap) {
        size_t k = gw_utf8_decode((const unsigned char *)s, len, &out[n]);
        if (k == 0)
            break;
        n++;
        s += k;
        len -= k;
    }
    return n;
}

/* The name along the top of the ring, each character upright to the centre. */
static int name_arc(canvas *c, FT_Face face, const char *name, double radius, double size)
{
    uint32_t cps[64];
    size_t n = decode_all(name, cps, 64);
    double span = n > 1 ? fmin(240.0, 26.0 * (double)(n - 1)) * M_PI / 180 : 0;
    double mid = c->n / 2.0;
    for (size_t i = 0; i < n; i++) {
        double t = n > 1 ? -span / 2 + span * (double)i / (double)(n - 1) : 0;   /* from the top */
        double cx = mid + radius * sin(t), cy = mid - radius * cos(t);
        if (glyph(c, face, cps[i], size, -t, cx, cy) != 0)
            return -1;
    }
    return 0;
}

/* The name stamp's four characters: right column top to bottom, then left. */
static int name_square(canvas *c, FT_Face face, const char *name)
{
    uint32_t cps[4];
    if (decode_all(name, cps, 4) != 4)
        return -1;
    double q = c->n / 4.0, size = c->n * 0.40;
    for (int i = 0; i < 4; i++) {
        double cx = i < 2 ? 3 * q : q, cy = i % 2 ? 3 * q : q;
        if (glyph(c, face, cps[i], size, 0, cx, cy) != 0)
            return -1;
    }
    return 0;
}

static int write_png(const char *path, const canvas *c)
{
    FILE *fp = fopen(path, "wb");
    if (!fp)
        return -1;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    uint8_t *row = malloc((size_t)c->n * 4);
    if (!png || !info || !row || setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        free(row);
        fclose(fp);
        return -1;
    }
    png_init_io(png, fp);
    png_set_IHDR(png, info, (png_uint_32)c->n, (png_uint_32)c->n, 8, PNG_COLOR_TYPE_RGBA,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_uint_32 ppm = (png_uint_32)lround(DPI / 0.0254);
    png_set_pHYs(png, info, ppm, ppm, PNG_RESOLUTION_METER);
    png_write_info(png, info);
    for (int y = 0; y < c->n; y++) {
        for (int x = 0; x < c->n; x++) {
            uint8_t *p = row + (size_t)x * 4;
            p[0] = RED_R;
            p[1] = RED_G;
            p[2] = RED_B;
            p[3] = c->alpha[(size_t)y * (size_t)c->n + (size_t)x];
        }
        png_write_row(png, row);
    }
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    free(row);
    return fclose(fp) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: make_seal OUT.png FONT[:INDEX] NAME [DIAMETER_MM [square]]\n");
        return 2;
    }
    double mm = argc > 4 ? atof(argv[4]) : 42.0;
    char font[4096];
    snprintf(font, sizeof font, "%s", argv[2]);
    char *colon = strrchr(font, ':');
    long index = 0;
    if (colon) {
        *colon = '\0';
        index = atol(colon + 1);
    }
    canvas c = { (int)lround(mm / 25.4 * DPI), NULL };
    c.alpha = calloc((size_t)c.n * (size_t)c.n, 1);
    FT_Library lib;
    FT_Face face;
    if (!c.alpha || FT_Init_FreeType(&lib) || FT_New_Face(lib, font, index, &face)) {
        fprintf(stderr, "make_seal: cannot load %s\n", argv[2]);
        return 1;
    }
    double R = c.n / 2.0, px_mm = DPI / 25.4;
    int rc;
    if (argc > 5 && strcmp(argv[5], "square") == 0) {
        frame(&c, 0.5, 1.0 * px_mm);
        rc = name_square(&c, face, argv[3]);
    } else {
        ring(&c, R - 1.4 * px_mm, R - 0.5);
        star(&c, R, R, 7.5 * px_mm);
        rc = name_arc(&c, face, argv[3], R - 6.2 * px_mm, 6.5 * px_mm);
        uint32_t yang[2] = { 0x6837, 0x7AE0 };   /* 样章 */
        for (int i = 0; i < 2 && rc == 0; i++)
            rc = glyph(&c, face, yang[i], 6.0 * px_mm, 0, R + (i ? 4.2 : -4.2) * px_mm,
                       R + 11.5 * px_mm);
    }
    if (rc == 0)
        rc = write_png(argv[1], &c);
    FT_Done_Face(face);
    FT_Done_FreeType(lib);
    free(c.alpha);
    if (rc != 0) {
        fprintf(stderr, "make_seal: cannot draw or write %s\n", argv[1]);
        return 1;
    }
    return 0;
}
