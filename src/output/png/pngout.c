/* pngout — the pages as PNG images drawn with cairo (see pngout.h).
 *
 * Called by the CLI after the layout, page by page.  Coordinates: the layout
 * places everything in points with y up from the page's bottom; cairo draws
 * with y down.  Each frame (the page, or a landscape page's turned frame) is
 * drawn in points with y down from the frame's top, (x, y) → (x, H − y), and
 * the frame's matrix takes that to pixels: a scale by dpi / 72, and on a
 * landscape page the PDF's quarter turn (landscape (x, y) on portrait
 * (width − y, x)).  Glyphs are drawn upright in their frame, so they turn
 * with it.
 *
 * Fonts: one FreeType library a document, one FT_Face a gw_face, each handed
 * to cairo as a cairo-ft font face.  cairo keeps font faces alive in its own
 * caches after we let go of them, so each face's FT_Face is released by
 * cairo (user data on the font face) and the library is counted: freed by
 * whichever lets go last, the document or cairo's last face.
 *
 * PNG: libpng, 8-bit RGB, each page's bytes appended to a scratch file as it
 * is drawn; at the finish each page in turn is read back from it and
 * published through gw_write_output.
 *
 * cairo: every call goes through the document's gw_cairo, the table of
 * cairo's functions loaded with dlopen when the document begins and let go
 * of when it ends (cairolib.h says why); the functions below that draw take
 * it as `cl`. */
#define _GNU_SOURCE
#include "pngout.h"

#include <errno.h>
#include <math.h>
#include <png.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ft2build.h>
#include FT_FREETYPE_H

#include "cairolib.h"
#include "fileio.h"
#include "fonts.h"
#include "grow.h"
#include "image.h"
#include "pngerr.h"
#include "outfile.h"

/* cairo's image surfaces are at most this many pixels a side. */
#define MAX_PIXELS 32767
/* Synthetic bold's stroke, as the PDF's 2 Tr: 0.4 pt at 16 pt. */
#define BOLD_STROKE (0.4 / 16.0)
/* Bytes gathered before a write to the scratch file. */
#define SINK_SIZE 65536

/* The FreeType library of one document, shared with the cairo font faces
 * made from it (which may outlive the document in cairo's caches). */
typedef struct ft_shared {
    FT_Library lib;
    size_t refs;
} ft_shared;

/* What a cairo font face owns: its FT_Face, and a count on the library. */
typedef struct ft_hold {
    ft_shared *shared;
    FT_Face face;
} ft_hold;

typedef struct png_face {
    const gw_face *key;          /* the fontset's face (not owned) */
    FT_Face ft;                  /* owned by `cairo` (ft_hold) */
    cairo_font_face_t *cairo;    /* one reference owned */
} png_face;

/* Where a page's PNG lies in the scratch file. */
typedef struct png_extent {
    off_t offset;
    size_t len;
} png_extent;

struct gw_png_doc {
    gw_cairo cairo;              /* libcairo, loaded for this document */
    char *name;                  /* the output's name, for messages; owned */
    gw_diag *diag;
    int dpi;
    ft_shared *ft;               /* one count owned */
    cairo_font_options_t *font_options;   /* owned */
    png_face *faces;
    size_t n_faces, cap_faces;
    cairo_glyph_t *run;          /* the glyphs of one run being drawn */
    size_t cap_run;
    int fd;                      /* the scratch file; owned */
    off_t size;                  /* bytes in it */
    png_extent *pages;
    size_t n_pages, cap_pages;
    bool failed;
};

static const cairo_user_data_key_t HOLD_KEY;

static int fail(gw_png_doc *d, const char *what)
{
    gw_error(d->diag, d->name, 0, 0, "%s", what);
    d->failed = true;
    return -1;
}

/* ---- fonts ---------------------------------------------------------------- */

static void shared_release(ft_shared *s)
{
    if (s && --s->refs == 0) {
        FT_Done_FreeType(s->lib);
        free(s);
    }
}

/* cairo's destroy callback of a font face's user data. */
static void hold_release(void *p)
{
    ft_hold *h = p;
    FT_Done_Face(h->face);
    shared_release(h->shared);
    free(h);
}

