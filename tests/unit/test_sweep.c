/* Sweep cut: a hand-computed cut, planted-community recovery, limits, errors. */
#include "test_support.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "paygraph/score.h"
#include "score_graphs.h"

/*
 * Two triangles {0,1,2} and {3,4,5} joined by the edge 2-3. Degrees
 * 2,2,3,3,2,2, vol(V) = 14. p/d = .15, .125, .067, .05, .04, .035, so the
 * sweep order is 0..5; prefix conductances: {0} 2/2, {0,1} 2/4, {0,1,2}
 * 1/7, {0..3} 2/min(10,4), {0..4} 2/min(12,2): the minimum is 1/7.
 */
static void test_two_triangles_by_hand(void **state)
{
    (void)state;
    uint32_t s[] = {0, 0, 1, 3, 3, 4, 2}, d[] = {1, 2, 2, 4, 5, 5, 3};
    pg_csr g;
    assert_int_equal(pg_csr_from_edges(&g, 6, 7, s, d, NULL, 1, 1), 0);
    double p[] = {0.3, 0.25, 0.2, 0.15, 0.08, 0.07};
    pg_sweep_options o;
    pg_sweep_options_init(&o);
    uint32_t *set = NULL, count = 0;
    double phi = 0.0;
    assert_int_equal(pg_sweep_cut(&set, &count, &phi, &g, p, &o), 0);
    assert_int_equal(count, 3);
    assert_true(fabs(phi - 1.0 / 7.0) < 1e-15);
    uint32_t sorted[3] = {set[0], set[1], set[2]};
    for (int i = 0; i < 3; i++) {
        assert_true(sorted[i] <= 2);
    }
    double check;
    assert_int_equal(pg_conductance(&check, &g, set, count, 1), 0);
    assert_true(fabs(check - phi) < 1e-15);
    pg_free(set);
    /* max_size 2: the better of {0} (1) and {0,1} (0.5) */
    o.max_size = 2;
    assert_int_equal(pg_sweep_cut(&set, &count, &phi, &g, p, &o), 0);
    assert_int_equal(count, 2);
    assert_true(fabs(phi - 0.5) < 1e-15);
    pg_free(set);
    /* min_size 4: the better of {0..3} (0.5) and {0..4} (1) */
    o.max_size = 0;
    o.min_size = 4;
    assert_int_equal(pg_sweep_cut(&set, &count, &phi, &g, p, &o), 0);
    assert_int_equal(count, 4);
    assert_true(fabs(phi - 0.5) < 1e-15);
    pg_free(set);
    /* p zero everywhere: no candidate */
    double zero[6] = {0};
    assert_int_equal(pg_sweep_cut(&set, &count, &phi, &g, zero, &o), 0);
    assert_null(set);
    assert_int_equal(count, 0);
    pg_csr_free(&g);
}

/*
 * A dense block of B vertices (edge probability 0.4) attached by 20 edges
 * to a sparse random graph of 2000 vertices (average degree about 8).
 */
#define BLOCK 60
static void planted(edge_list *el, uint64_t seed)
{
    pg_rng r;
    pg_rng_init(&r, seed, 1);
    el_init(el, 2000);
    for (uint32_t a = 0; a < BLOCK; a++) {
        for (uint32_t b = a + 1; b < BLOCK; b++) {
            if (pg_rng_uniform(&r) < 0.4) {
                el_add(el, a, b, 1.0 + pg_rng_uniform(&r));
            }
        }
    }
    for (int i = 0; i < 20; i++) {
        el_add(el, (uint32_t)pg_rng_below(&r, BLOCK), BLOCK + (uint32_t)pg_rng_below(&r, 1940),
               1.0);
    }
    for (int i = 0; i < 8000; i++) {
        uint32_t a = BLOCK + (uint32_t)pg_rng_below(&r, 1940);
        uint32_t b = BLOCK + (uint32_t)pg_rng_below(&r, 1940);
        if (a != b) {
            el_add(el, a, b, 0.5 + pg_rng_uniform(&r));
        }
    }
}

