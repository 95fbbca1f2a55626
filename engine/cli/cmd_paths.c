/*
 * paygraph paths: follow the money from known accounts. Without --to, a
 * multi-source BFS lists the accounts nearest to the sources, each with the
 * transactions that lead there; with --to, the k shortest evidence chains;
 * with --temporal, time-respecting money-flow paths.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "input.h"

static const char usage[] =
    "usage: paygraph paths INPUT (--from INST:ACCT | --from-watchlist) [--to INST:ACCT]\n"
    "                      [--temporal] [--max-hops H] [--window DURATION] [--json]\n"
    "                      [--direction forward|backward|undirected] [--k K] [--limit N]\n"
    "                      [--shrink FRACTION] [--level account|entity]\n\n"
    "Paths are printed as their transactions (time, amount, institutions, accounts).\n"
    "  --from INST:ACCT      source account (repeatable)\n"
    "  --from-watchlist      every account on the pool's watchlist is a source\n"
    "  --to INST:ACCT        target: the k shortest chains from the (first) source\n"
    "  --temporal            time-respecting paths: each hop after the previous one\n"
    "  --max-hops H          longest path (default 4)\n"
    "  --window DURATION     largest delay between consecutive hops, e.g. 3d, 12h, 900\n"
    "  --shrink FRACTION     temporal: each hop carries (1 - FRACTION)..1 of the previous\n"
    "  --direction D         BFS: forward (default: where money went), backward, undirected\n"
    "  --k K                 chains with --to (default 3)\n"
    "  --limit N             paths shown (default 20)\n"
    "  --level L             account (default) or entity\n"
    "  --json                machine-readable output\n\n" CLI_INPUT_HELP;

enum {
    OPT_FROM = OPT_INPUT_LAST,
    OPT_FROM_WATCH,
    OPT_TO,
    OPT_TEMPORAL,
    OPT_MAX_HOPS,
    OPT_WINDOW,
    OPT_SHRINK,
    OPT_DIRECTION,
    OPT_K,
    OPT_LIMIT,
    OPT_LEVEL,
    OPT_JSON,
    OPT_HELP
};

typedef struct paths_args {
    const char **from;
    size_t n_from;
    int from_watchlist;
    const char *to;
    int temporal, json, k;
    long long max_hops, limit;
    int64_t window;
    double shrink;
    pg_path_dir dir;
    pg_level level;
} paths_args;

/* "3d", "12h", "30m", "90s" or plain seconds. */
static int parse_duration(const char *s, int64_t *out)
{
    char *end = NULL;
    double v = strtod(s, &end);
    if (end == s || v < 0) {
        return -1;
    }
    double unit = !*end               ? 1
                  : !strcmp(end, "s") ? 1
                  : !strcmp(end, "m") ? 60
                  : !strcmp(end, "h") ? 3600
                  : !strcmp(end, "d") ? 86400
                                      : -1;
    if (unit < 0) {
        return -1;
    }
    *out = (int64_t)(v * unit);
    return 0;
}

/* Vertex of "INST:ACCT" (the account is everything after the first ':'). */
static int vertex_of(const pg_pool *p, const pg_graph *g, const char *spec, uint32_t *v)
{
    const char *colon = strchr(spec, ':');
    if (!colon) {
        return cli_usage_error("paths", "account '%s' must be INSTITUTION:ACCOUNT", spec);
    }
    char inst[512];
    snprintf(inst, sizeof(inst), "%.*s", (int)(colon - spec), spec);
    uint32_t a = pg_pool_find_account(p, inst, colon + 1);
    if (a == PG_NONE) {
        fprintf(stderr, "paygraph paths: no account %s in the input\n", spec);
        return 2;
    }
    *v = g->vertex_of_account[a];
    return 0;
}

