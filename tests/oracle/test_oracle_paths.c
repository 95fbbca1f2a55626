/*
 * Path kernels against igraph 0.10 on seeded random graphs (directed and
 * undirected, with isolated parts): BFS hop distances equal igraph_distances
 * (multi-source: the minimum over sources), Dijkstra and delta-stepping equal
 * igraph_distances_dijkstra, k shortest paths have the costs of
 * igraph_get_k_shortest_paths; the CSR -> igraph conversion keeps every edge
 * of the chosen subset. Every result also passes its verifier.
 */
#include "test_support.h"

#include <igraph.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/rng.h"
#include "paygraph/igraph_bridge.h"
#include "paygraph/paths.h"

typedef struct edges {
    uint32_t n;
    int64_t m;
    uint32_t *src, *dst;
    double *w;
} edges;

/* Random graph: edges inside the first 85% of vertices (the rest stay isolated
 * or nearly so), weights with frequent ties and some zeros. */
static edges make_edges(uint64_t seed, uint32_t n, int64_t m)
{
    pg_rng r;
    pg_rng_init(&r, seed, 0);
    edges e = {n, m, malloc((size_t)m * 4), malloc((size_t)m * 4), malloc((size_t)m * 8)};
    uint32_t core = n - n / 7;
    for (int64_t i = 0; i < m; i++) {
        e.src[i] = (uint32_t)pg_rng_below(&r, core);
        e.dst[i] = (uint32_t)pg_rng_below(&r, i % 50 == 0 ? n : core);
        uint64_t k = pg_rng_below(&r, 4);
        e.w[i] = k == 0 ? (double)pg_rng_below(&r, 4) : pg_rng_uniform(&r) * 10.0;
    }
    return e;
}

static void free_edges(edges *e)
{
    free(e->src);
    free(e->dst);
    free(e->w);
}

static void make_igraph(igraph_t *g, igraph_vector_t *w, const edges *e, int directed)
{
    igraph_vector_int_t el;
    igraph_vector_int_init(&el, 2 * e->m);
    igraph_vector_init(w, e->m);
    for (int64_t i = 0; i < e->m; i++) {
        VECTOR(el)[2 * i] = e->src[i];
        VECTOR(el)[2 * i + 1] = e->dst[i];
        VECTOR(*w)[i] = e->w[i];
    }
    assert_int_equal(igraph_create(g, &el, e->n, directed), IGRAPH_SUCCESS);
    igraph_vector_int_destroy(&el);
}

static void check_bfs(const edges *e, const igraph_t *ig, const pg_csr *out, const pg_csr *in,
                      pg_path_dir dir, igraph_neimode_t mode, size_t ns, uint64_t seed)
{
    pg_rng r;
    pg_rng_init(&r, seed, 7);
    uint32_t *src = malloc(ns * sizeof(*src));
    igraph_vector_int_t from;
    igraph_vector_int_init(&from, (igraph_integer_t)ns);
    for (size_t i = 0; i < ns; i++) {
        src[i] = (uint32_t)pg_rng_below(&r, e->n);
        VECTOR(from)[i] = src[i];
    }
    igraph_matrix_t d;
    igraph_matrix_init(&d, 0, 0);
    assert_int_equal(igraph_distances(ig, &d, igraph_vss_vector(&from), igraph_vss_all(), mode),
                     IGRAPH_SUCCESS);
    pg_bfs_options o;
    pg_bfs_options_init(&o);
    o.dir = dir;
    o.threads = 2;
    pg_bfs_result b;
    assert_int_equal(pg_bfs(&b, out, in, src, ns, &o), 0);
    int verr = pg_bfs_verify(&b, out, in, src, ns, dir);
    if (verr) {
        print_message("%s\n", pg_error_last());
    }
    assert_int_equal(verr, 0);
    for (uint32_t v = 0; v < e->n; v++) {
        double best = INFINITY;
        for (size_t i = 0; i < ns; i++) {
            best = fmin(best, MATRIX(d, (igraph_integer_t)i, v));
        }
        if (isinf(best)) {
            assert_int_equal(b.depth[v], -1);
        } else {
            assert_int_equal(b.depth[v], (int)best);
            assert_true(MATRIX(d, (igraph_integer_t)b.source[v], v) == best);
        }
    }
    pg_bfs_result_free(&b);
    igraph_matrix_destroy(&d);
    igraph_vector_int_destroy(&from);
    free(src);
}