static double f1(const uint32_t *set, uint32_t count)
{
    uint32_t hit = 0;
    for (uint32_t i = 0; i < count; i++) {
        hit += set[i] < BLOCK;
    }
    double prec = count ? (double)hit / count : 0.0, rec = (double)hit / BLOCK;
    return hit ? 2.0 * prec * rec / (prec + rec) : 0.0;
}

static void test_recovers_planted_block(void **state)
{
    (void)state;
    uint64_t seed = pg_test_seed("sweep_planted", 99);
    for (uint64_t k = 0; k < 3; k++) {
        edge_list el;
        planted(&el, seed + k);
        pg_csr g;
        assert_int_equal(el_csr(&g, &el, 1, 1, 0), 0);
        uint32_t seed_vertex = (uint32_t)(7 * k + 3);
        double *p = malloc(g.n * sizeof(double));
        for (int method = 0; method < 2; method++) {
            if (method == 0) {
                pg_ppr_options o;
                pg_ppr_options_init(&o);
                assert_int_equal(pg_ppr(p, &g, NULL, &seed_vertex, NULL, 1, &o), 0);
            } else {
                pg_ppr_push_options po;
                pg_ppr_push_options_init(&po);
                po.eps = 1e-5;
                assert_int_equal(pg_ppr_push(p, &g, seed_vertex, &po), 0);
            }
            pg_sweep_options so;
            pg_sweep_options_init(&so);
            uint32_t *set = NULL, count = 0;
            double phi;
            assert_int_equal(pg_sweep_cut(&set, &count, &phi, &g, p, &so), 0);
            double check, score = f1(set, count);
            assert_int_equal(pg_conductance(&check, &g, set, count, 1), 0);
            printf("# graph %llu method %d: |S| = %u, conductance %.4f, F1 %.3f\n",
                   (unsigned long long)k, method, count, phi, score);
            assert_true(fabs(check - phi) < 1e-9);
            assert_true(score >= 0.9);
            pg_free(set);
        }
        free(p);
        pg_csr_free(&g);
        el_free(&el);
    }
}

static void test_alloc_failures_are_clean(void **state)
{
    (void)state;
    edge_list el;
    planted(&el, 4);
    pg_csr g;
    assert_int_equal(el_csr(&g, &el, 1, 1, 0), 0);
    double *p = malloc(g.n * sizeof(double));
    uint32_t src = 0;
    pg_ppr_options o;
    pg_ppr_options_init(&o);
    assert_int_equal(pg_ppr(p, &g, NULL, &src, NULL, 1, &o), 0);
    pg_sweep_options so;
    pg_sweep_options_init(&so);
    uint32_t *set, count;
    double phi;
    pg_alloc_fail_at(0);
    assert_int_equal(pg_sweep_cut(&set, &count, &phi, &g, p, &so), 0);
    long k = pg_alloc_fail_at(0);
    pg_free(set);
    assert_int_equal(k, 3);
    for (long i = 1; i <= k; i++) {
        pg_alloc_fail_at(i);
        int rc = pg_sweep_cut(&set, &count, &phi, &g, p, &so);
        pg_alloc_fail_at(0);
        assert_int_equal(rc, PG_ENOMEM);
        assert_null(set);
    }
    pg_alloc_fail_at(1);
    assert_int_equal(pg_conductance(&phi, &g, &src, 1, 1), PG_ENOMEM);
    pg_alloc_fail_at(0);
    free(p);
    pg_csr_free(&g);
    el_free(&el);
}

static void test_rejects_bad_input(void **state)
{
    (void)state;
    uint32_t s[] = {0}, d[] = {1};
    pg_csr g;
    assert_int_equal(pg_csr_from_edges(&g, 2, 1, s, d, NULL, 1, 1), 0);
    double phi;
    uint32_t twice[] = {1, 1};
    assert_int_equal(pg_conductance(&phi, &g, twice, 2, 0), PG_EINVAL);
    pg_sweep_options so;
    pg_sweep_options_init(&so);
    uint32_t *set, count;
    assert_int_equal(pg_sweep_cut(&set, &count, &phi, &g, NULL, &so), PG_EINVAL);
    pg_csr_free(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_triangles_by_hand),
        cmocka_unit_test(test_recovers_planted_block),
        cmocka_unit_test(test_alloc_failures_are_clean),
        cmocka_unit_test(test_rejects_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
