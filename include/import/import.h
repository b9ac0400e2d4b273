/* import — turns the plain text an office already has (a report pasted out of
 * Word or a PDF) into a format-v1 source (docs/format.md, docs/import.md).
 *
 * The text is read as UTF-8, or as GB18030 when it is not valid UTF-8.  Lines
 * broken mid-sentence (page breaks included) are joined; the attachment label,
 * the title and subtitle, numbered headings (一、 （一） 1. （1）) and run-in
 * headings, list items, paragraphs and a trailing issuer and date are
 * recognised.  No character of the text is dropped or changed except the
 * typed numbers that become structure and the whitespace at line ends.  Every
 * judgement the importer is unsure of is reported as a warning with its line.
 *
 * Called by the CLI (`gwpdf import`); the lint module uses the recognisers of
 * typed numbers and dates. */
#ifndef GW_IMPORT_H
#define GW_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "gwlimits.h"
#include "numbering.h"

/* gw_typed_number_match, the recogniser of typed numbers, is in numbering.h
 * (the layout shares it). */

/* A calendar date as written: 2023-03-15, 2023年3月15日 (blanks allowed between
 * the parts, full-width digits too) or 二〇二三年三月十五日. */
typedef struct gw_written_date {
    int year, month, day;
    bool iso;        /* written 2023-03-15 */
    bool real;       /* the day exists in the calendar */
} gw_written_date;

/* Is cp[0..len) exactly one date?  (Only the shape is checked here; see real.) */
bool gw_date_parse(const uint32_t *cp, size_t len, gw_written_date *date);

/* A 发文字号 as typed: 增工函〔2023〕12号, also with 【】 [] ［］ （） () around the
 * year, 第 before the number or a leading zero (GB/T 9704 §7.2.4 wants 〔〕, no
 * 第, no leading zero: `standard`). */
typedef struct gw_doc_number {
    size_t organ_len;        /* code points of the organ's abbreviation (增工函) */
    uint32_t open, close;    /* the brackets around the year */
    int year, number;
    bool di;                 /* 第 before the number */
    bool leading_zero;       /* 〔2023〕012号 */
    bool standard;
} gw_doc_number;

/* Is cp[0..len) exactly one 发文字号? */
bool gw_doc_number_parse(const uint32_t *cp, size_t len, gw_doc_number *dn);

/* Convert the text data[0..len) into a format-v1 source.  `name` is used in
 * messages (`NAME:LINE: warning: ...`).  The source written is checked with the
 * model against the schema within `limits` (NULL: the defaults) before it is
 * returned.  Returns a malloc'd NUL-terminated UTF-8 XML document (*out_len
 * bytes, the caller frees it), or NULL after reporting errors: text that is
 * neither UTF-8 nor GB18030, or a character XML cannot hold. */
char *gw_import_text(const char *name, const char *data, size_t len, const gw_limits *limits,
                     size_t *out_len, gw_diag *diag);

/* How a text made from another document (the .docx import) is read.  Its
 * markers are Unicode noncharacters, which no real text holds. */
#define GW_IMPORT_BLOCK 0xFDD0u      /* a line of only this: the next of `blocks` */
#define GW_IMPORT_BOLD_ON 0xFDD1u    /* bold from here (<b> where the element takes it) */
#define GW_IMPORT_BOLD_OFF 0xFDD2u   /* to here */
typedef struct gw_import_made {
    const long *positions;   /* line L of the text is reported as positions[L - 1] */
    size_t n_positions;      /* (without a column) */
    bool paragraph_lines;    /* each line a whole paragraph (never joined), U+2028 a <br/> */
    const char *const *blocks;  /* well-formed XML of the body (a table, a page break), */
    size_t n_blocks;            /* written as it is where its GW_IMPORT_BLOCK line stands */
    long seal_at;            /* an image anchored at this position (paragraph): the seal when it
                                stands at the signature; 0: none */
    const char *seal_src;    /* the <seal src> to write for it; NULL: none can be written */
    bool *seal_used;         /* set when the source refers to seal_src */
} gw_import_made;

/* gw_import_text for a text made from another document, read as `made` says
 * (with markers; NULL: as gw_import_text). */
char *gw_import_text_at(const char *name, const char *data, size_t len, const gw_import_made *made,
                        const gw_limits *limits, size_t *out_len, gw_diag *diag);

/* A file the source refers to, for the caller to write beside it. */
typedef struct gw_import_image {
    unsigned char *data;     /* malloc'd, the caller frees it; NULL: no file */
    size_t len;
} gw_import_image;

/* Turn a Word document (.docx, WordprocessingML in a ZIP) into a source, as
 * gw_import_text does text: its paragraphs in order (text boxes where they
 * stand), Word's automatic numbering and heading styles as the numbers they
 * show, fields by their result, tracked changes as accepted; then the text
 * import's recognisers.  Positions in messages are paragraph numbers
 * (`FILE.docx:¶12: …`).  Hostile packages — a part that inflates past the
 * limits, a name with `..` or an absolute name, a part missing or given twice,
 * XML with a DOCTYPE, an encrypted entry, a .xlsx — are errors, nothing
 * written (docs/import.md, docs/limits.md).  The document's last picture, a
 * PNG at the 落款 (floating over it or in its lines), is taken for the seal:
 * the source refers to it as `seal_src` (a name relative to the source's
 * folder; NULL when the source has no folder, as on standard output: then no
 * seal, with a warning) and *seal receives its bytes for the caller to write
 * there (zeroed when there is none).  Returns the source as for
 * gw_import_text, or NULL after reporting (*seal zeroed). */
char *gw_import_docx(const char *name, const unsigned char *data, size_t len,
                     const gw_limits *limits, const char *seal_src, gw_import_image *seal,
                     size_t *out_len, gw_diag *diag);

/* What kind of file data looks like, by its first bytes, for the CLI. */
typedef enum gw_import_kind {
    GW_IMPORT_TEXT,
    GW_IMPORT_ZIP,       /* a ZIP: a .docx (or another OOXML package, refused) */
    GW_IMPORT_OLE,       /* an OLE compound file: a Word 97–2003 .doc, or an encrypted .docx */
} gw_import_kind;
gw_import_kind gw_import_sniff(const unsigned char *data, size_t len);

#endif