/* A cairo font face owning `ft` (released with it); NULL with ft freed. */
static cairo_font_face_t *cairo_face_of(const gw_cairo *cl, ft_shared *shared, FT_Face ft)
{
    ft_hold *h = malloc(sizeof *h);
    cairo_font_face_t *cf = h ? cl->ft_font_face_create_for_ft_face(ft, FT_LOAD_NO_BITMAP)
                              : NULL;
    if (cf && cl->font_face_status(cf) == CAIRO_STATUS_SUCCESS) {
        *h = (ft_hold){ shared, ft };
        shared->refs++;
        if (cl->font_face_set_user_data(cf, &HOLD_KEY, h, hold_release) ==
            CAIRO_STATUS_SUCCESS)
            return cf;
        shared->refs--;
    }
    cl->font_face_destroy(cf);
    FT_Done_Face(ft);
    free(h);
    return NULL;
}

/* The document's face for a gw_face, opened the first time a page uses it. */
static png_face *face_of(gw_png_doc *d, const gw_face *face)
{
    for (size_t i = 0; i < d->n_faces; i++)
        if (d->faces[i].key == face)
            return &d->faces[i];
    if (!gw_grow(&d->faces, &d->cap_faces, d->n_faces + 1, sizeof *d->faces)) {
        fail(d, "out of memory opening a font");
        return NULL;
    }
    const char *path = gw_face_path(face);
    FT_Face ft = NULL;
    if (FT_New_Face(d->ft->lib, path, gw_face_index(face), &ft) != 0) {
        gw_error(d->diag, path, 0, 0, "cannot open this font again to draw the pages");
        d->failed = true;
        return NULL;
    }
    if (FT_Select_Charmap(ft, FT_ENCODING_UNICODE) != 0) {
        FT_Done_Face(ft);
        gw_error(d->diag, path, 0, 0, "the font has no Unicode cmap to draw the pages with");
        d->failed = true;
        return NULL;
    }
    cairo_font_face_t *cf = cairo_face_of(&d->cairo, d->ft, ft);
    if (!cf) {
        fail(d, "out of memory opening a font");
        return NULL;
    }
    png_face *pf = &d->faces[d->n_faces++];
    *pf = (png_face){ face, ft, cf };
    return pf;
}

/* ---- drawing -------------------------------------------------------------- */

int gw_png_pixels(double points, int dpi)
{
    double px = round(points / 72.0 * dpi);
    return px >= 1 && px <= MAX_PIXELS ? (int)px : 0;
}

static void set_color(const gw_cairo *cl, cairo_t *cr, uint32_t color)
{
    cl->set_source_rgb(cr, ((color >> 16) & 0xFF) / 255.0, ((color >> 8) & 0xFF) / 255.0,
                         (color & 0xFF) / 255.0);
}

/* Points, y down from the frame's top, to pixels: the page, or on a
 * landscape page the frame turned a quarter counter-clockwise. */
static void frame_matrix(const gw_cairo *cl, cairo_t *cr, const gw_page *p, int dpi, bool turned)
{
    double s = dpi / 72.0;
    /* cairo's matrix takes (u, v) to (xx·u + xy·v + x0, yx·u + yy·v + y0).
     * Turned, frame (u, v) = (x, width − y) lands on the page at
     * (width − y, height − x): pixels (s·v, s·(height − u)). */
    cairo_matrix_t m = turned ? (cairo_matrix_t){ .xy = s, .yx = -s, .y0 = s * p->height }
                              : (cairo_matrix_t){ .xx = s, .yy = s };
    cl->set_matrix(cr, &m);
}

/* The height of the frame, in points: what y is measured up from. */
static double frame_height(const gw_page *p, bool turned)
{
    return turned ? p->width : p->height;
}

