/* paygraph ingest: validate and pool input files into one HDF5 pool file. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "input.h"

static const char usage[] =
    "usage: paygraph ingest --transactions F [--accounts F] [--watchlist F]\n"
    "                       [--format paygraph|amlworld|jsonl] [--on-error fail|skip]\n"
    "                       --out POOL.h5 [--compression 0-9]\n\n"
    "Reads, validates and pools the files (each option may be repeated: one file per\n"
    "institution, pooled in the order given) and writes them to one HDF5 pool file,\n"
    "atomically, readable only by the owner. Every row is loaded or rejected:\n"
    "rows read = rows loaded + rows rejected.\n\n" CLI_INPUT_HELP
    "  --out POOL.h5         the pool file to write\n"
    "  --compression N       deflate level for the pool (default 1; 0 = none)\n";

enum { OPT_OUT = OPT_INPUT_LAST, OPT_COMPRESSION, OPT_HELP };

int cmd_ingest(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_INPUT_LONG_OPTIONS,
        {"out", required_argument, NULL, OPT_OUT},
        {"compression", required_argument, NULL, OPT_COMPRESSION},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0}};
    cli_input in;
    const char *out = NULL;
    long long level = 1;
    int rc = cli_input_init(&in, "ingest", argc), opt;
    if (rc) {
        return rc;
    }
    optind = 1;
    while ((opt = cli_next_option(&in, argc, argv, longopts)) != -1) {
        if (opt == CLI_OPT_ERROR) {
            rc = 1;
            goto done;
        }
        if (opt == OPT_OUT) {
            out = optarg;
        } else if (opt == OPT_COMPRESSION) {
            if (cli_parse_int("ingest", "--compression", optarg, 0, 9, &level) < 0) {
                rc = 1;
                goto done;
            }
        } else if (opt == OPT_HELP) {
            fputs(usage, stdout);
            goto done;
        } else {
            rc = cli_usage_error("ingest", "unknown option");
            goto done;
        }
    }
    if (!out) {
        rc = cli_usage_error("ingest", "--out POOL.h5 is required");
        goto done;
    }
    if ((rc = cli_input_positional(&in, argc, argv, optind)) != 0) {
        goto done;
    }
    if (in.pool_path) {
        rc = cli_usage_error("ingest", "ingest reads raw files (--transactions), not a pool");
        goto done;
    }
    cli_input_rejects_beside(&in, out, 0);
    pg_pool *pool = NULL;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int st = cli_input_load(&in, &pool);
    if (st < 0) {
        rc = cli_fail(st, "ingest");
        goto done;
    }
    pg_store_options so;
    pg_store_options_init(&so);
    so.compression = (int)level;
    so.threads = cli_input_threads(&in);
    st = pg_pool_save(pool, out, &so);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (st < 0) {
        rc = cli_fail(st, "ingest");
    } else {
        printf("wrote %s: %lld transactions, %u accounts, %u institutions in %.2f s\n", out,
               (long long)pg_pool_num_txns(pool), pg_pool_num_accounts(pool),
               pg_pool_num_institutions(pool),
               (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec));
    }
    pg_pool_free(pool);
done:
    cli_input_free(&in);
    return rc;
}
