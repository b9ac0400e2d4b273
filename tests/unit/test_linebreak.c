/* Unit tests of linebreak.c: kinsoku, atoms, push-out, emergency splits and
 * justification, on items without fonts (CJK = 1000 units, ASCII = 500). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "linebreak.h"
#include "utf8.h"

/* Items from UTF-8: ASCII half a cell, everything else a full cell; '\n' is a forced break. */
static size_t make_items(const char *s, gw_lb_item *items, size_t cap)
{
    size_t n = 0, len = strlen(s);
    const unsigned char *p = (const unsigned char *)s;
    while (len > 0 && n < cap) {
        uint32_t cp;
        size_t k = gw_utf8_decode(p, len, &cp);
        assert_true(k > 0);
        if (cp == '\n')
            items[n++] = (gw_lb_item){ GW_CP_LINE_BREAK, 0 };
        else
            items[n++] = (gw_lb_item){ cp, cp < 0x80 ? 500 : 1000 };
        p += k;
        len -= k;
    }
    return n;
}

/* The lines as text joined by '|'. */
static char *broken(const char *s, int cells, int indent_cells)
{
    gw_lb_item items[512];
    size_t n = make_items(s, items, 512);
    gw_lb_params p = { cells * 1000, indent_cells * 1000 };
    gw_lb_line *lines;
    size_t n_lines;
    assert_int_equal(gw_break_paragraph(items, n, &p, &lines, &n_lines), 0);
    char *out = calloc(1, 4096);
    size_t at = 0;
    for (size_t i = 0; i < n_lines; i++) {
        if (i)
            out[at++] = '|';
        for (size_t k = lines[i].start; k < lines[i].end; k++)
            at += gw_utf8_encode(items[k].cp, out + at);
        assert_true(lines[i].width <= lines[i].avail || lines[i].end - lines[i].start == 1);
    }
    free(lines);
    return out;
}

static void expect_lines(const char *input, int cells, int indent, const char *want)
{
    char *got = broken(input, cells, indent);
    assert_string_equal(got, want);
    free(got);
}

static void test_fills_exactly(void **state)
{
    (void)state;
    expect_lines("甲乙丙丁戊己庚辛壬癸子丑寅", 10, 0, "甲乙丙丁戊己庚辛壬癸|子丑寅");
    /* Rules file case 20: 26 cells after the 2-cell indent. */
    expect_lines("各地区、各部门要高度重视，切实加强组织领导，认真抓好贯彻落实。执行中遇到的问题，请及时报告。",
                 28, 2, "各地区、各部门要高度重视，切实加强组织领导，认真抓好|贯彻落实。执行中遇到的问题，请及时报告。");
}

static void test_closing_mark_never_starts_line(void **state)
{
    (void)state;
    /* Case 2: 。 may not start line 2, so 癸 goes down with it. */
    expect_lines("甲乙丙丁戊己庚辛壬癸。子丑寅", 10, 0, "甲乙丙丁戊己庚辛壬|癸。子丑寅");
    /* Case 3: 。” both go down with 癸. */
    expect_lines("甲乙丙丁戊己庚辛壬癸。”子丑寅", 10, 0, "甲乙丙丁戊己庚辛壬|癸。”子丑寅");
    /* Every closing mark of the basic set. */
    const char *marks[] = { "，", "。", "、", "；", "：", "？", "！", "）", "》", "”" };
    for (size_t i = 0; i < sizeof marks / sizeof *marks; i++) {
        char in[128], want[128];
        snprintf(in, sizeof in, "甲乙丙丁戊己庚辛壬癸%s子", marks[i]);
        snprintf(want, sizeof want, "甲乙丙丁戊己庚辛壬|癸%s子", marks[i]);
        expect_lines(in, 10, 0, want);
    }
}

static void test_opening_mark_never_ends_line(void **state)
{
    (void)state;
    /* Case 4. */
    expect_lines("甲乙丙丁戊己庚辛壬（癸子）丑寅", 10, 0, "甲乙丙丁戊己庚辛壬|（癸子）丑寅");
    const char *marks[] = { "（", "《", "“" };
    for (size_t i = 0; i < 3; i++) {
        char in[128], want[128];
        snprintf(in, sizeof in, "甲乙丙丁戊己庚辛壬%s癸子", marks[i]);
        snprintf(want, sizeof want, "甲乙丙丁戊己庚辛壬|%s癸子", marks[i]);
        expect_lines(in, 10, 0, want);
    }
}

static void test_atoms_stay_whole(void **state)
{
    (void)state;
    /* Case 6 and 7: —— and …… are atoms and may start a line. */
    expect_lines("甲乙丙丁戊己庚辛壬——癸子丑寅", 10, 0, "甲乙丙丁戊己庚辛壬|——癸子丑寅");
    expect_lines("甲乙丙丁戊己庚辛壬……子丑寅", 10, 0, "甲乙丙丁戊己庚辛壬|……子丑寅");
    /* A number with separators and a percent sign is never split. */
    expect_lines("甲乙丙丁戊己庚辛97.85%", 10, 0, "甲乙丙丁戊己庚辛|97.85%");
    expect_lines("甲乙丙丁戊己庚1,286.50元", 10, 0, "甲乙丙丁戊己庚|1,286.50元");
    /* Case 11: the currency prefix belongs to its number. */
    expect_lines("甲乙丙丁戊己庚辛壬￥100元", 10, 0, "甲乙丙丁戊己庚辛壬|￥100元");
    /* A Latin word is whole. */
    expect_lines("我们正在使用Typesetting系统", 10, 0, "我们正在使用|Typesetting系统");
}

