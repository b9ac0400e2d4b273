/* test_lint — unit tests of the proofreading checks (src/lint/lint.c): each rule on
 * small sources with the exact findings (line:column: message) expected, what
 * must not be reported, the safe fixes applied to the raw bytes, and the real
 * report's source.
 *
 * Run by ctest (unit_lint). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lint.h"
#include "model.h"

#define REAL_REPORT GW_SOURCE_DIR "/content/zengcheng-2022-budget-self-evaluation.xml"

/* A source with the given body (lines 3…) after a label (so no signature is expected). */
#define DOC(body) "<report version=\"1\">\n<label>附件1</label><title>报告</title>\n" body "</report>\n"

static gw_doc *load(const char *src)
{
    FILE *sink = fopen("/dev/null", "w");
    assert_non_null(sink);
    gw_diag d = gw_diag_init(sink);
    gw_doc *doc = gw_doc_load_memory("t.xml", src, strlen(src), NULL, NULL, &d);
    fclose(sink);
    assert_non_null(doc);
    return doc;
}

/* The findings on src as "LINE:COL: message [fix]" lines. */
static char *lint_lines(const char *src)
{
    gw_doc *doc = load(src);
    gw_lint_report r;
    assert_int_equal(gw_lint_doc(doc, src, strlen(src), &r), 0);
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    assert_non_null(f);
    for (size_t i = 0; i < r.n; i++)
        fprintf(f, "%d:%d: %s%s\n", r.findings[i].pos.line, r.findings[i].pos.col,
                r.findings[i].message, r.findings[i].fix_to ? " [fix]" : "");
    fclose(f);
    gw_lint_report_free(&r);
    gw_doc_free(doc);
    return buf;
}

static void expect_lint(const char *src, const char *expected)
{
    char *got = lint_lines(src);
    assert_string_equal(got, expected);
    free(got);
}

/* src with the safe fixes applied. */
static char *fixed(const char *src)
{
    gw_doc *doc = load(src);
    gw_lint_report r;
    assert_int_equal(gw_lint_doc(doc, src, strlen(src), &r), 0);
    size_t len;
    char *out = gw_lint_fix(src, strlen(src), &r, &len);
    assert_non_null(out);
    assert_int_equal(len, strlen(out));
    gw_lint_report_free(&r);
    gw_doc_free(doc);
    return out;
}

/* ---- half-width punctuation --------------------------------------------- */

static void test_half_width_next_to_chinese(void **state)
{
    (void)state;
    expect_lint(DOC("<p>领导机关,受领导;职责是:如何?好!</p>\n"
                    "<p>a,中 中,a 中:</p>\n"),
                "3:8: half-width ',' next to Chinese text: use '，' [fix]\n"
                "3:12: half-width ';' next to Chinese text: use '；' [fix]\n"
                "3:16: half-width ':' next to Chinese text: use '：' [fix]\n"
                "3:19: half-width '?' next to Chinese text: use '？' [fix]\n"
                "3:21: half-width '!' next to Chinese text: use '！' [fix]\n"
                "4:5: half-width ',' next to Chinese text: use '，' [fix]\n"
                "4:9: half-width ',' next to Chinese text: use '，' [fix]\n"
                "4:13: half-width ':' next to Chinese text: use '：' [fix]\n");
}

static void test_half_width_left_alone(void **state)
{
    (void)state;
    /* Between digits, between Latin words, in a time or address: not next to
     * Chinese text; the ',' right after 人 is. */
    expect_lint(DOC("<p>共 1,000 人, see A, B; 10:30 http://example.org/a?b=1! (ok)</p>\n"
                    "<p>金额 922.64 万元 (约)。</p>\n"),
                "3:13: half-width ',' next to Chinese text: use '，' [fix]\n"
                "4:17: half-width '(' next to Chinese text: use '（' [fix]\n"
                "4:19: half-width ')' next to Chinese text: use '）' [fix]\n");
}

