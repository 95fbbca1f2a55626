/*
 * The INPUT of every analysis command (DESIGN.md §6): a pool file written
 * by `paygraph ingest`, or transactions files given exactly as for ingest
 * (--transactions, --accounts, --watchlist may each be repeated).
 */
#ifndef PG_CLI_INPUT_H
#define PG_CLI_INPUT_H

#include <getopt.h>

#include "paygraph/paygraph.h"

/* Option codes shared by commands that take INPUT (long-only options). */
enum {
    OPT_TRANSACTIONS = 1000,
    OPT_ACCOUNTS,
    OPT_WATCHLIST,
    OPT_FORMAT,
    OPT_ON_ERROR,
    OPT_REJECTS,
    OPT_THREADS,
    OPT_SEED,
    OPT_CURRENCY,
    OPT_NO_CHECKSUM,
    OPT_MAX_MEMORY,
    OPT_INPUT_LAST
};

#define CLI_INPUT_LONG_OPTIONS                                                                     \
    {"transactions", required_argument, NULL, OPT_TRANSACTIONS},                                   \
        {"accounts", required_argument, NULL, OPT_ACCOUNTS},                                       \
        {"watchlist", required_argument, NULL, OPT_WATCHLIST},                                     \
        {"format", required_argument, NULL, OPT_FORMAT},                                           \
        {"on-error", required_argument, NULL, OPT_ON_ERROR},                                       \
        {"rejects", required_argument, NULL, OPT_REJECTS},                                         \
        {"threads", required_argument, NULL, OPT_THREADS},                                         \
        {"seed", required_argument, NULL, OPT_SEED},                                               \
        {"currency", required_argument, NULL, OPT_CURRENCY},                                       \
        {"max-memory", required_argument, NULL, OPT_MAX_MEMORY},                                   \
    {                                                                                              \
        "no-checksum", no_argument, NULL, OPT_NO_CHECKSUM                                          \
    }

#define CLI_INPUT_HELP                                                                             \
    "INPUT is a pool file written by 'paygraph ingest', or raw files:\n"                           \
    "  --transactions F      transactions (CSV, JSON Lines, optionally .gz); repeatable\n"         \
    "  --accounts F          accounts with entity tokens; repeatable\n"                            \
    "  --watchlist F         known accounts; repeatable\n"                                         \
    "  --format NAME         paygraph (default), amlworld or jsonl\n"                              \
    "  --on-error fail|skip  stop at the first bad row (default, exit 2) or set it aside\n"        \
    "  --rejects F           where skipped rows go (default: beside the output)\n"                 \
    "  --currency CODE       currency of rows without one (default AUD)\n"                         \
    "  --no-checksum         do not compute SHA-256 of the inputs\n"                               \
    "  --max-memory SIZE     stop (exit 3) when the estimate exceeds SIZE (e.g. 8G)\n"             \
    "  --threads N           threads (default: the CPUs this process may use)\n"                   \
    "  --seed S              random seed (default 1)\n"

typedef struct cli_input {
    const char *cmd;
    const char *pool_path;
    const char **txn;
    size_t n_txn;
    const char **accounts;
    size_t n_accounts;
    const char **watchlist;
    size_t n_watchlist;
    const char *format;
    pg_on_error on_error;
    const char *rejects;
    const char *currency;
    int checksums;
    int threads;
    uint64_t seed;
    uint64_t max_memory; /* bytes, 0 = no budget (MemAvailable still applies) */
    char rejects_buf[4096];
    /* Optional: where ingest warnings go (NULL: stderr), and no totals line on stderr. */
    void (*warn)(void *ctx, const char *message);
    void *warn_ctx;
    int quiet;
} cli_input;

/* Prepare for argc arguments (arrays sized for the worst case). 0 or exit code 1. */
int cli_input_init(cli_input *in, const char *cmd, int argc);
void cli_input_free(cli_input *in);

/*
 * Handle one shared option. Returns 1 when handled, 0 when the option is not
 * an input option, or -1 after printing a usage error.
 */
int cli_input_option(cli_input *in, int opt, const char *arg);

#define CLI_OPT_ERROR (-2)

/*
 * The next option for the command itself: getopt_long over argv, the shared
 * input options handled on the way. Returns the option (optarg set as usual),
 * -1 at the end, or CLI_OPT_ERROR after printing a usage error.
 */
int cli_next_option(cli_input *in, int argc, char **argv, const struct option *longopts);

/* Take the positional INPUT (argv[optind..]). Returns 0 or exit code 1. */
int cli_input_positional(cli_input *in, int argc, char **argv, int first);

/* Default rejects file beside an output path. */
void cli_input_rejects_beside(cli_input *in, const char *output, int output_is_dir);

/*
 * Load the pool (reading the pool file or ingesting the raw files). Prints
 * ingest totals on stderr. Returns 0 or a library status (message set).
 */
int cli_input_load(cli_input *in, pg_pool **out);

/* Resolved thread count for library options. */
int cli_input_threads(const cli_input *in);

#endif
