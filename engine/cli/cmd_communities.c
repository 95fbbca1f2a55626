/* paygraph communities: Leiden or Louvain on the pool's undirected projection. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "input.h"

static const char usage[] =
    "usage: paygraph communities INPUT --out RESULTS.h5 [--algorithm leiden|louvain]\n"
    "                            [--objective modularity|cpm] [--resolution G]\n"
    "                            [--level account|entity] [--weight count|amount|log-amount]\n"
    "                            [--iterations N] [--min-gain G] [--initial EARLIER.h5]\n\n"
    "Community detection on the undirected weighted projection of the payment graph.\n"
    "Deterministic: the same membership for any --threads with the same --seed.\n"
    "Writes /vertex/community, /account/community, /community/size, the quality\n"
    "(attributes on /) and the accounts' keys (/account/institution, /account/name) to\n"
    "RESULTS.h5, and prints a summary.\n\n" CLI_INPUT_HELP
    "  --out F               results file (HDF5), written atomically\n"
    "  --algorithm A         leiden (default) or louvain\n"
    "  --objective O         modularity (default) or cpm (no resolution limit)\n"
    "  --resolution G        resolution (default 1 for modularity, 0.05 for cpm)\n"
    "  --level L             account (default) or entity\n"
    "  --weight W            projection weight: count (default), amount or log-amount\n"
    "  --iterations N        Leiden: full iterations, each from the last one's result\n"
    "                        (default 2, as igraph's n_iterations; 1 is faster, a little\n"
    "                        lower in quality)\n"
    "  --min-gain G          stop a level at the first pass that improves the quality by\n"
    "                        less than G (default: modularity 1e-4 for leiden, 1e-5 for\n"
    "                        louvain; cpm 1e-7, in edge-weight units; 0: only when a pass\n"
    "                        moves nobody)\n"
    "  --initial F           warm start: begin from the communities in F, the results\n"
    "                        of an earlier run (on this pool or an earlier one), or a\n"
    "                        scan's results.h5; accounts are matched by institution and\n"
    "                        account name, and a vertex with no matched account starts\n"
    "                        alone\n";

enum {
    OPT_OUT = OPT_INPUT_LAST,
    OPT_ALGORITHM,
    OPT_OBJECTIVE,
    OPT_RESOLUTION,
    OPT_LEVEL,
    OPT_WEIGHT,
    OPT_ITERATIONS,
    OPT_MIN_GAIN,
    OPT_INITIAL,
    OPT_HELP
};

typedef struct comm_args {
    const char *out;
    const char *initial; /* earlier results file, or NULL */
    pg_community_options co;
    pg_graph_options go;
    int resolution_set;
    int iterations_set;
} comm_args;

static int parse_choice(const char *arg, const char *const *names, int n, int *out)
{
    for (int i = 0; i < n; i++) {
        if (!strcmp(arg, names[i])) {
            *out = i;
            return 0;
        }
    }
    return -1;
}

static int option(comm_args *a, int opt, const char *arg)
{
    static const char *const algos[] = {"leiden", "louvain"};
    static const char *const objs[] = {"modularity", "cpm"};
    static const char *const weights[] = {"count", "amount", "log-amount"};
    int v;
    switch (opt) {
    case OPT_OUT:
        a->out = arg;
        return 0;
    case OPT_INITIAL:
        a->initial = arg;
        return 0;
    case OPT_ALGORITHM:
        if (parse_choice(arg, algos, 2, &v) < 0) {
            return cli_usage_error("communities", "--algorithm is leiden or louvain");
        }
        a->co.algorithm = (pg_community_algorithm)v;
        return 0;
    case OPT_OBJECTIVE:
        if (parse_choice(arg, objs, 2, &v) < 0) {
            return cli_usage_error("communities", "--objective is modularity or cpm");
        }
        a->co.objective = (pg_objective)v;
        return 0;
    case OPT_RESOLUTION:
        a->resolution_set = 1;
        if (cli_parse_double("communities", "--resolution", arg, &a->co.resolution) < 0 ||
            a->co.resolution < 0) {
            return 1;
        }
        return 0;
    case OPT_LEVEL:
        return cli_parse_level("communities", arg, &a->go.level) < 0 ? 1 : 0;
    case OPT_WEIGHT:
        if (parse_choice(arg, weights, 3, &v) < 0) {
            return cli_usage_error("communities", "--weight is count, amount or log-amount");
        }
        a->go.weight = (pg_weight)v;
        return 0;
    case OPT_ITERATIONS: {
        long long it;
        a->iterations_set = 1;
        if (cli_parse_int("communities", "--iterations", arg, 1, 1000, &it) < 0) {
            return 1;
        }
        a->co.iterations = (int)it;
        return 0;
    }
    case OPT_MIN_GAIN:
        if (cli_parse_double("communities", "--min-gain", arg, &a->co.min_gain) < 0) {
            return 1;
        }
        if (!(a->co.min_gain >= 0.0) || !isfinite(a->co.min_gain)) {
            return cli_usage_error("communities", "--min-gain must be a finite number >= 0");
        }
        return 0;
    default:
        return cli_usage_error("communities", "unknown option");
    }
}