static int option(paths_args *a, int opt, const char *arg)
{
    switch (opt) {
    case OPT_FROM:
        a->from[a->n_from++] = arg;
        return 0;
    case OPT_FROM_WATCH:
        a->from_watchlist = 1;
        return 0;
    case OPT_TO:
        a->to = arg;
        return 0;
    case OPT_TEMPORAL:
        a->temporal = 1;
        return 0;
    case OPT_JSON:
        a->json = 1;
        return 0;
    case OPT_MAX_HOPS:
        return cli_parse_int("paths", "--max-hops", arg, 1, 64, &a->max_hops) ? 1 : 0;
    case OPT_LIMIT:
        return cli_parse_int("paths", "--limit", arg, 1, 1000000, &a->limit) ? 1 : 0;
    case OPT_K: {
        long long k;
        if (cli_parse_int("paths", "--k", arg, 1, 1000, &k)) {
            return 1;
        }
        a->k = (int)k;
        return 0;
    }
    case OPT_WINDOW:
        return parse_duration(arg, &a->window)
                   ? cli_usage_error("paths", "--window wants a duration like 3d, 12h or 900")
                   : 0;
    case OPT_SHRINK:
        if (cli_parse_double("paths", "--shrink", arg, &a->shrink) || a->shrink < 0 ||
            a->shrink > 1) {
            return cli_usage_error("paths", "--shrink is a fraction from 0 to 1");
        }
        return 0;
    case OPT_DIRECTION:
        a->dir = !strcmp(arg, "forward")      ? PG_DIR_FORWARD
                 : !strcmp(arg, "backward")   ? PG_DIR_BACKWARD
                 : !strcmp(arg, "undirected") ? PG_DIR_UNDIRECTED
                                              : (pg_path_dir)-1;
        return (int)a->dir < 0 ? cli_usage_error("paths", "--direction is forward, backward or "
                                                          "undirected")
                               : 0;
    case OPT_LEVEL:
        return cli_parse_level("paths", arg, &a->level) < 0 ? 1 : 0;
    default:
        return cli_usage_error("paths", "unknown option");
    }
}

typedef struct graphs {
    pg_pool *pool;
    pg_graph g;
    pg_csr out, in; /* directed aggregated adjacency and its reverse */
    pg_tview tv;
} graphs;

static void graphs_free(graphs *x)
{
    pg_csr_free(&x->in);
    pg_graph_free(&x->g);
    pg_pool_free(x->pool);
}

/* out: a view of the aggregated edges; in: their reverse, built. */
static int build_adjacency(graphs *x)
{
    const pg_agg *a = &x->g.agg;
    x->out = (pg_csr){a->n, a->m, a->offsets, a->dst, NULL};
    uint32_t *src = malloc(((size_t)a->m + 1) * sizeof(*src));
    if (!src) {
        return CLI_ENOMEM;
    }
    for (uint32_t u = 0; u < a->n; u++) {
        for (int64_t e = a->offsets[u]; e < a->offsets[u + 1]; e++) {
            src[e] = u;
        }
    }
    int st = pg_csr_from_edges(&x->in, a->n, a->m, a->dst, src, NULL, 0, 0);
    free(src);
    return st;
}

/* Sources from --from and --from-watchlist, deduplicated in order. Returns 0 or exit code. */
static int collect_sources(const graphs *x, const paths_args *a, uint32_t **src, size_t *n)
{
    uint32_t nw = 0;
    const uint32_t *w = a->from_watchlist ? pg_pool_watchlist(x->pool, &nw) : NULL;
    *src = malloc((a->n_from + nw + 1) * sizeof(**src));
    *n = 0;
    if (!*src) {
        return cli_fail(CLI_ENOMEM, "paths");
    }
    for (size_t i = 0; i < a->n_from; i++) {
        uint32_t v = 0;
        int rc = vertex_of(x->pool, &x->g, a->from[i], &v);
        if (rc) {
            return rc;
        }
        (*src)[(*n)++] = v;
    }
    for (uint32_t i = 0; i < nw; i++) {
        (*src)[(*n)++] = x->g.vertex_of_account[w[i]];
    }
    if (*n == 0) {
        fprintf(stderr, "paygraph paths: no source (the watchlist is empty?)\n");
        return 2;
    }
    return 0;
}

static int print_paths(const graphs *x, const pg_path_set *ps, const paths_args *a)
{
    pg_report_text t = {0};
    int st = pg_paths_report(&t, x->pool, ps, (size_t)a->limit, a->json);
    if (st == 0) {
        fputs(t.data, stdout);
    }
    pg_report_text_free(&t);
    return st;
}

