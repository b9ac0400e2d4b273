/* test_import — unit tests of the importer (src/import/import.c): the recognisers of
 * typed numbers and dates, then each recognition rule on small texts whose
 * whole output (XML and warning lines) is compared exactly, and the real
 * report's text against the hand-made source's section tree.
 *
 * Run by ctest (unit_import). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "import.h"
#include "model.h"
#include "utf8.h"

#define SEED GW_SOURCE_DIR "/tests/data/e2e/seed-zengcheng-2022.txt"

/* ---- helpers ------------------------------------------------------------ */

/* Decode a UTF-8 literal into code points (at most 64). */
static size_t cps(const char *s, uint32_t *out)
{
    size_t n = 0, len = strlen(s);
    for (size_t i = 0; i < len && n < 64;) {
        size_t k = gw_utf8_decode((const unsigned char *)s + i, len - i, &out[n++]);
        assert_true(k > 0);
        i += k;
    }
    return n;
}

static void expect_number(const char *s, int level, int value, size_t len)
{
    uint32_t cp[64];
    size_t n = cps(s, cp);
    gw_typed_number num;
    if (!gw_typed_number_match(cp, n, &num))
        fail_msg("\"%s\" is not taken for a typed number", s);
    assert_int_equal(num.level, level);
    assert_int_equal(num.value, value);
    assert_int_equal(num.len, len);
}

static void expect_no_number(const char *s)
{
    uint32_t cp[64];
    size_t n = cps(s, cp);
    gw_typed_number num;
    if (gw_typed_number_match(cp, n, &num))
        fail_msg("\"%s\" is taken for a typed number (level %d)", s, num.level);
}

static void expect_date(const char *s, int y, int m, int d, bool iso, bool real)
{
    uint32_t cp[64];
    size_t n = cps(s, cp);
    gw_written_date date;
    if (!gw_date_parse(cp, n, &date))
        fail_msg("\"%s\" is not taken for a date", s);
    assert_int_equal(date.year, y);
    assert_int_equal(date.month, m);
    assert_int_equal(date.day, d);
    assert_int_equal(date.iso, iso);
    assert_int_equal(date.real, real);
}

static void expect_no_date(const char *s)
{
    uint32_t cp[64];
    size_t n = cps(s, cp);
    gw_written_date date;
    if (gw_date_parse(cp, n, &date))
        fail_msg("\"%s\" is taken for a date", s);
}

/* Import text (as the file "in.txt"); the XML (NULL when refused) and the diagnostics. */
static char *run_import(const char *text, size_t len, char **diags)
{
    size_t size = 0;
    FILE *f = open_memstream(diags, &size);
    assert_non_null(f);
    gw_diag d = gw_diag_init(f);
    size_t out_len = 0;
    char *xml = gw_import_text("in.txt", text, len, NULL, &out_len, &d);
    fclose(f);
    if (xml)
        assert_int_equal(out_len, strlen(xml));
    return xml;
}

#define HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<report version=\"1\">\n"

static void expect_import_as(const char *head, const char *text, const char *body,
                             const char *warnings)
{
    char *diags = NULL;
    char *xml = run_import(text, strlen(text), &diags);
    assert_string_equal(diags, warnings);
    assert_non_null(xml);
    char *want = malloc(strlen(head) + strlen(body) + 1);
    assert_non_null(want);
    strcpy(want, head);
    strcat(want, body);
    assert_string_equal(xml, want);
    free(want);
    free(xml);
    free(diags);
}

static void expect_import(const char *text, const char *body, const char *warnings)
{
    expect_import_as(HEAD, text, body, warnings);
}

#define HEAD2 "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<document version=\"2\">\n"

/* ---- typed numbers ------------------------------------------------------ */

static void test_numbers_recognised(void **state)
{
    (void)state;
    expect_number("一、基本情况", 1, 1, 2);
    expect_number("十一、其他", 1, 11, 3);
    expect_number("二十、其他", 1, 20, 3);
    expect_number("二十三、其他", 1, 23, 4);
    expect_number("（一）部门概况", 2, 1, 3);
    expect_number("(一) 部门概况", 2, 1, 4);            /* half-width, as in the seed */
    expect_number("（二）、部门概况", 2, 2, 4);
    expect_number("1. 提高认识", 3, 1, 3);
    expect_number("1．提高认识", 3, 1, 2);
    expect_number("12、提高认识", 3, 12, 3);
    expect_number("（1）提高认识", 4, 1, 3);
    expect_number("(3)、提高认识", 4, 3, 4);
    expect_number("①提高认识", 5, 1, 1);
    expect_number("1.　全角空格", 3, 1, 3);
}

static void test_numbers_not_headings(void **state)
{
    (void)state;
    expect_no_number("2022年，本部门财政经费项目");
    expect_no_number("1.5万元用于慰问");
    expect_no_number("3.5%的增长");
    expect_no_number("一是扎实整改");
    expect_no_number("100. 超过两位");
    expect_no_number("01. 前导零");
    expect_no_number("一、");                       /* a number and no text */
    expect_no_number("（2022）年度");
    expect_no_number("(一部门");
    expect_no_number("三十二万元");
    expect_no_number("");
}

/* ---- dates -------------------------------------------------------------- */

static void test_dates(void **state)
{
    (void)state;
    expect_date("2023-03-15", 2023, 3, 15, true, true);
    expect_date("2023年3月15日", 2023, 3, 15, false, true);
    expect_date("2023 年 3 月 15 日", 2023, 3, 15, false, true);
    expect_date("2023年03月05日", 2023, 3, 5, false, true);
    expect_date("２０２３年３月１５日", 2023, 3, 15, false, true);
    expect_date("二〇〇四年十一月四日", 2004, 11, 4, false, true);
    expect_date("二〇二三年三月三十一日", 2023, 3, 31, false, true);
    expect_date("2023年2月29日", 2023, 2, 29, false, false);
    expect_date("2024年2月29日", 2024, 2, 29, false, true);
    expect_date("2023年13月1日", 2023, 13, 1, false, false);
    expect_date("2023-02-30", 2023, 2, 30, true, false);
    expect_no_date("2023年3月");
    expect_no_date("2023年3月15日前");
    expect_no_date("23年3月15日");
    expect_no_date("2023/03/15");
}

/* ---- recognition rules -------------------------------------------------- */

static void test_front_matter_and_signature(void **state)
{
    (void)state;
    expect_import("附件2\n\n2022年度某某区某某局\n部门整体支出绩效自评报告\n（2022年度）\n\n"
                  "一、基本情况\n本局共有职工 52 人。\n\n某某区某某局\n2023年3月15日\n",
                  "  <label>附件2</label>\n"
                  "  <title>2022年度某某区某某局<br/>部门整体支出绩效自评报告</title>\n"
                  "  <subtitle>（2022年度）</subtitle>\n"
                  "  <section>\n"
                  "    <heading>基本情况</heading>\n"
                  "    <p>本局共有职工 52 人。</p>\n"
                  "  </section>\n"
                  "  <signature>\n"
                  "    <issuer>某某区某某局</issuer>\n"
                  "    <date>2023-03-15</date>\n"
                  "  </signature>\n"
                  "</report>\n",
                  "");
}

