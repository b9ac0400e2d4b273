/* ofdzip — the ZIP container of an OFD package (GB/T 33190-2016 packs a
 * document's parts in a ZIP, PKWARE's APPNOTE format), written as a stream.
 *
 * A small writer of our own over libdeflate rather than libzip: libzip
 * keeps every entry's source until zip_close, so a long document's pages
 * would wait uncompressed in memory, and it turns entry times into DOS time
 * through the local time zone, so the bytes would change with TZ.  Here each
 * part is compressed and written as soon as it is complete, only its central
 * directory record stays in memory (a few dozen bytes), and every entry
 * carries the document's time in UTC.  The same parts in the same order give
 * the same bytes.  No ZIP64: at most 65 535 entries and 4 GiB, each refused
 * with an error rather than written wrong.
 *
 * Internal to the OFD output: called by ofdout.c only. */
#ifndef GW_OFDZIP_H
#define GW_OFDZIP_H

#include <stddef.h>
#include <time.h>

typedef struct ofd_zip ofd_zip;

/* A ZIP written to fd from its current offset (the caller keeps fd), its
 * entries dated `when`.  NULL when out of memory. */
ofd_zip *ofd_zip_new(int fd, time_t when);
/* Add the entry `name` (ASCII, '/'-separated) holding data[0..len): raw
 * deflate at libdeflate `level` (1..12), or stored when level is 0 (a PNG,
 * already compressed).  Returns 0, or -1 with ofd_zip_error set. */
int ofd_zip_add(ofd_zip *z, const char *name, const void *data, size_t len, int level);
/* Add an entry compressed beforehand: `packed` is data's raw deflate (plen
 * bytes), written when smaller than data, else data is stored.  0, or -1. */
int ofd_zip_add_deflated(ofd_zip *z, const char *name, const void *data, size_t len,
                         const unsigned char *packed, size_t plen);
/* Write the central directory.  0, or -1 with ofd_zip_error set. */
int ofd_zip_finish(ofd_zip *z);
/* What went wrong ("write error: No space left on device", "more than
 * 65535 parts", ...); "" when nothing did. */
const char *ofd_zip_error(const ofd_zip *z);
void ofd_zip_free(ofd_zip *z);

#endif
