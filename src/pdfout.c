/* pdfout — draws laid-out pages into a PDF with libharu (see pdfout.h).
 *
 * Called by the CLI after the layout.  libharu keeps the file structure, pages,
 * content-stream compression and bookmarks; the fonts are our own Type0 objects
 * (pdffont.c) and the PDF/A metadata our own (pdfmeta.c), because libharu
 * 2.3.0's CJK fonts and PDF/A calls lose text and fail validation
 * (../shared/libharu-notes.md, docs/pdf.md).  Text is written into each page's
 * content stream directly: glyph codes as hex strings, one text object per
 * page, runs of glyphs that share font, size and baseline set with one
 * character spacing (Tc, the grid pitch) and TJ adjustments where a gap differs.
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

/* ---- fonts ---------------------------------------------------------------- */

typedef struct font_list {
    pdf_font **v;
    size_t n;
} font_list;

static void font_list_free(font_list *fl)
{
    for (size_t i = 0; i < fl->n; i++)
        pdf_font_free(fl->v[i]);
    free(fl->v);
}

static const pdf_font *font_of(const font_list *fl, const gw_face *face)
{
    for (size_t i = 0; i < fl->n; i++)
        if (pdf_font_face(fl->v[i]) == face)
            return fl->v[i];
    return NULL;
}

/* Embed every face the layout used. */
static int embed_fonts(HPDF_Doc pdf, gw_fontset *fonts, font_list *fl, HPDF_MD5_CTX *digest,
                       gw_diag *diag)
{
    size_t n = gw_fonts_face_count(fonts);
    fl->v = calloc(n ? n : 1, sizeof *fl->v);
    fl->n = 0;
    if (!fl->v)
        return -1;
    for (size_t i = 0; i < n; i++) {
        gw_face *f = gw_fonts_face_at(fonts, i);
        if (gw_face_used_count(f) == 0)
            continue;
        pdf_font *pf = pdf_font_embed(pdf, f, digest, diag);
        if (!pf)
            return -1;
        fl->v[fl->n++] = pf;
    }
    return 0;
}

/* ---- content streams ------------------------------------------------------ */

/* A number with at most three decimals and no trailing zeros, then `after`. */
static void ops_num(pdf_buf *o, double v, const char *after)
{
    char buf[48];
    long long milli = llround(v * 1000.0);
    const char *sign = milli < 0 ? "-" : "";
    if (milli < 0)
        milli = -milli;
    int k = snprintf(buf, sizeof buf, "%s%lld", sign, milli / 1000);
    int frac = (int)(milli % 1000);
    if (frac) {
        k += snprintf(buf + k, sizeof buf - (size_t)k, ".%03d", frac);
        while (buf[k - 1] == '0')
            buf[--k] = '\0';
    }
    if (milli == 0)
        k = snprintf(buf, sizeof buf, "0");
    pdf_buf_put(o, buf, (size_t)k);
    pdf_buf_str(o, after);
}

static void ops_code(pdf_buf *o, uint16_t code)
{
    static const char hex[] = "0123456789ABCDEF";
    char b[4] = { hex[code >> 12], hex[(code >> 8) & 15], hex[(code >> 4) & 15], hex[code & 15] };
    pdf_buf_put(o, b, 4);
}

/* A glyph resolved to what the PDF draws. */
typedef struct drawn {
    HPDF_Dict type0;
    uint16_t code;
    int width;           /* 1/1000 em */
} drawn;

static bool resolve(const font_list *fl, const gw_glyph *g, drawn *d)
{
    const pdf_font *pf = font_of(fl, g->face);
    return pf && pdf_font_lookup(pf, g->cp, &d->type0, &d->code, &d->width);
}

/* Text state carried between runs of one page. */
typedef struct text_state {
    HPDF_Dict type0;
    double size, char_space;
    bool bold;
} text_state;

/* Glyphs [i, j) share font, size, weight and baseline.  The character spacing
 * is the first gap; TJ adjustments (thousandths of an em, positive = left)
 * absorb every gap that differs. */
