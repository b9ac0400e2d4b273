/* ofdzip — a streaming, deterministic ZIP writer (see ofdzip.h).
 *
 * Layout (APPNOTE 6.3.x §4.3): for each entry a local file header, the data;
 * then the central directory, one record an entry, and the end-of-central-
 * directory record.  Sizes and CRC-32 are known before the header is written
 * (each part is whole in memory), so no data descriptors. */
#include "ofdzip.h"

#include <errno.h>
#include <libdeflate.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "deflate.h"
#include "grow.h"

#define ZIP_MAX_ENTRIES 0xFFFFu
#define ZIP_MAX_OFFSET 0xFFFFFFFFull
#define ZIP_VERSION 20            /* 2.0: deflate */
#define ZIP_MADE_BY (3u << 8 | ZIP_VERSION)   /* Unix, so the modes below mean rw-r--r-- */
#define ZIP_FILE_MODE (0100644u << 16)

struct ofd_zip {
    int fd;
    uint16_t dos_time, dos_date;
    unsigned long long offset;    /* bytes written so far */
    unsigned char *central;       /* the central directory, grown per entry */
    size_t central_n, central_cap;
    size_t entries;
    struct libdeflate_compressor *comp[13];
    char error[160];
};

static void put16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)(v & 0xFF);
    p[1] = (unsigned char)(v >> 8 & 0xFF);
}

static void put32(unsigned char *p, unsigned long v)
{
    put16(p, (unsigned)(v & 0xFFFF));
    put16(p + 2, (unsigned)(v >> 16 & 0xFFFF));
}

/* MS-DOS date and time of `when` in UTC (ZIP's resolution: 2 s, 1980..2107). */
static void dos_time(time_t when, uint16_t *t, uint16_t *d)
{
    struct tm tm;
    if (!gmtime_r(&when, &tm) || tm.tm_year < 80) {
        *t = 0;
        *d = 1 << 5 | 1;          /* 1980-01-01 */
        return;
    }
    if (tm.tm_year > 207)
        tm.tm_year = 207;
    *t = (uint16_t)(tm.tm_hour << 11 | tm.tm_min << 5 | tm.tm_sec / 2);
    *d = (uint16_t)((tm.tm_year - 80) << 9 | (tm.tm_mon + 1) << 5 | tm.tm_mday);
}

ofd_zip *ofd_zip_new(int fd, time_t when)
{
    ofd_zip *z = calloc(1, sizeof *z);
    if (!z)
        return NULL;
    z->fd = fd;
    dos_time(when, &z->dos_time, &z->dos_date);
    return z;
}

void ofd_zip_free(ofd_zip *z)
{
    if (!z)
        return;
    for (size_t i = 0; i < sizeof z->comp / sizeof z->comp[0]; i++)
        if (z->comp[i])
            libdeflate_free_compressor(z->comp[i]);
    free(z->central);
    free(z);
}

const char *ofd_zip_error(const ofd_zip *z)
{
    return z->error;
}

static int fail(ofd_zip *z, const char *what)
{
    if (!z->error[0])
        snprintf(z->error, sizeof z->error, "%s", what);
    return -1;
}

static int write_all(ofd_zip *z, const void *data, size_t len)
{
    const unsigned char *p = data;
    while (len > 0) {
        ssize_t k = write(z->fd, p, len);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            char why[140];
            snprintf(why, sizeof why, "write error: %s", k < 0 ? strerror(errno) : "nothing written");
            return fail(z, why);
        }
        p += k;
        len -= (size_t)k;
        z->offset += (unsigned long long)k;
    }
    return 0;
}

/* The raw deflate stream of data at `level`, malloc'd; NULL when out of memory. */
static unsigned char *deflated(ofd_zip *z, const void *data, size_t len, int level, size_t *out)
{
    if (!z->comp[level] && !(z->comp[level] = libdeflate_alloc_compressor(level)))
        return NULL;
    return gw_deflate_with(z->comp[level], GW_DEFLATE_RAW, data, len, out);
}

/* The fields a local header and a central record share, from "version
 * needed" on (APPNOTE §4.3.7 and §4.3.12, 26 bytes). */