static void test_brackets_fixed_in_pairs(void **state)
{
    (void)state;
    /* '(' touches Chinese text, ')' does not: both change, or the pair would be mixed. */
    expect_lint(DOC("<p>项目(ABC) x</p>\n"),
                "3:6: half-width '(' next to Chinese text: use '（' [fix]\n"
                "3:10: half-width ')' pairing a bracket next to Chinese text: use '）' [fix]\n");
    char *out = fixed(DOC("<p>项目(ABC) x</p>\n"));
    assert_string_equal(out, DOC("<p>项目（ABC） x</p>\n"));
    free(out);
}

/* A run of marks touching Chinese text, and marks between straight quotes
 * that become “ ”, are fixed together: the fixed text has nothing left. */
static void test_fix_leaves_nothing(void **state)
{
    (void)state;
    const char *src = DOC("<p>是:;</p>\n<p>\"A\",\"B\"</p>\n");
    expect_lint(src,
                "3:5: half-width ':' next to Chinese text: use '：' [fix]\n"
                "3:6: half-width ';' in a run of punctuation next to Chinese text: use '；' [fix]\n"
                "4:4: straight quote '\"': use '“' [fix]\n"
                "4:6: straight quote '\"': use '”' [fix]\n"
                "4:7: half-width ',' next to Chinese text: use '，' [fix]\n"
                "4:8: straight quote '\"': use '“' [fix]\n"
                "4:10: straight quote '\"': use '”' [fix]\n");
    char *out = fixed(src);
    assert_string_equal(out, DOC("<p>是：；</p>\n<p>“A”，“B”</p>\n"));
    char *after = lint_lines(out);
    assert_string_equal(after, "");
    free(after);
    free(out);
}

/* ---- quotes and balance ------------------------------------------------- */

static void test_straight_quotes(void **state)
{
    (void)state;
    expect_lint(DOC("<p>评为\"优\"和\"良\"。</p>\n<p>他说\"好。</p>\n<p>It's 的'字'</p>\n"),
                "3:6: straight quote '\"': use '“' [fix]\n"
                "3:8: straight quote '\"': use '”' [fix]\n"
                "3:10: straight quote '\"': use '“' [fix]\n"
                "3:12: straight quote '\"': use '”' [fix]\n"
                "4:6: straight quote '\"': use '“' or '”' (an odd number of them here, so not "
                "paired automatically)\n"
                "5:10: straight quote ''' next to Chinese text: use '‘' or '’'\n"
                "5:12: straight quote ''' next to Chinese text: use '‘' or '’'\n");
    char *out = fixed(DOC("<p>评为\"优\"和\"良\"。</p>\n"));
    assert_string_equal(out, DOC("<p>评为“优”和“良”。</p>\n"));
    free(out);
}

static void test_unbalanced(void **state)
{
    (void)state;
    expect_lint(DOC("<p>（送温暖费）和“优”，don’t。</p>\n"
                    "<p>（未闭合，《书名）。</p>\n"
                    "<p>多余）和”</p>\n"
                    "<p>【一</p>\n"),
                "4:9: '《' is not closed before the '）' at line 4 column 12\n"
                "5:6: '）' closes nothing: no '（' before it\n"
                "5:8: '”' closes nothing: no '“' before it\n"
                "6:4: '【' is not closed (no '】' after it)\n");
}

/* ---- headings, dates, sections, signature ------------------------------- */

static void test_typed_numbers(void **state)
{
    (void)state;
    expect_lint(DOC("<section><heading>一、基本情况</heading>\n"
                    "<section><heading>(一) 部门概况</heading><p>正文。</p></section>\n"
                    "<list><item>1. 提高认识。</item><item>2022年完成。</item></list>\n"
                    "<section><heading number=\"none\">1. 自拟编号</heading><p>正文。</p></section>\n"
                    "</section>\n"),
                "3:19: heading starts with the typed number '一、': format v1 numbers headings "
                "itself (remove it)\n"
                "4:19: heading starts with the typed number '(一)': format v1 numbers headings "
                "itself (remove it)\n"
                "4:19: half-width '(' next to Chinese text: use '（' [fix]\n"
                "4:21: half-width ')' next to Chinese text: use '）' [fix]\n"
                "5:13: list item starts with the typed number '1.': format v1 numbers list "
                "items itself (remove it)\n");
}

