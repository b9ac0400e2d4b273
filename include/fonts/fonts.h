/* fonts — font roles, the faces that serve them, glyph coverage and metrics, and
 * subsetting for embedding.
 *
 * GB/T 9704 names a typeface for each kind of text (a "role"): body 仿宋, title
 * 小标宋, level-1 heading 黑体, level-2 heading 楷体, the attachment label 黑体,
 * page numbers 宋体, and a Latin face for digits and Latin letters.  Each role is
 * resolved to a fallback chain of faces, in this order (docs/fonts.md):
 *   1. `--font ROLE=PATH[,PATH…]` given by the user;
 *   2. files in the project's fonts/ directory whose family names the role
 *      recognises (fonts/README.md lists them);
 *   3. installed faces found through fontconfig by the family names offices use
 *      (仿宋_GB2312, FangSong, SimHei, 方正小标宋简体, …);
 *   4. free faces from Debian packages (AR PL SungtiL GB for Song, WenQuanYi Zen
 *      Hei for Hei, AR PL KaitiM GB for Kai, Liberation Serif for Latin), and
 *      faces covering CJK Extension B when installed.
 * A character is drawn by the first face of the chain that has a glyph for it.
 *
 * Widths are returned in layout units: 1000 units = 1 em of the face, so a
 * full-width ideograph is 1000 and a typical digit about 500.
 *
 * Owned by the CLI (gw_fonts_open / gw_fonts_close); read by the layout (which
 * also records which glyphs are used) and by the PDF output (which subsets and
 * embeds each used face once).  FreeType, fontconfig and hb-subset are used only
 * inside this module. */
#ifndef GW_FONTS_H
#define GW_FONTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

typedef enum gw_role {
    GW_ROLE_BODY,      /* 仿宋: body text, levels 3–4 headings */
    GW_ROLE_TITLE,     /* 小标宋: the title */
    GW_ROLE_HEADING1,  /* 黑体: level-1 headings */
    GW_ROLE_HEADING2,  /* 楷体: level-2 headings, the subtitle */
    GW_ROLE_LABEL,     /* 黑体: the attachment label (附件2) */
    GW_ROLE_PAGENUM,   /* 宋体: page numbers */
    GW_ROLE_LATIN,     /* digits and Latin letters in body and heading text */
    GW_ROLE_COUNT
} gw_role;

/* Where the first face of a role's chain was found. */
typedef enum gw_font_source {
    GW_SRC_OPTION,       /* --font */
    GW_SRC_FONTS_DIR,    /* the project's fonts/ directory */
    GW_SRC_SYSTEM,       /* fontconfig, by a family name of the role */
    GW_SRC_FALLBACK,     /* a free Debian face standing in for the role's design */
} gw_font_source;

typedef struct gw_face gw_face;        /* one face of one font file */
typedef struct gw_fontset gw_fontset;  /* all roles and their faces */

typedef struct gw_font_options {
    /* Per role: the value of --font ROLE=..., a comma-separated list of paths,
     * each optionally followed by ":INDEX" for a face of a .ttc; NULL if none. */
    const char *role_paths[GW_ROLE_COUNT];
    /* The fonts/ directory to search (NULL: none). */
    const char *fonts_dir;
    /* Skip fontconfig and the Debian fallbacks (tests use only explicit files). */
    bool explicit_only;
    /* Embed TrueType glyphs without their hinting instructions: a smaller file
     * (the real report: 195 → 171 KB), glyphs drawn slightly differently by
     * rasterisers that run the instructions (Ghostscript at screen resolution). */
    bool drop_hinting;
} gw_font_options;

/* "body", "title", "heading1", "heading2", "label", "pagenum", "latin". */
const char *gw_role_name(gw_role role);
/* Parse a role name; false when unknown. */
bool gw_role_parse(const char *name, gw_role *role);
/* The traditional face the role asks for, e.g. "仿宋" for GW_ROLE_BODY. */
const char *gw_role_design(gw_role role);

/* Resolve every role.  Reports an error and returns NULL when a role has no face
 * at all or a --font file cannot be read.  Roles that fall back to a stand-in
 * face are not reported here: see gw_fonts_report_standins. */
gw_fontset *gw_fonts_open(const gw_font_options *opt, gw_diag *diag);
/* How many roles a stand-in face draws (their first face is GW_SRC_FALLBACK). */
int gw_fonts_standins(const gw_fontset *fs);
/* One warning per role drawn by a stand-in: "font role body (仿宋): no 仿宋 face
 * found; using AR PL SungtiL GB (PATH)". */
void gw_fonts_report_standins(const gw_fontset *fs, gw_diag *diag);
/* One warning for them all (nothing when there is none): "7 font roles are
 * drawn by stand-in faces, not by 仿宋, 小标宋, …: `gwpdf fonts` (or --verbose)
 * shows which". */
void gw_fonts_report_standin_summary(const gw_fontset *fs, gw_diag *diag);
void gw_fonts_close(gw_fontset *fs);

/* The role's chain. */
size_t gw_fonts_chain_len(const gw_fontset *fs, gw_role role);
gw_face *gw_fonts_chain_face(const gw_fontset *fs, gw_role role, size_t i);
gw_font_source gw_fonts_role_source(const gw_fontset *fs, gw_role role);
/* True when the title is drawn from a stand-in face and needs synthetic bold
 * (fill + stroke, as Word does). */
bool gw_fonts_synthetic_bold(const gw_fontset *fs, gw_role role);

