/*
 * Currencies: ISO codes with their minor units (from the ISO 4217 list),
 * case-insensitive lookup, every AMLworld currency name, dense ids.
 */
#include "test_support.h"

#include <string.h>

#include "ingest/amount.h"
#include "ingest/currency.h"
#include "paygraph/common.h"

static pg_currency look(const char *s)
{
    pg_currency c;
    memset(&c, 0xAB, sizeof(c));
    if (pg_currency_lookup(s, strlen(s), &c) != 0) {
        fail_msg("currency '%s' not found", s);
    }
    return c;
}

static void expect(const char *s, const char *code, int scale)
{
    pg_currency c = look(s);
    if (strcmp(c.code, code) != 0 || c.scale != scale) {
        fail_msg("'%s' -> %s/%d, expected %s/%d", s, c.code, c.scale, code, scale);
    }
}

static void test_iso_codes_and_minor_units(void **state)
{
    (void)state;
    /* Minor units as listed in ISO 4217 table A.1. */
    static const struct {
        const char *code;
        int scale;
    } iso[] = {
        {"AUD", 2}, {"USD", 2}, {"EUR", 2}, {"GBP", 2}, {"JPY", 0}, {"KRW", 0}, {"PHP", 2},
        {"THB", 2}, {"VND", 0}, {"IDR", 2}, {"MYR", 2}, {"SGD", 2}, {"INR", 2}, {"CNY", 2},
        {"HKD", 2}, {"NZD", 2}, {"CAD", 2}, {"CHF", 2}, {"MXN", 2}, {"BRL", 2}, {"SAR", 2},
        {"ILS", 2}, {"RUB", 2}, {"KWD", 3}, {"BHD", 3}, {"OMR", 3}, {"JOD", 3}, {"TND", 3},
        {"CLP", 0}, {"ISK", 0}, {"UGX", 0}, {"XOF", 0}, {"AED", 2}, {"ZAR", 2}, {"SEK", 2},
        {"PLN", 2}, {"TRY", 2}, {"TWD", 2}, {"PKR", 2}, {"KHR", 2},
    };
    for (size_t i = 0; i < sizeof(iso) / sizeof(iso[0]); i++) {
        expect(iso[i].code, iso[i].code, iso[i].scale);
    }
    expect("BTC", "BTC", 8);
    expect("ETH", "ETH", 8);
    expect("USDT", "USDT", 6);
}

static void test_case_and_spaces(void **state)
{
    (void)state;
    expect("usd", "USD", 2);
    expect("Usd", "USD", 2);
    expect("  php ", "PHP", 2);
    expect("usdt", "USDT", 6);
    expect("\tBtc", "BTC", 8);
}

static void test_amlworld_names(void **state)
{
    (void)state;
    expect("US Dollar", "USD", 2);
    expect("Euro", "EUR", 2);
    expect("Yuan", "CNY", 2);
    expect("Yen", "JPY", 0);
    expect("UK Pound", "GBP", 2);
    expect("Rupee", "INR", 2);
    expect("Ruble", "RUB", 2);
    expect("Canadian Dollar", "CAD", 2);
    expect("Australian Dollar", "AUD", 2);
    expect("Swiss Franc", "CHF", 2);
    expect("Mexican Peso", "MXN", 2);
    expect("Brazil Real", "BRL", 2);
    expect("Saudi Riyal", "SAR", 2);
    expect("Shekel", "ILS", 2);
    expect("Bitcoin", "BTC", 8);
    expect("us dollar", "USD", 2);
    expect("BITCOIN", "BTC", 8);

    /* AMLworld writes Bitcoin amounts with six decimals; scale 8 keeps them exact. */
    pg_currency btc = look("Bitcoin");
    int64_t sat = 0;
    assert_int_equal(pg_parse_amount("0.012345", 8, btc.scale, &sat, NULL), 0);
    assert_int_equal(sat, 1234500);
}

static void test_unknown(void **state)
{
    (void)state;
    const char *bad[] = {"",           "   ",    "US",   "USDX",   "XYZ",
                         "US  Dollar", "Dollar", "usd.", "EURO x", "Bitcoins"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        pg_currency c;
        if (pg_currency_lookup(bad[i], strlen(bad[i]), &c) != PG_EINPUT) {
            fail_msg("'%s' accepted", bad[i]);
        }
    }
    /* Only len bytes are read: "USDT" cut to 3 is USD. */
    pg_currency c;
    assert_int_equal(pg_currency_lookup("USDT", 3, &c), 0);
    assert_string_equal(c.code, "USD");
}

static void test_dense_ids(void **state)
{
    (void)state;
    unsigned n = pg_currency_count();
    assert_true(n >= 40 && n <= 255);
    for (unsigned id = 0; id < n; id++) {
        pg_currency c;
        assert_int_equal(pg_currency_by_id(id, &c), 0);
        assert_int_equal(c.id, id);
        assert_true(strlen(c.code) == 3 || strlen(c.code) == 4);
        assert_true(c.scale <= PG_AMOUNT_MAX_SCALE);
        assert_non_null(pg_currency_name(id));
        /* Looking the code up again gives the same entry: codes are unique. */
        pg_currency back = look(c.code);
        assert_int_equal(back.id, id);
    }
    pg_currency c;
    assert_int_equal(pg_currency_by_id(n, &c), PG_EINVAL);
    assert_null(pg_currency_name(n));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_iso_codes_and_minor_units),
        cmocka_unit_test(test_case_and_spaces),
        cmocka_unit_test(test_amlworld_names),
        cmocka_unit_test(test_unknown),
        cmocka_unit_test(test_dense_ids),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
