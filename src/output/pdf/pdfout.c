/* pdfout — draws laid-out pages into a PDF with libharu (see pdfout.h).
 *
 * Called by the CLI after the layout.  libharu keeps the file structure, pages,
 * content-stream compression and bookmarks; the fonts are our own Type0 objects
 * (pdffont.c) and the PDF/A metadata our own (pdfmeta.c), because libharu
 * 2.3.0's CJK fonts and PDF/A calls lose text and fail validation
 * (docs/pdf.md, "libharu 2.3.0 as it really behaves").  Text is written into
 * each page's content stream directly: glyph codes as hex strings, one text
 * object per page, runs of glyphs that share font, size and baseline set with
 * one character spacing (Tc, the grid pitch) and TJ adjustments where a gap
 * differs.
 * The file is written to a temporary file in the target directory and renamed
 * into place only when complete. */
#define _GNU_SOURCE
#include "pdfout.h"

#include <errno.h>
#include <fcntl.h>
#include <hpdf.h>
#include <hpdf_encrypt.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pdffont.h"
#include "pdfmeta.h"
#include "pdfobj.h"
#include "pdfspill.h"
#include "grow.h"
#include "lanes.h"
#include "outfile.h"
#include "outline.h"
#include "path.h"
#include "utf8.h"

typedef struct hpdf_status {
    HPDF_STATUS error, detail;
} hpdf_status;

static void on_hpdf_error(HPDF_STATUS error, HPDF_STATUS detail, void *user)
{
    hpdf_status *st = user;
    if (!st->error) {
        st->error = error;
        st->detail = detail;
    }
}

/* The document being written: libharu's document, the fonts the pages used so
 * far, the seal, the pending bookmark, and where page contents are spilled. */
struct gw_pdf_doc {
    HPDF_Doc pdf;
    hpdf_status st;
    char *name;              /* the output's name, for messages */
    gw_diag *diag;
    HPDF_MD5_CTX digest;     /* of everything that makes the file: its ID */
    pdf_font **fonts;
    size_t n_fonts, cap_fonts;
    HPDF_Dict resources;     /* one /Resources for every page */
    HPDF_Dict res_fonts, res_xobjects;
    const gw_seal_image **seal_images;   /* the seals drawn so far and their objects */
    HPDF_Dict *seals;
    size_t n_seals, cap_seals, cap_seal_objs;
    gw_outline outline;      /* the bookmarks, read off the pages as they are drawn */
    HPDF_Outline last_mark[GW_OUTLINE_DEPTHS];   /* the last bookmark made at each depth */
    pdf_spill *spill;        /* the page contents until the save; owned */
    pdf_deflater deflater;   /* every stream's compressor, one per level; owned */
    size_t n_pages;
    bool failed;
};

/* The PDF font of a face, made the first time a page draws with it. */
static pdf_font *font_of(gw_pdf_doc *d, gw_face *face)
{
    for (size_t i = 0; i < d->n_fonts; i++)
        if (pdf_font_face(d->fonts[i]) == face)
            return d->fonts[i];
    if (!gw_grow(&d->fonts, &d->cap_fonts, d->n_fonts + 1, sizeof *d->fonts))
        return NULL;
    pdf_font *pf = pdf_font_new(d->pdf, &d->deflater, face);
    if (pf)
        d->fonts[d->n_fonts++] = pf;
    return pf;
}

/* The name `obj` has in the shared resources' dictionary `dict` (/Font or
 * /XObject), given on first use: prefix and a number. */
static const char *resource_name(HPDF_Dict dict, const char *prefix, HPDF_Dict obj)
{
    const char *name = HPDF_Dict_GetKeyByObj(dict, obj);
    if (!name) {
        char key[32];
        snprintf(key, sizeof key, "%s%u", prefix, (unsigned)dict->list->count + 1);
        if (HPDF_Dict_Add(dict, key, obj) == HPDF_OK)
            name = HPDF_Dict_GetKeyByObj(dict, obj);
    }
    return name;
}

/* The shared resources' /XObject dictionary, made when a seal first needs it. */
static bool xobjects(gw_pdf_doc *d)
{
    if (!d->res_xobjects) {
        HPDF_Dict xo = HPDF_Dict_New(d->pdf->mmgr);
        if (!xo || HPDF_Dict_Add(d->resources, "XObject", xo) != HPDF_OK)
            return false;
        d->res_xobjects = xo;
    }
    return true;
}