/*
 * Vertex paths -> transaction paths: one picked transaction per hop. In a
 * path set, off[] counts hops; path k's vertices start at vert[off[k] + k].
 */
static int to_txn_paths(const graphs *x, pg_path_set *ps)
{
    ps->txn = malloc(((size_t)ps->off[ps->count] + 1) * sizeof(uint32_t));
    if (!ps->txn) {
        return CLI_ENOMEM;
    }
    for (size_t k = 0; k < ps->count; k++) {
        int64_t hops = ps->off[k + 1] - ps->off[k];
        int st = pg_path_pick_txns(ps->txn + ps->off[k], &x->tv, ps->vert + ps->off[k] + (int64_t)k,
                                   (size_t)hops + 1);
        if (st) {
            return st;
        }
    }
    return 0;
}

/* BFS from the sources; the nearest reached vertices with their paths. */
static int run_bfs(graphs *x, const paths_args *a, const uint32_t *src, size_t n_src, int threads)
{
    pg_bfs_options o;
    pg_bfs_options_init(&o);
    o.threads = threads;
    o.dir = a->dir;
    o.max_depth = (int32_t)a->max_hops;
    pg_bfs_result r;
    int st = pg_bfs(&r, &x->out, &x->in, src, n_src, &o);
    if (st) {
        return st;
    }
    size_t count = 0, cap = (size_t)a->limit;
    uint32_t *vbuf = malloc(((size_t)a->max_hops + 2) * sizeof(*vbuf));
    pg_path_set ps = {0};
    ps.off = calloc(cap + 1, sizeof(int64_t));
    ps.vert = malloc((cap * ((size_t)a->max_hops + 1) + 1) * sizeof(uint32_t));
    int64_t reached[65] = {0};
    if (!vbuf || !ps.off || !ps.vert) {
        st = CLI_ENOMEM;
    }
    for (int32_t d = 1; !st && d <= a->max_hops; d++) {
        for (uint32_t v = 0; v < r.n; v++) {
            if (r.depth[v] != d) {
                continue;
            }
            reached[d]++;
            if (count < cap) {
                size_t nv = pg_path_from_parents(vbuf, (size_t)a->max_hops + 2, r.parent, v);
                int64_t at = ps.off[count] + (int64_t)count; /* off[] counts hops */
                for (size_t i = 0; i < nv; i++) {
                    /* backward: money flows from v toward the source */
                    ps.vert[at + (int64_t)i] =
                        a->dir == PG_DIR_BACKWARD ? vbuf[nv - 1 - i] : vbuf[i];
                }
                ps.off[count + 1] = ps.off[count] + (int64_t)nv - 1;
                count++;
            }
        }
    }
    ps.count = count;
    if (!st && !a->json) {
        printf("reached by hops:");
        for (int32_t d = 1; d <= a->max_hops; d++) {
            printf(" %d: %lld", d, (long long)reached[d]);
        }
        printf("\n");
    }
    if (!st) {
        st = to_txn_paths(x, &ps);
    }
    if (!st) {
        st = print_paths(x, &ps, a);
    }
    free(vbuf);
    pg_path_set_free(&ps);
    pg_bfs_result_free(&r);
    return st;
}

static int run_k_shortest(graphs *x, const paths_args *a, uint32_t s, uint32_t t, int threads)
{
    pg_kpaths_options o;
    pg_kpaths_options_init(&o);
    o.threads = threads;
    o.max_hops = (int)a->max_hops;
    pg_path_set ps = {0};
    int st = pg_k_shortest(&ps, &x->out, &x->in, s, t, a->k, &o);
    if (!st) {
        st = to_txn_paths(x, &ps);
    }
    if (!st) {
        st = print_paths(x, &ps, a);
    }
    pg_path_set_free(&ps);
    return st;
}

