/* fonts — resolves each font role (仿宋, 小标宋, 黑体, 楷体, 宋体, Latin) to a
 * fallback chain of faces (--font, the fonts/ directory, fontconfig, free
 * stand-ins), answers coverage and metric questions per code point, and subsets
 * a face to the code points drawn with it (hb-subset).
 * Called by the CLI (gw_fonts_open/close and the chain accessors for
 * `gwpdf fonts`), the layout (gw_fonts_face_for, gw_face_advance,
 * gw_face_glyph_box, gw_face_use) and the PDF output (gw_fonts_face_at,
 * gw_face_subset).  See include/fonts/fonts.h and docs/fonts.md. */
#include "fonts.h"
#include "fileio.h"
#include "grow.h"

#include "utf8.h"

#include <dirent.h>
#include <errno.h>
#include <iconv.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_ADVANCES_H
#include FT_BBOX_H
#include FT_CID_H
#include FT_OUTLINE_H
#include FT_SFNT_NAMES_H
#include FT_TRUETYPE_IDS_H
#include FT_TRUETYPE_TABLES_H
#include FT_TRUETYPE_TAGS_H
#include <hb-subset.h>
#include <hb.h>

/* ------------------------------------------------------------------------ */
/* Role tables                                                              */

static const char *const ROLE_NAME[GW_ROLE_COUNT] = {
    "body", "title", "heading1", "heading2", "label", "pagenum", "latin",
};

static const char *const ROLE_DESIGN[GW_ROLE_COUNT] = {
    "仿宋", "小标宋", "黑体", "楷体", "黑体", "宋体", "Times New Roman",
};

/* Family names offices use for each design, most specific first. */
static const char *const FANGSONG[] = {
    "仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong", "STFangsong", "华文仿宋",
    "方正仿宋_GBK", "FZFangSong-Z02S", NULL,
};
static const char *const XIAOBIAOSONG[] = {
    "方正小标宋简体", "方正小标宋_GBK", "FZXiaoBiaoSong-B05S", "FZXiaoBiaoSong-B05",
    "小标宋", NULL,
};
static const char *const HEITI[] = {
    "黑体", "SimHei", "方正黑体_GBK", "FZHei-B01S", "STHeiti", "华文黑体", NULL,
};
static const char *const KAITI[] = {
    "楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi", "STKaiti", "华文楷体",
    "方正楷体_GBK", "FZKai-Z03S", NULL,
};
static const char *const SONGTI[] = {
    "宋体", "SimSun", "NSimSun", "STSong", "华文宋体", "方正书宋_GBK", NULL,
};
static const char *const TIMES[] = {
    "Times New Roman", "Times", "TeX Gyre Termes", "Nimbus Roman", NULL,
};

/* Free faces (Debian packages) standing in for the designs. */
static const char *const SONG_STANDIN[] = { "AR PL SungtiL GB", "AR PL UMing CN", NULL };
/* 小标宋 is a heavy Song: Noto Serif CJK SC Bold (CFF) is the free design
 * nearest it; without it a Song face is made bold synthetically. */
static const char *const XIAOBIAOSONG_STANDIN[] = {
    "Noto Serif CJK SC", "AR PL SungtiL GB", "AR PL UMing CN", NULL,
};
static const char *const HEI_STANDIN[] = { "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", NULL };
static const char *const KAI_STANDIN[] = {
    "AR PL KaitiM GB", "AR PL UKai CN", "LXGW WenKai", NULL,
};
static const char *const LATIN_STANDIN[] = { "Liberation Serif", "DejaVu Serif", NULL };
/* Faces covering CJK Extension B, appended to every CJK chain. */
/* Appended to every Chinese role: faces of wide coverage, so a rare character
 * missing from the role's own face is still drawn (in a near design where one
 * is installed), then faces covering CJK Extension B. */
static const char *const CJK_WIDE[] = {
    "AR PL UMing CN", "AR PL UKai CN", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei",
    "HanaMinA", "HanaMinB", "BabelStone Han", "TH-Tshyn-P1", NULL
};
static const char *const NO_NAMES[] = { NULL };

typedef struct role_spec {
    const char *const *design;   /* family names of the role's design */
    const char *const *standin;  /* free stand-ins, in order */
    const char *const *extra;    /* appended last (wide and Extension B coverage) */
    const char *package;         /* Debian package to suggest */
    bool latin_first;            /* digits and Latin letters from the Latin chain */
    int weight;                  /* preferred OS/2 weight class among a family's faces */
} role_spec;

static const role_spec ROLE_SPEC[GW_ROLE_COUNT] = {
    [GW_ROLE_BODY] = { FANGSONG, SONG_STANDIN, CJK_WIDE, "fonts-arphic-gbsn00lp", true, 400 },
    [GW_ROLE_TITLE] = { XIAOBIAOSONG, XIAOBIAOSONG_STANDIN, CJK_WIDE, "fonts-noto-cjk", false, 700 },
    [GW_ROLE_HEADING1] = { HEITI, HEI_STANDIN, CJK_WIDE, "fonts-wqy-zenhei", false, 400 },
    [GW_ROLE_HEADING2] = { KAITI, KAI_STANDIN, CJK_WIDE, "fonts-arphic-gkai00mp", true, 400 },
    [GW_ROLE_LABEL] = { HEITI, HEI_STANDIN, CJK_WIDE, "fonts-wqy-zenhei", false, 400 },
    [GW_ROLE_PAGENUM] = { SONGTI, SONG_STANDIN, CJK_WIDE, "fonts-arphic-gbsn00lp", false, 400 },
    [GW_ROLE_LATIN] = { TIMES, LATIN_STANDIN, NO_NAMES, "fonts-liberation", false, 400 },
};

/* ------------------------------------------------------------------------ */
/* Code point hash map (advance cache) and set (used code points)           */

#define CP_EMPTY UINT32_MAX

typedef struct cpmap {
    uint32_t *keys;   /* CP_EMPTY marks a free slot */
    int *vals;        /* NULL for a set */
    size_t cap;       /* a power of two, or 0 */
    size_t n;
    bool with_vals;
} cpmap;

static size_t cp_slot(const cpmap *m, uint32_t cp)
{
    size_t mask = m->cap - 1;
    size_t i = (size_t)((cp * 2654435761u) & mask);
    while (m->keys[i] != CP_EMPTY && m->keys[i] != cp)
        i = (i + 1) & mask;
    return i;
}

static bool cpmap_grow(cpmap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 64;
    uint32_t *keys = malloc(cap * sizeof *keys);
    int *vals = m->with_vals ? malloc(cap * sizeof *vals) : NULL;
    if (!keys || (m->with_vals && !vals)) {
        free(keys);
        free(vals);
        return false;
    }
    for (size_t i = 0; i < cap; i++)
        keys[i] = CP_EMPTY;
    cpmap old = *m;
    m->keys = keys;
    m->vals = vals;
    m->cap = cap;
    for (size_t i = 0; i < old.cap; i++) {
        if (old.keys[i] == CP_EMPTY)
            continue;
        size_t s = cp_slot(m, old.keys[i]);
        m->keys[s] = old.keys[i];
        if (m->with_vals)
            m->vals[s] = old.vals[i];
    }
    free(old.keys);
    free(old.vals);
    return true;
}

/* Insert or overwrite; false when out of memory. */
static bool cpmap_put(cpmap *m, uint32_t cp, int val)
{
    if ((m->n + 1) * 2 > m->cap && !cpmap_grow(m))
        return false;
    size_t s = cp_slot(m, cp);
    if (m->keys[s] == CP_EMPTY) {
        m->keys[s] = cp;
        m->n++;
    }
    if (m->with_vals)
        m->vals[s] = val;
    return true;
}

static bool cpmap_get(const cpmap *m, uint32_t cp, int *val)
{
    if (m->cap == 0)
        return false;
    size_t s = cp_slot(m, cp);
    if (m->keys[s] == CP_EMPTY)
        return false;
    if (val && m->with_vals)
        *val = m->vals[s];
    return true;
}

static void cpmap_free(cpmap *m)
{
    free(m->keys);
    free(m->vals);
    m->keys = NULL;
    m->vals = NULL;
    m->cap = m->n = 0;
}

/* ------------------------------------------------------------------------ */
/* Faces, chains, the fontset                                               */

struct gw_face {
    char *path;        /* as given or found */
    dev_t dev;         /* the file's identity, for deduplication */
    ino_t ino;
    int index;         /* face index in a collection */
    char *family;      /* English family name (or the first one) */
    char *postscript;  /* PostScript name, "" when absent */
    FT_Face ft;
    long upem;
    cpmap *adv;        /* advance cache; behind a pointer so const readers fill it */
    cpmap used;        /* code points drawn with this face → code | variant << 16 */
    bool used_failed;  /* a gw_face_use was lost (out of memory, or 65 535 codes) */
    bool cff;          /* CFF outlines (else TrueType) */
    bool cid_keyed;    /* ... in a CID-keyed CFF font */
    uint8_t *sharers;  /* CFF: how many used characters each code draws (65 536) */
    bool drop_hinting; /* subset without hinting instructions (--no-hinting) */
    gw_face *bold;     /* the bold face of the same family, once looked for */
    bool bold_looked;
    pthread_mutex_t *ft_lock; /* the fontset's: FT_New_Face and FT_Done_Face */
};

