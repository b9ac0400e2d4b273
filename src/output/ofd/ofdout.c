/* ofdout — the OFD package of the laid-out pages (see ofdout.h).
 *
 * Called by the CLI after the layout, page by page.  Coordinates: the layout
 * works in points with y up from the page's bottom; OFD in millimetres with
 * y down from the page's top.  A landscape page (a table turned a quarter)
 * stays a portrait page, as in the PDF: its objects are placed through the
 * same turn, landscape (x, y) landing on portrait (width − y, x), and its
 * text objects carry the turn as their CTM so the glyphs turn with it.
 *
 * Units IDs: one counter for the document (fonts, seals, pages, layers,
 * objects), in the order things are first met, so MaxUnitID is the last
 * one given and the same input always numbers alike. */
#define _GNU_SOURCE
#include "ofdout.h"

#include <errno.h>
#include <libdeflate.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "deflate.h"
#include "doctime.h"
#include "fileio.h"
#include "fonts.h"
#include "grow.h"
#include "lanes.h"
#include "image.h"
#include "ofdzip.h"
#include "outfile.h"
#include "outline.h"
#include "textbuf.h"
#include "utf8.h"

#ifndef GWPDF_VERSION
#define GWPDF_VERSION "dev"
#endif

#define OFD_NS "http://www.ofdspec.org/2016"
#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
#define MM_PER_PT (25.4 / 72.0)
/* libdeflate levels of the parts: the XML parts as the PDF's page streams,
 * the font files as the PDF's font programs (docs/performance.md). */
#define OFD_XML_LEVEL 6
#define OFD_FONT_LEVEL 7

typedef struct ofd_font {
    gw_face *face;
    unsigned id;
} ofd_font;

typedef struct ofd_media {
    const gw_seal_image *image;
    unsigned id;
} ofd_media;

typedef struct ofd_mark {
    int depth;
    char *text;
    size_t page;
    double top;          /* points from the page's bottom */
} ofd_mark;

struct gw_ofd_doc {
    char *name;          /* the output's name, for messages */
    gw_diag *diag;
    time_t when;
    gw_meta meta;        /* copies, owned */
    int fd;              /* the scratch file the ZIP grows in */
    ofd_zip *zip;
    unsigned next_id;
    uint64_t digest[2];  /* of every part: the DocID */
    ofd_font *fonts;
    size_t n_fonts, cap_fonts;
    ofd_media *media;
    size_t n_media, cap_media;
    unsigned *page_ids;
    size_t n_pages, cap_pages;
    double width, height;      /* the first page's size, the document's PageArea (pt) */
    gw_outline outline;
    ofd_mark *marks;
    size_t n_marks, cap_marks;
    bool failed;
};

/* ---- numbers and the DocID ---------------------------------------------- */

static double mm(double pt)
{
    return pt * MM_PER_PT;
}

/* A length in mm to 0.001 mm (a thousandth of the layout's precision that
 * matters). */
static void put_num(gw_buf *b, double v)
{
    gw_buf_fixed(b, llround(v * 1000.0), 3);
}

static void put_attr_num(gw_buf *b, const char *name, double v)
{
    gw_buf_printf(b, " %s=\"", name);
    put_num(b, v);
    gw_buf_str(b, "\"");
}

static void put_box(gw_buf *b, const char *name, double x, double y, double w, double h)
{
    gw_buf_printf(b, " %s=\"", name);
    put_num(b, x);
    gw_buf_str(b, " ");
    put_num(b, y);
    gw_buf_str(b, " ");
    put_num(b, w);
    gw_buf_str(b, " ");
    put_num(b, h);
    gw_buf_str(b, "\"");
}

static void put_color(gw_buf *b, const char *element, uint32_t color)
{
    gw_buf_printf(b, "<ofd:%s Value=\"%u %u %u\"/>", element, (unsigned)(color >> 16 & 0xFF),
                  (unsigned)(color >> 8 & 0xFF), (unsigned)(color & 0xFF));
}

/* Two FNV-1a hashes over every part's name, length and CRC-32 (libdeflate's,
 * gigabytes a second): a document identifier — a changed character changes its
 * part's CRC — that names the content and authenticates nothing. */
static void digest(gw_ofd_doc *d, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        d->digest[0] = (d->digest[0] ^ p[i]) * 0x100000001b3ull;
        d->digest[1] = (d->digest[1] ^ p[i]) * 0x100000001b3ull;
    }
}

static unsigned new_id(gw_ofd_doc *d)
{
    return ++d->next_id;
}

/* ---- parts -------------------------------------------------------------- */

static int fail(gw_ofd_doc *d, const char *what)
{
    gw_error(d->diag, d->name, 0, 0, "%s", what);
    d->failed = true;
    return -1;
}

