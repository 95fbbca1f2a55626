/*
 * Benchmark driver: paygraph Leiden and Louvain (at each requested thread
 * count) against igraph's Leiden (modularity objective, n_iterations = 2,
 * beta = 0.01) and igraph's multilevel, in one process on one graph.
 *
 * Input: an undirected weighted edge list (`u v w` per line, vertex ids
 * 0-based, w optional) with --input; the account-level undirected
 * projection of a pool file (what `paygraph communities POOL.h5` clusters,
 * weighted as --weight says, count by default) with --pool; or a generated
 * degree-corrected planted-partition graph
 * (tests/support/community_planted.h) with --n/--m.
 * Loading and conversion are timed apart from the kernels. The kernels run
 * in --trials rounds, every kernel once per round in a fixed order, so that
 * a shared machine whose speed drifts during the run (seen here: 40% within
 * minutes) affects paygraph and igraph alike. Printed per kernel: median and
 * minimum time, modularity (recomputed by pg_modularity) and communities;
 * then, per paygraph kernel, the speed-up over its igraph counterpart as the
 * median (and range) of the per-round ratios. --verify checks every paygraph
 * result with pg_partition_verify (Leiden: connected communities) and that
 * the memberships are identical across thread counts.
 *
 *   bench_community (--n 100000 --m 1000000 | --input EDGES | --pool POOL.h5
 *                   [--weight count|amount|log-amount]) [--trials 3] [--seed 1]
 *                   [--threads 1,2] [--batch B] [--iterations I] [--min-gain G]
 *                   [--only leiden|louvain] [--verify] [--no-igraph]
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <igraph.h>

#include "community_planted.h"
#include "paygraph/community.h"
#include "paygraph/graph.h"
#include "paygraph/pool.h"
#include "paygraph/store.h"

#define MAX_TRIALS 32
#define MAX_THREADS 8

typedef struct args {
    const char *input;
    uint32_t n;
    int64_t m;
    int trials;
    uint64_t seed;
    int threads[MAX_THREADS];
    int nthreads;
    int verify;
    int igraph;
    int batch;
    const char *pool; /* pool file: benchmark its projection */
    pg_weight weight; /* projection weight of --pool */
    int iterations;
    double min_gain; /* < 0: the library's default */
    int leiden, louvain;
} args;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median_of(const double *x, int n)
{
    double s[MAX_TRIALS];
    memcpy(s, x, (size_t)n * sizeof(*s));
    qsort(s, (size_t)n, sizeof(*s), cmp_double);
    return n % 2 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
}

static void report(const char *name, const double *t, int trials, double q, uint32_t k)
{
    double lo = t[0];
    for (int i = 1; i < trials; i++) {
        lo = t[i] < lo ? t[i] : lo;
    }
    printf("%-26s median %8.3f s  min %8.3f s  modularity %.6f  communities %u\n", name,
           median_of(t, trials), lo, q, k);
    fflush(stdout);
}

static int usage(void)
{
    fprintf(stderr,
            "usage: bench_community (--input EDGES | --pool POOL.h5 [--weight "
            "count|amount|log-amount] | --n N --m M) [--trials T] "
            "[--seed S] [--threads 1,2] [--batch B] [--iterations I] [--min-gain G] [--only "
            "leiden|louvain] [--verify] [--no-igraph]\n");
    return 1;
}

static int parse(args *a, int argc, char **argv)
{
    memset(a, 0, sizeof(*a));
    a->trials = 3;
    a->seed = 1;
    a->threads[0] = 1;
    a->threads[1] = 2;
    a->nthreads = 2;
    a->igraph = 1;
    a->min_gain = -1.0;
    a->leiden = a->louvain = 1;
    for (int i = 1; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(argv[i], "--verify")) {
            a->verify = 1;
        } else if (!strcmp(argv[i], "--no-igraph")) {
            a->igraph = 0;
        } else if (!v) {
            return usage();
        } else if (!strcmp(argv[i], "--input")) {
            a->input = v, i++;
        } else if (!strcmp(argv[i], "--pool")) {
            a->pool = v, i++;
        } else if (!strcmp(argv[i], "--weight")) {
            /* In pg_weight order. */
            static const char *const names[] = {"count", "amount", "log-amount"};
            int w = 0;
            while (w < 3 && (!v || strcmp(v, names[w]))) {
                w++;
            }
            if (w == 3) {
                return usage();
            }
            a->weight = (pg_weight)w, i++;
        } else if (!strcmp(argv[i], "--n")) {
            a->n = (uint32_t)strtoul(v, NULL, 10), i++;
        } else if (!strcmp(argv[i], "--m")) {
            a->m = strtoll(v, NULL, 10), i++;
        } else if (!strcmp(argv[i], "--trials")) {
            a->trials = (int)strtol(v, NULL, 10), i++;
        } else if (!strcmp(argv[i], "--only")) {
            a->leiden = !strcmp(v, "leiden");
            a->louvain = !strcmp(v, "louvain");
            i++;
        } else if (!strcmp(argv[i], "--iterations")) {
            a->iterations = (int)strtol(v, NULL, 10), i++;
        } else if (!strcmp(argv[i], "--min-gain")) {
            a->min_gain = strtod(v, NULL), i++;
        } else if (!strcmp(argv[i], "--batch")) {
            a->batch = (int)strtol(v, NULL, 10), i++;
        } else if (!strcmp(argv[i], "--seed")) {
            a->seed = strtoull(v, NULL, 10), i++;
        } else if (!strcmp(argv[i], "--threads")) {
            a->nthreads = 0;
            for (char *p = argv[++i]; *p && a->nthreads < MAX_THREADS;) {
                a->threads[a->nthreads++] = (int)strtol(p, &p, 10);
                p += *p == ',';
            }
        } else {
            return usage();
        }
    }
    if (a->trials < 1 || a->trials > MAX_TRIALS || (a->input && a->pool) ||
        (!a->input && !a->pool && (a->n == 0 || a->m <= 0))) {
        return usage();
    }
    return 0;
}

