/* paygraph info: what is in a pool, and how the graph looks. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "input.h"

static const char usage[] =
    "usage: paygraph info INPUT [--level account|entity] [--json]\n\n"
    "Counts (transactions, accounts, entities, institutions, cross-institution share,\n"
    "currencies, time span), degree statistics, weakly connected components and the\n"
    "memory used.\n\n" CLI_INPUT_HELP "  --level L             account (default) or entity\n"
    "  --json                machine-readable output\n";

enum { OPT_LEVEL = OPT_INPUT_LAST, OPT_JSON, OPT_HELP };

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

typedef struct degree_stats {
    double mean;
    int64_t p50, p99, max;
} degree_stats;

static int degree_stats_of(const int64_t *offsets, uint32_t n, degree_stats *s)
{
    memset(s, 0, sizeof(*s));
    if (n == 0) {
        return 0;
    }
    int64_t *d = malloc((size_t)n * sizeof(*d));
    if (!d) {
        return CLI_ENOMEM;
    }
    for (uint32_t v = 0; v < n; v++) {
        d[v] = offsets[v + 1] - offsets[v];
    }
    qsort(d, n, sizeof(*d), cmp_i64);
    s->mean = (double)offsets[n] / n;
    /* nearest-rank percentiles: never below the median, even on tiny graphs */
    s->p50 = d[(n - 1) / 2];
    s->p99 = d[(size_t)ceil((double)(n - 1) * 0.99)];
    s->max = d[n - 1];
    free(d);
    return 0;
}

static void format_time(int64_t t, char *buf, size_t cap)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

typedef struct info_numbers {
    int64_t txns, cross;
    int64_t t_min, t_max;
    uint32_t components, largest;
    degree_stats out_deg, in_deg;
    size_t pool_bytes, graph_bytes;
} info_numbers;

/* The numbers info prints; 0, CLI_ENOMEM or the components' error. */
static int collect(const pg_pool *p, const pg_graph *g, int threads, info_numbers *x)
{
    pg_txn_columns t;
    pg_account_columns a;
    pg_pool_txns(p, &t);
    pg_pool_accounts(p, &a);
    memset(x, 0, sizeof(*x));
    x->txns = t.n;
    x->t_min = t.n ? t.ts[0] : 0;
    x->t_max = x->t_min;
    for (int64_t i = 0; i < t.n; i++) {
        x->cross += a.institution[t.src[i]] != a.institution[t.dst[i]];
        x->t_min = t.ts[i] < x->t_min ? t.ts[i] : x->t_min;
        x->t_max = t.ts[i] > x->t_max ? t.ts[i] : x->t_max;
    }
    uint32_t *label = malloc(((size_t)g->n + 1) * sizeof(*label));
    uint32_t *size = calloc((size_t)g->n + 1, sizeof(*size));
    int st =
        label && size ? pg_components(label, &x->components, &g->undirected, threads) : CLI_ENOMEM;
    if (st == 0) {
        for (uint32_t v = 0; v < g->n; v++) {
            size[label[v]]++;
        }
        for (uint32_t c = 0; c < x->components; c++) {
            x->largest = size[c] > x->largest ? size[c] : x->largest;
        }
    }
    free(label);
    free(size);
    if (st == 0 && (st = degree_stats_of(g->agg.offsets, g->n, &x->out_deg)) == 0) {
        st = degree_stats_of(g->in.offsets, g->n, &x->in_deg);
    }
    x->pool_bytes = pg_pool_memory(p);
    x->graph_bytes = pg_graph_memory(g);
    return st;
}