static void digest_part(gw_ofd_doc *d, const char *name, const void *data, size_t len)
{
    uint32_t crc = libdeflate_crc32(0, data, len);
    uint64_t n = len;
    digest(d, name, strlen(name));
    digest(d, &n, sizeof n);
    digest(d, &crc, sizeof crc);
}

static int zip_failed(gw_ofd_doc *d)
{
    char why[240];
    snprintf(why, sizeof why, "cannot write the OFD package: %s", ofd_zip_error(d->zip));
    return fail(d, why);
}

/* One part into the package; the buffer's oom is checked here. */
static int add_part(gw_ofd_doc *d, const char *name, const void *data, size_t len, bool oom,
                    int level)
{
    if (oom)
        return fail(d, "out of memory while writing the OFD");
    digest_part(d, name, data, len);
    return ofd_zip_add(d->zip, name, data, len, level) == 0 ? 0 : zip_failed(d);
}

/* A part compressed beforehand (the font files, make_font_files). */
static int add_packed_part(gw_ofd_doc *d, const char *name, const void *data, size_t len,
                           const unsigned char *packed, size_t plen)
{
    digest_part(d, name, data, len);
    return ofd_zip_add_deflated(d->zip, name, data, len, packed, plen) == 0 ? 0 : zip_failed(d);
}

static int add_xml(gw_ofd_doc *d, const char *name, gw_buf *b)
{
    int rc = add_part(d, name, b->s ? b->s : "", b->n, b->oom, OFD_XML_LEVEL);
    free(b->s);
    *b = (gw_buf){ 0 };
    return rc;
}

/* ---- resources ---------------------------------------------------------- */

static ofd_font *font_of(gw_ofd_doc *d, gw_face *face)
{
    for (size_t i = 0; i < d->n_fonts; i++)
        if (d->fonts[i].face == face)
            return &d->fonts[i];
    if (!gw_grow(&d->fonts, &d->cap_fonts, d->n_fonts + 1, sizeof *d->fonts))
        return NULL;
    d->fonts[d->n_fonts] = (ofd_font){ face, new_id(d) };
    return &d->fonts[d->n_fonts++];
}

/* The seal's MultiMedia, its PNG written into the package the first time a
 * page shows it: the layout frees its images when it is done, before the
 * document is finished. */
static ofd_media *media_of(gw_ofd_doc *d, const gw_seal_image *img)
{
    for (size_t i = 0; i < d->n_media; i++)
        if (d->media[i].image == img)
            return &d->media[i];
    if (!gw_grow(&d->media, &d->cap_media, d->n_media + 1, sizeof *d->media))
        return NULL;
    ofd_media *m = &d->media[d->n_media];
    *m = (ofd_media){ img, new_id(d) };
    unsigned char *png = NULL;
    size_t len = 0;
    char part[80];
    snprintf(part, sizeof part, "Doc_0/Res/seal_%u.png", m->id);
    if (gw_seal_png(img, &png, &len) != 0)
        return NULL;
    int rc = add_part(d, part, png, len, false, 0);
    free(png);
    if (rc != 0)
        return NULL;
    d->n_media++;
    return m;
}

/* ---- the page frame ----------------------------------------------------- */

/* Where the layout's point (x, y) lands on the OFD page, in mm from the
 * top-left corner: upright, or through the landscape page's quarter turn. */
static void to_page(const gw_page *p, double x, double y, double *X, double *Y)
{
    if (p->landscape) {
        *X = mm(p->width - y);
        *Y = mm(p->height - x);
    } else {
        *X = mm(x);
        *Y = mm(p->height - y);
    }
}

/* ---- text --------------------------------------------------------------- */

/* Glyphs [i, j) share face, size, colour, weight and baseline: one TextObject. */
static size_t run_end(const gw_page *p, size_t i, size_t to)
{
    const gw_glyph *a = &p->glyphs[i];
    size_t j = i + 1;
    while (j < to && p->glyphs[j].face == a->face && p->glyphs[j].size == a->size &&
           p->glyphs[j].fake_bold == a->fake_bold && p->glyphs[j].color == a->color &&
           fabs(p->glyphs[j].y - a->y) < 1e-6)
        j++;
    return j;
}

/* A character of a TextCode: white space as a character reference, so that no
 * reader trims it from the text; markup characters escaped. */
static void put_char(gw_buf *b, uint32_t cp)
{
    if (cp == ' ' || cp == 0xA0 || cp == 0x3000 || (cp >= 0x2000 && cp <= 0x200A)) {
        gw_buf_printf(b, "&#%u;", (unsigned)cp);
        return;
    }
    char s[5];
    size_t n = gw_utf8_encode(cp, s);
    s[n] = '\0';
    gw_buf_xml(b, s);
}

