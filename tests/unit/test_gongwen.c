/* Unit tests of the 公文 line shapes (src/import/gongwen.c) and of the 发文字号
 * parser lint shares (gw_doc_number_parse): each shape on the forms real
 * documents type, and on the near misses that must not pass for it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gongwen.h"
#include "utf8.h"

/* UTF-8 → code points, in a static buffer (one line of a test at a time). */
static const uint32_t *cps(const char *s, size_t *len)
{
    static uint32_t buf[256];
    size_t n = 0, i = 0, k = strlen(s);
    while (i < k && n < 256) {
        uint32_t c;
        size_t m = gw_utf8_decode((const unsigned char *)s + i, k - i, &c);
        assert_true(m > 0);
        buf[n++] = c;
        i += m;
    }
    *len = n;
    return buf;
}

static void test_doc_number(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        bool ok, standard, di, zero;
        int year, number;
        size_t organ;
    } cases[] = {
        { "增工函〔2023〕12号", true, true, false, false, 2023, 12, 3 },
        { "乌中政办发〔2021〕15号", true, true, false, false, 2021, 15, 5 },
        { "财预〔2020〕10号", true, true, false, false, 2020, 10, 2 },
        { "穗财绩【2022】3号", true, false, false, false, 2022, 3, 3 },
        { "某府[2019]3号", true, false, false, false, 2019, 3, 2 },
        { "某府［2019］３号", true, false, false, false, 2019, 3, 2 },
        { "某府（2019）3号", true, false, false, false, 2019, 3, 2 },
        { "某府〔2019〕第3号", true, false, true, false, 2019, 3, 2 },
        { "某府〔2019〕03号", true, false, false, true, 2019, 3, 2 },
        { "某府〔2019〕0号", true, true, false, false, 2019, 0, 2 },
        { "〔2019〕3号", false, false, false, false, 0, 0, 0 },          /* no organ */
        { "某府〔19〕3号", false, false, false, false, 0, 0, 0 },        /* two-digit year */
        { "某府〔2019〕3号文", false, false, false, false, 0, 0, 0 },    /* more after 号 */
        { "某府〔2019〕号", false, false, false, false, 0, 0, 0 },       /* no number */
        { "某府〔2019〕3", false, false, false, false, 0, 0, 0 },        /* no 号 */
        { "某府〔2019】3号", false, false, false, false, 0, 0, 0 },      /* mismatched */
        { "根据《某府〔2019〕3号》", false, false, false, false, 0, 0, 0 },
        { "经研究，某府〔2019〕3号", false, false, false, false, 0, 0, 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n;
        const uint32_t *t = cps(cases[i].text, &n);
        gw_doc_number dn;
        bool ok = gw_doc_number_parse(t, n, &dn);
        if (ok != cases[i].ok)
            fail_msg("%s: parsed %d", cases[i].text, ok);
        if (!ok)
            continue;
        assert_int_equal(dn.standard, cases[i].standard);
        assert_int_equal(dn.di, cases[i].di);
        assert_int_equal(dn.leading_zero, cases[i].zero);
        assert_int_equal(dn.year, cases[i].year);
        assert_int_equal(dn.number, cases[i].number);
        assert_int_equal(dn.organ_len, cases[i].organ);
    }
}

/* One line through one of the 版头 recognisers: whether it has the shape, and
 * where its content starts (the period of a 密级, the names of a 签发人). */
enum shape { COPY, SECRECY, URGENCY, SIGNER };

static bool shaped(enum shape what, const char *text, size_t *at)
{
    size_t n;
    const uint32_t *t = cps(text, &n);
    *at = 0;
    switch (what) {
    case COPY: return gw_gongwen_copy(t, n);
    case SECRECY: return gw_gongwen_secrecy(t, n, at);
    case URGENCY: return gw_gongwen_urgency(t, n);
    case SIGNER: return gw_gongwen_signer(t, n, at);
    }
    return false;
}

