/*
 * Timestamps: each accepted layout, offsets (including ones that cross
 * midnight and the year), leap-year rules, range limits, rejections with
 * reasons, and the calendar arithmetic against a plain day-by-day count.
 *
 * Reference instants (worked out by hand from 2000-01-01T00:00:00Z =
 * 946684800, the widely published value, counting 365 days a year plus leap
 * days):
 *   1970-01-01T00:00:00Z = 0
 *   1900-01-01T00:00:00Z = -2208988800 (the NTP era offset, 70 years incl. 17 leap days)
 *   2000-02-29T00:00:00Z = 946684800 + 59 days            = 951782400
 *   2022-09-01T00:00:00Z = 946684800 + 8279 days          = 1661990400
 *     (22 years with 6 leap days = 8036, + Jan..Aug 243)
 *   2024-02-29T00:00:00Z = 946684800 + 8825 days          = 1709164800
 *     (24 years with 6 leap days = 8766, + 59)
 *   2026-01-01T00:00:00Z = 946684800 + 9497 days          = 1767225600
 *     (26 years with 7 leap days)
 *   2026-03-01T00:00:00Z = 1767225600 + 59 days           = 1772323200
 *   2038-01-19T03:14:07Z = 2147483647 (INT32_MAX, the "2038 problem")
 *   2201-01-01T00:00:00Z = 84371 days = 7289654400
 *     (231 years 1970..2200 with 56 leap days: 58 multiples of 4 minus 2100, 2200)
 */
#include "test_support.h"

#include <string.h>

#include "ingest/timestamp.h"
#include "paygraph/common.h"

#define T_2000 INT64_C(946684800)
#define T_2026_03_01 INT64_C(1772323200)
#define T_2026_01_01 INT64_C(1767225600)
#define T_1900 INT64_C(-2208988800)
#define T_2201 INT64_C(7289654400)

static int64_t ts_ok(const char *s)
{
    int64_t v = 0;
    const char *why = "unset";
    if (pg_parse_timestamp(s, strlen(s), &v, &why) != 0) {
        fail_msg("'%s' rejected: %s", s, why ? why : "(null)");
    }
    assert_null(why);
    return v;
}

static void ts_bad(const char *s, const char *reason_word)
{
    int64_t v = 777;
    const char *why = NULL;
    if (pg_parse_timestamp(s, strlen(s), &v, &why) != PG_EINPUT) {
        fail_msg("'%s' accepted as %lld", s, (long long)v);
    }
    assert_int_equal(v, 777);
    assert_non_null(why);
    if (!strstr(why, reason_word)) {
        fail_msg("'%s': reason '%s' lacks '%s'", s, why, reason_word);
    }
}

static void test_layouts(void **state)
{
    (void)state;
    /* 21:14:05 = 76445 s. */
    const int64_t t = T_2026_03_01 + 76445;
    assert_true(ts_ok("2026-03-01T21:14:05Z") == t);
    assert_true(ts_ok("2026-03-01t21:14:05z") == t);
    assert_true(ts_ok("2026-03-01T21:14:05.999999Z") == t);
    assert_true(ts_ok("2026-03-01T21:14:05,5Z") == t);
    assert_true(ts_ok("2026-03-01T21:14:05") == t);
    assert_true(ts_ok("2026-03-01 21:14:05") == t);
    assert_true(ts_ok("2026-03-01 21:14") == t - 5);
    assert_true(ts_ok("2026-03-01T21:14") == t - 5);
    assert_true(ts_ok("2026-03-01") == T_2026_03_01);
    assert_true(ts_ok("  2026-03-01 21:14:05  ") == t);
    assert_true(ts_ok("2000-01-01T00:00:00Z") == T_2000);
    assert_true(ts_ok("1970-01-01") == 0);
    assert_true(ts_ok("2038-01-19T03:14:07Z") == INT64_C(2147483647));
    /* AMLworld: 2022-09-01 00:20 = 1661990400 + 1200. */
    assert_true(ts_ok("2022/09/01 00:20") == INT64_C(1661991600));
}

