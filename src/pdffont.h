/* pdffont — embeds the faces the layout used as PDF Type0 fonts, built through
 * libharu's object layer (docs/pdf.md says why not through libharu's own font
 * loader).
 *
 * Each face becomes one CIDFont (CIDFontType2 over a TrueType subset, or
 * CIDFontType0 over a bare CFF subset) with Identity-H codes, a W array of the
 * glyphs used, a FontDescriptor with CapHeight and CIDSet (PDF/A-1b), and one
 * or more Type0 fonts over it, each with an exact ToUnicode CMap: a glyph that
 * several characters share (a compatibility ideograph and its unified twin) is
 * reached through a second Type0 font whose ToUnicode says the other
 * character, so every character copies out as itself.
 *
 * Internal to the PDF output: called by pdfout.c only. */
#ifndef GW_PDFFONT_H
#define GW_PDFFONT_H

#include <hpdf.h>
#include <stdbool.h>
#include <stdint.h>

#include "diag.h"
#include "fonts.h"

typedef struct pdf_font pdf_font;

/* Subset `face` to the characters it drew and add its font objects to `pdf`.
 * `digest` (may be NULL) is fed the font program, for the document ID.
 * Returns NULL after reporting.  Free with pdf_font_free (the PDF objects
 * belong to the document). */
pdf_font *pdf_font_embed(HPDF_Doc pdf, const gw_face *face, HPDF_MD5_CTX *digest, gw_diag *diag);
void pdf_font_free(pdf_font *pf);

const gw_face *pdf_font_face(const pdf_font *pf);

/* The Type0 font and the 2-byte code that draw cp, and the glyph's advance in
 * 1/1000 em; false when cp was not recorded as used with this face. */
bool pdf_font_lookup(const pdf_font *pf, uint32_t cp, HPDF_Dict *type0, uint16_t *code,
                     int *width);

#endif
