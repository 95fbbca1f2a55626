/*
 * Community detection: quality verifiers on hand-computed graphs, edge cases
 * (empty graph, isolated vertices, self-loops, disconnected graphs), warm
 * start, resolution extremes, determinism across thread counts, and clean
 * failure under every allocation failure.
 */
#include "test_support.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "community_planted.h"
#include "core/alloc.h"
#include "paygraph/community.h"

/* Symmetric CSR from an edge list (weights optional). */
static pg_csr make_graph(uint32_t n, int64_t m, const uint32_t *src, const uint32_t *dst,
                         const double *w)
{
    pg_csr g;
    assert_int_equal(pg_csr_from_edges(&g, n, m, src, dst, w, 1, 1), PG_OK);
    return g;
}

/* Two triangles {0,1,2} and {3,4,5} joined by the edge 2-3. */
static pg_csr two_triangles(void)
{
    static const uint32_t s[] = {0, 0, 1, 3, 3, 4, 2};
    static const uint32_t d[] = {1, 2, 2, 4, 5, 5, 3};
    return make_graph(6, 7, s, d, NULL);
}

static void test_modularity_two_triangles(void **state)
{
    (void)state;
    pg_csr g = two_triangles();
    /*
     * m = 7. Split into the triangles: each has w_in = 3 and strength
     * K = 2+2+3 = 7, so Q = 2 * (3/7 - (7/14)^2) = 6/7 - 1/2 = 5/14.
     * All in one community: Q = 7/7 - 1 = 0. At gamma = 0.5 the split gives
     * 6/7 - 0.25 = 17/28.
     */
    uint32_t split[] = {0, 0, 0, 1, 1, 1};
    uint32_t one[] = {0, 0, 0, 0, 0, 0};
    assert_true(fabs(pg_modularity(&g, split, 1.0) - 5.0 / 14.0) < 1e-12);
    assert_true(fabs(pg_modularity(&g, one, 1.0)) < 1e-12);
    assert_true(fabs(pg_modularity(&g, split, 0.5) - 17.0 / 28.0) < 1e-12);
    /* Labels need not be dense for the quality functions. */
    uint32_t sparse[] = {7, 7, 7, 1000, 1000, 1000};
    assert_true(fabs(pg_modularity(&g, sparse, 1.0) - 5.0 / 14.0) < 1e-12);
    /*
     * CPM, unit node weights: sum_c [w_in - gamma n_c (n_c - 1) / 2].
     * gamma = 0.5: split = 2 * (3 - 0.5 * 3) = 3; one = 7 - 0.5 * 15 = -0.5.
     * Node weights (2,1,1,1,1,1), gamma = 1: first triangle pairs 2+2+1 = 5,
     * so split = (3 - 5) + (3 - 3) = -2.
     */
    double nw[] = {2, 1, 1, 1, 1, 1};
    assert_true(fabs(pg_cpm_quality(&g, split, 0.5, NULL) - 3.0) < 1e-12);
    assert_true(fabs(pg_cpm_quality(&g, one, 0.5, NULL) + 0.5) < 1e-12);
    assert_true(fabs(pg_cpm_quality(&g, split, 1.0, nw) + 2.0) < 1e-12);

    /* Both algorithms find the two triangles. */
    for (int a = 0; a < 2; a++) {
        pg_community_options o;
        pg_community_options_init(&o);
        o.algorithm = a ? PG_COMMUNITY_LOUVAIN : PG_COMMUNITY_LEIDEN;
        uint32_t memb[6];
        pg_community_result res;
        assert_int_equal(pg_communities(memb, &res, &g, &o), PG_OK);
        assert_int_equal(res.count, 2);
        assert_memory_equal(memb, split, sizeof(split));
        assert_true(fabs(res.quality - 5.0 / 14.0) < 1e-12);
        assert_int_equal(pg_partition_verify(&g, memb, 1), PG_OK);
    }
    pg_csr_free(&g);
}