typedef struct chain_link {
    gw_face *face;
    gw_font_source src;
} chain_link;

typedef struct chain {
    chain_link *v;
    size_t n, cap;
} chain;

struct gw_fontset {
    FT_Library ft;
    /* A library's faces may be used on several threads, one face a thread,
     * but making and freeing faces changes the library: gw_face_program
     * (several faces are subset at once, lanes.h) takes this lock for that. */
    pthread_mutex_t ft_lock;
    bool drop_hinting;
    FcConfig *fc;      /* NULL when fontconfig is not used */
    FcFontSet *fc_all; /* every installed face, listed once (fc_installed); owned */
    gw_face **faces;
    size_t nfaces, capfaces;
    chain chains[GW_ROLE_COUNT];
    /* Per role, the face each character was found in: 1 + its index in faces,
     * or 0 for none.  gw_fonts_face_for is asked again for every character a
     * table's column trial sets, and each answer costs a cmap lookup in each
     * face of the chain.  Pointers, so a lookup through a const fontset fills
     * them; the chains never change after gw_fonts_open. */
    cpmap *face_cache;
};

/* What went wrong loading a face. */
typedef enum load_status {
    LOAD_OK,
    LOAD_NOFILE,    /* cannot open the file, or not a regular file (why) */
    LOAD_NOTFONT,   /* FreeType cannot read it */
    LOAD_NOINDEX,   /* index beyond the collection (nfaces) */
    LOAD_NOGLYF,    /* neither TrueType nor CFF outlines */
    LOAD_NOCMAP,    /* no Unicode cmap */
    LOAD_NOMEM,
} load_status;

typedef struct load_info {
    load_status status;
    const char *why;    /* LOAD_NOFILE: static text */
    long nfaces;
} load_info;

/* ------------------------------------------------------------------------ */
/* Small helpers                                                            */

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

static int ascii_lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

/* Family names compare equal ignoring ASCII case. */
static bool family_eq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (ascii_lower((unsigned char)*a) != ascii_lower((unsigned char)*b))
            return false;
    return *a == *b;
}

/* x font units in 1/1000 em, rounded half away from zero. */
static int to_milli(long x, long upem)
{
    long v = x * 1000;
    long r = v >= 0 ? (v + upem / 2) / upem : -((-v + upem / 2) / upem);
    return (int)r;
}

static bool has_sfnt_table(FT_Face ft, FT_ULong tag)
{
    FT_ULong len = 0;
    return FT_IS_SFNT(ft) && FT_Load_Sfnt_Table(ft, tag, 0, NULL, &len) == 0 && len > 0;
}

/* Outlines a PDF can embed: TrueType (glyf) or CFF.  CFF2 (variable OpenType)
 * and bitmap-only faces cannot be. */
static bool embeddable_outlines(FT_Face ft)
{
    return has_sfnt_table(ft, TTAG_glyf) || has_sfnt_table(ft, TTAG_CFF);
}

/* "path" or "path:index" for messages. */
static void face_where(const gw_face *f, char *buf, size_t n)
{
    if (f->index)
        snprintf(buf, n, "%s:%d", f->path, f->index);
    else
        snprintf(buf, n, "%s", f->path);
}

/* ------------------------------------------------------------------------ */
/* Name table decoding                                                      */

/* UTF-16BE to a malloc'd UTF-8 string; NULL when malformed or out of memory. */
static char *utf16be_to_utf8(const FT_Byte *s, size_t len)
{
    if (len % 2)
        return NULL;
    char *out = malloc(len / 2 * 3 + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i + 1 < len; i += 2) {
        uint32_t u = (uint32_t)s[i] << 8 | s[i + 1];
        if (u >= 0xD800 && u <= 0xDBFF && i + 3 < len) {
            uint32_t lo = (uint32_t)s[i + 2] << 8 | s[i + 3];
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                i += 2;
            }
        }
        size_t k = u ? gw_utf8_encode(u, out + o) : 0;
        if (k == 0) {
            free(out);
            return NULL;
        }
        o += k;
    }
    out[o] = '\0';
    return out;
}

/* Bytes in `charset` to a malloc'd UTF-8 string via iconv; NULL on failure. */
static char *legacy_to_utf8(const char *charset, const char *s, size_t len)
{
    iconv_t cd = iconv_open("UTF-8", charset);
    if (cd == (iconv_t)-1)
        return NULL;
    char *in = malloc(len + 1);
    size_t cap = len * 2 + 4;
    char *out = malloc(cap);
    char *res = NULL;
    if (in && out) {
        memcpy(in, s, len);
        char *ip = in, *op = out;
        size_t il = len, ol = cap - 1;
        if (iconv(cd, &ip, &il, &op, &ol) != (size_t)-1 && il == 0) {
            *op = '\0';
            res = out;
            out = NULL;
        }
    }
    free(in);
    free(out);
    iconv_close(cd);
    return res;
}

/* Old Chinese fonts store GBK names (Windows encoding 3) as 16-bit units:
 * double-byte characters whole, single bytes with a zero high byte. */
static char *wide_gbk_to_utf8(const FT_Byte *s, size_t len)
{
    char *bytes = malloc(len + 1);
    if (!bytes)
        return NULL;
    size_t n = 0;
    for (size_t i = 0; i + 1 < len; i += 2) {
        if (s[i])
            bytes[n++] = (char)s[i];
        bytes[n++] = (char)s[i + 1];
    }
    char *res = legacy_to_utf8("GB18030", bytes, n);
    free(bytes);
    return res;
}

static bool all_ascii(const FT_Byte *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] == 0 || s[i] > 0x7E)
            return false;
    return true;
}

/* A name record as UTF-8 (malloc'd), NULL when its encoding is not handled. */
static char *sfnt_name_utf8(const FT_SfntName *nm)
{
    if (nm->string_len == 0)
        return NULL;
    if (nm->platform_id == TT_PLATFORM_APPLE_UNICODE ||
        (nm->platform_id == TT_PLATFORM_MICROSOFT &&
         (nm->encoding_id == TT_MS_ID_SYMBOL_CS || nm->encoding_id == TT_MS_ID_UNICODE_CS ||
          nm->encoding_id == TT_MS_ID_UCS_4)))
        return utf16be_to_utf8(nm->string, nm->string_len);
    if (nm->platform_id == TT_PLATFORM_MICROSOFT && nm->encoding_id == TT_MS_ID_PRC)
        return wide_gbk_to_utf8(nm->string, nm->string_len);
    if (nm->platform_id == TT_PLATFORM_MACINTOSH && nm->encoding_id == TT_MAC_ID_SIMPLIFIED_CHINESE)
        return legacy_to_utf8("GB18030", (const char *)nm->string, nm->string_len);
    if (nm->platform_id == TT_PLATFORM_MACINTOSH && all_ascii(nm->string, nm->string_len)) {
        char *s = malloc(nm->string_len + 1u);
        if (s) {
            memcpy(s, nm->string, nm->string_len);
            s[nm->string_len] = '\0';
        }
        return s;
    }
    return NULL;
}

typedef struct namelist {
    char **v;
    size_t n, cap;
} namelist;