/* The step from glyph k - 1 to glyph k along the baseline, in 0.0001 mm: a
 * tenth of the precision of the other lengths, so the rounding of 27 steps
 * adds up to less than 0.002 mm along a line. */
static long long step_of(const gw_page *p, size_t k)
{
    return llround(mm(p->glyphs[k].x - p->glyphs[k - 1].x) * 10000.0);
}

/* The steps between the glyphs [i, j), in mm, written with `g N STEP` for N
 * equal steps in a row. */
static void put_deltas(gw_buf *b, const gw_page *p, size_t i, size_t j)
{
    size_t k = i + 1;
    bool first = true;
    while (k < j) {
        long long step = step_of(p, k);
        size_t n = 1;
        while (k + n < j && step_of(p, k + n) == step)
            n++;
        if (!first)
            gw_buf_str(b, " ");
        if (n > 1)
            gw_buf_printf(b, "g %zu ", n);
        gw_buf_fixed(b, step, 4);
        first = false;
        k += n;
    }
}

/* The TextCodes of glyphs [i, j), positions relative to x0 on the baseline at
 * `base` in the object's own space.  A character beyond the BMP gets a
 * TextCode of its own: readers that count DeltaX in UTF-16 units (ofd.js)
 * and those that count characters then place it alike. */
static void put_codes(gw_buf *b, const gw_page *p, size_t i, size_t j, double x0, double base)
{
    size_t k = i;
    while (k < j) {
        size_t e = k + 1;
        if (p->glyphs[k].cp <= 0xFFFF)
            while (e < j && p->glyphs[e].cp <= 0xFFFF)
                e++;
        gw_buf_str(b, "<ofd:TextCode");
        put_attr_num(b, "X", mm(p->glyphs[k].x) - x0);
        put_attr_num(b, "Y", base);
        if (e > k + 1) {
            gw_buf_str(b, " DeltaX=\"");
            put_deltas(b, p, k, e);
            gw_buf_str(b, "\"");
        }
        gw_buf_str(b, ">");
        for (size_t g = k; g < e; g++)
            put_char(b, p->glyphs[g].cp);
        gw_buf_str(b, "</ofd:TextCode>");
        k = e;
    }
}

/* One TextObject for the run [i, j).  Its own space has the glyphs' baseline
 * along x from the run's first origin, y down; the Boundary is the run's em
 * boxes (1.25 em tall, room for descenders), turned onto the page for a
 * landscape page by the CTM. */
static int text_object(gw_ofd_doc *d, gw_buf *b, const gw_page *p, size_t i, size_t j)
{
    const gw_glyph *a = &p->glyphs[i], *z = &p->glyphs[j - 1];
    ofd_font *f = font_of(d, a->face);
    if (!f)
        return -1;
    double size = mm(a->size);
    double length = mm(z->x + (z->advance > a->size ? z->advance : a->size) - a->x);
    double height = 1.25 * size;
    double X, Y;
    to_page(p, a->x, a->y, &X, &Y);       /* the first origin on the page */
    gw_buf_printf(b, "<ofd:TextObject ID=\"%u\"", new_id(d));
    if (p->landscape) {
        /* Object x runs up the page, object y rightwards: the quarter turn. */
        put_box(b, "Boundary", X - size, Y - length, height, length);
        gw_buf_str(b, " CTM=\"0 -1 1 0 0 ");
        put_num(b, length);
        gw_buf_str(b, "\"");
    } else {
        put_box(b, "Boundary", X, Y - size, length, height);
    }
    gw_buf_printf(b, " Font=\"%u\"", f->id);
    put_attr_num(b, "Size", size);
    /* A bold design says so, for readers that draw with an installed face of the
     * font's family rather than the embedded one. */
    if (gw_face_is_bold(a->face))
        gw_buf_str(b, " Weight=\"700\"");
    if (a->fake_bold) {
        /* Synthetic bold as the PDF draws it: fill and stroke the outline. */
        gw_buf_str(b, " Stroke=\"true\"");
        put_attr_num(b, "LineWidth", mm(0.4 * a->size / 16.0));
    }
    gw_buf_str(b, ">");
    if (a->color != GW_BLACK)
        put_color(b, "FillColor", a->color);
    if (a->fake_bold)
        put_color(b, "StrokeColor", a->color);
    put_codes(b, p, i, j, mm(a->x), size);
    gw_buf_str(b, "</ofd:TextObject>\n");
    return 0;
}

static int text_objects(gw_ofd_doc *d, gw_buf *b, const gw_page *p, size_t from, size_t to)
{
    for (size_t i = from; i < to;) {
        size_t j = run_end(p, i, to);
        if (text_object(d, b, p, i, j) != 0)
            return -1;
        i = j;
    }
    return 0;
}

