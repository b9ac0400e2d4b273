/* pdffont — the Type0/CIDFont objects of each used face (see pdffont.h).
 *
 * Called by pdfout.c: pdf_font_draw while the pages are drawn (the codes come
 * from gw_face_code, fixed before any subsetting, and the Type0 dictionaries
 * the pages name are created empty), pdf_font_finish once the last page is
 * drawn (the fonts module subsets the face, gw_face_program, and this file
 * fills the objects in).  Everything goes through libharu's dictionary, array
 * and stream calls, so every object lands in libharu's cross-reference table
 * and is written, compressed and freed with the document. */
#include "pdffont.h"
#include "pdfobj.h"

#include <hpdf_encrypt.h>
#include <hpdf_objects.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* PDF/A-1 (ISO 19005-1 6.1.12 via PDF 1.4 Appendix C) caps arrays at 8191
 * elements: long width lists are split. */
#define MAX_ARRAY_RUN 8000
/* bfchar blocks hold at most 100 entries (PDF 1.4 §5.9.2). */
#define BFCHAR_BLOCK 100

struct pdf_font {
    HPDF_Doc pdf;
    pdf_deflater *z;         /* the document's compressors; not owned */
    gw_face *face;
    gw_font_program prog;    /* filled by pdf_font_prepare */
    unsigned char *zprog;    /* prog.data deflated (pdf_font_set_deflated), or NULL; owned */
    size_t zprog_len;
    HPDF_Dict *type0;        /* type0[v]: the Type0 font of variant v (NULL until used) */
    size_t n_type0;
};

const gw_face *pdf_font_face(const pdf_font *pf)
{
    return pf->face;
}

void pdf_font_free(pdf_font *pf)
{
    if (!pf)
        return;
    gw_font_program_free(&pf->prog);
    free(pf->zprog);
    free(pf->type0);
    free(pf);
}

pdf_font *pdf_font_new(HPDF_Doc pdf, pdf_deflater *z, gw_face *face)
{
    pdf_font *pf = calloc(1, sizeof *pf);
    if (pf) {
        pf->pdf = pdf;
        pf->z = z;
        pf->face = face;
    }
    return pf;
}

/* The Type0 font of a variant, created empty the first time a page needs it. */
static HPDF_Dict variant_font(pdf_font *pf, unsigned variant)
{
    if (variant >= pf->n_type0) {
        HPDF_Dict *v = realloc(pf->type0, (variant + 1) * sizeof *v);
        if (!v)
            return NULL;
        for (size_t i = pf->n_type0; i <= variant; i++)
            v[i] = NULL;
        pf->type0 = v;
        pf->n_type0 = variant + 1;
    }
    if (!pf->type0[variant])
        pf->type0[variant] = pdf_indirect_dict(pf->pdf);
    return pf->type0[variant];
}

bool pdf_font_draw(pdf_font *pf, uint32_t cp, HPDF_Dict *type0, uint16_t *code, int *width)
{
    unsigned variant;
    if (!gw_face_code(pf->face, cp, code, &variant))
        return false;
    *type0 = variant_font(pf, variant);
    *width = gw_face_advance(pf->face, cp);
    return *type0 != NULL;
}

/* ---- the objects ------------------------------------------------------- */

/* Six capital letters naming this subset (PDF 1.4 §5.5.3), derived from the
 * characters it holds, so the same input always gives the same name. */