static void namelist_free(namelist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

/* Takes ownership of s; duplicates are freed.  False when out of memory. */
static bool namelist_add(namelist *l, char *s)
{
    for (size_t i = 0; i < l->n; i++) {
        if (strcmp(l->v[i], s) == 0) {
            free(s);
            return true;
        }
    }
    if (!gw_grow(&l->v, &l->cap, l->n + 1, sizeof *l->v)) {
        free(s);
        return false;
    }
    l->v[l->n++] = s;
    return true;
}

static bool namelist_has(const namelist *l, const char *name)
{
    for (size_t i = 0; i < l->n; i++)
        if (family_eq(l->v[i], name))
            return true;
    return false;
}

/* How good a record is as "the English family name". */
static int english_score(const FT_SfntName *nm, const char *s)
{
    int score = 1;
    if (nm->platform_id == TT_PLATFORM_MICROSOFT && nm->language_id == TT_MS_LANGID_ENGLISH_UNITED_STATES)
        score = 4;
    else if (nm->platform_id == TT_PLATFORM_MACINTOSH && nm->language_id == TT_MAC_LANGID_ENGLISH)
        score = 3;
    else if (all_ascii((const FT_Byte *)s, strlen(s)))
        score = 2;
    return score * 2 + (nm->name_id == TT_NAME_ID_TYPOGRAPHIC_FAMILY);
}

/* All family names (name IDs 1 and 16) of a face; *english gets a malloc'd
 * copy of the best English one (or NULL when the face has none decodable).
 * False when out of memory. */
static bool read_family_names(FT_Face ft, namelist *out, char **english)
{
    int best = -1;
    *english = NULL;
    FT_UInt count = FT_Get_Sfnt_Name_Count(ft);
    for (FT_UInt i = 0; i < count; i++) {
        FT_SfntName nm;
        if (FT_Get_Sfnt_Name(ft, i, &nm) != 0)
            continue;
        if (nm.name_id != TT_NAME_ID_FONT_FAMILY && nm.name_id != TT_NAME_ID_TYPOGRAPHIC_FAMILY)
            continue;
        char *s = sfnt_name_utf8(&nm);
        if (!s || !*s) {
            free(s);
            continue;
        }
        int score = english_score(&nm, s);
        if (score > best) {
            char *copy = xstrdup(s);
            if (!copy) {
                free(s);
                return false;
            }
            free(*english);
            *english = copy;
            best = score;
        }
        if (!namelist_add(out, s))
            return false;
    }
    return true;
}

/* ------------------------------------------------------------------------ */
/* Loading faces                                                            */

/* Open face `index` of `path`, a regular file (fontset_face checked), and
 * check it can serve (TrueType outlines, a Unicode cmap).  On failure fills li
 * and returns NULL. */
static FT_Face open_ft_face(FT_Library lib, const char *path, int index, load_info *li)
{
    FT_Face ft = NULL;
    if (FT_New_Face(lib, path, index, &ft) != 0) {
        FT_Face probe = NULL;
        li->status = LOAD_NOTFONT;
        if (index > 0 && FT_New_Face(lib, path, -1, &probe) == 0) {
            li->nfaces = probe->num_faces;
            li->status = index >= probe->num_faces ? LOAD_NOINDEX : LOAD_NOTFONT;
            FT_Done_Face(probe);
        }
        return NULL;
    }
    li->status = LOAD_OK;
    if (!FT_IS_SFNT(ft) || ft->units_per_EM == 0)
        li->status = LOAD_NOTFONT;
    else if (!embeddable_outlines(ft))
        li->status = LOAD_NOGLYF;
    else if (FT_Select_Charmap(ft, FT_ENCODING_UNICODE) != 0)
        li->status = LOAD_NOCMAP;
    if (li->status != LOAD_OK) {
        FT_Done_Face(ft);
        return NULL;
    }
    return ft;
}

static void face_free(gw_face *f)
{
    if (!f)
        return;
    if (f->ft)
        FT_Done_Face(f->ft);
    if (f->adv) {
        cpmap_free(f->adv);
        free(f->adv);
    }
    cpmap_free(&f->used);
    free(f->sharers);
    free(f->path);
    free(f->family);
    free(f->postscript);
    free(f);
}

/* Fill the names of a freshly opened face; false when out of memory. */
static bool face_names(gw_face *f)
{
    namelist names = { 0 };
    char *english = NULL;
    bool ok = read_family_names(f->ft, &names, &english);
    namelist_free(&names);
    if (!ok) {
        free(english);
        return false;
    }
    if (!english)
        english = xstrdup(f->ft->family_name ? f->ft->family_name : "");
    f->family = english;
    const char *ps = FT_Get_Postscript_Name(f->ft);
    f->postscript = xstrdup(ps ? ps : "");
    return f->family && f->postscript;
}

static gw_face *face_new(FT_Face ft, const char *path, const struct stat *st, int index)
{
    gw_face *f = calloc(1, sizeof *f);
    if (!f) {
        FT_Done_Face(ft);
        return NULL;
    }
    f->ft = ft;
    f->dev = st->st_dev;
    f->ino = st->st_ino;
    f->index = index;
    f->upem = ft->units_per_EM;
    f->path = xstrdup(path);
    f->adv = calloc(1, sizeof *f->adv);
    if (!f->path || !f->adv || !face_names(f)) {
        face_free(f);
        return NULL;
    }
    f->adv->with_vals = true;
    f->used.with_vals = true;
    f->cff = has_sfnt_table(ft, TTAG_CFF);
    FT_Bool cid_keyed = 0;
    f->cid_keyed = f->cff && FT_Get_CID_Is_Internally_CID_Keyed(ft, &cid_keyed) == 0 && cid_keyed;
    return f;
}

static gw_face *find_face(const gw_fontset *fs, const struct stat *st, int index)
{
    for (size_t i = 0; i < fs->nfaces; i++) {
        const gw_face *f = fs->faces[i];
        if (f->index == index && f->dev == st->st_dev && f->ino == st->st_ino)
            return fs->faces[i];
    }
    return NULL;
}

static bool add_face(gw_fontset *fs, gw_face *f)
{
    if (!gw_grow(&fs->faces, &fs->capfaces, fs->nfaces + 1, sizeof *fs->faces))
        return false;
    fs->faces[fs->nfaces++] = f;
    return true;
}

/* The face (path, index), loaded once per fontset: two paths naming the same
 * file (links, "a/../b") give the same face.  NULL with li filled when it
 * cannot serve. */
static gw_face *fontset_face(gw_fontset *fs, const char *path, int index, load_info *li)
{
    li->status = LOAD_OK;
    /* FreeType's open would block for ever on a FIFO: a regular file only,
     * checked on a descriptor that cannot block, whose identity keys the face. */
    struct stat st;
    int fd = gw_open_regular(path, &li->why);
    if (fd >= 0 && fstat(fd, &st) != 0) {
        li->why = strerror(errno);
        close(fd);
        fd = -1;
    }
    if (fd < 0) {
        li->status = LOAD_NOFILE;
        return NULL;
    }
    close(fd);
    gw_face *f = find_face(fs, &st, index);
    if (f)
        return f;
    FT_Face ft = open_ft_face(fs->ft, path, index, li);
    if (!ft)
        return NULL;
    f = face_new(ft, path, &st, index);
    if (f) {
        f->drop_hinting = fs->drop_hinting;
        f->ft_lock = &fs->ft_lock;
    }
    if (!f || !add_face(fs, f)) {
        face_free(f);
        li->status = LOAD_NOMEM;
        return NULL;
    }
    return f;
}

/* ------------------------------------------------------------------------ */
/* Chains                                                                   */

static bool chain_has(const chain *c, const gw_face *f)
{
    for (size_t i = 0; i < c->n; i++)
        if (c->v[i].face == f)
            return true;
    return false;
}

/* Append f unless already present; false when out of memory. */
static bool chain_add(chain *c, gw_face *f, gw_font_source src)
{
    if (chain_has(c, f))
        return true;
    if (!gw_grow(&c->v, &c->cap, c->n + 1, sizeof *c->v))
        return false;
    c->v[c->n].face = f;
    c->v[c->n].src = src;
    c->n++;
    return true;
}

static gw_face *chain_find(const chain *c, uint32_t cp)
{
    for (size_t i = 0; i < c->n; i++)
        if (FT_Get_Char_Index(c->v[i].face->ft, cp) != 0)
            return c->v[i].face;
    return NULL;
}

/* ------------------------------------------------------------------------ */
/* The fonts/ directory                                                     */

typedef struct dir_face {
    char *path;
    int index;
    namelist names;
    int weight;       /* OS/2 usWeightClass */
    bool italic;
    bool outlines;    /* TrueType or CFF outlines */
    bool warned;      /* a warning was given */
} dir_face;

typedef struct dir_scan {
    const char *dir;
    dir_face *v;
    size_t n, cap;
} dir_scan;

static void dir_scan_free(dir_scan *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->v[i].path);
        namelist_free(&s->v[i].names);
    }
    free(s->v);
    s->v = NULL;
    s->n = s->cap = 0;
}