/* ---- rules and seals ---------------------------------------------------- */

static void rule_object(gw_ofd_doc *d, gw_buf *b, const gw_page *p, const gw_rule *r)
{
    double x0, y0, x1, y1;
    to_page(p, r->x0, r->y0, &x0, &y0);
    to_page(p, r->x1, r->y1, &x1, &y1);
    double w = mm(r->width), pad = w / 2;
    double bx = fmin(x0, x1) - pad, by = fmin(y0, y1) - pad;
    gw_buf_printf(b, "<ofd:PathObject ID=\"%u\"", new_id(d));
    put_box(b, "Boundary", bx, by, fabs(x1 - x0) + w, fabs(y1 - y0) + w);
    put_attr_num(b, "LineWidth", w);
    gw_buf_str(b, ">");
    put_color(b, "StrokeColor", r->color);
    gw_buf_str(b, "<ofd:AbbreviatedData>M ");
    put_num(b, x0 - bx);
    gw_buf_str(b, " ");
    put_num(b, y0 - by);
    gw_buf_str(b, " L ");
    put_num(b, x1 - bx);
    gw_buf_str(b, " ");
    put_num(b, y1 - by);
    gw_buf_str(b, "</ofd:AbbreviatedData></ofd:PathObject>\n");
}

/* A seal: its image's unit square mapped by the CTM onto the square the
 * layout placed (turned on a landscape page). */
static int image_object(gw_ofd_doc *d, gw_buf *b, const gw_page *p, const gw_image_place *im)
{
    ofd_media *m = media_of(d, im->image);
    if (!m)
        return -1;
    double s = mm(im->size), X, Y;
    /* The corner of the square nearest the page's top-left. */
    if (p->landscape)
        to_page(p, im->x + im->size, im->y + im->size, &X, &Y);
    else
        to_page(p, im->x, im->y + im->size, &X, &Y);
    gw_buf_printf(b, "<ofd:ImageObject ID=\"%u\"", new_id(d));
    put_box(b, "Boundary", X, Y, s, s);
    gw_buf_str(b, " CTM=\"");
    if (p->landscape) {
        gw_buf_str(b, "0 -");
        put_num(b, s);
        gw_buf_str(b, " ");
        put_num(b, s);
        gw_buf_str(b, " 0 0 ");
        put_num(b, s);
    } else {
        put_num(b, s);
        gw_buf_str(b, " 0 0 ");
        put_num(b, s);
        gw_buf_str(b, " 0 0");
    }
    gw_buf_printf(b, "\" ResourceID=\"%u\"/>\n", m->id);
    return 0;
}

/* ---- pages -------------------------------------------------------------- */

/* The page's objects in the PDF's drawing order: seals under the text, the
 * text, the rules, the page number last. */
static int page_objects(gw_ofd_doc *d, gw_buf *b, const gw_page *p)
{
    size_t body = p->n_glyphs;
    while (body > 0 && p->glyphs[body - 1].role == GW_ROLE_PAGENUM)
        body--;
    for (size_t i = 0; i < p->n_images; i++)
        if (image_object(d, b, p, &p->images[i]) != 0)
            return -1;
    if (text_objects(d, b, p, 0, body) != 0)
        return -1;
    for (size_t i = 0; i < p->n_rules; i++)
        rule_object(d, b, p, &p->rules[i]);
    gw_page upright = *p;      /* the page number stays upright on a landscape page */
    upright.landscape = false;
    return text_objects(d, b, &upright, body, p->n_glyphs);
}

static int write_page(gw_ofd_doc *d, const gw_page *p)
{
    if (!gw_grow(&d->page_ids, &d->cap_pages, d->n_pages + 1, sizeof *d->page_ids))
        return fail(d, "out of memory while writing the OFD");
    if (d->n_pages == 0) {
        d->width = p->width;
        d->height = p->height;
    }
    unsigned page_id = new_id(d);
    gw_buf b = { 0 };
    gw_buf_str(&b, XML_DECL "<ofd:Page xmlns:ofd=\"" OFD_NS "\">");
    if (fabs(p->width - d->width) > 0.01 || fabs(p->height - d->height) > 0.01) {
        gw_buf_str(&b, "<ofd:Area><ofd:PhysicalBox>0 0 ");
        put_num(&b, mm(p->width));
        gw_buf_str(&b, " ");
        put_num(&b, mm(p->height));
        gw_buf_str(&b, "</ofd:PhysicalBox></ofd:Area>");
    }
    gw_buf_printf(&b, "<ofd:Content><ofd:Layer ID=\"%u\">\n", new_id(d));
    if (page_objects(d, &b, p) != 0) {
        free(b.s);     /* a part that could not be written has said why */
        return d->failed ? -1 : fail(d, "out of memory while writing the OFD");
    }
    gw_buf_str(&b, "</ofd:Layer></ofd:Content></ofd:Page>\n");
    char name[64];
    snprintf(name, sizeof name, "Doc_0/Pages/Page_%zu/Content.xml", d->n_pages);
    d->page_ids[d->n_pages++] = page_id;
    return add_xml(d, name, &b);
}

