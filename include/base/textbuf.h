/* textbuf — a growing text buffer, and XML escaping into it: what the outputs
 * write their page operators, CMaps, XMP packets and OFD parts with.
 *
 * The buffer stays NUL-terminated.  A failed allocation sets oom and makes
 * later appends no-ops, so a caller appends freely and checks oom once; the
 * caller frees s.  Used by the PDF and OFD outputs. */
#ifndef GW_TEXTBUF_H
#define GW_TEXTBUF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct gw_buf {
    char *s;
    size_t n, cap;
    bool oom;
} gw_buf;

void gw_buf_put(gw_buf *b, const char *s, size_t len);
void gw_buf_str(gw_buf *b, const char *s);
void gw_buf_printf(gw_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The fixed-point number v / 10^digits (digits 0..6) without trailing zeros:
 * 5644, 3 → "5.644"; -500, 3 → "-0.5"; 0 → "0".  Integer formatting, not
 * printf's: the outputs write thousands of numbers a page. */
void gw_buf_fixed(gw_buf *b, long long v, int digits);
/* UTF-8 text escaped for XML content and attribute values (& < > "). */
void gw_buf_xml(gw_buf *b, const char *s);

#endif