static bool font_file_name(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot || dot == name)
        return false;
    return family_eq(dot, ".ttf") || family_eq(dot, ".ttc") || family_eq(dot, ".otf");
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names of the font files in dir (malloc'd); false on error. */
static bool list_font_files(const char *dir, namelist *out, gw_diag *d)
{
    DIR *dp = opendir(dir);
    if (!dp) {
        if (errno != ENOENT)
            gw_warn(d, dir, 0, 0, "cannot read the fonts directory: %s", strerror(errno));
        return true;
    }
    bool ok = true;
    struct dirent *e;
    while (ok && (e = readdir(dp)) != NULL) {
        if (!font_file_name(e->d_name))
            continue;
        size_t n = strlen(dir) + strlen(e->d_name) + 2;
        char *p = malloc(n);
        if (!p) {
            ok = false;
            break;
        }
        snprintf(p, n, "%s/%s", dir, e->d_name);
        ok = namelist_add(out, p);
    }
    closedir(dp);
    if (out->n > 1)
        qsort(out->v, out->n, sizeof *out->v, cmp_str);
    return ok;
}

static bool dir_push(dir_scan *s, dir_face *df)
{
    if (!gw_grow(&s->v, &s->cap, s->n + 1, sizeof *s->v))
        return false;
    s->v[s->n++] = *df;
    return true;
}

/* Describe face ft of path; false when out of memory. */
static bool dir_add_face(dir_scan *s, const char *path, int index, FT_Face ft)
{
    dir_face df = { 0 };
    df.index = index;
    df.path = xstrdup(path);
    char *english = NULL;
    bool ok = df.path && read_family_names(ft, &df.names, &english);
    free(english);
    TT_OS2 *os2 = FT_Get_Sfnt_Table(ft, FT_SFNT_OS2);
    df.weight = (os2 && os2->version != 0xFFFFu) ? os2->usWeightClass : 400;
    df.italic = (ft->style_flags & FT_STYLE_FLAG_ITALIC) != 0;
    df.outlines = embeddable_outlines(ft);
    if (ok && dir_push(s, &df))
        return true;
    free(df.path);
    namelist_free(&df.names);
    return false;
}

/* Every face of one file; unreadable files are reported and skipped. */
static bool dir_scan_file(dir_scan *s, FT_Library lib, const char *path, gw_diag *d)
{
    const char *why;
    int fd = gw_open_regular(path, &why);      /* a FIFO named *.ttf must not hang us */
    if (fd < 0) {
        gw_warn(d, path, 0, 0, "cannot read: %s; skipped", why);
        return true;
    }
    close(fd);
    FT_Face ft = NULL;
    if (FT_New_Face(lib, path, 0, &ft) != 0) {
        gw_warn(d, path, 0, 0, "not a font file FreeType can read; skipped");
        return true;
    }
    long nfaces = ft->num_faces;
    bool ok = dir_add_face(s, path, 0, ft);
    FT_Done_Face(ft);
    for (long i = 1; ok && i < nfaces && i <= 0xFFFF; i++) {
        if (FT_New_Face(lib, path, i, &ft) != 0) {
            gw_warn(d, path, 0, 0, "face %ld cannot be read; skipped", i);
            continue;
        }
        ok = dir_add_face(s, path, (int)i, ft);
        FT_Done_Face(ft);
    }
    return ok;
}

static bool dir_scan_run(dir_scan *s, FT_Library lib, const char *dir, gw_diag *d)
{
    namelist files = { 0 };
    s->dir = dir;
    bool ok = list_font_files(dir, &files, d);
    for (size_t i = 0; ok && i < files.n; i++)
        ok = dir_scan_file(s, lib, files.v[i], d);
    namelist_free(&files);
    return ok;
}

/* True when a is a better choice than b for a family: upright, then the
 * weight nearest the role's (`weight`, an OS/2 weight class). */
static bool dir_better(const dir_face *a, const dir_face *b, int weight)
{
    if (a->italic != b->italic)
        return !a->italic;
    int da = abs(a->weight - weight), db = abs(b->weight - weight);
    return da < db;
}

/* Faces of the directory whose family is `name`, best first: returns the best
 * embeddable one and warns once about each face without usable outlines. */
static dir_face *dir_best(dir_scan *s, const char *name, int weight, gw_diag *d)
{
    dir_face *best = NULL;
    for (size_t i = 0; i < s->n; i++) {
        dir_face *df = &s->v[i];
        if (!namelist_has(&df->names, name))
            continue;
        if (!df->outlines) {
            if (!df->warned)
                gw_warn(d, df->path, 0, 0,
                        "face %d (%s) has neither TrueType nor CFF outlines (CFF2 or bitmaps "
                        "only); skipped", df->index, name);
            df->warned = true;
            continue;
        }
        if (!best || dir_better(df, best, weight))
            best = df;
    }
    return best;
}

/* ------------------------------------------------------------------------ */
/* fontconfig                                                               */

typedef struct fc_cand {
    const char *file;
    int index, slant, weight, width;
    int want_weight;     /* the role's weight, on fontconfig's scale */
} fc_cand;

static int fc_cand_cmp(const void *pa, const void *pb)
{
    const fc_cand *a = pa, *b = pb;
    if ((a->slant != FC_SLANT_ROMAN) != (b->slant != FC_SLANT_ROMAN))
        return a->slant != FC_SLANT_ROMAN ? 1 : -1;
    int dw = abs(a->weight - a->want_weight) - abs(b->weight - b->want_weight);
    if (dw)
        return dw;
    int dx = abs(a->width - FC_WIDTH_NORMAL) - abs(b->width - FC_WIDTH_NORMAL);
    if (dx)
        return dx;
    int c = strcmp(a->file, b->file);
    return c ? c : a->index - b->index;
}

/* True when one of the pattern's family values is exactly `family`. */
static bool fc_has_family(FcPattern *p, const char *family)
{
    FcChar8 *s;
    for (int i = 0; FcPatternGetString(p, FC_FAMILY, i, &s) == FcResultMatch; i++)
        if (family_eq((const char *)s, family))
            return true;
    return false;
}

/* Candidates from a font list, sorted best first (malloc'd; *n set). */
static fc_cand *fc_candidates(FcFontSet *set, const char *family, int want_weight, size_t *n)
{
    *n = 0;
    fc_cand *v = malloc((size_t)(set->nfont > 0 ? set->nfont : 1) * sizeof *v);
    if (!v)
        return NULL;
    for (int i = 0; i < set->nfont; i++) {
        FcPattern *p = set->fonts[i];
        fc_cand c = { NULL, 0, FC_SLANT_ROMAN, FC_WEIGHT_REGULAR, FC_WIDTH_NORMAL, want_weight };
        FcChar8 *file;
        if (FcPatternGetString(p, FC_FILE, 0, &file) != FcResultMatch || !fc_has_family(p, family))
            continue;
        c.file = (const char *)file;
        FcPatternGetInteger(p, FC_INDEX, 0, &c.index);
        FcPatternGetInteger(p, FC_SLANT, 0, &c.slant);
        FcPatternGetInteger(p, FC_WEIGHT, 0, &c.weight);
        FcPatternGetInteger(p, FC_WIDTH, 0, &c.width);
        if (c.index < 0 || c.index > 0xFFFF)  /* named instances of variable fonts */
            continue;
        v[(*n)++] = c;
    }
    qsort(v, *n, sizeof *v, fc_cand_cmp);
    return v;
}

/* Every installed face, with the properties the roles are chosen by, listed
 * once per fontset: a role tries some ten family names, and a FcFontList per
 * name matched all the fonts each time (70 lists to open the fonts).  NULL
 * when fontconfig is not used or out of memory. */
static FcFontSet *fc_installed(gw_fontset *fs)
{
    if (fs->fc_all || !fs->fc)
        return fs->fc_all;
    FcPattern *pat = FcPatternCreate();
    FcObjectSet *os = FcObjectSetBuild(FC_FILE, FC_INDEX, FC_FAMILY, FC_SLANT, FC_WEIGHT,
                                       FC_WIDTH, (char *)NULL);
    if (pat && os)
        fs->fc_all = FcFontList(fs->fc, pat, os);
    if (os)
        FcObjectSetDestroy(os);
    if (pat)
        FcPatternDestroy(pat);
    return fs->fc_all;
}

/* The best installed TrueType face of `family` (exact family match), or NULL.
 * *oom is set when memory ran out. */
static gw_face *fc_best(gw_fontset *fs, const char *family, int weight, bool *oom)
{
    FcFontSet *set = fc_installed(fs);
    gw_face *found = NULL;
    if (!set && fs->fc)
        *oom = true;
    if (set) {
        size_t n;
        fc_cand *cands = fc_candidates(set, family, FcWeightFromOpenType(weight), &n);
        if (!cands)
            *oom = true;
        for (size_t i = 0; cands && i < n && !found; i++) {
            load_info li = { LOAD_OK, 0, 0 };
            found = fontset_face(fs, cands[i].file, cands[i].index, &li);
            if (li.status == LOAD_NOMEM)
                *oom = true;
        }
        free(cands);
    }
    return found;
}

/* ------------------------------------------------------------------------ */
/* Resolution                                                               */

typedef struct open_ctx {
    gw_fontset *fs;
    const gw_font_options *opt;
    gw_diag *d;
    dir_scan dir;
    bool failed;  /* an error was reported */
} open_ctx;

static void report_oom(open_ctx *c)
{
    if (!c->failed)
        gw_error(c->d, NULL, 0, 0, "out of memory while loading fonts");
    c->failed = true;
}

static void report_load_error(open_ctx *c, gw_role role, const char *path, int index,
                              const load_info *li)
{
    const char *r = ROLE_NAME[role];
    switch (li->status) {
    case LOAD_NOFILE:
        gw_error(c->d, path, 0, 0, "cannot read font file given with --font %s: %s", r, li->why);
        break;
    case LOAD_NOTFONT:
        gw_error(c->d, path, 0, 0, "not a TrueType/OpenType font FreeType can read (--font %s)", r);
        break;
    case LOAD_NOINDEX:
        gw_error(c->d, path, 0, 0, "the font collection has %ld faces; there is no face %d (--font %s)",
                 li->nfaces, index, r);
        break;
    case LOAD_NOGLYF:
        gw_error(c->d, path, 0, 0,
                 "face %d has neither TrueType (glyf) nor CFF outlines (a variable CFF2 or "
                 "bitmap-only font cannot be embedded); use a static build (--font %s)", index, r);
        break;
    case LOAD_NOCMAP:
        gw_error(c->d, path, 0, 0, "face %d has no Unicode character map (--font %s)", index, r);
        break;
    case LOAD_NOMEM:
        report_oom(c);
        return;
    case LOAD_OK:
        return;
    }
    c->failed = true;
}

/* Split "PATH[:INDEX]" in place. */
static void split_path_index(char *item, int *index)
{
    *index = 0;
    char *colon = strrchr(item, ':');
    if (!colon || colon == item || colon[1] == '\0')
        return;
    long v = 0;
    for (const char *p = colon + 1; *p; p++) {
        if (*p < '0' || *p > '9' || v > 0xFFFF)
            return;
        v = v * 10 + (*p - '0');
    }
    if (v > 0xFFFF)
        return;
    *colon = '\0';
    *index = (int)v;
}

static void add_one_option(open_ctx *c, gw_role role, char *item)
{
    int index;
    split_path_index(item, &index);
    if (*item == '\0') {
        gw_error(c->d, NULL, 0, 0, "--font %s=%s: empty font path", ROLE_NAME[role],
                 c->opt->role_paths[role]);
        c->failed = true;
        return;
    }
    load_info li = { LOAD_OK, 0, 0 };
    gw_face *f = fontset_face(c->fs, item, index, &li);
    if (!f)
        report_load_error(c, role, item, index, &li);
    else if (!chain_add(&c->fs->chains[role], f, GW_SRC_OPTION))
        report_oom(c);
}

/* --font ROLE=PATH[:INDEX][,PATH[:INDEX]…] */
static void add_option_faces(open_ctx *c, gw_role role)
{
    const char *spec = c->opt->role_paths[role];
    if (!spec)
        return;
    char *copy = xstrdup(spec);
    if (!copy) {
        report_oom(c);
        return;
    }
    char *item = copy;
    for (;;) {
        char *comma = strchr(item, ',');
        if (comma)
            *comma = '\0';
        add_one_option(c, role, item);
        if (!comma)
            break;
        item = comma + 1;
    }
    free(copy);
}

/* The best face of the fonts/ directory named `name`, added to the chain. */
static void add_dir_name(open_ctx *c, gw_role role, const char *name, gw_font_source src)
{
    dir_face *df = dir_best(&c->dir, name, ROLE_SPEC[role].weight, c->d);
    if (!df)
        return;
    load_info li = { LOAD_OK, 0, 0 };
    gw_face *f = fontset_face(c->fs, df->path, df->index, &li);
    if (f) {
        if (!chain_add(&c->fs->chains[role], f, src))
            report_oom(c);
    } else if (li.status == LOAD_NOMEM) {
        report_oom(c);
    } else {
        gw_warn(c->d, df->path, 0, 0, "face %d (%s) cannot be used; skipped", df->index, name);
    }
}

static void add_fc_name(open_ctx *c, gw_role role, const char *name, gw_font_source src)
{
    if (!c->fs->fc)
        return;
    bool oom = false;
    gw_face *f = fc_best(c->fs, name, ROLE_SPEC[role].weight, &oom);
    if (oom)
        report_oom(c);
    if (f && !chain_add(&c->fs->chains[role], f, src))
        report_oom(c);
}

static void resolve_role(open_ctx *c, gw_role role)
{
    const role_spec *sp = &ROLE_SPEC[role];
    add_option_faces(c, role);
    for (const char *const *n = sp->design; *n; n++)
        add_dir_name(c, role, *n, GW_SRC_FONTS_DIR);
    for (const char *const *n = sp->design; *n; n++)
        add_fc_name(c, role, *n, GW_SRC_SYSTEM);
    for (const char *const *n = sp->standin; *n; n++) {
        add_dir_name(c, role, *n, GW_SRC_FALLBACK);
        add_fc_name(c, role, *n, GW_SRC_FALLBACK);
    }
    for (const char *const *n = sp->extra; *n; n++) {
        add_dir_name(c, role, *n, GW_SRC_FALLBACK);
        add_fc_name(c, role, *n, GW_SRC_FALLBACK);
    }
}

/* One error for a role without faces.  A role drawn by a stand-in is not
 * reported here (see gw_fonts_report_standins): at start-up its warning would
 * come before, and bury, the document's own messages. */
static void report_role(open_ctx *c, gw_role role)
{
    const chain *ch = &c->fs->chains[role];
    const char *r = ROLE_NAME[role], *design = ROLE_DESIGN[role];
    if (ch->n == 0) {
        if (c->opt->explicit_only)
            gw_error(c->d, NULL, 0, 0, "font role %s (%s): no face given; use --font %s=PATH", r,
                     design, r);
        else
            gw_error(c->d, NULL, 0, 0, "font role %s (%s): no face found; install %s or use --font %s=PATH",
                     r, design, ROLE_SPEC[role].package, r);
        c->failed = true;
        return;
    }
}

int gw_fonts_standins(const gw_fontset *fs)
{
    int n = 0;
    for (int r = 0; fs && r < GW_ROLE_COUNT; r++)
        n += fs->chains[r].n > 0 && fs->chains[r].v[0].src == GW_SRC_FALLBACK;
    return n;
}

void gw_fonts_report_standins(const gw_fontset *fs, gw_diag *d)
{
    for (int r = 0; fs && r < GW_ROLE_COUNT; r++) {
        const chain *ch = &fs->chains[r];
        if (ch->n == 0 || ch->v[0].src != GW_SRC_FALLBACK)
            continue;
        const char *design = ROLE_DESIGN[r];
        char where[4200];
        face_where(ch->v[0].face, where, sizeof where);
        gw_warn(d, NULL, 0, 0, "font role %s (%s): no %s face found; using %s (%s)%s",
                ROLE_NAME[r], design, design, ch->v[0].face->family, where,
                gw_fonts_synthetic_bold(fs, (gw_role)r) ? " with synthetic bold" : "");
    }
}

/* The installed fonts as Debian's fontconfig lists them: the directories and
 * caches /etc/fonts/fonts.conf names, and the administrator's local.conf, but
 * not the 38 rule files of conf.d (aliases, hinting and rendering rules):
 * gwpdf matches family names exactly and renders nothing, and parsing those
 * rules was half of start-up (docs/performance.md).  NULL when fontconfig
 * cannot be set up. */
static FcConfig *load_fontconfig(void)
{
    static const char config[] =
        "<?xml version=\"1.0\"?><fontconfig>"
        "<dir>/usr/share/fonts</dir><dir>/usr/local/share/fonts</dir>"
        "<dir prefix=\"xdg\">fonts</dir><dir>~/.fonts</dir>"
        "<include ignore_missing=\"yes\">/etc/fonts/local.conf</include>"
        "<cachedir>/var/cache/fontconfig</cachedir><cachedir prefix=\"xdg\">fontconfig</cachedir>"
        "<cachedir>~/.fontconfig</cachedir></fontconfig>";
    FcConfig *fc = FcConfigCreate();
    if (fc && FcConfigParseAndLoadFromMemory(fc, (const FcChar8 *)config, FcTrue) &&
        FcConfigBuildFonts(fc))
        return fc;
    if (fc)
        FcConfigDestroy(fc);
    return NULL;
}

/* "仿宋, 小标宋 and Times New Roman": each design a stand-in draws, once. */
static void standin_designs(const gw_fontset *fs, char *buf, size_t size)
{
    const char *seen[GW_ROLE_COUNT];
    size_t n = 0;
    for (int r = 0; r < GW_ROLE_COUNT; r++) {
        const chain *ch = &fs->chains[r];
        bool dup = false;
        for (size_t k = 0; k < n; k++)
            dup |= strcmp(seen[k], ROLE_DESIGN[r]) == 0;
        if (ch->n > 0 && ch->v[0].src == GW_SRC_FALLBACK && !dup)
            seen[n++] = ROLE_DESIGN[r];
    }
    size_t at = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < n && at < size; k++) {
        const char *sep = k == 0 ? "" : k + 1 == n ? " and " : ", ";
        int w = snprintf(buf + at, size - at, "%s%s", sep, seen[k]);
        at += w > 0 ? (size_t)w : 0;
    }
}