static void print_text(const pg_pool *p, const pg_graph *g, const info_numbers *x)
{
    char t0[32], t1[32];
    format_time(x->t_min, t0, sizeof(t0));
    format_time(x->t_max, t1, sizeof(t1));
    printf("transactions        %lld\n", (long long)x->txns);
    printf("accounts            %u\n", pg_pool_num_accounts(p));
    printf("entities            %u\n", pg_pool_num_entities(p));
    printf("institutions        %u\n", pg_pool_num_institutions(p));
    printf("vertices (%s)  %u\n", g->level == PG_LEVEL_ENTITY ? "entity " : "account", g->n);
    printf("aggregated edges    %lld\n", (long long)g->agg.m);
    printf("cross-institution   %.1f%% of transactions\n",
           x->txns ? 100.0 * (double)x->cross / (double)x->txns : 0.0);
    printf("currencies          %u:", pg_pool_num_currencies_used(p));
    for (uint32_t c = 0; c < pg_pool_num_currencies_used(p); c++) {
        printf(" %s", pg_pool_currency_code(p, (uint8_t)c));
    }
    printf("\ntime span           %s .. %s (%.1f days)\n", t0, t1,
           (double)(x->t_max - x->t_min) / 86400.0);
    printf("components          %u weakly connected; the largest has %u vertices (%.1f%%)\n",
           x->components, x->largest, g->n ? 100.0 * x->largest / g->n : 0.0);
    printf("out-degree          mean %.2f, median %lld, p99 %lld, max %lld (distinct payees)\n",
           x->out_deg.mean, (long long)x->out_deg.p50, (long long)x->out_deg.p99,
           (long long)x->out_deg.max);
    printf("in-degree           mean %.2f, median %lld, p99 %lld, max %lld (transactions)\n",
           x->in_deg.mean, (long long)x->in_deg.p50, (long long)x->in_deg.p99,
           (long long)x->in_deg.max);
    printf("memory              pool %.1f MiB, graph %.1f MiB (%.1f bytes/transaction)\n",
           (double)x->pool_bytes / 1048576.0, (double)x->graph_bytes / 1048576.0,
           x->txns ? (double)(x->pool_bytes + x->graph_bytes) / (double)x->txns : 0.0);
    printf("memory estimate     %.1f MiB (what --max-memory is checked against)\n",
           (double)pg_memory_estimate(x->txns, pg_pool_num_accounts(p)) / 1048576.0);
}

static void print_json(const pg_pool *p, const pg_graph *g, const info_numbers *x)
{
    printf("{\"transactions\":%lld,\"accounts\":%u,\"entities\":%u,\"institutions\":%u,"
           "\"vertices\":%u,\"aggregated_edges\":%lld,\"cross_institution_share\":%.6f,"
           "\"currencies\":%u,\"time_min\":%lld,\"time_max\":%lld,"
           "\"out_degree\":{\"mean\":%.4f,\"median\":%lld,\"p99\":%lld,\"max\":%lld},"
           "\"components\":%u,\"largest_component\":%u,"
           "\"pool_bytes\":%zu,\"graph_bytes\":%zu,\"memory_estimate_bytes\":%llu}\n",
           (long long)x->txns, pg_pool_num_accounts(p), pg_pool_num_entities(p),
           pg_pool_num_institutions(p), g->n, (long long)g->agg.m,
           x->txns ? (double)x->cross / (double)x->txns : 0.0, pg_pool_num_currencies_used(p),
           (long long)x->t_min, (long long)x->t_max, x->out_deg.mean, (long long)x->out_deg.p50,
           (long long)x->out_deg.p99, (long long)x->out_deg.max, x->components, x->largest,
           x->pool_bytes, x->graph_bytes,
           (unsigned long long)pg_memory_estimate(x->txns, pg_pool_num_accounts(p)));
}

int cmd_info(int argc, char **argv)
{
    static const struct option longopts[] = {CLI_INPUT_LONG_OPTIONS,
                                             {"level", required_argument, NULL, OPT_LEVEL},
                                             {"json", no_argument, NULL, OPT_JSON},
                                             {"help", no_argument, NULL, OPT_HELP},
                                             {NULL, 0, NULL, 0}};
    cli_input in;
    pg_graph_options go;
    int json = 0, opt;
    int rc = cli_input_init(&in, "info", argc);
    if (rc) {
        return rc;
    }
    pg_graph_options_init(&go);
    optind = 1;
    while ((opt = cli_next_option(&in, argc, argv, longopts)) != -1) {
        if (opt == CLI_OPT_ERROR) {
            rc = 1;
            goto done;
        }
        if (opt == OPT_LEVEL) {
            if (cli_parse_level("info", optarg, &go.level) < 0) {
                rc = 1;
                goto done;
            }
        } else if (opt == OPT_JSON) {
            json = 1;
        } else if (opt == OPT_HELP) {
            fputs(usage, stdout);
            goto done;
        } else {
            rc = cli_usage_error("info", "unknown option");
            goto done;
        }
    }
    if ((rc = cli_input_positional(&in, argc, argv, optind)) != 0) {
        goto done;
    }
    pg_pool *pool = NULL;
    pg_graph g;
    memset(&g, 0, sizeof(g));
    go.threads = in.threads;
    int st = cli_input_load(&in, &pool);
    if (st == 0) {
        st = pg_graph_build(&g, pool, &go);
    }
    info_numbers x;
    if (st == 0) {
        st = collect(pool, &g, in.threads, &x);
    }
    if (st < 0) {
        rc = cli_fail(st, "info");
    } else if (json) {
        print_json(pool, &g, &x);
    } else {
        print_text(pool, &g, &x);
    }
    pg_graph_free(&g);
    pg_pool_free(pool);
done:
    cli_input_free(&in);
    return rc;
}
