/* Robust z-scores and peer percentiles on hand-computed vectors; determinism; errors. */
#include "test_support.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/rng.h"
#include "paygraph/score.h"

/*
 * Four groups, items interleaved so grouping is exercised:
 *  g0 = {1, 2, 3, 4, 100}: median 3; |x - 3| = {2,1,0,1,97}, sorted
 *       {0,1,1,2,97}, MAD 1, scale 1.4826; z(100) = 97 / 1.4826.
 *  g1 = {5, 5, 5, 5, 9}: median 5, deviations {0,0,0,0,4}, MAD 0, so the
 *       scale is 1.2533141 * mean |x - 5| = 1.2533141 * 0.8; z(9) = 4 / that.
 *  g2 = {7, 7}: constant, z = 0.
 *  g3 = {1, 2, 4, 10}: median (2 + 4) / 2 = 3; deviations {2,1,1,7},
 *       sorted {1,1,2,7}, MAD 1.5, scale 2.2239; z(10) = 7 / 2.2239.
 *  g4 = {}: empty (median and scale 0).
 */
static const double X[] = {1, 5, 7, 2, 5, 1, 3, 5, 7, 2, 4, 5, 4, 100, 9, 10};
static const uint32_t G[] = {0, 1, 2, 0, 1, 3, 0, 1, 2, 3, 0, 1, 3, 0, 1, 3};
#define NX 16

static void test_known_vectors(void **state)
{
    (void)state;
    double z[NX], med[5], scale[5];
    uint8_t kind[NX];
    pg_robust_options o;
    pg_robust_options_init(&o);
    assert_int_equal(pg_robust_z(z, kind, med, scale, X, G, NX, 5, &o), 0);
    const double s1 = 1.2533141373155003 * 0.8;
    const double want_med[] = {3, 5, 7, 3, 0}, want_scale[] = {1.4826, s1, 0, 1.5 * 1.4826, 0};
    for (int g = 0; g < 5; g++) {
        assert_true(fabs(med[g] - want_med[g]) < 1e-12);
        assert_true(fabs(scale[g] - want_scale[g]) < 1e-12);
    }
    const double want_z[] = {-2 / 1.4826, 0,           0,      -1 / 1.4826, 0,          -2 / 2.2239,
                             0,           0,           0,      -1 / 2.2239, 1 / 1.4826, 0,
                             1 / 2.2239,  97 / 1.4826, 4 / s1, 7 / 2.2239};
    const uint8_t want_kind[] = {PG_RZ_MAD, PG_RZ_MEANAD, PG_RZ_CONSTANT};
    for (int i = 0; i < NX; i++) {
        assert_true(fabs(z[i] - want_z[i]) < 1e-12);
        assert_int_equal(kind[i], G[i] < 3 ? want_kind[G[i]] : PG_RZ_MAD);
    }
}

/*
 * Percentiles, 100 * (less + (ties - 1) / 2) / (size - 1):
 *  g0 {1,2,3,4,100} → 0, 25, 50, 75, 100.
 *  g1 {5,5,5,5,9}: 5 → (0 + 1.5) / 4 = 37.5; 9 → 100.
 *  g2 {7,7} → 50 each.  g3 {1,2,4,10} → 0, 33.3, 66.7, 100.
 * A group of one (g4 here) → 50.
 */
static void test_percentiles(void **state)
{
    (void)state;
    double x[NX + 1], pct[NX + 1];
    uint32_t g[NX + 1];
    memcpy(x, X, sizeof(X));
    memcpy(g, G, sizeof(G));
    x[NX] = -3.0;
    g[NX] = 4;
    pg_robust_options o;
    pg_robust_options_init(&o);
    assert_int_equal(pg_peer_percentile(pct, x, g, NX + 1, 5, &o), 0);
    const double want[] = {0,         37.5, 50,   25,        37.5, 0,   50,  37.5, 50,
                           100.0 / 3, 75,   37.5, 200.0 / 3, 100,  100, 100, 50};
    for (int i = 0; i <= NX; i++) {
        assert_true(fabs(pct[i] - want[i]) < 1e-12);
    }
}