/* ---- content streams ------------------------------------------------------ */

/* A number with at most three decimals and no trailing zeros, then `after`. */
static void ops_num(gw_buf *o, double v, const char *after)
{
    gw_buf_fixed(o, llround(v * 1000.0), 3);
    gw_buf_str(o, after);
}

static void ops_code(gw_buf *o, uint16_t code)
{
    static const char hex[] = "0123456789ABCDEF";
    char b[4] = { hex[code >> 12], hex[(code >> 8) & 15], hex[(code >> 4) & 15], hex[code & 15] };
    gw_buf_put(o, b, 4);
}

/* A glyph resolved to what the PDF draws. */
typedef struct drawn {
    HPDF_Dict type0;
    uint16_t code;
    int width;           /* 1/1000 em */
} drawn;

static bool resolve(gw_pdf_doc *d, const gw_glyph *g, drawn *dv)
{
    pdf_font *pf = font_of(d, g->face);
    return pf && pdf_font_draw(pf, g->cp, &dv->type0, &dv->code, &dv->width);
}

/* Text state carried between runs of one page. */
typedef struct text_state {
    HPDF_Dict type0;
    double size, char_space;
    bool bold;
    uint32_t color;
} text_state;

/* An sRGB colour operator: "r g b rg" (fill) or "r g b RG" (stroke). */
static void color_op(gw_buf *o, uint32_t color, const char *op)
{
    ops_num(o, ((color >> 16) & 0xFF) / 255.0, " ");
    ops_num(o, ((color >> 8) & 0xFF) / 255.0, " ");
    ops_num(o, (color & 0xFF) / 255.0, op);
}

/* Glyphs [i, j) share font, size, weight and baseline.  The character spacing
 * is the first gap; TJ adjustments (thousandths of an em, positive = left)
 * absorb every gap that differs. */
static size_t run_end(const gw_page *p, const drawn *dv, size_t i)
{
    const gw_glyph *a = &p->glyphs[i];
    size_t j = i + 1;
    while (j < p->n_glyphs && dv[j].type0 == dv[i].type0 && p->glyphs[j].size == a->size &&
           p->glyphs[j].fake_bold == a->fake_bold && p->glyphs[j].color == a->color &&
           fabs(p->glyphs[j].y - a->y) < 1e-6)
        j++;
    return j;
}

static double gap_before(const gw_page *p, const drawn *dv, size_t k)
{
    const gw_glyph *prev = &p->glyphs[k - 1];
    return p->glyphs[k].x - (prev->x + dv[k - 1].width * prev->size / 1000.0);
}

/* The gap most glyphs of the run leave (the character spacing that needs the
 * fewest TJ adjustments); only the first 64 gaps are looked at. */
static double common_gap(const gw_page *p, const drawn *dv, size_t i, size_t j)
{
    long gaps[64];
    size_t n = 0;
    for (size_t k = i + 1; k < j && n < 64; k++)
        gaps[n++] = lround(gap_before(p, dv, k) * 1000.0);
    if (n == 0)
        return 0;
    long best = gaps[0];
    size_t best_n = 0;
    for (size_t a = 0; a < n; a++) {
        size_t count = 0;
        for (size_t b = 0; b < n; b++)
            count += gaps[b] == gaps[a];
        if (count > best_n) {
            best_n = count;
            best = gaps[a];
        }
    }
    return best / 1000.0;
}

