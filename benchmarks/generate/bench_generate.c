/*
 * Benchmark of paygraph generate: transaction rows written per second for a
 * world of about --rows rows, and the peak resident memory (getrusage
 * ru_maxrss), which must not grow with the number of rows.
 *
 *   bench_generate [--rows N] [--days D] [--threads T] [--seed S] [--trials K]
 *                  [--gzip] [--verify]
 *
 * Each trial writes into a fresh temporary folder (TMPDIR or /tmp), is timed
 * end to end (planning, generation, formatting, writing), and the folder is
 * deleted afterwards. The median and minimum over the trials are printed.
 * --verify generates the same world once more with one thread and checks
 * that transactions.csv has the same CRC-32 (thread-count independence).
 *
 * There is no igraph baseline: igraph has no generator of pooled payment
 * data, and its random graph games neither write files nor plant rings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "paygraph/paygraph.h"

/* Ordinary rows per person per day of the default world (measured; sets --persons). */
#define ROWS_PER_PERSON_DAY 1.56

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void remove_world(const char *dir, int gzip)
{
    static const char *names[] = {"transactions", "accounts", "watchlist", "truth"};
    char path[1100];
    for (int i = 0; i < 4; i++) {
        snprintf(path, sizeof(path), "%s/%s%s", dir, names[i], gzip ? ".csv.gz" : ".csv");
        remove(path);
    }
    rmdir(dir);
}

static unsigned long file_crc(const char *dir, long long *bytes)
{
    char path[1100];
    snprintf(path, sizeof(path), "%s/transactions.csv", dir);
    FILE *f = fopen(path, "rb");
    unsigned long crc = crc32(0L, Z_NULL, 0);
    static unsigned char buf[1 << 20];
    size_t n;
    *bytes = 0;
    while (f && (n = fread(buf, 1, sizeof(buf), f)) > 0) {
        crc = crc32(crc, buf, (uInt)n);
        *bytes += (long long)n;
    }
    if (f) {
        fclose(f);
    }
    return crc;
}

static int run(const pg_generate_options *o, const char *dir, pg_generate_summary *s, double *sec)
{
    double t0 = now();
    int err = pg_generate(s, dir, o);
    *sec = now() - t0;
    if (err) {
        fprintf(stderr, "bench_generate: %s\n", pg_error_last());
    }
    return err;
}

int main(int argc, char **argv)
{
    long long rows = 10000000;
    int trials = 1, verify = 0;
    pg_generate_options o;
    pg_generate_options_init(&o);
    o.days = 90;
    o.rings = 50;
    o.laundering = 40;
    for (int i = 1; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : "0";
        if (!strcmp(argv[i], "--rows")) {
            rows = atoll(v), i++;
        } else if (!strcmp(argv[i], "--days")) {
            o.days = atoi(v), i++;
        } else if (!strcmp(argv[i], "--threads")) {
            o.threads = atoi(v), i++;
        } else if (!strcmp(argv[i], "--seed")) {
            o.seed = strtoull(v, NULL, 10), i++;
        } else if (!strcmp(argv[i], "--trials")) {
            trials = atoi(v), i++;
        } else if (!strcmp(argv[i], "--gzip")) {
            o.gzip = 1;
        } else if (!strcmp(argv[i], "--verify")) {
            verify = 1;
        } else {
            fprintf(stderr, "usage: bench_generate [--rows N] [--days D] [--threads T] "
                            "[--seed S] [--trials K] [--gzip] [--verify]\n");
            return 1;
        }
    }
    if (trials < 1 || trials > 100) {
        trials = 1;
    }
    o.persons = (int64_t)((double)rows / (ROWS_PER_PERSON_DAY * o.days));
    const char *base = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    char dir[1024];
    snprintf(dir, sizeof(dir), "%s/pg-bench-generate-%ld", base, (long)getpid());
    double times[100];
    pg_generate_summary s;
    unsigned long crc = 0;
    long long bytes = 0;
    for (int t = 0; t < trials; t++) {
        if (run(&o, dir, &s, &times[t])) {
            remove_world(dir, o.gzip);
            return 4;
        }
        if (verify && t == 0 && !o.gzip) {
            crc = file_crc(dir, &bytes);
        }
        remove_world(dir, o.gzip);
    }
    int threads = pg_threads_resolve(o.threads);
    if (verify && !o.gzip) {
        pg_generate_options one = o;
        double sec;
        long long b1;
        one.threads = 1;
        if (run(&one, dir, &s, &sec)) {
            remove_world(dir, 0);
            return 4;
        }
        unsigned long crc1 = file_crc(dir, &b1);
        remove_world(dir, 0);
        printf("verify: transactions.csv crc32 %08lx (%d threads) vs %08lx (1 thread): %s\n", crc,
               threads, crc1, crc == crc1 && bytes == b1 ? "identical" : "DIFFERENT");
        if (crc != crc1 || bytes != b1) {
            return 4;
        }
    }
    qsort(times, (size_t)trials, sizeof(double), cmp_double);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double med = times[trials / 2], min = times[0];
    printf("generate: %lld persons, %d days, %lld rows (%lld planted), %d threads, gzip %d\n",
           (long long)o.persons, o.days, (long long)s.transactions, (long long)s.planted, threads,
           o.gzip);
    printf("time: median %.3f s, min %.3f s over %d trial(s)\n", med, min, trials);
    printf("rows/s: median %.0f, best %.0f\n", (double)s.transactions / med,
           (double)s.transactions / min);
    if (bytes) {
        printf("transactions.csv: %lld bytes (%.1f MB/s at the median)\n", bytes,
               (double)bytes / med / 1e6);
    }
    printf("peak RSS: %.1f MB\n", (double)ru.ru_maxrss / 1024.0);
    return 0;
}
