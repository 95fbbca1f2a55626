/*
 * paygraph score: per-account risk scores and features (and the rings they
 * belong to) to an HDF5 results file, without the report folder. The scan
 * job does the same and more; this is for data scientists who want the
 * scores as arrays.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "input.h"

static const char usage[] =
    "usage: paygraph score INPUT --out RESULTS.h5 [--level account|entity] [--no-watchlist]\n\n"
    "Per-account scores, features, communities, watchlist proximity and ring ids, and\n"
    "the per-ring tables, written to RESULTS.h5 (layout: docs/results_h5.md).\n\n" CLI_INPUT_HELP
    "  --out F               results file (HDF5), written atomically\n"
    "  --level L             account (default) or entity\n"
    "  --no-watchlist        do not use the pool's watchlist\n";

enum { OPT_OUT = OPT_INPUT_LAST, OPT_LEVEL, OPT_NO_WATCH, OPT_HELP };

static int run(cli_input *in, const char *out, pg_level level, int use_watchlist)
{
    pg_pool *pool = NULL;
    pg_graph g;
    pg_rings *rings = NULL;
    memset(&g, 0, sizeof(g));
    pg_graph_options go;
    pg_graph_options_init(&go);
    go.level = level;
    go.threads = in->threads;
    pg_rings_options ro;
    pg_rings_options_init(&ro);
    ro.threads = in->threads;
    ro.seed = in->seed;
    ro.use_watchlist = use_watchlist;
    double t0 = pg_now();
    int st = cli_input_load(in, &pool);
    if (!st) {
        st = pg_graph_build(&g, pool, &go);
    }
    if (!st) {
        st = pg_rings_detect(&rings, pool, &g, &ro);
    }
    if (!st) {
        pg_run_info run = {.command = "score",
                           .seed = in->seed,
                           .threads = cli_input_threads(in),
                           .level = level == PG_LEVEL_ENTITY ? "entity" : "account",
                           .start_time = t0,
                           .end_time = pg_now()};
        st = pg_results_write_h5(out, pool, &g, rings, &run);
    }
    if (!st) {
        printf("wrote %s: %u accounts scored, %u rings\n", out, rings->n_accounts, rings->n);
    }
    int rc = st ? cli_fail(st, "score") : 0;
    pg_rings_free(rings);
    pg_graph_free(&g);
    pg_pool_free(pool);
    return rc;
}

int cmd_score(int argc, char **argv)
{
    static const struct option longopts[] = {CLI_INPUT_LONG_OPTIONS,
                                             {"out", required_argument, NULL, OPT_OUT},
                                             {"level", required_argument, NULL, OPT_LEVEL},
                                             {"no-watchlist", no_argument, NULL, OPT_NO_WATCH},
                                             {"help", no_argument, NULL, OPT_HELP},
                                             {NULL, 0, NULL, 0}};
    cli_input in;
    const char *out = NULL;
    pg_level level = PG_LEVEL_ACCOUNT;
    int use_watchlist = 1, opt;
    int rc = cli_input_init(&in, "score", argc);
    if (rc) {
        return rc;
    }
    optind = 1;
    while (!rc && (opt = cli_next_option(&in, argc, argv, longopts)) != -1) {
        if (opt == CLI_OPT_ERROR) {
            rc = 1;
        } else if (opt == OPT_OUT) {
            out = optarg;
        } else if (opt == OPT_LEVEL) {
            rc = cli_parse_level("score", optarg, &level) < 0;
        } else if (opt == OPT_NO_WATCH) {
            use_watchlist = 0;
        } else if (opt == OPT_HELP) {
            fputs(usage, stdout);
            cli_input_free(&in);
            return 0;
        } else {
            rc = cli_usage_error("score", "unknown option");
        }
    }
    if (!rc && !out) {
        rc = cli_usage_error("score", "--out RESULTS.h5 is required");
    }
    if (!rc) {
        rc = cli_input_positional(&in, argc, argv, optind);
    }
    if (!rc) {
        cli_input_rejects_beside(&in, out, 0);
        rc = run(&in, out, level, use_watchlist);
    }
    cli_input_free(&in);
    return rc;
}