/* The face that draws cp in `role`: the first face of the chain with a glyph
 * for it.  For roles whose digits and Latin letters come from the Latin face
 * (body, heading2; see docs/fonts.md) ASCII and Latin-1 letters, digits and
 * ASCII punctuation try the Latin chain first.  NULL when no face has it. */
gw_face *gw_fonts_face_for(const gw_fontset *fs, gw_role role, uint32_t cp);

/* True when f is a bold design (OS/2 weight class 600 or more, or FreeType's
 * bold style flag). */
bool gw_face_is_bold(const gw_face *f);
/* The bold face of f's family, found through fontconfig (f itself when it is
 * bold); NULL when none is installed: the text is then made bold
 * synthetically.  May load a face into fs. */
gw_face *gw_fonts_bold_face(gw_fontset *fs, gw_face *f);

/* Every distinct face loaded (a face shared by several roles appears once). */
size_t gw_fonts_face_count(const gw_fontset *fs);
gw_face *gw_fonts_face_at(const gw_fontset *fs, size_t i);

/* Face properties. */
const char *gw_face_path(const gw_face *f);
int gw_face_index(const gw_face *f);
const char *gw_face_family(const gw_face *f);     /* English family name */
const char *gw_face_postscript(const gw_face *f); /* PostScript name (may be "") */
bool gw_face_has(const gw_face *f, uint32_t cp);
/* Horizontal advance of cp in 1/1000 em (0 when the face lacks it). */
int gw_face_advance(const gw_face *f, uint32_t cp);
/* Ink bounding box of cp's glyph in 1/1000 em, y up from the baseline.
 * Returns false when the face lacks the glyph. */
bool gw_face_glyph_box(const gw_face *f, uint32_t cp, int *xmin, int *ymin, int *xmax, int *ymax);

/* Record that cp is drawn with this face (for subsetting); a character the
 * face lacks is ignored. */
void gw_face_use(gw_face *f, uint32_t cp);
/* The 2-byte code (a CID) a PDF Type0 font with Identity-H draws cp with, and
 * its variant: 0, or n when n earlier characters of a CFF face draw the same
 * glyph (the PDF then needs a Type0 font of its own for it, whose ToUnicode
 * says this character).  Records cp as used.  The code is fixed the first time
 * cp is used, before any subsetting, so pages can be written as they are laid
 * out: TrueType faces number characters in order of first use (the PDF maps
 * them to subset glyphs with a CIDToGIDMap); CFF faces use the CID (CID-keyed)
 * or the glyph id (name-keyed), which the subset keeps.  Stable until
 * gw_fonts_clear_used.  False when the face lacks cp, out of memory, or past
 * 65 535 codes. */
bool gw_face_code(gw_face *f, uint32_t cp, uint16_t *code, unsigned *variant);
/* Forget the code points recorded in every face: a process rendering several
 * documents with one fontset calls it between documents, so each PDF embeds
 * only its own glyphs. */
void gw_fonts_clear_used(gw_fontset *fs);
/* Number of distinct code points recorded. */
size_t gw_face_used_count(const gw_face *f);

/* A face's font program cut down to the glyphs drawn (HarfBuzz hb-subset),
 * and how a PDF addresses them: a Type0 font with Identity-H, whose 2-byte
 * codes are the CIDs gw_face_code gave (docs/pdf.md). */
typedef struct gw_font_program {
    bool cff;              /* CFF outlines: `data` is a bare CFF font (FontFile3,
                              CIDFontType0C); else a TrueType font (FontFile2) */
    bool cid_keyed;        /* CFF only: a CID-keyed CFF (codes are its CIDs) */
    unsigned char *data;
    size_t len;
    size_t n_chars;        /* the used code points, ascending: */
    uint32_t *chars;
    uint16_t *codes;       /* codes[i]: the CID that draws chars[i] */
    uint8_t *variants;     /* variants[i]: its variant (gw_face_code) */
    unsigned n_variants;   /* 1 + the largest variant */
    int *widths;           /* widths[i]: its advance in 1/1000 em (as the layout used) */
    uint8_t *cid_set;      /* one bit per CID present in the program, high bit first */
    size_t cid_set_len;
    uint16_t *cid_to_gid;  /* TrueType: the subset's glyph id of each CID (CIDToGIDMap) */
    size_t n_cid_to_gid;
    char *base_name;       /* PostScript name, reduced to PDF name characters */
    /* FontDescriptor values in 1/1000 em (ItalicAngle in degrees) */
    int ascent, descent, cap_height, stem_v, italic_angle;
    int bbox[4];
    bool fixed_pitch;
} gw_font_program;

/* Subset `f` to the code points recorded with gw_face_use.  Fills *p (free it
 * with gw_font_program_free) and returns 0; on failure reports and returns -1
 * with *p empty.  Different faces of one fontset may be subset on different
 * threads at once (this and gw_face_subset_file), each face on one thread,
 * while nothing else uses the fontset; each thread with its own diag. */
int gw_face_program(const gw_face *f, gw_font_program *p, gw_diag *diag);
void gw_font_program_free(gw_font_program *p);

/* `f` cut down to the code points recorded (gw_face_use, gw_face_code) as a
 * whole font file — cmap, names, metrics and outlines kept, the layout tables
 * dropped as for the PDF — for outputs that reach glyphs through Unicode (the
 * OFD's TextCode).  Two characters drawing one glyph both stay in the cmap.
 * *cff is true for CFF outlines (an OpenType .otf), false for TrueType (.ttf).
 * Stores a malloc'd buffer the caller frees and returns 0; -1 after
 * reporting. */
int gw_face_subset_file(const gw_face *f, unsigned char **data, size_t *len, bool *cff,
                        gw_diag *diag);

#endif
