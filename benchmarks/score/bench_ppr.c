/*
 * Personalized PageRank benchmark: pg_ppr against igraph_personalized_pagerank
 * (PRPACK) on the same graph in the same process.
 *
 * Input: a seeded degree-corrected planted partition, directed and
 * weighted. Every vertex v gets a propensity theta_v = u^(-1/1.5) (u uniform
 * in (0,1], a Pareto tail of exponent 2.5, capped at 1000) and a block
 * (K contiguous blocks). Each edge picks its source with probability
 * proportional to theta; with probability mu the target is drawn from the
 * source's block, otherwise from the whole graph, again in proportion to
 * theta. Weights are uniform in [1, 100). Vertices that are never drawn as a
 * source are dangling. The personalization is 100 sources spread evenly
 * with weights 1..100.
 *
 * Usage: bench_ppr [--n N] [--m M] [--blocks K] [--mu MU] [--seed S]
 *                  [--trials T] [--threads T1,T2,...] [--verify]
 * Prints build time, then per thread count the median and minimum kernel
 * time over the trials, the igraph median and minimum, and the L1 distance
 * between the two results. --verify also runs pg_ppr_verify.
 */
#include <igraph/igraph.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/rng.h"
#include "paygraph/score.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int dbl_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* First index in cum[lo..hi) with cum[i] > x (cum is a prefix sum). */
static uint32_t pick(const double *cum, uint32_t lo, uint32_t hi, double x)
{
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (cum[mid] <= x) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

typedef struct bench_graph {
    uint32_t n;
    int64_t m;
    uint32_t *src, *dst;
    double *w;
} bench_graph;

static void generate(bench_graph *bg, uint32_t n, int64_t m, uint32_t k, double mu, uint64_t seed)
{
    pg_rng r;
    pg_rng_init(&r, seed, 0);
    double *cum = malloc(n * sizeof(double)); /* cum[v] = theta_0 + ... + theta_v */
    double acc = 0.0;
    for (uint32_t v = 0; v < n; v++) {
        double theta = pow(1.0 - pg_rng_uniform(&r), -1.0 / 1.5);
        acc += theta < 1000.0 ? theta : 1000.0;
        cum[v] = acc;
    }
    bg->n = n;
    bg->m = m;
    bg->src = malloc((size_t)m * sizeof(uint32_t));
    bg->dst = malloc((size_t)m * sizeof(uint32_t));
    bg->w = malloc((size_t)m * sizeof(double));
    for (int64_t e = 0; e < m; e++) {
        uint32_t s = pick(cum, 0, n, pg_rng_uniform(&r) * acc);
        uint32_t d;
        if (pg_rng_uniform(&r) < mu) {
            uint32_t b = (uint32_t)((uint64_t)s * k / n);
            uint32_t lo = (uint32_t)(((uint64_t)b * n + k - 1) / k);
            uint32_t hi = (uint32_t)(((uint64_t)(b + 1) * n + k - 1) / k);
            double base = lo ? cum[lo - 1] : 0.0;
            d = pick(cum, lo, hi, base + pg_rng_uniform(&r) * (cum[hi - 1] - base));
            d = d < hi ? d : hi - 1;
        } else {
            d = pick(cum, 0, n, pg_rng_uniform(&r) * acc);
        }
        bg->src[e] = s < n ? s : n - 1;
        bg->dst[e] = d < n ? d : n - 1;
        bg->w[e] = 1.0 + 99.0 * pg_rng_uniform(&r);
    }
    free(cum);
}

static double median(double *t, int k)
{
    qsort(t, (size_t)k, sizeof(double), dbl_cmp);
    return (k & 1) ? t[k / 2] : (t[k / 2 - 1] + t[k / 2]) / 2.0;
}

/* igraph baseline: median and min over trials; result into out. */
static int run_igraph(double *med, double *min, double *out, const bench_graph *bg,
                      const double *reset, int trials)
{
    igraph_vector_int_t edges;
    igraph_vector_int_init(&edges, 2 * bg->m);
    for (int64_t i = 0; i < bg->m; i++) {
        VECTOR(edges)[2 * i] = bg->src[i];
        VECTOR(edges)[2 * i + 1] = bg->dst[i];
    }
    igraph_t g;
    igraph_vector_t w, r, res;
    if (igraph_create(&g, &edges, bg->n, 1) != IGRAPH_SUCCESS) {
        return -1;
    }
    igraph_vector_view(&w, bg->w, bg->m);
    igraph_vector_view(&r, reset, bg->n);
    igraph_vector_init(&res, 0);
    double *t = malloc((size_t)trials * sizeof(double));
    int rc = 0;
    for (int i = 0; i < trials && rc == 0; i++) {
        igraph_real_t value;
        double t0 = now();
        rc = igraph_personalized_pagerank(&g, IGRAPH_PAGERANK_ALGO_PRPACK, &res, &value,
                                          igraph_vss_all(), 1, 0.85, &r, &w, NULL);
        t[i] = now() - t0;
    }
    for (uint32_t v = 0; rc == 0 && v < bg->n; v++) {
        out[v] = VECTOR(res)[v];
    }
    *min = t[0];
    for (int i = 1; i < trials; i++) {
        *min = t[i] < *min ? t[i] : *min;
    }
    *med = median(t, trials);
    free(t);
    igraph_vector_destroy(&res);
    igraph_destroy(&g);
    igraph_vector_int_destroy(&edges);
    return rc;
}

int main(int argc, char **argv)
{
    uint32_t n = 100000, k = 100;
    int64_t m = 1000000;
    double mu = 0.8;
    uint64_t seed = 1;
    int trials = 5, verify = 0, nthreads = 0, threads[8];
    const char *tlist = "1,2";
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : "";
        if (!strcmp(a, "--verify")) {
            verify = 1;
            continue;
        }
        if (!strcmp(a, "--n")) {
            n = (uint32_t)strtoul(v, NULL, 10);
        } else if (!strcmp(a, "--m")) {
            m = strtoll(v, NULL, 10);
        } else if (!strcmp(a, "--blocks")) {
            k = (uint32_t)strtoul(v, NULL, 10);
        } else if (!strcmp(a, "--mu")) {
            mu = strtod(v, NULL);
        } else if (!strcmp(a, "--seed")) {
            seed = strtoull(v, NULL, 10);
        } else if (!strcmp(a, "--trials")) {
            trials = (int)strtol(v, NULL, 10);
        } else if (!strcmp(a, "--threads")) {
            tlist = v;
        } else {
            fprintf(stderr, "usage: bench_ppr [--n N] [--m M] [--blocks K] [--mu MU] [--seed S] "
                            "[--trials T] [--threads 1,2] [--verify]\n");
            return 1;
        }
        i++;
    }
    for (const char *p = tlist; *p && nthreads < 8;) {
        char *end;
        threads[nthreads++] = (int)strtol(p, &end, 10);
        p = *end == ',' ? end + 1 : end;
        if (end == p) {
            break;
        }
    }
    if (trials < 1 || n < 2 || m < 1 || k < 1 || k > n) {
        fprintf(stderr, "bench_ppr: bad arguments\n");
        return 1;
    }
    igraph_set_error_handler(igraph_error_handler_ignore);

    double t0 = now();
    bench_graph bg;
    generate(&bg, n, m, k, mu, seed);
    double t_gen = now() - t0;
    t0 = now();
    pg_csr g, gin;
    if (pg_csr_from_edges(&g, n, m, bg.src, bg.dst, bg.w, 0, 0) < 0 ||
        pg_csr_from_edges(&gin, n, m, bg.dst, bg.src, bg.w, 0, 0) < 0) {
        fprintf(stderr, "bench_ppr: %s\n", pg_error_last());
        return 1;
    }
    double t_csr = now() - t0;
    uint32_t src[100];
    double sw[100], *reset = calloc(n, sizeof(double));
    uint32_t dangling = 0;
    for (int i = 0; i < 100; i++) {
        src[i] = (uint32_t)((uint64_t)i * n / 100);
        sw[i] = i + 1;
        reset[src[i]] += sw[i];
    }
    for (uint32_t v = 0; v < n; v++) {
        dangling += g.offsets[v + 1] == g.offsets[v];
    }
    printf("graph: n=%u m=%lld blocks=%u mu=%.2f seed=%llu dangling=%u; generate %.3f s, "
           "out+in CSR %.3f s\n",
           n, (long long)m, k, mu, (unsigned long long)seed, dangling, t_gen, t_csr);

    double *ours = malloc(n * sizeof(double)), *theirs = malloc(n * sizeof(double));
    double ig_med, ig_min;
    if (run_igraph(&ig_med, &ig_min, theirs, &bg, reset, trials) != 0) {
        fprintf(stderr, "bench_ppr: igraph failed\n");
        return 1;
    }
    printf("igraph_personalized_pagerank (PRPACK): median %.4f s, min %.4f s (%d trials)\n", ig_med,
           ig_min, trials);
    double *t = malloc((size_t)trials * sizeof(double));
    for (int ti = 0; ti < nthreads; ti++) {
        pg_ppr_options o;
        for (int i = 0; i < trials; i++) {
            pg_ppr_options_init(&o);
            o.threads = threads[ti];
            double s = now();
            if (pg_ppr(ours, &g, &gin, src, sw, 100, &o) < 0) {
                fprintf(stderr, "bench_ppr: %s\n", pg_error_last());
                return 1;
            }
            t[i] = now() - s;
        }
        double tmin = t[0], l1 = 0.0;
        for (int i = 1; i < trials; i++) {
            tmin = t[i] < tmin ? t[i] : tmin;
        }
        for (uint32_t v = 0; v < n; v++) {
            l1 += fabs(ours[v] - theirs[v]);
        }
        printf("pg_ppr threads=%d: median %.4f s, min %.4f s, %d iterations, L1 vs igraph %.2e",
               threads[ti], median(t, trials), tmin, o.iterations, l1);
        if (verify) {
            int rc = pg_ppr_verify(ours, &g, src, sw, 100, 0.85, 1, 1e-8);
            printf(", verify %s", rc == 0 ? "ok" : pg_error_last());
        }
        printf("\n");
    }
    free(t);
    free(ours);
    free(theirs);
    free(reset);
    free(bg.src);
    free(bg.dst);
    free(bg.w);
    pg_csr_free(&g);
    pg_csr_free(&gin);
    return 0;
}