static void test_self_loops(void **state)
{
    (void)state;
    /*
     * Edges: self-loop 0-0 (w 1) and 0-1 (w 1). m = 2, strengths k0 = 2 + 1 = 3
     * (a loop touches its vertex twice), k1 = 1, 2m = 4.
     * Singletons: Q = 1/2 - (3/4)^2 - (1/4)^2 = -1/8. Together: 2/2 - 1 = 0.
     */
    static const uint32_t s[] = {0, 0}, d[] = {0, 1};
    pg_csr g = make_graph(2, 2, s, d, NULL);
    assert_int_equal(g.m, 3); /* loop stored once, the edge twice */
    uint32_t apart[] = {0, 1}, together[] = {0, 0};
    assert_true(fabs(pg_modularity(&g, apart, 1.0) + 0.125) < 1e-12);
    assert_true(fabs(pg_modularity(&g, together, 1.0)) < 1e-12);
    /* CPM gamma 1: apart = 1 (the loop), together = 2 - 1 = 1. */
    assert_true(fabs(pg_cpm_quality(&g, apart, 1.0, NULL) - 1.0) < 1e-12);
    assert_true(fabs(pg_cpm_quality(&g, together, 1.0, NULL) - 1.0) < 1e-12);
    uint32_t memb[2];
    pg_community_result res;
    assert_int_equal(pg_communities(memb, &res, &g, NULL), PG_OK);
    assert_memory_equal(memb, together, sizeof(together));
    pg_csr_free(&g);

    /*
     * A heavy self-loop keeps a vertex apart: loops 0-0 and 1-1 of weight 10
     * and the edge 0-1 of weight 1: m = 21, k0 = k1 = 21. Apart: 20/21 - 2/4 =
     * 0.452; together: 1 - 1 = 0. So the detection must leave them apart.
     */
    static const uint32_t s2[] = {0, 1, 0}, d2[] = {0, 1, 1};
    static const double w2[] = {10, 10, 1};
    g = make_graph(2, 3, s2, d2, w2);
    assert_true(fabs(pg_modularity(&g, apart, 1.0) - (20.0 / 21.0 - 0.5)) < 1e-12);
    for (int a = 0; a < 2; a++) {
        pg_community_options o;
        pg_community_options_init(&o);
        o.algorithm = a ? PG_COMMUNITY_LOUVAIN : PG_COMMUNITY_LEIDEN;
        assert_int_equal(pg_communities(memb, &res, &g, &o), PG_OK);
        assert_memory_equal(memb, apart, sizeof(apart));
    }
    pg_csr_free(&g);
}

static void test_empty_and_isolated(void **state)
{
    (void)state;
    pg_csr g;
    assert_int_equal(pg_csr_alloc(&g, 0, 0, 0), PG_OK);
    pg_community_result res;
    uint32_t dummy[1];
    assert_int_equal(pg_communities(dummy, &res, &g, NULL), PG_OK);
    assert_int_equal(res.count, 0);
    uint32_t k = 99;
    assert_int_equal(pg_components(dummy, &k, &g, 2), PG_OK);
    assert_int_equal(k, 0);
    pg_csr_free(&g);

    /* Five isolated vertices: modularity undefined, every vertex alone. */
    assert_int_equal(pg_csr_alloc(&g, 5, 0, 0), PG_OK);
    uint32_t memb[5], expect[] = {0, 1, 2, 3, 4};
    assert_int_equal(pg_communities(memb, &res, &g, NULL), PG_OK);
    assert_int_equal(res.count, 5);
    assert_memory_equal(memb, expect, sizeof(expect));
    assert_true(isnan(res.modularity));
    assert_true(isnan(pg_modularity(&g, memb, 1.0)));
    pg_community_options o;
    pg_community_options_init(&o);
    o.objective = PG_OBJECTIVE_CPM;
    o.resolution = 0.1;
    assert_int_equal(pg_communities(memb, &res, &g, &o), PG_OK);
    assert_int_equal(res.count, 5);
    assert_true(fabs(res.quality) < 1e-15);
    assert_int_equal(pg_components(memb, &k, &g, 2), PG_OK);
    assert_int_equal(k, 5);
    assert_memory_equal(memb, expect, sizeof(expect));
    pg_csr_free(&g);
}

/* Two 5-cliques, a path 10-11-12, vertex 13 alone: 4 components. */
static pg_csr disconnected(void)
{
    uint32_t s[32], d[32];
    int64_t m = 0;
    for (uint32_t b = 0; b < 10; b += 5) {
        for (uint32_t i = 0; i < 5; i++) {
            for (uint32_t j = i + 1; j < 5; j++) {
                s[m] = b + i;
                d[m++] = b + j;
            }
        }
    }
    s[m] = 10, d[m++] = 11;
    s[m] = 11, d[m++] = 12;
    return make_graph(14, m, s, d, NULL);
}

