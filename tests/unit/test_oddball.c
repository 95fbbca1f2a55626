/* OddBall: a hand-computed egonet, planted near-clique and star, determinism, errors. */
#include "test_support.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "paygraph/score.h"
#include "score_graphs.h"

/*
 * Triangle {0,1,2} (weights 0-1: 1, 0-2: 2, 1-2: 4) plus pendant 3 on 0
 * (weight 8), with a parallel entry 0-1 (weight 0.5) and a self-loop on 2
 * (weight 16, ignored):
 *   ego(0): N = 3, E = 3 spokes + {1,2} = 4, W = 1 + 0.5 + 2 + 8 + 4 = 15.5
 *   ego(1): N = 2, E = 2 + {0,2} = 3, W = 1.5 + 4 + 2 = 7.5
 *   ego(2): N = 2, E = 3, W = 2 + 4 + 1.5 = 7.5
 *   ego(3): N = 1, E = 1, W = 8 (score 0: N < 2)
 */
static void test_small_egonets_by_hand(void **state)
{
    (void)state;
    uint32_t s[] = {0, 0, 1, 0, 0, 2}, d[] = {1, 2, 2, 3, 1, 2};
    double w[] = {1, 2, 4, 8, 0.5, 16};
    pg_csr g;
    assert_int_equal(pg_csr_from_edges(&g, 4, 6, s, d, w, 1, 1), 0);
    pg_oddball_options o;
    pg_oddball_options_init(&o);
    pg_oddball_result res;
    assert_int_equal(pg_oddball(&res, &g, &o), 0);
    const double want[4][3] = {{3, 4, 15.5}, {2, 3, 7.5}, {2, 3, 7.5}, {1, 1, 8}};
    for (int v = 0; v < 4; v++) {
        assert_true(res.ego[v].n == want[v][0]);
        assert_true(res.ego[v].e == want[v][1]);
        assert_true(fabs(res.ego[v].w - want[v][2]) < 1e-12);
    }
    assert_true(res.score[3] == 0.0);
    /* Fit E ~ N^a over (3,4), (2,3), (2,3): a = log(4/3) / log(3/2) through the two x values */
    assert_int_equal(res.law_en.points, 3);
    assert_true(fabs(res.law_en.theta - log(4.0 / 3.0) / log(1.5)) < 1e-12);
    assert_int_equal(pg_oddball_verify(&res, &g, 1), 0);
    pg_oddball_result_free(&res);
    /* Unweighted: W = E, so the W-E law is the identity and scores only come from E-N. */
    o.weighted = 0;
    assert_int_equal(pg_oddball(&res, &g, &o), 0);
    assert_true(res.ego[0].w == 4.0);
    assert_true(fabs(res.law_we.theta - 1.0) < 1e-12 && fabs(res.law_we.c - 1.0) < 1e-12);
    assert_int_equal(pg_oddball_verify(&res, &g, 0), 0);
    pg_oddball_result_free(&res);
    pg_csr_free(&g);
}

/*
 * Background: 1000 vertices in 50 blocks of 20 (edge probability 0.3
 * inside a block) plus 1000 random edges between blocks, so egonets have
 * triangles and E ~ N^a with a > 1. Planted: a near-clique on 15 vertices
 * spread over the blocks (probability 0.9) and a star from vertex 1000 to
 * 60 random vertices.
 */
#define NCLIQUE 15
#define STAR 1000
static uint32_t clique_member(int i)
{
    return (uint32_t)(i * 61 + 7) % 1000;
}

static void planted(edge_list *el, uint64_t seed)
{
    pg_rng r;
    pg_rng_init(&r, seed, 0);
    el_init(el, 1001);
    for (uint32_t b = 0; b < 50; b++) {
        for (uint32_t i = 0; i < 20; i++) {
            for (uint32_t j = i + 1; j < 20; j++) {
                if (pg_rng_uniform(&r) < 0.3) {
                    el_add(el, 20 * b + i, 20 * b + j, 1.0 + pg_rng_uniform(&r));
                }
            }
        }
    }
    for (int i = 0; i < 1000; i++) {
        uint32_t a = (uint32_t)pg_rng_below(&r, 1000), b = (uint32_t)pg_rng_below(&r, 1000);
        if (a / 20 != b / 20) {
            el_add(el, a, b, 1.0 + pg_rng_uniform(&r));
        }
    }
    for (int i = 0; i < NCLIQUE; i++) {
        for (int j = i + 1; j < NCLIQUE; j++) {
            if (pg_rng_uniform(&r) < 0.9) {
                el_add(el, clique_member(i), clique_member(j), 1.0 + pg_rng_uniform(&r));
            }
        }
    }
    for (int i = 0; i < 60; i++) {
        el_add(el, STAR, (uint32_t)pg_rng_below(&r, 1000), 1.0 + pg_rng_uniform(&r));
    }
}

