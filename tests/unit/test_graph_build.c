/*
 * Graph views against plain serial references on seeded random pools, at
 * account and entity level, for 1, 2 and 4 threads; the undirected
 * projection's degrees against igraph (create + simplify on the same edges).
 */
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <igraph.h>

#include "core/rng.h"
#include "paygraph/paygraph.h"

static const char *make_world(uint64_t seed, const char *dir, char *accounts, size_t cap)
{
    static char txn[600];
    snprintf(txn, sizeof(txn), "%s/txn.csv", dir);
    snprintf(accounts, cap, "%s/accounts.csv", dir);
    pg_rng r;
    pg_rng_init(&r, seed, 0);
    FILE *f = fopen(txn, "w");
    fprintf(f, "timestamp,amount,src_institution,src_account,dst_institution,dst_account\n");
    for (int i = 0; i < 6000; i++) {
        /* few distinct timestamps so that ties must be broken by index */
        unsigned long long v[6] = {1700000000ULL + 60 * pg_rng_below(&r, 50),
                                   pg_rng_below(&r, 300) + 1,
                                   pg_rng_below(&r, 3),
                                   pg_rng_below(&r, 150),
                                   pg_rng_below(&r, 3),
                                   pg_rng_below(&r, 150)};
        fprintf(f, "%llu,%llu.00,I%llu,%llu,I%llu,%llu\n", v[0], v[1], v[2], v[3], v[4], v[5]);
    }
    fclose(f);
    f = fopen(accounts, "w");
    fprintf(f, "institution,account,entity\n");
    for (int i = 0; i < 200; i++) {
        unsigned long long v[3] = {pg_rng_below(&r, 3), pg_rng_below(&r, 150),
                                   pg_rng_below(&r, 120)};
        fprintf(f, "I%llu,%llu,E%llu\n", v[0], v[1], v[2]);
    }
    fclose(f);
    return txn;
}

static pg_pool *load(const char *txn, const char *accounts)
{
    int st;
    pg_pool *p = pg_test_ingest(txn, accounts, NULL, "paygraph", 0, PG_ON_ERROR_FAIL, NULL, &st);
    assert_int_equal(st, 0);
    return p;
}

typedef struct ref_edge {
    uint32_t u, v;
    int64_t i;
} ref_edge;

static int cmp_edge(const void *a, const void *b)
{
    const ref_edge *x = a, *y = b;
    if (x->u != y->u) {
        return x->u < y->u ? -1 : 1;
    }
    if (x->v != y->v) {
        return x->v < y->v ? -1 : 1;
    }
    return (x->i > y->i) - (x->i < y->i);
}

/* Aggregated edges by sorting (u, v, index) triples. */
static void check_agg(const pg_graph *g, const pg_tview *tv)
{
    ref_edge *e = malloc((size_t)tv->m * sizeof(*e));
    for (int64_t i = 0; i < tv->m; i++) {
        e[i] = (ref_edge){tv->src[i], tv->dst[i], i};
    }
    qsort(e, (size_t)tv->m, sizeof(*e), cmp_edge);
    int64_t k = -1;
    for (int64_t i = 0; i < tv->m; i++) {
        if (i == 0 || e[i].u != e[i - 1].u || e[i].v != e[i - 1].v) {
            k++;
            assert_true(k >= g->agg.offsets[e[i].u] && k < g->agg.offsets[e[i].u + 1]);
            assert_int_equal(g->agg.dst[k], e[i].v);
            uint32_t count = 0;
            int64_t sum = 0, first = INT64_MAX, last = INT64_MIN;
            for (int64_t j = i; j < tv->m && e[j].u == e[i].u && e[j].v == e[i].v; j++) {
                count++;
                sum += tv->amount[e[j].i];
                first = tv->ts[e[j].i] < first ? tv->ts[e[j].i] : first;
                last = tv->ts[e[j].i] > last ? tv->ts[e[j].i] : last;
            }
            assert_int_equal(g->agg.count[k], count);
            assert_int_equal(g->agg.amount[k], sum);
            assert_int_equal(g->agg.first_ts[k], first);
            assert_int_equal(g->agg.last_ts[k], last);
        }
    }
    assert_int_equal(k + 1, g->agg.m);
    free(e);
}

