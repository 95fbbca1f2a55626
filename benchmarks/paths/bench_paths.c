/*
 * Path kernel benchmark: multi-source BFS (1 and 100 sources), single-source
 * Dijkstra and delta-stepping against igraph_distances and
 * igraph_distances_dijkstra on the same graph in the same process, and
 * temporal cycle enumeration on a synthetic payment stream with planted
 * round trips. Each kernel runs --trials times per thread count; the median
 * and minimum wall times are printed. Graph generation and igraph_t
 * construction are timed apart from the kernels. --verify runs every
 * kernel's verifier and compares distances with igraph's.
 *
 * Graph: degree-corrected planted partition (see RESULTS.md) or a `u v w`
 * edge list (--edges FILE), undirected.
 */
#include <igraph.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/rng.h"
#include "paygraph/igraph_bridge.h"
#include "paygraph/paygraph.h"

#define MAX_TRIALS 64

typedef struct args {
    uint32_t n;
    int64_t m;
    uint32_t communities;
    double mix;
    uint64_t seed;
    int trials;
    int threads[8];
    int nthreads;
    int verify;
    const char *edges;
    int64_t tm;        /* temporal transactions; 0 skips the temporal part */
    const char *world; /* transactions file: time the cycle searches on it instead */
    int igraph_multi;
    double delta; /* delta-stepping bucket width; 0: the library default */
} args;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int dcmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void report(const char *what, int threads, double *t, int k)
{
    qsort(t, (size_t)k, sizeof(*t), dcmp);
    double med = k % 2 ? t[k / 2] : 0.5 * (t[k / 2 - 1] + t[k / 2]);
    printf("%-42s threads=%d  median %9.4f s  min %9.4f s  (%d trials)\n", what, threads, med, t[0],
           k);
    fflush(stdout);
}

static void die(const char *what, int rc)
{
    fprintf(stderr, "bench_paths: %s: %s (%s)\n", what, pg_error_last(), pg_strerror(rc));
    exit(1);
}

/*
 * Degree-corrected planted partition: vertex v has community v % C and a
 * propensity theta_v drawn from a Pareto law (shape 2.5, so degrees are
 * heavy-tailed); each edge picks u with probability proportional to theta,
 * then v proportional to theta inside u's community with probability 1 - mix,
 * else over all vertices. Weights uniform in [1, 100).
 */
