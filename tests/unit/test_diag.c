/* Unit tests of diag.c: the one-line message format, control characters
 * escaped (a file name with a newline), errors and warnings capped, the
 * closing count of what was not shown, copies for other threads merged. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

typedef struct sink {
    char *text;
    size_t len;
    FILE *fp;
} sink;

static const char *text_of(sink *s)
{
    fflush(s->fp);
    return s->text ? s->text : "";
}

static void test_format(void **state)
{
    (void)state;
    sink s = { 0 };
    s.fp = open_memstream(&s.text, &s.len);
    gw_diag d = gw_diag_init(s.fp);
    gw_error(&d, "a.xml", 3, 7, "bad %s", "thing");
    gw_error(&d, "a.xml", 3, 0, "no column");
    gw_warn(&d, "a.xml", 0, 0, "no line");
    gw_error(&d, NULL, 0, 0, "no file");
    assert_string_equal(text_of(&s), "a.xml:3:7: bad thing\na.xml:3: no column\n"
                                     "a.xml: warning: no line\nno file\n");
    assert_int_equal(d.errors, 3);
    assert_int_equal(d.warnings, 1);
    fclose(s.fp);
    free(s.text);
}

static void test_control_characters_escaped(void **state)
{
    (void)state;
    sink s = { 0 };
    s.fp = open_memstream(&s.text, &s.len);
    gw_diag d = gw_diag_init(s.fp);
    gw_error(&d, "bad\nname.xml", 1, 1, "cannot read the seal image %s", "x\ty\x01.png");
    assert_string_equal(text_of(&s),
                        "bad\\nname.xml:1:1: cannot read the seal image x\\ty\\x01.png\n");
    fclose(s.fp);
    free(s.text);
}

static void test_caps_and_summary(void **state)
{
    (void)state;
    sink s = { 0 };
    s.fp = open_memstream(&s.text, &s.len);
    gw_diag d = gw_diag_init(s.fp);
    d.max_errors = 2;
    for (int i = 0; i < 5; i++)
        gw_warn(&d, "a.xml", i + 1, 1, "w%d", i);
    for (int i = 0; i < 3; i++)
        gw_error(&d, "a.xml", i + 1, 1, "e%d", i);
    gw_diag_summary(&d, "a.xml");
    assert_string_equal(text_of(&s), "a.xml:1:1: warning: w0\na.xml:2:1: warning: w1\n"
                                     "a.xml:1:1: e0\na.xml:2:1: e1\n"
                                     "a.xml: 1 more errors and 3 more warnings not shown "
                                     "(raise the limit with --limit errors=N)\n");
    assert_int_equal(d.warnings, 5);
    assert_int_equal(d.errors, 3);
    fclose(s.fp);
    free(s.text);
}

/* Two copies of a diag used by two threads' work (lanes.h): what each
 * reported is added back, the document's own counts kept once. */
static void test_merge_copies(void **state)
{
    (void)state;
    sink s = { 0 };
    s.fp = open_memstream(&s.text, &s.len);
    gw_diag d = gw_diag_init(s.fp);
    gw_error(&d, "a.xml", 1, 1, "before");
    gw_warn(&d, "a.xml", 2, 1, "before");
    gw_diag copies[2] = { d, d };
    gw_error(&copies[0], "f.ttf", 0, 0, "lane 0");
    gw_warn(&copies[1], "g.ttf", 0, 0, "lane 1");
    gw_warn(&copies[1], "g.ttf", 0, 0, "lane 1 again");
    gw_diag_merge(&d, copies, 2);
    assert_int_equal(d.errors, 2);
    assert_int_equal(d.warnings, 3);
    gw_diag_merge(&d, NULL, 0);
    assert_int_equal(d.errors, 2);
    assert_non_null(strstr(text_of(&s), "f.ttf: lane 0\n"));
    fclose(s.fp);
    free(s.text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_control_characters_escaped),
        cmocka_unit_test(test_caps_and_summary),
        cmocka_unit_test(test_merge_copies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