/* The seal's one-bit mask (rows top to bottom, MSB first) as an A8 surface. */
static cairo_surface_t *mask_surface(const gw_cairo *cl, const gw_seal_image *img)
{
    cairo_surface_t *s = cl->image_surface_create(CAIRO_FORMAT_A8, img->width, img->height);
    if (cl->surface_status(s) != CAIRO_STATUS_SUCCESS)
        return s;
    cl->surface_flush(s);
    unsigned char *px = cl->image_surface_get_data(s);
    int stride = cl->image_surface_get_stride(s);
    for (int y = 0; y < img->height; y++) {
        const uint8_t *bits = img->mask + (size_t)y * img->stride;
        unsigned char *row = px + (size_t)y * (size_t)stride;
        for (int x = 0; x < img->width; x++)
            row[x] = (bits[x >> 3] >> (7 - (x & 7)) & 1) ? 0xFF : 0;
    }
    cl->surface_mark_dirty(s);
    return s;
}

/* A seal: its mask painted in its ink over the square (x, y, size). */
static int draw_image(gw_png_doc *d, cairo_t *cr, const gw_image_place *im, double hf)
{
    const gw_cairo *cl = &d->cairo;
    const gw_seal_image *img = im->image;
    if (img->width <= 0 || img->height <= 0)
        return fail(d, "a seal image without pixels");
    cairo_surface_t *mask = mask_surface(cl, img);
    if (cl->surface_status(mask) != CAIRO_STATUS_SUCCESS) {
        cl->surface_destroy(mask);
        return fail(d, "out of memory drawing a seal");
    }
    cl->save(cr);
    cl->translate(cr, im->x, hf - im->y - im->size);
    cl->scale(cr, im->size / img->width, im->size / img->height);
    /* Inside the square only, its edge pixels as inked as its inner ones
     * (the smoothing would otherwise fade them into what lies outside). */
    cl->rectangle(cr, 0, 0, img->width, img->height);
    cl->clip(cr);
    cl->set_source_rgb(cr, img->red, img->green, img->blue);
    cairo_pattern_t *pat = cl->pattern_create_for_surface(mask);
    cl->pattern_set_filter(pat, CAIRO_FILTER_GOOD);
    cl->pattern_set_extend(pat, CAIRO_EXTEND_PAD);
    cl->mask(cr, pat);
    cl->pattern_destroy(pat);
    cl->restore(cr);
    cl->surface_destroy(mask);
    return 0;
}

/* Glyphs [i, j) share face, size, colour and weight. */
static size_t run_end(const gw_page *p, size_t i, size_t to)
{
    const gw_glyph *a = &p->glyphs[i];
    size_t j = i + 1;
    while (j < to && p->glyphs[j].face == a->face && p->glyphs[j].size == a->size &&
           p->glyphs[j].color == a->color && p->glyphs[j].fake_bold == a->fake_bold)
        j++;
    return j;
}

/* A glyph whose origin is (u, v) in the frame, moved to the pixel nearest
 * where poppler's rasteriser (pdftoppm's, and most Linux PDF viewers')
 * draws it.  cairo 1.16 draws a glyph's image at a whole pixel anyway, the
 * nearest one both ways; poppler places it to a quarter pixel across and at
 * the whole pixel above it downwards.  The nearest pixel across and the one
 * above downwards put every glyph on the PDF's row and within half a pixel
 * of its column, and within a pixel of the layout's position
 * (docs/png.md). */
static cairo_glyph_t snapped(const gw_cairo *cl, cairo_t *cr, FT_UInt gid, double u, double v)
{
    cl->user_to_device(cr, &u, &v);
    u = floor(u + 0.5);
    v = floor(v + 1e-7);
    cl->device_to_user(cr, &u, &v);
    return (cairo_glyph_t){ gid, u, v };
}