/* Temporal adjacency: every vertex's list is exactly its transactions, by (ts, index). */
static void check_tadj(const pg_tadj *a, const uint32_t *key, const int64_t *ts, int64_t m)
{
    int64_t seen = 0;
    for (uint32_t v = 0; v < a->n; v++) {
        for (int64_t k = a->offsets[v]; k < a->offsets[v + 1]; k++) {
            uint32_t t = a->txn[k];
            assert_int_equal(key[t], v);
            if (k > a->offsets[v]) {
                uint32_t prev = a->txn[k - 1];
                assert_true(ts[prev] < ts[t] || (ts[prev] == ts[t] && prev < t));
            }
            seen++;
        }
    }
    assert_int_equal(seen, m);
}

/* Undirected projection with count weights: w{u,v} = transactions either way, u != v. */
static void check_projection(const pg_graph *g, const pg_tview *tv)
{
    const pg_csr *u = &g->undirected;
    double total = 0;
    for (int64_t i = 0; i < u->m; i++) {
        total += u->weights[i];
    }
    int64_t nonloop = 0;
    for (int64_t i = 0; i < tv->m; i++) {
        nonloop += tv->src[i] != tv->dst[i];
    }
    assert_true(total == 2.0 * (double)nonloop);
    for (uint32_t v = 0; v < u->n; v++) {
        for (int64_t k = u->offsets[v]; k < u->offsets[v + 1]; k++) {
            uint32_t w = u->targets[k];
            assert_true(w != v);
            if (k > u->offsets[v]) {
                assert_true(u->targets[k - 1] < w); /* sorted, merged */
            }
        }
    }
    /* spot-check a few rows against a scan of the transactions */
    for (uint32_t v = 0; v < u->n; v += 17) {
        for (int64_t k = u->offsets[v]; k < u->offsets[v + 1]; k++) {
            uint32_t w = u->targets[k];
            double c = 0;
            for (int64_t i = 0; i < tv->m; i++) {
                c += (tv->src[i] == v && tv->dst[i] == w) || (tv->src[i] == w && tv->dst[i] == v);
            }
            assert_true(u->weights[k] == c);
        }
    }
}

/* igraph oracle: simple undirected degrees of the same transaction edges. */
static void check_igraph_degrees(const pg_graph *g, const pg_tview *tv)
{
    igraph_vector_int_t edges, deg;
    igraph_vector_int_init(&edges, 2 * tv->m);
    for (int64_t i = 0; i < tv->m; i++) {
        VECTOR(edges)[2 * i] = tv->src[i];
        VECTOR(edges)[2 * i + 1] = tv->dst[i];
    }
    igraph_t ig;
    assert_int_equal(igraph_create(&ig, &edges, g->n, IGRAPH_UNDIRECTED), IGRAPH_SUCCESS);
    assert_int_equal(igraph_simplify(&ig, true, true, NULL), IGRAPH_SUCCESS);
    igraph_vector_int_init(&deg, 0);
    igraph_degree(&ig, &deg, igraph_vss_all(), IGRAPH_ALL, false);
    for (uint32_t v = 0; v < g->n; v++) {
        assert_int_equal(VECTOR(deg)[v], g->undirected.offsets[v + 1] - g->undirected.offsets[v]);
    }
    igraph_vector_int_destroy(&deg);
    igraph_vector_int_destroy(&edges);
    igraph_destroy(&ig);
}

