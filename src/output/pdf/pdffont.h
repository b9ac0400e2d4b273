/* pdffont — embeds the faces the layout used as PDF Type0 fonts, built through
 * libharu's object layer (docs/pdf.md says why not through libharu's own font
 * loader).
 *
 * Each face becomes one CIDFont (CIDFontType2 over a TrueType subset, or
 * CIDFontType0 over a bare CFF subset) with Identity-H codes, a W array of the
 * glyphs used, a FontDescriptor with CapHeight and CIDSet (PDF/A-1b), and one
 * or more Type0 fonts over it, each with an exact ToUnicode CMap.  A glyph that
 * several characters share (a compatibility ideograph and its unified twin)
 * still copies out as each character: a TrueType face gives every character a
 * CID of its own (the CIDToGIDMap sends both to the glyph); a CFF face, whose
 * CIDs are fixed by the font, reaches the glyph for the second character
 * through a second Type0 font whose ToUnicode says that character.
 *
 * The codes are fixed before the subset (gw_face_code), so each page is drawn
 * as soon as it is laid out and the font objects are filled in at the end.
 *
 * Internal to the PDF output: called by pdfout.c only. */
#ifndef GW_PDFFONT_H
#define GW_PDFFONT_H

#include <hpdf.h>
#include <stdbool.h>
#include <stdint.h>

#include "diag.h"
#include "fonts.h"
#include "pdfobj.h"

typedef struct pdf_font pdf_font;

/* The PDF font of `face` in `pdf`, empty until pages draw with it.  Free with
 * pdf_font_free (the PDF objects belong to the document). */
pdf_font *pdf_font_new(HPDF_Doc pdf, pdf_deflater *z, gw_face *face);
void pdf_font_free(pdf_font *pf);

const gw_face *pdf_font_face(const pdf_font *pf);

/* The Type0 font and the 2-byte code that draw cp, and the glyph's advance in
 * 1/1000 em, recording cp as used; false when the face lacks cp or out of
 * memory.  The Type0 font is an empty dictionary until pdf_font_build. */
bool pdf_font_draw(pdf_font *pf, uint32_t cp, HPDF_Dict *type0, uint16_t *code, int *width);

/* After the last page: subset the face to the characters drawn and fill in its
 * font objects.  `digest` (may be NULL) is fed the font program, for the
 * document ID.  Returns 0, or -1 after reporting.  It is pdf_font_prepare,
 * pdf_font_digest, then pdf_font_build; between the first and the last, the
 * caller may compress the program itself (pdf_font_program,
 * pdf_font_set_deflated: the PDF output prepares and compresses the faces
 * on two threads, lanes.h). */
int pdf_font_finish(pdf_font *pf, HPDF_MD5_CTX *digest, gw_diag *diag);

/* The subset (hb-subset).  0, or -1 after reporting.  Different fonts of one
 * document may be prepared on different threads at once (gw_face_program). */
int pdf_font_prepare(pdf_font *pf, gw_diag *diag);
/* Feed the prepared program to `digest` (the document ID). */
void pdf_font_digest(const pdf_font *pf, HPDF_MD5_CTX *digest);
/* The prepared font program to embed (owned by pf). */
const void *pdf_font_program(const pdf_font *pf, size_t *len);
/* Hand pf the program already deflated at PDF_FONT_LEVEL (zlib format): pf
 * owns z from here and embeds it as it is. */
void pdf_font_set_deflated(pdf_font *pf, unsigned char *z, size_t len);
/* The font objects of a prepared face.  0, or -1 after reporting. */
int pdf_font_build(pdf_font *pf, gw_diag *diag);

#endif