/* Read `u v [w]` lines into a symmetric CSR. */
static int load_edges(pg_csr *g, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
        return 1;
    }
    size_t cap = 1 << 20, m = 0;
    uint32_t *s = malloc(cap * sizeof(*s)), *d = malloc(cap * sizeof(*d)), n = 0;
    double *w = malloc(cap * sizeof(*w));
    char line[256];
    while (fgets(line, sizeof(line), f)) {
        char *p = line, *q;
        unsigned long u = strtoul(p, &q, 10);
        if (q == p) {
            continue; /* blank or comment line */
        }
        unsigned long v = strtoul(q, &p, 10);
        double wt = strtod(p, &q);
        if (m == cap) {
            cap *= 2;
            s = realloc(s, cap * sizeof(*s));
            d = realloc(d, cap * sizeof(*d));
            w = realloc(w, cap * sizeof(*w));
        }
        s[m] = (uint32_t)u, d[m] = (uint32_t)v, w[m] = q == p ? 1.0 : wt;
        n = (uint32_t)(u + 1 > n ? u + 1 : n);
        n = (uint32_t)(v + 1 > n ? v + 1 : n);
        m++;
    }
    fclose(f);
    int err = pg_csr_from_edges(g, n, (int64_t)m, s, d, w, 1, 0);
    free(s);
    free(d);
    free(w);
    return err != 0;
}

/* A pool's account-level undirected projection, as `paygraph communities` builds it. */
static int load_pool(pg_csr *g, const char *path, pg_weight weight)
{
    pg_pool *pool = NULL;
    pg_graph gr;
    memset(&gr, 0, sizeof(gr));
    pg_graph_options o;
    pg_graph_options_init(&o);
    o.weight = weight;
    if (pg_pool_load(&pool, path) || pg_graph_build(&gr, pool, &o)) {
        fprintf(stderr, "%s: %s\n", path, pg_error_last());
        pg_pool_free(pool);
        return 1;
    }
    *g = gr.undirected;
    memset(&gr.undirected, 0, sizeof(gr.undirected)); /* the projection is ours now */
    pg_graph_free(&gr);
    pg_pool_free(pool);
    return 0;
}

static void to_igraph(igraph_t *ig, igraph_vector_t *w, igraph_vector_t *strength, const pg_csr *g)
{
    igraph_vector_int_t edges;
    int64_t m = 0;
    for (uint32_t u = 0; u < g->n; u++) {
        for (int64_t e = g->offsets[u]; e < g->offsets[u + 1]; e++) {
            m += u <= g->targets[e];
        }
    }
    igraph_vector_int_init(&edges, 2 * m);
    igraph_vector_init(w, m);
    m = 0;
    for (uint32_t u = 0; u < g->n; u++) {
        for (int64_t e = g->offsets[u]; e < g->offsets[u + 1]; e++) {
            if (u <= g->targets[e]) {
                VECTOR(edges)[2 * m] = u;
                VECTOR(edges)[2 * m + 1] = g->targets[e];
                VECTOR(*w)[m++] = g->weights ? g->weights[e] : 1.0;
            }
        }
    }
    igraph_create(ig, &edges, g->n, IGRAPH_UNDIRECTED);
    igraph_vector_int_destroy(&edges);
    igraph_vector_init(strength, 0);
    igraph_strength(ig, strength, igraph_vss_all(), IGRAPH_ALL, 1, w);
}

/* One kernel of the comparison: a paygraph configuration or an igraph call. */
typedef enum kernel_kind { PG_LEIDEN, PG_LOUVAIN, IG_LEIDEN, IG_MULTILEVEL } kernel_kind;