static void test_signature_dates_kept_as_typed(void **state)
{
    (void)state;
    /* Only a date that prints exactly as typed becomes ISO; no issuer after a
     * paragraph that does not end... here the paragraph ends, the issuer is taken. */
    expect_import("关于开展检查的通知\n\n请于月底前完成自查。\n某某局办公室\n"
                  "二〇二三年三月十五日\n",
                  "  <title>关于开展检查的通知</title>\n"
                  "  <p>请于月底前完成自查。</p>\n"
                  "  <signature>\n"
                  "    <issuer>某某局办公室</issuer>\n"
                  "    <date>二〇二三年三月十五日</date>\n"
                  "  </signature>\n"
                  "</report>\n",
                  "");
    expect_import("通知\n\n请于月底前完成自查。\n2023年03月15日\n",
                  "  <title>通知</title>\n"
                  "  <p>请于月底前完成自查。</p>\n"
                  "  <signature>\n"
                  "    <date>2023年03月15日</date>\n"
                  "  </signature>\n"
                  "</report>\n",
                  "");
    /* A date that does not exist is not taken for the signature's. */
    expect_import("通知\n\n请于月底前完成自查。\n2023-02-30\n",
                  "  <title>通知</title>\n"
                  "  <p>请于月底前完成自查。</p>\n"
                  "  <p>2023-02-30</p>\n"
                  "</report>\n",
                  "in.txt:4: warning: the last line is not a real calendar date: kept as a "
                  "paragraph, not taken for the signature's date\n");
}

static void test_headings_nest_by_numbering(void **state)
{
    (void)state;
    expect_import("报告\n\n一、基本情况\n（一）部门概况\n正文一。\n1. 职责\n正文二。\n（1）细目\n"
                  "正文三。\n二、问题\n正文四。\n",
                  "  <title>报告</title>\n"
                  "  <section>\n"
                  "    <heading>基本情况</heading>\n"
                  "    <section>\n"
                  "      <heading>部门概况</heading>\n"
                  "      <p>正文一。</p>\n"
                  "      <section>\n"
                  "        <heading>职责</heading>\n"
                  "        <p>正文二。</p>\n"
                  "        <section>\n"
                  "          <heading>细目</heading>\n"
                  "          <p>正文三。</p>\n"
                  "        </section>\n"
                  "      </section>\n"
                  "    </section>\n"
                  "  </section>\n"
                  "  <section>\n"
                  "    <heading>问题</heading>\n"
                  "    <p>正文四。</p>\n"
                  "  </section>\n"
                  "</report>\n",
                  "");
}

static void test_skipped_level_gets_level_attribute(void **state)
{
    (void)state;
    /* 一、 then 1. directly: a section at depth 2 with level="3", and (1)、 under
     * it at depth 3 with level="4"; the 1、 and (1)、 variants. */
    expect_import("报告\n\n一、基本情况\n1、职责\n正文。\n(1)、细目\n正文。\n",
                  "  <title>报告</title>\n"
                  "  <section>\n"
                  "    <heading>基本情况</heading>\n"
                  "    <section level=\"3\">\n"
                  "      <heading>职责</heading>\n"
                  "      <p>正文。</p>\n"
                  "      <section level=\"4\">\n"
                  "        <heading>细目</heading>\n"
                  "        <p>正文。</p>\n"
                  "      </section>\n"
                  "    </section>\n"
                  "  </section>\n"
                  "</report>\n",
                  "");
}

static void test_skipped_numbers_warned(void **state)
{
    (void)state;
    expect_import("报告\n\n一、基本情况\n正文。\n三、问题\n正文。\n",
                  "  <title>报告</title>\n"
                  "  <section>\n"
                  "    <heading>基本情况</heading>\n"
                  "    <p>正文。</p>\n"
                  "  </section>\n"
                  "  <section>\n"
                  "    <heading number=\"none\">三、问题</heading>\n"
                  "    <p>正文。</p>\n"
                  "  </section>\n"
                  "</report>\n",
                  "in.txt:5: warning: typed 三、, but this is heading 2 at its level, which gwpdf "
                  "numbers 二、: kept as typed (number=\"none\")\n");
}

static void test_runin_heading(void **state)
{
    (void)state;
    expect_import("报告\n\n三、存在的主要问题\n"
                  "（一）部门绩效管理不够科学。部门对项目绩效目标的设定不到位。\n"
                  "（二）管理措施不够到位。个别项目绩效管理制度执行不到位。\n",
                  "  <title>报告</title>\n"
                  "  <section>\n"
                  "    <heading number=\"none\">三、存在的主要问题</heading>\n"
                  "    <section>\n"
                  "      <heading runin=\"true\">部门绩效管理不够科学。</heading>\n"
                  "      <p>部门对项目绩效目标的设定不到位。</p>\n"
                  "    </section>\n"
                  "    <section>\n"
                  "      <heading runin=\"true\">管理措施不够到位。</heading>\n"
                  "      <p>个别项目绩效管理制度执行不到位。</p>\n"
                  "    </section>\n"
                  "  </section>\n"
                  "</report>\n",
                  "in.txt:3: warning: typed 三、, but this is heading 1 at its level, which gwpdf "
                  "numbers 一、: kept as typed (number=\"none\")\n");
}

static void test_list_items(void **state)
{
    (void)state;
    /* Numbered paragraphs of one sequence are all items when any reads as a
     * paragraph; the one that reads like a run-in heading is warned about. */
    expect_import("报告\n\n（一）提高认识，突出重点\n"
                  "1. 提高对预算绩效管理的认识，充分理解财政绩效评价指标体系，更加科学合理。\n"
                  "2. 注重各项指标的可衡量性。可衡量性不仅是指标的量化。\n"
                  "（二）强化管理\n正文。\n",
                  "  <title>报告</title>\n"
                  "  <section level=\"2\">\n"
                  "    <heading>提高认识，突出重点</heading>\n"
                  "    <list>\n"
                  "      <item>提高对预算绩效管理的认识，充分理解财政绩效评价指标体系，更加科学合理。</item>\n"
                  "      <item>注重各项指标的可衡量性。可衡量性不仅是指标的量化。</item>\n"
                  "    </list>\n"
                  "  </section>\n"
                  "  <section level=\"2\">\n"
                  "    <heading>强化管理</heading>\n"
                  "    <p>正文。</p>\n"
                  "  </section>\n"
                  "</report>\n",
                  "in.txt:5: warning: taken for a list item like the others numbered alike "
                  "from line 4, though it reads like a heading\n");
}

