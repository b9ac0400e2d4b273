/* textbuf — a growing text buffer (see textbuf.h).  Called by the outputs. */
#include "textbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "grow.h"

void gw_buf_put(gw_buf *b, const char *s, size_t len)
{
    if (b->oom || !gw_grow(&b->s, &b->cap, b->n + len + 1, 1)) {
        b->oom = true;
        return;
    }
    memcpy(b->s + b->n, s, len);
    b->n += len;
    b->s[b->n] = '\0';
}

void gw_buf_str(gw_buf *b, const char *s)
{
    gw_buf_put(b, s, strlen(s));
}

void gw_buf_printf(gw_buf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (k < 0) {
        b->oom = true;
    } else if ((size_t)k < sizeof small) {
        gw_buf_put(b, small, (size_t)k);
    } else if (!b->oom && gw_grow(&b->s, &b->cap, b->n + (size_t)k + 1, 1)) {
        va_start(ap, fmt);
        vsnprintf(b->s + b->n, (size_t)k + 1, fmt, ap);
        va_end(ap);
        b->n += (size_t)k;
    } else {
        b->oom = true;
    }
}

void gw_buf_xml(gw_buf *b, const char *s)
{
    const char *run = s;
    for (; *s; s++) {
        const char *esc = *s == '&' ? "&amp;" : *s == '<' ? "&lt;" : *s == '>' ? "&gt;"
                        : *s == '"' ? "&quot;" : NULL;
        if (!esc)
            continue;
        gw_buf_put(b, run, (size_t)(s - run));
        gw_buf_str(b, esc);
        run = s + 1;
    }
    gw_buf_put(b, run, (size_t)(s - run));
}

void gw_buf_fixed(gw_buf *b, long long v, int digits)
{
    static const long long scale[] = { 1, 10, 100, 1000, 10000, 100000, 1000000 };
    if (digits < 0 || digits > 6)
        digits = 6;
    char s[32], *e = s + sizeof s;
    *--e = '\0';
    unsigned long long u = v < 0 ? (unsigned long long)(-(v + 1)) + 1 : (unsigned long long)v;
    unsigned long long whole = u / (unsigned long long)scale[digits];
    unsigned long long frac = u % (unsigned long long)scale[digits];
    int n = digits;
    while (n > 0 && frac % 10 == 0) {
        frac /= 10;
        n--;
    }
    for (int i = 0; i < n; i++) {
        *--e = (char)('0' + frac % 10);
        frac /= 10;
    }
    if (n > 0)
        *--e = '.';
    do {
        *--e = (char)('0' + whole % 10);
        whole /= 10;
    } while (whole > 0);
    if (v < 0)
        *--e = '-';
    gw_buf_str(b, e);
}