static size_t run_end(const gw_page *p, const drawn *dv, size_t i)
{
    const gw_glyph *a = &p->glyphs[i];
    size_t j = i + 1;
    while (j < p->n_glyphs && dv[j].type0 == dv[i].type0 && p->glyphs[j].size == a->size &&
           p->glyphs[j].fake_bold == a->fake_bold && fabs(p->glyphs[j].y - a->y) < 1e-6)
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

static int draw_run(HPDF_Page page, pdf_buf *o, const gw_page *p, const drawn *dv, size_t i, size_t j,
                    text_state *ts)
{
    const gw_glyph *a = &p->glyphs[i];
    if (dv[i].type0 != ts->type0 || a->size != ts->size) {
        const char *name = HPDF_Page_GetLocalFontName(page, (HPDF_Font)dv[i].type0);
        if (!name)
            return -1;
        pdf_buf_str(o, "/");
        pdf_buf_str(o, name);
        pdf_buf_str(o, " ");
        ops_num(o, a->size, " Tf\n");
        ts->type0 = dv[i].type0;
        ts->size = a->size;
    }
    if (a->fake_bold != ts->bold) {
        /* Synthetic bold as Word makes it: fill and stroke the outline. */
        if (a->fake_bold) {
            pdf_buf_str(o, "2 Tr ");
            ops_num(o, 0.4 * a->size / 16.0, " w\n");
        } else {
            pdf_buf_str(o, "0 Tr\n");
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
    pdf_buf_str(o, "1 0 0 1 ");
    ops_num(o, a->x, " ");
    ops_num(o, a->y, " Tm\n[<");
    ops_code(o, dv[i].code);
    for (size_t k = i + 1; k < j; k++) {
        double diff = gap_before(p, dv, k) - ts->char_space;
        if (fabs(diff) > 0.0005) {
            pdf_buf_str(o, ">");
            ops_num(o, -diff * 1000.0 / p->glyphs[k].size, "<");
        }
        ops_code(o, dv[k].code);
    }
    pdf_buf_str(o, ">]TJ\n");
    return 0;
}

/* A table's rules: black (DeviceGray, covered by the sRGB output intent), one
 * path stroked at the end; the width set when it changes. */
static void rules_ops(const gw_page *p, pdf_buf *o)
{
    if (p->n_rules == 0)
        return;
    double width = -1;
    pdf_buf_str(o, "0 G\n");
    for (size_t i = 0; i < p->n_rules; i++) {
        const gw_rule *r = &p->rules[i];
        if (r->width != width) {
            if (width >= 0)
                pdf_buf_str(o, "S\n");
            ops_num(o, r->width, " w\n");
            width = r->width;
        }
        ops_num(o, r->x0, " ");
        ops_num(o, r->y0, " m ");
        ops_num(o, r->x1, " ");
        ops_num(o, r->y1, " l\n");
    }
    pdf_buf_str(o, "S\n");
}

/* The seal: its one-bit mask as a stencil image (PDF/A-1 allows no soft mask),
 * painted in the seal's ink colour (DeviceRGB, under the sRGB output intent);
 * one object for the document. */
static HPDF_Dict seal_object(HPDF_Doc pdf, const gw_seal_image *img)
{
    HPDF_Dict im = pdf_stream_new(pdf, img->mask, img->stride * (size_t)img->height);
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

/* The page's resource name of an image, adding it to /Resources /XObject. */
static const char *page_image_name(HPDF_Page page, HPDF_Dict image)
{
    HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
    if (!attr->xobjects) {
        HPDF_Dict res = HPDF_Dict_GetItem(page, "Resources", HPDF_OCLASS_DICT);
        HPDF_Dict xo = HPDF_Dict_New(page->mmgr);
        if (!res || !xo || HPDF_Dict_Add(res, "XObject", xo) != HPDF_OK)
            return NULL;
        attr->xobjects = xo;
    }
    const char *name = HPDF_Dict_GetKeyByObj(attr->xobjects, image);
    if (!name && HPDF_Dict_Add(attr->xobjects, "Seal1", image) == HPDF_OK)
        name = HPDF_Dict_GetKeyByObj(attr->xobjects, image);
    return name;
}

/* Seals go under the text: the issuer and date stay black over the red. */
static int images_ops(HPDF_Page page, const gw_page *p, HPDF_Dict seal, pdf_buf *o)
{
    for (size_t i = 0; i < p->n_images; i++) {
        const gw_image_place *im = &p->images[i];
        const char *name = seal ? page_image_name(page, seal) : NULL;
        if (!name)
            return -1;
        pdf_buf_str(o, "q ");
        ops_num(o, im->image->red, " ");
        ops_num(o, im->image->green, " ");
        ops_num(o, im->image->blue, " rg ");
        ops_num(o, im->size, " 0 0 ");
        ops_num(o, im->size, " ");
        ops_num(o, im->x, " ");
        ops_num(o, im->y, " cm /");
        pdf_buf_str(o, name);
        pdf_buf_str(o, " Do Q\n");
    }
    return 0;
}

/* The page's operators; -1 when a glyph has no font (a layout bug) or out of memory. */
/* One text object for glyphs [from, to), from a fresh text state. */
static int text_ops(HPDF_Page page, pdf_buf *o, const gw_page *p, const drawn *dv, size_t from,
                    size_t to)
{
    if (from >= to)
        return 0;
    text_state ts = { NULL, 0, 0, false };
    int rc = 0;
    pdf_buf_str(o, "BT\n");
    for (size_t i = from; i < to && rc == 0;) {
        size_t j = run_end(p, dv, i);
        if (j > to)
            j = to;
        rc = draw_run(page, o, p, dv, i, j, &ts);
        i = j;
    }
    pdf_buf_str(o, "ET\n");
    return rc;
}

static int page_ops(HPDF_Page page, const gw_page *p, const font_list *fl, HPDF_Dict seal,
                    pdf_buf *o)
{
    drawn *dv = malloc((p->n_glyphs ? p->n_glyphs : 1) * sizeof *dv);
    if (!dv)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < p->n_glyphs && rc == 0; i++)
        if (!resolve(fl, &p->glyphs[i], &dv[i]))
            rc = -1;
    /* The page number comes last and stays upright on a landscape page. */
    size_t body = p->n_glyphs;
    while (body > 0 && p->glyphs[body - 1].role == GW_ROLE_PAGENUM)
        body--;
    if (rc == 0 && p->landscape) {
        /* A quarter turn counter-clockwise: landscape (x, y) lands on portrait
         * (width - y, x), the table's top on the page's left. */
        pdf_buf_str(o, "q 0 1 -1 0 ");
        ops_num(o, p->width, " 0 cm\n");
    }
    if (rc == 0)
        rc = images_ops(page, p, seal, o);
    if (rc == 0)
        rc = text_ops(page, o, p, dv, 0, body);
    if (rc == 0)
        rules_ops(p, o);
    if (rc == 0 && p->landscape)
        pdf_buf_str(o, "Q\n");
    if (rc == 0)
        rc = text_ops(page, o, p, dv, body, p->n_glyphs);
    free(dv);
    return o->oom ? -1 : rc;
}

static HPDF_Page draw_page(HPDF_Doc pdf, const gw_page *p, const font_list *fl, HPDF_Dict seal,
                           HPDF_MD5_CTX *digest)
{
    HPDF_Page page = HPDF_AddPage(pdf);
    if (!page)
        return NULL;
    HPDF_Page_SetWidth(page, (HPDF_REAL)p->width);
    HPDF_Page_SetHeight(page, (HPDF_REAL)p->height);
    pdf_buf o = { 0 };
    int rc = page_ops(page, p, fl, seal, &o);
    HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
    /* Page content at zlib's default level: level 9 costs 20 % more time on long
     * documents for 0.4 % less size (docs/performance.md). */
    if (rc == 0 && pdf_stream_put_deflated(attr->contents, o.s, o.n, 6) != HPDF_OK)
        rc = -1;
    if (rc == 0)
        HPDF_MD5Update(digest, (const HPDF_BYTE *)o.s, (HPDF_UINT32)o.n);
    free(o.s);
    return rc == 0 ? page : NULL;
}

/* ---- bookmarks ------------------------------------------------------------ */

/* The UTF-8 text of a bookmark, growing as lines are added. */
typedef struct mark_text {
    char *s;
    size_t n, cap;
} mark_text;

static bool mark_add(mark_text *t, uint32_t cp)
{
    if (t->n + 5 > t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        char *p = realloc(t->s, cap);
        if (!p)
            return false;
        t->s = p;
        t->cap = cap;
    }
    t->n += gw_utf8_encode(cp, t->s + t->n);
    t->s[t->n] = '\0';
    return true;
}

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

/* The role a bookmarked line's text is set in. */
static bool marked_line(const gw_line_box *b, gw_role *role)
{
    if (b->kind == GW_LINE_TITLE) {
        *role = GW_ROLE_TITLE;
        return true;
    }
    if (b->kind == GW_LINE_HEADING && (b->level == 1 || b->level == 2)) {
        *role = b->level == 1 ? GW_ROLE_HEADING1 : GW_ROLE_HEADING2;
        return true;
    }
    return false;
}

/* Bookmarks for the title and every level-1 and level-2 heading, with their
 * generated numbers; level 2 nests under the level 1 before it. */
static int add_bookmarks(HPDF_Doc pdf, const gw_layout *lay, HPDF_Page *pages)
{
    HPDF_Outline level1 = NULL;
    mark_text t = { 0 };
    int rc = 0;
    for (size_t pi = 0; pi < lay->n_pages && rc == 0; pi++) {
        const gw_page *p = &lay->pages[pi];
        for (size_t li = 0; li < p->n_lines && rc == 0; li++) {
            const gw_line_box *b = &p->lines[li];
            gw_role role;
            if (!b->para_start || !marked_line(b, &role))
                continue;
            /* Gather the heading (or title) from here to its last line. */
            t.n = 0;
            bool more = true;
            for (size_t qi = pi, qj = li; more && qi < lay->n_pages; qi++, qj = 0) {
                const gw_page *q = &lay->pages[qi];
                for (; more && qj < q->n_lines; qj++) {
                    const gw_line_box *c = &q->lines[qj];
                    if (c->kind == GW_LINE_PAGENUM)
                        continue;
                    for (size_t g = c->first; g < c->first + c->count && more; g++) {
                        if (q->glyphs[g].role != role)
                            more = false;      /* a run-in heading's body text */
                        else if (!mark_add(&t, q->glyphs[g].cp))
                            rc = -1;
                    }
                    more = more && !c->para_end && rc == 0;
                }
            }
            if (rc != 0 || t.n == 0)
                continue;
            double top = b->baseline + p->glyphs[b->first].size;
            bool nested = b->kind == GW_LINE_HEADING && b->level == 2 && level1;
            HPDF_Outline o = add_mark(pdf, nested ? level1 : NULL, pages[pi], top, t.s);
            if (!o)
                rc = -1;
            else if (b->kind == GW_LINE_HEADING && b->level == 1)
                level1 = o;
        }
    }
    free(t.s);
    return rc;
}

/* ---- atomic output ---------------------------------------------------- */

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

static int write_all(int fd, const unsigned char *buf, size_t len)
{
    while (len > 0) {
        ssize_t k = write(fd, buf, len);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        buf += k;
        len -= (size_t)k;
    }
    return 0;
}

/* Copy libharu's in-memory stream to fd. */
static int stream_to_fd(HPDF_Doc pdf, int fd)
{
    unsigned char buf[65536];
    HPDF_ResetStream(pdf);
    for (;;) {
        HPDF_UINT32 n = sizeof buf;
        HPDF_STATUS rc = HPDF_ReadFromStream(pdf, buf, &n);
        if (n > 0 && write_all(fd, buf, n) != 0)
            return -1;
        if (rc == HPDF_STREAM_EOF)
            return 0;
        if (rc != HPDF_OK)
            return -1;
    }
}

/* Create an unnamed file in dir (O_TMPFILE) or, where the file system lacks
 * it, a named temporary file; *tmp_name is set in the second case. */
static int open_temp(const char *dir, const char *out_path, char **tmp_name)
{
    *tmp_name = NULL;
    int fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
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

static int save_atomically(HPDF_Doc pdf, const char *out_path, gw_diag *diag)
{
    char *dir = dir_of(out_path), *tmp_name = NULL;
    int fd = dir ? open_temp(dir, out_path, &tmp_name) : -1;
    int rc = -1;
    if (fd < 0)
        gw_error(diag, out_path, 0, 0, "cannot create a file in %s: %s", dir ? dir : "?",
                 strerror(errno));
    else if (stream_to_fd(pdf, fd) != 0 || fsync(fd) != 0)
        gw_error(diag, out_path, 0, 0, "cannot write: %s", strerror(errno));
    else if (publish(fd, tmp_name, out_path) != 0)
        gw_error(diag, out_path, 0, 0, "cannot write: %s", strerror(errno));
    else
        rc = 0;
    if (fd >= 0)
        close(fd);
    if (rc != 0 && tmp_name)
        unlink(tmp_name);
    free(tmp_name);
    free(dir);
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

/* Draw every page into a new libharu document; NULL after reporting. */
static HPDF_Doc build_pdf(const gw_layout *lay, gw_fontset *fonts, const gw_meta *meta,
                          const char *name, hpdf_status *st, gw_diag *diag)
{
    time_t when;
    if (pdf_document_time(&when, diag) != 0)
        return NULL;
    HPDF_Doc pdf = HPDF_New(on_hpdf_error, st);
    HPDF_Page *pages = calloc(lay->n_pages ? lay->n_pages : 1, sizeof *pages);
    if (!pdf || !pages) {
        gw_error(diag, name, 0, 0, "libharu could not start a document (out of memory)");
        HPDF_Free(pdf);
        free(pages);
        return NULL;
    }
    HPDF_MD5_CTX digest;
    HPDF_MD5Init(&digest);
    font_list fl = { 0 };
    HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
    bool ok = pdf_meta_write(pdf, meta, when, &digest) == 0;
    if (!ok)
        gw_error(diag, name, 0, 0, "libharu could not write the document information (error 0x%04X)",
                 (unsigned)st->error);
    ok = ok && embed_fonts(pdf, fonts, &fl, &digest, diag) == 0;
    HPDF_Dict seal = NULL;
    if (ok && lay->seal) {
        seal = seal_object(pdf, lay->seal);
        HPDF_MD5Update(&digest, lay->seal->mask, (HPDF_UINT32)(lay->seal->stride * lay->seal->height));
        if (!seal) {
            gw_error(diag, name, 0, 0, "cannot embed the seal image (out of memory?)");
            ok = false;
        }
    }
    for (size_t i = 0; i < lay->n_pages && ok; i++) {
        pages[i] = draw_page(pdf, &lay->pages[i], &fl, seal, &digest);
        if (!pages[i] || st->error) {
            gw_error(diag, name, 0, 0, "cannot draw page %zu (libharu error 0x%04X)", i + 1,
                     (unsigned)st->error);
            ok = false;
        }
    }
    if (ok && (add_bookmarks(pdf, lay, pages) != 0 || pdf_meta_set_id(pdf, &digest) != 0)) {
        gw_error(diag, name, 0, 0, "cannot write the bookmarks or the document ID (out of memory?)");
        ok = false;
    }
    if (ok && lay->n_pages > 0)
        HPDF_SetPageMode(pdf, HPDF_PAGE_MODE_USE_OUTLINE);
    font_list_free(&fl);
    free(pages);
    if (ok && HPDF_SaveToStream(pdf) != HPDF_OK) {
        gw_error(diag, name, 0, 0, "libharu could not produce the PDF (error 0x%04X, detail %u)",
                 (unsigned)st->error, (unsigned)st->detail);
        ok = false;
    }
    if (!ok) {
        HPDF_Free(pdf);
        return NULL;
    }
    return pdf;
}

int gw_pdf_write(const gw_layout *lay, gw_fontset *fonts, const gw_meta *meta,
                 const char *out_path, gw_diag *diag)
{
    hpdf_status st = { 0, 0 };
    HPDF_Doc pdf = build_pdf(lay, fonts, meta, out_path, &st, diag);
    if (!pdf)
        return -1;
    int rc = save_atomically(pdf, out_path, diag);
    HPDF_Free(pdf);
    return rc;
}

int gw_pdf_render_memory(const gw_layout *lay, gw_fontset *fonts, const gw_meta *meta,
                         unsigned char **data, size_t *len, gw_diag *diag)
{
    hpdf_status st = { 0, 0 };
    HPDF_Doc pdf = build_pdf(lay, fonts, meta, "<memory>", &st, diag);
    if (!pdf)
        return -1;
    int rc = stream_to_buffer(pdf, data, len);
    if (rc != 0)
        gw_error(diag, "<memory>", 0, 0, "out of memory copying the PDF");
    HPDF_Free(pdf);
    return rc;
}