static void test_list_numbering_warnings(void **state)
{
    (void)state;
    /* Items typed （1） under a level-2 section, where format v1 prints 1.,
     * stay as typed paragraphs: nothing typed is changed. */
    expect_import("报告\n\n（一）措施\n（1）加强预算项目事前、事中、事后管控，做到事前有评估。\n"
                  "（2）加强项目档案管理，重视绩效信息资料收集。\n说明。\n（3）其他。\n",
                  "  <title>报告</title>\n"
                  "  <section level=\"2\">\n"
                  "    <heading>措施</heading>\n"
                  "    <p>（1）加强预算项目事前、事中、事后管控，做到事前有评估。</p>\n"
                  "    <p>（2）加强项目档案管理，重视绩效信息资料收集。</p>\n"
                  "    <p>说明。</p>\n"
                  "    <p>（3）其他。</p>\n"
                  "  </section>\n"
                  "</report>\n",
                  "in.txt:4: warning: list items typed （1） （2） …, which format v1 numbers 1. "
                  "2. … (a list takes the numbering one level below its section): kept as typed "
                  "paragraphs\n"
                  "in.txt:7: warning: taken for a list item like the others numbered alike "
                  "from line 4, though it reads like a heading\n"
                  "in.txt:7: warning: list items typed （1） （2） …, which format v1 numbers 1. "
                  "2. … (a list takes the numbering one level below its section): kept as typed "
                  "paragraphs\n");
    /* A skipped item number ends the list: it and the items after it are kept
     * as typed. */
    expect_import("报告\n\n（一）措施\n1. 加强预算项目事前、事中、事后管控，做到事前有评估。\n"
                  "3. 加强项目档案管理，重视绩效信息资料收集。\n4. 其他事项，另行通知。\n",
                  "  <title>报告</title>\n"
                  "  <section level=\"2\">\n"
                  "    <heading>措施</heading>\n"
                  "    <list>\n"
                  "      <item>加强预算项目事前、事中、事后管控，做到事前有评估。</item>\n"
                  "    </list>\n"
                  "    <p>3. 加强项目档案管理，重视绩效信息资料收集。</p>\n"
                  "    <p>4. 其他事项，另行通知。</p>\n"
                  "  </section>\n"
                  "</report>\n",
                  "in.txt:5: warning: typed 3., but this is list item 2, which gwpdf numbers 2.: "
                  "kept as typed, a paragraph (and the items after it)\n");
}

static void test_page_break_joins(void **state)
{
    (void)state;
    /* A line that does not end a sentence continues into the next non-empty
     * line across blank lines (page breaks), even from a numbered item whose
     * line ends in 和; not into a line that starts a heading. */
    expect_import("报告\n\n一、基本情况\n本部门对职工劳动安全健康、劳动保护工作状况和职工\n\n"
                  "就业、工资等情况进行调查研究。\n"
                  "二、改进措施\n"
                  "1. 强化全过程预算绩效管理理念，突出绩效指标的重要性和\n\n"
                  "综合性。有些部门任务多。\n"
                  "2. 注重各项指标的可衡量性，形成级别或档次。\n"
                  "三、未完的标题行\n\n"
                  "四、下一节\n正文。\n",
                  "  <title>报告</title>\n"
                  "  <section>\n"
                  "    <heading>基本情况</heading>\n"
                  "    <p>本部门对职工劳动安全健康、劳动保护工作状况和职工就业、工资等情况进行调查研究。</p>\n"
                  "  </section>\n"
                  "  <section>\n"
                  "    <heading>改进措施</heading>\n"
                  "    <p>1. 强化全过程预算绩效管理理念，突出绩效指标的重要性和综合性。有些部门任务多。</p>\n"
                  "    <p>2. 注重各项指标的可衡量性，形成级别或档次。</p>\n"
                  "  </section>\n"
                  "  <section>\n"
                  "    <heading>未完的标题行</heading>\n"
                  "  </section>\n"
                  "  <section>\n"
                  "    <heading>下一节</heading>\n"
                  "    <p>正文。</p>\n"
                  "  </section>\n"
                  "</report>\n",
                  "in.txt:4: warning: the line does not end a sentence: joined with line 6 after "
                  "the blank line (taken for a page break)\n"
                  "in.txt:8: warning: the line does not end a sentence: joined with line 10 "
                  "after the blank line (taken for a page break)\n"
                  "in.txt:8: warning: list items typed 1. 2. …, which format v1 numbers （一） （二） "
                  "… (a list takes the numbering one level below its section): kept as typed "
                  "paragraphs\n");
}

static void test_not_headings(void **state)
{
    (void)state;
    /* Paragraphs that start with a year, an amount or a percentage stay
     * paragraphs; "一是" is not a number; a colon ends a paragraph. */
    expect_import("报告\n\n主要职责是:\n一是依照章程开展工作。\n2022年，本部门完成了全部任务。\n"
                  "1.5万元用于慰问。\n3.5%的增长来自\n工资调整。\n",
                  "  <title>报告</title>\n"
                  "  <p>主要职责是:</p>\n"
                  "  <p>一是依照章程开展工作。</p>\n"
                  "  <p>2022年，本部门完成了全部任务。</p>\n"
                  "  <p>1.5万元用于慰问。</p>\n"
                  "  <p>3.5%的增长来自工资调整。</p>\n"
                  "</report>\n",
                  "");
}

static void test_characters_kept(void **state)
{
    (void)state;
    /* Half-width punctuation, markup characters, Latin words broken across
     * lines, CR LF and indentation with U+3000: every character is kept. */
    expect_import("A&B <报告>\r\n\r\n　　本部门使用 R&D 经费,用于 <研发>;the quick\r\nbrown fox。\r\n",
                  "  <title>A&amp;B &lt;报告&gt;</title>\n"
                  "  <p>本部门使用 R&amp;D 经费,用于 &lt;研发&gt;;the quick brown fox。</p>\n"
                  "</report>\n",
                  "");
}

static void test_no_title(void **state)
{
    (void)state;
    expect_import("一、基本情况\n正文。\n",
                  "  <title></title>\n"
                  "  <section>\n"
                  "    <heading>基本情况</heading>\n"
                  "    <p>正文。</p>\n"
                  "  </section>\n"
                  "</report>\n",
                  "in.txt:1: warning: no title found (the first line reads like body text); the "
                  "title is left empty\n");
}

static void test_gb18030(void **state)
{
    (void)state;
    const char *utf8 = "报告\n\n一、基本情况\n正文。\n";
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    assert_true(cd != (iconv_t)-1);
    char gb[256], *in = (char *)utf8, *out = gb;
    size_t in_left = strlen(utf8), out_left = sizeof gb;
    assert_true(iconv(cd, &in, &in_left, &out, &out_left) != (size_t)-1);
    iconv_close(cd);
    char *diags = NULL;
    char *xml = run_import(gb, (size_t)(out - gb), &diags);
    assert_non_null(xml);
    assert_string_equal(xml, HEAD "  <title>报告</title>\n  <section>\n    <heading>基本情况</heading>\n"
                             "    <p>正文。</p>\n  </section>\n</report>\n");
    assert_string_equal(diags, "in.txt:1: warning: not valid UTF-8 (byte 0xB1); the text was "
                               "read as GB18030\n");
    free(xml);
    free(diags);
}

static void test_refused(void **state)
{
    (void)state;
    char *diags = NULL;
    const char bad[] = "报告\n\n正文\x01。\n";
    assert_null(run_import(bad, sizeof bad - 1, &diags));
    assert_string_equal(diags, "in.txt:3:3: character U+0001 cannot be written in an XML source\n");
    free(diags);
    diags = NULL;
    const char neither[] = "\x81\x30\x81\n";      /* a truncated GB18030 four-byte sequence */
    assert_null(run_import(neither, sizeof neither - 1, &diags));
    assert_string_equal(diags, "in.txt:1:1: the text is neither UTF-8 (byte 0x81) nor GB18030\n");
    free(diags);
}