static int draw_run(gw_pdf_doc *d, gw_buf *o, const gw_page *p, const drawn *dv, size_t i, size_t j,
                    text_state *ts)
{
    const gw_glyph *a = &p->glyphs[i];
    if (dv[i].type0 != ts->type0 || a->size != ts->size) {
        const char *name = resource_name(d->res_fonts, "F", dv[i].type0);
        if (!name)
            return -1;
        gw_buf_str(o, "/");
        gw_buf_str(o, name);
        gw_buf_str(o, " ");
        ops_num(o, a->size, " Tf\n");
        ts->type0 = dv[i].type0;
        ts->size = a->size;
    }
    if (a->color != ts->color) {
        color_op(o, a->color, " rg\n");
        ts->color = a->color;
    }
    if (a->fake_bold != ts->bold) {
        /* Synthetic bold as Word makes it: fill and stroke the outline. */
        if (a->fake_bold) {
            gw_buf_str(o, "2 Tr ");
            ops_num(o, 0.4 * a->size / 16.0, " w\n");
        } else {
            gw_buf_str(o, "0 Tr\n");
        }
        ts->bold = a->fake_bold;
    }
    if (j > i + 1) {
        double tc = common_gap(p, dv, i, j);
        if (fabs(tc - ts->char_space) > 0.0005) {
            ops_num(o, tc, " Tc\n");
            ts->char_space = round(tc * 1000.0) / 1000.0;
        }
    }
    gw_buf_str(o, "1 0 0 1 ");
    ops_num(o, a->x, " ");
    ops_num(o, a->y, " Tm\n[<");
    ops_code(o, dv[i].code);
    for (size_t k = i + 1; k < j; k++) {
        double diff = gap_before(p, dv, k) - ts->char_space;
        if (fabs(diff) > 0.0005) {
            gw_buf_str(o, ">");
            ops_num(o, -diff * 1000.0 / p->glyphs[k].size, "<");
        }
        ops_code(o, dv[k].code);
    }
    gw_buf_str(o, ">]TJ\n");
    return 0;
}

/* The rules: black (DeviceGray, covered by the sRGB output intent) or the
 * 版头's red (DeviceRGB), stroked as one path until the width or the colour
 * changes. */
static void rules_ops(const gw_page *p, gw_buf *o)
{
    if (p->n_rules == 0)
        return;
    double width = -1;
    uint32_t color = GW_BLACK;
    bool pending = false;
    gw_buf_str(o, "0 G\n");
    for (size_t i = 0; i < p->n_rules; i++) {
        const gw_rule *r = &p->rules[i];
        if (r->color != color) {
            if (pending)
                gw_buf_str(o, "S\n");
            color_op(o, r->color, " RG\n");
            color = r->color;
            pending = false;
        }
        if (r->width != width) {
            if (pending)
                gw_buf_str(o, "S\n");
            ops_num(o, r->width, " w\n");
            width = r->width;
        }
        pending = true;
        ops_num(o, r->x0, " ");
        ops_num(o, r->y0, " m ");
        ops_num(o, r->x1, " ");
        ops_num(o, r->y1, " l\n");
    }
    gw_buf_str(o, "S\n");
}

/* The seal: its one-bit mask as a stencil image (PDF/A-1 allows no soft mask),
 * painted in the seal's ink colour (DeviceRGB, under the sRGB output intent);
 * one object for the document. */
static HPDF_Dict seal_object(HPDF_Doc pdf, pdf_deflater *z, const gw_seal_image *img)
{
    HPDF_Dict im = pdf_stream_new(pdf, z, img->mask, img->stride * (size_t)img->height);
    HPDF_Array decode = HPDF_Array_New(pdf->mmgr);
    if (!im || !decode)
        return NULL;
    HPDF_STATUS rc = HPDF_Dict_AddName(im, "Type", "XObject");
    rc |= HPDF_Dict_AddName(im, "Subtype", "Image");
    rc |= HPDF_Dict_AddNumber(im, "Width", img->width);
    rc |= HPDF_Dict_AddNumber(im, "Height", img->height);
    rc |= HPDF_Dict_AddBoolean(im, "ImageMask", HPDF_TRUE);
    rc |= HPDF_Dict_AddNumber(im, "BitsPerComponent", 1);
    /* A set bit is ink: it paints. */
    rc |= HPDF_Array_AddNumber(decode, 1);
    rc |= HPDF_Array_AddNumber(decode, 0);
    rc |= HPDF_Dict_Add(im, "Decode", decode);
    return rc == HPDF_OK ? im : NULL;
}