void gw_fonts_report_standin_summary(const gw_fontset *fs, gw_diag *d)
{
    int n = gw_fonts_standins(fs);
    if (n == 0)
        return;
    char designs[256];
    standin_designs(fs, designs, sizeof designs);
    gw_warn(d, NULL, 0, 0, "%d font role%s drawn by stand-in faces, not by %s: `gwpdf fonts` "
            "(or --verbose) shows which", n, n == 1 ? " is" : "s are", designs);
}

static gw_fontset *fontset_new(const gw_font_options *opt, gw_diag *d)
{
    gw_fontset *fs = calloc(1, sizeof *fs);
    if (fs && (fs->face_cache = calloc(GW_ROLE_COUNT, sizeof *fs->face_cache)) != NULL)
        for (int r = 0; r < GW_ROLE_COUNT; r++)
            fs->face_cache[r].with_vals = true;
    if (!fs) {
        gw_error(d, NULL, 0, 0, "out of memory while loading fonts");
        return NULL;
    }
    fs->drop_hinting = opt->drop_hinting;
    if (FT_Init_FreeType(&fs->ft) != 0) {
        gw_error(d, NULL, 0, 0, "cannot initialise FreeType");
        free(fs);
        return NULL;
    }
    pthread_mutex_init(&fs->ft_lock, NULL);
    if (!opt->explicit_only) {
        fs->fc = load_fontconfig();
        if (!fs->fc)
            gw_warn(d, NULL, 0, 0, "fontconfig could not be initialised; installed fonts are not searched");
    }
    return fs;
}

gw_fontset *gw_fonts_open(const gw_font_options *opt, gw_diag *diag)
{
    gw_diag local;
    if (!diag) {
        local = gw_diag_init(NULL);
        diag = &local;
    }
    gw_font_options none = { .explicit_only = false };
    if (!opt)
        opt = &none;
    open_ctx c = { fontset_new(opt, diag), opt, diag, { 0 }, false };
    if (!c.fs)
        return NULL;
    if (opt->fonts_dir && !dir_scan_run(&c.dir, c.fs->ft, opt->fonts_dir, diag))
        report_oom(&c);
    for (int r = 0; r < GW_ROLE_COUNT; r++)  /* every --font error is reported */
        resolve_role(&c, (gw_role)r);
    for (int r = 0; r < GW_ROLE_COUNT && !c.failed; r++)
        report_role(&c, (gw_role)r);
    dir_scan_free(&c.dir);
    if (c.failed) {
        gw_fonts_close(c.fs);
        return NULL;
    }
    return c.fs;
}