/* ---- the real report ---------------------------------------------------- */

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc(1 << 17);
    assert_non_null(buf);
    *len = fread(buf, 1, (1 << 17) - 1, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

static void count_sections(const gw_block *b, size_t n, int depth, int *per_depth, int *items,
                           int *runin)
{
    for (size_t i = 0; i < n; i++) {
        if (b[i].kind == GW_BLOCK_SECTION) {
            per_depth[depth]++;
            *runin += b[i].runin;
            count_sections(b[i].children, b[i].n_children, depth + 1, per_depth, items, runin);
        } else if (b[i].kind == GW_BLOCK_LIST) {
            *items += (int)b[i].n_children;
        }
    }
}

static void test_seed(void **state)
{
    (void)state;
    size_t len;
    char *text = read_file(SEED, &len);
    char *diags = NULL;
    char *xml = run_import(text, len, &diags);
    assert_non_null(xml);
    assert_string_equal(diags,
        "in.txt:19: warning: the line does not end a sentence: joined with line 21 after the "
        "blank line (taken for a page break)\n"
        "in.txt:33: warning: the line does not end a sentence: joined with line 35 after the "
        "blank line (taken for a page break)\n"
        "in.txt:57: warning: the line does not end a sentence: joined with line 59 after the "
        "blank line (taken for a page break)\n"
        "in.txt:67: warning: the line does not end a sentence: joined with line 69 after the "
        "blank line (taken for a page break)\n"
        "in.txt:87: warning: the line does not end a sentence: joined with line 89 after the "
        "blank line (taken for a page break)\n"
        "in.txt:91: warning: taken for a list item like the others numbered alike from line 85, "
        "though it reads like a heading\n");
    FILE *sink = fopen("/dev/null", "w");
    gw_diag d = gw_diag_init(sink);
    gw_doc *doc = gw_doc_load_memory("seed.xml", xml, strlen(xml), NULL, NULL, &d);
    fclose(sink);
    assert_non_null(doc);
    int per_depth[4] = { 0 }, items = 0, runin = 0;
    count_sections(doc->blocks, doc->n_blocks, 0, per_depth, &items, &runin);
    assert_int_equal(per_depth[0], 4);       /* 一、 … 四、 */
    assert_int_equal(per_depth[1], 14);      /* 4 + 4 + 3 + 3 */
    assert_int_equal(per_depth[2], 0);
    assert_int_equal(items, 6);              /* 1.–3. twice under 四 */
    assert_int_equal(runin, 3);              /* under 三 */
    assert_null(doc->signature);
    char *label = gw_text_utf8(&doc->label);
    assert_string_equal(label, "附件 2");
    free(label);
    gw_doc_free(doc);
    free(xml);
    free(diags);
    free(text);
}

/* A GB18030 text with one bad sequence is refused at that sequence's line and
 * column, not at the first byte that is not UTF-8. */
static void test_gb18030_bad_sequence(void **state)
{
    (void)state;
    /* 标题 / blank / 正文。 / 正文 then 0x81 0x20 (no GB18030 character) */
    const char text[] = "\xb1\xea\xcc\xe2\n\n\xd5\xfd\xce\xc4\xa1\xa3\n\xd5\xfd\xce\xc4\x81\x20\n";
    char *diags = NULL;
    assert_null(run_import(text, sizeof text - 1, &diags));
    assert_string_equal(diags, "in.txt:4:3: the text is neither UTF-8 (byte 0x81) nor GB18030\n");
    free(diags);
}

/* What the model finds wrong in the XML written is reported at the text's
 * line (the user never sees the XML): here a limit that a paragraph passes. */
static void test_errors_at_text_lines(void **state)
{
    (void)state;
    const char *text = "关于开展检查的通知\n\n各单位：\n\n\n现将有关事项通知如下。\n";
    char *diags = NULL;
    size_t size = 0, out_len = 0;
    FILE *f = open_memstream(&diags, &size);
    assert_non_null(f);
    gw_diag d = gw_diag_init(f);
    gw_limits lim = gw_limits_default();
    lim.text = 20;
    assert_null(gw_import_text("in.txt", text, strlen(text), &lim, &out_len, &d));
    fclose(f);
    assert_string_equal(diags, "in.txt:6: the document holds more than 20 characters of text, "
                        "the limit (raise it with --limit text=N)\n");
    free(diags);
}

/* A made text (the .docx import's): block lines become the caller's XML
 * where they stand, never the title, an issuer or a date's neighbour taken
 * for one; bold markers become balanced <b> in paragraphs and items, and are
 * dropped in headings and the title; a bold run before a typed number does
 * not hide it. */
static void test_made_text_markers(void **state)
{
    (void)state;
    static const char text[] =
        "\xEF\xB7\x91标题\xEF\xB7\x92\n"                  /* bold title: dropped */
        "本报告\xEF\xB7\x91金额单位\xEF\xB7\x92为万元。\n"
        "\xEF\xB7\x91一、总体情况\xEF\xB7\x92\n"
        "\xEF\xB7\x90\n"                                   /* block 0 */
        "开\xEF\xB7\x91头加粗到末尾。\n"                    /* never closed: closed here */
        "\xEF\xB7\x90\n"                                   /* block 1, before the issuer */
        "某区财政局\n2024年1月9日\n";
    const long positions[] = { 1, 2, 3, 4, 6, 7, 8, 9 };
    const char *blocks[] = { "<table><tbody><tr><td>甲</td><td>乙</td></tr></tbody></table>",
                             "<pagebreak/>" };
    gw_import_made made = { .positions = positions, .n_positions = 8, .paragraph_lines = true,
                            .blocks = blocks, .n_blocks = 2 };
    char *diags = NULL;
    size_t size = 0, out_len = 0;
    FILE *f = open_memstream(&diags, &size);
    gw_diag d = gw_diag_init(f);
    char *xml = gw_import_text_at("in.docx", text, sizeof text - 1, &made, NULL, &out_len, &d);
    fclose(f);
    assert_non_null(xml);
    assert_string_equal(xml, HEAD
        "  <title>标题</title>\n"
        "  <p>本报告<b>金额单位</b>为万元。</p>\n"
        "  <section>\n"
        "    <heading>总体情况</heading>\n"
        "    <table><tbody><tr><td>甲</td><td>乙</td></tr></tbody></table>\n"
        "    <p>开<b>头加粗到末尾。</b></p>\n"
        "    <pagebreak/>\n"
        "  </section>\n"
        "  <signature>\n"
        "    <issuer>某区财政局</issuer>\n"
        "    <date>2024-01-09</date>\n"
        "  </signature>\n"
        "</report>\n");
    free(xml);
    free(diags);
}

/* ---- a whole 公文 (format v2) --------------------------------------------- */

/* Every 版头 line, a 主送, a 附件说明 of two with one attachment in the text (the
 * other sent separately), two issuers (联合行文), a 附注 in half-width brackets. */
static void test_gongwen_parts(void **state)
{
    (void)state;
    expect_import_as(HEAD2,
                     "000123\n机密★5年\n特急\n某府〔2023〕第7号\n签发人：张三 李四\n"
                     "关于联合开展检查的请示\n市政府：\n请予批准。\n附件：1.检查方案\n2.人员名单\n"
                     "某区财政局\n某区审计局\n2023年1月5日\n(联系人：王五)\n附件1\n检查方案\n"
                     "一、检查范围\n全区。\n",
                     "  <header>\n"
                     "    <copy>000123</copy>\n"
                     "    <secrecy period=\"5年\">机密</secrecy>\n"
                     "    <urgency>特急</urgency>\n"
                     "    <doc-number>某府〔2023〕第7号</doc-number>\n"
                     "    <signer>张三</signer>\n"
                     "    <signer>李四</signer>\n"
                     "  </header>\n"
                     "  <title>关于联合开展检查的请示</title>\n"
                     "  <to>市政府：</to>\n"
                     "  <p>请予批准。</p>\n"
                     "  <signature>\n"
                     "    <issuer>某区财政局</issuer>\n"
                     "    <issuer>某区审计局</issuer>\n"
                     "    <date>2023-01-05</date>\n"
                     "  </signature>\n"
                     "  <note>联系人：王五</note>\n"
                     "  <attachment>\n"
                     "    <title>检查方案</title>\n"
                     "    <section>\n"
                     "      <heading>检查范围</heading>\n"
                     "      <p>全区。</p>\n"
                     "    </section>\n"
                     "  </attachment>\n"
                     "  <attachment bound=\"false\">\n"
                     "    <title>人员名单</title>\n"
                     "  </attachment>\n"
                     "</document>\n",
                     "in.txt:4: warning: the 发文字号 is kept as typed; GB/T 9704 writes it with 〔〕 "
                     "around the year, no 第 and no leading zero (增工函〔2023〕12号)\n"
                     "in.txt:10: warning: the 附件说明 lists an attachment the text does not hold: "
                     "written as sent separately (bound=\"false\")\n"
                     "in.txt:14: warning: the 附注 is typed in ( ): gwpdf prints it in （ ） as GB/T "
                     "9704 §7.3.5.4 does\n");
    /* An issuer's name wrapped over two lines is one issuer; a 附件说明 name that
     * is not the attachment's title is kept as its name; a single attachment's
     * label has no number. */
    expect_import_as(HEAD2,
                     "关于某事的函\n某局：\n函复如下。\n附件：某事说明材料\n广州市增城区文化广电旅游\n"
                     "体育局\n2024年1月15日\n附件1\n某事的说明\n说明如下。\n",
                     "  <title>关于某事的函</title>\n"
                     "  <to>某局：</to>\n"
                     "  <p>函复如下。</p>\n"
                     "  <signature>\n"
                     "    <issuer>广州市增城区文化广电旅游体育局</issuer>\n"
                     "    <date>2024-01-15</date>\n"
                     "  </signature>\n"
                     "  <attachment name=\"某事说明材料\">\n"
                     "    <title>某事的说明</title>\n"
                     "    <p>说明如下。</p>\n"
                     "  </attachment>\n"
                     "</document>\n",
                     "in.txt:4: warning: the 附件说明 names attachment 1 otherwise than its title: "
                     "kept as its name (GB/T 9704 §7.3.6 wants the two alike)\n"
                     "in.txt:8: warning: the label is typed with 1; gwpdf labels a single "
                     "attachment 附件, without a number\n");
}

/* The 发文机关标志 as pasted: with its 文件, or an organ's name right above the
 * 发文字号 (a letter's 版头). */
static void test_gongwen_mark(void **state)
{
    (void)state;
    expect_import_as(HEAD2,
                     "某某区财政局文件\n某财〔2023〕1号\n关于开展自评的通知\n各单位：\n请按时完成。\n"
                     "某某区财政局\n2023年3月1日\n",
                     "  <header suffix=\"文件\">\n"
                     "    <issuer-mark>某某区财政局</issuer-mark>\n"
                     "    <doc-number>某财〔2023〕1号</doc-number>\n"
                     "  </header>\n"
                     "  <title>关于开展自评的通知</title>\n"
                     "  <to>各单位：</to>\n"
                     "  <p>请按时完成。</p>\n"
                     "  <signature>\n"
                     "    <issuer>某某区财政局</issuer>\n"
                     "    <date>2023-03-01</date>\n"
                     "  </signature>\n"
                     "</document>\n",
                     "");
    expect_import_as(HEAD2,
                     "广州市增城区总工会\n增工函〔2023〕12号\n关于报送自评报告的函\n区财政局：\n"
                     "现报送。\n",
                     "  <header>\n"
                     "    <issuer-mark>广州市增城区总工会</issuer-mark>\n"
                     "    <doc-number>增工函〔2023〕12号</doc-number>\n"
                     "  </header>\n"
                     "  <title>关于报送自评报告的函</title>\n"
                     "  <to>区财政局：</to>\n"
                     "  <p>现报送。</p>\n"
                     "</document>\n",
                     "");
}

/* A date line inside a document closes nothing: the 落款 is a date that the
 * end, a label or (after a notice that issues one) the issued document's title
 * follows — so no text after it is lost. */
static void test_gongwen_date_inside(void **state)
{
    (void)state;
    expect_import_as(HEAD2,
                     "某局关于印发某方案的通知\n各单位：\n现印发给你们。\n某局\n2023年3月1日\n"
                     "某方案\n一、背景\n会议于\n2023年2月1日\n召开，形成本方案。\n二、要求\n按时完成。\n",
                     "  <title>某局关于印发某方案的通知</title>\n"
                     "  <to>各单位：</to>\n"
                     "  <p>现印发给你们。</p>\n"
                     "  <signature>\n"
                     "    <issuer>某局</issuer>\n"
                     "    <date>2023-03-01</date>\n"
                     "  </signature>\n"
                     "  <attachment role=\"issued\">\n"
                     "    <title>某方案</title>\n"
                     "    <section>\n"
                     "      <heading>背景</heading>\n"
                     "      <p>会议于2023年2月1日召开，形成本方案。</p>\n"
                     "    </section>\n"
                     "    <section>\n"
                     "      <heading>要求</heading>\n"
                     "      <p>按时完成。</p>\n"
                     "    </section>\n"
                     "  </attachment>\n"
                     "</document>\n",
                     "");
}

/* A 附件： line with body text after it is no 附件说明: all of it stays in the
 * body (fuzz_import found a text whose lines after it were lost). */
static void test_attachments_note_only_names(void **state)
{
    (void)state;
    expect_import_as(HEAD2,
                     "关于某事的函\n某局：\n请查收。\n附件：1.甲办法\n说明如下，正文继续。\n某局\n"
                     "2023年1月1日\n",
                     "  <title>关于某事的函</title>\n"
                     "  <to>某局：</to>\n"
                     "  <p>请查收。</p>\n"
                     "  <p>附件：1.甲办法说明如下，正文继续。</p>\n"
                     "  <signature>\n"
                     "    <issuer>某局</issuer>\n"
                     "    <date>2023-01-01</date>\n"
                     "  </signature>\n"
                     "</document>\n",
                     "");
}

/* An attachment sent separately may be listed first: the 附件说明's order
 * stands when every attachment in the text is one of its names, and 附件2 is
 * then the label gwpdf prints. */
static void test_attachments_in_listed_order(void **state)
{
    (void)state;
    expect_import_as(HEAD2,
                     "关于某事的函\n某局：\n请查收。\n附件：1.甲表\n2.乙办法\n某局\n2023年1月5日\n"
                     "附件2\n乙办法\n正文。\n",
                     "  <title>关于某事的函</title>\n"
                     "  <to>某局：</to>\n"
                     "  <p>请查收。</p>\n"
                     "  <signature>\n"
                     "    <issuer>某局</issuer>\n"
                     "    <date>2023-01-05</date>\n"
                     "  </signature>\n"
                     "  <attachment bound=\"false\">\n"
                     "    <title>甲表</title>\n"
                     "  </attachment>\n"
                     "  <attachment>\n"
                     "    <title>乙办法</title>\n"
                     "    <p>正文。</p>\n"
                     "  </attachment>\n"
                     "</document>\n",
                     "in.txt:4: warning: the 附件说明 lists an attachment the text does not hold: "
                     "written as sent separately (bound=\"false\")\n");
}

/* The whole shape decides: 一、 二、 三、 with numbered parts under them, most
 * reading as headings, are sections under the preamble even though 二、 reads
 * like a paragraph (line by line they would all be list items). */
static void test_sections_by_whole_shape(void **state)
{
    (void)state;
    expect_import("关于做好某项工作的意见\n\n为做好某项工作，提出如下意见。\n一、总体要求\n"
                  "（一）指导思想。坚持问题导向。\n"
                  "二、各单位要切实加强组织领导，明确责任分工，确保各项任务落到实处，按时报送进展。\n"
                  "（一）加强领导。成立工作专班。\n三、保障措施\n正文。\n",
                  "  <title>关于做好某项工作的意见</title>\n"
                  "  <p>为做好某项工作，提出如下意见。</p>\n"
                  "  <section>\n"
                  "    <heading>总体要求</heading>\n"
                  "    <section>\n"
                  "      <heading runin=\"true\">指导思想。</heading>\n"
                  "      <p>坚持问题导向。</p>\n"
                  "    </section>\n"
                  "  </section>\n"
                  "  <section>\n"
                  "    <heading>各单位要切实加强组织领导，明确责任分工，确保各项任务落到实处，按时报送进展。"
                  "</heading>\n"
                  "    <section>\n"
                  "      <heading runin=\"true\">加强领导。</heading>\n"
                  "      <p>成立工作专班。</p>\n"
                  "    </section>\n"
                  "  </section>\n"
                  "  <section>\n"
                  "    <heading>保障措施</heading>\n"
                  "    <p>正文。</p>\n"
                  "  </section>\n"
                  "</report>\n",
                  "in.txt:6: warning: taken for a heading like the others numbered alike from line "
                  "4, with numbered parts under them, though it reads like a paragraph\n");
}

/* What is not a 公文 part stays a report: a lead-in ending with a colon is no
 * 主送, a text that opens with a label is an attachment by itself. */
static void test_gongwen_not_parts(void **state)
{
    (void)state;
    expect_import("报告\n\n主要职责是：\n负责全区工作。\n",
                  "  <title>报告</title>\n"
                  "  <p>主要职责是：</p>\n"
                  "  <p>负责全区工作。</p>\n"
                  "</report>\n",
                  "");
    expect_import("附件2\n某项目自评报告\n正文。\n某区财政局\n2024年1月9日\n",
                  "  <label>附件2</label>\n"
                  "  <title>某项目自评报告</title>\n"
                  "  <p>正文。</p>\n"
                  "  <signature>\n"
                  "    <issuer>某区财政局</issuer>\n"
                  "    <date>2024-01-09</date>\n"
                  "  </signature>\n"
                  "</report>\n",
                  "");
}

/* TAB-separated lines are a table: the first its head, empty leading cells
 * merged into the cell above, a short row filled. */
static void test_tab_table(void **state)
{
    (void)state;
    expect_import("报告\n\n单位：万元\n指标\t项目\t分值\n产出\t数量\t20\n\t质量\t20\n效益\t满意度\n"
                  "注：合计。\n",
                  "  <title>报告</title>\n"
                  "  <p>单位：万元</p>\n"
                  "  <table><thead><tr><th>指标</th><th>项目</th><th>分值</th></tr></thead><tbody>"
                  "<tr><td rowspan=\"2\">产出</td><td>数量</td><td>20</td></tr>"
                  "<tr><td>质量</td><td>20</td></tr>"
                  "<tr><td>效益</td><td>满意度</td><td></td></tr></tbody></table>\n"
                  "  <p>注：合计。</p>\n"
                  "</report>\n",
                  "");
}

/* A made text's image is the seal when it is anchored at the signature (or a
 * paragraph or two from it), and then only; without a name for the file (the
 * source on standard output) it is reported, not referred to. */
static char *import_with_seal(long seal_at, const char *src, bool *used, char **diags)
{
    static const char text[] = "标题\n正文第一段。\n正文第二段。\n某区财政局\n2024年1月9日\n";
    const long positions[] = { 1, 2, 4, 7, 8 };       /* paragraphs 3, 5 and 6 are empty */
    gw_import_made made = { .positions = positions, .n_positions = 5, .paragraph_lines = true,
                            .seal_at = seal_at, .seal_src = src, .seal_used = used };
    size_t size = 0, out_len = 0;
    FILE *f = open_memstream(diags, &size);
    gw_diag d = gw_diag_init(f);
    d.line_mark = "¶";                                 /* as the .docx import says */
    *used = false;
    char *xml = gw_import_text_at("in.docx", text, sizeof text - 1, &made, NULL, &out_len, &d);
    fclose(f);
    return xml;
}

static void test_made_text_seal(void **state)
{
    (void)state;
    /* The issuer is ¶7 and the date ¶8; ¶6 is an empty paragraph before them. */
    static const struct { long at; bool taken; } cases[] = {
        { 6, true }, { 7, true }, { 8, true }, { 9, true }, { 10, true },
        { 2, false }, { 4, false }, { 11, false },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bool used;
        char *diags = NULL;
        char *xml = import_with_seal(cases[i].at, "out-seal.png", &used, &diags);
        assert_non_null(xml);
        assert_int_equal(used, cases[i].taken);
        const char *seal = strstr(xml, "    <date>2024-01-09</date>\n"
                                       "    <seal src=\"out-seal.png\"/>\n  </signature>\n");
        const char *said = strstr(diags, cases[i].taken
                                  ? "warning: the image at the signature is taken for the seal: "
                                    "written to out-seal.png"
                                  : "warning: an image anchored here is not at the signature: "
                                    "not imported");
        if ((seal != NULL) != cases[i].taken || !said)
            fail_msg("image at ¶%ld: %s%s", cases[i].at, xml, diags);
        free(xml);
        free(diags);
    }
    bool used;
    char *diags = NULL;
    char *xml = import_with_seal(8, NULL, &used, &diags);
    assert_false(used);
    assert_null(strstr(xml, "<seal"));
    assert_non_null(strstr(diags, "in.docx:¶8: warning: the image at the signature is taken for "
                                  "the seal, but no seal file is written when the source goes to "
                                  "standard output"));
    free(xml);
    free(diags);
    /* A name needing escapes is escaped. */
    xml = import_with_seal(8, "a&b\"-seal.png", &used, &diags);
    assert_non_null(strstr(xml, "<seal src=\"a&amp;b&quot;-seal.png\"/>"));
    free(xml);
    free(diags);
}

/* ---- .docx ---------------------------------------------------------------- */

#define W_DOC "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document xmlns:w=\"" \
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>"
#define W_NUM "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:numbering xmlns:w=\"" \
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"

/* A .docx in memory holding these parts (name, text, …, NULL), written with libzip. */
static unsigned char *make_docx(size_t *len, ...)
{
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &err);
    assert_non_null(src);
    zip_source_keep(src);
    zip_t *z = zip_open_from_source(src, ZIP_TRUNCATE, &err);
    assert_non_null(z);
    va_list ap;
    va_start(ap, len);
    for (const char *name; (name = va_arg(ap, const char *)) != NULL;) {
        const char *text = va_arg(ap, const char *);
        zip_source_t *part = zip_source_buffer(z, text, strlen(text), 0);
        assert_true(zip_file_add(z, name, part, 0) >= 0);
    }
    va_end(ap);
    assert_int_equal(zip_close(z), 0);
    assert_int_equal(zip_source_open(src), 0);
    assert_int_equal(zip_source_seek(src, 0, SEEK_END), 0);
    zip_int64_t n = zip_source_tell(src);
    assert_true(n > 0);
    assert_int_equal(zip_source_seek(src, 0, SEEK_SET), 0);
    unsigned char *buf = malloc((size_t)n);
    assert_int_equal(zip_source_read(src, buf, (zip_uint64_t)n), n);
    zip_source_close(src);
    zip_source_free(src);
    zip_error_fini(&err);
    *len = (size_t)n;
    return buf;
}