static void same_graph(const pg_graph *a, const pg_graph *b)
{
    assert_int_equal(a->n, b->n);
    assert_memory_equal(a->out.txn, b->out.txn, (size_t)a->out.m * 4);
    assert_memory_equal(a->in.txn, b->in.txn, (size_t)a->in.m * 4);
    assert_int_equal(a->agg.m, b->agg.m);
    assert_memory_equal(a->agg.dst, b->agg.dst, (size_t)a->agg.m * 4);
    assert_memory_equal(a->agg.amount, b->agg.amount, (size_t)a->agg.m * 8);
    assert_int_equal(a->undirected.m, b->undirected.m);
    assert_memory_equal(a->undirected.targets, b->undirected.targets, (size_t)a->undirected.m * 4);
    assert_memory_equal(a->undirected.weights, b->undirected.weights, (size_t)a->undirected.m * 8);
}

static void run_level(pg_level level)
{
    char accounts[600];
    const char *txn = make_world(pg_test_seed("graph build", 5), pg_test_tmpdir("graph"), accounts,
                                 sizeof(accounts));
    pg_pool *p = load(txn, accounts);
    pg_graph g[3];
    int threads[3] = {1, 2, 4};
    for (int i = 0; i < 3; i++) {
        pg_graph_options o;
        pg_graph_options_init(&o);
        o.level = level;
        o.threads = threads[i];
        assert_int_equal(pg_graph_build(&g[i], p, &o), 0);
    }
    pg_tview tv;
    pg_graph_tview(&g[0], p, &tv);
    if (level == PG_LEVEL_ENTITY) {
        assert_true(g[0].n < pg_pool_num_accounts(p));
    }
    check_tadj(&g[0].out, tv.src, tv.ts, tv.m);
    check_tadj(&g[0].in, tv.dst, tv.ts, tv.m);
    check_agg(&g[0], &tv);
    check_projection(&g[0], &tv);
    check_igraph_degrees(&g[0], &tv);
    same_graph(&g[0], &g[1]);
    same_graph(&g[0], &g[2]);
    for (int i = 0; i < 3; i++) {
        pg_graph_free(&g[i]);
    }
    pg_pool_free(p);
}

static void test_account_level(void **state)
{
    (void)state;
    run_level(PG_LEVEL_ACCOUNT);
}

static void test_entity_level(void **state)
{
    (void)state;
    run_level(PG_LEVEL_ENTITY);
}

/* Entity linking is transitive through accounts with two tokens. */
static void test_entity_linking_transitive(void **state)
{
    (void)state;
    const char *dir = pg_test_tmpdir("entity");
    char txn[600], acc[600];
    snprintf(txn, sizeof(txn), "%s/t.csv", dir);
    snprintf(acc, sizeof(acc), "%s/a.csv", dir);
    FILE *f = fopen(txn, "w");
    fputs("timestamp,amount,src_institution,src_account,dst_institution,dst_account\n"
          "2026-01-01,1.00,A,1,B,2\n2026-01-01,1.00,C,3,D,4\n",
          f);
    fclose(f);
    f = fopen(acc, "w");
    /* A:1 has X; B:2 has X and Y (two rows); C:3 has Y; D:4 alone */
    fputs("institution,account,entity\nA,1,X\nB,2,X\nB,2,Y\nC,3,Y\n", f);
    fclose(f);
    pg_pool *p = load(txn, acc);
    pg_graph g;
    pg_graph_options o;
    pg_graph_options_init(&o);
    o.level = PG_LEVEL_ENTITY;
    assert_int_equal(pg_graph_build(&g, p, &o), 0);
    uint32_t a1 = pg_pool_find_account(p, "A", "1"), c3 = pg_pool_find_account(p, "C", "3");
    uint32_t d4 = pg_pool_find_account(p, "D", "4");
    assert_int_equal(g.vertex_of_account[a1], g.vertex_of_account[c3]);
    assert_true(g.vertex_of_account[a1] != g.vertex_of_account[d4]);
    assert_int_equal(g.n, 2);
    pg_graph_free(&g);
    pg_pool_free(p);
}

int main(void)
{
    igraph_set_error_handler(igraph_error_handler_ignore);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_account_level),
        cmocka_unit_test(test_entity_level),
        cmocka_unit_test(test_entity_linking_transitive),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
