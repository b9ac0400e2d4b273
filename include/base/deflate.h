/* deflate — whole-buffer compression with libdeflate, and several buffers at
 * once on two threads: what both outputs compress with (the PDF's streams in
 * the zlib format, the OFD's ZIP entries as raw deflate).
 *
 * The font programs are a document's largest data, compressed once at the end;
 * the machine has a second core, and splitting them between two threads, the
 * largest first, halves that time (docs/performance.md). */
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

/* Compress data[i] (len[i] bytes) for i < n into out[i] (malloc'd, out_len[i]
 * bytes) at libdeflate `level`, on two threads, each with its own compressor.
 * 0, or -1 with every out[i] NULL. */
int gw_deflate_all(const void *const *data, const size_t *len, size_t n, int level,
                   gw_deflate_format format, unsigned char **out, size_t *out_len);

#endif
