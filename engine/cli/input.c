/* Shared handling of INPUT for the analysis commands. */
#include "input.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

int cli_input_init(cli_input *in, const char *cmd, int argc)
{
    memset(in, 0, sizeof(*in));
    in->cmd = cmd;
    in->format = "paygraph";
    in->on_error = PG_ON_ERROR_FAIL;
    in->currency = "AUD";
    in->checksums = 1;
    in->seed = 1;
    size_t n = (size_t)(argc > 0 ? argc : 1);
    in->txn = calloc(n, sizeof(char *));
    in->accounts = calloc(n, sizeof(char *));
    in->watchlist = calloc(n, sizeof(char *));
    if (!in->txn || !in->accounts || !in->watchlist) {
        fprintf(stderr, "paygraph %s: out of memory\n", cmd);
        cli_input_free(in);
        return 3;
    }
    return 0;
}

void cli_input_free(cli_input *in)
{
    free(in->txn);
    free(in->accounts);
    free(in->watchlist);
    in->txn = NULL;
    in->accounts = NULL;
    in->watchlist = NULL;
}

int cli_input_option(cli_input *in, int opt, const char *arg)
{
    long long v;
    switch (opt) {
    case OPT_TRANSACTIONS:
        in->txn[in->n_txn++] = arg;
        return 1;
    case OPT_ACCOUNTS:
        in->accounts[in->n_accounts++] = arg;
        return 1;
    case OPT_WATCHLIST:
        in->watchlist[in->n_watchlist++] = arg;
        return 1;
    case OPT_FORMAT:
        if (strcmp(arg, "paygraph") && strcmp(arg, "amlworld") && strcmp(arg, "jsonl")) {
            cli_usage_error(in->cmd, "--format is paygraph, amlworld or jsonl, not '%s'", arg);
            return -1;
        }
        in->format = arg;
        return 1;
    case OPT_ON_ERROR:
        if (!strcmp(arg, "fail")) {
            in->on_error = PG_ON_ERROR_FAIL;
        } else if (!strcmp(arg, "skip")) {
            in->on_error = PG_ON_ERROR_SKIP;
        } else {
            cli_usage_error(in->cmd, "--on-error is fail or skip, not '%s'", arg);
            return -1;
        }
        return 1;
    case OPT_REJECTS:
        in->rejects = arg;
        return 1;
    case OPT_CURRENCY:
        in->currency = arg;
        return 1;
    case OPT_NO_CHECKSUM:
        in->checksums = 0;
        return 1;
    case OPT_MAX_MEMORY:
        if (pg_memory_parse_size(arg, &in->max_memory) < 0) {
            cli_usage_error(in->cmd, "--max-memory: %s", pg_error_last());
            return -1;
        }
        return 1;
    case OPT_THREADS:
        if (cli_parse_int(in->cmd, "--threads", arg, 1, 4096, &v) < 0) {
            return -1;
        }
        in->threads = (int)v;
        return 1;
    case OPT_SEED:
        if (cli_parse_int(in->cmd, "--seed", arg, 0, INT64_MAX, &v) < 0) {
            return -1;
        }
        in->seed = (uint64_t)v;
        return 1;
    default:
        return 0;
    }
}

int cli_next_option(cli_input *in, int argc, char **argv, const struct option *longopts)
{
    int opt;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        int h = cli_input_option(in, opt, optarg);
        if (h < 0) {
            return CLI_OPT_ERROR;
        }
        if (!h) {
            return opt;
        }
    }
    return -1;
}

int cli_input_positional(cli_input *in, int argc, char **argv, int first)
{
    if (first < argc) {
        if (first + 1 < argc) {
            return cli_usage_error(in->cmd, "unexpected argument '%s'", argv[first + 1]);
        }
        if (pg_is_hdf5(argv[first])) {
            in->pool_path = argv[first];
        } else {
            in->txn[in->n_txn++] = argv[first]; /* a transactions file given as INPUT */
        }
    }
    if (!in->pool_path && in->n_txn == 0) {
        return cli_usage_error(in->cmd, "INPUT is missing: a pool file or --transactions F");
    }
    if (in->pool_path && in->n_txn + in->n_accounts + in->n_watchlist > 0) {
        return cli_usage_error(in->cmd, "give either a pool file or raw files, not both");
    }
    return 0;
}