static void generate(args *a, uint32_t **src, uint32_t **dst, double **w)
{
    pg_rng r;
    pg_rng_init(&r, a->seed, 0);
    uint32_t n = a->n, C = a->communities;
    double *cum = malloc((size_t)n * sizeof(*cum)); /* cumulative theta in community-major order */
    uint32_t *order = malloc((size_t)n * sizeof(*order));
    uint32_t *cstart = calloc((size_t)C + 1, sizeof(*cstart));
    for (uint32_t v = 0; v < n; v++) {
        cstart[v % C + 1]++;
    }
    for (uint32_t c = 0; c < C; c++) {
        cstart[c + 1] += cstart[c];
    }
    double acc = 0.0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t c = 0;
        while (cstart[c + 1] <= i) {
            c++;
        }
        order[i] = c + C * (i - cstart[c]);
        acc += pow(1.0 - pg_rng_uniform(&r), -1.0 / 1.5);
        cum[i] = acc;
    }
    *src = malloc((size_t)a->m * 4);
    *dst = malloc((size_t)a->m * 4);
    *w = malloc((size_t)a->m * 8);
    for (int64_t e = 0; e < a->m; e++) {
        double x = pg_rng_uniform(&r) * acc;
        size_t lo = 0, hi = n - 1;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (cum[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        uint32_t u = order[lo], c = u % C;
        size_t b0 = 0, b1 = n - 1;
        if (pg_rng_uniform(&r) >= a->mix) {
            b0 = cstart[c];
            b1 = cstart[c + 1] - 1;
        }
        double base = b0 ? cum[b0 - 1] : 0.0;
        double y = base + pg_rng_uniform(&r) * (cum[b1] - base);
        lo = b0;
        hi = b1;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (cum[mid] < y) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        (*src)[e] = u;
        (*dst)[e] = order[lo];
        (*w)[e] = 1.0 + 99.0 * pg_rng_uniform(&r);
    }
    free(cum);
    free(order);
    free(cstart);
}

static void read_edges(args *a, uint32_t **src, uint32_t **dst, double **w)
{
    FILE *f = fopen(a->edges, "r");
    if (!f) {
        perror(a->edges);
        exit(1);
    }
    size_t cap = 1 << 20;
    *src = malloc(cap * 4);
    *dst = malloc(cap * 4);
    *w = malloc(cap * 8);
    unsigned long u, v;
    double x;
    a->m = 0;
    a->n = 0;
    while (fscanf(f, "%lu %lu %lf", &u, &v, &x) == 3) {
        if ((size_t)a->m == cap) {
            cap *= 2;
            *src = realloc(*src, cap * 4);
            *dst = realloc(*dst, cap * 4);
            *w = realloc(*w, cap * 8);
        }
        (*src)[a->m] = (uint32_t)u;
        (*dst)[a->m] = (uint32_t)v;
        (*w)[a->m++] = x;
        a->n = u + 1 > a->n ? (uint32_t)u + 1 : a->n;
        a->n = v + 1 > a->n ? (uint32_t)v + 1 : a->n;
    }
    fclose(f);
}

typedef struct ctx {
    args *a;
    pg_csr g;
    igraph_t ig;
    igraph_vector_t w;
    uint32_t src100[100];
} ctx;

static void bench_bfs(ctx *c, size_t ns)
{
    double t[MAX_TRIALS];
    char name[64];
    igraph_matrix_t d;
    igraph_matrix_init(&d, 0, 0);
    igraph_vector_int_t from;
    igraph_vector_int_init(&from, (igraph_integer_t)ns);
    for (size_t i = 0; i < ns; i++) {
        VECTOR(from)[i] = c->src100[i];
    }
    int itrials = ns > 1 ? c->a->igraph_multi : c->a->trials;
    for (int k = 0; k < itrials; k++) {
        double t0 = now();
        igraph_distances(&c->ig, &d, igraph_vss_vector(&from), igraph_vss_all(), IGRAPH_ALL);
        t[k] = now() - t0;
    }
    snprintf(name, sizeof(name), "igraph_distances (%zu src)", ns);
    if (itrials > 0) {
        report(name, 1, t, itrials);
    }
    for (int ti = 0; ti < c->a->nthreads; ti++) {
        pg_bfs_options o;
        pg_bfs_options_init(&o);
        o.threads = c->a->threads[ti];
        pg_bfs_result r;
        for (int k = 0; k < c->a->trials; k++) {
            double t0 = now();
            int rc = pg_bfs(&r, &c->g, &c->g, c->src100, ns, &o);
            t[k] = now() - t0;
            if (rc < 0) {
                die("pg_bfs", rc);
            }
            if (c->a->verify && k == 0) {
                if ((rc = pg_bfs_verify(&r, &c->g, &c->g, c->src100, ns, PG_DIR_FORWARD)) < 0) {
                    die("pg_bfs_verify", rc);
                }
                for (uint32_t v = 0; itrials > 0 && v < c->g.n; v++) {
                    double best = INFINITY;
                    for (size_t i = 0; i < ns; i++) {
                        best = fmin(best, MATRIX(d, (igraph_integer_t)i, v));
                    }
                    if ((isinf(best) ? -1 : (int)best) != r.depth[v]) {
                        fprintf(stderr, "bench_paths: BFS depth of %u differs from igraph\n", v);
                        exit(1);
                    }
                }
            }
            pg_bfs_result_free(&r);
        }
        snprintf(name, sizeof(name), "pg_bfs (%zu src)", ns);
        report(name, o.threads, t, c->a->trials);
    }
    igraph_vector_int_destroy(&from);
    igraph_matrix_destroy(&d);
}

static void bench_sssp(ctx *c)
{
    double t[MAX_TRIALS];
    uint32_t s = c->src100[0];
    igraph_matrix_t d;
    igraph_matrix_init(&d, 0, 0);
    for (int k = 0; k < c->a->trials; k++) {
        double t0 = now();
        igraph_distances_dijkstra(&c->ig, &d, igraph_vss_1(s), igraph_vss_all(), &c->w, IGRAPH_ALL);
        t[k] = now() - t0;
    }
    report("igraph_distances_dijkstra", 1, t, c->a->trials);
    const char *names[] = {"", "pg_sssp dijkstra", "pg_sssp delta-stepping"};
    for (int algo = PG_SSSP_DIJKSTRA; algo <= PG_SSSP_DELTA; algo++) {
        for (int ti = 0; ti < c->a->nthreads; ti++) {
            pg_sssp_options o;
            pg_sssp_options_init(&o);
            o.algo = (pg_sssp_algo)algo;
            o.threads = c->a->threads[ti];
            o.delta = c->a->delta;
            for (int k = 0; k < c->a->trials; k++) {
                pg_sssp_result r;
                double t0 = now();
                int rc = pg_sssp(&r, &c->g, s, &o);
                t[k] = now() - t0;
                if (rc < 0) {
                    die("pg_sssp", rc);
                }
                if (c->a->verify && k == 0) {
                    if ((rc = pg_sssp_verify(&r, &c->g, s)) < 0) {
                        die("pg_sssp_verify", rc);
                    }
                    for (uint32_t v = 0; v < c->g.n; v++) {
                        double x = MATRIX(d, 0, v);
                        if (isinf(x) ? !isinf(r.dist[v]) : fabs(x - r.dist[v]) > 1e-9 * x) {
                            fprintf(stderr, "bench_paths: distance of %u differs\n", v);
                            exit(1);
                        }
                    }
                }
                pg_sssp_result_free(&r);
            }
            report(names[algo], o.threads, t, c->a->trials);
        }
    }
    igraph_matrix_destroy(&d);
}

/*
 * Times pg_temporal_cycles (H = 4, W = 7 days, strict order) without and with
 * amount conservation (d = 10%) at each thread count. Cycles starting at a
 * transaction index >= plants_from are counted as planted (-1: none are).
 */
static void time_cycles(const args *a, const pg_tview *tv, int64_t plants_from)
{
    const int64_t DAY = 86400;
    for (int variant = 0; variant < 2; variant++) {
        for (int ti = 0; ti < a->nthreads; ti++) {
            pg_temporal_options o;
            pg_temporal_options_init(&o);
            o.threads = a->threads[ti];
            o.max_hops = 4;
            o.window = 7 * DAY;
            o.max_paths = 10000000;
            o.max_shrink_bp = variant ? 1000 : -1;
            double t[MAX_TRIALS];
            size_t count = 0, planted_found = 0;
            for (int k = 0; k < a->trials; k++) {
                pg_path_set ps;
                double s0 = now();
                int rc = pg_temporal_cycles(&ps, tv, &o);
                t[k] = now() - s0;
                if (rc < 0) {
                    die("pg_temporal_cycles", rc);
                }
                count = ps.count;
                planted_found = 0;
                for (size_t q = 0; plants_from >= 0 && q < ps.count; q++) {
                    planted_found += ps.txn[ps.off[q]] >= plants_from;
                }
                if (a->verify && k == 0 && (rc = pg_temporal_verify(&ps, tv, &o, 1)) < 0) {
                    die("pg_temporal_verify", rc);
                }
                pg_path_set_free(&ps);
            }
            char name[80];
            if (plants_from >= 0) {
                snprintf(name, sizeof(name), "cycles H=4 W=7d%s: %zu (%zu planted)",
                         variant ? " d=10%" : "", count, planted_found);
            } else {
                snprintf(name, sizeof(name), "cycles H=4 W=7d%s: %zu", variant ? " d=10%" : "",
                         count);
            }
            report(name, o.threads, t, a->trials);
        }
    }
}

/*
 * Temporal stream: tm random payments between n accounts over 90 days
 * (payers and payees drawn with Pareto weights, amounts log-uniform between
 * 10.00 and 5000.00), plus 1000 planted round trips of 2..4 hops that start
 * at random times, take 1 to 48 hours per hop and lose up to 5% per hop.
 */
static void bench_temporal(args *a)
{
    uint32_t n = a->n;
    int64_t planted = 1000, cap = a->tm + 4 * planted;
    uint32_t *src = malloc((size_t)cap * 4), *dst = malloc((size_t)cap * 4);
    int64_t *ts = malloc((size_t)cap * 8), *am = malloc((size_t)cap * 8);
    pg_rng r;
    pg_rng_init(&r, a->seed, 1);
    const int64_t T0 = 1767225600, DAY = 86400; /* 2026-01-01 */
    int64_t m = 0;
    for (; m < a->tm; m++) {
        src[m] = (uint32_t)((double)n * pow(pg_rng_uniform(&r), 2.0));
        dst[m] = (uint32_t)pg_rng_below(&r, n);
        ts[m] = T0 + (int64_t)pg_rng_below(&r, 90 * DAY);
        am[m] = (int64_t)(1000.0 * exp(pg_rng_uniform(&r) * log(500.0)));
    }
    for (int64_t p = 0; p < planted; p++) {
        int hops = 2 + (int)pg_rng_below(&r, 3);
        uint32_t ring[4];
        for (int h = 0; h < hops; h++) {
            ring[h] = (uint32_t)pg_rng_below(&r, n); /* repeats are rare and only lose a plant */
        }
        int64_t t = T0 + (int64_t)pg_rng_below(&r, 80 * DAY);
        int64_t amount = 100000 + (int64_t)pg_rng_below(&r, 900000);
        for (int h = 0; h < hops; h++, m++) {
            src[m] = ring[h];
            dst[m] = ring[(h + 1) % hops];
            t += 3600 + (int64_t)pg_rng_below(&r, 47 * 3600);
            ts[m] = t;
            am[m] = amount;
            amount -= (int64_t)pg_rng_below(&r, (uint64_t)amount / 20 + 1);
        }
    }
    pg_tadj out, in;
    double t0 = now();
    if (pg_tadj_build(&out, n, m, src, ts, 0) < 0 || pg_tadj_build(&in, n, m, dst, ts, 0) < 0) {
        die("pg_tadj_build", PG_ENOMEM);
    }
    printf("temporal stream: %u accounts, %lld payments (%lld planted round-trip payments), "
           "adjacency built in %.3f s\n",
           n, (long long)m, (long long)(m - a->tm), now() - t0);
    pg_tview tv = {n, m, src, dst, ts, am, &out, &in};
    time_cycles(a, &tv, a->tm);
    pg_tadj_free(&out);
    pg_tadj_free(&in);
    free(src);
    free(dst);
    free(ts);
    free(am);
}

/*
 * The same cycle searches over a payment world's transactions file (for
 * example `paygraph generate` output): ingested and built as the scan job
 * does, at account level, timed apart from loading.
 */
static void bench_world(args *a)
{
    const char *tp[1] = {a->world};
    pg_ingest_options io;
    pg_ingest_options_init(&io);
    io.transactions = tp;
    io.n_transactions = 1;
    io.threads = a->threads[a->nthreads - 1];
    io.checksums = 0;
    pg_pool *p = NULL;
    double t0 = now();
    int rc = pg_pool_ingest(&p, &io);
    if (rc < 0) {
        die("pg_pool_ingest", rc);
    }
    pg_graph g;
    pg_graph_options go;
    pg_graph_options_init(&go);
    go.threads = io.threads;
    if ((rc = pg_graph_build(&g, p, &go)) < 0) {
        die("pg_graph_build", rc);
    }
    pg_tview tv;
    pg_graph_tview(&g, p, &tv);
    printf("world %s: %u accounts, %lld payments, loaded in %.2f s\n", a->world, tv.n,
           (long long)tv.m, now() - t0);
    time_cycles(a, &tv, -1);
    pg_graph_free(&g);
    pg_pool_free(p);
}

static void usage(void)
{
    fprintf(stderr, "usage: bench_paths [--n N] [--m M] [--communities C] [--mix X] [--seed S]\n"
                    "  [--trials T] [--threads 1,2] [--verify] [--edges FILE]\n"
                    "  [--temporal-m M (0 skips)] [--igraph-multi-trials T] [--delta D]\n"
                    "  [--world TRANSACTIONS.csv (cycle searches on that file only)]\n");
    exit(1);
}

static void parse(args *a, int argc, char **argv)
{
    *a = (args){.n = 100000,
                .m = 1000000,
                .communities = 100,
                .mix = 0.2,
                .seed = 42,
                .trials = 5,
                .threads = {1, 2},
                .nthreads = 2,
                .tm = 1200000,
                .igraph_multi = 1};
    for (int i = 1; i < argc; i++) {
        const char *k = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(k, "--verify")) {
            a->verify = 1;
            continue;
        }
        if (!v) {
            usage();
        }
        i++;
        if (!strcmp(k, "--n")) {
            a->n = (uint32_t)strtoul(v, NULL, 10);
        } else if (!strcmp(k, "--m")) {
            a->m = strtoll(v, NULL, 10);
        } else if (!strcmp(k, "--communities")) {
            a->communities = (uint32_t)strtoul(v, NULL, 10);
        } else if (!strcmp(k, "--mix")) {
            a->mix = strtod(v, NULL);
        } else if (!strcmp(k, "--seed")) {
            a->seed = strtoull(v, NULL, 10);
        } else if (!strcmp(k, "--trials")) {
            a->trials = (int)strtol(v, NULL, 10);
        } else if (!strcmp(k, "--edges")) {
            a->edges = v;
        } else if (!strcmp(k, "--world")) {
            a->world = v;
        } else if (!strcmp(k, "--temporal-m")) {
            a->tm = strtoll(v, NULL, 10);
        } else if (!strcmp(k, "--delta")) {
            a->delta = strtod(v, NULL);
        } else if (!strcmp(k, "--igraph-multi-trials")) {
            a->igraph_multi = (int)strtol(v, NULL, 10);
        } else if (!strcmp(k, "--threads")) {
            a->nthreads = 0;
            for (char *p = (char *)v; *p && a->nthreads < 8;) {
                a->threads[a->nthreads++] = (int)strtol(p, &p, 10);
                p += *p == ',';
            }
        } else {
            usage();
        }
    }
    if (a->trials < 1 || a->trials > MAX_TRIALS || a->igraph_multi > MAX_TRIALS ||
        a->nthreads < 1 || a->n < 100 || a->communities < 1) {
        usage();
    }
}

