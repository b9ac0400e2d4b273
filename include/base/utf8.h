/* utf8 — decoding and encoding UTF-8, used by the model, fonts, layout and PDF output. */
#ifndef GW_UTF8_H
#define GW_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A forced line break (<br/>) is carried through the pipeline as this code point. */
#define GW_CP_LINE_BREAK 0x2028u

/* Decode one code point from s[0..len).  Returns the number of bytes used
 * (1..4), or 0 when the sequence is invalid, truncated, overlong or a surrogate. */
size_t gw_utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);

/* Encode cp into out (at least 4 bytes).  Returns the byte count, 0 if cp is invalid. */
size_t gw_utf8_encode(uint32_t cp, char *out);

/* Is cp Chinese text for spacing and punctuation rules: Han, CJK symbols and
 * punctuation, full-width forms, and the marks Chinese text takes from the CJK
 * face (“ ” ‘ ’ — … ·)?  (docs/format.md, Whitespace; used by import and lint.) */
bool gw_cp_is_cjk(uint32_t cp);

#endif