/* One run at the layout's positions; synthetic bold filled and stroked. */
static int draw_run(gw_png_doc *d, cairo_t *cr, const gw_page *p, size_t i, size_t j, double hf)
{
    const gw_cairo *cl = &d->cairo;
    const gw_glyph *a = &p->glyphs[i];
    png_face *pf = face_of(d, a->face);
    if (!pf)
        return -1;
    if (!gw_grow(&d->run, &d->cap_run, j - i, sizeof *d->run))
        return fail(d, "out of memory drawing a page");
    for (size_t k = i; k < j; k++) {
        const gw_glyph *g = &p->glyphs[k];
        FT_UInt gid = FT_Get_Char_Index(pf->ft, g->cp);
        if (gid == 0) {
            gw_error(d->diag, d->name, 0, 0, "page %zu: U+%04X has no glyph in %s", d->n_pages + 1,
                     (unsigned)g->cp, gw_face_path(g->face));
            d->failed = true;
            return -1;
        }
        d->run[k - i] = snapped(cl, cr, gid, g->x, hf - g->y);
    }
    cl->set_font_face(cr, pf->cairo);
    cl->set_font_size(cr, a->size);
    set_color(cl, cr, a->color);
    if (!a->fake_bold) {
        cl->show_glyphs(cr, d->run, (int)(j - i));
        return 0;
    }
    cl->new_path(cr);
    cl->glyph_path(cr, d->run, (int)(j - i));
    cl->fill_preserve(cr);
    cl->set_line_width(cr, BOLD_STROKE * a->size);
    cl->stroke(cr);
    return 0;
}

static int draw_glyphs(gw_png_doc *d, cairo_t *cr, const gw_page *p, size_t from, size_t to,
                       double hf)
{
    for (size_t i = from; i < to;) {
        size_t j = run_end(p, i, to);
        if (draw_run(d, cr, p, i, j, hf) != 0)
            return -1;
        i = j;
    }
    return 0;
}

/* [a, b] in device pixels to whole pixels: the nearest boundaries, at least
 * one pixel apart. */
static void snap_span(double *a, double *b)
{
    double lo = floor(*a + 0.5), hi = floor(*b + 0.5);
    *a = lo;
    *b = hi > lo ? hi : lo + 1;
}

/* The rule's ends in device pixels. */
static void device_ends(const gw_cairo *cl, cairo_t *cr, const gw_rule *r, double hf, double *x0,
                        double *y0, double *x1, double *y1)
{
    *x0 = r->x0, *y0 = hf - r->y0, *x1 = r->x1, *y1 = hf - r->y1;
    cl->user_to_device(cr, x0, y0);
    cl->user_to_device(cr, x1, y1);
}

/* Neither along a row nor along a column of pixels. */
static bool slanted(const gw_cairo *cl, cairo_t *cr, const gw_rule *r, double hf)
{
    double x0, y0, x1, y1;
    device_ends(cl, cr, r, hf, &x0, &y0, &x1, &y1);
    return fabs(y1 - y0) >= 1e-6 && fabs(x1 - x0) >= 1e-6;
}

/* A rule along a row or a column of pixels, added to the path as the
 * rectangle its butt-capped stroke covers with the edges moved to whole
 * pixels — the stroke adjustment PDF rasterisers make (poppler's among
 * them), so a 0.5 pt table line is one solid pixel, not two grey ones.  A
 * rule of no length adds nothing, as its stroke would ink nothing. */
static void add_adjusted(const gw_cairo *cl, cairo_t *cr, const gw_rule *r, double hf)
{
    double x0, y0, x1, y1, hx = r->width / 2, hy = 0;
    device_ends(cl, cr, r, hf, &x0, &y0, &x1, &y1);
    cl->user_to_device_distance(cr, &hx, &hy);
    double half = hypot(hx, hy);
    bool across = fabs(y1 - y0) < 1e-6;
    if (across && fabs(x1 - x0) < 1e-6)
        return;
    double ax = fmin(x0, x1), bx = fmax(x0, x1), ay = fmin(y0, y1), by = fmax(y0, y1);
    if (across) {
        ay -= half;
        by += half;
    } else {
        ax -= half;
        bx += half;
    }
    snap_span(&ax, &bx);
    snap_span(&ay, &by);
    cl->save(cr);
    cl->identity_matrix(cr);
    cl->rectangle(cr, ax, ay, bx - ax, by - ay);
    cl->restore(cr);
}

/* Rules [i, j), which share colour and width, as the PDF strokes them: one
 * path (where two cross, the crossing is inked once), the rules along rows
 * and columns on whole pixels, a slanted one stroked as it is. */
