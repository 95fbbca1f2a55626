/*
 * The keyed stable sort (core/sort.h): edge sizes, stability, signed keys,
 * and random inputs against qsort with the input position as tie-breaker
 * (which makes qsort's order the one stable order).
 */
#include "test_support.h"

#include <stdlib.h>
#include <string.h>

#include "core/rng.h"
#include "core/sort.h"

static uint64_t key_u64(const void *keys, uint32_t v)
{
    return ((const uint64_t *)keys)[v];
}

static uint64_t key_i64(const void *keys, uint32_t v)
{
    return pg_sort_key_i64(((const int64_t *)keys)[v]);
}

/* Indices 0..n-1 in input order, sorted by keys[]. */
static void sort_identity(uint32_t *v, int64_t n, const uint64_t *keys)
{
    uint32_t *tmp = malloc(((size_t)n + 1) * sizeof(*tmp));
    assert_non_null(tmp);
    for (int64_t i = 0; i < n; i++) {
        v[i] = (uint32_t)i;
    }
    pg_sort__u32_by_key(v, n, tmp, key_u64, keys);
    free(tmp);
}

static void test_empty_and_one(void **state)
{
    (void)state;
    uint32_t v[1] = {7}, tmp[1];
    uint64_t keys[8] = {0};
    pg_sort__u32_by_key(v, 0, tmp, key_u64, keys);
    assert_int_equal(v[0], 7);
    pg_sort__u32_by_key(v, 1, tmp, key_u64, keys);
    assert_int_equal(v[0], 7);
}

/* Equal keys keep their input order, in the insertion range and across merges. */
static void test_stable(void **state)
{
    (void)state;
    enum { N = 1000 };
    static uint64_t keys[N];
    static uint32_t v[N];
    for (int i = 0; i < N; i++) {
        keys[i] = (uint64_t)((N - i) % 3); /* three long runs of ties, interleaved */
    }
    sort_identity(v, N, keys);
    for (int i = 1; i < N; i++) {
        assert_true(keys[v[i - 1]] <= keys[v[i]]);
        if (keys[v[i - 1]] == keys[v[i]]) {
            assert_true(v[i - 1] < v[i]);
        }
    }
}

/* Negative times order before positive ones through pg_sort_key_i64. */
static void test_signed_keys(void **state)
{
    (void)state;
    int64_t ts[6] = {5, INT64_MIN, -1, 0, INT64_MAX, -1};
    uint32_t v[6] = {0, 1, 2, 3, 4, 5}, tmp[6];
    uint32_t want[6] = {1, 2, 5, 3, 0, 4};
    pg_sort__u32_by_key(v, 6, tmp, key_i64, ts);
    assert_memory_equal(v, want, sizeof(want));
}

typedef struct rec {
    uint64_t key;
    uint32_t pos;
} rec;

static int cmp_rec(const void *a, const void *b)
{
    const rec *x = a, *y = b;
    if (x->key != y->key) {
        return x->key < y->key ? -1 : 1;
    }
    return (x->pos > y->pos) - (x->pos < y->pos);
}

/* Random sizes and key ranges (few distinct keys up to all distinct), sorted and reversed runs. */
static void test_random_against_qsort(void **state)
{
    (void)state;
    uint64_t seed = pg_test_seed("sort_random", 20260415);
    pg_rng r;
    pg_rng_init(&r, seed, 0);
    for (int round = 0; round < 200; round++) {
        int64_t n = (int64_t)pg_rng_below(&r, round < 100 ? 64 : 5000);
        uint64_t range = 1 + pg_rng_below(&r, round % 2 ? 4 : UINT32_MAX);
        uint64_t *keys = malloc(((size_t)n + 1) * sizeof(*keys));
        uint32_t *v = malloc(((size_t)n + 1) * sizeof(*v));
        rec *want = malloc(((size_t)n + 1) * sizeof(*want));
        assert_true(keys && v && want);
        for (int64_t i = 0; i < n; i++) {
            keys[i] = pg_rng_below(&r, range);
            if (round % 5 == 3) {
                keys[i] = (uint64_t)i / 3; /* sorted input: the merge is skipped */
            } else if (round % 5 == 4) {
                keys[i] = (uint64_t)(n - i) / 3; /* reversed runs */
            }
            want[i] = (rec){keys[i], (uint32_t)i};
        }
        sort_identity(v, n, keys);
        qsort(want, (size_t)n, sizeof(*want), cmp_rec);
        for (int64_t i = 0; i < n; i++) {
            assert_int_equal(v[i], want[i].pos);
        }
        free(keys);
        free(v);
        free(want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_and_one),
        cmocka_unit_test(test_stable),
        cmocka_unit_test(test_signed_keys),
        cmocka_unit_test(test_random_against_qsort),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
