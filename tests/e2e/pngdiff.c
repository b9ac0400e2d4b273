/* pngdiff — compares a page gwpdf drew as PNG with the same page of its PDF
 * rasterised by pdftoppm, for tests/e2e/png.sh: the two must show the same
 * glyphs at the same places, drawn by two different rasterisers.
 *
 *   pngdiff OURS.png REFERENCE.png [--max-share S] [--max-mad M]
 *
 * Both are read with libpng's simplified API as RGB and compared in grey
 * (Rec. 601 weights) over the area they share: pdftoppm rounds a page's
 * pixel size up where gwpdf rounds it to the nearest, so the sizes may
 * differ by one pixel, never more.  Printed on one line: both sizes; the
 * shift (dx, dy) in [-3, 3]² that best aligns OURS with REFERENCE (least
 * sum of absolute differences over the interior, (0, 0) on a tie): any
 * other means the glyphs moved; the share of pixels whose grey levels
 * differ by more than 64; and the mean absolute difference (0-255).
 * Exit status: 0 all within the bounds given, 1 not, 2 unreadable input or
 * usage. */
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SHIFT 3
#define THRESHOLD 64

typedef struct grey {
    int w, h;
    unsigned char *px;
} grey;

static int load(const char *path, grey *g)
{
    png_image im;
    memset(&im, 0, sizeof im);
    im.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&im, path)) {
        fprintf(stderr, "pngdiff: %s: %s\n", path, im.message);
        return -1;
    }
    im.format = PNG_FORMAT_RGB;
    unsigned char *rgb = malloc(PNG_IMAGE_SIZE(im));
    g->px = malloc((size_t)im.width * im.height);
    if (!rgb || !g->px || !png_image_finish_read(&im, NULL, rgb, 0, NULL)) {
        fprintf(stderr, "pngdiff: %s: %s\n", path, rgb && g->px ? im.message : "out of memory");
        png_image_free(&im);
        free(rgb);
        free(g->px);
        return -1;
    }
    g->w = (int)im.width;
    g->h = (int)im.height;
    for (size_t i = 0; i < (size_t)g->w * (size_t)g->h; i++)
        g->px[i] = (unsigned char)((299 * rgb[3 * i] + 587 * rgb[3 * i + 1] +
                                    114 * rgb[3 * i + 2] + 500) / 1000);
    free(rgb);
    return 0;
}

static int at(const grey *g, int x, int y)
{
    return g->px[(size_t)y * (size_t)g->w + (size_t)x];
}

/* Sum of |a(x, y) − b(x + dx, y + dy)| over the interior of the w × h area. */
static unsigned long long sad(const grey *a, const grey *b, int w, int h, int dx, int dy)
{
    unsigned long long s = 0;
    for (int y = SHIFT; y < h - SHIFT; y++)
        for (int x = SHIFT; x < w - SHIFT; x++)
            s += (unsigned long long)abs(at(a, x, y) - at(b, x + dx, y + dy));
    return s;
}

static void best_shift(const grey *a, const grey *b, int w, int h, int *bx, int *by)
{
    unsigned long long best = sad(a, b, w, h, 0, 0);
    *bx = *by = 0;
    for (int dy = -SHIFT; dy <= SHIFT; dy++)
        for (int dx = -SHIFT; dx <= SHIFT; dx++) {
            unsigned long long s = dx || dy ? sad(a, b, w, h, dx, dy) : best;
            if (s < best) {
                best = s;
                *bx = dx;
                *by = dy;
            }
        }
}

int main(int argc, char **argv)
{
    double max_share = 1.0, max_mad = 255.0;
    if (argc != 3 && argc != 5 && argc != 7) {
        fprintf(stderr, "usage: pngdiff OURS.png REFERENCE.png [--max-share S] [--max-mad M]\n");
        return 2;
    }
    for (int i = 3; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--max-share"))
            max_share = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--max-mad"))
            max_mad = atof(argv[i + 1]);
        else {
            fprintf(stderr, "pngdiff: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    grey a, b;
    if (load(argv[1], &a) != 0)
        return 2;
    if (load(argv[2], &b) != 0) {
        free(a.px);
        return 2;
    }
    int w = a.w < b.w ? a.w : b.w, h = a.h < b.h ? a.h : b.h;
    int status = 0;
    printf("%dx%d %dx%d", a.w, a.h, b.w, b.h);
    if (abs(a.w - b.w) > 1 || abs(a.h - b.h) > 1 || w <= 2 * SHIFT || h <= 2 * SHIFT) {
        printf(" sizes differ\n");
        status = 1;
    } else {
        int dx, dy;
        best_shift(&a, &b, w, h, &dx, &dy);
        unsigned long long differing = 0, total = 0;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int d = abs(at(&a, x, y) - at(&b, x, y));
                differing += d > THRESHOLD;
                total += (unsigned long long)d;
            }
        double n = (double)w * h, share = differing / n, mad = total / n;
        printf(" shift %d,%d share %.6f mad %.4f\n", dx, dy, share, mad);
        if (dx || dy || share > max_share || mad > max_mad)
            status = 1;
    }
    free(a.px);
    free(b.px);
    return status;
}