static void draw_rule_group(const gw_cairo *cl, cairo_t *cr, const gw_page *p, size_t i, size_t j,
                            double hf)
{
    set_color(cl, cr, p->rules[i].color);
    cl->new_path(cr);
    for (size_t k = i; k < j; k++)
        if (!slanted(cl, cr, &p->rules[k], hf))
            add_adjusted(cl, cr, &p->rules[k], hf);
    cl->fill(cr);
    for (size_t k = i; k < j; k++) {
        const gw_rule *r = &p->rules[k];
        if (slanted(cl, cr, r, hf)) {
            cl->move_to(cr, r->x0, hf - r->y0);
            cl->line_to(cr, r->x1, hf - r->y1);
        }
    }
    cl->set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    cl->set_line_width(cr, p->rules[i].width);
    cl->stroke(cr);
}

static void draw_rules(const gw_cairo *cl, cairo_t *cr, const gw_page *p, double hf)
{
    for (size_t i = 0; i < p->n_rules;) {
        size_t j = i + 1;
        while (j < p->n_rules && p->rules[j].color == p->rules[i].color &&
               p->rules[j].width == p->rules[i].width)
            j++;
        draw_rule_group(cl, cr, p, i, j, hf);
        i = j;
    }
}

/* The page's frame: seals under the text, the text, the rules. */
static int draw_frame(gw_png_doc *d, cairo_t *cr, const gw_page *p, size_t body)
{
    double hf = frame_height(p, p->landscape);
    frame_matrix(&d->cairo, cr, p, d->dpi, p->landscape);
    for (size_t i = 0; i < p->n_images; i++)
        if (draw_image(d, cr, &p->images[i], hf) != 0)
            return -1;
    if (draw_glyphs(d, cr, p, 0, body, hf) != 0)
        return -1;
    draw_rules(&d->cairo, cr, p, hf);
    return 0;
}

static int draw_page(gw_png_doc *d, cairo_t *cr, const gw_page *p)
{
    const gw_cairo *cl = &d->cairo;
    cl->set_source_rgb(cr, 1, 1, 1);
    cl->paint(cr);
    cl->set_font_options(cr, d->font_options);
    /* The page number comes last and stays upright on a landscape page. */
    size_t body = p->n_glyphs;
    while (body > 0 && p->glyphs[body - 1].role == GW_ROLE_PAGENUM)
        body--;
    if (draw_frame(d, cr, p, body) != 0)
        return -1;
    frame_matrix(cl, cr, p, d->dpi, false);
    if (draw_glyphs(d, cr, p, body, p->n_glyphs, p->height) != 0)
        return -1;
    if (cl->status(cr) != CAIRO_STATUS_SUCCESS) {
        gw_error(d->diag, d->name, 0, 0, "page %zu: cairo: %s", d->n_pages + 1,
                 cl->status_to_string(cl->status(cr)));
        d->failed = true;
        return -1;
    }
    return 0;
}

/* The page drawn on a new RGB surface; NULL after reporting. */
static cairo_surface_t *page_surface(gw_png_doc *d, const gw_page *p)
{
    const gw_cairo *cl = &d->cairo;
    int w = gw_png_pixels(p->width, d->dpi), h = gw_png_pixels(p->height, d->dpi);
    if (!w || !h) {
        gw_error(d->diag, d->name, 0, 0, "page %zu: %g × %g pt at %d dpi is not 1 to %d pixels "
                 "a side", d->n_pages + 1, p->width, p->height, d->dpi, MAX_PIXELS);
        d->failed = true;
        return NULL;
    }
    cairo_surface_t *s = cl->image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_t *cr = cl->create(s);
    int rc = cl->status(cr) == CAIRO_STATUS_SUCCESS ? 0 : fail(d, "out of memory drawing a page");
    if (rc == 0)
        rc = draw_page(d, cr, p);
    cl->destroy(cr);
    if (rc != 0) {
        cl->surface_destroy(s);
        return NULL;
    }
    cl->surface_flush(s);
    return s;
}

/* ---- PNG into the scratch file -------------------------------------------- */

/* Bytes on their way to the scratch file. */
typedef struct png_sink {
    int fd;
    unsigned char buf[SINK_SIZE];
    size_t n;
    size_t written;              /* bytes of this PNG written to fd */
    int error;                   /* errno of the first failed write */
} png_sink;