static void subset_tag(const gw_font_program *p, char tag[7])
{
    HPDF_MD5_CTX md5;
    HPDF_BYTE sum[16];
    HPDF_MD5Init(&md5);
    HPDF_MD5Update(&md5, (const HPDF_BYTE *)p->chars, (HPDF_UINT32)(p->n_chars * sizeof *p->chars));
    HPDF_MD5Update(&md5, (const HPDF_BYTE *)p->base_name, (HPDF_UINT32)strlen(p->base_name));
    HPDF_MD5Final(sum, &md5);
    for (int i = 0; i < 6; i++)
        tag[i] = (char)('A' + sum[i] % 26);
    tag[6] = '\0';
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* The most common advance: the CIDFont's DW, so W lists only the others
 * (a CJK face then lists its Latin and half-width glyphs alone). */
static int default_width(const gw_font_program *p)
{
    int *w = malloc((p->n_chars ? p->n_chars : 1) * sizeof *w);
    if (!w || p->n_chars == 0) {
        free(w);
        return 1000;
    }
    memcpy(w, p->widths, p->n_chars * sizeof *w);
    qsort(w, p->n_chars, sizeof *w, cmp_int);
    int best = w[0];
    size_t best_n = 0;
    for (size_t i = 0; i < p->n_chars;) {
        size_t j = i;
        while (j < p->n_chars && w[j] == w[i])
            j++;
        if (j - i > best_n) {
            best_n = j - i;
            best = w[i];
        }
        i = j;
    }
    free(w);
    return best;
}

/* Width of each CID (the first character drawing it decides: they share the glyph). */
typedef struct cid_width {
    uint16_t cid;
    int width;
} cid_width;

static int cmp_cid_width(const void *a, const void *b)
{
    const cid_width *x = a, *y = b;
    return (x->cid > y->cid) - (x->cid < y->cid);
}

/* W: [c [w w …] c [w …] …] for the CIDs whose width differs from dw. */
static HPDF_Array width_array(HPDF_Doc pdf, const gw_font_program *p, int dw)
{
    HPDF_Array w = HPDF_Array_New(pdf->mmgr);
    cid_width *v = malloc((p->n_chars ? p->n_chars : 1) * sizeof *v);
    if (!w || !v) {
        free(v);
        return NULL;
    }
    size_t n = 0;
    for (size_t i = 0; i < p->n_chars; i++)
        if (p->widths[i] != dw)
            v[n++] = (cid_width){ p->codes[i], p->widths[i] };
    qsort(v, n, sizeof *v, cmp_cid_width);
    HPDF_STATUS rc = HPDF_OK;
    for (size_t i = 0; i < n && rc == HPDF_OK;) {
        HPDF_Array run = HPDF_Array_New(pdf->mmgr);
        if (!run)
            break;
        rc |= HPDF_Array_AddNumber(w, v[i].cid);
        size_t j = i;
        uint16_t next = v[i].cid;
        while (j < n && j - i < MAX_ARRAY_RUN && v[j].cid <= next) {
            if (v[j].cid == next) {           /* duplicates (shared glyphs) skipped */
                rc |= HPDF_Array_AddNumber(run, v[j].width);
                next++;
            }
            j++;
        }
        rc |= HPDF_Array_Add(w, run);
        i = j;
    }
    free(v);
    return rc == HPDF_OK ? w : NULL;
}

/* The ToUnicode CMap of one variant: bfchar entries, UTF-16BE with surrogate
 * pairs above U+FFFF (PDF 1.4 §5.9.2). */
static HPDF_Dict to_unicode(HPDF_Doc pdf, const pdf_font *pf, size_t variant)
{
    const gw_font_program *p = &pf->prog;
    gw_buf b = { 0 };
    gw_buf_printf(&b, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
                  "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                  "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                  "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    size_t count = 0;
    for (size_t i = 0; i < p->n_chars; i++)
        count += p->variants[i] == variant;
    size_t done = 0;
    for (size_t i = 0; i < p->n_chars; i++) {
        if (p->variants[i] != variant)
            continue;
        if (done % BFCHAR_BLOCK == 0) {
            size_t left = count - done;
            gw_buf_printf(&b, "%zu beginbfchar\n", left < BFCHAR_BLOCK ? left : BFCHAR_BLOCK);
        }
        uint32_t cp = p->chars[i];
        if (cp > 0xFFFF) {
            uint32_t v = cp - 0x10000;
            gw_buf_printf(&b, "<%04X> <%04X%04X>\n", p->codes[i], 0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF));
        } else {
            gw_buf_printf(&b, "<%04X> <%04X>\n", p->codes[i], cp);
        }
        if (++done % BFCHAR_BLOCK == 0 || done == count)
            gw_buf_printf(&b, "endbfchar\n");
    }
    gw_buf_printf(&b, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    HPDF_Dict s = b.oom ? NULL : pdf_stream_new(pdf, pf->z, b.s, b.n);
    free(b.s);
    return s;
}

static HPDF_Array number_array(HPDF_Doc pdf, const int *v, size_t n)
{
    HPDF_Array a = HPDF_Array_New(pdf->mmgr);
    for (size_t i = 0; a && i < n; i++)
        if (HPDF_Array_AddNumber(a, v[i]) != HPDF_OK)
            return NULL;
    return a;
}

static HPDF_Dict font_descriptor(HPDF_Doc pdf, const pdf_font *pf, const char *name)
{
    const gw_font_program *p = &pf->prog;
    HPDF_Dict fd = pdf_indirect_dict(pdf);
    HPDF_Dict program = pf->zprog ? pdf_stream_new_deflated(pdf, pf->zprog, pf->zprog_len)
                                  : pdf_stream_new(pdf, pf->z, p->data, p->len);
    pdf_deflater *z = pf->z;
    HPDF_Dict cid_set = pdf_stream_new(pdf, z, p->cid_set, p->cid_set_len);
    if (!fd || !program || !cid_set)
        return NULL;
    HPDF_STATUS rc = HPDF_Dict_AddName(fd, "Type", "FontDescriptor");
    rc |= HPDF_Dict_AddName(fd, "FontName", name);
    /* Symbolic: the glyphs are addressed by CID, not by a standard encoding. */
    rc |= HPDF_Dict_AddNumber(fd, "Flags", 4 | (p->fixed_pitch ? 1 : 0));
    rc |= HPDF_Dict_Add(fd, "FontBBox", number_array(pdf, p->bbox, 4));
    rc |= HPDF_Dict_AddNumber(fd, "ItalicAngle", p->italic_angle);
    rc |= HPDF_Dict_AddNumber(fd, "Ascent", p->ascent);
    rc |= HPDF_Dict_AddNumber(fd, "Descent", p->descent);
    rc |= HPDF_Dict_AddNumber(fd, "CapHeight", p->cap_height);
    rc |= HPDF_Dict_AddNumber(fd, "StemV", p->stem_v);
    if (p->cff) {
        /* A bare CFF: PDF/A-1 forbids OpenType font streams. */
        /* CIDFontType0C also for a name-keyed CFF: its CIDs are then its glyph
         * ids (PDF 2.0 §9.7.4.2 says so; readers of PDF 1.4 files agree). */
        rc |= HPDF_Dict_AddName(program, "Subtype", "CIDFontType0C");
        rc |= HPDF_Dict_Add(fd, "FontFile3", program);
    } else {
        rc |= HPDF_Dict_AddNumber(program, "Length1", (HPDF_INT32)p->len);
        rc |= HPDF_Dict_Add(fd, "FontFile2", program);
    }
    rc |= HPDF_Dict_Add(fd, "CIDSet", cid_set);
    return rc == HPDF_OK ? fd : NULL;
}

/* TrueType codes are numbered in order of first use (gw_face_code): the map
 * sends each to its glyph in the subset, two big-endian bytes per CID. */
static HPDF_Dict cid_to_gid_map(HPDF_Doc pdf, pdf_deflater *z, const gw_font_program *p)
{
    unsigned char *b = malloc(2 * p->n_cid_to_gid + 1);
    if (!b)
        return NULL;
    for (size_t i = 0; i < p->n_cid_to_gid; i++) {
        b[2 * i] = (unsigned char)(p->cid_to_gid[i] >> 8);
        b[2 * i + 1] = (unsigned char)p->cid_to_gid[i];
    }
    HPDF_Dict s = pdf_stream_new(pdf, z, b, 2 * p->n_cid_to_gid);
    free(b);
    return s;
}

static HPDF_Dict cid_font(HPDF_Doc pdf, const pdf_font *pf, const char *name)
{
    HPDF_Dict cf = pdf_indirect_dict(pdf);
    HPDF_Dict info = HPDF_Dict_New(pdf->mmgr);
    const gw_font_program *p = &pf->prog;
    pdf_deflater *z = pf->z;
    HPDF_Dict fd = font_descriptor(pdf, pf, name);
    int dw = default_width(p);
    HPDF_Array w = width_array(pdf, p, dw);
    if (!cf || !info || !fd || !w)
        return NULL;
    HPDF_STATUS rc = HPDF_Dict_AddName(cf, "Type", "Font");
    rc |= HPDF_Dict_AddName(cf, "Subtype", p->cff ? "CIDFontType0" : "CIDFontType2");
    rc |= HPDF_Dict_AddName(cf, "BaseFont", name);
    rc |= HPDF_Dict_Add(info, "Registry", HPDF_String_New(pdf->mmgr, "Adobe", NULL));
    rc |= HPDF_Dict_Add(info, "Ordering", HPDF_String_New(pdf->mmgr, "Identity", NULL));
    rc |= HPDF_Dict_AddNumber(info, "Supplement", 0);
    rc |= HPDF_Dict_Add(cf, "CIDSystemInfo", info);
    rc |= HPDF_Dict_Add(cf, "FontDescriptor", fd);
    rc |= HPDF_Dict_AddNumber(cf, "DW", dw);
    rc |= HPDF_Dict_Add(cf, "W", w);
    if (!p->cff)
        rc |= HPDF_Dict_Add(cf, "CIDToGIDMap", cid_to_gid_map(pdf, z, p));
    return rc == HPDF_OK ? cf : NULL;
}

/* Fill in the Type0 font of a variant. */
static bool type0_font(HPDF_Doc pdf, const pdf_font *pf, size_t variant, HPDF_Dict t0,
                       HPDF_Dict cf, const char *name)
{
    HPDF_Array desc = HPDF_Array_New(pdf->mmgr);
    HPDF_Dict cmap = to_unicode(pdf, pf, variant);
    if (!t0 || !desc || !cmap)
        return false;
    char base[200];
    /* A CIDFontType0's Type0 name is the CIDFont's joined to the CMap's (§5.6.5). */
    snprintf(base, sizeof base, "%s%s", name, pf->prog.cff ? "-Identity-H" : "");
    HPDF_STATUS rc = HPDF_Dict_AddName(t0, "Type", "Font");
    rc |= HPDF_Dict_AddName(t0, "Subtype", "Type0");
    rc |= HPDF_Dict_AddName(t0, "BaseFont", base);
    rc |= HPDF_Dict_AddName(t0, "Encoding", "Identity-H");
    rc |= HPDF_Array_Add(desc, cf);
    rc |= HPDF_Dict_Add(t0, "DescendantFonts", desc);
    rc |= HPDF_Dict_Add(t0, "ToUnicode", cmap);
    return rc == HPDF_OK;
}

int pdf_font_prepare(pdf_font *pf, gw_diag *diag)
{
    return gw_face_program(pf->face, &pf->prog, diag);
}

void pdf_font_digest(const pdf_font *pf, HPDF_MD5_CTX *digest)
{
    HPDF_MD5Update(digest, pf->prog.data, (HPDF_UINT32)pf->prog.len);
}

const void *pdf_font_program(const pdf_font *pf, size_t *len)
{
    *len = pf->prog.len;
    return pf->prog.data;
}

void pdf_font_set_deflated(pdf_font *pf, unsigned char *z, size_t len)
{
    free(pf->zprog);
    pf->zprog = z;
    pf->zprog_len = len;
}

int pdf_font_build(pdf_font *pf, gw_diag *diag)
{
    HPDF_Doc pdf = pf->pdf;
    char tag[7], name[160];
    subset_tag(&pf->prog, tag);
    snprintf(name, sizeof name, "%s+%.120s", tag, pf->prog.base_name);
    HPDF_Dict cf = cid_font(pdf, pf, name);
    bool ok = cf != NULL;
    /* Every variant the face recorded gets its font, drawn or not. */
    for (unsigned v = 0; ok && v < pf->prog.n_variants; v++)
        ok = type0_font(pdf, pf, v, variant_font(pf, v), cf, name);
    if (!ok) {
        gw_error(diag, gw_face_path(pf->face), 0, 0,
                 "cannot build the PDF font objects of face %d (%s) (out of memory?)",
                 gw_face_index(pf->face), gw_face_family(pf->face));
        return -1;
    }
    return 0;
}

int pdf_font_finish(pdf_font *pf, HPDF_MD5_CTX *digest, gw_diag *diag)
{
    if (pdf_font_prepare(pf, diag) != 0)
        return -1;
    if (digest)
        pdf_font_digest(pf, digest);
    return pdf_font_build(pf, diag);
}