/* Rank of v when sorting by score descending (0 = top), ties by id. */
static uint32_t rank_of(const double *score, uint32_t n, uint32_t v)
{
    uint32_t k = 0;
    for (uint32_t u = 0; u < n; u++) {
        k += score[u] > score[v] || (score[u] == score[v] && u < v);
    }
    return k;
}

static void test_planted_anomalies_rank_top(void **state)
{
    (void)state;
    uint64_t seed = pg_test_seed("oddball_planted", 8);
    for (uint64_t k = 0; k < 3; k++) {
        edge_list el;
        planted(&el, seed + k);
        pg_csr g;
        assert_int_equal(el_csr(&g, &el, 1, 1, 0), 0);
        pg_oddball_options o;
        pg_oddball_options_init(&o);
        pg_oddball_result ref;
        int threads[] = {1, 2, 4};
        for (int t = 0; t < 3; t++) {
            pg_oddball_result res;
            o.threads = threads[t];
            assert_int_equal(pg_oddball(t ? &res : &ref, &g, &o), 0);
            if (t) {
                assert_memory_equal(ref.score, res.score, g.n * sizeof(double));
                assert_memory_equal(ref.ego, res.ego, g.n * sizeof(pg_egonet));
                assert_memory_equal(&ref.law_en.theta, &res.law_en.theta, sizeof(double));
                assert_memory_equal(&ref.law_en.c, &res.law_en.c, sizeof(double));
                assert_memory_equal(&ref.law_we.theta, &res.law_we.theta, sizeof(double));
                assert_memory_equal(&ref.law_we.c, &res.law_we.c, sizeof(double));
                pg_oddball_result_free(&res);
            }
        }
        assert_int_equal(pg_oddball_verify(&ref, &g, 1), 0);
        /* E-N law: the star is far below it, the clique members far above. */
        uint32_t top = NCLIQUE + 1, in_top = 0, star_rank = rank_of(ref.score_en, g.n, STAR);
        for (int i = 0; i < NCLIQUE; i++) {
            in_top += rank_of(ref.score_en, g.n, clique_member(i)) < top;
        }
        printf("# graph %llu: E = %.3f N^%.3f, star rank %u, clique members in top %u: %u\n",
               (unsigned long long)k, ref.law_en.c, ref.law_en.theta, star_rank, top, in_top);
        assert_true(ref.law_en.theta > 1.0);
        assert_true(star_rank < top);
        assert_true(in_top >= NCLIQUE - 2);
        pg_oddball_result_free(&ref);
        pg_csr_free(&g);
        el_free(&el);
    }
}

static void test_alloc_failures_are_clean(void **state)
{
    (void)state;
    edge_list el;
    planted(&el, 1);
    pg_csr g;
    assert_int_equal(el_csr(&g, &el, 1, 1, 0), 0);
    pg_oddball_options o;
    pg_oddball_options_init(&o);
    pg_oddball_result res;
    pg_alloc_fail_at(0);
    assert_int_equal(pg_oddball(&res, &g, &o), 0);
    long k = pg_alloc_fail_at(0);
    assert_int_equal(pg_oddball_verify(&res, &g, 1), 0);
    pg_oddball_result_free(&res);
    assert_int_equal(k, 4);
    for (long i = 1; i <= k; i++) {
        pg_alloc_fail_at(i);
        int rc = pg_oddball(&res, &g, &o);
        pg_alloc_fail_at(0);
        assert_int_equal(rc, PG_ENOMEM);
        assert_null(res.score);
    }
    pg_csr_free(&g);
    el_free(&el);
}

/* Runs last: the interruption flag cannot be cleared once raised. */
static void test_interrupt_returns_eintr(void **state)
{
    (void)state;
    edge_list el;
    planted(&el, 2);
    pg_csr g;
    assert_int_equal(el_csr(&g, &el, 1, 1, 0), 0);
    pg_oddball_options o;
    pg_oddball_options_init(&o);
    pg_oddball_result res;
    pg_interrupt_request();
    assert_int_equal(pg_oddball(&res, &g, &o), PG_EINTR);
    assert_null(res.score);
    pg_csr_free(&g);
    el_free(&el);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_egonets_by_hand),
        cmocka_unit_test(test_planted_anomalies_rank_top),
        cmocka_unit_test(test_alloc_failures_are_clean),
        cmocka_unit_test(test_interrupt_returns_eintr),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
