/*
 * Generator building blocks: ISO 8601 times and dates against the C
 * library's gmtime_r (the independent oracle), account identifiers unique
 * (the 40-bit scramble is a bijection), the ordinary transfer amount
 * distribution in range and about half round.
 */
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/rng.h"
#include "generator/world.h"

static void test_time_matches_gmtime(void **state)
{
    (void)state;
    uint64_t seed = pg_test_seed("generate_format_time", 5);
    pg_rng r;
    pg_rng_init(&r, seed, 0);
    int64_t fixed[] = {0, 86399, 86400, 951782400 /* 2000-02-29 */, 1772323200, 4102444799LL};
    for (int i = 0; i < 100006; i++) {
        int64_t ts = i < 6 ? fixed[i] : (int64_t)pg_rng_below(&r, 1ULL << 33);
        char got[32], want[32];
        size_t n = pg_gen__format_time(got, ts);
        got[n] = '\0';
        time_t t = (time_t)ts;
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(want, sizeof(want), "%Y-%m-%dT%H:%M:%SZ", &tm);
        assert_string_equal(got, want);
        n = pg_gen__format_date(got, ts);
        got[n] = '\0';
        want[10] = '\0';
        assert_string_equal(got, want);
    }
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Account ids are scrambled indices: distinct indices must give distinct ids. */
static void test_scramble_is_injective(void **state)
{
    (void)state;
    const size_t n = 1u << 20;
    uint64_t *v = malloc(n * sizeof(uint64_t));
    for (uint64_t seed = 1; seed <= 3; seed++) {
        for (size_t i = 0; i < n; i++) {
            /* Dense low indices and a sparse sweep of the 32-bit range. */
            uint64_t x = i < n / 2 ? i : (uint64_t)i * 4093u;
            v[i] = pg_gen__scramble(x, seed);
            assert_true(v[i] < (1ULL << 40));
        }
        qsort(v, n, sizeof(uint64_t), cmp_u64);
        for (size_t i = 1; i < n; i++) {
            assert_true(v[i] != v[i - 1]);
        }
    }
    free(v);
    char a[16], b[16];
    assert_int_equal(pg_gen__format_account(a, 7, 1), 10);
    pg_gen__format_account(b, 7, 2);
    assert_memory_not_equal(a, b, 10); /* the seed changes the pseudonyms */
}

static void test_transfer_amounts(void **state)
{
    (void)state;
    uint64_t seed = pg_test_seed("generate_format_amounts", 9);
    pg_rng r;
    pg_rng_init(&r, seed, 1);
    int round = 0, n = 200000;
    for (int i = 0; i < n; i++) {
        int64_t c = pg_gen__transfer_amount(&r);
        assert_true(c >= 500 && c <= 250000);
        round += c % 500 == 0;
    }
    /* 55% are drawn round; about 0.2% of the others are round by chance. */
    double share = (double)round / n;
    printf("# round share %.4f\n", share);
    assert_true(share > 0.54 && share < 0.56);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_time_matches_gmtime),
        cmocka_unit_test(test_scramble_is_injective),
        cmocka_unit_test(test_transfer_amounts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
