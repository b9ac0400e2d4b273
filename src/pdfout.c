/* pdfout — draws laid-out pages into a PDF with libharu (see pdfout.h).
 *
 * Called by the CLI after the layout.  Each used face is subset by the fonts
 * module and handed to libharu through an anonymous in-memory file (libharu
 * 2.3.0 loads TrueType only from a path); text is drawn in runs of glyphs that
 * share a font, size and baseline and are evenly spaced, using the character
 * spacing operator (Tc) for the grid pitch — viewers ignore word spacing (Tw)
 * for two-byte codes.  The file is written to a temporary file in the target
 * directory and renamed into place only when complete. */
#define _GNU_SOURCE
#include "pdfout.h"

#include <errno.h>
#include <fcntl.h>
#include <hpdf.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* The libharu font of each used face, indexed like gw_fonts_face_at. */
typedef struct font_map {
    gw_face **faces;
    HPDF_Font *fonts;
    size_t n;
} font_map;

static HPDF_Font font_for(const font_map *m, const gw_face *f)
{
    for (size_t i = 0; i < m->n; i++)
        if (m->faces[i] == f)
            return m->fonts[i];
    return NULL;
}

/* Load one subset font into libharu through a memfd (libharu opens the path
 * itself and keeps its own handle, so ours is closed right after). */
static HPDF_Font load_subset(HPDF_Doc pdf, const gw_face *face, hpdf_status *st, gw_diag *diag)
{
    unsigned char *data = NULL;
    size_t len = 0;
    if (gw_face_subset(face, &data, &len, diag) != 0)
        return NULL;
    HPDF_Font font = NULL;
    int fd = memfd_create("gwpdf-font", MFD_CLOEXEC);
    if (fd < 0 || write(fd, data, len) != (ssize_t)len) {
        gw_error(diag, gw_face_path(face), 0, 0, "cannot stage the font subset: %s",
                 strerror(errno));
    } else {
        char path[64];
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
        const char *name = HPDF_LoadTTFontFromFile(pdf, path, HPDF_TRUE);
        if (name)
            font = HPDF_GetFont(pdf, name, "UTF-8");
        if (!font)
            gw_error(diag, gw_face_path(face), 0, 0,
                     "libharu cannot load this font (error 0x%04X, detail %u)",
                     (unsigned)st->error, (unsigned)st->detail);
    }
    if (fd >= 0)
        close(fd);
    free(data);
    return font;
}

static void free_font_map(font_map *m)
{
    free(m->faces);
    free(m->fonts);
}

static int load_fonts(HPDF_Doc pdf, gw_fontset *fonts, font_map *m, hpdf_status *st,
                      gw_diag *diag)
{
    size_t n = gw_fonts_face_count(fonts);
    m->faces = calloc(n ? n : 1, sizeof *m->faces);
    m->fonts = calloc(n ? n : 1, sizeof *m->fonts);
    m->n = 0;
    if (!m->faces || !m->fonts)
        return -1;
    for (size_t i = 0; i < n; i++) {
        gw_face *f = gw_fonts_face_at(fonts, i);
        if (gw_face_used_count(f) == 0)
            continue;
        HPDF_Font font = load_subset(pdf, f, st, diag);
        if (!font)
            return -1;
        m->faces[m->n] = f;
        m->fonts[m->n++] = font;
    }
    return 0;
}

/* A run: glyphs [i, j) of one font, size, weight and baseline, evenly spaced. */
static size_t run_end(const gw_page *p, size_t i, double *char_space)
{
    const gw_glyph *a = &p->glyphs[i];
    double natural = gw_face_advance(a->face, a->cp) * a->size / 1000.0;
    size_t j = i + 1;
    *char_space = 0;
    for (; j < p->n_glyphs; j++) {
        const gw_glyph *prev = &p->glyphs[j - 1], *g = &p->glyphs[j];
        if (g->face != a->face || g->size != a->size || g->fake_bold != a->fake_bold ||
            fabs(g->y - a->y) > 1e-6)
            break;
        double prev_natural = gw_face_advance(prev->face, prev->cp) * prev->size / 1000.0;
        double gap = g->x - (prev->x + prev_natural);
        /* libharu refuses a character spacing outside [-30, 300] pt (a line of two
         * characters stretched across the type area needs more): such glyphs are
         * drawn one by one, each at its own position. */
        if (gap < HPDF_MIN_CHARSPACE || gap > HPDF_MAX_CHARSPACE)
            break;
        if (j == i + 1)
            *char_space = gap;
        else if (fabs(gap - *char_space) > 0.005)
            break;
    }
    (void)natural;
    return j;
}

