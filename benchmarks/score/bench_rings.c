/*
 * Ring detection on a generated world: time and memory of every step of
 * pg_rings_detect (indicators, features, communities, watchlist PPR, each
 * detector, merge, rank), with ingest and graph build for context, and the
 * detection quality of the run (paygraph eval against the planted truth).
 *
 *   bench_rings --rows N [--threads T] [--seed S] [--dir D]   generate, then run
 *   bench_rings --world DIR [--threads T]                    run on a generated world
 *
 * The world is the one of benchmarks/generate: 90 days, 50 offender rings,
 * 40 laundering groups, persons from 1.56 rows per person per day; a small
 * world keeps the 8000 persons the planted groups need and spans fewer days.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "paygraph/paygraph.h"

#define ROWS_PER_PERSON_DAY 1.56
#define MIN_PERSONS 8000

typedef struct args {
    long long rows;
    int threads;
    unsigned long long seed;
    const char *dir, *world;
} args;

static int parse(int argc, char **argv, args *a)
{
    *a = (args){0, 0, 1, "/tmp", NULL};
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--rows")) {
            a->rows = atoll(argv[i + 1]);
        } else if (!strcmp(argv[i], "--threads")) {
            a->threads = atoi(argv[i + 1]);
        } else if (!strcmp(argv[i], "--seed")) {
            a->seed = strtoull(argv[i + 1], NULL, 10);
        } else if (!strcmp(argv[i], "--dir")) {
            a->dir = argv[i + 1];
        } else if (!strcmp(argv[i], "--world")) {
            a->world = argv[i + 1];
        } else {
            return -1;
        }
    }
    return (argc % 2 == 1 && (a->rows > 0 || a->world)) ? 0 : -1;
}

static int generate(const args *a, char *world, size_t cap)
{
    snprintf(world, cap, "%s/bench-rings-%d", a->dir, (int)getpid());
    pg_generate_options o;
    pg_generate_options_init(&o);
    o.days = 90;
    o.rings = 50;
    o.laundering = 40;
    o.seed = a->seed;
    o.threads = a->threads;
    o.persons = (int64_t)((double)a->rows / (ROWS_PER_PERSON_DAY * o.days));
    if (o.persons < MIN_PERSONS) {
        o.persons = MIN_PERSONS;
        o.days = (int)((double)a->rows / (ROWS_PER_PERSON_DAY * MIN_PERSONS));
        o.days = o.days < 7 ? 7 : o.days;
    }
    pg_generate_summary s;
    double t0 = pg_now();
    if (pg_generate(&s, world, &o) < 0) {
        fprintf(stderr, "generate: %s\n", pg_error_last());
        return -1;
    }
    printf("world: %lld persons, %lld transactions (generated in %.2f s) in %s\n",
           (long long)o.persons, (long long)s.transactions, pg_now() - t0, world);
    return 0;
}

static pg_pool *ingest(const char *world, int threads)
{
    char t[1100], acc[1100], w[1100];
    snprintf(t, sizeof(t), "%s/transactions.csv", world);
    snprintf(acc, sizeof(acc), "%s/accounts.csv", world);
    snprintf(w, sizeof(w), "%s/watchlist.csv", world);
    const char *tp[1] = {t}, *ap[1] = {acc}, *wp[1] = {w};
    pg_ingest_options o;
    pg_ingest_options_init(&o);
    o.transactions = tp;
    o.n_transactions = 1;
    o.accounts = ap;
    o.n_accounts = 1;
    o.watchlist = wp;
    o.n_watchlist = 1;
    o.threads = threads;
    o.checksums = 0;
    pg_pool *p = NULL;
    if (pg_pool_ingest(&p, &o) < 0) {
        fprintf(stderr, "ingest: %s\n", pg_error_last());
        return NULL;
    }
    return p;
}

static void row(const char *name, double wall, double cpu, uint64_t rss)
{
    printf("| %-22s | %8.2f s | %8.2f s | %6.0f MiB |\n", name, wall, cpu,
           (double)rss / (1024.0 * 1024.0));
}

/* Eval of the run against truth.csv, as `paygraph eval` prints it. */
static void quality(const pg_pool *p, const pg_graph *g, const pg_rings *r, const char *world)
{
    char path[1100];
    snprintf(path, sizeof(path), "%s/truth.csv", world);
    FILE *f = fopen(path, "rb");
    if (!f) {
        return;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *truth = malloc((size_t)n + 1);
    pg_report_text rep = {0};
    pg_report_options ro;
    pg_report_options_init(&ro);
    ro.top = 0;
    pg_eval_options eo;
    pg_eval_options_init(&eo);
    pg_eval_result er;
    if (truth && fread(truth, 1, (size_t)n, f) == (size_t)n) {
        truth[n] = '\0';
        if (pg_report_json(&rep, p, g, r, NULL, &ro) == 0 &&
            pg_eval_text(&er, rep.data, truth, &eo) == 0) {
            printf("quality: offender recall %.3f precision@R %.3f AP %.3f; laundering recall "
                   "%.3f\n",
                   er.fig[PG_EVAL_OFFENDER].recall, er.fig[PG_EVAL_OFFENDER].precision,
                   er.fig[PG_EVAL_OFFENDER].average_precision, er.fig[PG_EVAL_LAUNDERING].recall);
            pg_eval_result_free(&er);
        }
    }
    pg_report_text_free(&rep);
    free(truth);
    fclose(f);
}

static int run(const char *world, int threads)
{
    double w0 = pg_now(), c0 = pg_cpu_seconds();
    pg_pool *p = ingest(world, threads);
    if (!p) {
        return 1;
    }
    double w1 = pg_now(), c1 = pg_cpu_seconds();
    uint64_t rss_ingest = pg_peak_rss();
    pg_graph g;
    pg_graph_options go;
    pg_graph_options_init(&go);
    go.threads = threads;
    if (pg_graph_build(&g, p, &go) < 0) {
        fprintf(stderr, "graph: %s\n", pg_error_last());
        pg_pool_free(p);
        return 1;
    }
    double w2 = pg_now(), c2 = pg_cpu_seconds();
    uint64_t rss_graph = pg_peak_rss();
    pg_rings_options ro;
    pg_rings_options_init(&ro);
    ro.threads = threads;
    pg_rings *r = NULL;
    int err = pg_rings_detect(&r, p, &g, &ro);
    double w3 = pg_now(), c3 = pg_cpu_seconds();
    if (err < 0) {
        fprintf(stderr, "rings: %s\n", pg_error_last());
    } else {
        pg_txn_columns t;
        pg_pool_txns(p, &t);
        printf("%lld transactions, %u vertices, %u rings, %d threads\n\n", (long long)t.n, g.n,
               r->n, pg_threads_resolve(threads));
        printf("| stage | wall | CPU | peak RSS after |\n|---|---|---|---|\n");
        row("ingest (no SHA-256)", w1 - w0, c1 - c0, rss_ingest);
        row("graph views", w2 - w1, c2 - c1, rss_graph);
        for (size_t k = 0; k < r->n_stages; k++) {
            const pg_stage_stats *s = &r->stages[k];
            char name[40];
            snprintf(name, sizeof(name), "rings: %s", s->name);
            row(name, s->wall_seconds, s->cpu_seconds, s->peak_rss);
        }
        row("rings total", w3 - w2, c3 - c2, pg_peak_rss());
        printf("\npeak RSS %.0f MiB, %.0f bytes per transaction\n",
               (double)pg_peak_rss() / (1024.0 * 1024.0), (double)pg_peak_rss() / (double)t.n);
        quality(p, &g, r, world);
        pg_rings_free(r);
    }
    pg_graph_free(&g);
    pg_pool_free(p);
    return err < 0;
}

static void remove_world(const char *world)
{
    static const char *names[] = {"transactions", "accounts", "watchlist", "truth"};
    char path[1100];
    for (int i = 0; i < 4; i++) {
        snprintf(path, sizeof(path), "%s/%s.csv", world, names[i]);
        remove(path);
    }
    rmdir(world);
}

int main(int argc, char **argv)
{
    args a;
    if (parse(argc, argv, &a) < 0) {
        fprintf(stderr, "usage: bench_rings (--rows N [--seed S] [--dir D] | --world DIR) "
                        "[--threads T]\n");
        return 2;
    }
    char world[1024];
    if (a.world) {
        snprintf(world, sizeof(world), "%s", a.world);
    } else if (generate(&a, world, sizeof(world)) < 0) {
        return 1;
    }
    int rc = run(world, a.threads);
    if (!a.world) {
        remove_world(world);
    }
    return rc;
}
