/*
 * Local moving's exact shortcut (surely_stays in local_move.c): decisions
 * that skip the accumulator must be the decisions of the full evaluation,
 * so local moving with and without the shortcut must leave the same labels
 * and the same community totals, bit for bit. Checked on seeded planted
 * graphs, unit and random weights, modularity at several resolutions and
 * CPM with node weights, from singletons and from a warm start (where the
 * shortcut decides most vertices), with self-loops in the rows, at 1 and 2
 * threads. And moves to an empty community, the only way out of a
 * community that is worth less than its parts.
 */
#include "test_support.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "algo/community/community_internal.h"
#include "community_planted.h"
#include "core/rng.h"

/* One local-moving setting: a level-0 graph as communities.c builds it. */
typedef struct lm_case {
    pg_csr csr;
    pg_cgraph g;
    uint32_t *truth;
    pg_cparams p;
} lm_case;

/*
 * The planted graph plus a self-loop on every eleventh vertex: rows then
 * hold entries u == v, which local moving must leave out of v's weight to
 * its own community.
 */
static void add_self_loops(pg_csr *out, const pg_csr *g)
{
    int64_t cap = g->m / 2 + g->n / 11 + 1, m = 0;
    uint32_t *src = malloc((size_t)cap * sizeof(*src)), *dst = malloc((size_t)cap * sizeof(*dst));
    double *w = malloc((size_t)cap * sizeof(*w));
    for (uint32_t u = 0; u < g->n; u++) {
        for (int64_t e = g->offsets[u]; e < g->offsets[u + 1]; e++) {
            if (u < g->targets[e]) {
                src[m] = u, dst[m] = g->targets[e], w[m++] = g->weights ? g->weights[e] : 1.0;
            }
        }
        if (u % 11 == 0) {
            src[m] = u, dst[m] = u, w[m++] = 2.0;
        }
    }
    assert_true(m <= cap);
    assert_int_equal(pg_csr_from_edges(out, g->n, m, src, dst, w, 1, 1), PG_OK);
    free(src);
    free(dst);
    free(w);
}

static void build_case(lm_case *c, uint64_t seed, int weighted, int cpm, double resolution)
{
    uint32_t n = 3000, k;
    pg_planted pp = {n, 15000, 0, 2.5, sqrt((double)n), 0.35, 1.5, 10, 300, weighted, seed};
    c->truth = malloc(n * sizeof(*c->truth));
    pg_csr planted;
    assert_int_equal(pg_planted_generate(&planted, c->truth, &k, &pp), PG_OK);
    add_self_loops(&c->csr, &planted);
    pg_csr_free(&planted);
    memset(&c->g, 0, sizeof(c->g));
    c->g.n = n;
    c->g.off = c->csr.offsets;
    c->g.adj = c->csr.targets;
    c->g.w = c->csr.weights;
    c->g.loop = calloc(n, sizeof(double)); /* not read by local moving */
    c->g.nw = malloc(n * sizeof(double));
    double two_m = 0.0;
    pg_rng rng;
    pg_rng_init(&rng, seed, 7);
    for (uint32_t v = 0; v < n; v++) {
        double s = 0.0; /* strength: a self-loop counts twice */
        for (int64_t e = c->g.off[v]; e < c->g.off[v + 1]; e++) {
            s += (c->g.adj[e] == v ? 2.0 : 1.0) * pg_cgraph_w(&c->g, e);
        }
        /* CPM: node weights 0, 1 or 2, so that zero-weight vertices occur too. */
        c->g.nw[v] = cpm ? (double)pg_rng_below(&rng, 3) : s;
        two_m += s;
    }
    memset(&c->p, 0, sizeof(c->p));
    c->p.r = cpm ? resolution : resolution / two_m;
    c->p.scale = cpm ? 1.0 : 2.0 / two_m;
    c->p.min_gain = 0.0;
    c->p.max_passes = 64;
    c->p.batch = 1024; /* >= PG_COMMUNITY_PAR_MIN: rounds run in parallel at 2 threads */
    c->p.seed = seed;
}

static void free_case(lm_case *c)
{
    free(c->g.loop);
    free(c->g.nw);
    free(c->truth);
    pg_csr_free(&c->csr);
}

/* Local moving from start (NULL: singletons); labels and totals out. */
static void run(uint32_t *comm, double *tot, int64_t *moves, lm_case *c, const uint32_t *start,
                int threads, int full_scan)
{
    uint32_t n = c->g.n;
    for (uint32_t v = 0; v < n; v++) {
        comm[v] = start ? start[v] : v;
    }
    pg_cwork wk;
    assert_int_equal(pg_community__work_init(&wk, n, threads), PG_OK);
    c->p.threads = threads;
    c->p.full_scan = full_scan;
    assert_int_equal(pg_community__local_move(comm, tot, moves, &c->g, &wk, &c->p, 3), PG_OK);
    pg_community__work_free(&wk);
}

