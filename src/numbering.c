/* numbering — the numbers format v1 generates for headings and list items
 * (一、 （一） 1. （1） ①), as GB/T 9704-2012 §7.3.3 writes them.  Called by the
 * layout (which prints them) and by `gwpdf import` (which names them in its
 * warnings). */
#include "numbering.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "utf8.h"

static size_t append(char *buf, size_t size, size_t at, const char *s)
{
    size_t n = strlen(s);
    if (at + n + 1 > size)
        return at;
    memcpy(buf + at, s, n + 1);
    return at + n;
}

/* Chinese numerals for 1..999 as office documents write them (十一, 二十, 一百零五). */
static void chinese_numeral(int n, char *buf, size_t size)
{
    static const char *digit[] = { "〇", "一", "二", "三", "四", "五", "六", "七", "八", "九" };
    size_t at = 0;
    buf[0] = '\0';
    if (n <= 0 || n > 999) {
        snprintf(buf, size, "%d", n);
        return;
    }
    int h = n / 100, t = (n / 10) % 10, u = n % 10;
    if (h) {
        at = append(buf, size, at, digit[h]);
        at = append(buf, size, at, "百");
        if (t == 0 && u)
            at = append(buf, size, at, "零");
    }
    if (t) {
        if (!(t == 1 && !h))
            at = append(buf, size, at, digit[t]);
        at = append(buf, size, at, "十");
    }
    if (u)
        append(buf, size, at, digit[u]);
}

void gw_format_number(int level, int n, char *buf, size_t size)
{
    char cn[64];
    switch (level) {
    case 1:
        chinese_numeral(n, cn, sizeof cn);
        snprintf(buf, size, "%s、", cn);
        break;
    case 2:
        chinese_numeral(n, cn, sizeof cn);
        snprintf(buf, size, "（%s）", cn);
        break;
    case 3:
        snprintf(buf, size, "%d.", n);
        break;
    case 4:
        snprintf(buf, size, "（%d）", n);
        break;
    default: {
        /* ① … ⑳, ㉑ … ㉟, ㊱ … ㊿; beyond that fall back to （n）. */
        uint32_t cp = 0;
        if (n >= 1 && n <= 20)
            cp = 0x2460 + (uint32_t)(n - 1);
        else if (n >= 21 && n <= 35)
            cp = 0x3251 + (uint32_t)(n - 21);
        else if (n >= 36 && n <= 50)
            cp = 0x32B1 + (uint32_t)(n - 36);
        if (cp && size > 4) {
            size_t k = gw_utf8_encode(cp, buf);
            buf[k] = '\0';
        } else {
            snprintf(buf, size, "（%d）", n);
        }
        break;
    }
    }
}