static int run_temporal(graphs *x, const paths_args *a, const uint32_t *src, size_t n_src,
                        uint32_t target, int threads)
{
    pg_temporal_options o;
    pg_temporal_options_init(&o);
    o.threads = threads;
    o.max_hops = (int)a->max_hops;
    o.max_delay = a->window > 0 ? a->window : -1;
    o.max_shrink_bp = a->shrink > 0 ? (int32_t)(a->shrink * 10000 + 0.5) : -1;
    o.target = target;
    pg_path_set ps = {0};
    int st = pg_temporal_paths(&ps, &x->tv, src, n_src, &o);
    if (!st) {
        st = print_paths(x, &ps, a);
    }
    pg_path_set_free(&ps);
    return st;
}

static int run(cli_input *in, paths_args *a)
{
    graphs x;
    memset(&x, 0, sizeof(x));
    uint32_t *src = NULL, target = PG_NONE;
    size_t n_src = 0;
    pg_graph_options go;
    pg_graph_options_init(&go);
    go.level = a->level;
    go.threads = in->threads;
    int st = cli_input_load(in, &x.pool), rc = 0;
    if (!st) {
        st = pg_graph_build(&x.g, x.pool, &go);
    }
    if (!st) {
        pg_graph_tview(&x.g, x.pool, &x.tv);
        st = build_adjacency(&x);
    }
    if (!st && !(rc = collect_sources(&x, a, &src, &n_src)) && a->to) {
        rc = vertex_of(x.pool, &x.g, a->to, &target);
    }
    if (!st && !rc) {
        int threads = cli_input_threads(in);
        if (a->temporal) {
            st = run_temporal(&x, a, src, n_src, target, threads);
        } else if (a->to) {
            st = run_k_shortest(&x, a, src[0], target, threads);
        } else {
            st = run_bfs(&x, a, src, n_src, threads);
        }
    }
    if (st) {
        rc = cli_fail(st, "paths");
    }
    free(src);
    graphs_free(&x);
    return rc;
}

int cmd_paths(int argc, char **argv)
{
    static const struct option longopts[] = {CLI_INPUT_LONG_OPTIONS,
                                             {"from", required_argument, NULL, OPT_FROM},
                                             {"from-watchlist", no_argument, NULL, OPT_FROM_WATCH},
                                             {"to", required_argument, NULL, OPT_TO},
                                             {"temporal", no_argument, NULL, OPT_TEMPORAL},
                                             {"max-hops", required_argument, NULL, OPT_MAX_HOPS},
                                             {"window", required_argument, NULL, OPT_WINDOW},
                                             {"shrink", required_argument, NULL, OPT_SHRINK},
                                             {"direction", required_argument, NULL, OPT_DIRECTION},
                                             {"k", required_argument, NULL, OPT_K},
                                             {"limit", required_argument, NULL, OPT_LIMIT},
                                             {"level", required_argument, NULL, OPT_LEVEL},
                                             {"json", no_argument, NULL, OPT_JSON},
                                             {"help", no_argument, NULL, OPT_HELP},
                                             {NULL, 0, NULL, 0}};
    cli_input in;
    paths_args a = {.k = 3, .max_hops = 4, .limit = 20, .dir = PG_DIR_FORWARD};
    int rc = cli_input_init(&in, "paths", argc), opt;
    if (rc) {
        return rc;
    }
    a.from = calloc((size_t)argc + 1, sizeof(char *));
    if (!a.from) {
        cli_input_free(&in);
        return cli_fail(CLI_ENOMEM, "paths");
    }
    optind = 1;
    while (!rc && (opt = cli_next_option(&in, argc, argv, longopts)) != -1) {
        if (opt == CLI_OPT_ERROR) {
            rc = 1;
        } else if (opt == OPT_HELP) {
            fputs(usage, stdout);
            goto done;
        } else {
            rc = option(&a, opt, optarg);
        }
    }
    if (!rc && !a.n_from && !a.from_watchlist) {
        rc = cli_usage_error("paths", "give --from INST:ACCT or --from-watchlist");
    }
    if (!rc) {
        rc = cli_input_positional(&in, argc, argv, optind);
    }
    if (!rc) {
        rc = run(&in, &a);
    }
done:
    free(a.from);
    cli_input_free(&in);
    return rc;
}
