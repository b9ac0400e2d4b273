/* Unit tests of linebreak.c: the 25 cases of ../shared/cjk-layout-rules.md §8
 * (break positions and the slots and stretch they name), then kinsoku, atoms,
 * adjacent marks, gaps and justification, on items without fonts: CJK = 1000
 * units, ASCII = 500 (space included), as the cases assume. */
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
static char *broken_with(const char *s, int cells, int indent_cells, gw_lb_options opt)
{
    gw_lb_item items[512];
    size_t n = make_items(s, items, 512);
    gw_lb_params p = { cells * 1000, indent_cells * 1000, opt };
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
    }
    free(lines);
    return out;
}

static gw_lb_options gb(void)
{
    return gw_lb_default_options();
}

static gw_lb_options word_grid(void)
{
    gw_lb_options o = gw_lb_default_options();
    o.profile = GW_LB_WORD_GRID;
    return o;
}

static gw_lb_options strict(void)
{
    gw_lb_options o = gw_lb_default_options();
    o.strict = true;
    return o;
}

static gw_lb_options glue_num_han(void)
{
    gw_lb_options o = gw_lb_default_options();
    o.glue_num_han = true;
    return o;
}

static void expect_opt(const char *input, int cells, int indent, gw_lb_options opt,
                       const char *want)
{
    char *got = broken_with(input, cells, indent, opt);
    if (strcmp(got, want) != 0)
        fail_msg("%s\n  got  %s\n  want %s", input, got, want);
    free(got);
}

/* The expected lines, written with '|': the input is the same text without them. */
static void expect_case(const char *want, int cells, int indent, gw_lb_options opt)
{
    char input[1024];
    size_t j = 0;
    for (const char *c = want; *c; c++)
        if (*c != '|')
            input[j++] = *c;
    input[j] = '\0';
    expect_opt(input, cells, indent, opt, want);
}

/* A placed line: the paragraph's lines and each item's slot. */
typedef struct placed {
    gw_lb_item items[256];
    size_t n;
    gw_lb_line *lines;
    size_t n_lines;
    gw_lb_place place[256];      /* of the line asked for */
} placed;

static void place(placed *pl, const char *text, int cells, int indent, gw_lb_options opt,
                  size_t line)
{
    pl->n = make_items(text, pl->items, 256);
    gw_lb_params p = { cells * 1000, indent * 1000, opt };
    assert_int_equal(gw_break_paragraph(pl->items, pl->n, &p, &pl->lines, &pl->n_lines), 0);
    assert_true(line < pl->n_lines);
    assert_int_equal(gw_place_line(pl->items, &pl->lines[line], &p, true, pl->place), 0);
}

/* Offset of the k-th item of the line from the end of the one before it
 * (the stretch or shrink at that junction). */
static int junction(const placed *pl, size_t line, size_t k)
{
    const gw_lb_place *a = &pl->place[k - 1], *b = &pl->place[k];
    (void)line;
    return b->x - (a->x + a->slot);
}

/* The line's last slot ends at the line's available width. */
static void assert_flush(const placed *pl, size_t line)
{
    const gw_lb_line *ln = &pl->lines[line];
    size_t len = ln->end - ln->start;
    assert_int_equal(pl->place[len - 1].x + pl->place[len - 1].slot, ln->avail);
}

/* ---- the 25 cases of ../shared/cjk-layout-rules.md §8 ---------------------- */

static void test_case_01(void **state)
{
    (void)state;
    expect_case("甲乙丙，丁戊己庚辛壬。|癸子丑寅", 10, 0, gb());
    expect_case("甲乙丙，丁戊己庚辛|壬。癸子丑寅", 10, 0, word_grid());
    /* push-in: ， → 0.5, 。 → 0.5, and the line is exactly full. */
    placed pl;
    place(&pl, "甲乙丙，丁戊己庚辛壬。癸子丑寅", 10, 0, gb(), 0);
    assert_int_equal(pl.place[3].slot, 500);
    assert_int_equal(pl.place[3].trim_right, 500);
    assert_int_equal(pl.place[10].slot, 500);
    assert_flush(&pl, 0);
    free(pl.lines);
}

static void test_case_02(void **state)
{
    (void)state;
    expect_case("甲乙丙丁戊己庚辛壬|癸。子丑寅", 10, 0, gb());
    placed pl;
    place(&pl, "甲乙丙丁戊己庚辛壬癸。子丑寅", 10, 0, gb(), 0);
    for (size_t k = 1; k < 9; k++)
        assert_int_equal(junction(&pl, 0, k), 125);   /* +125 at each of 8 junctions */
    assert_flush(&pl, 0);
    free(pl.lines);
}