/* An outline entry kept until Document.xml is written. */
static int on_outline_entry(void *arg, const gw_outline_entry *e)
{
    gw_ofd_doc *d = arg;
    if (!gw_grow(&d->marks, &d->cap_marks, d->n_marks + 1, sizeof *d->marks))
        return -1;
    char *text = strdup(e->text);
    if (!text)
        return -1;
    d->marks[d->n_marks++] = (ofd_mark){ e->depth, text, e->page, e->top };
    return 0;
}

int gw_ofd_add_page(gw_ofd_doc *d, const gw_page *page)
{
    if (d->failed)
        return -1;
    if (write_page(d, page) != 0)
        return -1;
    if (gw_outline_page(&d->outline, page, d->n_pages - 1) != 0)
        return fail(d, "out of memory while reading the bookmarks");
    return 0;
}

int gw_ofd_page_fn(void *doc, const gw_page *page)
{
    return gw_ofd_add_page(doc, page);
}

bool gw_ofd_failed(const gw_ofd_doc *d)
{
    return d->failed;
}

/* ---- the document parts ------------------------------------------------- */

/* The subset font files of every face used, in d->fonts' order. */
typedef struct font_files {
    unsigned char **data, **packed;
    size_t *len, *plen;
    bool *cff;
    size_t n;
} font_files;

static void font_files_free(font_files *ff)
{
    for (size_t i = 0; i < ff->n; i++) {
        free(ff->data ? ff->data[i] : NULL);
        free(ff->packed ? ff->packed[i] : NULL);
    }
    free(ff->data);
    free(ff->packed);
    free(ff->len);
    free(ff->plen);
    free(ff->cff);
}

/* Each face subset (hb-subset) and its file compressed, on two lanes as the
 * PDF output does (lanes.h): the face with the most characters here, the
 * others on the worker, each lane with its own compressor and diagnostics. */
typedef struct font_lanes {
    gw_ofd_doc *d;
    font_files *ff;
    struct libdeflate_compressor *z[2];
    gw_diag diag[2];
    bool oom[2];           /* a lane ran out of memory compressing */
    size_t ran[2];         /* jobs each lane began */
} font_lanes;

static int font_lane_job(void *arg, size_t i, int lane)
{
    font_lanes *fl = arg;
    font_files *ff = fl->ff;
    fl->ran[lane]++;
    if (gw_face_subset_file(fl->d->fonts[i].face, &ff->data[i], &ff->len[i], &ff->cff[i],
                            &fl->diag[lane]) != 0)
        return -1;
    if (!fl->z[lane])
        fl->z[lane] = libdeflate_alloc_compressor(OFD_FONT_LEVEL);
    ff->packed[i] = fl->z[lane] ? gw_deflate_with(fl->z[lane], GW_DEFLATE_RAW, ff->data[i],
                                                  ff->len[i], &ff->plen[i])
                                : NULL;
    fl->oom[lane] |= !ff->packed[i];
    return ff->packed[i] ? 0 : -1;
}

static int make_font_files(gw_ofd_doc *d, font_files *ff)
{
    size_t n = d->n_fonts ? d->n_fonts : 1;
    *ff = (font_files){ calloc(n, sizeof *ff->data), calloc(n, sizeof *ff->packed),
                        calloc(n, sizeof *ff->len), calloc(n, sizeof *ff->plen),
                        calloc(n, sizeof *ff->cff), d->n_fonts };
    size_t *cost = calloc(n, sizeof *cost);
    if (!ff->data || !ff->packed || !ff->len || !ff->plen || !ff->cff || !cost) {
        free(cost);
        return fail(d, "out of memory while embedding the fonts");
    }
    for (size_t i = 0; i < ff->n; i++)
        cost[i] = gw_face_used_count(d->fonts[i].face) + 1;
    font_lanes fl = { d, ff, { NULL, NULL }, { *d->diag, *d->diag }, { false, false }, { 0, 0 } };
    int rc = gw_lanes_run(ff->n, cost, font_lane_job, &fl);
    libdeflate_free_compressor(fl.z[0]);
    libdeflate_free_compressor(fl.z[1]);
    free(cost);
    gw_diag_merge(d->diag, fl.diag, 2);
    if (rc == 0)
        return 0;
    if (fl.oom[0] || fl.oom[1] || fl.ran[0] + fl.ran[1] == 0)
        return fail(d, "out of memory while compressing the fonts");
    d->failed = true;
    return -1;
}

