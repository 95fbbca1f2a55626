/* CSR construction against a plain serial reference on seeded random edge lists. */
#include "test_support.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/rng.h"
#include "paygraph/graph.h"

/* Reference: for each row, scan all edges in input order; then stable-sort by target. */
static void check_row(const pg_csr *g, uint32_t v, int64_t m, const uint32_t *src,
                      const uint32_t *dst, const double *w, int symmetric)
{
    int64_t len = g->offsets[v + 1] - g->offsets[v];
    uint32_t *t = malloc((size_t)(2 * m + 1) * sizeof(*t));
    double *ww = malloc((size_t)(2 * m + 1) * sizeof(*ww));
    int64_t k = 0;
    for (int64_t i = 0; i < m; i++) {
        if (src[i] == v) {
            t[k] = dst[i];
            ww[k++] = w[i];
        } else if (symmetric && dst[i] == v) {
            t[k] = src[i];
            ww[k++] = w[i];
        }
    }
    assert_int_equal(k, len);
    /* stable insertion sort */
    for (int64_t i = 1; i < k; i++) {
        uint32_t kt = t[i];
        double kw = ww[i];
        int64_t j = i;
        while (j > 0 && t[j - 1] > kt) {
            t[j] = t[j - 1];
            ww[j] = ww[j - 1];
            j--;
        }
        t[j] = kt;
        ww[j] = kw;
    }
    for (int64_t i = 0; i < k; i++) {
        assert_int_equal(g->targets[g->offsets[v] + i], t[i]);
        assert_true(g->weights[g->offsets[v] + i] == ww[i]);
    }
    free(t);
    free(ww);
}

static void run_random(uint64_t seed, uint32_t n, int64_t m, int symmetric)
{
    pg_rng r;
    pg_rng_init(&r, seed, 0);
    uint32_t *src = malloc((size_t)m * sizeof(*src));
    uint32_t *dst = malloc((size_t)m * sizeof(*dst));
    double *w = malloc((size_t)m * sizeof(*w));
    for (int64_t i = 0; i < m; i++) {
        /* skewed: half the edges touch the first few vertices, so rows get long */
        src[i] = (uint32_t)pg_rng_below(&r, (i & 1) ? 8 : n);
        dst[i] = (uint32_t)pg_rng_below(&r, n);
        w[i] = (double)i;
    }
    pg_csr g1, g2, g4;
    assert_int_equal(pg_csr_from_edges(&g1, n, m, src, dst, w, symmetric, 1), 0);
    assert_int_equal(pg_csr_from_edges(&g2, n, m, src, dst, w, symmetric, 2), 0);
    assert_int_equal(pg_csr_from_edges(&g4, n, m, src, dst, w, symmetric, 4), 0);
    for (uint32_t v = 0; v < n; v++) {
        check_row(&g1, v, m, src, dst, w, symmetric);
    }
    assert_memory_equal(g1.offsets, g2.offsets, ((size_t)n + 1) * sizeof(int64_t));
    assert_memory_equal(g1.targets, g2.targets, (size_t)g1.m * sizeof(uint32_t));
    assert_memory_equal(g1.targets, g4.targets, (size_t)g1.m * sizeof(uint32_t));
    assert_memory_equal(g1.weights, g4.weights, (size_t)g1.m * sizeof(double));
    pg_csr_free(&g1);
    pg_csr_free(&g2);
    pg_csr_free(&g4);
    free(src);
    free(dst);
    free(w);
}

static void test_directed_matches_reference(void **state)
{
    (void)state;
    run_random(pg_test_seed("csr directed", 11), 300, 5000, 0);
}

static void test_symmetric_matches_reference(void **state)
{
    (void)state;
    run_random(pg_test_seed("csr symmetric", 12), 300, 5000, 1);
}

static void test_rejects_out_of_range_vertex(void **state)
{
    (void)state;
    uint32_t s[] = {0, 5};
    uint32_t d[] = {1, 1};
    pg_csr g;
    assert_int_equal(pg_csr_from_edges(&g, 3, 2, s, d, NULL, 0, 1), PG_EINVAL);
}

static void test_alloc_failures_are_clean(void **state)
{
    (void)state;
    uint32_t s[] = {0, 1, 2, 2};
    uint32_t d[] = {1, 2, 0, 1};
    double w[] = {1, 2, 3, 4};
    for (long n = 1; n < 10; n++) {
        pg_csr g;
        pg_alloc_fail_at(n);
        int rc = pg_csr_from_edges(&g, 3, 4, s, d, w, 1, 2);
        pg_alloc_fail_at(0);
        if (rc == 0) {
            pg_csr_free(&g);
        } else {
            assert_int_equal(rc, PG_ENOMEM);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_directed_matches_reference),
        cmocka_unit_test(test_symmetric_matches_reference),
        cmocka_unit_test(test_rejects_out_of_range_vertex),
        cmocka_unit_test(test_alloc_failures_are_clean),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