static void test_disconnected_and_gamma_zero(void **state)
{
    (void)state;
    pg_csr g = disconnected();
    uint32_t comp[14], k;
    assert_int_equal(pg_components(comp, &k, &g, 4), PG_OK);
    assert_int_equal(k, 4);
    uint32_t expect[] = {0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 3};
    assert_memory_equal(comp, expect, sizeof(expect));
    for (int a = 0; a < 2; a++) {
        pg_community_options o;
        pg_community_options_init(&o);
        o.algorithm = a ? PG_COMMUNITY_LOUVAIN : PG_COMMUNITY_LEIDEN;
        uint32_t memb[14];
        pg_community_result res;
        /* gamma = 0: every merge along an edge gains, so communities = components. */
        o.resolution = 0.0;
        assert_int_equal(pg_communities(memb, &res, &g, &o), PG_OK);
        assert_memory_equal(memb, expect, sizeof(expect));
        /* gamma = 1 on this graph gives the components too (each is a clique or a path). */
        o.resolution = 1.0;
        assert_int_equal(pg_communities(memb, &res, &g, &o), PG_OK);
        assert_int_equal(pg_partition_verify(&g, memb, a == 0), PG_OK);
        assert_true(res.quality >= pg_modularity(&g, expect, 1.0) - 1e-12);
        /* CPM with a huge gamma: any pair costs more than an edge gives: singletons. */
        o.objective = PG_OBJECTIVE_CPM;
        o.resolution = 1e6;
        assert_int_equal(pg_communities(memb, &res, &g, &o), PG_OK);
        assert_int_equal(res.count, 14);
        for (uint32_t v = 0; v < 14; v++) {
            assert_int_equal(memb[v], v);
        }
        /* CPM with gamma = 0 merges each component. */
        o.resolution = 0.0;
        assert_int_equal(pg_communities(memb, &res, &g, &o), PG_OK);
        assert_memory_equal(memb, expect, sizeof(expect));
    }
    pg_csr_free(&g);
}

/*
 * Leiden warm-started with every vertex in one community and stopped after
 * one level: local moving keeps the disconnected community (no vertex gains
 * by leaving it), so the split into connected parts has to produce the
 * components.
 */
static void test_leiden_splits_disconnected_start(void **state)
{
    (void)state;
    pg_csr g = disconnected();
    uint32_t one[14] = {0}, memb[14];
    uint32_t expect[] = {0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 3};
    pg_community_options o;
    pg_community_options_init(&o);
    o.initial = one;
    o.max_levels = 1;
    o.iterations = 1;
    o.resolution = 0.0;
    pg_community_result res;
    assert_int_equal(pg_communities(memb, &res, &g, &o), PG_OK);
    assert_int_equal(pg_partition_verify(&g, memb, 1), PG_OK);
    assert_memory_equal(memb, expect, sizeof(expect));
    pg_csr_free(&g);
}

/* Default options for CPM at a resolution; Louvain when louvain, else Leiden. */
static pg_community_options cpm_options(int louvain, double resolution)
{
    pg_community_options o;
    pg_community_options_init(&o);
    o.algorithm = louvain ? PG_COMMUNITY_LOUVAIN : PG_COMMUNITY_LEIDEN;
    o.objective = PG_OBJECTIVE_CPM;
    o.resolution = resolution;
    return o;
}

/*
 * A warm start with every vertex in one community that is worth less than
 * its parts: CPM at gamma 0.6 on the two triangles gives 7 - 0.6 * 15 = -2
 * for one community and 2 * (3 - 0.6 * 3) = 2.4 for the triangles. No
 * vertex has a neighbouring community to go to, so only moves to empty
 * communities lead out; both algorithms must find the triangles, at 1 and 2
 * threads.
 */
static void test_warm_start_dissolves(void **state)
{
    (void)state;
    pg_csr g = two_triangles();
    uint32_t one[6] = {0}, memb[6];
    uint32_t expect[] = {0, 0, 0, 1, 1, 1};
    for (int a = 0; a < 2; a++) {
        for (int threads = 1; threads <= 2; threads++) {
            pg_community_options o = cpm_options(a, 0.6);
            o.initial = one;
            o.threads = threads;
            pg_community_result res;
            assert_int_equal(pg_communities(memb, &res, &g, &o), PG_OK);
            assert_memory_equal(memb, expect, sizeof(expect));
            assert_true(fabs(res.quality - 2.4) < 1e-12);
        }
    }
    pg_csr_free(&g);
}