static int draw_run(HPDF_Page page, HPDF_Font font, const gw_page *p, size_t i, size_t j,
                    double char_space)
{
    const gw_glyph *a = &p->glyphs[i];
    size_t cap = (j - i) * 4 + 1;
    char *text = malloc(cap);
    if (!text)
        return -1;
    size_t at = 0;
    for (size_t k = i; k < j; k++)
        at += gw_utf8_encode(p->glyphs[k].cp, text + at);
    text[at] = '\0';
    HPDF_Page_SetFontAndSize(page, font, (HPDF_REAL)a->size);
    HPDF_Page_SetCharSpace(page, (HPDF_REAL)char_space);
    if (a->fake_bold) {
        /* Synthetic bold as Word makes it: fill and stroke the outline. */
        HPDF_Page_SetTextRenderingMode(page, HPDF_FILL_THEN_STROKE);
        HPDF_Page_SetLineWidth(page, (HPDF_REAL)(0.4 * a->size / 16.0));
    }
    HPDF_Page_TextOut(page, (HPDF_REAL)a->x, (HPDF_REAL)a->y, text);
    if (a->fake_bold)
        HPDF_Page_SetTextRenderingMode(page, HPDF_FILL);
    free(text);
    return 0;
}

static int draw_page(HPDF_Doc pdf, const gw_page *p, const font_map *m)
{
    HPDF_Page page = HPDF_AddPage(pdf);
    if (!page)
        return -1;
    HPDF_Page_SetWidth(page, (HPDF_REAL)p->width);
    HPDF_Page_SetHeight(page, (HPDF_REAL)p->height);
    HPDF_Page_BeginText(page);
    for (size_t i = 0; i < p->n_glyphs;) {
        double char_space;
        size_t j = run_end(p, i, &char_space);
        HPDF_Font font = font_for(m, p->glyphs[i].face);
        if (!font || draw_run(page, font, p, i, j, char_space) != 0)
            return -1;
        i = j;
    }
    HPDF_Page_EndText(page);
    return 0;
}

static void set_info(HPDF_Doc pdf, const gw_meta *meta)
{
    HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, "gwpdf");
    HPDF_SetInfoAttr(pdf, HPDF_INFO_PRODUCER, "gwpdf with libharu " HPDF_VERSION_TEXT);
    if (!meta)
        return;
    if (meta->title)
        HPDF_SetInfoAttr(pdf, HPDF_INFO_TITLE, meta->title);
    if (meta->author)
        HPDF_SetInfoAttr(pdf, HPDF_INFO_AUTHOR, meta->author);
    if (meta->subject)
        HPDF_SetInfoAttr(pdf, HPDF_INFO_SUBJECT, meta->subject);
    if (meta->keywords)
        HPDF_SetInfoAttr(pdf, HPDF_INFO_KEYWORDS, meta->keywords);
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
    HPDF_Doc pdf = HPDF_New(on_hpdf_error, st);
    if (!pdf) {
        gw_error(diag, name, 0, 0, "libharu could not start a document");
        return NULL;
    }
    font_map m = { 0 };
    bool ok = false;
    HPDF_UseUTFEncodings(pdf);
    HPDF_SetCurrentEncoder(pdf, "UTF-8");
    HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
    set_info(pdf, meta);
    if (load_fonts(pdf, fonts, &m, st, diag) == 0) {
        ok = true;
        for (size_t i = 0; i < lay->n_pages && ok; i++) {
            if (draw_page(pdf, &lay->pages[i], &m) != 0 || st->error) {
                gw_error(diag, name, 0, 0, "libharu failed drawing page %zu (error 0x%04X)",
                         i + 1, (unsigned)st->error);
                ok = false;
            }
        }
    }
    free_font_map(&m);
    if (ok && HPDF_SaveToStream(pdf) != HPDF_OK) {
        gw_error(diag, name, 0, 0, "libharu could not produce the PDF");
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