static void check_sssp(const edges *e, const igraph_t *ig, const igraph_vector_t *w,
                       const pg_csr *g, uint32_t s)
{
    igraph_matrix_t d;
    igraph_matrix_init(&d, 0, 0);
    assert_int_equal(
        igraph_distances_dijkstra(ig, &d, igraph_vss_1(s), igraph_vss_all(), w, IGRAPH_OUT),
        IGRAPH_SUCCESS);
    for (int algo = PG_SSSP_DIJKSTRA; algo <= PG_SSSP_DELTA; algo++) {
        pg_sssp_options o;
        pg_sssp_options_init(&o);
        o.algo = (pg_sssp_algo)algo;
        o.threads = 2;
        pg_sssp_result r;
        assert_int_equal(pg_sssp(&r, g, s, &o), 0);
        assert_int_equal(pg_sssp_verify(&r, g, s), 0);
        for (uint32_t v = 0; v < e->n; v++) {
            double x = MATRIX(d, 0, v);
            if (isinf(x)) {
                assert_true(isinf(r.dist[v]));
            } else {
                assert_true(fabs(r.dist[v] - x) <= 1e-9 * fmax(1.0, fabs(x)));
            }
        }
        pg_sssp_result_free(&r);
    }
    igraph_matrix_destroy(&d);
}

/* Costs of igraph's own k shortest paths on the independently built graph. */
static igraph_integer_t igraph_k_costs(const igraph_t *ig, const igraph_vector_t *w, uint32_t s,
                                       uint32_t t, int k, double *cost)
{
    igraph_vector_int_list_t ep;
    igraph_vector_int_list_init(&ep, 0);
    assert_int_equal(igraph_get_k_shortest_paths(ig, w, NULL, &ep, k, s, t, IGRAPH_OUT),
                     IGRAPH_SUCCESS);
    igraph_integer_t np = igraph_vector_int_list_size(&ep);
    for (igraph_integer_t p = 0; p < np; p++) {
        igraph_vector_int_t *e = igraph_vector_int_list_get_ptr(&ep, p);
        cost[p] = 0.0;
        for (igraph_integer_t i = 0; i < igraph_vector_int_size(e); i++) {
            cost[p] += VECTOR(*w)[VECTOR(*e)[i]];
        }
    }
    igraph_vector_int_list_destroy(&ep);
    return np;
}

static int has_entry(const pg_csr *g, uint32_t u, uint32_t v)
{
    for (int64_t e = g->offsets[u]; e < g->offsets[u + 1]; e++) {
        if (g->targets[e] == v) {
            return 1;
        }
    }
    return 0;
}

/* Paths join edges of g, are simple, go s -> t and come in non-decreasing cost. */
static void check_kpaths(const pg_path_set *ps, const pg_csr *g, uint32_t s, uint32_t t)
{
    for (size_t k = 0; k < ps->count; k++) {
        int hops = (int)(ps->off[k + 1] - ps->off[k]);
        const uint32_t *v = ps->vert + ps->off[k] + k;
        assert_int_equal(v[0], s);
        assert_int_equal(v[hops], t);
        for (int i = 0; i < hops; i++) {
            assert_true(has_entry(g, v[i], v[i + 1]));
            for (int j = i + 1; j <= hops; j++) {
                assert_true(v[i] != v[j]);
            }
        }
        assert_true(k == 0 || ps->cost[k] >= ps->cost[k - 1] - 1e-9);
    }
}

static void check_kshortest(const edges *e, const igraph_t *ig, const igraph_vector_t *w,
                            const pg_csr *g, const pg_csr *in, int directed)
{
    pg_kpaths_options o;
    pg_kpaths_options_init(&o);
    o.directed = directed;
    for (uint32_t s = 1; s < e->n; s += e->n / 5) {
        uint32_t t = (s * 7 + 3) % (e->n - e->n / 7);
        double want[8];
        igraph_integer_t nw = igraph_k_costs(ig, w, s, t, 8, want);
        pg_path_set ps;
        o.max_hops = 0;
        assert_int_equal(pg_k_shortest(&ps, g, directed ? in : NULL, s, t, 8, &o), 0);
        check_kpaths(&ps, g, s, t);
        assert_int_equal(ps.count, (size_t)nw);
        for (size_t k = 0; k < ps.count; k++) {
            assert_true(fabs(ps.cost[k] - want[k]) <= 1e-9 * fmax(1.0, want[k]));
        }
        pg_path_set_free(&ps);
        /* bounded subgraph: valid paths; the best one agrees when it fits the bound */
        o.max_hops = 4;
        assert_int_equal(pg_k_shortest(&ps, g, directed ? in : NULL, s, t, 8, &o), 0);
        check_kpaths(&ps, g, s, t);
        if (ps.count > 0) {
            assert_true(nw > 0 && ps.cost[0] >= want[0] - 1e-9);
        }
        pg_path_set_free(&ps);
    }
}