static void test_case_03(void **state)
{
    (void)state;
    expect_case("甲乙丙丁戊己庚辛壬|癸。”子丑寅", 10, 0, gb());
}

static void test_case_04(void **state)
{
    (void)state;
    expect_case("甲乙丙丁戊己庚辛壬|（癸子）丑寅", 10, 0, gb());
}

static void test_case_05(void **state)
{
    (void)state;
    expect_case("甲乙丙丁戊己庚辛壬，|癸子丑寅", 10, 0, gb());
    placed pl;
    place(&pl, "甲乙丙丁戊己庚辛壬，癸子丑寅", 10, 0, gb(), 0);
    static const int want[] = { 56, 56, 56, 56, 56, 55, 55, 55, 55 };
    for (size_t k = 1; k <= 9; k++)
        assert_int_equal(junction(&pl, 0, k), want[k - 1]);
    assert_int_equal(pl.place[9].slot, 500);          /* end ， = 0.5 */
    assert_flush(&pl, 0);
    free(pl.lines);
}

static void test_case_06(void **state)
{
    (void)state;
    expect_case("甲乙丙丁戊己庚辛壬|——癸子丑寅", 10, 0, gb());
    expect_case("甲乙丙丁戊己庚辛|壬——癸子丑寅", 10, 0, strict());
}

static void test_case_07(void **state)
{
    (void)state;
    expect_case("甲乙丙丁戊己庚辛壬|……子丑寅", 10, 0, gb());
    expect_case("甲乙丙丁戊己庚辛|壬……子丑寅", 10, 0, strict());
}

static void test_case_08(void **state)
{
    (void)state;
    expect_case("截至目前已完成|97.85%", 10, 0, gb());
}

static void test_case_09(void **state)
{
    (void)state;
    expect_case("甲乙丙丁戊己庚2022|年3月", 10, 0, gb());
    expect_case("甲乙丙丁戊己庚|2022年3月", 10, 0, glue_num_han());
    /* The gap after 庚 grows 250 → 500, the Han junctions share the rest. */
    placed pl;
    place(&pl, "甲乙丙丁戊己庚2022年3月", 10, 0, gb(), 0);
    static const int want[] = { 84, 84, 83, 83, 83, 83 };
    for (size_t k = 1; k <= 6; k++)
        assert_int_equal(junction(&pl, 0, k), want[k - 1]);
    assert_int_equal(junction(&pl, 0, 7), 500);
    assert_int_equal(junction(&pl, 0, 8), 0);         /* inside the number */
    assert_flush(&pl, 0);
    free(pl.lines);
}

static void test_case_10(void **state)
{
    (void)state;
    expect_case("我们正在使用|Typesetting系统", 10, 0, gb());
    expect_opt("我们正在使用 Typesetting 系统", 10, 0, gb(), "我们正在使用|Typesetting 系统");
    /* The typed space is the gap: a quarter cell, never a space and a gap. */
    placed pl;
    place(&pl, "我们正在使用 Typesetting 系统", 10, 0, gb(), 1);
    const gw_lb_line *ln = &pl.lines[1];
    size_t sp = 11;                                     /* the space before 系 */
    assert_int_equal(pl.items[ln->start + sp].cp, ' ');
    assert_int_equal(pl.place[sp].slot, 250);
    assert_int_equal(pl.place[sp + 1].x, 11 * 500 + 250);
    free(pl.lines);
}

static void test_case_11(void **state)
{
    (void)state;
    expect_case("甲乙丙丁戊己庚辛壬|￥100元", 10, 0, gb());
}

static void test_case_12(void **state)
{
    (void)state;
    expect_case("甲乙丙丁戊己阿卜杜|勒·卡迪尔", 10, 0, gb());
    placed pl;
    place(&pl, "甲乙丙丁戊己阿卜杜勒·卡迪尔", 10, 0, gb(), 1);
    assert_int_equal(pl.place[1].slot, 500);           /* · in half a cell, centred */
    assert_int_equal(pl.place[1].trim_left, 250);
    assert_int_equal(pl.place[1].trim_right, 250);
    free(pl.lines);
}

static void test_case_13(void **state)
{
    (void)state;
    expect_case("甲乙丙丁戊己庚（辛|壬）。癸子", 10, 0, gb());
}

static void test_case_14(void **state)
{
    (void)state;
    expect_case("甲乙（丙）丁戊己庚辛。|子丑寅", 10, 0, gb());
    placed pl;
    place(&pl, "甲乙（丙）丁戊己庚辛。子丑寅", 10, 0, gb(), 0);
    assert_int_equal(pl.place[2].slot, 750);           /* （ and ） 750 u each */
    assert_int_equal(pl.place[2].trim_left, 250);
    assert_int_equal(pl.place[4].slot, 750);
    assert_int_equal(pl.place[4].trim_right, 250);
    assert_flush(&pl, 0);
    free(pl.lines);
}