/* A seal's image object, made the first time a page shows it. */
static HPDF_Dict seal_of(gw_pdf_doc *d, const gw_seal_image *img)
{
    for (size_t i = 0; i < d->n_seals; i++)
        if (d->seal_images[i] == img)
            return d->seals[i];
    if (!gw_grow(&d->seal_images, &d->cap_seals, d->n_seals + 1, sizeof *d->seal_images) ||
        !gw_grow(&d->seals, &d->cap_seal_objs, d->n_seals + 1, sizeof *d->seals))
        return NULL;
    HPDF_Dict obj = seal_object(d->pdf, &d->deflater, img);
    if (!obj)
        return NULL;
    d->seal_images[d->n_seals] = img;
    d->seals[d->n_seals++] = obj;
    HPDF_MD5Update(&d->digest, img->mask, (HPDF_UINT32)(img->stride * (size_t)img->height));
    return obj;
}

/* Seals go under the text: the issuer and date stay black over the red. */
static int images_ops(gw_pdf_doc *d, const gw_page *p, gw_buf *o)
{
    for (size_t i = 0; i < p->n_images; i++) {
        const gw_image_place *im = &p->images[i];
        HPDF_Dict seal = seal_of(d, im->image);
        const char *name = seal && xobjects(d) ? resource_name(d->res_xobjects, "Seal", seal)
                                               : NULL;
        if (!name)
            return -1;
        gw_buf_str(o, "q ");
        ops_num(o, im->image->red, " ");
        ops_num(o, im->image->green, " ");
        ops_num(o, im->image->blue, " rg ");
        ops_num(o, im->size, " 0 0 ");
        ops_num(o, im->size, " ");
        ops_num(o, im->x, " ");
        ops_num(o, im->y, " cm /");
        gw_buf_str(o, name);
        gw_buf_str(o, " Do Q\n");
    }
    return 0;
}

/* The page's operators; -1 when a glyph has no font (a layout bug) or out of memory. */
/* One text object for glyphs [from, to), from a fresh text state. */
static int text_ops(gw_pdf_doc *d, gw_buf *o, const gw_page *p, const drawn *dv, size_t from,
                    size_t to)
{
    if (from >= to)
        return 0;
    text_state ts = { NULL, 0, 0, false, GW_BLACK };
    int rc = 0;
    gw_buf_str(o, "BT\n");
    for (size_t i = from; i < to && rc == 0;) {
        size_t j = run_end(p, dv, i);
        if (j > to)
            j = to;
        rc = draw_run(d, o, p, dv, i, j, &ts);
        i = j;
    }
    /* The fill colour, the character spacing and the rendering mode outlive the
     * text object (they are graphics state, not reset by BT): back to what the
     * next one starts from, or a page number drawn after the body would be
     * spaced with the body's last Tc. */
    if (ts.color != GW_BLACK)
        gw_buf_str(o, "0 g\n");
    if (ts.char_space != 0)
        gw_buf_str(o, "0 Tc\n");
    if (ts.bold)
        gw_buf_str(o, "0 Tr\n");
    gw_buf_str(o, "ET\n");
    return rc;
}

static int page_ops(gw_pdf_doc *d, const gw_page *p, gw_buf *o)
{
    drawn *dv = malloc((p->n_glyphs ? p->n_glyphs : 1) * sizeof *dv);
    if (!dv)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < p->n_glyphs && rc == 0; i++)
        if (!resolve(d, &p->glyphs[i], &dv[i]))
            rc = -1;
    /* The page number comes last and stays upright on a landscape page. */
    size_t body = p->n_glyphs;
    while (body > 0 && p->glyphs[body - 1].role == GW_ROLE_PAGENUM)
        body--;
    if (rc == 0 && p->landscape) {
        /* A quarter turn counter-clockwise: landscape (x, y) lands on portrait
         * (width - y, x), the table's top on the page's left. */
        gw_buf_str(o, "q 0 1 -1 0 ");
        ops_num(o, p->width, " 0 cm\n");
    }
    if (rc == 0)
        rc = images_ops(d, p, o);
    if (rc == 0)
        rc = text_ops(d, o, p, dv, 0, body);
    if (rc == 0)
        rules_ops(p, o);
    if (rc == 0 && p->landscape)
        gw_buf_str(o, "Q\n");
    if (rc == 0)
        rc = text_ops(d, o, p, dv, body, p->n_glyphs);
    free(dv);
    return o->oom ? -1 : rc;
}

/* ---- bookmarks ------------------------------------------------------------ */

/* A bookmark under `parent` to the top of the line at `top` on `page`, at the
 * reader's current zoom: /Dest [page /XYZ null top null], a direct array
 * (libharu's destinations are indirect objects, which PDFBox refuses). */