typedef struct kernel {
    kernel_kind kind;
    int threads; /* paygraph only */
    char name[48];
    double t[MAX_TRIALS]; /* seconds, by round */
    double modularity;
    uint32_t count;
    uint32_t *memb; /* membership of the last round */
    int failed;
} kernel;

/* Shared state of the runs: the graph, and the igraph copy when igraph runs. */
typedef struct bench {
    const args *a;
    const pg_csr *g;
    igraph_t ig;
    igraph_vector_t w, strength;
    double two_m;
    igraph_vector_int_t im;
} bench;

static void run_pg(kernel *k, const bench *b)
{
    pg_community_result res = {0};
    pg_community_options o;
    pg_community_options_init(&o);
    o.algorithm = k->kind == PG_LEIDEN ? PG_COMMUNITY_LEIDEN : PG_COMMUNITY_LOUVAIN;
    o.seed = b->a->seed;
    o.threads = k->threads;
    o.batch_size = b->a->batch;
    if (b->a->iterations > 0) {
        o.iterations = b->a->iterations;
    }
    if (b->a->min_gain >= 0.0) {
        o.min_gain = b->a->min_gain;
    }
    if (pg_communities(k->memb, &res, b->g, &o)) {
        fprintf(stderr, "pg_communities: %s\n", pg_error_last());
        k->failed = 1;
    }
    k->modularity = res.modularity;
    k->count = res.count;
}

/* igraph's RNG is seeded before every call, so that every round runs the same computation. */
static void run_ig(kernel *k, bench *b)
{
    igraph_integer_t nc = 0;
    igraph_real_t quality;
    igraph_error_t err;
    igraph_rng_seed(igraph_rng_default(), b->a->seed);
    if (k->kind == IG_LEIDEN) {
        err = igraph_community_leiden(&b->ig, &b->w, &b->strength, 1.0 / b->two_m, 0.01, 0, 2,
                                      &b->im, &nc, &quality);
    } else {
        err = igraph_community_multilevel(&b->ig, &b->w, 1.0, &b->im, NULL, NULL);
    }
    if (err != IGRAPH_SUCCESS) {
        fprintf(stderr, "%s: %s\n", k->name, igraph_strerror(err));
        k->failed = 1;
    }
}

/* After a run: igraph's membership copied out, its modularity and count (not timed). */
static void finish_ig(kernel *k, const bench *b)
{
    uint32_t count = 0;
    for (uint32_t v = 0; v < b->g->n; v++) {
        k->memb[v] = (uint32_t)VECTOR(b->im)[v];
        count = k->memb[v] + 1 > count ? k->memb[v] + 1 : count;
    }
    k->count = count;
    k->modularity = pg_modularity(b->g, k->memb, 1.0);
}

/* The kernels asked for: paygraph's per algorithm and thread count, then igraph's. */
static int list_kernels(kernel *ks, const args *a)
{
    int nk = 0;
    for (int alg = 0; alg < 2; alg++) {
        if (!(alg == 0 ? a->leiden : a->louvain)) {
            continue;
        }
        for (int ti = 0; ti < a->nthreads; ti++) {
            kernel *k = &ks[nk++];
            k->kind = alg == 0 ? PG_LEIDEN : PG_LOUVAIN;
            k->threads = a->threads[ti];
            snprintf(k->name, sizeof(k->name), "paygraph %s (%d thr)",
                     alg == 0 ? "leiden" : "louvain", k->threads);
        }
    }
    if (a->igraph && a->leiden) {
        ks[nk].kind = IG_LEIDEN;
        snprintf(ks[nk++].name, sizeof(ks[0].name), "igraph leiden (n_iter 2)");
    }
    if (a->igraph && a->louvain) {
        ks[nk].kind = IG_MULTILEVEL;
        snprintf(ks[nk++].name, sizeof(ks[0].name), "igraph multilevel");
    }
    return nk;
}

/*
 * --verify: every paygraph result is a valid partition (Leiden: connected
 * communities) and equal to the first thread count's of the same algorithm.
 */
static int verify(const kernel *ks, int nk, const pg_csr *g)
{
    int bad = 0;
    for (int i = 0; i < nk; i++) {
        if (ks[i].kind != PG_LEIDEN && ks[i].kind != PG_LOUVAIN) {
            continue;
        }
        const kernel *first = &ks[i];
        while (first > ks && first[-1].kind == ks[i].kind) {
            first--;
        }
        int err = pg_partition_verify(g, ks[i].memb, ks[i].kind == PG_LEIDEN);
        int same = !memcmp(ks[i].memb, first->memb, (size_t)g->n * sizeof(*ks[i].memb));
        printf("  verify %s: partition %s, modularity recomputed %.6f, %s\n", ks[i].name,
               err ? pg_error_last() : "ok", pg_modularity(g, ks[i].memb, 1.0),
               same ? "membership identical to first thread count" : "MEMBERSHIP DIFFERS");
        bad |= err != 0 || !same;
    }
    return bad;
}

