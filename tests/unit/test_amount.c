/*
 * Exact amounts: every accepted form, every rejection with its reason, the
 * INT64_MAX boundary at several scales, and format/parse round trips.
 * Expected minor-unit values are worked out by hand in the comments.
 */
#include "test_support.h"

#include <stdio.h>
#include <string.h>

#include "core/rng.h"
#include "ingest/amount.h"
#include "paygraph/common.h"

static int64_t parse_ok(const char *s, int scale)
{
    int64_t v = -1;
    const char *why = "unset";
    int rc = pg_parse_amount(s, strlen(s), scale, &v, &why);
    if (rc != 0) {
        fail_msg("'%s' at scale %d rejected: %s", s, scale, why ? why : "(null)");
    }
    assert_null(why);
    return v;
}

/* The reason for rejecting s; the test names a word the reason must contain. */
static void parse_bad(const char *s, int scale, const char *reason_word)
{
    int64_t v = 12345;
    const char *why = NULL;
    int rc = pg_parse_amount(s, strlen(s), scale, &v, &why);
    if (rc != PG_EINPUT) {
        fail_msg("'%s' at scale %d accepted as %lld", s, scale, (long long)v);
    }
    assert_int_equal(v, 12345); /* output untouched on failure */
    assert_non_null(why);
    if (!strstr(why, reason_word)) {
        fail_msg("'%s': reason '%s' lacks '%s'", s, why, reason_word);
    }
}

static void test_accepted_forms(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("12", 2), 1200);
    assert_int_equal(parse_ok("12.5", 2), 1250);
    assert_int_equal(parse_ok("12.50", 2), 1250);
    assert_int_equal(parse_ok(".50", 2), 50);
    assert_int_equal(parse_ok("0.1", 2), 10);
    assert_int_equal(parse_ok("0.01", 2), 1);
    assert_int_equal(parse_ok("+3.00", 2), 300);
    assert_int_equal(parse_ok("12.", 2), 1200);
    assert_int_equal(parse_ok("007.5", 2), 750);
    assert_int_equal(parse_ok("12.3400", 2), 1234);
    assert_int_equal(parse_ok("  42.10\t", 2), 4210);
    assert_int_equal(parse_ok("5000", 0), 5000);
    assert_int_equal(parse_ok("5000.000", 0), 5000);
    assert_int_equal(parse_ok("1.234", 3), 1234);
    /* AMLworld Bitcoin amounts have six decimals; BTC is stored at scale 8. */
    assert_int_equal(parse_ok("0.012345", 8), 1234500);
    assert_int_equal(parse_ok("0.00000001", 8), 1);
}

static void test_rejections_with_reasons(void **state)
{
    (void)state;
    parse_bad("", 2, "empty");
    parse_bad("   ", 2, "empty");
    parse_bad("-5", 2, "negative");
    parse_bad("-0.50", 2, "negative");
    parse_bad("0", 2, "zero");
    parse_bad("0.00", 2, "zero");
    parse_bad("+.0", 2, "zero");
    parse_bad("1e3", 2, "exponent");
    parse_bad("1.5E2", 2, "exponent");
    parse_bad("12,50", 2, "decimal comma");
    parse_bad("1,000.00", 2, "thousands");
    parse_bad("1,000", 2, "thousands");
    parse_bad("1,000,000", 2, "thousands");
    parse_bad("NaN", 2, "not a number");
    parse_bad("nan", 2, "not a number");
    parse_bad("inf", 2, "not a number");
    parse_bad("Infinity", 2, "not a number");
    parse_bad("1.2.3", 2, "decimal point");
    parse_bad(".", 2, "not a number");
    parse_bad("+", 2, "not a number");
    parse_bad("1 000", 2, "space");
    parse_bad("12 .50", 2, "space");
    parse_bad("12.345", 2, "decimal places");
    parse_bad("12.3401", 2, "decimal places");
    parse_bad("1.5", 0, "decimal places");
    parse_bad("$12", 2, "not a number");
    parse_bad("12USD", 2, "not a number");
    parse_bad("0x10", 2, "not a number");
    parse_bad("5-", 2, "sign");
    parse_bad("++5", 2, "sign");
    parse_bad("99999999999999999999", 0, "overflow");
    parse_bad("12345678901234567890.00", 2, "overflow");
}

static void test_int64_max_boundary(void **state)
{
    (void)state;
    /* INT64_MAX = 9223372036854775807. */
    assert_true(parse_ok("9223372036854775807", 0) == INT64_MAX);
    parse_bad("9223372036854775808", 0, "overflow");
    assert_true(parse_ok("92233720368547758.07", 2) == INT64_MAX);
    parse_bad("92233720368547758.08", 2, "overflow");
    assert_true(parse_ok("9223372036.854775807", 9) == INT64_MAX);
    parse_bad("9223372036.854775808", 9, "overflow");
    /* 92233720368547758.1 at scale 2 is ...810 > ...807; zero padding must overflow too. */
    parse_bad("92233720368547758.1", 2, "overflow");
    parse_bad("92233720368547759", 2, "overflow");
    /* Leading zeros do not count towards the width. */
    assert_true(parse_ok("0000000000009223372036854775807", 0) == INT64_MAX);
    /* Scale 18: 9.223372036854775807 is the largest value. */
    assert_true(parse_ok("9.223372036854775807", 18) == INT64_MAX);
    parse_bad("10", 18, "overflow");
}

