/*
 * Ingest benchmark: generates a transactions CSV of N rows (or reads one),
 * then measures in one process, on the same file:
 *   - raw read of the file (the I/O limit),
 *   - CSV parse into the pool (MB/s, rows/s),
 *   - graph build (all views),
 *   - pool write and pool load (HDF5),
 *   - igraph building a graph from the same edge list (igraph_create + simplify),
 *   - bytes per transaction of pool + graph (accounted) and peak RSS.
 * Each timed step runs --trials times; median and minimum are printed.
 *
 * usage: bench_ingest [--rows N] [--file F] [--threads T] [--trials K] [--seed S]
 *                     [--dir D] [--verify]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <igraph.h>

#include "core/rng.h"
#include "paygraph/paygraph.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void stats(double *t, int k, double *median, double *min)
{
    qsort(t, (size_t)k, sizeof(*t), cmp_double);
    *median = t[k / 2];
    *min = t[0];
}

/* A payment-like file: Zipf-ish payees, several institutions, some references. */
static void generate(const char *path, long long rows, uint64_t seed)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        exit(1);
    }
    static char buf[1 << 20];
    setvbuf(f, buf, _IOFBF, sizeof(buf));
    fputs("txn_id,timestamp,amount,currency,src_institution,src_account,dst_institution,"
          "dst_account,channel,dst_country,reference\n",
          f);
    const char *inst[] = {"BANK-A", "BANK-B", "BANK-C", "CU-D", "NEO-E", "WALLET-F", "REMIT-G"};
    const char *chan[] = {"card", "transfer", "wallet", "remittance", "bill"};
    const char *ref[] = {"", "groceries", "rent", "gift", "\"dinner, thanks\"", "invoice 4411"};
    long long accounts = rows / 10 > 1000 ? rows / 10 : 1000;
    pg_rng r;
    pg_rng_init(&r, seed, 0);
    for (long long i = 0; i < rows; i++) {
        uint64_t s = pg_rng_below(&r, (uint64_t)accounts);
        /* payees skewed: squaring a uniform favours small ids */
        double u = pg_rng_uniform(&r);
        uint64_t d = (uint64_t)(u * u * (double)accounts);
        fprintf(f, "T%lld,%lld,%llu.%02llu,AUD,%s,%llu,%s,%llu,%s,AU,%s\n", i,
                1767225600LL + (long long)pg_rng_below(&r, 90 * 86400),
                (unsigned long long)pg_rng_below(&r, 2000) + 1,
                (unsigned long long)pg_rng_below(&r, 100), inst[s % 7], (unsigned long long)s,
                inst[d % 7], (unsigned long long)d, chan[pg_rng_below(&r, 5)],
                ref[pg_rng_below(&r, 6)]);
    }
    fclose(f);
}

static double raw_read(const char *path)
{
    double t0 = now();
    FILE *f = fopen(path, "rb");
    static char buf[1 << 22];
    size_t got, total = 0;
    while ((got = fread(buf, 1, sizeof(buf), f)) > 0) {
        total += got;
    }
    fclose(f);
    (void)total;
    return now() - t0;
}

/* Every transaction column of a equals b's, byte for byte. */
static int same_txns(const pg_pool *a, const pg_pool *b)
{
    pg_txn_columns x, y;
    pg_pool_txns(a, &x);
    pg_pool_txns(b, &y);
    size_t n = (size_t)x.n;
#define SAME(col) (!memcmp(x.col, y.col, n * sizeof(*x.col)))
    int same = x.n == y.n && SAME(src) && SAME(dst) && SAME(ts) && SAME(amount) &&
               SAME(amount_rep) && SAME(flags) && SAME(currency) && SAME(channel) &&
               SAME(dst_country);
#undef SAME
    return same;
}