static char *import_docx(const unsigned char *data, size_t len, char **messages)
{
    size_t mlen = 0, out_len = 0;
    FILE *sink = open_memstream(messages, &mlen);
    gw_diag d = gw_diag_init(sink);
    gw_import_image seal;
    char *xml = gw_import_docx("t.docx", data, len, NULL, "t-seal.png", &seal, &out_len, &d);
    free(seal.data);
    fclose(sink);
    return xml;
}

static void append(char **s, size_t *n, const char *text)
{
    size_t k = strlen(text);
    *s = realloc(*s, *n + k + 1);
    memcpy(*s + *n, text, k + 1);
    *n += k;
}

/* Word's chineseCounting numbers, past ten (十一, 二十, 二十三), made the
 * sections the text import expects in sequence (no warning about a number out
 * of sequence); a list's startOverride; decimalEnclosedCircle items. */
/* Pictures: the last one, a PNG at the signature, is the seal — its bytes
 * handed back for the caller to write, the source referring to them; any other
 * picture is reported, and so is a seal that cannot be taken. */
#define W_DOC_PIC "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document " \
    "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" " \
    "xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" " \
    "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" " \
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><w:body>"
#define PICTURE(kind, rel) "<w:r><w:drawing><wp:" kind "><a:graphic><a:graphicData><a:blip " \
    "r:embed=\"" rel "\"/></a:graphicData></a:graphic></wp:" kind "></w:drawing></w:r>"
