/* numbering — the generated number of a heading or list item, and the
 * recogniser of one typed into a text (see numbering.c). */
#ifndef GW_NUMBERING_H
#define GW_NUMBERING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The generated number of a heading or list item: level 1 "一、", 2 "（一）",
 * 3 "1.", 4 "（1）", 5 (items under level 4) "①".  Writes UTF-8 into buf. */
void gw_format_number(int level, int n, char *buf, size_t size);

/* A number typed at the start of a heading or list item. */
typedef struct gw_typed_number {
    int level;       /* 1 一、  2 （一）  3 1. or 1、  4 （1） or （1）、  5 ① */
    int value;       /* 1..99 */
    size_t len;      /* code points taken by the number and the blanks after it */
} gw_typed_number;

/* Does cp[0..len) start with a typed number followed by some text?  "2022年",
 * "1.5万元" and "3.5%" do not; "一、" "(一)" "（一）、" "1." "1．" "1、" "（1）"
 * "(1)、" "①" do.  Blanks (space, tab, U+3000) after the number count in len. */
bool gw_typed_number_match(const uint32_t *cp, size_t len, gw_typed_number *num);

/* The readers the recogniser is built of (import's dates use them too):
 * a digit 0–9 (ASCII or full width), else -1; 一 … 九 → 1 … 9 (with zeros:
 * 〇 零 ○ → 0), else -1; a Chinese number 1..99 at cp (一, 十, 十一, 二十一),
 * the characters used or 0; a run of at most max_digits digits with no
 * leading zero, the digits used or 0. */
int gw_digit_value(uint32_t c);
int gw_cn_digit(uint32_t c, bool zeros);
size_t gw_cn_number(const uint32_t *cp, size_t len, int *value);
size_t gw_arabic_number(const uint32_t *cp, size_t len, size_t max_digits, int *value);

#endif