int main(int argc, char **argv)
{
    long long rows = 1000000;
    const char *file = NULL, *dir = "/tmp";
    int threads = 0, trials = 3, verify = 0;
    uint64_t seed = 1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--rows") && i + 1 < argc) {
            rows = atoll(argv[++i]);
        } else if (!strcmp(argv[i], "--file") && i + 1 < argc) {
            file = argv[++i];
        } else if (!strcmp(argv[i], "--threads") && i + 1 < argc) {
            threads = atoi(argv[++i]);
        } else if (!strcmp(argv[i], "--trials") && i + 1 < argc) {
            trials = atoi(argv[++i]);
        } else if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
            seed = strtoull(argv[++i], NULL, 10);
        } else if (!strcmp(argv[i], "--dir") && i + 1 < argc) {
            dir = argv[++i];
        } else if (!strcmp(argv[i], "--verify")) {
            verify = 1;
        } else {
            fprintf(stderr,
                    "usage: %s [--rows N] [--file F] [--threads T] [--trials K] "
                    "[--seed S] [--dir D] [--verify]\n",
                    argv[0]);
            return 1;
        }
    }
    igraph_set_error_handler(igraph_error_handler_ignore);
    threads = pg_threads_resolve(threads);
    char gen[4096], pool_path[4096];
    if (!file) {
        snprintf(gen, sizeof(gen), "%s/bench_ingest_%lld.csv", dir, rows);
        double t0 = now();
        generate(gen, rows, seed);
        printf("generated %s (%lld rows) in %.2f s\n", gen, rows, now() - t0);
        file = gen;
    }
    snprintf(pool_path, sizeof(pool_path), "%s/bench_ingest_pool.h5", dir);
    struct stat sb;
    stat(file, &sb);
    double mb = (double)sb.st_size / 1e6;
    printf("file %.1f MB, threads %d, trials %d, seed %llu\n", mb, threads, trials,
           (unsigned long long)seed);

    double t_raw[16], t_parse[16], t_build[16], t_save[16], t_load[16], t_ig[16];
    trials = trials > 16 ? 16 : trials;
    pg_pool *pool = NULL;
    pg_graph g;
    for (int k = 0; k < trials; k++) {
        t_raw[k] = raw_read(file);
        pg_ingest_options o;
        pg_ingest_options_init(&o);
        const char *files[1] = {file};
        o.transactions = files;
        o.n_transactions = 1;
        o.threads = threads;
        o.checksums = 0;
        pg_pool_free(pool);
        double t0 = now();
        if (pg_pool_ingest(&pool, &o) < 0) {
            fprintf(stderr, "ingest: %s\n", pg_error_last());
            return 1;
        }
        t_parse[k] = now() - t0;
        pg_graph_options go;
        pg_graph_options_init(&go);
        go.threads = threads;
        if (k) {
            pg_graph_free(&g);
        }
        t0 = now();
        if (pg_graph_build(&g, pool, &go) < 0) {
            fprintf(stderr, "graph: %s\n", pg_error_last());
            return 1;
        }
        t_build[k] = now() - t0;
        t0 = now();
        if (pg_pool_save(pool, pool_path, NULL) < 0) {
            fprintf(stderr, "save: %s\n", pg_error_last());
            return 1;
        }
        t_save[k] = now() - t0;
        pg_pool *loaded = NULL;
        t0 = now();
        if (pg_pool_load_threads(&loaded, pool_path, threads) < 0) {
            fprintf(stderr, "load: %s\n", pg_error_last());
            return 1;
        }
        t_load[k] = now() - t0;
        if (verify && !same_txns(loaded, pool)) {
            fprintf(stderr, "verify: loaded pool differs\n");
            return 1;
        }
        pg_pool_free(loaded);
        /* igraph baseline: the same edge list, create + simplify */
        pg_txn_columns t;
        pg_pool_txns(pool, &t);
        t0 = now();
        igraph_vector_int_t edges;
        igraph_vector_int_init(&edges, 2 * t.n);
        for (int64_t i = 0; i < t.n; i++) {
            VECTOR(edges)[2 * i] = t.src[i];
            VECTOR(edges)[2 * i + 1] = t.dst[i];
        }
        igraph_t ig;
        igraph_create(&ig, &edges, pg_pool_num_accounts(pool), IGRAPH_DIRECTED);
        igraph_simplify(&ig, true, true, NULL);
        t_ig[k] = now() - t0;
        igraph_destroy(&ig);
        igraph_vector_int_destroy(&edges);
    }
    double med, min;
    int64_t n = pg_pool_num_txns(pool);
    stats(t_raw, trials, &med, &min);
    printf("raw read        median %7.3f s  min %7.3f s  %8.0f MB/s\n", med, min, mb / med);
    stats(t_parse, trials, &med, &min);
    double parse_med = med;
    printf("csv parse       median %7.3f s  min %7.3f s  %8.0f MB/s  %6.2f M rows/s\n", med, min,
           mb / med, (double)n / med / 1e6);
    stats(t_build, trials, &med, &min);
    printf("graph build     median %7.3f s  min %7.3f s\n", med, min);
    stats(t_save, trials, &med, &min);
    printf("pool write      median %7.3f s  min %7.3f s\n", med, min);
    stats(t_load, trials, &med, &min);
    printf("pool load       median %7.3f s  min %7.3f s  (%.1fx faster than parse)\n", med, min,
           parse_med / med);
    stats(t_ig, trials, &med, &min);
    printf("igraph create+simplify median %7.3f s  min %7.3f s\n", med, min);
    size_t pb = pg_pool_memory(pool), gb = pg_graph_memory(&g);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf(
        "memory          pool %.1f B/txn, graph %.1f B/txn, total %.1f B/txn; peak RSS %.0f MiB\n",
        (double)pb / (double)n, (double)gb / (double)n, (double)(pb + gb) / (double)n,
        (double)ru.ru_maxrss / 1024.0);
    printf("graph           %u vertices, %lld aggregated edges, %lld projection entries\n", g.n,
           (long long)g.agg.m, (long long)g.undirected.m);
    pg_graph_free(&g);
    pg_pool_free(pool);
    unlink(pool_path);
    return 0;
}
