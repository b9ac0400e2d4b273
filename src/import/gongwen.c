/* gongwen — recognisers of the line shapes of a 公文's parts (gongwen.h), and
 * the 发文字号 parser shared with lint (import.h).  Pure functions on one
 * line's code points: where a line stands in the document is import.c's
 * business.  GB/T 9704-2012 §7.2 (版头), §7.3 (主体), §7.4 (版记). */
#include "gongwen.h"

#include <string.h>

#include "numbering.h"

enum {
    ORGAN_MAX = 20,          /* code points of a 发文字号's organ abbreviation */
    NUMBER_DIGITS_MAX = 5,   /* digits of its number */
};

static bool blank(uint32_t c)
{
    return c == ' ' || c == '\t' || c == 0x3000 || c == 0xA0;
}

static size_t skip_blanks(const uint32_t *cp, size_t len, size_t i)
{
    while (i < len && blank(cp[i]))
        i++;
    return i;
}

static bool is_colon(uint32_t c)
{
    return c == 0xFF1A || c == ':';
}

/* cp starts with the UTF-32 word w (NUL-terminated). */
static bool starts_with(const uint32_t *cp, size_t len, const uint32_t *w)
{
    size_t i = 0;
    for (; w[i]; i++)
        if (i >= len || cp[i] != w[i])
            return false;
    return true;
}

static size_t word_len(const uint32_t *w)
{
    size_t n = 0;
    while (w[n])
        n++;
    return n;
}

/* After the word w: blanks, a colon, blanks; *at where the rest starts. */
static bool word_colon(const uint32_t *cp, size_t len, const uint32_t *w, size_t *at)
{
    if (!starts_with(cp, len, w))
        return false;
    size_t i = skip_blanks(cp, len, word_len(w));
    if (i >= len || !is_colon(cp[i]))
        return false;
    *at = skip_blanks(cp, len, i + 1);
    return true;
}

static const uint32_t W_FUJIAN[] = { 0x9644, 0x4EF6, 0 };          /* 附件 */
static const uint32_t W_FU[] = { 0x9644, 0 };                      /* 附 */
static const uint32_t W_QIANFAREN[] = { 0x7B7E, 0x53D1, 0x4EBA, 0 }; /* 签发人 */
static const uint32_t W_CHAOSONG[] = { 0x6284, 0x9001, 0 };        /* 抄送 */

bool gw_gongwen_copy(const uint32_t *cp, size_t len)
{
    if (len != 6)
        return false;
    for (size_t i = 0; i < len; i++)
        if (cp[i] < '0' || cp[i] > '9')
            return false;
    return true;
}

bool gw_gongwen_secrecy(const uint32_t *cp, size_t len, size_t *period_at)
{
    static const uint32_t levels[][3] = {
        { 0x79D8, 0x5BC6, 0 },   /* 秘密 */
        { 0x673A, 0x5BC6, 0 },   /* 机密 */
        { 0x7EDD, 0x5BC6, 0 },   /* 绝密 */
    };
    for (size_t k = 0; k < sizeof levels / sizeof levels[0]; k++) {
        if (!starts_with(cp, len, levels[k]))
            continue;
        if (len == 2) {
            *period_at = 0;
            return true;
        }
        if (len > 3 && cp[2] == 0x2605) {        /* ★ */
            *period_at = 3;
            return true;
        }
    }
    return false;
}

bool gw_gongwen_urgency(const uint32_t *cp, size_t len)
{
    return len == 2 && ((cp[0] == 0x7279 && cp[1] == 0x6025) ||     /* 特急 */
                        (cp[0] == 0x52A0 && cp[1] == 0x6025));      /* 加急 */
}

bool gw_gongwen_signer(const uint32_t *cp, size_t len, size_t *names_at)
{
    return word_colon(cp, len, W_QIANFAREN, names_at) && *names_at < len;
}

bool gw_gongwen_cc(const uint32_t *cp, size_t len, size_t *at)
{
    return word_colon(cp, len, W_CHAOSONG, at) && *at < len;
}

bool gw_gongwen_distributor(const uint32_t *cp, size_t len, size_t *name_len, size_t *date_at,
                            size_t *date_len)
{
    /* …印发 */
    if (len < 4 || cp[len - 2] != 0x5370 || cp[len - 1] != 0x53D1)
        return false;
    size_t end = len - 2;
    while (end > 0 && blank(cp[end - 1]))
        end--;
    /* The longest date that ends there, after a name of one character at least. */
    for (size_t k = 1; k < end; k++) {
        gw_written_date d;
        if (blank(cp[k]) || !gw_date_parse(cp + k, end - k, &d))
            continue;
        size_t n = k;
        while (n > 0 && blank(cp[n - 1]))
            n--;
        if (n == 0)
            return false;
        *name_len = n;
        *date_at = k;
        *date_len = end - k;
        return true;
    }
    return false;
}