static void check_to_igraph(const pg_csr *g, int directed)
{
    uint32_t subset[60];
    for (uint32_t i = 0; i < 60; i++) {
        subset[i] = (i * 37 + 11) % g->n;
    }
    igraph_t ig;
    igraph_vector_t w;
    pg_igraph_map map;
    assert_int_equal(pg_csr_to_igraph(&ig, &w, &map, g, subset, 60, directed), 0);
    assert_int_equal(igraph_vcount(&ig), 60);
    int64_t expect = 0;
    for (uint32_t i = 0; i < 60; i++) {
        uint32_t u = subset[i];
        for (int64_t e = g->offsets[u]; e < g->offsets[u + 1]; e++) {
            for (uint32_t j = 0; j < 60; j++) {
                expect += subset[j] == g->targets[e] && (directed || g->targets[e] >= u);
            }
        }
    }
    assert_int_equal(igraph_ecount(&ig), expect);
    for (igraph_integer_t e = 0; e < igraph_ecount(&ig); e++) {
        int64_t entry = map.entry[e];
        uint32_t a = map.vertex[IGRAPH_FROM(&ig, e)], b = map.vertex[IGRAPH_TO(&ig, e)];
        assert_true(g->targets[entry] == b || (!directed && g->targets[entry] == a));
        assert_true(VECTOR(w)[e] == g->weights[entry]);
    }
    igraph_destroy(&ig);
    igraph_vector_destroy(&w);
    pg_igraph_map_free(&map);
    subset[1] = subset[0];
    assert_int_equal(pg_csr_to_igraph(&ig, NULL, NULL, g, subset, 60, directed), PG_EINVAL);
}

static void run_graph(uint64_t seed, uint32_t n, int64_t m, int directed)
{
    edges e = make_edges(seed, n, m);
    igraph_t ig;
    igraph_vector_t w;
    make_igraph(&ig, &w, &e, directed);
    pg_csr out, in;
    assert_int_equal(pg_csr_from_edges(&out, n, m, e.src, e.dst, e.w, !directed, 2), 0);
    if (directed) {
        assert_int_equal(pg_csr_from_edges(&in, n, m, e.dst, e.src, e.w, 0, 2), 0);
    } else {
        in = out;
    }
    size_t counts[] = {1, 3, 40};
    for (size_t c = 0; c < 3; c++) {
        if (directed) {
            check_bfs(&e, &ig, &out, &in, PG_DIR_FORWARD, IGRAPH_OUT, counts[c], seed + c);
            check_bfs(&e, &ig, &out, &in, PG_DIR_BACKWARD, IGRAPH_IN, counts[c], seed + c);
            check_bfs(&e, &ig, &out, &in, PG_DIR_UNDIRECTED, IGRAPH_ALL, counts[c], seed + c);
        } else {
            check_bfs(&e, &ig, &out, &out, PG_DIR_FORWARD, IGRAPH_ALL, counts[c], seed + c);
        }
    }
    for (uint32_t s = 0; s < n; s += n / 3) {
        check_sssp(&e, &ig, &w, &out, s);
    }
    if (n <= 300) {
        check_kshortest(&e, &ig, &w, &out, &in, directed);
    }
    check_to_igraph(&out, directed);
    pg_csr_free(&out);
    if (directed) {
        pg_csr_free(&in);
    }
    igraph_destroy(&ig);
    igraph_vector_destroy(&w);
    free_edges(&e);
}

static void test_bfs_sssp_vs_igraph(void **state)
{
    (void)state;
    uint64_t seed = pg_test_seed("oracle_paths", 20260301);
    for (uint64_t k = 0; k < 4; k++) {
        run_graph(seed + k, 300, 900, 1); /* sparse: many levels, unreachable parts */
        run_graph(seed + k, 300, 900, 0);
        run_graph(seed + 10 + k, 2000, 30000, 1); /* dense enough for bottom-up steps */
        run_graph(seed + 10 + k, 2000, 30000, 0);
    }
}

typedef struct kshortest_call {
    const pg_csr *out, *in;
    const pg_kpaths_options *o;
} kshortest_call;

static int run_kshortest(void *ctx)
{
    const kshortest_call *c = ctx;
    pg_path_set ps;
    int rc = pg_k_shortest(&ps, c->out, c->in, 1, 2, 4, c->o);
    if (rc == 0) {
        pg_path_set_free(&ps);
    }
    return rc;
}

/* Every paygraph allocation in k shortest paths and the igraph conversion fails cleanly. */
static void test_kshortest_alloc_failure(void **state)
{
    (void)state;
    edges e = make_edges(77, 120, 400);
    pg_csr out, in;
    assert_int_equal(pg_csr_from_edges(&out, e.n, e.m, e.src, e.dst, e.w, 0, 1), 0);
    assert_int_equal(pg_csr_from_edges(&in, e.n, e.m, e.dst, e.src, e.w, 0, 1), 0);
    pg_kpaths_options o;
    pg_kpaths_options_init(&o);
    o.max_hops = 5;
    pg_test_alloc_sweep(run_kshortest, &(kshortest_call){&out, &in, &o}, 200);
    pg_path_set ps;
    assert_int_equal(pg_k_shortest(&ps, &out, NULL, 1, 2, 4, &o), PG_EINVAL);
    assert_int_equal(pg_k_shortest(&ps, &out, &in, 1, 2, 0, &o), PG_EINVAL);
    pg_csr_free(&out);
    pg_csr_free(&in);
    free_edges(&e);
}

int main(void)
{
    igraph_set_error_handler(igraph_error_handler_ignore);
    igraph_set_warning_handler(igraph_warning_handler_ignore);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bfs_sssp_vs_igraph),
        cmocka_unit_test(test_kshortest_alloc_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