static void check_same(lm_case *c, const uint32_t *start, int threads, const char *what)
{
    uint32_t n = c->g.n;
    uint32_t *ca = malloc(n * sizeof(*ca)), *cb = malloc(n * sizeof(*cb));
    double *ta = malloc(n * sizeof(*ta)), *tb = malloc(n * sizeof(*tb));
    int64_t ma, mb;
    run(ca, ta, &ma, c, start, threads, 0);
    run(cb, tb, &mb, c, start, threads, 1);
    print_message("# %s, %d thr: %lld moves\n", what, threads, (long long)ma);
    assert_int_equal(ma, mb);
    assert_memory_equal(ca, cb, n * sizeof(*ca));
    assert_memory_equal(ta, tb, n * sizeof(*ta));
    assert_true(ma > 0); /* the case exercises moving, not only staying */
    free(ca);
    free(cb);
    free(ta);
    free(tb);
}

static void test_shortcut_is_exact(void **state)
{
    (void)state;
    uint64_t seed = pg_test_seed("local moving shortcut", 17);
    static const struct {
        int weighted, cpm;
        double resolution;
        const char *name;
    } cases[] = {
        {0, 0, 1.0, "modularity, unit weights"}, {1, 0, 1.0, "modularity, random weights"},
        {1, 0, 0.3, "modularity, gamma 0.3"},    {0, 0, 3.0, "modularity, gamma 3"},
        {1, 1, 0.05, "CPM, node weights 0-2"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        lm_case c;
        build_case(&c, seed + i, cases[i].weighted, cases[i].cpm, cases[i].resolution);
        /* A warm start: the planted partition with every seventh vertex moved to a neighbour's. */
        uint32_t *warm = malloc(c.g.n * sizeof(*warm));
        memcpy(warm, c.truth, c.g.n * sizeof(*warm));
        for (uint32_t v = 0; v < c.g.n; v += 7) {
            if (c.g.off[v + 1] > c.g.off[v]) {
                warm[v] = c.truth[c.g.adj[c.g.off[v]]];
            }
        }
        for (int threads = 1; threads <= 2; threads++) {
            check_same(&c, NULL, threads, cases[i].name);
            check_same(&c, warm, threads, cases[i].name);
        }
        free(warm);
        free_case(&c);
    }
}

/* Number of distinct labels in comm[0..n), all < n. */
static uint32_t count_labels(const uint32_t *comm, uint32_t n)
{
    unsigned char *seen = calloc(n, 1);
    uint32_t k = 0;
    for (uint32_t v = 0; v < n; v++) {
        assert_true(comm[v] < n);
        k += !seen[comm[v]];
        seen[comm[v]] = 1;
    }
    free(seen);
    return k;
}

/*
 * From one community holding every vertex, at a resolution where that
 * community is worth less than its parts, no vertex has a neighbouring
 * community to go to: every move is to an empty one. The vertices must
 * leave (the quality rises above both the start and singletons), the labels stay below n, the
 * totals match the labels, and the result is the same with and without the shortcut and at 1 and 2
 * threads.
 */
static void test_moves_to_empty_communities(void **state)
{
    (void)state;
    uint64_t seed = pg_test_seed("local moving to empty communities", 19);
    for (int cpm = 0; cpm <= 1; cpm++) {
        lm_case c;
        build_case(&c, seed + (uint64_t)cpm, 1, cpm, cpm ? 0.5 : 3.0);
        uint32_t n = c.g.n;
        uint32_t *one = calloc(n, sizeof(*one)), *comm = malloc(n * sizeof(*comm));
        double *tot = malloc(n * sizeof(*tot)), *sum = calloc(n, sizeof(*sum));
        const char *name =
            cpm ? "CPM gamma 0.5 from one community" : "modularity gamma 3 from one community";
        for (int threads = 1; threads <= 2; threads++) {
            check_same(&c, one, threads, name);
        }
        int64_t moves, moves1;
        uint32_t *comm1 = malloc(n * sizeof(*comm1));
        double *tot1 = malloc(n * sizeof(*tot1));
        run(comm1, tot1, &moves1, &c, one, 1, 0);
        run(comm, tot, &moves, &c, one, 2, 0);
        assert_int_equal(moves1, moves);
        assert_memory_equal(comm1, comm, n * sizeof(*comm));
        assert_memory_equal(tot1, tot, n * sizeof(*tot));
        free(comm1);
        free(tot1);
        uint32_t k = count_labels(comm, n);
        double before =
            cpm ? pg_cpm_quality(&c.csr, one, 0.5, c.g.nw) : pg_modularity(&c.csr, one, 3.0);
        double after =
            cpm ? pg_cpm_quality(&c.csr, comm, 0.5, c.g.nw) : pg_modularity(&c.csr, comm, 3.0);
        print_message("# %s: %u communities, quality %.6g -> %.6g\n", name, k, before, after);
        /* Every move left for an empty community; above 0 beats singletons too. */
        assert_true(k > 1);
        assert_true(after > before && after > 0.0);
        for (uint32_t v = 0; v < n; v++) {
            sum[comm[v]] += c.g.nw[v];
        }
        for (uint32_t v = 0; v < n; v++) {
            assert_true(fabs(sum[v] - tot[v]) <= 1e-9 * (fabs(sum[v]) + 1.0));
        }
        free(one);
        free(comm);
        free(tot);
        free(sum);
        free_case(&c);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shortcut_is_exact),
        cmocka_unit_test(test_moves_to_empty_communities),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