/*
 * Same-round speed-ups: each paygraph kernel against its igraph counterpart
 * (Leiden against igraph's Leiden, Louvain against multilevel), one ratio
 * per round, so that a machine that slows down during the run slows both
 * sides of a ratio alike.
 */
static void ratios(const kernel *ks, int nk, int trials)
{
    for (int i = 0; i < nk; i++) {
        if (ks[i].kind != PG_LEIDEN && ks[i].kind != PG_LOUVAIN) {
            continue;
        }
        kernel_kind want = ks[i].kind == PG_LEIDEN ? IG_LEIDEN : IG_MULTILEVEL;
        for (int j = 0; j < nk; j++) {
            if (ks[j].kind != want) {
                continue;
            }
            double r[MAX_TRIALS], lo = INFINITY, hi = 0.0;
            for (int k = 0; k < trials; k++) {
                r[k] = ks[j].t[k] / ks[i].t[k];
                lo = r[k] < lo ? r[k] : lo;
                hi = r[k] > hi ? r[k] : hi;
            }
            printf("speed-up %-24s vs %-24s median %6.2fx  range %.2f-%.2fx  modularity "
                   "%.4f%% of igraph's\n",
                   ks[i].name, ks[j].name, median_of(r, trials), lo, hi,
                   100.0 * ks[i].modularity / ks[j].modularity);
        }
    }
}

/* Rounds: every kernel once per round, in the same order; then the report. */
static int run_all(const args *a, const pg_csr *g)
{
    kernel ks[2 * MAX_THREADS + 2];
    memset(ks, 0, sizeof(ks));
    int nk = list_kernels(ks, a), bad = 0;
    bench b = {.a = a, .g = g};
    if (a->igraph) {
        double t0 = now();
        to_igraph(&b.ig, &b.w, &b.strength, g);
        printf("%-26s %8.3f s (not in the kernel times)\n", "igraph conversion", now() - t0);
        b.two_m = igraph_vector_sum(&b.strength);
        igraph_vector_int_init(&b.im, 0);
    }
    for (int i = 0; i < nk; i++) {
        ks[i].memb = malloc((size_t)(g->n ? g->n : 1) * sizeof(*ks[i].memb));
    }
    for (int k = 0; k < a->trials; k++) {
        for (int i = 0; i < nk; i++) {
            int pg = ks[i].kind == PG_LEIDEN || ks[i].kind == PG_LOUVAIN;
            double t0 = now();
            if (pg) {
                run_pg(&ks[i], &b);
            } else {
                run_ig(&ks[i], &b);
            }
            ks[i].t[k] = now() - t0;
            if (!pg) {
                finish_ig(&ks[i], &b);
            }
        }
    }
    for (int i = 0; i < nk; i++) {
        report(ks[i].name, ks[i].t, a->trials, ks[i].modularity, ks[i].count);
        bad |= ks[i].failed;
    }
    if (a->verify) {
        bad |= verify(ks, nk, g);
    }
    ratios(ks, nk, a->trials);
    for (int i = 0; i < nk; i++) {
        free(ks[i].memb);
    }
    if (a->igraph) {
        igraph_vector_int_destroy(&b.im);
        igraph_vector_destroy(&b.strength);
        igraph_vector_destroy(&b.w);
        igraph_destroy(&b.ig);
    }
    return bad;
}

int main(int argc, char **argv)
{
    args a;
    if (parse(&a, argc, argv)) {
        return 1;
    }
    igraph_set_error_handler(igraph_error_handler_ignore);
    pg_csr g;
    double t0 = now();
    if (a.input || a.pool) {
        if (a.input ? load_edges(&g, a.input) : load_pool(&g, a.pool, a.weight)) {
            return 2;
        }
    } else {
        uint32_t *truth = malloc((size_t)a.n * sizeof(*truth)), k;
        pg_planted p = {a.n, a.m, 0, 2.5, sqrt((double)a.n), 0.3, 1.5, 20, 1000, 1, a.seed};
        if (pg_planted_generate(&g, truth, &k, &p)) {
            fprintf(stderr, "generate: %s\n", pg_error_last());
            return 3;
        }
        printf("generated planted partition: %u communities, modularity %.6f\n", k,
               pg_modularity(&g, truth, 1.0));
        free(truth);
    }
    printf("graph: %u vertices, %lld entries, load %.3f s, trials %d, seed %llu\n", g.n,
           (long long)g.m, now() - t0, a.trials, (unsigned long long)a.seed);
    int bad = run_all(&a, &g);
    pg_csr_free(&g);
    return bad ? 4 : 0;
}