#define RELS(target) "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"" \
    "http://schemas.openxmlformats.org/package/2006/relationships\">" \
    "<Relationship Id=\"rId1\" Type=\"image\" Target=\"" target "\"/>" \
    "<Relationship Id=\"rId2\" Type=\"image\" Target=\"media/photo.png\"/>" \
    "<Relationship Id=\"rId3\" Type=\"image\" Target=\"http://example.org/x.png\" " \
    "TargetMode=\"External\"/></Relationships>"
#define FAKE_PNG "\x89PNG\r\n\x1a\nseal-bytes"

static char *import_pictures(const char *body, const char *rels, gw_import_image *seal,
                             char **messages)
{
    char doc[4096];
    snprintf(doc, sizeof doc, "%s<w:p><w:r><w:t>标题</w:t></w:r></w:p>%s</w:body></w:document>",
             W_DOC_PIC, body);
    size_t len, mlen = 0, out_len = 0;
    unsigned char *data = make_docx(&len, "word/document.xml", doc,
                                    "word/_rels/document.xml.rels", rels,
                                    "word/media/seal.png", FAKE_PNG,
                                    "word/media/photo.png", FAKE_PNG,
                                    "word/media/seal.jpg", "\xFF\xD8\xFF\xE0jpeg", NULL);
    FILE *sink = open_memstream(messages, &mlen);
    gw_diag d = gw_diag_init(sink);
    char *xml = gw_import_docx("t.docx", data, len, NULL, "t-seal.png", seal, &out_len, &d);
    fclose(sink);
    free(data);
    return xml;
}

