/*
 * Fuzz target for the currency and country lookups.
 *
 * Properties:
 *  - a country lookup agrees with a linear scan of the table by id
 *    (case-insensitive, blanks trimmed, "UK" meaning GB), so the binary
 *    search and the id order cannot drift apart;
 *  - a currency found by code agrees with a linear scan by id; one found by
 *    name (the AMLworld names) is a real table entry;
 *  - whatever is found round-trips through the by-id accessors.
 */
#include <string.h>

#include "core/country.h"
#include "fuzz_check.h"
#include "ingest/currency.h"
#include "paygraph/common.h"

static char up(char c)
{
    return (c >= 'a' && c <= 'z') ? (char)(c - 32) : c;
}

/* s[0..len) with surrounding spaces/tabs removed, upper-cased into out (cap 8); its length. */
static size_t trimmed_upper(const char *s, size_t len, char *out)
{
    while (len > 0 && (s[0] == ' ' || s[0] == '\t')) {
        s++;
        len--;
    }
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t')) {
        len--;
    }
    if (len >= 8) {
        return len;
    }
    for (size_t i = 0; i < len; i++) {
        out[i] = up(s[i]);
    }
    out[len] = '\0';
    return len;
}

static void check_country(const char *s, size_t len)
{
    char key[8];
    size_t n = trimmed_upper(s, len, key);
    int want = -1;
    if (n == 2 && memchr(key, '\0', 2) == NULL) {
        if (strcmp(key, "UK") == 0) {
            memcpy(key, "GB", 3);
        }
        for (unsigned id = 0; id < pg_country_count(); id++) {
            pg_country c;
            FUZZ_CHECK(pg_country_by_id(id, &c) == 0);
            if (strcmp(c.code, key) == 0) {
                want = (int)id;
            }
        }
    }
    pg_country got;
    int rc = pg_country_lookup(s, len, &got);
    FUZZ_CHECK((rc == 0) == (want >= 0));
    if (rc == 0) {
        pg_country again;
        FUZZ_CHECK(got.id == want && pg_country_by_id(got.id, &again) == 0);
        FUZZ_CHECK(strcmp(again.code, got.code) == 0 && again.utc_offset_min == got.utc_offset_min);
    } else {
        FUZZ_CHECK(rc == PG_EINPUT);
    }
}

static void check_currency(const char *s, size_t len)
{
    char key[8];
    size_t n = trimmed_upper(s, len, key);
    int by_code = -1;
    if ((n == 3 || n == 4) && memchr(key, '\0', n) == NULL) {
        for (unsigned id = 0; id < pg_currency_count(); id++) {
            pg_currency c;
            FUZZ_CHECK(pg_currency_by_id(id, &c) == 0);
            if (strcmp(c.code, key) == 0) {
                by_code = (int)id;
            }
        }
    }
    pg_currency got;
    int rc = pg_currency_lookup(s, len, &got);
    if (by_code >= 0) {
        FUZZ_CHECK(rc == 0 && got.id == by_code);
    }
    if (rc == 0) {
        pg_currency again;
        FUZZ_CHECK(pg_currency_by_id(got.id, &again) == 0);
        FUZZ_CHECK(strcmp(again.code, got.code) == 0 && again.scale == got.scale);
    } else {
        FUZZ_CHECK(rc == PG_EINPUT);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    check_country(s, size);
    check_currency(s, size);
    return 0;
}
