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

/* Convert the text data[0..len) into a format-v1 source.  `name` is used in
 * messages (`NAME:LINE: warning: ...`).  The source written is checked with the
 * model against the schema within `limits` (NULL: the defaults) before it is
 * returned.  Returns a malloc'd NUL-terminated UTF-8 XML document (*out_len
 * bytes, the caller frees it), or NULL after reporting errors: text that is
 * neither UTF-8 nor GB18030, or a character XML cannot hold. */
char *gw_import_text(const char *name, const char *data, size_t len, const gw_limits *limits,
                     size_t *out_len, gw_diag *diag);

#endif
