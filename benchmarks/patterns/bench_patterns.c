/*
 * Pattern detectors benchmark: typology detection and FRAUDAR on a synthetic
 * temporal payment graph (ordinary accounts paying a small circle and, rarely,
 * a stranger; planted fan-outs and cycles).
 *
 *   bench_patterns [--accounts N] [--days D] [--trials T] [--seed S]
 *                  [--threads K] [--verify]
 *
 * Each timed step runs --trials times; median and minimum are printed, the
 * graph build apart from the kernels. --verify checks that every planted
 * fan-out and cycle is found and that 1 and K threads give identical lists.
 * igraph has no typology or FRAUDAR kernel; as a reference for the cost of
 * one pass over the graph, igraph_degree on the same edges is timed.
 */
#include <igraph/igraph.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "algo/rings/patterns.h"
#include "core/rng.h"

#define DAY 86400
#define T0 1700000000LL

typedef struct txns {
    size_t m, cap;
    uint32_t *src, *dst;
    int64_t *ts, *amount;
} txns;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void stats(double *t, int k, double *median, double *min)
{
    qsort(t, (size_t)k, sizeof(double), cmp_d);
    *median = t[k / 2];
    *min = t[0];
}

static void add(txns *t, uint32_t s, uint32_t d, int64_t ts, int64_t amount)
{
    if (t->m == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 1 << 16;
        t->src = realloc(t->src, t->cap * sizeof(uint32_t));
        t->dst = realloc(t->dst, t->cap * sizeof(uint32_t));
        t->ts = realloc(t->ts, t->cap * sizeof(int64_t));
        t->amount = realloc(t->amount, t->cap * sizeof(int64_t));
        if (!t->src || !t->dst || !t->ts || !t->amount) {
            fprintf(stderr, "out of memory\n");
            exit(2);
        }
    }
    t->src[t->m] = s;
    t->dst[t->m] = d;
    t->ts[t->m] = ts;
    t->amount[t->m++] = amount;
}

/* Planted patterns use accounts [n, n + 16 * planted): no history, no overlap. */
static void generate(txns *t, uint32_t n, int days, uint64_t seed, uint32_t planted)
{
    for (uint32_t a = 0; a < n; a++) {
        pg_rng r;
        pg_rng_init(&r, seed, a);
        uint32_t circle[5];
        for (int i = 0; i < 5; i++) {
            circle[i] = (uint32_t)pg_rng_below(&r, n);
        }
        for (int d = 0; d < days; d++) {
            if (pg_rng_below(&r, 7) < 2) {
                add(t, a, circle[pg_rng_below(&r, 5)],
                    T0 + (int64_t)d * DAY + (int64_t)pg_rng_below(&r, DAY),
                    1000 + (int64_t)pg_rng_below(&r, 19000));
            }
            if (pg_rng_below(&r, 100) == 0) {
                add(t, a, (uint32_t)pg_rng_below(&r, n), T0 + (int64_t)d * DAY, 5000);
            }
        }
    }
    for (uint32_t p = 0; p < planted; p++) {
        uint32_t b = n + 16 * p;
        int64_t t0 = T0 + (int64_t)(30 + p % (uint32_t)(days - 60)) * DAY;
        for (uint32_t k = 1; k <= 5; k++) {
            add(t, b, b + k, t0 + 3600 * k, 9000); /* fan-out of 5 */
        }
        for (uint32_t k = 0; k < 4; k++) {
            add(t, b + 8 + k, b + 8 + (k + 1) % 4, t0 + DAY * k, 9000); /* 4-cycle */
        }
    }
}

static int found(const pg_candidates *cs, const char *ty, uint32_t v)
{
    for (size_t i = 0; i < cs->n; i++) {
        if (!strcmp(cs->c[i].typology, ty) && cs->c[i].vertices[0] == v) {
            return 1;
        }
    }
    return 0;
}

