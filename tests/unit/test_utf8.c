/* Unit tests of utf8.c: strict decoding (overlongs, surrogates, truncation) and encoding. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "utf8.h"

static void test_decode_valid(void **state)
{
    (void)state;
    uint32_t cp;
    assert_int_equal(gw_utf8_decode((const unsigned char *)"A", 1, &cp), 1);
    assert_int_equal(cp, 'A');
    assert_int_equal(gw_utf8_decode((const unsigned char *)"\xE5\x9B\xBD", 3, &cp), 3);
    assert_int_equal(cp, 0x56FD);                 /* 国 */
    assert_int_equal(gw_utf8_decode((const unsigned char *)"\xF0\xA0\xAE\xB7", 4, &cp), 4);
    assert_int_equal(cp, 0x20BB7);                /* 𠮷, above U+FFFF */
}

static void test_decode_invalid(void **state)
{
    (void)state;
    uint32_t cp;
    assert_int_equal(gw_utf8_decode((const unsigned char *)"\xC0\xAF", 2, &cp), 0);   /* overlong */
    assert_int_equal(gw_utf8_decode((const unsigned char *)"\xED\xA0\x80", 3, &cp), 0); /* surrogate */
    assert_int_equal(gw_utf8_decode((const unsigned char *)"\xE5\x9B", 2, &cp), 0);     /* truncated */
    assert_int_equal(gw_utf8_decode((const unsigned char *)"\x80", 1, &cp), 0);         /* stray */
    assert_int_equal(gw_utf8_decode((const unsigned char *)"\xF4\x90\x80\x80", 4, &cp), 0); /* > U+10FFFF */
}

static void test_round_trip(void **state)
{
    (void)state;
    const uint32_t cps[] = { 0x41, 0xE9, 0x3000, 0x56FD, 0xFF0C, 0x20BB7, 0x10FFFF };
    for (size_t i = 0; i < sizeof cps / sizeof *cps; i++) {
        char buf[4];
        size_t n = gw_utf8_encode(cps[i], buf);
        assert_true(n > 0);
        uint32_t back;
        assert_int_equal(gw_utf8_decode((const unsigned char *)buf, n, &back), n);
        assert_int_equal(back, cps[i]);
    }
    char buf[4];
    assert_int_equal(gw_utf8_encode(0xD800, buf), 0);
    assert_int_equal(gw_utf8_encode(0x110000, buf), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode_valid),
        cmocka_unit_test(test_decode_invalid),
        cmocka_unit_test(test_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