static pg_csr planted(uint32_t *truth, uint32_t *k, uint32_t n, int64_t m, double mu, uint64_t seed,
                      int weighted)
{
    pg_planted p = {n, m, n / 50, 2.5, sqrt((double)n), mu, 0.0, 0, 0, weighted, seed};
    pg_csr g;
    assert_int_equal(pg_planted_generate(&g, truth, k, &p), PG_OK);
    return g;
}

static void test_warm_start(void **state)
{
    (void)state;
    uint64_t seed = pg_test_seed("community warm start", 11);
    uint32_t n = 2000, k;
    uint32_t *truth = malloc(n * sizeof(*truth));
    uint32_t *memb = malloc(n * sizeof(*memb));
    uint32_t *again = malloc(n * sizeof(*again));
    pg_csr g = planted(truth, &k, n, 8000, 0.3, seed, 1);
    for (int a = 0; a < 2; a++) {
        pg_community_options o;
        pg_community_options_init(&o);
        o.algorithm = a ? PG_COMMUNITY_LOUVAIN : PG_COMMUNITY_LEIDEN;
        o.seed = seed;
        pg_community_result cold, warm;
        assert_int_equal(pg_communities(memb, &cold, &g, &o), PG_OK);
        /* From the planted partition: never worse than the planted partition. */
        o.initial = truth;
        assert_int_equal(pg_communities(again, &warm, &g, &o), PG_OK);
        assert_true(warm.quality >= pg_modularity(&g, truth, 1.0) - 1e-12);
        /* From its own result: never worse than that result. */
        o.initial = memb;
        assert_int_equal(pg_communities(again, &warm, &g, &o), PG_OK);
        assert_true(warm.quality >= cold.quality - 1e-9);
        assert_int_equal(pg_partition_verify(&g, again, a == 0), PG_OK);
        /* Bad labels are rejected. */
        again[0] = n;
        o.initial = again;
        assert_int_equal(pg_communities(memb, &warm, &g, &o), PG_EINVAL);
    }
    pg_csr_free(&g);
    free(truth);
    free(memb);
    free(again);
}

static void test_determinism(void **state)
{
    (void)state;
    uint64_t seed = pg_test_seed("community determinism", 5);
    uint32_t n = 20000, k;
    uint32_t *truth = malloc(n * sizeof(*truth));
    uint32_t *m1 = malloc(n * sizeof(*m1));
    uint32_t *mt = malloc(n * sizeof(*mt));
    pg_csr g = planted(truth, &k, n, 100000, 0.4, seed, 1);
    for (int a = 0; a < 2; a++) {
        for (int obj = 0; obj < 2; obj++) {
            pg_community_options o;
            pg_community_options_init(&o);
            o.algorithm = a ? PG_COMMUNITY_LOUVAIN : PG_COMMUNITY_LEIDEN;
            o.objective = obj ? PG_OBJECTIVE_CPM : PG_OBJECTIVE_MODULARITY;
            o.resolution = obj ? 0.05 : 1.0;
            o.seed = seed;
            o.batch_size = 1024; /* many batches per pass: exercises the apply step */
            o.threads = 1;
            pg_community_result r1, rt;
            assert_int_equal(pg_communities(m1, &r1, &g, &o), PG_OK);
            assert_int_equal(pg_partition_verify(&g, m1, a == 0), PG_OK);
            assert_true(r1.count > 1 && r1.count < n);
            for (int t = 2; t <= 4; t += 2) {
                o.threads = t;
                assert_int_equal(pg_communities(mt, &rt, &g, &o), PG_OK);
                assert_memory_equal(m1, mt, n * sizeof(*m1));
                assert_true(r1.quality == rt.quality);
            }
            /* A different seed explores differently but stays valid. */
            o.seed = seed + 1;
            assert_int_equal(pg_communities(mt, &rt, &g, &o), PG_OK);
            assert_int_equal(pg_partition_verify(&g, mt, a == 0), PG_OK);
        }
    }
    pg_csr_free(&g);
    free(truth);
    free(m1);
    free(mt);
}