static void test_dates(void **state)
{
    (void)state;
    expect_lint("<report version=\"1\"><title>通知</title>\n"
                "<p>2022年2月29日召开，2024年2月29日再议，2022年13月1日。</p>\n"
                "<signature><issuer>某局</issuer><date>2023年2月30日</date></signature>\n"
                "</report>\n",
                "2:4: 2022年2月29日 is not a real calendar date\n"
                "2:30: 2022年13月1日 is not a real calendar date\n"
                "3:37: the date '2023年2月30日' is not a real calendar date\n");
    expect_lint("<report version=\"1\"><title>通知</title>\n"
                "<signature><date>二〇〇四年十一月四日</date></signature>\n</report>\n",
                "2:18: the date '二〇〇四年十一月四日' is written out: write it as 2004-11-04, "
                "printed 2004年11月4日 in Arabic numerals as GB/T 9704-2012 asks\n");
    expect_lint("<report version=\"1\"><title>通知</title>\n"
                "<signature><date>三月中旬</date></signature>\n</report>\n",
                "2:18: the date '三月中旬' is not a date: write it as 2023-03-15\n");
    expect_lint("<report version=\"1\"><title>通知</title>\n"
                "<signature><issuer>某局</issuer><date>2023-03-15</date></signature>\n</report>\n",
                "");
}

static void test_empty_section_and_signature(void **state)
{
    (void)state;
    expect_lint("<report version=\"1\"><title>通知</title>\n"
                "<section><heading>基本情况</heading></section>\n"
                "<section><heading>问题</heading><p>正文。</p></section>\n"
                "  </report>\n",
                "2:1: the section '基本情况' is empty: nothing follows its heading\n"
                "4:3: no signature: add <signature> with the issuer and the date (an "
                "attachment, with <label>, needs none)\n");
}

/* Format v2: the 版头 without a mark, a 发文字号 in 【】, the 主送 and an inline
 * attachment's text, a listed name that is not the title; minutes need no
 * signature. */
static void test_v2_parts(void **state)
{
    (void)state;
    expect_lint("<document version=\"2\"><header><doc-number>某【2023】1号</doc-number></header>\n"
                "<title>通知</title><to>各单位:</to><p>正文。</p>\n"
                "<signature><issuer>某局</issuer><date>2023-03-15</date></signature>\n"
                "<attachment name=\"别名\"><title>附件<br/>标题</title><p>甲,乙</p></attachment>\n"
                "<attachment><title>附件<br/>二</title><p>丙。</p></attachment></document>\n",
                "1:23: the 版头 has no 发文机关标志: add <issuer-mark> (the 发文字号 and the red "
                "rule are set from line 1 without it)\n"
                "1:44: the year of the 发文字号 goes in 〔〕 (U+3014, U+3015), as GB/T 9704 "
                "§7.2.5 asks\n"
                "2:25: half-width ':' next to Chinese text: use '：' [fix]\n"
                "4:1: the attachment's name in the 附件说明 differs from its title; GB/T 9704 "
                "§7.3.7 asks for the same name in both\n"
                "4:51: half-width ',' next to Chinese text: use '，' [fix]\n");
    expect_lint("<document version=\"2\" kind=\"minutes\"><title>纪要</title><p>正文。</p>"
                "</document>\n", "");
    /* A 发文字号 with 第 and a leading zero, a 主送 without its colon, a 版记 sent
     * before the document was signed. */
    expect_lint("<document version=\"2\"><header><issuer-mark>某局</issuer-mark>\n"
                "<doc-number>某〔2023〕第07号</doc-number></header>\n"
                "<title>通知</title><to>各单位</to><p>正文。</p>\n"
                "<signature><issuer>某局</issuer><date>2023-03-15</date></signature>\n"
                "<record><distributor><name>某局办公室</name><date>2023-03-10</date></distributor>"
                "</record></document>\n",
                "2:20: the 发文字号's number takes no 第 (GB/T 9704 §7.2.5)\n"
                "2:21: the 发文字号's number has no leading zero (GB/T 9704 §7.2.5: 不编虚位, 1 not "
                "01)\n"
                "3:24: the 主送 ends without its colon: type '：' after the last organ (GB/T 9704 "
                "§7.3.2)\n"
                "5:1: the 版记's 印发 date is before the 成文日期 of the 落款: a document is printed "
                "on or after the day it is signed\n");
}