static void sink_drain(png_sink *s)
{
    size_t off = 0;
    while (off < s->n && !s->error) {
        ssize_t k = write(s->fd, s->buf + off, s->n - off);
        if (k < 0 && errno != EINTR)
            s->error = errno;
        else if (k > 0)
            off += (size_t)k;
    }
    s->written += s->error ? 0 : s->n;
    s->n = 0;
}

static void sink_write(png_structp png, png_bytep bytes, png_size_t n)
{
    png_sink *s = png_get_io_ptr(png);
    while (n > 0 && !s->error) {
        size_t k = SINK_SIZE - s->n < n ? SINK_SIZE - s->n : n;
        memcpy(s->buf + s->n, bytes, k);
        s->n += k;
        bytes += k;
        n -= k;
        if (s->n == SINK_SIZE)
            sink_drain(s);
    }
}

static void sink_flush(png_structp png)
{
    sink_drain(png_get_io_ptr(png));
}

/* One row of an RGB24 surface (native-endian 0x00RRGGBB words) as RGB bytes. */
static void rgb_row(const unsigned char *src, int width, png_bytep out)
{
    const uint32_t *px = (const uint32_t *)(const void *)src;
    for (int x = 0; x < width; x++) {
        out[3 * x] = (png_byte)(px[x] >> 16);
        out[3 * x + 1] = (png_byte)(px[x] >> 8);
        out[3 * x + 2] = (png_byte)px[x];
    }
}

/* The encoding proper, in a frame of its own: nothing local to it changes
 * between the setjmp and a longjmp from libpng's error handler. */
static bool encode(const gw_cairo *cl, png_structp png, png_infop info, gw_png_failure *failure,
                   png_sink *sink, cairo_surface_t *s, int dpi, png_bytep row)
{
    if (setjmp(failure->jump) != 0)
        return false;
    int w = cl->image_surface_get_width(s), h = cl->image_surface_get_height(s);
    int stride = cl->image_surface_get_stride(s);
    const unsigned char *px = cl->image_surface_get_data(s);
    png_set_write_fn(png, sink, sink_write, sink_flush);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    /* Pixels a metre, so the image prints at the page's size. */
    png_uint_32 ppm = (png_uint_32)lround(dpi / 0.0254);
    png_set_pHYs(png, info, ppm, ppm, PNG_RESOLUTION_METER);
    png_set_sRGB(png, info, PNG_sRGB_INTENT_PERCEPTUAL);
    /* Text on white: no row filter and zlib's level 3 give the real report's
     * 7 pages at 150 dpi in 2.11 MB, against 2.69 MB for libpng's default
     * (every filter tried on each row, level 6) at 2.3 times its time
     * (docs/png.md). */
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
    png_set_compression_level(png, 3);
    png_write_info(png, info);
    for (int y = 0; y < h; y++) {
        rgb_row(px + (size_t)y * (size_t)stride, w, row);
        png_write_row(png, row);
    }
    png_write_end(png, info);
    return true;
}

/* The surface as a PNG appended to the scratch file; its extent stored. */
static int store_png(gw_png_doc *d, cairo_surface_t *s)
{
    png_sink *sink = calloc(1, sizeof *sink);
    png_bytep row = malloc((size_t)d->cairo.image_surface_get_width(s) * 3);
    if (!sink || !row ||
        !gw_grow(&d->pages, &d->cap_pages, d->n_pages + 1, sizeof *d->pages)) {
        free(sink);
        free(row);
        return fail(d, "out of memory writing a page");
    }
    sink->fd = d->fd;
    gw_png_failure failure = { 0 };
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &failure, gw_png_on_error,
                                              gw_png_on_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    bool ok = info && encode(&d->cairo, png, info, &failure, sink, s, d->dpi, row);
    if (png)
        png_destroy_write_struct(&png, info ? &info : NULL);
    sink_drain(sink);
    int rc = 0;
    if (sink->error) {
        gw_error(d->diag, d->name, 0, 0, "cannot write page %zu to the temporary file: %s",
                 d->n_pages + 1, strerror(sink->error));
        rc = -1;
    } else if (!ok) {
        gw_error(d->diag, d->name, 0, 0, "page %zu: libpng: %s", d->n_pages + 1,
                 failure.message[0] ? failure.message : "out of memory");
        rc = -1;
    } else {
        d->pages[d->n_pages++] = (png_extent){ d->size, sink->written };
    }
    d->size += (off_t)sink->written;
    d->failed |= rc != 0;
    free(sink);
    free(row);
    return rc;
}