static HPDF_Outline add_mark(HPDF_Doc pdf, HPDF_Outline parent, HPDF_Page page, double top,
                             const char *utf8)
{
    HPDF_Outline o = HPDF_CreateOutline(pdf, parent, "", NULL);
    HPDF_Array dst = o ? HPDF_Array_New(pdf->mmgr) : NULL;
    if (!dst)
        return NULL;
    HPDF_STATUS rc = HPDF_Array_Add(dst, page);
    rc |= HPDF_Array_AddName(dst, "XYZ");
    rc |= HPDF_Array_Add(dst, HPDF_Null_New(pdf->mmgr));
    rc |= HPDF_Array_AddReal(dst, (HPDF_REAL)top);
    rc |= HPDF_Array_Add(dst, HPDF_Null_New(pdf->mmgr));
    rc |= HPDF_Dict_Add(o, "Dest", dst);
    rc |= HPDF_Dict_Add(o, "Title", pdf_text_string(pdf, utf8));
    /* libharu marks every item /Type /Outlines; only the outline root is one. */
    rc |= HPDF_Dict_RemoveElement(o, "Type");
    return rc == HPDF_OK ? o : NULL;
}

/* An outline entry (outline.h) as a bookmark under the last one a level up. */
static int on_outline_entry(void *arg, const gw_outline_entry *e)
{
    gw_pdf_doc *d = arg;
    HPDF_Outline parent = e->depth > 0 ? d->last_mark[e->depth - 1] : NULL;
    HPDF_Page page = HPDF_GetPageByIndex(d->pdf, (HPDF_UINT)e->page);
    HPDF_Outline o = page ? add_mark(d->pdf, parent, page, e->top, e->text) : NULL;
    if (!o)
        return -1;
    d->last_mark[e->depth] = o;
    return 0;
}

/* ---- pages ------------------------------------------------------------- */

static int draw_page(gw_pdf_doc *d, const gw_page *p)
{
    HPDF_Page page = HPDF_AddPage(d->pdf);
    if (!page)
        return -1;
    HPDF_Page_SetWidth(page, (HPDF_REAL)p->width);
    HPDF_Page_SetHeight(page, (HPDF_REAL)p->height);
    /* Every page names the one shared /Resources (fonts and the seal), in place
     * of libharu's own per page: libharu holds each page's objects until the
     * save, so what a page owns is what memory grows by. */
    if (HPDF_Dict_Add(page, "Resources", d->resources) != HPDF_OK)
        return -1;
    gw_buf o = { 0 };
    int rc = page_ops(d, p, &o);
    HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
    if (rc == 0) {
        HPDF_MD5Update(&d->digest, (const HPDF_BYTE *)o.s, (HPDF_UINT32)o.n);
        rc = pdf_spill_put(d->spill, d->pdf, attr->contents, o.s, o.n) == HPDF_OK ? 0 : -1;
        o.s = NULL;                          /* the spill's now */
        if (rc != 0) {
            gw_error(d->diag, d->name, 0, 0, "cannot write page %zu to the temporary file: %s",
                     d->n_pages, strerror(errno));
            d->failed = true;
        }
    }
    if (rc == 0)
        attr->stream = attr->contents->stream;
    free(o.s);
    if (rc == 0)
        rc = gw_outline_page(&d->outline, p, d->n_pages - 1);
    return rc;
}

/* ---- atomic output ---------------------------------------------------- */

/* Create an unnamed file in dir (O_TMPFILE) or, where the file system lacks
 * it, a named temporary file; *tmp_name is set in the second case. */
static int open_temp(const char *dir, const char *out_path, char **tmp_name)
{
    *tmp_name = NULL;
    int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0644);   /* read back for a device target */
    if (fd >= 0)
        return fd;
    size_t n = strlen(out_path) + 16;
    char *name = malloc(n);
    if (!name)
        return -1;
    snprintf(name, n, "%s.XXXXXX", out_path);
    fd = mkstemp(name);
    if (fd < 0) {
        free(name);
        return -1;
    }
    fchmod(fd, 0644);
    *tmp_name = name;
    return fd;
}

