/* Personalized PageRank: hand-solved cases, verifier, thread determinism, push, errors. */
#include "test_support.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "paygraph/score.h"
#include "score_graphs.h"

/*
 * 0 -> 1 -> 0 from source 0: p0 = d p1 + (1 - d), p1 = d p0, so
 * p0 = 1 / (1 + d) = 0.540540..., p1 = d / (1 + d) for d = 0.85.
 * 0 -> 1 with 1 dangling gives the same: the walker stuck at 1 returns to
 * the source 0 with probability 1, exactly as if 1 -> 0 were an edge.
 */
static void test_two_vertices_by_hand(void **state)
{
    (void)state;
    uint32_t cyc_s[] = {0, 1}, cyc_d[] = {1, 0};
    for (int dangling = 0; dangling <= 1; dangling++) {
        pg_csr g, gin;
        int64_t m = dangling ? 1 : 2;
        assert_int_equal(pg_csr_from_edges(&g, 2, m, cyc_s, cyc_d, NULL, 0, 1), 0);
        assert_int_equal(pg_csr_from_edges(&gin, 2, m, cyc_d, cyc_s, NULL, 0, 1), 0);
        pg_ppr_options o;
        pg_ppr_options_init(&o);
        double p[2];
        uint32_t src = 0;
        assert_int_equal(pg_ppr(p, &g, &gin, &src, NULL, 1, &o), 0);
        assert_true(fabs(p[0] - 1.0 / 1.85) < 1e-9);
        assert_true(fabs(p[1] - 0.85 / 1.85) < 1e-9);
        assert_true(o.iterations > 10 && o.last_change < o.tol);
        pg_csr_free(&g);
        pg_csr_free(&gin);
    }
}

/* Runs at 1, 2 and 4 threads must be bit-identical and pass the verifier. */
static void check_random(uint64_t seed, int symmetric, int weighted)
{
    edge_list el;
    uint32_t n = 20000; /* several PG_PPR_CHUNKs */
    el_random(&el, n, 100000, 500, 1, seed);
    pg_csr g, gin;
    assert_int_equal(el_csr(&g, &el, weighted, symmetric, 0), 0);
    assert_int_equal(el_csr(&gin, &el, weighted, symmetric, 1), 0);
    uint32_t src[] = {3, 77, 4242};
    double sw[] = {1.0, 2.5, 0.5};
    double *ref = malloc(n * sizeof(double)), *p = malloc(n * sizeof(double));
    int threads[] = {1, 2, 4};
    for (int t = 0; t < 3; t++) {
        pg_ppr_options o;
        pg_ppr_options_init(&o);
        o.threads = threads[t];
        o.weighted = weighted;
        assert_int_equal(pg_ppr(t ? p : ref, &g, symmetric ? NULL : &gin, src, sw, 3, &o), 0);
        if (t) {
            assert_memory_equal(ref, p, n * sizeof(double));
        }
    }
    assert_int_equal(pg_ppr_verify(ref, &g, src, sw, 3, 0.85, weighted, 1e-8), 0);
    /* The verifier must reject a perturbed vector. */
    ref[3] += 1e-3;
    ref[77] -= 1e-3;
    assert_int_equal(pg_ppr_verify(ref, &g, src, sw, 3, 0.85, weighted, 1e-8), PG_EINTERNAL);
    free(ref);
    free(p);
    pg_csr_free(&g);
    pg_csr_free(&gin);
    el_free(&el);
}

static void test_random_deterministic_and_verified(void **state)
{
    (void)state;
    uint64_t seed = pg_test_seed("ppr_random", 11);
    for (int sym = 0; sym <= 1; sym++) {
        for (int w = 0; w <= 1; w++) {
            check_random(seed + (uint64_t)(2 * sym + w), sym, w);
        }
    }
}

/*
 * ACL push computes the PPR of the lazy walk with teleport a = 1 - damping,
 * which equals the standard PPR with damping (1 - a) / (1 + a); its error
 * in L1 is the residual mass, below eps * vol(V).
 */
static void test_push_matches_lazy_ppr(void **state)
{
    (void)state;
    uint64_t seed = pg_test_seed("ppr_push", 5);
    edge_list el;
    el_random(&el, 3000, 12000, 0, 0, seed);
    for (int weighted = 0; weighted <= 1; weighted++) {
        pg_csr g;
        assert_int_equal(el_csr(&g, &el, weighted, 1, 0), 0);
        pg_ppr_push_options po;
        pg_ppr_push_options_init(&po);
        po.eps = 1e-7;
        po.weighted = weighted;
        double *a = calloc(g.n, sizeof(double)), *b = calloc(g.n, sizeof(double));
        assert_int_equal(pg_ppr_push(a, &g, 17, &po), 0);
        pg_ppr_options o;
        pg_ppr_options_init(&o);
        o.weighted = weighted;
        double t = 1.0 - po.damping;
        o.damping = (1.0 - t) / (1.0 + t);
        o.tol = 1e-13;
        uint32_t src = 17;
        assert_int_equal(pg_ppr(b, &g, NULL, &src, NULL, 1, &o), 0);
        double vol = 0.0, dist = 0.0;
        for (int64_t e = 0; e < g.m; e++) {
            vol += weighted ? g.weights[e] : 1.0;
        }
        for (uint32_t v = 0; v < g.n; v++) {
            assert_true(a[v] <= b[v] + 1e-12); /* push only ever under-estimates */
            dist += fabs(a[v] - b[v]);
        }
        assert_true(dist <= po.eps * vol + 1e-9);
        assert_true(dist > 0.0);
        assert_true(po.touched > 1 && po.touched <= g.n);
        free(a);
        free(b);
        pg_csr_free(&g);
    }
    el_free(&el);
}