static void test_docx_seal(void **state)
{
    (void)state;
    static const char date_with_seal[] =
        "<w:p><w:r><w:t>正文。</w:t></w:r>" PICTURE("inline", "rId2") "</w:p>"
        "<w:p><w:r><w:t>某区财政局</w:t></w:r></w:p><w:p><w:r><w:t>2024年1月9日</w:t></w:r>" PICTURE("anchor", "rId1") "</w:p>";
    gw_import_image seal;
    char *msgs = NULL;
    char *xml = import_pictures(date_with_seal, RELS("media/seal.png"), &seal, &msgs);
    assert_non_null(xml);
    assert_non_null(strstr(xml, "    <issuer>某区财政局</issuer>\n"));
    assert_non_null(strstr(xml, "<date>2024-01-09</date>\n    <seal src=\"t-seal.png\"/>\n"));
    assert_non_null(seal.data);
    assert_int_equal(seal.len, strlen(FAKE_PNG));
    assert_memory_equal(seal.data, FAKE_PNG, seal.len);
    assert_non_null(strstr(msgs, "t.docx: warning: 1 picture is not imported"));
    assert_non_null(strstr(msgs, "t.docx:¶4: warning: the image at the signature is taken for the "
                                 "seal: written to t-seal.png"));
    free(seal.data);
    free(xml);
    free(msgs);

    /* Not a PNG, outside the package, external, missing: reported, no seal. */
    static const struct { const char *rels, *message; } refused[] = {
        { RELS("media/seal.jpg"), "t.docx:¶4: warning: the picture here is a JPEG: not imported; "
                                  "if it is the seal, save it as a PNG" },
        { RELS("../../etc/seal.png"), "t.docx:¶4: warning: the picture's part (rId1) is not in the "
                                      "package: not imported" },
        { RELS("media/none.png"), "t.docx:¶4: warning: the picture's part (word/media/none.png) "
                                  "is not in the package: not imported" },
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        xml = import_pictures(date_with_seal, refused[i].rels, &seal, &msgs);
        assert_non_null(xml);
        assert_null(seal.data);
        assert_null(strstr(xml, "<seal"));
        if (!strstr(msgs, refused[i].message))
            fail_msg("case %zu: %s", i, msgs);
        free(xml);
        free(msgs);
    }
    static const char external[] =
        "<w:p><w:r><w:t>某区财政局</w:t></w:r></w:p><w:p><w:r><w:t>2024年1月9日</w:t></w:r>" PICTURE("anchor", "rId3") "</w:p>";
    xml = import_pictures(external, RELS("media/seal.png"), &seal, &msgs);
    assert_null(seal.data);
    assert_non_null(strstr(msgs, "the picture's part (rId3) is not in the package"));
    free(xml);
    free(msgs);

    /* A picture in the body, none at the signature: reported where it is. */
    static const char in_body[] =
        "<w:p><w:r><w:t>正文。</w:t></w:r>" PICTURE("anchor", "rId1") "</w:p>"
        "<w:p><w:r><w:t>正文第二段。</w:t></w:r></w:p><w:p><w:r><w:t>正文第三段。</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>正文第四段。</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>某区财政局</w:t></w:r></w:p><w:p><w:r><w:t>2024年1月9日</w:t></w:r></w:p>";
    xml = import_pictures(in_body, RELS("media/seal.png"), &seal, &msgs);
    assert_null(seal.data);
    assert_null(strstr(xml, "<seal"));
    assert_non_null(strstr(msgs, "t.docx:¶2: warning: an image anchored here is not at the "
                                 "signature: not imported"));
    free(xml);
    free(msgs);
}

