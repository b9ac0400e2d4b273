/* Unit tests of linebreak.c: the 25 cases of docs/linebreak.md, "The 25 worked cases"
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

/* ---- the 25 cases of docs/linebreak.md, "The 25 worked cases" ------------ */

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
    /* The Han junctions take the stretch (750 / 6); the gap after 庚 keeps its
     * quarter cell (issue 16 item 4; the rules this case came from once widened
     * it 250 → 500). */
    placed pl;
    place(&pl, "甲乙丙丁戊己庚2022年3月", 10, 0, gb(), 0);
    for (size_t k = 1; k <= 6; k++)
        assert_int_equal(junction(&pl, 0, k), 125);
    assert_int_equal(junction(&pl, 0, 7), 250);
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

/* Adjacent marks: 。” = 1.5, ，“ = 1.5, ）、 = 1.5, “” keeps 2 (docs/linebreak.md,
 * "Widths of punctuation"). */
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

/* ---- issue 16: spacing on the line ------------------------------------------ */

static bool is_han_cp(uint32_t cp)
{
    return cp >= 0x4E00 && cp <= 0x9FFF;
}

static bool is_digit_cp(uint32_t cp)
{
    return cp >= '0' && cp <= '9';
}

/* Item 4: a stretched line gives its extra space to the junctions between Han
 * characters and marks; every Han–digit gap keeps its quarter cell, as on the
 * paragraph's last (solid) line ("的 86 个", "约 3.2 万", not "的  86  个"). */
static void test_stretch_keeps_gap(void **state)
{
    (void)state;
    const char *text = "全年共组织送戏下乡演出44场，覆盖全县14个乡镇（街道）的86个行政村，观众约3.2万人次。"
                       "演出节目以本地采茶戏、小品和歌舞为主，新创作反映乡村振兴题材的节目6个。"
                       "活动经费预算48.00万元，实际支出46.35万元，预算执行率96.6%，2022年1-7月完成。";
    placed pl;
    place(&pl, text, 28, 2, gb(), 0);
    size_t n_lines = pl.n_lines;
    free(pl.lines);
    int gaps = 0, stretched = 0;
    for (size_t line = 0; line < n_lines; line++) {
        place(&pl, text, 28, 2, gb(), line);
        const gw_lb_line *ln = &pl.lines[line];
        size_t len = ln->end - ln->start;
        if (!ln->last) {
            assert_flush(&pl, line);
            stretched += ln->width < ln->avail;
        }
        for (size_t k = 1; k < len; k++) {
            uint32_t a = pl.items[ln->start + k - 1].cp, b = pl.items[ln->start + k].cp;
            if ((is_han_cp(a) && is_digit_cp(b)) || (is_digit_cp(a) && is_han_cp(b))) {
                if (junction(&pl, line, k) != 250)
                    fail_msg("line %zu item %zu: gap %d, want 250", line, k, junction(&pl, line, k));
                gaps++;
            }
        }
        free(pl.lines);
    }
    assert_true(gaps >= 12);
    assert_true(stretched >= 2);         /* the lines that widened the gaps before */
}

/* Item 4: on a line with no other junction the gaps take the stretch. */
static void test_stretch_gaps_when_nothing_else(void **state)
{
    (void)state;
    expect_case("甲11乙22丙33丁44|戊55己", 10, 0, gb());
    placed pl;
    place(&pl, "甲11乙22丙33丁44戊55己", 10, 0, gb(), 0);
    static const size_t at[] = { 1, 3, 4, 6, 7, 9, 10 };   /* the 7 gaps of 9.75 cells */
    static const int want[] = { 286, 286, 286, 286, 286, 285, 285 };
    for (size_t i = 0; i < 7; i++)
        assert_int_equal(junction(&pl, 0, at[i]), want[i]);
    assert_int_equal(junction(&pl, 0, 2), 0);              /* inside a number */
    assert_flush(&pl, 0);
    free(pl.lines);
}

/* Item 4: a Western-width postfix belongs to its number — 90% takes a gap after
 * it exactly when it took one before; a full-width ％ is a mark of its own. */
static void test_percent_gap(void **state)
{
    (void)state;
    placed pl;
    place(&pl, "满意度90%以上", 20, 0, gb(), 0);
    assert_int_equal(pl.place[3].x, 3000 + 250);           /* 度 | 90%: the gap */
    assert_int_equal(pl.place[6].x, 3250 + 1500 + 250);    /* 90% | 以: the same gap */
    free(pl.lines);
    place(&pl, "满意，90%以上", 20, 0, gb(), 0);
    assert_int_equal(pl.place[3].x, 3000);                 /* ，90%: no gap */
    assert_int_equal(pl.place[6].x, 3000 + 1500);          /* none after it either */
    free(pl.lines);
    place(&pl, "满意度90％以上", 20, 0, gb(), 0);
    assert_int_equal(pl.place[5].x, 3250 + 1000);          /* ％ of the CJK face: no gap */
    assert_int_equal(pl.place[6].x, 3250 + 1000 + 1000);
    free(pl.lines);
    placed typed;                                          /* a typed space is the gap */
    place(&typed, "满意度 90% 以上", 20, 0, gb(), 0);
    assert_int_equal(typed.place[8].x, 3250 + 1500 + 250);
    assert_int_equal(typed.place[7].slot, 250);
    free(typed.lines);
}

/* Item 5: a line-start opener loses its blank, so its ink meets the left edge,
 * and the line holds the half cell it frees. */