/* ---- the document --------------------------------------------------------- */

int gw_png_add_page(gw_png_doc *d, const gw_page *page)
{
    if (d->failed)
        return -1;
    cairo_surface_t *s = page_surface(d, page);
    if (!s)
        return -1;
    int rc = store_png(d, s);
    d->cairo.surface_destroy(s);
    return rc;
}

int gw_png_page_fn(void *doc, const gw_page *page)
{
    return gw_png_add_page(doc, page);
}

bool gw_png_failed(const gw_png_doc *d)
{
    return d->failed;
}

size_t gw_png_page_count(const gw_png_doc *d)
{
    return d->n_pages;
}

void gw_png_discard(gw_png_doc *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n_faces; i++)
        d->cairo.font_face_destroy(d->faces[i].cairo);
    free(d->faces);
    shared_release(d->ft);
    if (d->font_options)
        d->cairo.font_options_destroy(d->font_options);
    free(d->run);
    free(d->pages);
    if (d->fd >= 0)
        close(d->fd);
    free(d->name);
    gw_cairo_close(&d->cairo);
    free(d);
}

/* Grey antialiasing and no hinting of outlines or metrics: the glyphs stay
 * where the layout put them, drawn as the PDF's rasterisers draw them. */
static cairo_font_options_t *font_options(const gw_cairo *cl)
{
    cairo_font_options_t *o = cl->font_options_create();
    cl->font_options_set_antialias(o, CAIRO_ANTIALIAS_GRAY);
    cl->font_options_set_hint_style(o, CAIRO_HINT_STYLE_NONE);
    cl->font_options_set_hint_metrics(o, CAIRO_HINT_METRICS_OFF);
    return o;
}

gw_png_doc *gw_png_begin(const char *name, int dpi, gw_diag *diag)
{
    if (dpi < GW_PNG_DPI_MIN || dpi > GW_PNG_DPI_MAX) {
        gw_error(diag, name, 0, 0, "%d dpi: the PNG output draws at %d to %d dpi", dpi,
                 GW_PNG_DPI_MIN, GW_PNG_DPI_MAX);
        return NULL;
    }
    gw_png_doc *d = calloc(1, sizeof *d);
    if (d)
        *d = (gw_png_doc){ .fd = -1, .diag = diag, .dpi = dpi };
    if (!d || !(d->name = strdup(name)) || !(d->ft = calloc(1, sizeof *d->ft))) {
        gw_error(diag, name, 0, 0, "out of memory starting the PNG output");
        gw_png_discard(d);
        return NULL;
    }
    const char *why = NULL;
    if (gw_cairo_open(&d->cairo, &why) != 0) {
        gw_error(diag, name, 0, 0, "cannot load cairo (Debian's libcairo2): %s", why ? why : "?");
        gw_png_discard(d);
        return NULL;
    }
    if (FT_Init_FreeType(&d->ft->lib) != 0) {
        free(d->ft);
        d->ft = NULL;
        gw_error(diag, name, 0, 0, "cannot start FreeType to draw the pages");
        gw_png_discard(d);
        return NULL;
    }
    d->ft->refs = 1;
    d->font_options = font_options(&d->cairo);
    if (d->cairo.font_options_status(d->font_options) != CAIRO_STATUS_SUCCESS) {
        gw_error(diag, name, 0, 0, "out of memory starting the PNG output");
        gw_png_discard(d);
        return NULL;
    }
    d->fd = gw_open_scratch();
    if (d->fd < 0) {
        gw_error(diag, name, 0, 0, "cannot create a temporary file for the pages: %s",
                 strerror(errno));
        gw_png_discard(d);
        return NULL;
    }
    return d;
}