static int write_fonts(gw_ofd_doc *d)
{
    font_files ff;
    int rc = make_font_files(d, &ff);
    gw_buf b = { 0 };
    gw_buf_str(&b, XML_DECL "<ofd:Res xmlns:ofd=\"" OFD_NS "\" BaseLoc=\"Res\">");
    if (d->n_fonts > 0)
        gw_buf_str(&b, "<ofd:Fonts>");
    for (size_t i = 0; rc == 0 && i < d->n_fonts; i++) {
        const gw_face *face = d->fonts[i].face;
        char file[48], part[80];
        snprintf(file, sizeof file, "font_%u.%s", d->fonts[i].id, ff.cff[i] ? "otf" : "ttf");
        snprintf(part, sizeof part, "Doc_0/Res/%s", file);
        rc = add_packed_part(d, part, ff.data[i], ff.len[i], ff.packed[i], ff.plen[i]);
        const char *ps = gw_face_postscript(face);
        gw_buf_printf(&b, "<ofd:Font ID=\"%u\" FontName=\"", d->fonts[i].id);
        gw_buf_xml(&b, ps && *ps ? ps : gw_face_family(face));
        gw_buf_str(&b, "\" FamilyName=\"");
        gw_buf_xml(&b, gw_face_family(face));
        gw_buf_str(&b, "\"");
        if (gw_face_is_bold(face))
            gw_buf_str(&b, " Bold=\"true\"");
        gw_buf_printf(&b, "><ofd:FontFile>%s</ofd:FontFile></ofd:Font>", file);
    }
    font_files_free(&ff);
    if (rc != 0) {
        free(b.s);
        return -1;
    }
    if (d->n_fonts > 0)
        gw_buf_str(&b, "</ofd:Fonts>");
    gw_buf_str(&b, "</ofd:Res>\n");
    return add_xml(d, "Doc_0/PublicRes.xml", &b);
}

static int write_media(gw_ofd_doc *d)
{
    gw_buf b = { 0 };
    gw_buf_str(&b, XML_DECL "<ofd:Res xmlns:ofd=\"" OFD_NS "\" BaseLoc=\"Res\">");
    if (d->n_media > 0)
        gw_buf_str(&b, "<ofd:MultiMedias>");
    for (size_t i = 0; i < d->n_media; i++) {
        char file[48];
        snprintf(file, sizeof file, "seal_%u.png", d->media[i].id);
        gw_buf_printf(&b, "<ofd:MultiMedia ID=\"%u\" Type=\"Image\" Format=\"PNG\">"
                      "<ofd:MediaFile>%s</ofd:MediaFile></ofd:MultiMedia>", d->media[i].id, file);
    }
    if (d->n_media > 0)
        gw_buf_str(&b, "</ofd:MultiMedias>");
    gw_buf_str(&b, "</ofd:Res>\n");
    return add_xml(d, "Doc_0/DocumentRes.xml", &b);
}

/* The outline entries [*i, …) of depth `depth`, each with the deeper ones
 * after it nested inside. */
static void put_outline(gw_ofd_doc *d, gw_buf *b, size_t *i, int depth)
{
    while (*i < d->n_marks && d->marks[*i].depth >= depth) {
        const ofd_mark *m = &d->marks[*i];
        if (m->depth > depth) {          /* no parent at this depth: lift it */
            put_outline(d, b, i, m->depth);
            continue;
        }
        gw_buf_str(b, "<ofd:OutlineElem Title=\"");
        gw_buf_xml(b, m->text);
        gw_buf_printf(b, "\"><ofd:Actions><ofd:Action Event=\"CLICK\"><ofd:Goto>"
                      "<ofd:Dest Type=\"XYZ\" PageID=\"%u\" Left=\"0\"", d->page_ids[m->page]);
        put_attr_num(b, "Top", fmax(0, mm(d->height - m->top)));
        gw_buf_str(b, "/></ofd:Goto></ofd:Action></ofd:Actions>");
        (*i)++;
        put_outline(d, b, i, depth + 1);
        gw_buf_str(b, "</ofd:OutlineElem>\n");
    }
}