static void test_bad_scale_and_zero_flag(void **state)
{
    (void)state;
    int64_t v = 0;
    const char *why = NULL;
    assert_int_equal(pg_parse_amount("1", 1, -1, &v, &why), PG_EINVAL);
    assert_int_equal(pg_parse_amount("1", 1, 19, &v, &why), PG_EINVAL);
    assert_int_equal(pg_parse_amount_ex("0.00", 4, 2, PG_AMOUNT_ALLOW_ZERO, &v, &why), 0);
    assert_int_equal(v, 0);
    assert_int_equal(pg_parse_amount_ex("-0", 2, 2, PG_AMOUNT_ALLOW_ZERO, &v, &why), PG_EINPUT);
    /* why may be NULL. */
    assert_int_equal(pg_parse_amount("x", 1, 2, &v, NULL), PG_EINPUT);
}

static void test_reads_only_len_bytes(void **state)
{
    (void)state;
    /* The field is "12.5" inside a row; the parser must stop at len. */
    const char row[] = "12.5,99,abc";
    int64_t v = 0;
    assert_int_equal(pg_parse_amount(row, 4, 2, &v, NULL), 0);
    assert_int_equal(v, 1250);
    assert_int_equal(pg_parse_amount(row + 5, 2, 2, &v, NULL), 0);
    assert_int_equal(v, 9900);
    /* A lone '1' with no terminator anywhere near. */
    char one = '1';
    assert_int_equal(pg_parse_amount(&one, 1, 2, &v, NULL), 0);
    assert_int_equal(v, 100);
}

static void test_format(void **state)
{
    (void)state;
    char buf[PG_AMOUNT_BUFSZ];
    assert_int_equal(pg_format_amount(buf, sizeof(buf), 1250, 2), 5);
    assert_string_equal(buf, "12.50");
    pg_format_amount(buf, sizeof(buf), 5, 2);
    assert_string_equal(buf, "0.05");
    pg_format_amount(buf, sizeof(buf), -5, 2);
    assert_string_equal(buf, "-0.05");
    pg_format_amount(buf, sizeof(buf), 0, 3);
    assert_string_equal(buf, "0.000");
    pg_format_amount(buf, sizeof(buf), 1200, 0);
    assert_string_equal(buf, "1200");
    pg_format_amount(buf, sizeof(buf), INT64_MAX, 2);
    assert_string_equal(buf, "92233720368547758.07");
    pg_format_amount(buf, sizeof(buf), INT64_MIN, 0);
    assert_string_equal(buf, "-9223372036854775808");
    pg_format_amount(buf, sizeof(buf), INT64_MIN, 18);
    assert_string_equal(buf, "-9.223372036854775808");
    pg_format_amount(buf, sizeof(buf), 1, 18);
    assert_string_equal(buf, "0.000000000000000001");
    /* Too small: "12.50" needs 6 bytes. */
    char small[5] = "xxxx";
    assert_int_equal(pg_format_amount(small, sizeof(small), 1250, 2), PG_EINVAL);
    assert_string_equal(small, "");
    assert_int_equal(pg_format_amount(buf, sizeof(buf), 1, 19), PG_EINVAL);
}

/* Random positive values at random scales: format then parse gives the value back. */
static void test_round_trip_random(void **state)
{
    (void)state;
    uint64_t seed = pg_test_seed("amount_round_trip", 20260301);
    pg_rng r;
    pg_rng_init(&r, seed, 0);
    char buf[PG_AMOUNT_BUFSZ];
    for (int i = 0; i < 200000; i++) {
        int scale = (int)pg_rng_below(&r, PG_AMOUNT_MAX_SCALE + 1);
        int64_t v = (int64_t)(pg_rng_next(&r) >> (1 + pg_rng_below(&r, 63)));
        if (v == 0) {
            v = 1;
        }
        assert_true(pg_format_amount(buf, sizeof(buf), v, scale) > 0);
        int64_t back = 0;
        const char *why = NULL;
        if (pg_parse_amount(buf, strlen(buf), scale, &back, &why) != 0 || back != v) {
            fail_msg("'%s' scale %d: %s", buf, scale, why ? why : "value differs");
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepted_forms),       cmocka_unit_test(test_rejections_with_reasons),
        cmocka_unit_test(test_int64_max_boundary),   cmocka_unit_test(test_bad_scale_and_zero_flag),
        cmocka_unit_test(test_reads_only_len_bytes), cmocka_unit_test(test_format),
        cmocka_unit_test(test_round_trip_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
