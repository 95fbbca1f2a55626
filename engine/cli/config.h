/*
 * The job configuration of `paygraph scan`: every command-line option can
 * also be given in a JSON file (--config JOB.json); flags override the
 * file; the effective configuration is written into report.json.
 *
 * Keys (all optional; unknown keys are an error naming the key):
 *   input   {pool: F | transactions: [F..], accounts: [F..], watchlist: [F..]}
 *   out     DIR
 *   top     rings pictured and detailed (default 20)
 *   previous  an earlier scan's folder or results.h5 (rings marked new or continuing)
 *   level   "account" | "entity"
 *   weight  projection weight: "count" | "amount" | "log_amount" (default count)
 *   seed, threads (0: the CPUs available), log_format "text" | "json"
 *   rings   {keep, use_watchlist, typologies, low_value_max, night_start_hour,
 *            night_end_hour, high_risk_countries: [..], max_evidence}
 *   ingest  {format, on_error, currency, rejects, checksums}
 *   report  {max_accounts, account_floor, max_path_txns, max_nodes}
 */
#ifndef PG_CLI_CONFIG_H
#define PG_CLI_CONFIG_H

#include "input.h"
#include "paygraph/paygraph.h"

typedef struct scan_config {
    const char *out;
    const char *previous; /* --previous: an earlier scan's folder or results.h5, or NULL */
    uint32_t top;
    pg_graph_options graph;
    pg_rings_options rings;
    pg_report_options report;
    pg_log_format log_format;
    /* input from the file (used only when the command line names no input) */
    const char *pool;
    const char **txn, **accounts, **watchlist;
    size_t n_txn, n_accounts, n_watchlist;
    const char **high_risk; /* owned array; strings borrowed from doc */
    void *doc;              /* the parsed file (cJSON), owner of the strings */
} scan_config;

void scan_config_init(scan_config *c);
void scan_config_free(scan_config *c);

/*
 * Read a config file into c and the input options in (ingest keys).
 * Returns 0, or an exit code after printing "paygraph scan: config F: ...".
 */
int scan_config_load(scan_config *c, cli_input *in, const char *path);

/* The effective configuration as a JSON object text (malloc'd), or NULL when out of memory. */
char *scan_config_json(const scan_config *c, const cli_input *in, int threads);

#endif