static void test_deterministic_across_threads(void **state)
{
    (void)state;
    uint64_t seed = pg_test_seed("robust_z", 31);
    pg_rng r;
    pg_rng_init(&r, seed, 0);
    size_t n = 200000;
    double *x = malloc(n * sizeof(double));
    uint32_t *g = malloc(n * sizeof(uint32_t));
    for (size_t i = 0; i < n; i++) {
        g[i] = (uint32_t)pg_rng_below(&r, 1000);
        /* heavy tail plus many ties: integer-valued amounts */
        x[i] = floor(10.0 / (0.01 + pg_rng_uniform(&r)));
    }
    double *z[3], *p[3];
    int threads[] = {1, 2, 4};
    for (int t = 0; t < 3; t++) {
        pg_robust_options o;
        pg_robust_options_init(&o);
        o.threads = threads[t];
        z[t] = malloc(n * sizeof(double));
        p[t] = malloc(n * sizeof(double));
        assert_int_equal(pg_robust_z(z[t], NULL, NULL, NULL, x, g, n, 1000, &o), 0);
        assert_int_equal(pg_peer_percentile(p[t], x, g, n, 1000, &o), 0);
    }
    for (int t = 1; t < 3; t++) {
        assert_memory_equal(z[0], z[t], n * sizeof(double));
        assert_memory_equal(p[0], p[t], n * sizeof(double));
    }
    for (size_t i = 0; i < n; i++) {
        assert_true(p[0][i] >= 0.0 && p[0][i] <= 100.0);
    }
    for (int t = 0; t < 3; t++) {
        free(z[t]);
        free(p[t]);
    }
    free(x);
    free(g);
}

static void test_rejects_bad_input(void **state)
{
    (void)state;
    double x[] = {1.0, NAN}, z[2];
    uint32_t g[] = {0, 0}, g_bad[] = {0, 2};
    pg_robust_options o;
    pg_robust_options_init(&o);
    assert_int_equal(pg_robust_z(z, NULL, NULL, NULL, x, g, 2, 1, &o), PG_EINPUT);
    x[1] = 2.0;
    assert_int_equal(pg_robust_z(z, NULL, NULL, NULL, x, g_bad, 2, 2, &o), PG_EINPUT);
    assert_int_equal(pg_peer_percentile(z, x, g_bad, 2, 2, &o), PG_EINPUT);
    assert_int_equal(pg_robust_z(NULL, NULL, NULL, NULL, x, g, 2, 1, &o), PG_EINVAL);
}

static void test_alloc_failures_are_clean(void **state)
{
    (void)state;
    double z[NX];
    pg_robust_options o;
    pg_robust_options_init(&o);
    for (int f = 0; f < 2; f++) {
        pg_alloc_fail_at(0);
        int rc = f ? pg_peer_percentile(z, X, G, NX, 5, &o)
                   : pg_robust_z(z, NULL, NULL, NULL, X, G, NX, 5, &o);
        long k = pg_alloc_fail_at(0);
        assert_int_equal(rc, 0);
        assert_true(k >= 2);
        for (long i = 1; i <= k; i++) {
            pg_alloc_fail_at(i);
            rc = f ? pg_peer_percentile(z, X, G, NX, 5, &o)
                   : pg_robust_z(z, NULL, NULL, NULL, X, G, NX, 5, &o);
            pg_alloc_fail_at(0);
            assert_int_equal(rc, PG_ENOMEM);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_vectors),
        cmocka_unit_test(test_percentiles),
        cmocka_unit_test(test_deterministic_across_threads),
        cmocka_unit_test(test_rejects_bad_input),
        cmocka_unit_test(test_alloc_failures_are_clean),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
