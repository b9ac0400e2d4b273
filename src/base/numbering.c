/* numbering — the numbers format v1 generates for headings and list items
 * (一、 （一） 1. （1） ①), as GB/T 9704-2012 §7.3.3 writes them, and the
 * recogniser of such numbers typed into a text.  Called by the layout (which
 * prints the numbers and warns of a heading that repeats its own), by `gwpdf
 * import` (which turns typed numbers into structure) and by lint. */
#include "numbering.h"

#include <stdbool.h>
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

/* ---------------------------------------------------------------------------
 * Typed numbers
 * ------------------------------------------------------------------------- */

static bool is_blank(uint32_t c)
{
    return c == ' ' || c == '\t' || c == 0x3000 || c == 0xA0 || c == 0xFEFF;
}

static bool is_open_paren(uint32_t c) { return c == '(' || c == 0xFF08; }
static bool is_close_paren(uint32_t c) { return c == ')' || c == 0xFF09; }

/* 0–9, ASCII or full width; -1 for anything else. */
int gw_digit_value(uint32_t c)
{
    if (c >= '0' && c <= '9')
        return (int)(c - '0');
    if (c >= 0xFF10 && c <= 0xFF19)
        return (int)(c - 0xFF10);
    return -1;
}

/* 一 … 九 → 1 … 9; with zeros: 〇 零 ○ → 0 (years are written digit by digit). */
int gw_cn_digit(uint32_t c, bool zeros)
{
    static const uint32_t d[] = { 0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94,
                                  0x516D, 0x4E03, 0x516B, 0x4E5D };
    for (int i = 0; i < 9; i++)
        if (c == d[i])
            return i + 1;
    if (zeros && (c == 0x3007 || c == 0x96F6 || c == 0x25CB))
        return 0;
    return -1;
}

#define GW_CN_TEN 0x5341u   /* 十 */

/* A Chinese number 1..99 at cp (一, 十, 十一, 二十, 二十一); the characters used, 0 if none. */
size_t gw_cn_number(const uint32_t *cp, size_t len, int *value)
{
    size_t i = 0;
    int tens = 0, units;
    if (i < len && (units = gw_cn_digit(cp[i], false)) > 0)
        i++;
    else
        units = 0;
    if (i < len && cp[i] == GW_CN_TEN) {
        tens = units ? units : 1;
        units = 0;
        i++;
        int u;
        if (i < len && (u = gw_cn_digit(cp[i], false)) > 0) {
            units = u;
            i++;
        }
    }
    if (i == 0 || (i < len && (gw_cn_digit(cp[i], true) >= 0 || cp[i] == GW_CN_TEN)))
        return 0;
    *value = tens * 10 + units;
    return i;
}

/* A run of at most max_digits digits at cp with no leading zero; the digits used, 0 if none. */
size_t gw_arabic_number(const uint32_t *cp, size_t len, size_t max_digits, int *value)
{
    size_t i = 0;
    int v = 0;
    while (i < len && gw_digit_value(cp[i]) >= 0) {
        if (i == max_digits)
            return 0;
        v = v * 10 + gw_digit_value(cp[i]);
        i++;
    }
    if (i == 0 || gw_digit_value(cp[0]) == 0)
        return 0;
    *value = v;
    return i;
}

bool gw_typed_number_match(const uint32_t *cp, size_t len, gw_typed_number *num)
{
    size_t i, n;
    int value = 0, level;
    if (len == 0)
        return false;
    if (is_open_paren(cp[0])) {                           /* （一） (一) （1） (1) */
        level = 2;
        n = gw_cn_number(cp + 1, len - 1, &value);
        if (!n) {
            level = 4;
            n = gw_arabic_number(cp + 1, len - 1, 2, &value);
        }
        if (!n || 1 + n >= len || !is_close_paren(cp[1 + n]))
            return false;
        i = 2 + n;
        if (i < len && cp[i] == 0x3001)                   /* （一）、 */
            i++;
    } else if (cp[0] >= 0x2460 && cp[0] <= 0x2473) {      /* ① … ⑳ */
        level = 5;
        value = (int)(cp[0] - 0x2460) + 1;
        i = 1;
    } else if ((n = gw_cn_number(cp, len, &value)) && n < len && cp[n] == 0x3001) {
        level = 1;                                        /* 一、 */
        i = n + 1;
    } else if ((n = gw_arabic_number(cp, len, 2, &value)) && n < len
               && (cp[n] == '.' || cp[n] == 0xFF0E || cp[n] == 0x3001)) {
        if (cp[n] != 0x3001 && n + 1 < len && gw_digit_value(cp[n + 1]) >= 0)
            return false;                                 /* 1.5万元 */
        level = 3;                                        /* 1. 1． 1、 */
        i = n + 1;
    } else {
        return false;
    }
    while (i < len && is_blank(cp[i]))
        i++;
    if (i >= len)
        return false;                                     /* a number and no text */
    num->level = level;
    num->value = value;
    num->len = i;
    return true;
}

