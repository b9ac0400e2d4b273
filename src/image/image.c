/* image — a seal PNG read with libpng into a stencil mask and its ink colour
 * (see image.h).  Called by the layout; the mask is embedded by the PDF output.
 * libpng reports errors by longjmp: everything it may leave half-made is
 * released on that path too. */
#include "image.h"
#include "pngerr.h"

#include <errno.h>
#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"

/* A seal of 60 mm scanned at 1200 dpi is 2835 pixels: anything larger is a
 * mistake (and 4096² RGBA is already 64 MB to decode).  Checked after the
 * header is read, so the message can say so; libpng's own bound is only a
 * backstop against absurd headers. */
#define MAX_SIDE 4096
#define LIBPNG_SIDE_BACKSTOP 1000000

void gw_png_on_error(png_structp png, png_const_charp message)
{
    gw_png_failure *f = png_get_error_ptr(png);
    snprintf(f->message, sizeof f->message, "%s", message);
    longjmp(f->jump, 1);
}

void gw_png_on_warning(png_structp png, png_const_charp message)
{
    (void)png;
    (void)message;     /* a damaged ancillary chunk: the pixels still decode */
}

void gw_seal_free(gw_seal_image *img)
{
    if (!img)
        return;
    free(img->mask);
    free(img);
}

/* Ink: mostly opaque, and not near white (the paper of a scanned seal). */
static bool is_ink(const png_byte *px)
{
    png_byte low = px[0] < px[1] ? px[0] : px[1];
    if (px[2] < low)
        low = px[2];
    return px[3] >= 128 && low < 200;
}

/* The mask and mean ink colour of RGBA rows; false when out of memory. */
static bool build_mask(gw_seal_image *img, png_bytep pixels)
{
    img->stride = ((size_t)img->width + 7) / 8;
    img->mask = calloc(img->stride * (size_t)img->height + 1, 1);
    if (!img->mask)
        return false;
    double r = 0, g = 0, b = 0;
    for (int y = 0; y < img->height; y++) {
        for (int x = 0; x < img->width; x++) {
            const png_byte *px = pixels + ((size_t)y * (size_t)img->width + (size_t)x) * 4;
            if (!is_ink(px))
                continue;
            img->mask[(size_t)y * img->stride + (size_t)x / 8] |= (uint8_t)(0x80u >> (x % 8));
            r += px[0];
            g += px[1];
            b += px[2];
            img->ink_pixels++;
        }
    }
    if (img->ink_pixels) {
        img->red = r / img->ink_pixels / 255.0;
        img->green = g / img->ink_pixels / 255.0;
        img->blue = b / img->ink_pixels / 255.0;
    }
    return true;
}

/* Expand every PNG colour type to 8-bit RGBA. */
static void rgba_transforms(png_structp png, png_infop info)
{
    png_byte type = png_get_color_type(png, info);
    png_set_expand(png);
    png_set_strip_16(png);
    if (type == PNG_COLOR_TYPE_GRAY || type == PNG_COLOR_TYPE_GRAY_ALPHA)
        png_set_gray_to_rgb(png);
    if (!(type & PNG_COLOR_MASK_ALPHA) && !png_get_valid(png, info, PNG_INFO_tRNS))
        png_set_add_alpha(png, 0xFF, PNG_FILLER_AFTER);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
}

/* What decoding allocates, kept in the heap so a longjmp cannot lose it. */
typedef struct decoding {
    png_bytep pixels;
    png_bytep *rows;
} decoding;

typedef enum { DECODED, DECODE_OOM, DECODE_TOO_BIG } decode_result;

/* Decode the open PNG into img; libpng's errors longjmp to the caller's setjmp. */
static decode_result decode(png_structp png, png_infop info, FILE *fp, gw_seal_image *img,
                            decoding *d)
{
    png_init_io(png, fp);
    png_set_sig_bytes(png, 8);
    png_set_user_limits(png, LIBPNG_SIDE_BACKSTOP, LIBPNG_SIDE_BACKSTOP);
    png_read_info(png, info);
    img->width = (int)png_get_image_width(png, info);
    img->height = (int)png_get_image_height(png, info);
    if (img->width > MAX_SIDE || img->height > MAX_SIDE)
        return DECODE_TOO_BIG;
    png_uint_32 xres = 0, yres = 0;
    int unit = 0;
    if (png_get_pHYs(png, info, &xres, &yres, &unit) && unit == PNG_RESOLUTION_METER && xres > 0)
        img->width_mm = img->width * 1000.0 / xres;
    rgba_transforms(png, info);
    d->pixels = malloc((size_t)img->width * (size_t)img->height * 4);
    d->rows = malloc((size_t)img->height * sizeof *d->rows);
    if (!d->pixels || !d->rows)
        return DECODE_OOM;
    for (int y = 0; y < img->height; y++)
        d->rows[y] = d->pixels + (size_t)y * (size_t)img->width * 4;
    png_read_image(png, d->rows);
    png_read_end(png, NULL);
    return build_mask(img, d->pixels) ? DECODED : DECODE_OOM;
}