static int same(const pg_candidates *a, const pg_candidates *b)
{
    if (a->n != b->n) {
        return 0;
    }
    for (size_t i = 0; i < a->n; i++) {
        const pg_candidate *x = &a->c[i], *y = &b->c[i];
        if (strcmp(x->typology, y->typology) || x->n != y->n || x->n_txn != y->n_txn ||
            x->strength != y->strength ||
            memcmp(x->vertices, y->vertices, x->n * sizeof(uint32_t)) ||
            (x->n_txn && memcmp(x->txn, y->txn, x->n_txn * sizeof(uint32_t)))) {
            return 0;
        }
    }
    return 1;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Aggregated edges (count only) for FRAUDAR. */
static void build_agg(pg_agg *g, const txns *t, uint32_t n)
{
    uint64_t *p = malloc(t->m * sizeof(uint64_t));
    for (size_t i = 0; i < t->m; i++) {
        p[i] = ((uint64_t)t->src[i] << 32) | t->dst[i];
    }
    qsort(p, t->m, sizeof(uint64_t), cmp_u64);
    memset(g, 0, sizeof(*g));
    g->n = n;
    g->offsets = calloc((size_t)n + 1, sizeof(int64_t));
    g->dst = malloc(t->m * sizeof(uint32_t));
    g->count = calloc(t->m, sizeof(uint32_t));
    size_t k = 0;
    for (size_t i = 0; i < t->m; i++) {
        if (k == 0 || p[i] != p[i - 1]) {
            g->dst[k] = (uint32_t)p[i];
            g->offsets[(p[i] >> 32) + 1]++;
            k++;
        }
        g->count[k - 1]++;
    }
    for (uint32_t v = 0; v < n; v++) {
        g->offsets[v + 1] += g->offsets[v];
    }
    g->m = (int64_t)k;
    free(p);
}

static double time_igraph_degree(const txns *t, uint32_t n)
{
    igraph_vector_int_t e, deg;
    igraph_t g;
    igraph_vector_int_init(&e, (igraph_integer_t)(2 * t->m));
    for (size_t i = 0; i < t->m; i++) {
        VECTOR(e)[2 * i] = t->src[i];
        VECTOR(e)[2 * i + 1] = t->dst[i];
    }
    igraph_create(&g, &e, (igraph_integer_t)n, IGRAPH_DIRECTED);
    igraph_vector_int_init(&deg, 0);
    double t0 = now();
    igraph_degree(&g, &deg, igraph_vss_all(), IGRAPH_ALL, IGRAPH_LOOPS);
    double dt = now() - t0;
    igraph_vector_int_destroy(&deg);
    igraph_destroy(&g);
    igraph_vector_int_destroy(&e);
    return dt;
}

int main(int argc, char **argv)
{
    uint32_t accounts = 40000, planted = 100;
    int days = 180, trials = 3, threads = 0, verify = 0;
    uint64_t seed = 1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--accounts") && i + 1 < argc) {
            accounts = (uint32_t)strtoul(argv[++i], NULL, 10);
        } else if (!strcmp(argv[i], "--days") && i + 1 < argc) {
            days = (int)strtol(argv[++i], NULL, 10);
        } else if (!strcmp(argv[i], "--trials") && i + 1 < argc) {
            trials = (int)strtol(argv[++i], NULL, 10);
        } else if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
            seed = strtoull(argv[++i], NULL, 10);
        } else if (!strcmp(argv[i], "--threads") && i + 1 < argc) {
            threads = (int)strtol(argv[++i], NULL, 10);
        } else if (!strcmp(argv[i], "--verify")) {
            verify = 1;
        } else {
            fprintf(stderr,
                    "usage: %s [--accounts N] [--days D] [--trials T] [--seed S] "
                    "[--threads K] [--verify]\n",
                    argv[0]);
            return 2;
        }
    }
    if (trials < 1 || trials > 64 || days < 90 || accounts < 100) {
        fprintf(stderr, "bench_patterns: trials 1..64, days >= 90, accounts >= 100\n");
        return 2;
    }
    igraph_set_error_handler(igraph_error_handler_ignore);
    uint32_t n = accounts + 16 * planted;
    txns t = {0};
    double t0 = now();
    generate(&t, accounts, days, seed, planted);
    pg_tadj out, in;
    if (pg_tadj_build(&out, n, (int64_t)t.m, t.src, t.ts, threads) ||
        pg_tadj_build(&in, n, (int64_t)t.m, t.dst, t.ts, threads)) {
        fprintf(stderr, "bench_patterns: %s\n", pg_error_last());
        return 1;
    }
    pg_tview tv = {n, (int64_t)t.m, t.src, t.dst, t.ts, t.amount, &out, &in};
    pg_agg agg;
    build_agg(&agg, &t, n);
    printf(
        "graph: %u vertices, %zu transactions, %lld edges, threads %d, seed %llu, build %.2f s\n",
        n, t.m, (long long)agg.m, pg_threads_resolve(threads), (unsigned long long)seed,
        now() - t0);

    double ty[64], fr[64], med, min;
    pg_typology_options to;
    pg_typology_options_init(&to);
    to.threads = threads;
    pg_fraudar_options fo;
    pg_fraudar_options_init(&fo);
    pg_candidates keep;
    pg_candidates_init(&keep);
    int status = 0;
    for (int k = 0; k < trials; k++) {
        pg_candidates cs;
        pg_candidates_init(&cs);
        double a = now();
        status |= pg_rings__typologies(&cs, &tv, &to);
        ty[k] = now() - a;
        a = now();
        status |= pg_rings__fraudar(&cs, &agg, NULL, &fo);
        fr[k] = now() - a;
        if (k == 0) {
            keep = cs;
        } else {
            pg_candidates_free(&cs);
        }
    }
    if (status) {
        fprintf(stderr, "bench_patterns: %s\n", pg_error_last());
        return 1;
    }
    stats(ty, trials, &med, &min);
    printf("typologies      median %7.3f s  min %7.3f s  %6.1f M txn/s  (%zu candidates)\n", med,
           min, (double)t.m / med / 1e6, keep.n);
    stats(fr, trials, &med, &min);
    printf("fraudar (1 blk) median %7.3f s  min %7.3f s\n", med, min);
    printf("igraph_degree   %7.3f s (one pass, reference)\n", time_igraph_degree(&t, n));

    int rc = 0;
    if (verify) {
        uint32_t miss = 0;
        for (uint32_t p = 0; p < planted; p++) {
            miss += !found(&keep, "fan-out", accounts + 16 * p);
            miss += !found(&keep, "cycle", accounts + 16 * p + 8);
        }
        pg_candidates one;
        pg_candidates_init(&one);
        to.threads = 1;
        pg_rings__typologies(&one, &tv, &to);
        pg_rings__fraudar(&one, &agg, NULL, &fo);
        int det = same(&one, &keep);
        printf("verify: %u of %u planted patterns missed; 1 thread %s\n", miss, 2 * planted,
               det ? "identical" : "DIFFERENT");
        rc = miss == 0 && det ? 0 : 1;
        pg_candidates_free(&one);
    }
    pg_candidates_free(&keep);
    pg_tadj_free(&out);
    pg_tadj_free(&in);
    free(agg.offsets);
    free(agg.dst);
    free(agg.count);
    free(t.src);
    free(t.dst);
    free(t.ts);
    free(t.amount);
    return rc;
}