/* Give the finished temporary file its final name, replacing any old file. */
static int publish(int fd, const char *tmp_name, const char *out_path)
{
    if (tmp_name)
        return rename(tmp_name, out_path);
    char proc[64], *staged = malloc(strlen(out_path) + 16);
    if (!staged)
        return -1;
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
    int rc = -1;
    for (int attempt = 0; attempt < 100 && rc != 0; attempt++) {
        snprintf(staged, strlen(out_path) + 16, "%s.%d.%d", out_path, (int)getpid(), attempt);
        rc = linkat(AT_FDCWD, proc, AT_FDCWD, staged, AT_SYMLINK_FOLLOW);
        if (rc != 0 && errno != EEXIST)
            break;
    }
    if (rc == 0 && rename(staged, out_path) != 0) {
        int saved = errno;
        unlink(staged);
        errno = saved;
        rc = -1;
    }
    free(staged);
    return rc;
}

/* libharu writes the file itself (HPDF_SaveToFile), reading each spilled page
 * back as it goes, so the document is never whole in memory; an unnamed file
 * is reached through /proc/self/fd.  A regular (or new) target gets the file
 * beside it, renamed into place; a device or FIFO target (outfile.h) gets an
 * unnamed file in $TMPDIR, copied into it once complete, so an error leaves
 * no half PDF there either. */
static int save_atomically(gw_pdf_doc *d, const char *out_path)
{
    gw_out_target t;
    if (gw_out_target_open(&t, out_path, NULL, 0, d->diag) != 0)
        return -1;
    const char *tmpdir = getenv("TMPDIR");
    char *dir = t.in_place ? strdup(tmpdir && *tmpdir ? tmpdir : "/tmp") : gw_path_dir(t.path);
    char *base = t.in_place && dir ? malloc(strlen(dir) + 8) : NULL;
    if (base)
        snprintf(base, strlen(dir) + 8, "%s/gwpdf", dir);   /* the named fallback's stem */
    char *tmp_name = NULL, proc[64];
    int fd = dir && (base || !t.in_place) ? open_temp(dir, base ? base : t.path, &tmp_name) : -1;
    int rc = -1;
    if (fd >= 0)
        snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
    if (fd < 0) {
        gw_error(d->diag, out_path, 0, 0, "cannot create a file in %s: %s", dir ? dir : "?",
                 strerror(errno));
    } else if (HPDF_SaveToFile(d->pdf, tmp_name ? tmp_name : proc) != HPDF_OK) {
        gw_error(d->diag, out_path, 0, 0, "cannot write the PDF (libharu error 0x%04X, detail %u)",
                 (unsigned)d->st.error, (unsigned)d->st.detail);
    } else if (t.in_place) {
        rc = gw_out_copy_into(&t, fd, out_path, d->diag);
    } else if (fsync(fd) != 0 || publish(fd, tmp_name, t.path) != 0) {
        gw_error(d->diag, out_path, 0, 0, "cannot write: %s", strerror(errno));
    } else {
        rc = 0;
    }
    if (fd >= 0)
        close(fd);
    if (tmp_name && (rc != 0 || t.in_place))
        unlink(tmp_name);
    free(tmp_name);
    free(base);
    free(dir);
    gw_out_target_free(&t);
    return rc;
}

/* Copy libharu's finished in-memory stream into a malloc'd buffer. */
static int stream_to_buffer(HPDF_Doc pdf, unsigned char **data, size_t *len)
{
    HPDF_UINT32 size = HPDF_GetStreamSize(pdf);
    unsigned char *buf = malloc(size ? size : 1);
    if (!buf)
        return -1;
    HPDF_ResetStream(pdf);
    size_t at = 0;
    for (;;) {
        HPDF_UINT32 n = (HPDF_UINT32)(size - at);
        if (n == 0)
            break;
        HPDF_STATUS rc = HPDF_ReadFromStream(pdf, buf + at, &n);
        at += n;
        if (rc == HPDF_STREAM_EOF)
            break;
        if (rc != HPDF_OK) {
            free(buf);
            return -1;
        }
    }
    *data = buf;
    *len = at;
    return 0;
}

/* ---- the document ---------------------------------------------------------- */