gw_seal_image *gw_seal_load(const char *path, const char *where, long line, long col,
                            gw_diag *diag)
{
    const char *why = NULL;
    int fd = gw_open_regular(path, &why);      /* never blocks on a FIFO, refuses a directory */
    FILE *fp = fd >= 0 ? fdopen(fd, "rb") : NULL;
    if (!fp) {
        gw_error(diag, where, line, col, "cannot read the seal image %s: %s", path,
                 why ? why : strerror(errno));
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    png_byte sig[8];
    if (fread(sig, 1, 8, fp) != 8 || png_sig_cmp(sig, 0, 8) != 0) {
        gw_error(diag, where, line, col, "the seal image %s is not a PNG file", path);
        fclose(fp);
        return NULL;
    }
    gw_png_failure failure = { .message = "" };
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &failure, gw_png_on_error,
                                             gw_png_on_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    gw_seal_image *volatile img = calloc(1, sizeof *img);
    decoding *volatile work = calloc(1, sizeof *work);
    volatile bool ok = false, oom = !png || !info || !img || !work;
    if (!oom && setjmp(failure.jump) == 0) {
        decode_result r = decode(png, info, fp, img, work);
        ok = r == DECODED;
        oom = r == DECODE_OOM;
        if (r == DECODE_TOO_BIG)
            gw_error(diag, where, line, col, "the seal image %s is %d × %d pixels: a seal image "
                     "may be at most %d pixels a side (a 60 mm seal at 1200 dpi is 2835); "
                     "scale it down", path, img->width, img->height, MAX_SIDE);
    } else if (!oom) {
        gw_error(diag, where, line, col, "the seal image %s is not a valid PNG (libpng: %s)", path,
                 failure.message);
    }
    if (oom)
        gw_error(diag, where, line, col, "out of memory reading the seal image %s", path);
    else if (ok && img->ink_pixels == 0) {
        gw_error(diag, where, line, col,
                 "the seal image %s has no ink: every pixel is transparent or white", path);
        ok = false;
    }
    png_destroy_read_struct(png ? &png : NULL, info ? &info : NULL, NULL);
    if (work) {
        free(work->rows);
        free(work->pixels);
        free(work);
    }
    fclose(fp);
    if (!ok) {
        gw_seal_free(img);
        return NULL;
    }
    return img;
}

/* ---- the seal as an RGBA PNG ------------------------------------------- */

typedef struct png_sink {
    unsigned char *data;
    size_t len, cap;
    bool oom;
} png_sink;

static void sink_write(png_structp png, png_bytep bytes, png_size_t n)
{
    png_sink *s = png_get_io_ptr(png);
    if (s->oom)
        return;
    if (s->len + n > s->cap) {
        size_t cap = s->cap ? s->cap : 4096;
        while (cap < s->len + n)
            cap *= 2;
        unsigned char *d = realloc(s->data, cap);
        if (!d) {
            s->oom = true;
            return;
        }
        s->data = d;
        s->cap = cap;
    }
    memcpy(s->data + s->len, bytes, n);
    s->len += n;
}

static void sink_flush(png_structp png)
{
    (void)png;
}

static png_byte channel(double v)
{
    return (png_byte)(v <= 0 ? 0 : v >= 1 ? 255 : (int)(v * 255.0 + 0.5));
}

/* The encoding proper, in a frame of its own: nothing local to it changes
 * between the setjmp and a longjmp from libpng's error handler.  One bit a
 * pixel over a two-colour palette — 0 the paper, fully transparent; 1 the
 * ink, opaque — so the mask's rows are the image's rows as they are. */
static bool encode(png_structp png, png_infop info, gw_png_failure *failure, png_sink *sink,
                   const gw_seal_image *img)
{
    if (setjmp(failure->jump) != 0)
        return false;
    png_set_write_fn(png, sink, sink_write, sink_flush);
    png_set_IHDR(png, info, (png_uint_32)img->width, (png_uint_32)img->height, 1,
                 PNG_COLOR_TYPE_PALETTE, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    png_color palette[2] = {
        { 255, 255, 255 },
        { channel(img->red), channel(img->green), channel(img->blue) },
    };
    png_byte alpha[2] = { 0, 255 };
    png_set_PLTE(png, info, palette, 2);
    png_set_tRNS(png, info, alpha, 2, NULL);
    /* One bit a pixel: row filters gain nothing; zlib's level 8 is within 0.5 %
     * of level 9 on a 992-pixel seal (12 980 against 12 924 bytes) at less than
     * half its time (level 9's long match chains on the ring's long runs). */
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
    png_set_compression_level(png, 8);
    png_write_info(png, info);
    for (int y = 0; y < img->height; y++)
        png_write_row(png, img->mask + (size_t)y * img->stride);
    png_write_end(png, info);
    return !sink->oom;
}

int gw_seal_png(const gw_seal_image *img, unsigned char **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    gw_png_failure failure = { 0 };
    png_sink sink = { 0 };
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &failure, gw_png_on_error,
                                              gw_png_on_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    bool ok = info && encode(png, info, &failure, &sink, img);
    if (png)
        png_destroy_write_struct(&png, info ? &info : NULL);
    if (!ok) {
        free(sink.data);
        return -1;
    }
    *data = sink.data;
    *len = sink.len;
    return 0;
}
