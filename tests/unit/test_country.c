/*
 * Countries: the table holds exactly the 249 assigned ISO 3166-1 alpha-2
 * codes in code order, lookups are case-insensitive and read only len bytes,
 * offsets are plausible and right for well-known countries, and the default
 * high-risk set is exactly the Philippines.
 */
#include "test_support.h"

#include <string.h>

#include "core/country.h"
#include "paygraph/common.h"

static pg_country look(const char *s)
{
    pg_country c;
    memset(&c, 0xAB, sizeof(c));
    if (pg_country_lookup(s, strlen(s), &c) != 0) {
        fail_msg("country '%s' not found", s);
    }
    return c;
}

static void test_table_shape(void **state)
{
    (void)state;
    /* ISO 3166-1 has 249 officially assigned alpha-2 codes. */
    assert_int_equal(pg_country_count(), 249);
    assert_true(pg_country_count() < PG_COUNTRY_NONE);
    char prev[3] = "";
    for (unsigned id = 0; id < pg_country_count(); id++) {
        pg_country c;
        assert_int_equal(pg_country_by_id(id, &c), 0);
        assert_int_equal(c.id, id);
        assert_int_equal(strlen(c.code), 2);
        assert_true(c.code[0] >= 'A' && c.code[0] <= 'Z' && c.code[1] >= 'A' && c.code[1] <= 'Z');
        assert_true(strcmp(prev, c.code) < 0); /* sorted, hence unique */
        memcpy(prev, c.code, 3);
        /* Real offsets run from -12:00 to +14:00 in steps of 15 minutes. */
        assert_true(c.utc_offset_min >= -720 && c.utc_offset_min <= 840);
        assert_int_equal(c.utc_offset_min % 15, 0);
        assert_non_null(c.name);
        assert_true(strlen(c.name) > 2);
        assert_int_equal(look(c.code).id, id);
    }
    pg_country c;
    assert_int_equal(pg_country_by_id(pg_country_count(), &c), PG_EINVAL);
}

static void test_known_codes_and_offsets(void **state)
{
    (void)state;
    /* Standard-time offsets, minutes east of UTC, of the most populous zone. */
    static const struct {
        const char *code;
        int offset;
        const char *name;
    } known[] = {
        {"PH", 480, "Philippines"},  {"AU", 600, "Australia"},   {"US", -300, "United States"},
        {"GB", 0, "United Kingdom"}, {"IN", 330, "India"},       {"NP", 345, "Nepal"},
        {"IR", 210, "Iran"},         {"AF", 270, "Afghanistan"}, {"MM", 390, "Myanmar"},
        {"JP", 540, "Japan"},        {"KR", 540, "Korea"},       {"TH", 420, "Thailand"},
        {"VN", 420, "Viet Nam"},     {"ID", 420, "Indonesia"},   {"KH", 420, "Cambodia"},
        {"NZ", 720, "New Zealand"},  {"RU", 180, "Russia"},      {"BR", -180, "Brazil"},
        {"MX", -360, "Mexico"},      {"CA", -300, "Canada"},     {"DE", 60, "Germany"},
        {"NG", 60, "Nigeria"},       {"KE", 180, "Kenya"},       {"ZA", 120, "South Africa"},
        {"CN", 480, "China"},        {"SG", 480, "Singapore"},   {"AE", 240, "Emirates"},
        {"TO", 780, "Tonga"},        {"AS", -660, "Samoa"},      {"CV", -60, "Cabo Verde"},
    };
    for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
        pg_country c = look(known[i].code);
        if (strcmp(c.code, known[i].code) != 0 || c.utc_offset_min != known[i].offset ||
            !strstr(c.name, known[i].name)) {
            fail_msg("%s: %s %d '%s'", known[i].code, c.code, c.utc_offset_min, c.name);
        }
    }
    /* First and last codes, and ids in code order. */
    assert_int_equal(look("AD").id, 0);
    assert_int_equal(look("ZW").id, 248);
    assert_true(look("PH").id < look("PK").id);
}

static void test_lookup_forms(void **state)
{
    (void)state;
    assert_string_equal(look("ph").code, "PH");
    assert_string_equal(look("Ph").code, "PH");
    assert_string_equal(look(" au\t").code, "AU");
    assert_string_equal(look("UK").code, "GB");
    assert_string_equal(look("uk").code, "GB");
    /* Withdrawn, reserved or user-assigned codes, and malformed input. */
    const char *bad[] = {"",   "P",  "PHL", "XK", "EU", "AN",  "YU", "CS", "ZZ",
                         "AA", "QQ", "P1",  "1P", "..", "P H", "  ", "PH,"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        pg_country c;
        if (pg_country_lookup(bad[i], strlen(bad[i]), &c) != PG_EINPUT) {
            fail_msg("'%s' accepted", bad[i]);
        }
    }
    /* Only len bytes are read. */
    pg_country c;
    assert_int_equal(pg_country_lookup("AUS", 2, &c), 0);
    assert_string_equal(c.code, "AU");
}

static void test_sets(void **state)
{
    (void)state;
    pg_country_set set;
    pg_country_set_default_high_risk(&set);
    unsigned ph = look("PH").id, members = 0;
    for (unsigned id = 0; id < pg_country_count(); id++) {
        members += (unsigned)pg_country_set_has(&set, id);
    }
    assert_int_equal(members, 1);
    assert_true(pg_country_set_has(&set, ph));
    assert_false(pg_country_set_has(&set, PG_COUNTRY_NONE));
    pg_country_set_clear(&set);
    assert_false(pg_country_set_has(&set, ph));
    pg_country_set_add(&set, 0);
    pg_country_set_add(&set, 63);
    pg_country_set_add(&set, 64);
    pg_country_set_add(&set, 248);
    pg_country_set_add(&set, 249); /* ignored */
    pg_country_set_add(&set, PG_COUNTRY_NONE);
    assert_true(pg_country_set_has(&set, 0) && pg_country_set_has(&set, 63));
    assert_true(pg_country_set_has(&set, 64) && pg_country_set_has(&set, 248));
    assert_false(pg_country_set_has(&set, 1) || pg_country_set_has(&set, 65));
    assert_false(pg_country_set_has(&set, 249) || pg_country_set_has(&set, PG_COUNTRY_NONE));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_shape),
        cmocka_unit_test(test_known_codes_and_offsets),
        cmocka_unit_test(test_lookup_forms),
        cmocka_unit_test(test_sets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
