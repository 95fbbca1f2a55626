/*
 * Personalized PageRank against igraph_personalized_pagerank (PRPACK) on
 * seeded random graphs: directed and undirected, weighted and unweighted,
 * with dangling vertices and a weighted multi-source reset vector. Both
 * solvers must agree within 1e-6 in L1.
 *
 * Undirected graphs carry no self-loops here: igraph counts an undirected
 * self-loop twice in the degree, our CSR stores it once (graph.h).
 */
#include "test_support.h"

#include <igraph/igraph.h>
#include <math.h>
#include <stdio.h>

#include "../unit/score_graphs.h"
#include "paygraph/score.h"

/* igraph's PPR of the edge list, into out (n doubles). */
static void igraph_ppr(double *out, const edge_list *el, int directed, int weighted,
                       const double *reset)
{
    igraph_vector_int_t edges;
    igraph_vector_int_init(&edges, 2 * el->m);
    for (int64_t i = 0; i < el->m; i++) {
        VECTOR(edges)[2 * i] = el->src[i];
        VECTOR(edges)[2 * i + 1] = el->dst[i];
    }
    igraph_t g;
    assert_int_equal(igraph_create(&g, &edges, el->n, directed), IGRAPH_SUCCESS);
    igraph_vector_t w, r, res;
    igraph_vector_view(&w, el->w, el->m);
    igraph_vector_view(&r, reset, el->n);
    igraph_vector_init(&res, 0);
    igraph_real_t value;
    assert_int_equal(igraph_personalized_pagerank(&g, IGRAPH_PAGERANK_ALGO_PRPACK, &res, &value,
                                                  igraph_vss_all(), directed, 0.85, &r,
                                                  weighted ? &w : NULL, NULL),
                     IGRAPH_SUCCESS);
    for (uint32_t v = 0; v < el->n; v++) {
        out[v] = VECTOR(res)[v];
    }
    igraph_vector_destroy(&res);
    igraph_destroy(&g);
    igraph_vector_int_destroy(&edges);
}

static void compare(uint64_t seed, uint32_t n, int64_t m, int directed, int weighted)
{
    edge_list el;
    /* 5% of the vertices never send: dangling when directed, some isolated when not */
    el_random(&el, n, m, n / 20, directed, seed);
    uint32_t src[] = {0, 5, 9, 5};
    double sw[] = {1.0, 3.0, 0.25, 1.0};
    double *reset = calloc(n, sizeof(double));
    for (int i = 0; i < 4; i++) {
        reset[src[i]] += sw[i];
    }
    pg_csr g, gin;
    assert_int_equal(el_csr(&g, &el, weighted, !directed, 0), 0);
    assert_int_equal(el_csr(&gin, &el, weighted, !directed, 1), 0);
    pg_ppr_options o;
    pg_ppr_options_init(&o);
    o.weighted = weighted;
    double *ours = malloc(n * sizeof(double)), *theirs = malloc(n * sizeof(double));
    assert_int_equal(pg_ppr(ours, &g, directed ? &gin : NULL, src, sw, 4, &o), 0);
    igraph_ppr(theirs, &el, directed, weighted, reset);
    double dist = 0.0;
    for (uint32_t v = 0; v < n; v++) {
        dist += fabs(ours[v] - theirs[v]);
    }
    printf("# n=%u m=%lld directed=%d weighted=%d: L1 %.3g after %d iterations\n", n, (long long)m,
           directed, weighted, dist, o.iterations);
    assert_true(dist < 1e-6);
    assert_int_equal(pg_ppr_verify(ours, &g, src, sw, 4, 0.85, weighted, 1e-8), 0);
    free(ours);
    free(theirs);
    free(reset);
    pg_csr_free(&g);
    pg_csr_free(&gin);
    el_free(&el);
}

static void test_matches_igraph(void **state)
{
    (void)state;
    uint64_t seed = pg_test_seed("oracle_ppr", 2024);
    for (uint64_t k = 0; k < 3; k++) {
        for (int directed = 0; directed <= 1; directed++) {
            for (int weighted = 0; weighted <= 1; weighted++) {
                compare(seed + k, 2000 + 1000 * (uint32_t)k, 8000 + 9000 * (int64_t)k, directed,
                        weighted);
            }
        }
    }
}

/* Sparse directed graph: most vertices dangling, mass must flow back to the sources. */
static void test_mostly_dangling(void **state)
{
    (void)state;
    uint64_t seed = pg_test_seed("oracle_ppr_dangling", 7);
    compare(seed, 400, 300, 1, 1);
    compare(seed + 1, 400, 300, 1, 0);
}

int main(void)
{
    igraph_set_error_handler(igraph_error_handler_ignore);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matches_igraph),
        cmocka_unit_test(test_mostly_dangling),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