int main(int argc, char **argv)
{
    args a;
    parse(&a, argc, argv);
    if (a.world) {
        bench_world(&a);
        return 0;
    }
    igraph_set_error_handler(igraph_error_handler_ignore);
    igraph_set_warning_handler(igraph_warning_handler_ignore);
    uint32_t *src, *dst;
    double *w;
    double t0 = now();
    if (a.edges) {
        read_edges(&a, &src, &dst, &w);
    } else {
        generate(&a, &src, &dst, &w);
    }
    ctx c = {.a = &a};
    int rc = pg_csr_from_edges(&c.g, a.n, a.m, src, dst, w, 1, 2);
    if (rc < 0) {
        die("pg_csr_from_edges", rc);
    }
    double t1 = now();
    if ((rc = pg_csr_to_igraph(&c.ig, &c.w, NULL, &c.g, NULL, 0, 0)) < 0) {
        die("pg_csr_to_igraph", rc);
    }
    printf("paygraph %s (%s); graph: %u vertices, %lld edges (%s), seed %llu; load %.2f s, "
           "igraph_t %.2f s\n",
           pg_version(), pg_build_commit(), a.n, (long long)a.m,
           a.edges ? a.edges : "planted partition", (unsigned long long)a.seed, t1 - t0,
           now() - t1);
    pg_rng r;
    pg_rng_init(&r, a.seed, 2);
    for (int i = 0; i < 100; i++) {
        c.src100[i] = (uint32_t)pg_rng_below(&r, a.n);
    }
    bench_bfs(&c, 1);
    bench_bfs(&c, 100);
    bench_sssp(&c);
    igraph_destroy(&c.ig);
    igraph_vector_destroy(&c.w);
    pg_csr_free(&c.g);
    free(src);
    free(dst);
    free(w);
    if (a.tm > 0) {
        bench_temporal(&a);
    }
    return 0;
}