void cli_input_rejects_beside(cli_input *in, const char *output, int output_is_dir)
{
    if (in->rejects) {
        return;
    }
    if (output_is_dir) {
        snprintf(in->rejects_buf, sizeof(in->rejects_buf), "%s/rejects.csv", output);
    } else {
        snprintf(in->rejects_buf, sizeof(in->rejects_buf), "%s.rejects.csv", output);
    }
    in->rejects = in->rejects_buf;
}

int cli_input_threads(const cli_input *in)
{
    return pg_threads_resolve(in->threads);
}

static void print_totals(const pg_pool *p, const cli_input *in)
{
    pg_ingest_totals t;
    pg_pool_totals(p, &t);
    fprintf(stderr,
            "paygraph: rows read %llu = loaded %llu + rejected %llu; %lld transactions, "
            "%u accounts (%u only in accounts/watchlist files)\n",
            (unsigned long long)t.rows_read, (unsigned long long)t.rows_loaded,
            (unsigned long long)t.rows_rejected, (long long)pg_pool_num_txns(p),
            pg_pool_num_accounts(p), t.accounts_only_in_side_files);
    if (t.rows_rejected && in->rejects) {
        fprintf(stderr, "paygraph: rejected rows are in %s\n", in->rejects);
    }
}

/* The estimate from file sizes, before anything is parsed. */
static int check_files(const cli_input *in)
{
    uint64_t bytes = 0, gz = 0;
    for (size_t i = 0; i < in->n_txn; i++) {
        struct stat st;
        size_t n = strlen(in->txn[i]);
        if (stat(in->txn[i], &st) == 0) {
            bytes += (uint64_t)st.st_size;
            gz += n > 3 && !strcmp(in->txn[i] + n - 3, ".gz") ? (uint64_t)st.st_size : 0;
        }
    }
    return pg_memory_check(pg_memory_estimate_files(bytes, gz), in->max_memory,
                           "the input (estimated from file sizes)");
}

/* The estimate from the counts, once loaded. */
static int check_counts(const cli_input *in, pg_pool **p)
{
    int err = pg_memory_check(pg_memory_estimate(pg_pool_num_txns(*p), pg_pool_num_accounts(*p)),
                              in->max_memory, "the pool and its graph");
    if (err < 0) {
        pg_pool_free(*p);
        *p = NULL;
    }
    return err;
}

int cli_input_load(cli_input *in, pg_pool **out)
{
    int err;
    if (in->pool_path) {
        if ((err = pg_pool_load_threads(out, in->pool_path, in->threads)) < 0) {
            return err;
        }
        return check_counts(in, out);
    }
    if ((err = check_files(in)) < 0) {
        return err;
    }
    pg_ingest_options o;
    pg_ingest_options_init(&o);
    o.transactions = in->txn;
    o.n_transactions = in->n_txn;
    o.accounts = in->accounts;
    o.n_accounts = in->n_accounts;
    o.watchlist = in->watchlist;
    o.n_watchlist = in->n_watchlist;
    o.format = in->format;
    o.on_error = in->on_error;
    if (in->on_error == PG_ON_ERROR_SKIP && !in->rejects) {
        in->rejects = "paygraph-rejects.csv";
    }
    o.rejects_path = in->rejects;
    o.default_currency = in->currency;
    o.checksums = in->checksums;
    o.threads = in->threads;
    o.warn = in->warn;
    o.warn_ctx = in->warn_ctx;
    if ((err = pg_pool_ingest(out, &o)) < 0) {
        return err;
    }
    if (!in->quiet) {
        print_totals(*out, in);
    }
    return check_counts(in, out);
}