bool gw_gongwen_attachments_note(const uint32_t *cp, size_t len, size_t *names_at, bool *pre2012)
{
    if (word_colon(cp, len, W_FUJIAN, names_at)) {
        *pre2012 = false;
        return true;
    }
    if (word_colon(cp, len, W_FU, names_at)) {
        *pre2012 = true;
        return true;
    }
    return false;
}

/* 一 … 十, 十一 … 十九: the attachments of one document rarely pass twenty. */
static int small_chinese_number(const uint32_t *cp, size_t len)
{
    if (len == 1)
        return cp[0] == 0x5341 ? 10 : gw_cn_digit(cp[0], false);
    if (len == 2 && cp[0] == 0x5341) {
        int d = gw_cn_digit(cp[1], false);
        return d > 0 ? 10 + d : -1;
    }
    return -1;
}

bool gw_gongwen_label(const uint32_t *cp, size_t len, int *number, bool *pre2012)
{
    size_t i;
    if (starts_with(cp, len, W_FUJIAN)) {
        *pre2012 = false;
        i = 2;
    } else if (starts_with(cp, len, W_FU) && len >= 2 && is_colon(cp[1])) {
        *pre2012 = true;             /* 附： alone */
        *number = 0;
        return skip_blanks(cp, len, 2) == len;
    } else {
        return false;
    }
    i = skip_blanks(cp, len, i);
    size_t digits = i;
    while (digits < len && !is_colon(cp[digits]) && !blank(cp[digits]))
        digits++;
    *number = 0;
    if (digits > i) {
        int v = 0;
        bool arabic = true;
        for (size_t k = i; k < digits; k++) {
            int d = gw_digit_value(cp[k]);
            if (d < 0 || digits - i > 2)
                arabic = false;
            else
                v = v * 10 + d;
        }
        if (!arabic)
            v = small_chinese_number(cp + i, digits - i);
        if (v <= 0)
            return false;
        *number = v;
    }
    i = skip_blanks(cp, len, digits);
    if (i < len && is_colon(cp[i]))
        i = skip_blanks(cp, len, i + 1);
    return i == len;
}

bool gw_gongwen_note(const uint32_t *cp, size_t len)
{
    if (len < 3 || !(cp[0] == 0xFF08 || cp[0] == '(') || !(cp[len - 1] == 0xFF09 || cp[len - 1] == ')'))
        return false;
    int depth = 0;
    for (size_t i = 0; i < len; i++) {
        if (cp[i] == 0xFF08 || cp[i] == '(')
            depth++;
        else if ((cp[i] == 0xFF09 || cp[i] == ')') && --depth == 0 && i + 1 < len)
            return false;            /* （一）…（二）: the first bracket closes early */
    }
    return depth == 0;
}

static uint32_t closing_bracket(uint32_t open)
{
    switch (open) {
    case 0x3014: return 0x3015;      /* 〔〕 */
    case 0x3010: return 0x3011;      /* 【】 */
    case 0xFF3B: return 0xFF3D;      /* ［］ */
    case 0xFF08: return 0xFF09;      /* （） */
    case '[': return ']';
    case '(': return ')';
    default: return 0;
    }
}

/* Characters an organ's abbreviation does not hold: sentence punctuation. */
static bool organ_char(uint32_t c)
{
    return !blank(c) && c != 0xFF0C && c != 0x3002 && c != 0xFF1B && c != 0xFF1A && c != 0x3001 &&
           c != ',' && c != ';' && c != ':' && c != 0x300A && c != 0x300B;
}

bool gw_doc_number_parse(const uint32_t *cp, size_t len, gw_doc_number *dn)
{
    memset(dn, 0, sizeof *dn);
    size_t k = 0;
    while (k < len && k <= ORGAN_MAX && !closing_bracket(cp[k]) && organ_char(cp[k]))
        k++;
    if (k == 0 || k > ORGAN_MAX || k >= len || !closing_bracket(cp[k]))
        return false;
    dn->organ_len = k;
    dn->open = cp[k];
    dn->close = closing_bracket(cp[k]);
    size_t i = k + 1;
    for (int n = 0; n < 4; n++, i++) {
        int d = i < len ? gw_digit_value(cp[i]) : -1;
        if (d < 0)
            return false;
        dn->year = dn->year * 10 + d;
    }
    if (i >= len || cp[i] != dn->close || dn->year < 1949)
        return false;
    i++;
    if (i < len && cp[i] == 0x7B2C) {            /* 第 */
        dn->di = true;
        i++;
    }
    size_t first = i;
    while (i < len && i - first < NUMBER_DIGITS_MAX && gw_digit_value(cp[i]) >= 0)
        dn->number = dn->number * 10 + gw_digit_value(cp[i++]);
    if (i == first || i + 1 != len || cp[i] != 0x53F7)   /* 号, and nothing after */
        return false;
    dn->leading_zero = gw_digit_value(cp[first]) == 0 && i - first > 1;
    dn->standard = dn->open == 0x3014 && !dn->di && !dn->leading_zero;
    return true;
}