void gw_pdf_discard(gw_pdf_doc *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n_fonts; i++)
        pdf_font_free(d->fonts[i]);
    free(d->fonts);
    free(d->seal_images);
    free(d->seals);
    gw_outline_free(&d->outline);
    if (d->spill)
        pdf_spill_wait(d->spill);    /* its worker writes into libharu's objects */
    HPDF_Free(d->pdf);
    pdf_spill_close(d->spill);       /* after libharu: its page streams read the spill */
    pdf_deflater_free(&d->deflater);
    free(d->name);
    free(d);
}

gw_pdf_doc *gw_pdf_begin(const gw_meta *meta, const char *name, gw_diag *diag)
{
    time_t when;
    if (gw_document_time(&when, diag) != 0)
        return NULL;
    gw_pdf_doc *d = calloc(1, sizeof *d);
    if (!d) {
        gw_error(diag, name, 0, 0, "out of memory starting the PDF");
        return NULL;
    }
    d->diag = diag;
    gw_outline_init(&d->outline, on_outline_entry, d);
    d->name = strdup(name);
    d->pdf = HPDF_New(on_hpdf_error, &d->st);
    if (!d->name || !d->pdf) {
        gw_error(diag, name, 0, 0, "libharu could not start a document (out of memory)");
        gw_pdf_discard(d);
        return NULL;
    }
    if ((d->spill = pdf_spill_open(PDF_PAGE_LEVEL)) == NULL) {
        gw_error(diag, name, 0, 0, "cannot create a temporary file for the pages: %s",
                 strerror(errno));
        gw_pdf_discard(d);
        return NULL;
    }
    HPDF_MD5Init(&d->digest);
    HPDF_SetCompressionMode(d->pdf, HPDF_COMP_ALL);
    d->resources = pdf_indirect_dict(d->pdf);
    d->res_fonts = HPDF_Dict_New(d->pdf->mmgr);
    if (!d->resources || !d->res_fonts || HPDF_Dict_Add(d->resources, "Font", d->res_fonts) != HPDF_OK) {
        gw_error(diag, name, 0, 0, "libharu could not start a document (out of memory)");
        gw_pdf_discard(d);
        return NULL;
    }
    if (pdf_meta_write(d->pdf, &d->deflater, meta, when, &d->digest) != 0) {
        gw_error(diag, name, 0, 0, "libharu could not write the document information (error 0x%04X)",
                 (unsigned)d->st.error);
        gw_pdf_discard(d);
        return NULL;
    }
    return d;
}

int gw_pdf_add_page(gw_pdf_doc *d, const gw_page *page)
{
    if (d->failed)
        return -1;
    d->n_pages++;
    if (draw_page(d, page) != 0 || d->st.error) {
        if (!d->failed)                      /* else draw_page said why */
            gw_error(d->diag, d->name, 0, 0, "cannot draw page %zu (libharu error 0x%04X)",
                     d->n_pages, (unsigned)d->st.error);
        d->failed = true;
        return -1;
    }
    return 0;
}

int gw_pdf_page_fn(void *doc, const gw_page *page)
{
    return gw_pdf_add_page(doc, page);
}

bool gw_pdf_failed(const gw_pdf_doc *d)
{
    return d->failed;
}

/* The fonts made ready on two lanes (lanes.h): each face subset, then its
 * program compressed, the face with the most characters (the body's, most of
 * the font bytes) on this thread while the worker does the others.  That one
 * face's subset and compression are the step's critical path; one after the
 * other for every face, the step took twice as long.  Each lane has its own
 * compressor and diagnostics; a program left uncompressed (out of memory)
 * is compressed by pdf_font_build. */
typedef struct font_lanes {
    gw_pdf_doc *d;
    pdf_deflater *z[2];
    gw_diag diag[2];
    size_t ran[2];
} font_lanes;

static int font_lane_job(void *arg, size_t i, int lane)
{
    font_lanes *fl = arg;
    pdf_font *pf = fl->d->fonts[i];
    fl->ran[lane]++;
    if (pdf_font_prepare(pf, &fl->diag[lane]) != 0)
        return -1;
    size_t len, zlen;
    const void *data = pdf_font_program(pf, &len);
    unsigned char *z = pdf_deflate(fl->z[lane], data, len, PDF_FONT_LEVEL, &zlen);
    if (z)
        pdf_font_set_deflated(pf, z, zlen);
    return 0;
}