/* Run with the given min_gain (< 0: the default) into memb. */
static void run_min_gain(uint32_t *memb, const pg_csr *g, pg_community_options o, double min_gain)
{
    pg_community_result r;
    o.min_gain = min_gain;
    assert_int_equal(pg_communities(memb, &r, g, &o), PG_OK);
}

/*
 * The default level tolerance is each algorithm's own for modularity (1e-4
 * for Leiden, 1e-5 for Louvain) and 1e-7 for CPM, whose gains are in the
 * caller's weight units: the default result equals the one asked for with
 * that value explicitly, and differs from the one with another value (for
 * CPM on weights scaled down by 1e-6, where 1e-4 stops too early).
 */
static void test_default_min_gain(void **state)
{
    (void)state;
    uint64_t seed = pg_test_seed("community default min_gain", 29);
    uint32_t n = 20000, k;
    uint32_t *truth = malloc(n * sizeof(*truth));
    uint32_t *def = malloc(n * sizeof(*def)), *own = malloc(n * sizeof(*own));
    uint32_t *other = malloc(n * sizeof(*other));
    pg_csr g = planted(truth, &k, n, 200000, 0.5, seed, 1);
    for (int a = 0; a < 3; a++) {
        pg_community_options o;
        pg_community_options_init(&o);
        assert_true(o.min_gain < 0.0);
        o.algorithm = a == 1 ? PG_COMMUNITY_LOUVAIN : PG_COMMUNITY_LEIDEN;
        o.seed = seed;
        double mine = a == 0 ? 1e-4 : a == 1 ? 1e-5 : 1e-7, another = a == 0 ? 1e-5 : 1e-4;
        if (a == 2) {
            o.objective = PG_OBJECTIVE_CPM;
            o.resolution = 0.05e-6;
            for (int64_t e = 0; e < g.m; e++) {
                g.weights[e] *= 1e-6;
            }
        }
        run_min_gain(def, &g, o, -1.0);
        run_min_gain(own, &g, o, mine);
        run_min_gain(other, &g, o, another);
        assert_memory_equal(def, own, n * sizeof(*def));
        assert_memory_not_equal(def, other, n * sizeof(*def));
    }
    pg_csr_free(&g);
    free(truth);
    free(def);
    free(own);
    free(other);
}

/* CPM with node weights: the reported quality is the verifier's, and beats trivial partitions. */
static void test_cpm_node_weights(void **state)
{
    (void)state;
    uint64_t seed = pg_test_seed("community CPM node weights", 23);
    uint32_t n = 3000, k;
    uint32_t *truth = malloc(n * sizeof(*truth)), *memb = malloc(n * sizeof(*memb));
    uint32_t *other = malloc(n * sizeof(*other));
    double *nw = malloc(n * sizeof(*nw));
    pg_csr g = planted(truth, &k, n, 15000, 0.2, seed, 1);
    pg_rng r;
    pg_rng_init(&r, seed, 7);
    for (uint32_t v = 0; v < n; v++) {
        nw[v] = 0.5 + 2.0 * pg_rng_uniform(&r);
    }
    for (int a = 0; a < 2; a++) {
        pg_community_options o = cpm_options(a, 0.1);
        o.node_weights = nw;
        o.seed = seed;
        pg_community_result res;
        assert_int_equal(pg_communities(memb, &res, &g, &o), PG_OK);
        assert_true(fabs(res.quality - pg_cpm_quality(&g, memb, 0.1, nw)) <
                    1e-9 * fabs(res.quality));
        assert_true(res.quality > pg_cpm_quality(&g, truth, 0.1, nw));
        for (uint32_t v = 0; v < n; v++) {
            other[v] = v;
        }
        assert_true(res.quality > pg_cpm_quality(&g, other, 0.1, nw));
        assert_int_equal(pg_partition_verify(&g, memb, a == 0), PG_OK);
        o.threads = 2;
        assert_int_equal(pg_communities(other, &res, &g, &o), PG_OK);
        assert_memory_equal(memb, other, n * sizeof(*memb));
        /* Heavier node weights at the same gamma: smaller communities. */
        uint32_t count = res.count;
        for (uint32_t v = 0; v < n; v++) {
            nw[v] *= 4.0;
        }
        assert_int_equal(pg_communities(other, &res, &g, &o), PG_OK);
        assert_true(res.count > count);
        for (uint32_t v = 0; v < n; v++) {
            nw[v] /= 4.0;
        }
        o.node_weights = NULL;
        nw[5] = -1.0;
        o.node_weights = nw;
        assert_int_equal(pg_communities(other, &res, &g, &o), PG_EINVAL);
        nw[5] = 1.0;
    }
    pg_csr_free(&g);
    free(truth);
    free(memb);
    free(other);
    free(nw);
}

