/* srcpos — a forward scanner over the raw bytes of an XML source that yields
 * the line and column of start tags and of text characters, in document order.
 *
 * libxml2 records no position for text, so the model (src/model/model.c, the only
 * caller) walks its tree depth-first and, in step, asks this scanner for the
 * position of each element's start tag and of each character of each text or
 * CDATA node.  The scanner skips the XML declaration, comments, processing
 * instructions, the DOCTYPE and tags (quoted attribute values may hold '>');
 * it enters CDATA sections, counts an entity or character reference as one
 * character located at its '&', and a CR LF pair as one character.
 *
 * Lines and columns are 1-based; a column counts Unicode characters (a tab
 * is one).  The scanner assumes well-formed UTF-8 XML (libxml2 has checked it);
 * on anything else it still terminates and never reads past the buffer. */
#ifndef GW_SRCPOS_H
#define GW_SRCPOS_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"

typedef struct gw_scan {
    const unsigned char *s;   /* the source, not owned */
    size_t len;
    size_t off;               /* next unread byte */
    long line, col;           /* position of s[off] */
    bool in_cdata;            /* inside <![CDATA[ ... ]]> */
    size_t tag_start;         /* offset of the '<' of the last start tag found */
} gw_scan;

/* Start scanning data[0..len) from its beginning (a UTF-8 BOM is skipped). */
void gw_scan_init(gw_scan *sc, const char *data, size_t len);

/* Advance past the next start tag (or empty-element tag); store the position
 * of its '<' in *pos.  Returns false when the source has no further start tag. */
bool gw_scan_start_tag(gw_scan *sc, gw_pos *pos);

/* Advance past the next character of text content; store its position in *pos.
 * Returns false at the end of the source. */
bool gw_scan_text_char(gw_scan *sc, gw_pos *pos);

/* Called for each entity declaration found in a DOCTYPE's internal subset:
 * pos is the '<' of `<!ENTITY`, name[0..name_len) the declared name. */
typedef void gw_scan_entity_fn(void *ctx, gw_pos pos, const char *name, size_t name_len,
                               bool parameter);

/* Look through the prolog of data[0..len) for a DOCTYPE and report every
 * `<!ENTITY` declaration of its internal subset to fn.  Returns their number. */
size_t gw_scan_entity_decls(const char *data, size_t len, gw_scan_entity_fn *fn, void *ctx);

/* The first element of data[0..len) whose start tag holds more than `most`
 * attributes (namespace declarations included).  A linear pass over the bytes
 * (comments, CDATA, PIs and quoted values skipped) that runs before libxml2,
 * whose duplicate-attribute check costs the square of an element's attribute
 * count.  Returns false when there is none; else true with *pos the tag's '<'
 * and name[0..*name_len) the element's name as typed. */
bool gw_scan_attribute_counts(const char *data, size_t len, size_t most, gw_pos *pos,
                              const char **name, size_t *name_len);

/* The encoding named by the XML declaration at the start of data[0..len), if
 * any: true with *pos the position of the word `encoding` and
 * value[0..*value_len) the name between its quotes. */
bool gw_scan_declared_encoding(const char *data, size_t len, gw_pos *pos, const char **value,
                               size_t *value_len);

#endif