void gw_fonts_close(gw_fontset *fs)
{
    if (!fs)
        return;
    for (int r = 0; r < GW_ROLE_COUNT; r++) {
        free(fs->chains[r].v);
        if (fs->face_cache)
            cpmap_free(&fs->face_cache[r]);
    }
    free(fs->face_cache);
    for (size_t i = 0; i < fs->nfaces; i++)
        face_free(fs->faces[i]);
    free(fs->faces);
    if (fs->fc_all)
        FcFontSetDestroy(fs->fc_all);
    if (fs->fc)
        FcConfigDestroy(fs->fc);
    FT_Done_FreeType(fs->ft);
    pthread_mutex_destroy(&fs->ft_lock);
    free(fs);
}

/* ------------------------------------------------------------------------ */
/* Roles                                                                    */

const char *gw_role_name(gw_role role)
{
    return (unsigned)role < GW_ROLE_COUNT ? ROLE_NAME[role] : "?";
}

bool gw_role_parse(const char *name, gw_role *role)
{
    if (!name)
        return false;
    for (int r = 0; r < GW_ROLE_COUNT; r++) {
        if (strcmp(name, ROLE_NAME[r]) == 0) {
            if (role)
                *role = (gw_role)r;
            return true;
        }
    }
    return false;
}

const char *gw_role_design(gw_role role)
{
    return (unsigned)role < GW_ROLE_COUNT ? ROLE_DESIGN[role] : "?";
}

/* ------------------------------------------------------------------------ */
/* Chain queries                                                            */

static const chain *role_chain(const gw_fontset *fs, gw_role role)
{
    return (fs && (unsigned)role < GW_ROLE_COUNT) ? &fs->chains[role] : NULL;
}

size_t gw_fonts_chain_len(const gw_fontset *fs, gw_role role)
{
    const chain *c = role_chain(fs, role);
    return c ? c->n : 0;
}

gw_face *gw_fonts_chain_face(const gw_fontset *fs, gw_role role, size_t i)
{
    const chain *c = role_chain(fs, role);
    return (c && i < c->n) ? c->v[i].face : NULL;
}

gw_font_source gw_fonts_role_source(const gw_fontset *fs, gw_role role)
{
    const chain *c = role_chain(fs, role);
    return (c && c->n) ? c->v[0].src : GW_SRC_FALLBACK;
}

bool gw_fonts_synthetic_bold(const gw_fontset *fs, gw_role role)
{
    const chain *c = role_chain(fs, role);
    if (role != GW_ROLE_TITLE || !c || !c->n || c->v[0].src != GW_SRC_FALLBACK)
        return false;
    /* A stand-in with a real bold design (Noto Serif CJK SC Bold) needs none. */
    TT_OS2 *os2 = FT_Get_Sfnt_Table(c->v[0].face->ft, FT_SFNT_OS2);
    bool bold = (c->v[0].face->ft->style_flags & FT_STYLE_FLAG_BOLD) ||
                (os2 && os2->usWeightClass >= 600);
    return !bold;
}

bool gw_face_is_bold(const gw_face *f)
{
    if (!f)
        return false;
    TT_OS2 *os2 = FT_Get_Sfnt_Table(f->ft, FT_SFNT_OS2);
    return (f->ft->style_flags & FT_STYLE_FLAG_BOLD) || (os2 && os2->usWeightClass >= 600);
}

/* The bold face of f's family among the installed faces (fontconfig), looked
 * for once per face; NULL when there is none. */
gw_face *gw_fonts_bold_face(gw_fontset *fs, gw_face *f)
{
    if (!f || gw_face_is_bold(f))
        return f;
    if (f->bold_looked || !fs->fc)
        return f->bold;
    f->bold_looked = true;
    FcFontSet *set = fc_installed(fs);
    size_t n = 0;
    fc_cand *cands = set ? fc_candidates(set, f->family, FC_WEIGHT_BOLD, &n) : NULL;
    for (size_t i = 0; cands && i < n && !f->bold; i++) {
        if (cands[i].weight < FC_WEIGHT_DEMIBOLD || cands[i].slant != FC_SLANT_ROMAN)
            continue;
        load_info li = { LOAD_OK, 0, 0 };
        gw_face *b = fontset_face(fs, cands[i].file, cands[i].index, &li);
        if (b && b != f && gw_face_is_bold(b))
            f->bold = b;
    }
    free(cands);
    return f->bold;
}

/* Printable ASCII and Latin-1/Latin Extended-A/B, except U+00B7: in Chinese
 * text it is the 间隔号 (interpunct), which belongs to the CJK face. */
static bool latin_range(uint32_t cp)
{
    if (cp == 0x00B7)
        return false;
    return (cp >= 0x21 && cp <= 0x7E) || (cp >= 0xA0 && cp <= 0x24F);
}

static gw_face *find_face_for(const gw_fontset *fs, gw_role role, const chain *c, uint32_t cp)
{
    bool latinish = role != GW_ROLE_LATIN && (cp == 0x20 || latin_range(cp));
    const chain *latin = &fs->chains[GW_ROLE_LATIN];
    gw_face *f = NULL;
    if (latinish && ROLE_SPEC[role].latin_first)
        f = chain_find(latin, cp);
    if (!f)
        f = chain_find(c, cp);
    if (!f && latinish && !ROLE_SPEC[role].latin_first)
        f = chain_find(latin, cp);
    return f;
}

gw_face *gw_fonts_face_for(const gw_fontset *fs, gw_role role, uint32_t cp)
{
    const chain *c = role_chain(fs, role);
    if (!c || cp == CP_EMPTY)
        return NULL;
    cpmap *cache = fs->face_cache ? &fs->face_cache[role] : NULL;
    int slot = 0;
    if (cache && cpmap_get(cache, cp, &slot))
        return slot > 0 ? fs->faces[slot - 1] : NULL;
    gw_face *f = find_face_for(fs, role, c, cp);
    for (size_t i = 0; f && i < fs->nfaces && slot == 0; i++)
        if (fs->faces[i] == f)
            slot = (int)i + 1;
    if (cache)
        (void)cpmap_put(cache, cp, slot);   /* a full cache only costs time */
    return f;
}

size_t gw_fonts_face_count(const gw_fontset *fs)
{
    return fs ? fs->nfaces : 0;
}

gw_face *gw_fonts_face_at(const gw_fontset *fs, size_t i)
{
    return (fs && i < fs->nfaces) ? fs->faces[i] : NULL;
}

/* ------------------------------------------------------------------------ */
/* Face queries                                                             */

const char *gw_face_path(const gw_face *f)
{
    return f ? f->path : "";
}

int gw_face_index(const gw_face *f)
{
    return f ? f->index : 0;
}

const char *gw_face_family(const gw_face *f)
{
    return f ? f->family : "";
}

const char *gw_face_postscript(const gw_face *f)
{
    return f ? f->postscript : "";
}

bool gw_face_has(const gw_face *f, uint32_t cp)
{
    return f && FT_Get_Char_Index(f->ft, cp) != 0;
}

int gw_face_advance(const gw_face *f, uint32_t cp)
{
    if (!f || cp == CP_EMPTY)
        return 0;
    int adv = 0;
    if (cpmap_get(f->adv, cp, &adv))
        return adv;
    FT_UInt g = FT_Get_Char_Index(f->ft, cp);
    FT_Fixed units = 0;
    adv = 0;
    if (g != 0 && FT_Get_Advance(f->ft, g, FT_LOAD_NO_SCALE, &units) == 0)
        adv = to_milli((long)units, f->upem);
    (void)cpmap_put(f->adv, cp, adv);  /* a full cache only costs time */
    return adv;
}

bool gw_face_glyph_box(const gw_face *f, uint32_t cp, int *xmin, int *ymin, int *xmax, int *ymax)
{
    FT_UInt g = f ? FT_Get_Char_Index(f->ft, cp) : 0;
    if (g == 0 || FT_Load_Glyph(f->ft, g, FT_LOAD_NO_SCALE) != 0)
        return false;
    FT_GlyphSlot s = f->ft->glyph;
    FT_BBox bb = { 0, 0, 0, 0 };
    if (s->format == FT_GLYPH_FORMAT_OUTLINE && s->outline.n_points > 0 &&
        FT_Outline_Get_BBox(&s->outline, &bb) != 0)
        return false;
    if (xmin)
        *xmin = to_milli(bb.xMin, f->upem);
    if (ymin)
        *ymin = to_milli(bb.yMin, f->upem);
    if (xmax)
        *xmax = to_milli(bb.xMax, f->upem);
    if (ymax)
        *ymax = to_milli(bb.yMax, f->upem);
    return true;
}

/* A new character's code: TrueType faces number characters in order of first
 * use (1, 2, …; the CIDFont's CIDToGIDMap sends each to its subset glyph), so
 * two characters sharing a glyph still get codes of their own.  A CFF CIDFont
 * has no CIDToGIDMap: the code is what the subset's charset keeps, the CID of a
 * CID-keyed font or the glyph id of a name-keyed one (subset with its glyph ids
 * retained); the n-th character drawing an already used code is variant n. */