/* ---- fixes -------------------------------------------------------------- */

static void test_fix_keeps_other_bytes(void **state)
{
    (void)state;
    /* CR LF line ends, a comment, a character reference (&#44; is not fixed:
     * it is not typed as ','), attributes: all kept byte for byte. */
    const char *src = "<?xml version=\"1.0\"?>\r\n<!-- 注释,保留 -->\r\n"
                      "<report version=\"1\"><label>附件1</label><title>报告</title>\r\n"
                      "<p indent=\"0\">甲,乙&#44;丙:</p>\r\n</report>\r\n";
    char *out = fixed(src);
    assert_string_equal(out, "<?xml version=\"1.0\"?>\r\n<!-- 注释,保留 -->\r\n"
                             "<report version=\"1\"><label>附件1</label><title>报告</title>\r\n"
                             "<p indent=\"0\">甲，乙&#44;丙：</p>\r\n</report>\r\n");
    free(out);
    char *after = lint_lines(out = fixed(src));
    assert_string_equal(after, "4:18: half-width ',' next to Chinese text: use '，' [fix]\n");
    free(after);
    free(out);
}

static void test_real_report(void **state)
{
    (void)state;
    if (access(REAL_REPORT, R_OK) != 0)
        skip();
    FILE *f = fopen(REAL_REPORT, "rb");
    assert_non_null(f);
    char *src = calloc(1, 1 << 17);
    assert_non_null(src);
    size_t len = fread(src, 1, (1 << 17) - 1, f);
    fclose(f);
    assert_true(len > 0);
    expect_lint(src,
                "14:31: half-width ',' next to Chinese text: use '，' [fix]\n"
                "14:48: half-width ',' next to Chinese text: use '，' [fix]\n"
                "15:25: half-width ':' next to Chinese text: use '：' [fix]\n"
                "16:35: half-width ',' next to Chinese text: use '，' [fix]\n"
                "16:72: half-width ',' next to Chinese text: use '，' [fix]\n"
                "16:94: half-width ',' next to Chinese text: use '，' [fix]\n"
                "16:111: half-width ',' next to Chinese text: use '，' [fix]\n"
                "17:22: half-width ',' next to Chinese text: use '，' [fix]\n"
                "17:44: half-width ';' next to Chinese text: use '；' [fix]\n"
                "17:69: half-width ';' next to Chinese text: use '；' [fix]\n"
                "17:95: half-width ',' next to Chinese text: use '，' [fix]\n"
                "18:29: half-width ',' next to Chinese text: use '，' [fix]\n"
                "18:42: half-width ',' next to Chinese text: use '，' [fix]\n");
    char *out = fixed(src);
    char *after = lint_lines(out);
    assert_string_equal(after, "");
    free(after);
    free(out);
    free(src);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_half_width_next_to_chinese),
        cmocka_unit_test(test_half_width_left_alone),
        cmocka_unit_test(test_brackets_fixed_in_pairs),
        cmocka_unit_test(test_fix_leaves_nothing),
        cmocka_unit_test(test_straight_quotes),
        cmocka_unit_test(test_unbalanced),
        cmocka_unit_test(test_typed_numbers),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_empty_section_and_signature),
        cmocka_unit_test(test_v2_parts),
        cmocka_unit_test(test_fix_keeps_other_bytes),
        cmocka_unit_test(test_real_report),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