static void test_offsets(void **state)
{
    (void)state;
    assert_true(ts_ok("2026-03-01T10:00:00+10:00") == T_2026_03_01);
    assert_true(ts_ok("2026-03-01T10:00:00+1000") == T_2026_03_01);
    assert_true(ts_ok("2026-03-01T10:00:00+10") == T_2026_03_01);
    assert_true(ts_ok("2026-03-01T10:00+10:00") == T_2026_03_01);
    assert_true(ts_ok("2026-03-01T00:00:00+00:00") == T_2026_03_01);
    assert_true(ts_ok("2026-03-01T00:00:00-00:00") == T_2026_03_01);
    /* -05:30: local midnight is 05:30 UTC = +19800 s. */
    assert_true(ts_ok("2026-03-01T00:00:00-0530") == T_2026_03_01 + 19800);
    assert_true(ts_ok("2026-03-01T00:00:00-05:30") == T_2026_03_01 + 19800);
    /* +14:00 crosses back over midnight and the year: 2025-12-31T15:00Z. */
    assert_true(ts_ok("2026-01-01T05:00:00+14:00") == T_2026_01_01 - 9 * 3600);
    /* -12:00 crosses forward into the new year: 2026-01-01T08:00Z. */
    assert_true(ts_ok("2025-12-31T20:00:00-12:00") == T_2026_01_01 + 8 * 3600);
    assert_true(ts_ok("2026-03-01T21:14:05.123+05:45") == T_2026_03_01 + 76445 - 20700);
    ts_bad("2026-03-01T10:00:00+14:01", "offset");
    ts_bad("2026-03-01T10:00:00+15:00", "offset");
    ts_bad("2026-03-01T10:00:00+10:60", "offset");
    ts_bad("2026-03-01T10:00:00+1", "offset");
    ts_bad("2026-03-01T10:00:00+10:0", "offset");
    ts_bad("2026-03-01T10:00:00+10:00:00", "offset");
    ts_bad("2026-03-01T10:00:00 +10:00", "unexpected");
    ts_bad("2026-03-01T10:00:00ZZ", "unexpected");
    ts_bad("2026-03-01Z", "unexpected");
}

static void test_leap_years(void **state)
{
    (void)state;
    assert_true(ts_ok("2024-02-29") == INT64_C(1709164800));
    assert_true(ts_ok("2000-02-29") == INT64_C(951782400));
    ts_bad("2023-02-29", "29 of February");
    ts_bad("1900-02-29", "29 of February"); /* divisible by 100, not by 400 */
    ts_bad("2100-02-29", "29 of February");
    ts_bad("2024-02-30", "day 30 of February");
    ts_bad("2024-02-31", "day 31 of February");
    ts_bad("2026-04-31", "day 31 of April");
    ts_bad("2026-06-31", "June");
    ts_bad("2026-09-31", "September");
    ts_bad("2026-11-31", "November");
    assert_true(ts_ok("2026-01-31") == T_2026_01_01 + 30 * 86400);
    assert_true(ts_ok("2026-12-31") == T_2026_01_01 + 364 * 86400);
    ts_bad("2026-00-10", "month");
    ts_bad("2026-13-01", "month");
    ts_bad("2026-01-00", "day");
    ts_bad("2026-01-32", "day");
}

static void test_time_fields(void **state)
{
    (void)state;
    ts_bad("2026-03-01T24:00:00Z", "hour 24");
    ts_bad("2026-03-01 24:00", "hour 24");
    ts_bad("2026-03-01T25:00:00Z", "hour");
    ts_bad("2026-03-01T23:60:00Z", "minute");
    ts_bad("2026-12-31T23:59:60Z", "leap second");
    ts_bad("2026-03-01T23:59:61Z", "second");
    ts_bad("2026-03-01T23:59:5", "unexpected");
    ts_bad("2026-03-01T23:59:00.Z", "digits after");
    ts_bad("2026-03-01T2:00", "HH:MM");
    ts_bad("2026-03-01T", "HH:MM");
    ts_bad("2026-03-01X10:00", "after the date");
    assert_true(ts_ok("2026-03-01T23:59:59Z") == T_2026_03_01 + 86399);
}