/* ---- publishing ----------------------------------------------------------- */

static int digits(size_t n)
{
    int k = 1;
    while (n >= 10) {
        n /= 10;
        k++;
    }
    return k;
}

char *gw_png_page_path(const char *out_path, size_t index, size_t n_pages)
{
    if (n_pages <= 1)
        return strdup(out_path);
    const char *slash = strrchr(out_path, '/');
    const char *base = slash ? slash + 1 : out_path;
    size_t stem = strlen(out_path);
    const char *ext = ".png";
    if (strlen(base) > 4 && !strcasecmp(out_path + stem - 4, ".png")) {
        ext = out_path + stem - 4;               /* as typed: .png or .PNG */
        stem -= 4;
    }
    int width = digits(n_pages);
    size_t n = stem + (size_t)width + 24;
    char *path = malloc(n);
    if (path)
        snprintf(path, n, "%.*s-%0*zu%s", (int)stem, out_path, width, index + 1, ext);
    return path;
}

/* Several pages need file names made from out_path: not a device or FIFO. */
static int check_several(gw_png_doc *d, const char *out_path)
{
    struct stat st;
    if (d->n_pages > 1 && stat(out_path, &st) == 0 && !S_ISREG(st.st_mode)) {
        gw_error(d->diag, out_path, 0, 0, "is %s: a document of %zu pages is written as %zu "
                 "files NAME-1.png …, so -o needs a file name", gw_file_kind(st.st_mode),
                 d->n_pages, d->n_pages);
        return -1;
    }
    return 0;
}

/* Page i's bytes read back from the scratch file into a malloc'd buffer;
 * NULL after reporting.  One page at a time, so what is held while the
 * files are written is one page's PNG, whatever the page count. */
static unsigned char *read_page(gw_png_doc *d, size_t i)
{
    const png_extent *e = &d->pages[i];
    unsigned char *b = malloc(e->len ? e->len : 1);
    if (!b) {
        gw_error(d->diag, d->name, 0, 0, "out of memory reading page %zu back", i + 1);
        return NULL;
    }
    for (size_t n = 0; n < e->len;) {
        ssize_t k = pread(d->fd, b + n, e->len - n, e->offset + (off_t)n);
        if (k <= 0 && !(k < 0 && errno == EINTR)) {
            gw_error(d->diag, d->name, 0, 0, "cannot read page %zu back from the temporary "
                     "file: %s", i + 1, k < 0 ? strerror(errno) : "it is shorter than written");
            free(b);
            return NULL;
        }
        n += k > 0 ? (size_t)k : 0;
    }
    return b;
}

/* Every page's file, each written whole and atomically. */
static int publish(gw_png_doc *d, const char *out_path)
{
    for (size_t i = 0; i < d->n_pages; i++) {
        char *path = gw_png_page_path(out_path, i, d->n_pages);
        unsigned char *data = path ? read_page(d, i) : NULL;
        if (!path)
            gw_error(d->diag, out_path, 0, 0, "out of memory");
        int rc = data ? gw_write_output(path, NULL, 0, (const char *)data, d->pages[i].len,
                                        d->diag)
                      : -1;
        free(data);
        free(path);
        if (rc != 0)
            return -1;
    }
    return 0;
}

int gw_png_finish(gw_png_doc *d, const char *out_path)
{
    int rc = -1;
    if (d->failed)
        ;
    else if (d->n_pages == 0)
        gw_error(d->diag, d->name, 0, 0, "the document has no pages");
    else if (check_several(d, out_path) == 0)
        rc = publish(d, out_path);
    gw_png_discard(d);
    return rc;
}

int gw_png_render_memory(const gw_page *page, int dpi, unsigned char **data, size_t *len,
                         gw_diag *diag)
{
    *data = NULL;
    *len = 0;
    gw_png_doc *d = gw_png_begin("<memory>", dpi, diag);
    int rc = d && gw_png_add_page(d, page) == 0 ? 0 : -1;
    if (rc == 0 && (*data = read_page(d, 0)) != NULL)
        *len = d->pages[0].len;
    else
        rc = -1;
    gw_png_discard(d);
    return rc;
}