static int write_document(gw_ofd_doc *d)
{
    gw_buf b = { 0 };
    gw_buf_str(&b, XML_DECL "<ofd:Document xmlns:ofd=\"" OFD_NS "\"><ofd:CommonData>");
    gw_buf_printf(&b, "<ofd:MaxUnitID>%u</ofd:MaxUnitID>", d->next_id);
    gw_buf_str(&b, "<ofd:PageArea><ofd:PhysicalBox>0 0 ");
    put_num(&b, mm(d->width));
    gw_buf_str(&b, " ");
    put_num(&b, mm(d->height));
    gw_buf_str(&b, "</ofd:PhysicalBox></ofd:PageArea>"
                   "<ofd:PublicRes>PublicRes.xml</ofd:PublicRes>"
                   "<ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes></ofd:CommonData>\n"
                   "<ofd:Pages>\n");
    for (size_t i = 0; i < d->n_pages; i++)
        gw_buf_printf(&b, "<ofd:Page ID=\"%u\" BaseLoc=\"Pages/Page_%zu/Content.xml\"/>\n",
                      d->page_ids[i], i);
    gw_buf_str(&b, "</ofd:Pages>\n");
    if (d->n_marks > 0) {
        size_t i = 0;
        gw_buf_str(&b, "<ofd:Outlines>\n");
        put_outline(d, &b, &i, 0);
        gw_buf_str(&b, "</ofd:Outlines>\n");
    }
    gw_buf_str(&b, "</ofd:Document>\n");
    return add_xml(d, "Doc_0/Document.xml", &b);
}

static void put_info(gw_buf *b, const char *element, const char *text)
{
    if (!text || !*text)
        return;
    gw_buf_printf(b, "<ofd:%s>", element);
    gw_buf_xml(b, text);
    gw_buf_printf(b, "</ofd:%s>", element);
}

/* Keywords as the source gives them, one Keyword for each part between
 * commas, semicolons or 、 (ASCII or full-width). */
static void put_keywords(gw_buf *b, const char *s)
{
    static const char *const seps[] = { ",", ";", "，", "；", "、" };
    bool any = false;
    while (s && *s) {
        size_t n = strlen(s), sep_len = 0;
        for (size_t k = 0; k < n && !sep_len; k++)
            for (size_t t = 0; t < sizeof seps / sizeof seps[0] && !sep_len; t++)
                if (!strncmp(s + k, seps[t], strlen(seps[t]))) {
                    n = k;
                    sep_len = strlen(seps[t]);
                }
        size_t a = 0, z = n;
        while (a < z && s[a] == ' ')
            a++;
        while (z > a && s[z - 1] == ' ')
            z--;
        if (z > a) {
            char *word = strndup(s + a, z - a);
            if (!word) {
                b->oom = true;
                return;
            }
            gw_buf_str(b, any ? "" : "<ofd:Keywords>");
            put_info(b, "Keyword", word);
            free(word);
            any = true;
        }
        s += n + sep_len;
    }
    if (any)
        gw_buf_str(b, "</ofd:Keywords>");
}

static int write_ofd_xml(gw_ofd_doc *d)
{
    struct tm tm;
    char date[16] = "1970-01-01";
    if (gmtime_r(&d->when, &tm))
        strftime(date, sizeof date, "%Y-%m-%d", &tm);
    gw_buf b = { 0 };
    gw_buf_str(&b, XML_DECL "<ofd:OFD xmlns:ofd=\"" OFD_NS "\" Version=\"1.0\" DocType=\"OFD\">"
                   "<ofd:DocBody><ofd:DocInfo>");
    /* Last: the DocID covers every other part. */
    gw_buf_printf(&b, "<ofd:DocID>%016llx%016llx</ofd:DocID>", (unsigned long long)d->digest[0],
                  (unsigned long long)d->digest[1]);
    put_info(&b, "Title", d->meta.title);
    put_info(&b, "Author", d->meta.author);
    put_info(&b, "Subject", d->meta.subject);
    put_info(&b, "CreationDate", date);
    put_info(&b, "ModDate", date);
    put_keywords(&b, d->meta.keywords);
    put_info(&b, "Creator", "gwpdf");
    put_info(&b, "CreatorVersion", GWPDF_VERSION);
    gw_buf_str(&b, "</ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>"
                   "</ofd:DocBody></ofd:OFD>\n");
    return add_xml(d, "OFD.xml", &b);
}

/* After the last page: the resources, the document, OFD.xml, the directory. */
static int finish(gw_ofd_doc *d)
{
    if (d->failed)
        return -1;
    if (gw_outline_finish(&d->outline) != 0)
        return fail(d, "out of memory while reading the bookmarks");
    if (d->n_pages == 0)
        return fail(d, "the document has no pages");
    if (write_fonts(d) != 0 || write_media(d) != 0 || write_document(d) != 0 ||
        write_ofd_xml(d) != 0)
        return -1;
    return ofd_zip_finish(d->zip) == 0 ? 0 : zip_failed(d);
}

