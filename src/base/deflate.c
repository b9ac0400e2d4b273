/* deflate — libdeflate over whole buffers (see deflate.h).  Called by the
 * PDF output (pdfobj.c, pdfspill.c) and the OFD output (ofdout.c, ofdzip.c). */
#include "deflate.h"

#include <libdeflate.h>
#include <stdbool.h>
#include <stdlib.h>

unsigned char *gw_deflate_with(struct libdeflate_compressor *c, gw_deflate_format format,
                               const void *data, size_t len, size_t *out_len)
{
    bool raw = format == GW_DEFLATE_RAW;
    size_t bound = raw ? libdeflate_deflate_compress_bound(c, len)
                       : libdeflate_zlib_compress_bound(c, len);
    unsigned char *z = malloc(bound ? bound : 1);
    *out_len = !z ? 0 : raw ? libdeflate_deflate_compress(c, data, len, z, bound)
                            : libdeflate_zlib_compress(c, data, len, z, bound);
    if (z && *out_len == 0 && (!raw || len > 0)) {
        free(z);
        z = NULL;
    }
    return z;
}