static void common_fields(const ofd_zip *z, unsigned char *p, unsigned method, unsigned long crc,
                          size_t csize, size_t usize, size_t name_len)
{
    put16(p, ZIP_VERSION);
    put16(p + 2, 0);              /* flags: plain ASCII names, sizes in the header */
    put16(p + 4, method);
    put16(p + 6, z->dos_time);
    put16(p + 8, z->dos_date);
    put32(p + 10, crc);
    put32(p + 14, (unsigned long)csize);
    put32(p + 18, (unsigned long)usize);
    put16(p + 22, (unsigned)name_len);
    put16(p + 24, 0);             /* no extra field */
}

static int add_central(ofd_zip *z, const unsigned char *common, const char *name, size_t name_len,
                       unsigned long long local_offset)
{
    size_t need = z->central_n + 46 + name_len;
    if (!gw_grow(&z->central, &z->central_cap, need, 1))
        return fail(z, "out of memory");
    unsigned char *c = z->central + z->central_n;
    put32(c, 0x02014b50);
    put16(c + 4, ZIP_MADE_BY);
    memcpy(c + 6, common, 26);
    put16(c + 32, 0);             /* no comment */
    put16(c + 34, 0);             /* disk 0 */
    put16(c + 36, 0);             /* internal attributes */
    put32(c + 38, ZIP_FILE_MODE);
    put32(c + 42, (unsigned long)local_offset);
    memcpy(c + 46, name, name_len);
    z->central_n = need;
    return 0;
}

/* One entry: `data` stored, or `packed` (its raw deflate, plen bytes) when
 * that is smaller — readers take both, and tiny parts do not shrink. */
static int put_entry(ofd_zip *z, const char *name, const void *data, size_t len,
                     const unsigned char *packed, size_t plen)
{
    size_t name_len = strlen(name);
    if (z->entries >= ZIP_MAX_ENTRIES)
        return fail(z, "more than 65535 parts (ZIP without ZIP64)");
    if (name_len == 0 || name_len > 0xFFFF)
        return fail(z, "bad part name");
    unsigned long crc = (unsigned long)libdeflate_crc32(0, data, len);
    unsigned method = packed && plen < len ? 8 : 0;
    size_t csize = method ? plen : len;
    if (z->offset + 30 + name_len + csize + z->central_n + 46 + name_len + 22 > ZIP_MAX_OFFSET)
        return fail(z, "the package would pass 4 GiB (ZIP without ZIP64)");
    unsigned char local[30];
    put32(local, 0x04034b50);
    common_fields(z, local + 4, method, crc, csize, len, name_len);
    unsigned long long at = z->offset;
    int rc = write_all(z, local, sizeof local);
    if (rc == 0)
        rc = write_all(z, name, name_len);
    if (rc == 0)
        rc = write_all(z, method ? (const void *)packed : data, csize);
    /* Recorded once written: the directory never names a part that is not there. */
    if (rc == 0)
        rc = add_central(z, local + 4, name, name_len, at);
    if (rc == 0)
        z->entries++;
    return rc;
}

int ofd_zip_add(ofd_zip *z, const char *name, const void *data, size_t len, int level)
{
    if (level < 0 || level > 12 || !*name)
        return fail(z, "bad part name or level");
    size_t plen = 0;
    unsigned char *packed = NULL;
    if (level > 0 && !(packed = deflated(z, data, len, level, &plen)))
        return fail(z, "out of memory");
    int rc = put_entry(z, name, data, len, packed, plen);
    free(packed);
    return rc;
}

int ofd_zip_add_deflated(ofd_zip *z, const char *name, const void *data, size_t len,
                         const unsigned char *packed, size_t plen)
{
    return put_entry(z, name, data, len, packed, plen);
}

int ofd_zip_finish(ofd_zip *z)
{
    unsigned long long at = z->offset;
    unsigned char end[22];
    put32(end, 0x06054b50);
    put16(end + 4, 0);
    put16(end + 6, 0);
    put16(end + 8, (unsigned)z->entries);
    put16(end + 10, (unsigned)z->entries);
    put32(end + 12, (unsigned long)z->central_n);
    put32(end + 16, (unsigned long)at);
    put16(end + 20, 0);
    if (write_all(z, z->central, z->central_n) != 0 || write_all(z, end, sizeof end) != 0)
        return -1;
    return 0;
}