/* The finished package, mapped from the scratch file; munmap it. */
static void *map_package(gw_ofd_doc *d, size_t *len)
{
    struct stat st;
    if (fstat(d->fd, &st) != 0 || st.st_size <= 0)
        return NULL;
    void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, d->fd, 0);
    if (p == MAP_FAILED)
        return NULL;
    *len = (size_t)st.st_size;
    return p;
}

/* ---- the document ------------------------------------------------------- */

void gw_ofd_discard(gw_ofd_doc *d)
{
    if (!d)
        return;
    ofd_zip_free(d->zip);
    if (d->fd >= 0)
        close(d->fd);
    for (size_t i = 0; i < d->n_marks; i++)
        free(d->marks[i].text);
    free(d->marks);
    gw_outline_free(&d->outline);
    free(d->fonts);
    free(d->media);
    free(d->page_ids);
    free(d->meta.title);
    free(d->meta.author);
    free(d->meta.subject);
    free(d->meta.keywords);
    free(d->name);
    free(d);
}

static bool copy_text(char **to, const char *from)
{
    *to = from ? strdup(from) : NULL;
    return !from || *to;
}

gw_ofd_doc *gw_ofd_begin(const gw_meta *meta, const char *name, gw_diag *diag)
{
    gw_ofd_doc *d = calloc(1, sizeof *d);
    if (!d) {
        gw_error(diag, name, 0, 0, "out of memory starting the OFD");
        return NULL;
    }
    d->fd = -1;
    d->diag = diag;
    d->digest[0] = 0xcbf29ce484222325ull;
    d->digest[1] = 0x84222325cbf29ce4ull;
    gw_outline_init(&d->outline, on_outline_entry, d);
    if (gw_document_time(&d->when, diag) != 0) {
        gw_ofd_discard(d);
        return NULL;
    }
    bool ok = (d->name = strdup(name)) != NULL;
    if (meta)
        ok = ok && copy_text(&d->meta.title, meta->title) && copy_text(&d->meta.author, meta->author)
             && copy_text(&d->meta.subject, meta->subject)
             && copy_text(&d->meta.keywords, meta->keywords);
    if (!ok) {
        gw_error(diag, name, 0, 0, "out of memory starting the OFD");
        gw_ofd_discard(d);
        return NULL;
    }
    d->fd = gw_open_scratch();
    d->zip = d->fd >= 0 ? ofd_zip_new(d->fd, d->when) : NULL;
    if (!d->zip) {
        gw_error(diag, name, 0, 0, "cannot create a temporary file for the package: %s",
                 d->fd < 0 ? strerror(errno) : "out of memory");
        gw_ofd_discard(d);
        return NULL;
    }
    return d;
}

int gw_ofd_finish(gw_ofd_doc *d, const char *out_path)
{
    size_t len = 0;
    void *data = finish(d) == 0 ? map_package(d, &len) : NULL;
    int rc = -1;
    if (data) {
        rc = gw_write_output(out_path, NULL, 0, data, len, d->diag);
        munmap(data, len);
    } else if (!d->failed) {
        gw_error(d->diag, out_path, 0, 0, "cannot read the package back: %s", strerror(errno));
    }
    gw_ofd_discard(d);
    return rc;
}

int gw_ofd_finish_memory(gw_ofd_doc *d, unsigned char **data, size_t *len)
{
    size_t n = 0;
    void *map = finish(d) == 0 ? map_package(d, &n) : NULL;
    int rc = -1;
    if (map) {
        *data = malloc(n);
        if (*data) {
            memcpy(*data, map, n);
            *len = n;
            rc = 0;
        } else {
            gw_error(d->diag, d->name, 0, 0, "out of memory copying the OFD");
        }
        munmap(map, n);
    } else if (!d->failed) {
        gw_error(d->diag, d->name, 0, 0, "cannot read the package back: %s", strerror(errno));
    }
    gw_ofd_discard(d);
    return rc;
}

static gw_ofd_doc *write_layout(const gw_layout *lay, const gw_meta *meta, const char *name,
                                gw_diag *diag)
{
    gw_ofd_doc *d = gw_ofd_begin(meta, name, diag);
    for (size_t i = 0; d && i < lay->n_pages; i++)
        if (gw_ofd_add_page(d, &lay->pages[i]) != 0)
            break;
    return d;
}

int gw_ofd_write(const gw_layout *lay, const gw_meta *meta, const char *out_path, gw_diag *diag)
{
    gw_ofd_doc *d = write_layout(lay, meta, out_path, diag);
    return d ? gw_ofd_finish(d, out_path) : -1;
}

int gw_ofd_render_memory(const gw_layout *lay, const gw_meta *meta, unsigned char **data,
                         size_t *len, gw_diag *diag)
{
    gw_ofd_doc *d = write_layout(lay, meta, "<memory>", diag);
    return d ? gw_ofd_finish_memory(d, data, len) : -1;
}
