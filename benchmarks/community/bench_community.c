/*
 * Benchmark driver: paygraph Leiden and Louvain (at each requested thread
 * count) against igraph's Leiden (modularity objective, n_iterations = 2,
 * beta = 0.01) and igraph's multilevel, in one process on one graph.
 *
 * Input: an undirected weighted edge list (`u v w` per line, vertex ids
 * 0-based, w optional) with --input, or a generated degree-corrected
 * planted-partition graph (tests/support/community_planted.h) with --n/--m.
 * Loading and conversion are timed apart from the kernels. Each kernel runs
 * --trials times; the median and minimum times and the modularity
 * (recomputed by pg_modularity) are printed. --verify checks every paygraph
 * result with pg_partition_verify (Leiden: connected communities) and that
 * the memberships are identical across thread counts.
 *
 *   bench_community --n 100000 --m 1000000 [--trials 3] [--seed 1]
 *                   [--threads 1,2] [--batch B] [--iterations I] [--only leiden|louvain] [--verify]
 * [--no-igraph]
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
    int iterations;
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

static void report(const char *name, double *t, int trials, double q, uint32_t k)
{
    qsort(t, (size_t)trials, sizeof(*t), cmp_double);
    double median = trials % 2 ? t[trials / 2] : 0.5 * (t[trials / 2 - 1] + t[trials / 2]);
    printf("%-26s median %8.3f s  min %8.3f s  modularity %.6f  communities %u\n", name, median,
           t[0], q, k);
    fflush(stdout);
}

static int usage(void)
{
    fprintf(stderr, "usage: bench_community (--input EDGES | --n N --m M) [--trials T] "
                    "[--seed S] [--threads 1,2] [--batch B] [--iterations I] [--only "
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
    if (a->trials < 1 || a->trials > MAX_TRIALS || (!a->input && (a->n == 0 || a->m <= 0))) {
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

/* paygraph runs; keeps the membership of the first thread count in ref for --verify. */
static int run_paygraph(const args *a, const pg_csr *g, pg_community_algorithm alg)
{
    uint32_t *memb = malloc((size_t)g->n * sizeof(*memb));
    uint32_t *ref = malloc((size_t)g->n * sizeof(*ref));
    int bad = 0;
    for (int ti = 0; ti < a->nthreads; ti++) {
        double t[MAX_TRIALS];
        pg_community_result res = {0};
        pg_community_options o;
        pg_community_options_init(&o);
        o.algorithm = alg;
        o.seed = a->seed;
        o.threads = a->threads[ti];
        o.batch_size = a->batch;
        if (a->iterations > 0) {
            o.iterations = a->iterations;
        }
        for (int k = 0; k < a->trials; k++) {
            double t0 = now();
            int err = pg_communities(memb, &res, g, &o);
            t[k] = now() - t0;
            if (err) {
                fprintf(stderr, "pg_communities: %s\n", pg_error_last());
                bad = 1;
            }
        }
        char name[64];
        snprintf(name, sizeof(name), "paygraph %s (%d thr)",
                 alg == PG_COMMUNITY_LEIDEN ? "leiden" : "louvain", a->threads[ti]);
        report(name, t, a->trials, res.modularity, res.count);
        if (a->verify) {
            int err = pg_partition_verify(g, memb, alg == PG_COMMUNITY_LEIDEN);
            int same = ti == 0 || !memcmp(memb, ref, (size_t)g->n * sizeof(*memb));
            double q = pg_modularity(g, memb, 1.0);
            printf("  verify: partition %s, modularity recomputed %.6f, %s\n",
                   err ? pg_error_last() : "ok", q,
                   same ? "membership identical to first thread count" : "MEMBERSHIP DIFFERS");
            bad |= err != 0 || !same;
        }
        if (ti == 0) {
            memcpy(ref, memb, (size_t)g->n * sizeof(*memb));
        }
    }
    free(memb);
    free(ref);
    return bad;
}

static void run_igraph(const args *a, const pg_csr *g)
{
    igraph_t ig;
    igraph_vector_t w, strength;
    double t0 = now();
    to_igraph(&ig, &w, &strength, g);
    printf("%-26s %8.3f s (not in the kernel times)\n", "igraph conversion", now() - t0);
    double two_m = igraph_vector_sum(&strength);
    igraph_vector_int_t im;
    igraph_vector_int_init(&im, 0);
    uint32_t *memb = malloc((size_t)g->n * sizeof(*memb));
    double t[MAX_TRIALS];
    for (int pass = 0; pass < 2; pass++) {
        igraph_integer_t nc = 0;
        igraph_real_t quality;
        igraph_rng_seed(igraph_rng_default(), a->seed);
        for (int k = 0; k < a->trials; k++) {
            t0 = now();
            if (pass == 0) {
                igraph_community_leiden(&ig, &w, &strength, 1.0 / two_m, 0.01, 0, 2, &im, &nc,
                                        &quality);
            } else {
                igraph_community_multilevel(&ig, &w, 1.0, &im, NULL, NULL);
            }
            t[k] = now() - t0;
        }
        uint32_t k = 0;
        for (uint32_t v = 0; v < g->n; v++) {
            memb[v] = (uint32_t)VECTOR(im)[v];
            k = memb[v] + 1 > k ? memb[v] + 1 : k;
        }
        report(pass == 0 ? "igraph leiden (n_iter 2)" : "igraph multilevel", t, a->trials,
               pg_modularity(g, memb, 1.0), k);
    }
    free(memb);
    igraph_vector_int_destroy(&im);
    igraph_vector_destroy(&strength);
    igraph_vector_destroy(&w);
    igraph_destroy(&ig);
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
    if (a.input) {
        if (load_edges(&g, a.input)) {
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
    int bad = 0;
    if (a.leiden) {
        bad |= run_paygraph(&a, &g, PG_COMMUNITY_LEIDEN);
    }
    if (a.louvain) {
        bad |= run_paygraph(&a, &g, PG_COMMUNITY_LOUVAIN);
    }
    if (a.igraph) {
        run_igraph(&a, &g);
    }
    pg_csr_free(&g);
    return bad ? 4 : 0;
}