static void test_docx_numbering_as_word_shows_it(void **state)
{
    (void)state;
    char *body = NULL;
    size_t n = 0;
    append(&body, &n, W_DOC "<w:p><w:r><w:t>关于某项工作的报告</w:t></w:r></w:p>");
    for (int i = 1; i <= 23; i++) {
        char p[300];
        snprintf(p, sizeof p, "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/>"
                 "</w:numPr></w:pPr><w:r><w:t>第%d项工作</w:t></w:r></w:p>"
                 "<w:p><w:r><w:t>内容。</w:t></w:r></w:p>", i);
        append(&body, &n, p);
    }
    append(&body, &n, "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"2\"/></w:numPr>"
                      "</w:pPr><w:r><w:t>从五开始的一项</w:t></w:r></w:p></w:body></w:document>");
    const char *numbering = W_NUM
        "<w:abstractNum w:abstractNumId=\"7\"><w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/>"
        "<w:numFmt w:val=\"chineseCounting\"/><w:lvlText w:val=\"%1、\"/></w:lvl></w:abstractNum>"
        "<w:abstractNum w:abstractNumId=\"8\"><w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/>"
        "<w:numFmt w:val=\"chineseCounting\"/><w:lvlText w:val=\"%1、\"/></w:lvl></w:abstractNum>"
        "<w:num w:numId=\"1\"><w:abstractNumId w:val=\"7\"/></w:num>"
        "<w:num w:numId=\"2\"><w:abstractNumId w:val=\"8\"/><w:lvlOverride w:ilvl=\"0\">"
        "<w:startOverride w:val=\"5\"/></w:lvlOverride></w:num></w:numbering>";
    size_t len;
    unsigned char *docx = make_docx(&len, "word/document.xml", body, "word/numbering.xml",
                                    numbering, NULL);
    char *messages = NULL;
    char *xml = import_docx(docx, len, &messages);
    assert_non_null(xml);
    size_t sections = 0;
    for (const char *p = xml; (p = strstr(p, "<section>")) != NULL; p++)
        sections++;
    assert_int_equal(sections, 24);                  /* 一 … 二十三, then the restarted 五、 */
    assert_non_null(strstr(xml, "<heading>第23项工作</heading>"));
    assert_null(strstr(xml, "二十三、"));             /* the numbers became the structure */
    /* Only the restarted list (startOverride 5, in paragraph 48) is out of sequence:
     * 一 … 二十三 were each the number the text import expected. */
    assert_non_null(strstr(messages, "t.docx:¶48: warning: numbered 五、, but this is heading 24"));
    assert_null(strstr(strstr(messages, "warning: numbered") + 1, "warning: numbered"));
    /* … and kept as Word shows it. */
    assert_non_null(strstr(xml, "<heading number=\"none\">五、从五开始的一项</heading>"));
    free(xml);
    free(messages);
    free(docx);
    free(body);
}

/* A multi-level number (%1.%2.) and a bullet as Word shows them; a paragraph's
 * numId 0 switches its style's numbering off; positions are ¶N. */
static void test_docx_levels_bullets_and_positions(void **state)
{
    (void)state;
    const char *doc = W_DOC
        "<w:p><w:r><w:t>标题</w:t></w:r></w:p>"
        "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"3\"/></w:numPr></w:pPr>"
        "<w:r><w:t>总则</w:t></w:r></w:p>"
        "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"1\"/><w:numId w:val=\"3\"/></w:numPr></w:pPr>"
        "<w:r><w:t>适用范围内的各项工作。</w:t></w:r></w:p>"
        "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"4\"/></w:numPr></w:pPr>"
        "<w:r><w:t>要点</w:t></w:r></w:p>"
        "<w:p><w:r><w:footnoteReference w:id=\"1\"/></w:r><w:r><w:t>注脚之后。</w:t></w:r></w:p>"
        "</w:body></w:document>";
    const char *numbering = W_NUM
        "<w:abstractNum w:abstractNumId=\"0\"><w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/>"
        "<w:numFmt w:val=\"decimal\"/><w:lvlText w:val=\"%1.\"/></w:lvl>"
        "<w:lvl w:ilvl=\"1\"><w:start w:val=\"1\"/><w:numFmt w:val=\"decimal\"/>"
        "<w:lvlText w:val=\"%1.%2.\"/></w:lvl></w:abstractNum>"
        "<w:abstractNum w:abstractNumId=\"1\"><w:lvl w:ilvl=\"0\"><w:numFmt w:val=\"bullet\"/>"
        "<w:lvlText w:val=\"■\"/></w:lvl></w:abstractNum>"
        "<w:num w:numId=\"3\"><w:abstractNumId w:val=\"0\"/></w:num>"
        "<w:num w:numId=\"4\"><w:abstractNumId w:val=\"1\"/></w:num></w:numbering>";
    size_t len;
    unsigned char *docx = make_docx(&len, "word/document.xml", doc, "word/numbering.xml",
                                    numbering, NULL);
    char *messages = NULL;
    char *xml = import_docx(docx, len, &messages);
    assert_non_null(xml);
    assert_non_null(strstr(xml, "1.1.适用范围内的各项工作。"));   /* not a number gwpdf makes */
    assert_non_null(strstr(xml, "■要点"));
    assert_non_null(strstr(messages, "t.docx:¶5: warning: footnotes, endnotes and comments"));
    free(xml);
    free(messages);
    free(docx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numbers_recognised),
        cmocka_unit_test(test_docx_numbering_as_word_shows_it),
        cmocka_unit_test(test_docx_levels_bullets_and_positions),
        cmocka_unit_test(test_numbers_not_headings),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_front_matter_and_signature),
        cmocka_unit_test(test_signature_dates_kept_as_typed),
        cmocka_unit_test(test_headings_nest_by_numbering),
        cmocka_unit_test(test_skipped_level_gets_level_attribute),
        cmocka_unit_test(test_skipped_numbers_warned),
        cmocka_unit_test(test_runin_heading),
        cmocka_unit_test(test_list_items),
        cmocka_unit_test(test_list_numbering_warnings),
        cmocka_unit_test(test_page_break_joins),
        cmocka_unit_test(test_not_headings),
        cmocka_unit_test(test_characters_kept),
        cmocka_unit_test(test_no_title),
        cmocka_unit_test(test_gb18030),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_gb18030_bad_sequence),
        cmocka_unit_test(test_errors_at_text_lines),
        cmocka_unit_test(test_seed),
        cmocka_unit_test(test_made_text_markers),
        cmocka_unit_test(test_made_text_seal),
        cmocka_unit_test(test_gongwen_parts),
        cmocka_unit_test(test_gongwen_mark),
        cmocka_unit_test(test_gongwen_date_inside),
        cmocka_unit_test(test_sections_by_whole_shape),
        cmocka_unit_test(test_attachments_note_only_names),
        cmocka_unit_test(test_attachments_in_listed_order),
        cmocka_unit_test(test_gongwen_not_parts),
        cmocka_unit_test(test_tab_table),
        cmocka_unit_test(test_docx_seal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