static int prepare_fonts(gw_pdf_doc *d)
{
    size_t *cost = malloc((d->n_fonts ? d->n_fonts : 1) * sizeof *cost);
    if (!cost) {
        gw_error(d->diag, d->name, 0, 0, "out of memory while embedding the fonts");
        return -1;
    }
    for (size_t i = 0; i < d->n_fonts; i++)
        cost[i] = gw_face_used_count(pdf_font_face(d->fonts[i])) + 1;
    pdf_deflater second = { { NULL } };
    font_lanes fl = { d, { &d->deflater, &second }, { *d->diag, *d->diag }, { 0, 0 } };
    int rc = gw_lanes_run(d->n_fonts, cost, font_lane_job, &fl);
    pdf_deflater_free(&second);
    free(cost);
    gw_diag_merge(d->diag, fl.diag, 2);
    if (rc != 0 && fl.ran[0] + fl.ran[1] == 0)
        gw_error(d->diag, d->name, 0, 0, "out of memory while embedding the fonts");
    if (rc != 0)
        return -1;
    for (size_t i = 0; i < d->n_fonts; i++)
        pdf_font_digest(d->fonts[i], &d->digest);
    return 0;
}

/* After the last page: the fonts (subset to what the pages drew), the last
 * bookmark, the ID; then libharu can save. */
static int finish(gw_pdf_doc *d)
{
    if (d->failed)
        return -1;
    if (pdf_spill_wait(d->spill) != 0) {
        gw_error(d->diag, d->name, 0, 0, "cannot write the pages to the temporary file: %s",
                 strerror(errno));
        return -1;
    }
    if (prepare_fonts(d) != 0)
        return -1;
    for (size_t i = 0; i < d->n_fonts; i++)
        if (pdf_font_build(d->fonts[i], d->diag) != 0)
            return -1;
    if (gw_outline_finish(&d->outline) != 0 || pdf_meta_set_id(d->pdf, &d->digest) != 0) {
        gw_error(d->diag, d->name, 0, 0, "cannot write the bookmarks or the document ID (out of memory?)");
        return -1;
    }
    if (d->n_pages > 0)
        HPDF_SetPageMode(d->pdf, HPDF_PAGE_MODE_USE_OUTLINE);
    return 0;
}

int gw_pdf_finish(gw_pdf_doc *d, const char *out_path)
{
    int rc = finish(d) == 0 ? save_atomically(d, out_path) : -1;
    gw_pdf_discard(d);
    return rc;
}

int gw_pdf_finish_memory(gw_pdf_doc *d, unsigned char **data, size_t *len)
{
    int rc = finish(d);
    if (rc == 0 && HPDF_SaveToStream(d->pdf) != HPDF_OK) {
        gw_error(d->diag, d->name, 0, 0, "libharu could not produce the PDF (error 0x%04X, detail %u)",
                 (unsigned)d->st.error, (unsigned)d->st.detail);
        rc = -1;
    }
    if (rc == 0 && stream_to_buffer(d->pdf, data, len) != 0) {
        gw_error(d->diag, d->name, 0, 0, "out of memory copying the PDF");
        rc = -1;
    }
    gw_pdf_discard(d);
    return rc;
}

/* A collected layout, page after page. */
static gw_pdf_doc *draw_layout(const gw_layout *lay, const gw_meta *meta, const char *name,
                               gw_diag *diag)
{
    gw_pdf_doc *d = gw_pdf_begin(meta, name, diag);
    for (size_t i = 0; d && i < lay->n_pages; i++)
        if (gw_pdf_add_page(d, &lay->pages[i]) != 0)
            break;
    return d;
}

int gw_pdf_write(const gw_layout *lay, const gw_meta *meta, const char *out_path, gw_diag *diag)
{
    gw_pdf_doc *d = draw_layout(lay, meta, out_path, diag);
    return d ? gw_pdf_finish(d, out_path) : -1;
}

int gw_pdf_render_memory(const gw_layout *lay, const gw_meta *meta, unsigned char **data,
                         size_t *len, gw_diag *diag)
{
    gw_pdf_doc *d = draw_layout(lay, meta, "<memory>", diag);
    return d ? gw_pdf_finish_memory(d, data, len) : -1;
}