static bool new_code(gw_face *f, FT_UInt gid, int *val)
{
    if (!f->cff) {
        if (f->used.n >= 0xFFFE)
            return false;
        *val = (int)f->used.n + 1;
        return true;
    }
    FT_UInt code = gid;
    if (f->cid_keyed && FT_Get_CID_From_Glyph_Index(f->ft, gid, &code) != 0)
        return false;
    if (code > 0xFFFF || (!f->sharers && !(f->sharers = calloc(65536, 1))))
        return false;
    unsigned variant = f->sharers[code];
    if (variant == 255)
        return false;          /* 255 characters on one glyph: give up on exactness */
    f->sharers[code]++;
    *val = (int)(code | variant << 16);
    return true;
}

/* cp's code | variant << 16 in *val, given the first time cp is met.  1; 0 when
 * the face lacks cp; -1 when it cannot be recorded (out of memory, or 65 535
 * codes). */
static int record(gw_face *f, uint32_t cp, int *val)
{
    if (!f || cp > 0x10FFFF)
        return 0;
    /* Called for every glyph set: the common case is a character seen before. */
    if (cpmap_get(&f->used, cp, val))
        return 1;
    FT_UInt gid = FT_Get_Char_Index(f->ft, cp);
    if (gid == 0)
        return 0;
    if (!new_code(f, gid, val))
        return -1;
    if (!cpmap_put(&f->used, cp, *val)) {
        if (f->cff)
            f->sharers[*val & 0xFFFF]--;
        return -1;
    }
    return 1;
}

bool gw_face_code(gw_face *f, uint32_t cp, uint16_t *code, unsigned *variant)
{
    int val = 0;
    if (record(f, cp, &val) != 1)
        return false;
    *code = (uint16_t)(val & 0xFFFF);
    *variant = (unsigned)val >> 16;
    return true;
}

void gw_face_use(gw_face *f, uint32_t cp)
{
    int val = 0;
    if (record(f, cp, &val) < 0)
        f->used_failed = true;
}

void gw_fonts_clear_used(gw_fontset *fs)
{
    for (size_t i = 0; i < gw_fonts_face_count(fs); i++) {
        gw_face *f = gw_fonts_face_at(fs, i);
        for (size_t k = 0; k < f->used.cap; k++)
            f->used.keys[k] = CP_EMPTY;
        f->used.n = 0;
        f->used_failed = false;
        if (f->sharers)
            memset(f->sharers, 0, 65536);
    }
}

size_t gw_face_used_count(const gw_face *f)
{
    return f ? f->used.n : 0;
}

/* ------------------------------------------------------------------------ */
/* Subsetting                                                               */

/* The subset plan: the used code points; no layout tables (the PDF draws
 * glyphs the layout already chose, and GSUB closure would pull in glyphs no
 * page uses); hinting kept (dropping it changes some rasterisers' output). */
static hb_subset_input_t *subset_input(const gw_face *f)
{
    hb_subset_input_t *in = hb_subset_input_create_or_fail();
    if (!in)
        return NULL;
    hb_set_t *u = hb_subset_input_unicode_set(in);
    for (size_t i = 0; i < f->used.cap; i++)
        if (f->used.keys[i] != CP_EMPTY)
            hb_set_add(u, f->used.keys[i]);
    static const char *const drop[] = {
        "GSUB", "GPOS", "GDEF", "BASE", "JSTF", "vhea", "vmtx", "VORG", "kern", "morx",
    };
    /* A name-keyed CFF's codes are its glyph ids (see new_code): keep them. */
    unsigned flags = f->drop_hinting ? HB_SUBSET_FLAGS_NO_HINTING : 0;
    if (f->cff && !f->cid_keyed)
        flags |= HB_SUBSET_FLAGS_RETAIN_GIDS;
    hb_subset_input_set_flags(in, flags);
    hb_set_t *tables = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
    for (size_t i = 0; i < sizeof drop / sizeof drop[0]; i++)
        hb_set_add(tables, hb_tag_from_string(drop[i], 4));
    if (!hb_set_allocation_successful(u) || !hb_set_allocation_successful(tables)) {
        hb_subset_input_destroy(in);
        return NULL;
    }
    return in;
}

/* A malloc'd copy of a blob's bytes; false when empty or out of memory. */
static bool blob_copy(hb_blob_t *blob, unsigned char **data, size_t *len)
{
    unsigned int n = 0;
    const char *bytes = hb_blob_get_data(blob, &n);
    if (!bytes || n == 0)
        return false;
    *data = malloc(n);
    if (!*data)
        return false;
    memcpy(*data, bytes, n);
    *len = n;
    return true;
}

/* The TrueType font a PDF embeds: the subset without the tables a CIDFontType2
 * never reads (cmap: codes reach glyphs through CIDToGIDMap; name and post:
 * names), serialised by HarfBuzz's face builder.  Empty blob on failure. */
static hb_blob_t *embedded_truetype(hb_blob_t *subset_font)
{
    /* Tables are listed from a parsed face: a builder face (what hb-subset
     * returns) cannot list its tags in HarfBuzz 6. */
    hb_face_t *sub = hb_face_create(subset_font, 0);
    static const hb_tag_t unread[] = {
        HB_TAG('c', 'm', 'a', 'p'), HB_TAG('n', 'a', 'm', 'e'), HB_TAG('p', 'o', 's', 't'),
    };
    hb_face_t *builder = hb_face_builder_create();
    hb_tag_t tags[64];
    unsigned int n = 64, start = 0;
    do {
        n = 64;
        hb_face_get_table_tags(sub, start, &n, tags);
        for (unsigned int i = 0; i < n; i++) {
            bool keep = true;
            for (size_t k = 0; k < sizeof unread / sizeof unread[0]; k++)
                keep = keep && tags[i] != unread[k];
            hb_blob_t *table = keep ? hb_face_reference_table(sub, tags[i]) : NULL;
            if (table && !hb_face_builder_add_table(builder, tags[i], table))
                keep = false;
            hb_blob_destroy(table);
        }
        start += n;
    } while (n == 64);
    hb_blob_t *blob = hb_face_reference_blob(builder);
    hb_face_destroy(builder);
    hb_face_destroy(sub);
    return blob;
}

void gw_font_program_free(gw_font_program *p)
{
    if (!p)
        return;
    free(p->data);
    free(p->chars);
    free(p->codes);
    free(p->variants);
    free(p->widths);
    free(p->cid_set);
    free(p->cid_to_gid);
    free(p->base_name);
    memset(p, 0, sizeof *p);
}

/* The used characters in ascending order, with the codes gw_face_code gave them. */
typedef struct char_code {
    uint32_t cp;
    int val;
} char_code;

static int cmp_char_code(const void *a, const void *b)
{
    uint32_t x = ((const char_code *)a)->cp, y = ((const char_code *)b)->cp;
    return (x > y) - (x < y);
}

static bool program_chars(const gw_face *f, gw_font_program *p)
{
    size_t n = f->used.n;
    char_code *v = malloc((n ? n : 1) * sizeof *v);
    p->chars = malloc((n ? n : 1) * sizeof *p->chars);
    p->codes = calloc(n ? n : 1, sizeof *p->codes);
    p->variants = calloc(n ? n : 1, sizeof *p->variants);
    p->widths = calloc(n ? n : 1, sizeof *p->widths);
    if (!v || !p->chars || !p->codes || !p->variants || !p->widths) {
        free(v);
        return false;
    }
    size_t k = 0;
    for (size_t i = 0; i < f->used.cap; i++)
        if (f->used.keys[i] != CP_EMPTY)
            v[k++] = (char_code){ f->used.keys[i], f->used.vals[i] };
    qsort(v, k, sizeof *v, cmp_char_code);
    p->n_variants = 1;
    for (size_t i = 0; i < k; i++) {
        p->chars[i] = v[i].cp;
        p->codes[i] = (uint16_t)(v[i].val & 0xFFFF);
        p->variants[i] = (uint8_t)(v[i].val >> 16);
        if (p->variants[i] + 1u > p->n_variants)
            p->n_variants = p->variants[i] + 1u;
    }
    p->n_chars = k;
    free(v);
    return true;
}

static void cid_set_mark(gw_font_program *p, unsigned code)
{
    p->cid_set[code / 8] |= (uint8_t)(0x80u >> (code % 8));
}

/* TrueType: the CIDToGIDMap (each code's glyph in the subset, read back with
 * FreeType, since hb-subset renumbers glyphs and its map is not public in
 * HarfBuzz 6) and the CIDSet (every code up to the last maps to a glyph). */
static bool truetype_codes(FT_Face sub, gw_font_program *p, uint32_t *lost)
{
    unsigned max_code = 0;
    for (size_t i = 0; i < p->n_chars; i++)
        if (p->codes[i] > max_code)
            max_code = p->codes[i];
    p->n_cid_to_gid = (size_t)max_code + 1;
    p->cid_to_gid = calloc(p->n_cid_to_gid, sizeof *p->cid_to_gid);
    p->cid_set_len = max_code / 8 + 1;
    p->cid_set = calloc(p->cid_set_len, 1);
    if (!p->cid_to_gid || !p->cid_set)
        return false;
    cid_set_mark(p, 0);                      /* .notdef */
    for (size_t i = 0; i < p->n_chars; i++) {
        FT_UInt gid = FT_Get_Char_Index(sub, p->chars[i]);
        if (gid == 0 || gid > 0xFFFF) {
            *lost = p->chars[i];
            return false;
        }
        p->cid_to_gid[p->codes[i]] = (uint16_t)gid;
        cid_set_mark(p, p->codes[i]);
    }
    return true;
}