static void test_rejects_bad_input(void **state)
{
    (void)state;
    uint32_t s[] = {0, 1}, d[] = {1, 2};
    double w[] = {1.0, -1.0};
    pg_csr g;
    assert_int_equal(pg_csr_from_edges(&g, 3, 2, s, d, w, 1, 1), 0);
    pg_ppr_options o;
    pg_ppr_options_init(&o);
    double p[3];
    uint32_t bad = 3, good = 0;
    assert_int_equal(pg_ppr(p, &g, NULL, &good, NULL, 1, &o), PG_EINPUT); /* negative weight */
    o.weighted = 0;
    assert_int_equal(pg_ppr(p, &g, NULL, &bad, NULL, 1, &o), PG_EINPUT);
    double zero = 0.0;
    assert_int_equal(pg_ppr(p, &g, NULL, &good, &zero, 1, &o), PG_EINPUT);
    o.damping = 1.0;
    assert_int_equal(pg_ppr(p, &g, NULL, &good, NULL, 1, &o), PG_EINVAL);
    pg_ppr_push_options po;
    pg_ppr_push_options_init(&po);
    assert_int_equal(pg_ppr_push(p, &g, 3, &po), PG_EINVAL);
    pg_csr_free(&g);
}

static void test_alloc_failures_are_clean(void **state)
{
    (void)state;
    edge_list el;
    el_random(&el, 500, 2000, 10, 0, 3);
    pg_csr g, gin, gu;
    assert_int_equal(el_csr(&g, &el, 1, 0, 0), 0);
    assert_int_equal(el_csr(&gin, &el, 1, 0, 1), 0);
    assert_int_equal(el_csr(&gu, &el, 1, 1, 0), 0);
    double p[500];
    uint32_t src = 1;
    pg_ppr_options o;
    pg_ppr_options_init(&o);
    pg_ppr_push_options po;
    pg_ppr_push_options_init(&po);
    /* push first: the verifier then checks the vector pg_ppr left in p */
    int order[] = {1, 0, 2};
    for (int ki = 0; ki < 3; ki++) {
        int kernel = order[ki];
        pg_alloc_fail_at(0);
        int rc = kernel == 0   ? pg_ppr(p, &g, &gin, &src, NULL, 1, &o)
                 : kernel == 1 ? pg_ppr_push(p, &gu, src, &po)
                               : pg_ppr_verify(p, &g, &src, NULL, 1, 0.85, 1, 1.0);
        long k = pg_alloc_fail_at(0);
        assert_int_equal(rc, 0);
        assert_true(k >= 2);
        for (long i = 1; i <= k; i++) {
            pg_alloc_fail_at(i);
            rc = kernel == 0   ? pg_ppr(p, &g, &gin, &src, NULL, 1, &o)
                 : kernel == 1 ? pg_ppr_push(p, &gu, src, &po)
                               : pg_ppr_verify(p, &g, &src, NULL, 1, 0.85, 1, 1.0);
            pg_alloc_fail_at(0);
            assert_int_equal(rc, PG_ENOMEM);
        }
    }
    pg_csr_free(&g);
    pg_csr_free(&gin);
    pg_csr_free(&gu);
    el_free(&el);
}

/* Runs last: the interruption flag cannot be cleared once raised. */
static void test_interrupt_returns_eintr(void **state)
{
    (void)state;
    edge_list el;
    el_random(&el, 100, 400, 0, 0, 9);
    pg_csr g;
    assert_int_equal(el_csr(&g, &el, 1, 1, 0), 0);
    double p[100];
    uint32_t src = 0;
    pg_ppr_options o;
    pg_ppr_options_init(&o);
    pg_interrupt_request();
    assert_int_equal(pg_ppr(p, &g, NULL, &src, NULL, 1, &o), PG_EINTR);
    pg_csr_free(&g);
    el_free(&el);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_vertices_by_hand),
        cmocka_unit_test(test_random_deterministic_and_verified),
        cmocka_unit_test(test_push_matches_lazy_ppr),
        cmocka_unit_test(test_rejects_bad_input),
        cmocka_unit_test(test_alloc_failures_are_clean),
        cmocka_unit_test(test_interrupt_returns_eintr),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