static void test_spaces_vanish_at_breaks(void **state)
{
    (void)state;
    /* The author's space at a break is neither at the end nor the start of a line. */
    expect_lines("甲乙丙丁戊己庚辛壬 2022 年", 10, 0, "甲乙丙丁戊己庚辛壬|2022 年");
    expect_lines("  甲乙", 10, 0, "甲乙");
}

static void test_emergency_split(void **state)
{
    (void)state;
    /* Case 19: a Latin run wider than the line is split at the fill point. */
    expect_lines("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 10, 0, "ABCDEFGHIJKLMNOPQRST|UVWXYZ");
}

static void test_forced_breaks_and_empty(void **state)
{
    (void)state;
    expect_lines("甲乙\n丙丁", 10, 0, "甲乙|丙丁");
    expect_lines("", 10, 0, "");
}

static void test_kinsoku_classes(void **state)
{
    (void)state;
    assert_true(gw_lb_no_start(0xFF0C));   /* ， */
    assert_true(gw_lb_no_start(0x3002));   /* 。 */
    assert_true(gw_lb_no_start(0x201D));   /* ” */
    assert_false(gw_lb_no_start(0x201C));  /* “ */
    assert_true(gw_lb_no_end(0x201C));
    assert_true(gw_lb_no_end(0xFF08));     /* （ */
    assert_true(gw_lb_no_end(0x300A));     /* 《 */
    assert_false(gw_lb_no_end(0x3002));
}

/* Justified lines end exactly at the right edge; the last line is solid. */
static void test_justification(void **state)
{
    (void)state;
    gw_lb_item items[64];
    size_t n = make_items("甲乙丙丁戊己庚辛壬癸。子丑寅", items, 64);
    gw_lb_params p = { 10000, 0 };
    gw_lb_line *lines;
    size_t n_lines;
    assert_int_equal(gw_break_paragraph(items, n, &p, &lines, &n_lines), 0);
    assert_int_equal(n_lines, 2);
    int off[16];
    gw_place_line(items, &lines[0], true, off);
    size_t k = lines[0].end - lines[0].start;
    assert_int_equal(k, 9);
    /* 9 cells stretched over 8 junctions: +125 each (rules file case 2). */
    for (size_t i = 0; i < k; i++)
        assert_int_equal(off[i], (int)i * 1125);
    assert_int_equal(off[k - 1] + items[lines[0].end - 1].width, 10000);
    gw_place_line(items, &lines[1], true, off);
    for (size_t i = 0; i < lines[1].end - lines[1].start; i++)
        assert_int_equal(off[i], (int)i * 1000);
    free(lines);
}

/* Digits inside a number take no stretch; the junctions around it do. */
static void test_no_stretch_inside_atoms(void **state)
{
    (void)state;
    gw_lb_item items[64];
    size_t n = make_items("甲乙丙丁戊己庚辛壬12。子", items, 64);
    gw_lb_params p = { 10000, 0 };
    gw_lb_line *lines;
    size_t n_lines;
    assert_int_equal(gw_break_paragraph(items, n, &p, &lines, &n_lines), 0);
    int off[16];
    gw_place_line(items, &lines[0], true, off);
    /* Line 1 is 甲…壬 (9 cells): "12。" cannot be split from 。, and 壬|1 is legal. */
    assert_int_equal(lines[0].end - lines[0].start, 9);
    free(lines);
    n = make_items("甲乙丙丁戊己庚2022年。子丑", items, 64);
    assert_int_equal(gw_break_paragraph(items, n, &p, &lines, &n_lines), 0);
    gw_place_line(items, &lines[0], true, off);
    size_t first_digit = 7;
    assert_int_equal(off[first_digit + 1] - off[first_digit], 500);
    assert_int_equal(off[first_digit + 3] - off[first_digit + 2], 500);
    int last = (int)(lines[0].end - lines[0].start) - 1;
    assert_int_equal(off[last] + items[lines[0].start + (size_t)last].width, 10000);
    free(lines);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fills_exactly),
        cmocka_unit_test(test_closing_mark_never_starts_line),
        cmocka_unit_test(test_opening_mark_never_ends_line),
        cmocka_unit_test(test_atoms_stay_whole),
        cmocka_unit_test(test_spaces_vanish_at_breaks),
        cmocka_unit_test(test_emergency_split),
        cmocka_unit_test(test_forced_breaks_and_empty),
        cmocka_unit_test(test_kinsoku_classes),
        cmocka_unit_test(test_justification),
        cmocka_unit_test(test_no_stretch_inside_atoms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
