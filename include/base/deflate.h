/* deflate — whole-buffer compression with libdeflate: what both outputs
 * compress with (the PDF's streams in the zlib format, the OFD's ZIP entries
 * as raw deflate).  A compressor serves one thread at a time; the outputs
 * keep one a thread (lanes.h, pdfspill.h). */
#ifndef GW_DEFLATE_H
#define GW_DEFLATE_H

#include <stddef.h>

struct libdeflate_compressor;

typedef enum gw_deflate_format {
    GW_DEFLATE_ZLIB,     /* RFC 1950: a PDF /FlateDecode stream */
    GW_DEFLATE_RAW,      /* RFC 1951: a ZIP entry of method 8 */
} gw_deflate_format;

/* data[0..len) compressed by c: a malloc'd buffer of *out_len bytes, or NULL
 * when out of memory. */
unsigned char *gw_deflate_with(struct libdeflate_compressor *c, gw_deflate_format format,
                               const void *data, size_t len, size_t *out_len);

#endif
