/*
 * pg_sssp: Dijkstra and delta-stepping give bit-identical distances and
 * parents for 1, 2 and 4 threads; the zero-weight plateau rule keeps the
 * parent tree acyclic; negative weights are rejected; the verifier rejects a
 * corrupted result; every allocation failure is clean.
 */
#include "test_support.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/rng.h"
#include "paygraph/paths.h"

static void random_weighted(pg_csr *g, uint64_t seed, uint32_t n, int64_t m)
{
    pg_rng r;
    pg_rng_init(&r, seed, 0);
    uint32_t *s = malloc((size_t)m * 4), *d = malloc((size_t)m * 4);
    double *w = malloc((size_t)m * 8);
    for (int64_t i = 0; i < m; i++) {
        s[i] = (uint32_t)pg_rng_below(&r, n);
        d[i] = (uint32_t)pg_rng_below(&r, n);
        /* small integers: many equal-length paths, so tie-breaking matters */
        w[i] = (double)pg_rng_below(&r, 5);
    }
    assert_int_equal(pg_csr_from_edges(g, n, m, s, d, w, 0, 1), 0);
    free(s);
    free(d);
    free(w);
}

static void run(pg_sssp_result *r, const pg_csr *g, uint32_t s, pg_sssp_algo algo, int threads,
                double delta)
{
    pg_sssp_options o;
    pg_sssp_options_init(&o);
    o.algo = algo;
    o.threads = threads;
    o.delta = delta;
    assert_int_equal(pg_sssp(r, g, s, &o), 0);
    assert_int_equal(pg_sssp_verify(r, g, s), 0);
}

static void test_sssp_deterministic(void **state)
{
    (void)state;
    uint64_t seed = pg_test_seed("sssp_deterministic", 777);
    pg_csr g;
    random_weighted(&g, seed, 3000, 20000);
    for (uint32_t s = 0; s < 3000; s += 1000) {
        pg_sssp_result ref;
        run(&ref, &g, s, PG_SSSP_DIJKSTRA, 1, 0);
        int threads[] = {1, 2, 4};
        double deltas[] = {0.0, 0.5, 7.0};
        for (int t = 0; t < 3; t++) {
            pg_sssp_result r;
            run(&r, &g, s, PG_SSSP_DELTA, threads[t], deltas[t]);
            assert_memory_equal(ref.dist, r.dist, g.n * sizeof(double));
            assert_memory_equal(ref.parent, r.parent, g.n * sizeof(uint32_t));
            pg_sssp_result_free(&r);
        }
        pg_sssp_result_free(&ref);
    }
    pg_csr_free(&g);
}

/* 0 -> 5 (1), 0 -> 6 (1), 5 -> 3 (0), 6 -> 2 (0), 3 <-> 2 (0): 2 and 3 are
 * on a zero-weight plateau; the smallest-predecessor rule alone would make
 * 2 and 3 each other's parent. */
static void test_sssp_plateau(void **state)
{
    (void)state;
    uint32_t s[] = {0, 0, 5, 6, 3, 2}, d[] = {5, 6, 3, 2, 2, 3};
    double w[] = {1, 1, 0, 0, 0, 0};
    pg_csr g;
    assert_int_equal(pg_csr_from_edges(&g, 7, 6, s, d, w, 0, 1), 0);
    for (int algo = PG_SSSP_DIJKSTRA; algo <= PG_SSSP_DELTA; algo++) {
        pg_sssp_result r;
        run(&r, &g, 0, (pg_sssp_algo)algo, 2, 0);
        assert_true(r.dist[2] == 1.0 && r.dist[3] == 1.0);
        assert_int_equal(r.parent[3], 5);
        assert_int_equal(r.parent[2], 6);
        assert_true(isinf(r.dist[1]) && isinf(r.dist[4]));
        assert_int_equal(r.parent[1], PG_NONE);
        /* corrupt: a parent cycle must be caught */
        r.parent[2] = 3;
        r.parent[3] = 2;
        assert_int_equal(pg_sssp_verify(&r, &g, 0), PG_EINTERNAL);
        r.parent[3] = 5;
        r.dist[2] = 0.5; /* an edge now relaxes further */
        assert_int_equal(pg_sssp_verify(&r, &g, 0), PG_EINTERNAL);
        pg_sssp_result_free(&r);
    }
    pg_csr_free(&g);
}

static void test_sssp_errors(void **state)
{
    (void)state;
    uint32_t s[] = {0, 1}, d[] = {1, 2};
    double w[] = {1.0, -0.5};
    pg_csr g;
    assert_int_equal(pg_csr_from_edges(&g, 3, 2, s, d, w, 0, 1), 0);
    pg_sssp_result r;
    assert_int_equal(pg_sssp(&r, &g, 0, NULL), PG_EINVAL);
    g.weights[1] = NAN;
    assert_int_equal(pg_sssp(&r, &g, 0, NULL), PG_EINVAL);
    g.weights[1] = 2.0;
    assert_int_equal(pg_sssp(&r, &g, 3, NULL), PG_EINVAL);
    assert_int_equal(pg_sssp(&r, &g, 0, NULL), 0);
    assert_true(r.dist[2] == 3.0);
    uint32_t path[4];
    assert_int_equal(pg_path_from_parents(path, 4, r.parent, 2), 3);
    assert_int_equal(path[1], 1);
    pg_sssp_result_free(&r);
    pg_csr_free(&g);
}

typedef struct sssp_call {
    const pg_csr *g;
    pg_sssp_options o;
} sssp_call;

static int run_sssp(void *ctx)
{
    const sssp_call *c = ctx;
    pg_sssp_result r;
    int rc = pg_sssp(&r, c->g, 0, &c->o);
    if (rc == 0) {
        pg_sssp_result_free(&r);
    }
    return rc;
}

static void test_sssp_alloc_failure(void **state)
{
    (void)state;
    pg_csr g;
    random_weighted(&g, 5, 300, 1500);
    for (int algo = PG_SSSP_DIJKSTRA; algo <= PG_SSSP_DELTA; algo++) {
        sssp_call c = {.g = &g};
        pg_sssp_options_init(&c.o);
        c.o.algo = (pg_sssp_algo)algo;
        c.o.threads = 2;
        pg_test_alloc_sweep(run_sssp, &c, 400);
    }
    pg_csr_free(&g);
}

/* Runs last: the interrupt flag cannot be cleared within a process. */
static void test_paths_interrupted(void **state)
{
    (void)state;
    pg_csr g;
    random_weighted(&g, 8, 500, 3000);
    pg_interrupt_request();
    pg_sssp_result r;
    for (int algo = PG_SSSP_DIJKSTRA; algo <= PG_SSSP_DELTA; algo++) {
        pg_sssp_options o;
        pg_sssp_options_init(&o);
        o.algo = (pg_sssp_algo)algo;
        assert_int_equal(pg_sssp(&r, &g, 0, &o), PG_EINTR);
    }
    pg_bfs_result b;
    uint32_t s = 0;
    assert_int_equal(pg_bfs(&b, &g, &g, &s, 1, NULL), PG_EINTR);
    pg_csr_free(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sssp_deterministic), cmocka_unit_test(test_sssp_plateau),
        cmocka_unit_test(test_sssp_errors),        cmocka_unit_test(test_sssp_alloc_failure),
        cmocka_unit_test(test_paths_interrupted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