static void test_range_and_epochs(void **state)
{
    (void)state;
    assert_true(ts_ok("1900-01-01T00:00:00Z") == T_1900);
    assert_true(ts_ok("2200-12-31T23:59:59Z") == T_2201 - 1);
    ts_bad("1899-12-31T23:59:59Z", "1900..2200");
    ts_bad("2201-01-01", "1900..2200");
    /* In range locally, out of range in UTC. */
    ts_bad("1900-01-01T00:00:00+01:00", "1900..2200");
    assert_true(ts_ok("1900-01-01T00:00:00-01:00") == T_1900 + 3600);
    ts_bad("2200-12-31T23:00:00-01:00", "1900..2200");

    assert_true(ts_ok("946684800") == T_2000);
    assert_true(ts_ok("0") == 0);
    assert_true(ts_ok("-86400") == -86400);
    assert_true(ts_ok("-2208988800") == T_1900);
    assert_true(ts_ok("7289654399") == T_2201 - 1);
    ts_bad("-2208988801", "1900..2200");
    ts_bad("7289654400", "1900..2200");
    ts_bad("99999999999999999999999", "1900..2200");
    ts_bad("-", "not a timestamp");
    ts_bad("", "empty");
    ts_bad("   ", "empty");
    ts_bad("1.5", "YYYY-MM-DD");
    ts_bad("26-03-01", "YYYY-MM-DD");
    ts_bad("2026-3-1", "YYYY-MM-DD");
    ts_bad("2026/03-01", "YYYY-MM-DD");
    ts_bad("01/03/2026", "YYYY-MM-DD");
}

static void test_reads_only_len_bytes(void **state)
{
    (void)state;
    /* Field followed by more row; the tail must not be seen. */
    const char row[] = "2026-03-01T10:00:00+10:00,123";
    int64_t v = 0;
    assert_int_equal(pg_parse_timestamp(row, 19, &v, NULL), 0);
    assert_true(v == T_2026_03_01 + 36000);
    assert_int_equal(pg_parse_timestamp(row, 10, &v, NULL), 0);
    assert_true(v == T_2026_03_01);
    assert_int_equal(pg_parse_timestamp(row + 26, 3, &v, NULL), 0);
    assert_true(v == 123);
}

/* The closed-form calendar against walking every day from 1900 to 2200. */
static void test_calendar_against_day_count(void **state)
{
    (void)state;
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int64_t day = T_1900 / 86400; /* exact: -25567 days */
    assert_true(day * 86400 == T_1900);
    for (int64_t y = 1900; y <= 2200; y++) {
        int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        for (int m = 1; m <= 12; m++) {
            int n = mdays[m - 1] + (m == 2 && leap);
            for (int d = 1; d <= n; d++, day++) {
                assert_true(pg_ts__days_from_civil(y, m, d) == day);
                int64_t yy;
                int mm, dd;
                pg_ts__civil_from_days(day, &yy, &mm, &dd);
                assert_true(yy == y && mm == m && dd == d);
            }
        }
    }
    assert_true(day * 86400 == T_2201);
}

static void test_format(void **state)
{
    (void)state;
    char buf[PG_TS_BUFSZ];
    assert_int_equal(pg_format_timestamp(buf, sizeof(buf), T_2026_03_01 + 76445), 20);
    assert_string_equal(buf, "2026-03-01T21:14:05Z");
    pg_format_timestamp(buf, sizeof(buf), 0);
    assert_string_equal(buf, "1970-01-01T00:00:00Z");
    pg_format_timestamp(buf, sizeof(buf), -1);
    assert_string_equal(buf, "1969-12-31T23:59:59Z");
    pg_format_timestamp(buf, sizeof(buf), T_1900);
    assert_string_equal(buf, "1900-01-01T00:00:00Z");
    pg_format_timestamp(buf, sizeof(buf), INT64_C(951782400) + 86399);
    assert_string_equal(buf, "2000-02-29T23:59:59Z");
    char small[20];
    assert_int_equal(pg_format_timestamp(small, sizeof(small), 0), PG_EINVAL);
    assert_int_equal(pg_format_timestamp(buf, sizeof(buf), INT64_MAX), PG_EINVAL);
    assert_int_equal(pg_format_timestamp(buf, sizeof(buf), INT64_MIN), PG_EINVAL);
    assert_string_equal(buf, "");
    /* Every hour over ten years: format then parse is the identity. */
    for (int64_t t = T_2000; t < T_2000 + INT64_C(86400) * 3653; t += 3599) {
        assert_int_equal(pg_format_timestamp(buf, sizeof(buf), t), 20);
        assert_true(ts_ok(buf) == t);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layouts),
        cmocka_unit_test(test_offsets),
        cmocka_unit_test(test_leap_years),
        cmocka_unit_test(test_time_fields),
        cmocka_unit_test(test_range_and_epochs),
        cmocka_unit_test(test_reads_only_len_bytes),
        cmocka_unit_test(test_calendar_against_day_count),
        cmocka_unit_test(test_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