static void test_case_15(void **state)
{
    (void)state;
    expect_case("甲乙丙丁戊己庚辛？！|壬癸", 10, 0, gb());
}

static void test_case_16(void **state)
{
    (void)state;
    expect_case("甲乙丙丁戊己庚辛壬|癸子。", 10, 0, gb());
}

static void test_case_17(void **state)
{
    (void)state;
    expect_case("甲乙丙丁戊己庚辛。”子", 10, 0, gb());
    placed pl;
    place(&pl, "甲乙丙丁戊己庚辛。”子", 10, 0, gb(), 0);
    assert_int_equal(pl.place[8].slot, 500);           /* 。 compressed against ” */
    assert_int_equal(pl.place[9].slot, 500);           /* ” → 0.5 to pull 子 up */
    assert_flush(&pl, 0);
    free(pl.lines);
}

static void test_case_18(void **state)
{
    (void)state;
    expect_case("甲乙。丙丁戊己庚辛|壬。癸子", 10, 0, gb());
}

static void test_case_19(void **state)
{
    (void)state;
    expect_case("ABCDEFGHIJKLMNOPQRST|UVWXYZ", 10, 0, gb());
}

static void test_case_20(void **state)
{
    (void)state;
    expect_case("各地区、各部门要高度重视，切实加强组织领导，认真抓好|贯彻落实。执行中遇到的问题，请及时报告。",
                28, 2, gb());
}

static void test_case_21(void **state)
{
    (void)state;
    expect_case("本办法自印发之日起施行，由市政府办公厅法规处负责解释。", 28, 2, gb());
    placed pl;
    place(&pl, "本办法自印发之日起施行，由市政府办公厅法规处负责解释。", 28, 2, gb(), 0);
    assert_int_equal(pl.place[11].slot, 500);          /* ， → 0.5 */
    assert_flush(&pl, 0);                              /* a last line shrunk to fit */
    free(pl.lines);
}

static void test_case_22(void **state)
{
    (void)state;
    expect_case("各级机关均应当按照本办法规定的程序和时限及时办理公|文。对于紧急公文，应当随到随办。",
                28, 2, gb());
}

static void test_case_23(void **state)
{
    (void)state;
    expect_case("各地区、各部门要高度重视，切实加强组织领导，认真抓好|贯彻落实工作，确保各项政策措施落到实处，有关情况请及时|报送。",
                28, 2, gb());
}

static void test_case_24(void **state)
{
    (void)state;
    expect_case("根据《国务院办公厅关于进一步做好公文处理工作的通知》|（国办发〔2012〕10号）精神，制定本办法。",
                28, 2, gb());
    placed pl;
    place(&pl, "根据《国务院办公厅关于进一步做好公文处理工作的通知》（国办发〔2012〕10号）精神，制定本办法。",
          28, 2, gb(), 0);
    size_t len = pl.lines[0].end - pl.lines[0].start;
    assert_int_equal(pl.place[len - 1].slot, 500);     /* end 》 = 0.5 */
    assert_flush(&pl, 0);
    free(pl.lines);
}

static void test_case_25(void **state)
{
    (void)state;
    expect_case("本办法自印发之日起施行，由市政府办公厅法规处负责解|释。", 28, 2, word_grid());
}

/* ---- more than the cases ---------------------------------------------------- */

static void test_closing_mark_never_starts_line(void **state)
{
    (void)state;
    const char *marks[] = { "，", "。", "、", "；", "：", "？", "！", "）", "》", "”" };
    for (size_t i = 0; i < sizeof marks / sizeof *marks; i++) {
        char in[128];
        snprintf(in, sizeof in, "甲乙丙丁戊己庚辛壬癸%s子", marks[i]);
        char *got = broken_with(in, 10, 0, word_grid());
        const char *bar = strchr(got, '|');
        assert_non_null(bar);
        assert_false(strncmp(bar + 1, marks[i], strlen(marks[i])) == 0);
        free(got);
    }
}

static void test_opening_mark_never_ends_line(void **state)
{
    (void)state;
    const char *marks[] = { "（", "《", "“" };
    for (size_t i = 0; i < 3; i++) {
        char in[128], want[128];
        snprintf(in, sizeof in, "甲乙丙丁戊己庚辛壬%s癸子丑", marks[i]);
        snprintf(want, sizeof want, "甲乙丙丁戊己庚辛壬|%s癸子丑", marks[i]);
        expect_opt(in, 10, 0, gb(), want);
    }
}

static void test_numbers_whole(void **state)
{
    (void)state;
    expect_case("甲乙丙丁戊己|1,286.50元", 10, 0, gb());
    expect_case("甲乙丙丁戊己庚辛|2.6TB", 10, 0, gb());
}