/* The code a CFF CIDFont reaches glyph `gid` of the subset by: its CID in a
 * CID-keyed font (hb-subset keeps the charset's CIDs), else the glyph id. */
static bool cff_code(FT_Face sub, const gw_font_program *p, FT_UInt gid, FT_UInt *code)
{
    *code = gid;
    if (p->cid_keyed)
        return FT_Get_CID_From_Glyph_Index(sub, gid, code) == 0;
    return true;
}

/* CFF: check that every character's code still reaches its glyph in the
 * subset, and mark the codes present in the CIDSet. */
static bool cff_codes(FT_Face sub, gw_font_program *p, uint32_t *lost)
{
    FT_UInt max_code = 0;
    for (FT_Long g = 0; g < sub->num_glyphs; g++) {
        FT_UInt code;
        if (cff_code(sub, p, (FT_UInt)g, &code) && code > max_code)
            max_code = code;
    }
    if (max_code > 0xFFFF)
        return false;
    p->cid_set_len = max_code / 8 + 1;
    p->cid_set = calloc(p->cid_set_len, 1);
    if (!p->cid_set)
        return false;
    for (FT_Long g = 0; g < sub->num_glyphs; g++) {
        FT_UInt code;
        if (cff_code(sub, p, (FT_UInt)g, &code))
            cid_set_mark(p, code);
    }
    for (size_t i = 0; i < p->n_chars; i++) {
        FT_UInt gid = FT_Get_Char_Index(sub, p->chars[i]), code = 0;
        if (gid == 0 || !cff_code(sub, p, gid, &code) || code != p->codes[i]) {
            *lost = p->chars[i];
            return false;
        }
    }
    return true;
}

/* A PDF name for the font: the PostScript name, else the family without spaces;
 * only characters a PDF name can hold unescaped. */
static char *program_base_name(const gw_face *f)
{
    const char *src = (f->postscript && *f->postscript) ? f->postscript : f->family;
    char *name = xstrdup(src ? src : "Font");
    if (!name)
        return NULL;
    size_t k = 0;
    for (const char *s = name; *s; s++)
        if ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
            *s == '-' || *s == '_')
            name[k++] = *s;
    name[k] = '\0';
    if (k == 0) {
        free(name);
        name = xstrdup("Font");
    }
    return name;
}

/* FontDescriptor values from the full face, in 1/1000 em. */
static void program_metrics(const gw_face *f, gw_font_program *p)
{
    FT_Face ft = f->ft;
    TT_OS2 *os2 = FT_Get_Sfnt_Table(ft, FT_SFNT_OS2);
    TT_Postscript *post = FT_Get_Sfnt_Table(ft, FT_SFNT_POST);
    p->ascent = to_milli(ft->ascender, f->upem);
    p->descent = to_milli(ft->descender, f->upem);
    p->cap_height = p->ascent;
    if (os2 && os2->version >= 2 && os2->sCapHeight > 0)
        p->cap_height = to_milli(os2->sCapHeight, f->upem);
    p->bbox[0] = to_milli(ft->bbox.xMin, f->upem);
    p->bbox[1] = to_milli(ft->bbox.yMin, f->upem);
    p->bbox[2] = to_milli(ft->bbox.xMax, f->upem);
    p->bbox[3] = to_milli(ft->bbox.yMax, f->upem);
    p->italic_angle = post ? (int)(post->italicAngle / 65536) : 0;
    /* No table records the vertical stem width; estimate it from the weight
     * class as common PDF producers do (viewers use it only for substitution). */
    int weight = os2 ? os2->usWeightClass : 400;
    p->stem_v = 10 + 220 * (weight > 50 ? weight - 50 : 0) / 900;
    p->fixed_pitch = FT_IS_FIXED_WIDTH(ft);
}

/* f subset to the code points recorded (subset_input), as a HarfBuzz face the
 * caller destroys; NULL after reporting at `where`. */
static hb_face_t *subset_face(const gw_face *f, const char *where, gw_diag *diag)
{
    if (f->used_failed) {
        gw_error(diag, where, 0, 0, "cannot record every character used (out of memory?)");
        return NULL;
    }
    hb_blob_t *blob = hb_blob_create_from_file_or_fail(f->path);
    if (!blob) {
        gw_error(diag, where, 0, 0, "cannot read the font file to subset it");
        return NULL;
    }
    hb_face_t *face = hb_face_create(blob, (unsigned int)f->index);
    hb_blob_destroy(blob);
    hb_subset_input_t *in = subset_input(f);
    hb_face_t *sub = in ? hb_subset_or_fail(face, in) : NULL;
    if (!in)
        gw_error(diag, where, 0, 0, "out of memory while preparing the font subset");
    else if (!sub)
        gw_error(diag, where, 0, 0, "HarfBuzz could not subset face %d (%s)", f->index, f->family);
    if (in)
        hb_subset_input_destroy(in);
    hb_face_destroy(face);
    return sub;
}

/* The subset read back with FreeType, in the face's own library: faces of one
 * library are made and freed under the fontset's lock (gw_face_program may
 * run for several faces at once). */
static bool open_subset_face(const gw_face *f, const char *bytes, unsigned int len, FT_Face *out)
{
    pthread_mutex_lock(f->ft_lock);
    bool ok = FT_New_Memory_Face(f->ft->glyph->library, (const FT_Byte *)bytes, (FT_Long)len, 0,
                                 out) == 0;
    pthread_mutex_unlock(f->ft_lock);
    if (!ok)
        *out = NULL;
    return ok;
}

static void close_subset_face(const gw_face *f, FT_Face sft)
{
    if (!sft)
        return;
    pthread_mutex_lock(f->ft_lock);
    FT_Done_Face(sft);
    pthread_mutex_unlock(f->ft_lock);
}

int gw_face_program(const gw_face *f, gw_font_program *p, gw_diag *diag)
{
    gw_diag local;
    if (!diag) {
        local = gw_diag_init(NULL);
        diag = &local;
    }
    if (!f || !p)
        return -1;
    memset(p, 0, sizeof *p);
    char where[4200];
    face_where(f, where, sizeof where);
    hb_face_t *sub = subset_face(f, where, diag);
    if (!sub)
        return -1;
    hb_blob_t *font = hb_face_reference_blob(sub);
    FT_Face sft = NULL;
    unsigned int font_len = 0;
    const char *font_bytes = font ? hb_blob_get_data(font, &font_len) : NULL;
    uint32_t lost = 0;
    int rc = -1;
    p->cff = f->cff;
    p->cid_keyed = f->cid_keyed;
    if (!program_chars(f, p)) {
        gw_error(diag, where, 0, 0, "out of memory while preparing the font subset");
    } else if (!font_bytes || font_len == 0) {
        gw_error(diag, where, 0, 0, "HarfBuzz could not subset face %d (%s)", f->index, f->family);
    } else if (!open_subset_face(f, font_bytes, font_len, &sft) ||
               FT_Select_Charmap(sft, FT_ENCODING_UNICODE) != 0) {
        gw_error(diag, where, 0, 0, "the subset HarfBuzz made of face %d (%s) is unreadable",
                 f->index, f->family);
    } else if (!(p->cff ? cff_codes(sft, p, &lost) : truetype_codes(sft, p, &lost))) {
        gw_error(diag, where, 0, 0, "the subset of face %d (%s) lost U+%04X", f->index,
                 f->family, (unsigned)lost);
    } else {
        hb_blob_t *embed = p->cff ? hb_face_reference_table(sub, HB_TAG('C', 'F', 'F', ' '))
                                  : embedded_truetype(font);
        bool copied = blob_copy(embed, &p->data, &p->len);
        hb_blob_destroy(embed);
        for (size_t i = 0; i < p->n_chars; i++)
            p->widths[i] = gw_face_advance(f, p->chars[i]);
        program_metrics(f, p);
        p->base_name = program_base_name(f);
        if (!copied || !p->base_name)
            gw_error(diag, where, 0, 0, "cannot store the font subset (out of memory?)");
        else
            rc = 0;
    }
    close_subset_face(f, sft);
    hb_blob_destroy(font);
    hb_face_destroy(sub);
    if (rc != 0)
        gw_font_program_free(p);
    return rc;
}

int gw_face_subset_file(const gw_face *f, unsigned char **data, size_t *len, bool *cff,
                        gw_diag *diag)
{
    *data = NULL;
    *len = 0;
    *cff = f->cff;
    char where[4200];
    face_where(f, where, sizeof where);
    hb_face_t *sub = subset_face(f, where, diag);
    if (!sub)
        return -1;
    hb_blob_t *font = hb_face_reference_blob(sub);
    int rc = 0;
    if (!blob_copy(font, data, len)) {
        gw_error(diag, where, 0, 0, "cannot store the font subset (out of memory?)");
        rc = -1;
    }
    hb_blob_destroy(font);
    hb_face_destroy(sub);
    return rc;
}