static void test_verifier_rejects(void **state)
{
    (void)state;
    pg_csr g = two_triangles();
    uint32_t gap[] = {0, 0, 0, 2, 2, 2};     /* label 1 unused */
    uint32_t split[] = {0, 1, 0, 0, 1, 1};   /* {0,2,3}: connected; {1,4,5}: 1 apart */
    uint32_t ok_disc[] = {0, 0, 1, 1, 0, 0}; /* {0,1,4,5} disconnected */
    assert_int_equal(pg_partition_verify(&g, gap, 0), PG_EINTERNAL);
    assert_int_equal(pg_partition_verify(&g, split, 0), PG_OK);
    assert_int_equal(pg_partition_verify(&g, split, 1), PG_EINTERNAL);
    assert_int_equal(pg_partition_verify(&g, ok_disc, 0), PG_OK);
    assert_int_equal(pg_partition_verify(&g, ok_disc, 1), PG_EINTERNAL);
    pg_csr_free(&g);
}

static void test_bad_input(void **state)
{
    (void)state;
    static const uint32_t s[] = {0}, d[] = {1};
    static const double w[] = {-1.0};
    pg_csr g = make_graph(2, 1, s, d, w);
    uint32_t memb[2];
    assert_int_equal(pg_communities(memb, NULL, &g, NULL), PG_EINPUT);
    pg_community_options o;
    pg_community_options_init(&o);
    o.resolution = -1;
    g.weights[0] = g.weights[1] = 1.0;
    assert_int_equal(pg_communities(memb, NULL, &g, &o), PG_EINVAL);
    pg_community_options_init(&o);
    o.min_gain = NAN;
    assert_int_equal(pg_communities(memb, NULL, &g, &o), PG_EINVAL);
    pg_csr_free(&g);
}

static void test_alloc_failure(void **state)
{
    (void)state;
    uint32_t n = 300, k;
    uint32_t truth[300], memb[300], ref[300];
    pg_csr g = planted(truth, &k, n, 1200, 0.2, 3, 1);
    for (int a = 0; a < 2; a++) {
        pg_community_options o;
        pg_community_options_init(&o);
        o.algorithm = a ? PG_COMMUNITY_LOUVAIN : PG_COMMUNITY_LEIDEN;
        o.threads = 2;
        pg_alloc_fail_at(0);
        assert_int_equal(pg_communities(ref, NULL, &g, &o), PG_OK);
        long total = pg_alloc_fail_at(0);
        assert_true(total > 5);
        for (long i = 1; i <= total; i++) {
            pg_alloc_fail_at(i);
            int err = pg_communities(memb, NULL, &g, &o);
            pg_alloc_fail_at(0);
            assert_int_equal(err, PG_ENOMEM);
        }
        assert_int_equal(pg_communities(memb, NULL, &g, &o), PG_OK);
        assert_memory_equal(memb, ref, sizeof(ref));
    }
    for (long i = 1; i <= 1; i++) {
        pg_alloc_fail_at(i);
        int err = pg_components(memb, &k, &g, 2);
        pg_alloc_fail_at(0);
        assert_int_equal(err, PG_ENOMEM);
    }
    pg_csr_free(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_modularity_two_triangles),
        cmocka_unit_test(test_self_loops),
        cmocka_unit_test(test_empty_and_isolated),
        cmocka_unit_test(test_disconnected_and_gamma_zero),
        cmocka_unit_test(test_leiden_splits_disconnected_start),
        cmocka_unit_test(test_warm_start),
        cmocka_unit_test(test_warm_start_dissolves),
        cmocka_unit_test(test_determinism),
        cmocka_unit_test(test_default_min_gain),
        cmocka_unit_test(test_cpm_node_weights),
        cmocka_unit_test(test_verifier_rejects),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_alloc_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