static void test_header_lines(void **state)
{
    (void)state;
    static const struct { enum shape what; const char *text; bool ok; size_t at; } cases[] = {
        { COPY, "000123", true, 0 }, { COPY, "00123", false, 0 }, { COPY, "2023年", false, 0 },
        { SECRECY, "机密★5年", true, 3 }, { SECRECY, "秘密", true, 0 },
        { SECRECY, "机密文件管理办法", false, 0 }, { SECRECY, "机密★", false, 0 },
        { URGENCY, "特急", true, 0 }, { URGENCY, "特急通知", false, 0 },
        { SIGNER, "签发人：张三 李四", true, 4 }, { SIGNER, "签发人 : 张三", true, 6 },
        { SIGNER, "签发人：", false, 0 }, { SIGNER, "签发人张三", false, 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t at;
        bool ok = shaped(cases[i].what, cases[i].text, &at);
        if (ok != cases[i].ok || (ok && at != cases[i].at))
            fail_msg("%s: %d at %zu", cases[i].text, ok, at);
    }
}

static void test_record_lines(void **state)
{
    (void)state;
    size_t n, at, name, date_at, date_len;
    const uint32_t *t;
    t = cps("抄送：区纪委监委，区审计局。", &n);
    assert_true(gw_gongwen_cc(t, n, &at));
    assert_int_equal(at, 3);
    t = cps("抄送单位", &n);
    assert_false(gw_gongwen_cc(t, n, &at));
    t = cps("广州市增城区总工会办公室      2023年3月15日印发", &n);
    assert_true(gw_gongwen_distributor(t, n, &name, &date_at, &date_len));
    assert_int_equal(name, 12);
    assert_int_equal(date_at, 18);
    assert_int_equal(date_len, 10);
    t = cps("某区财政局办公室　２０２３年１月５日印发", &n);
    assert_true(gw_gongwen_distributor(t, n, &name, &date_at, &date_len));
    assert_int_equal(name, 8);
    assert_int_equal(date_at, 9);
    t = cps("某区财政局办公室2023年1月5日印发", &n);
    assert_true(gw_gongwen_distributor(t, n, &name, &date_at, &date_len));
    assert_int_equal(name, 8);
    t = cps("某区人民政府办公室　二〇二三年一月五日印发", &n);
    assert_true(gw_gongwen_distributor(t, n, &name, &date_at, &date_len));
    assert_int_equal(name, 9);
    t = cps("2023年1月5日印发", &n);                  /* no name */
    assert_false(gw_gongwen_distributor(t, n, &name, &date_at, &date_len));
    t = cps("现将方案印发", &n);
    assert_false(gw_gongwen_distributor(t, n, &name, &date_at, &date_len));
}

static void test_attachment_lines(void **state)
{
    (void)state;
    size_t n, at;
    bool old;
    int number;
    const uint32_t *t;
    t = cps("附件：1.乌拉特中旗旗级绩效评价管理办法", &n);
    assert_true(gw_gongwen_attachments_note(t, n, &at, &old));
    assert_int_equal(at, 3);
    assert_false(old);
    t = cps("附: 某办法", &n);
    assert_true(gw_gongwen_attachments_note(t, n, &at, &old));
    assert_true(old);
    assert_int_equal(at, 3);
    t = cps("附件2", &n);
    assert_false(gw_gongwen_attachments_note(t, n, &at, &old));
    static const struct { const char *text; bool ok; int number; bool old; } labels[] = {
        { "附件", true, 0, false }, { "附件2", true, 2, false }, { "附件 2", true, 2, false },
        { "附件二", true, 2, false }, { "附件十二", true, 12, false }, { "附件1：", true, 1, false },
        { "附件１:", true, 1, false }, { "附：", true, 0, true }, { "附件：", true, 0, false },
        { "附件1：某办法", false, 0, false }, { "附件说明", false, 0, false },
        { "附件0", false, 0, false }, { "附表", false, 0, false },
    };
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++) {
        t = cps(labels[i].text, &n);
        bool ok = gw_gongwen_label(t, n, &number, &old);
        if (ok != labels[i].ok)
            fail_msg("%s: label %d", labels[i].text, ok);
        if (ok) {
            assert_int_equal(number, labels[i].number);
            assert_int_equal(old, labels[i].old);
        }
    }
    t = cps("（此件公开发布）", &n);
    assert_true(gw_gongwen_note(t, n));
    t = cps("(联系人：张三，电话：12345678)", &n);
    assert_true(gw_gongwen_note(t, n));
    t = cps("（一）总体要求（试行）", &n);
    assert_false(gw_gongwen_note(t, n));
    t = cps("（）", &n);
    assert_false(gw_gongwen_note(t, n));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_doc_number),
        cmocka_unit_test(test_header_lines),
        cmocka_unit_test(test_record_lines),
        cmocka_unit_test(test_attachment_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