static void test_forced_breaks_and_empty(void **state)
{
    (void)state;
    expect_opt("甲乙\n丙丁", 10, 0, gb(), "甲乙|丙丁");
    expect_opt("", 10, 0, gb(), "");
    expect_opt("  甲乙", 10, 0, gb(), "甲乙");
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

/* Adjacent marks: 。” = 1.5, ，“ = 1.5, ）、 = 1.5, “” keeps 2 (rules file §5). */
static void test_adjacent_marks(void **state)
{
    (void)state;
    static const struct { const char *text; int a, b; } cases[] = {
        { "甲。”乙", 500, 1000 }, { "甲，“乙", 500, 1000 }, { "甲）、乙", 500, 1000 },
        { "甲“”乙", 1000, 1000 }, { "甲“《乙", 1000, 500 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        placed pl;
        place(&pl, cases[i].text, 20, 0, gb(), 0);
        assert_int_equal(pl.place[1].slot, cases[i].a);
        assert_int_equal(pl.place[2].slot, cases[i].b);
        free(pl.lines);
    }
}

/* No double gap: "2022 年" and "2022年" are set alike. */
static void test_gap_typed_or_not(void **state)
{
    (void)state;
    placed a, b;
    place(&a, "本部门2022年总体", 20, 0, gb(), 0);
    place(&b, "本部门 2022 年总体", 20, 0, gb(), 0);
    assert_int_equal(a.place[3].x, 3000 + 250);
    assert_int_equal(a.place[7].x, 3000 + 250 + 2000 + 250);
    assert_int_equal(b.place[4].x, a.place[3].x);
    assert_int_equal(b.place[9].x, a.place[7].x);
    assert_int_equal(b.place[3].slot, 250);
    free(a.lines);
    free(b.lines);
}

/* Every line of a long paragraph but the last ends exactly at the edge. */
static void test_long_paragraph_flush(void **state)
{
    (void)state;
    placed pl;
    const char *text = "部门总体绩效目标为弘扬劳模精神、劳动精神、工匠精神，充分发挥党和政府联系职工群众的"
                       "桥梁和纽带作用，竭尽全力服务职工，维护职工合法权益、增强工作组织服务职工的能力。"
                       "年度支出总预算为 922.64 万元，支出决算数为 902.83 万元，执行率为 97.85%。";
    place(&pl, text, 28, 2, gb(), 0);
    gw_lb_params p = { 28000, 2000, gb() };
    for (size_t i = 0; i + 1 < pl.n_lines; i++) {
        gw_lb_place out[256];
        assert_int_equal(gw_place_line(pl.items, &pl.lines[i], &p, true, out), 0);
        size_t len = pl.lines[i].end - pl.lines[i].start;
        assert_int_equal(out[len - 1].x + out[len - 1].slot, pl.lines[i].avail);
        assert_false(gw_lb_no_start(pl.items[pl.lines[i + 1].start].cp));
        assert_false(gw_lb_no_end(pl.items[pl.lines[i].end - 1].cp));
    }
    free(pl.lines);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_case_01),
        cmocka_unit_test(test_case_02),
        cmocka_unit_test(test_case_03),
        cmocka_unit_test(test_case_04),
        cmocka_unit_test(test_case_05),
        cmocka_unit_test(test_case_06),
        cmocka_unit_test(test_case_07),
        cmocka_unit_test(test_case_08),
        cmocka_unit_test(test_case_09),
        cmocka_unit_test(test_case_10),
        cmocka_unit_test(test_case_11),
        cmocka_unit_test(test_case_12),
        cmocka_unit_test(test_case_13),
        cmocka_unit_test(test_case_14),
        cmocka_unit_test(test_case_15),
        cmocka_unit_test(test_case_16),
        cmocka_unit_test(test_case_17),
        cmocka_unit_test(test_case_18),
        cmocka_unit_test(test_case_19),
        cmocka_unit_test(test_case_20),
        cmocka_unit_test(test_case_21),
        cmocka_unit_test(test_case_22),
        cmocka_unit_test(test_case_23),
        cmocka_unit_test(test_case_24),
        cmocka_unit_test(test_case_25),
        cmocka_unit_test(test_closing_mark_never_starts_line),
        cmocka_unit_test(test_opening_mark_never_ends_line),
        cmocka_unit_test(test_numbers_whole),
        cmocka_unit_test(test_forced_breaks_and_empty),
        cmocka_unit_test(test_kinsoku_classes),
        cmocka_unit_test(test_adjacent_marks),
        cmocka_unit_test(test_gap_typed_or_not),
        cmocka_unit_test(test_long_paragraph_flush),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