static void test_line_start_opener_flush(void **state)
{
    (void)state;
    expect_case("“甲乙丙丁戊己庚辛壬”|子丑", 10, 0, gb());
    placed pl;
    place(&pl, "“甲乙丙丁戊己庚辛壬”子丑", 10, 0, gb(), 0);
    assert_int_equal(pl.lines[0].lead_blank, 0);
    assert_int_equal(pl.lines[0].width, 10000);
    assert_int_equal(pl.place[0].x, 0);
    assert_int_equal(pl.place[0].slot, 500);
    assert_int_equal(pl.place[0].trim_left, 500);          /* the blank half is cut */
    assert_int_equal(pl.place[1].x, 500);
    assert_flush(&pl, 0);
    free(pl.lines);
    /* A continuation line that starts with （ and is stretched: the ink at 0. */
    const char *text = "甲乙丙丁戊己庚辛壬（癸子丑寅卯辰巳午未申）酉戌";
    expect_case("甲乙丙丁戊己庚辛壬|（癸子丑寅卯辰巳午未|申）酉戌", 10, 0, gb());
    place(&pl, text, 10, 0, gb(), 1);
    assert_int_equal(pl.lines[1].lead_blank, 0);
    assert_int_equal(pl.place[0].x, 0);
    assert_int_equal(pl.place[0].slot, 500);
    assert_int_equal(pl.place[0].trim_left, 500);
    assert_flush(&pl, 1);
    free(pl.lines);
}

/* Item 5: an opener after a paragraph's first-line indent keeps its blank (the
 * indent is in whole cells: （一） stays on the grid); WORD_GRID keeps it always. */
static void test_indented_opener_keeps_blank(void **state)
{
    (void)state;
    placed pl;
    place(&pl, "（一）甲乙丙丁戊己庚辛壬癸子", 10, 2, gb(), 0);
    assert_int_equal(pl.lines[0].lead_blank, 500);
    assert_int_equal(pl.place[0].slot, 1000);
    assert_int_equal(pl.place[0].trim_left, 0);
    assert_flush(&pl, 0);
    free(pl.lines);
    place(&pl, "甲乙丙丁戊己庚辛壬（癸子）丑寅", 10, 0, word_grid(), 1);
    assert_int_equal(pl.lines[1].lead_blank, 500);
    assert_int_equal(pl.place[0].slot, 1000);
    free(pl.lines);
}

/* Item 6: ） at the line's end has lost its blank, so （ keeps its own; the
 * push-in takes the half cell from ， and the gaps instead of "乡镇(街道)". */
static void test_bracket_pair_not_both_half(void **state)
{
    (void)state;
    const char *text = "全年共组织送戏下乡演出44场，覆盖全县14个乡镇（街道）的86个行政村。";
    expect_case("全年共组织送戏下乡演出44场，覆盖全县14个乡镇（街道）|的86个行政村。", 28, 2, gb());
    placed pl;
    place(&pl, text, 28, 2, gb(), 0);
    size_t len = pl.lines[0].end - pl.lines[0].start;
    assert_int_equal(pl.place[len - 4].slot, 1000);        /* （ keeps its blank */
    assert_int_equal(pl.place[len - 1].slot, 500);         /* ） at the line end */
    assert_int_equal(pl.place[14].slot, 500);              /* ， gives its blank */
    assert_flush(&pl, 0);
    free(pl.lines);
    /* A short line (a table cell): rather than 甲(乙丙), push out. */
    expect_case("甲|（乙丙）", 4, 0, gb());
    /* Both marks of a pair mid-line may give part of their blanks: 750 each. */
    place(&pl, "甲（乙丙）丁。戊己", 6, 0, gb(), 0);
    assert_int_equal(pl.place[1].slot + pl.place[4].slot, 1500);
    free(pl.lines);
    expect_case("甲（乙丙）丁。|戊己", 6, 0, gb());
}

/* Item 6: when nothing else on the line can give, a line of 14 cells or more
 * (half the type area) may still set both marks of a pair at half width; a
 * shorter one pushes out instead. */
static void test_bracket_pair_last_resort(void **state)
{
    (void)state;
    expect_case("甲“乙丙丁戊己庚辛壬癸子丑寅”|卯辰", 14, 0, gb());
    placed pl;
    place(&pl, "甲“乙丙丁戊己庚辛壬癸子丑寅”卯辰", 14, 0, gb(), 0);
    assert_int_equal(pl.place[1].slot, 500);
    assert_int_equal(pl.place[14].slot, 500);
    assert_flush(&pl, 0);
    free(pl.lines);
    expect_case("甲“乙丙丁戊己庚辛壬癸子|丑”寅卯", 13, 0, gb());
    /* A comma on the long line gives first: the pair keeps its blank. */
    expect_case("甲“乙丙，丁戊己庚辛壬癸子丑”|寅卯", 14, 0, gb());
    place(&pl, "甲“乙丙，丁戊己庚辛壬癸子丑”寅卯", 14, 0, gb(), 0);
    assert_int_equal(pl.place[1].slot, 1000);
    assert_int_equal(pl.place[4].slot, 500);
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
        cmocka_unit_test(test_stretch_keeps_gap),
        cmocka_unit_test(test_stretch_gaps_when_nothing_else),
        cmocka_unit_test(test_percent_gap),
        cmocka_unit_test(test_line_start_opener_flush),
        cmocka_unit_test(test_indented_opener_keeps_blank),
        cmocka_unit_test(test_bracket_pair_not_both_half),
        cmocka_unit_test(test_bracket_pair_last_resort),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