static void summary(const pg_graph *g, const uint32_t *m, const pg_community_result *res,
                    const pg_community_options *co, double seconds)
{
    uint32_t *size = calloc((size_t)res->count + 1, sizeof(uint32_t));
    uint32_t largest = 0, singletons = 0, small = 0, medium = 0, large = 0;
    if (size) {
        for (uint32_t v = 0; v < g->n; v++) {
            size[m[v]]++;
        }
        for (uint32_t c = 0; c < res->count; c++) {
            largest = size[c] > largest ? size[c] : largest;
            singletons += size[c] == 1;
            small += size[c] >= 2 && size[c] <= 10;
            medium += size[c] > 10 && size[c] <= 100;
            large += size[c] > 100;
        }
    }
    char iters[32] = "";
    if (co->algorithm == PG_COMMUNITY_LEIDEN) {
        snprintf(iters, sizeof(iters), ", %d iteration%s", co->iterations,
                 co->iterations == 1 ? "" : "s");
    }
    printf("communities         %u (%s, %s, resolution %g, seed %llu%s)\n", res->count,
           co->algorithm == PG_COMMUNITY_LEIDEN ? "leiden" : "louvain",
           co->objective == PG_OBJECTIVE_CPM ? "cpm" : "modularity", co->resolution,
           (unsigned long long)co->seed, iters);
    printf("sizes               1: %u, 2-10: %u, 11-100: %u, >100: %u; largest %u of %u vertices\n",
           singletons, small, medium, large, largest, g->n);
    printf("quality             %.6f", res->quality);
    if (!isnan(res->modularity)) {
        printf(" (modularity %.6f)", res->modularity);
    }
    printf("\ntime                %.2f s\n", seconds);
    free(size);
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0->tv_nsec);
}

/* The warm start from a->initial, into a->co.initial (*start, n labels). */
static int warm_start(comm_args *a, uint32_t **start, const pg_pool *pool, const pg_graph *g,
                      int threads)
{
    uint32_t matched;
    if (!(*start = malloc(((size_t)g->n + 1) * sizeof(**start)))) {
        return CLI_ENOMEM;
    }
    int st = pg_communities_warm_start(*start, &matched, a->initial, pool, g, threads);
    if (st == 0) {
        a->co.initial = *start;
        printf("warm start          %u of %u accounts from %s", matched, g->n_accounts, a->initial);
        printf(matched < g->n_accounts ? "; vertices with no matched account start alone\n" : "\n");
        if (matched == 0 && g->n_accounts > 0) {
            fprintf(stderr,
                    "paygraph: communities: warning: no account of this pool is in %s (another "
                    "pool, or names pseudonymised with another key?): a cold start\n",
                    a->initial);
        }
    }
    return st;
}

static int run(cli_input *in, comm_args *a)
{
    pg_pool *pool = NULL;
    pg_graph g;
    memset(&g, 0, sizeof(g));
    uint32_t *m = NULL, *start = NULL;
    pg_community_result res;
    struct timespec t0;
    a->go.threads = in->threads;
    a->co.threads = in->threads;
    a->co.seed = in->seed;
    int st = cli_input_load(in, &pool);
    if (st == 0) {
        st = pg_graph_build(&g, pool, &a->go);
    }
    if (st == 0 && !(m = malloc(((size_t)g.n + 1) * sizeof(*m)))) {
        st = CLI_ENOMEM;
    }
    if (st == 0 && a->initial) {
        st = warm_start(a, &start, pool, &g, in->threads);
    }
    if (st == 0) {
        clock_gettime(CLOCK_MONOTONIC, &t0);
        st = pg_communities(m, &res, &g.undirected, &a->co);
    }
    if (st == 0) {
        double secs = seconds_since(&t0);
        st = pg_communities_save_keyed(a->out, pool, &g, m, &res, &a->co);
        if (st == 0) {
            summary(&g, m, &res, &a->co, secs);
            printf("wrote %s\n", a->out);
        }
    }
    int rc = st ? cli_fail(st, "communities") : 0;
    free(m);
    free(start);
    pg_graph_free(&g);
    pg_pool_free(pool);
    return rc;
}

int cmd_communities(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_INPUT_LONG_OPTIONS,
        {"out", required_argument, NULL, OPT_OUT},
        {"algorithm", required_argument, NULL, OPT_ALGORITHM},
        {"objective", required_argument, NULL, OPT_OBJECTIVE},
        {"resolution", required_argument, NULL, OPT_RESOLUTION},
        {"level", required_argument, NULL, OPT_LEVEL},
        {"weight", required_argument, NULL, OPT_WEIGHT},
        {"iterations", required_argument, NULL, OPT_ITERATIONS},
        {"min-gain", required_argument, NULL, OPT_MIN_GAIN},
        {"initial", required_argument, NULL, OPT_INITIAL},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0}};
    cli_input in;
    comm_args a;
    memset(&a, 0, sizeof(a));
    pg_community_options_init(&a.co);
    pg_graph_options_init(&a.go);
    int rc = cli_input_init(&in, "communities", argc), opt;
    if (rc) {
        return rc;
    }
    optind = 1;
    while (!rc && (opt = cli_next_option(&in, argc, argv, longopts)) != -1) {
        if (opt == CLI_OPT_ERROR) {
            rc = 1;
        } else if (opt == OPT_HELP) {
            fputs(usage, stdout);
            cli_input_free(&in);
            return 0;
        } else {
            rc = option(&a, opt, optarg);
        }
    }
    if (!rc && !a.out) {
        rc = cli_usage_error("communities", "--out RESULTS.h5 is required");
    }
    if (!rc && a.iterations_set && a.co.algorithm != PG_COMMUNITY_LEIDEN) {
        rc = cli_usage_error("communities", "--iterations applies to --algorithm leiden only");
    }
    if (!rc) {
        rc = cli_input_positional(&in, argc, argv, optind);
    }
    if (!rc && !a.resolution_set && a.co.objective == PG_OBJECTIVE_CPM) {
        a.co.resolution = 0.05; /* CPM compares edge weight per pair of members */
    }
    if (!rc) {
        cli_input_rejects_beside(&in, a.out, 0);
        rc = run(&in, &a);
    }
    cli_input_free(&in);
    return rc;
}
