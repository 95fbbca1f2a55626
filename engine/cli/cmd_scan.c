/*
 * paygraph scan: one command from pooled files to a ranked, explained,
 * pictured report. Stages: load (pool file or ingest) -> graph -> rings ->
 * outputs (report.json, results.h5, rings/<id>.svg|.dot, report.html) ->
 * commit (the output folder appears atomically). Each stage is timed (wall,
 * CPU, peak memory) into report.json.
 *
 * Exit codes: 0 ok, 1 usage or configuration, 2 bad input, 3 resources
 * (memory, disk full, unwritable output), 4 internal error or interrupted
 * (SIGINT/SIGTERM). On any failure the temporary folder is removed and a
 * previous report in DIR stays as it was.
 *
 * Test hook: PG_SCAN_INTERRUPT_AT=<stage> raises the interrupt flag as that
 * stage starts (load, graph, rings, outputs, commit), exactly as a signal
 * arriving then would.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "config.h"
#include "input.h"

static const char usage[] =
    "usage: paygraph scan INPUT --out DIR [--config JOB.json] [--top K]\n"
    "                     [--level account|entity] [--threads N] [--seed S]\n"
    "                     [--previous EARLIER] [--log-format text|json]\n\n"
    "Loads or ingests the input, builds the graph, detects, scores and explains\n"
    "payment rings, and writes into DIR (atomically; folder 0700, files 0600):\n"
    "  report.json   run metadata, ingest totals, rings with evidence, account scores\n"
    "  results.h5    per-account arrays and per-ring tables (h5py/pandas)\n"
    "  rings/<id>.svg, rings/<id>.dot   a picture of each top ring\n"
    "  report.html   one self-contained page for analysts (prints well)\n"
    "and prints the ranked rings on stdout.\n\n" CLI_INPUT_HELP
    "  --out DIR             output folder (replaced only if it holds a previous report)\n"
    "  --config F            JSON job file; every option can be set there, flags win\n"
    "  --top K               rings pictured and detailed (default 20)\n"
    "  --level L             account (default) or entity\n"
    "  --previous EARLIER    an earlier scan's folder (or its results.h5), say last month's:\n"
    "                        each ring is marked new or continuing, with its id there\n"
    "                        (accounts matched by institution and account name), and the\n"
    "                        communities start from its communities\n"
    "  --log-format F        text (default) or json (one object per line on stderr)\n\n"
    "Exit codes: 0 ok, 1 usage/config, 2 bad input, 3 memory/disk/unwritable output,\n"
    "4 internal error or interrupted by SIGINT/SIGTERM (no partial report is left).\n";

enum {
    OPT_OUT = OPT_INPUT_LAST,
    OPT_CONFIG,
    OPT_TOP,
    OPT_LEVEL,
    OPT_PREVIOUS,
    OPT_LOG_FORMAT,
    OPT_HELP
};

static const struct option longopts[] = {CLI_INPUT_LONG_OPTIONS,
                                         {"out", required_argument, NULL, OPT_OUT},
                                         {"config", required_argument, NULL, OPT_CONFIG},
                                         {"top", required_argument, NULL, OPT_TOP},
                                         {"level", required_argument, NULL, OPT_LEVEL},
                                         {"previous", required_argument, NULL, OPT_PREVIOUS},
                                         {"log-format", required_argument, NULL, OPT_LOG_FORMAT},
                                         {"help", no_argument, NULL, OPT_HELP},
                                         {NULL, 0, NULL, 0}};

/* The signal that interrupted the run, for the message (a handler may only set flags). */
static volatile sig_atomic_t caught_signal;

static void on_signal(int sig)
{
    caught_signal = sig;
    pg_interrupt_request();
}

static void install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND; /* a second Ctrl-C kills at once */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

#define MAX_STAGES 8

typedef struct scan_job {
    scan_config cfg;
    cli_input in;
    pg_log log;
    pg_outdir out;
    pg_pool *pool;
    pg_graph graph;
    pg_rings *rings;
    pg_previous_scan *previous;
    char previous_path[4400];
    pg_run_info run;
    pg_stage_stats stages[MAX_STAGES];
    double stage_t0, stage_cpu0;
    char *config_json;
    const char *failed_stage;
} scan_job;

/* Start a stage: log it, honour the test hook, and refuse to go on once interrupted. */
static int stage_begin(scan_job *j, const char *name)
{
    const char *hook = getenv("PG_SCAN_INTERRUPT_AT");
    if (hook && !strcmp(hook, name)) {
        pg_interrupt_request();
    }
    j->failed_stage = name;
    if (pg_interrupted()) {
        return PG_EINTR;
    }
    j->log.stage = name;
    j->stage_t0 = pg_now();
    j->stage_cpu0 = pg_cpu_seconds();
    pg_log_progress(&j->log, name, j->run.n_stages, 5);
    return 0;
}

static void stage_end(scan_job *j, const char *name)
{
    if (j->run.n_stages < MAX_STAGES) {
        pg_stage_stats *s = &j->stages[j->run.n_stages++];
        s->name = name;
        s->wall_seconds = pg_now() - j->stage_t0;
        s->cpu_seconds = pg_cpu_seconds() - j->stage_cpu0;
        s->peak_rss = pg_peak_rss();
        char extra[160];
        snprintf(extra, sizeof(extra),
                 "\"wall_seconds\":%.3f,\"cpu_seconds\":%.3f,\"peak_rss_bytes\":%llu",
                 s->wall_seconds, s->cpu_seconds, (unsigned long long)s->peak_rss);
        pg_log_message(&j->log, "info", name, extra, "done in %.2f s, peak memory %.1f MiB",
                       s->wall_seconds, (double)s->peak_rss / 1048576.0);
    }
}

/* Command line: pass 1 finds --config (and --help), pass 2 applies flags over the file. */
static int parse(scan_job *j, int argc, char **argv)
{
    int opt, rc;
    const char *config = NULL;
    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (opt == OPT_CONFIG) {
            config = optarg;
        } else if (opt == OPT_HELP) {
            fputs(usage, stdout);
            return -1;
        }
    }
    if (config && (rc = scan_config_load(&j->cfg, &j->in, config)) != 0) {
        return rc;
    }
    opterr = 1;
    optind = 1;
    while ((opt = cli_next_option(&j->in, argc, argv, longopts)) != -1) {
        long long v;
        if (opt == CLI_OPT_ERROR) {
            return 1;
        }
        if (opt == OPT_CONFIG) {
            continue;
        }
        if (opt == OPT_OUT) {
            j->cfg.out = optarg;
        } else if (opt == OPT_TOP) {
            if (cli_parse_int("scan", "--top", optarg, 0, 1000000, &v) < 0) {
                return 1;
            }
            j->cfg.top = (uint32_t)v;
        } else if (opt == OPT_PREVIOUS) {
            j->cfg.previous = optarg;
        } else if (opt == OPT_LEVEL) {
            if (cli_parse_level("scan", optarg, &j->cfg.graph.level) < 0) {
                return 1;
            }
        } else if (opt == OPT_LOG_FORMAT && (!strcmp(optarg, "text") || !strcmp(optarg, "json"))) {
            j->cfg.log_format = !strcmp(optarg, "json") ? PG_LOG_JSON : PG_LOG_TEXT;
        } else {
            return cli_usage_error("scan", opt == OPT_LOG_FORMAT ? "--log-format is text or json"
                                                                 : "unknown option");
        }
    }
    return 0;
}

/* Input from the config file when the command line names none. */
static int input_from_config(scan_job *j, int argc, char **argv)
{
    cli_input *in = &j->in;
    scan_config *c = &j->cfg;
    if (optind < argc || in->n_txn || in->n_accounts || in->n_watchlist) {
        return cli_input_positional(in, argc, argv, optind);
    }
    if (c->pool) {
        in->pool_path = c->pool;
    }
    size_t need = c->n_txn + c->n_accounts + c->n_watchlist + 1;
    const char **t = realloc(in->txn, need * sizeof(char *));
    const char **a = t ? realloc(in->accounts, need * sizeof(char *)) : NULL;
    const char **w = a ? realloc(in->watchlist, need * sizeof(char *)) : NULL;
    in->txn = t ? t : in->txn;
    in->accounts = a ? a : in->accounts;
    in->watchlist = w ? w : in->watchlist;
    if (!w) {
        fprintf(stderr, "paygraph scan: out of memory\n");
        return 3;
    }
    memcpy(in->txn, c->txn, c->n_txn * sizeof(char *));
    memcpy(in->accounts, c->accounts, c->n_accounts * sizeof(char *));
    memcpy(in->watchlist, c->watchlist, c->n_watchlist * sizeof(char *));
    in->n_txn = c->n_txn;
    in->n_accounts = c->n_accounts;
    in->n_watchlist = c->n_watchlist;
    return cli_input_positional(in, argc, argv, argc);
}

/* Ingest warnings become log lines (so --log-format=json stays one object per line). */
static void on_warning(void *ctx, const char *message)
{
    scan_job *j = ctx;
    pg_log_message(&j->log, "warning", "load", NULL, "%s", message);
}

static int load_stage(scan_job *j)
{
    int err = stage_begin(j, "load");
    if (err < 0) {
        return err;
    }
    char rejects[4400];
    if (!j->in.rejects && pg_outdir_path(&j->out, "rejects.csv", rejects, sizeof(rejects)) == 0) {
        j->in.rejects = rejects; /* inside the new report; used only with on_error skip */
    }
    j->in.warn = on_warning;
    j->in.warn_ctx = j;
    j->in.quiet = 1; /* the totals are logged below */
    err = cli_input_load(&j->in, &j->pool);
    if (j->in.rejects == rejects) {
        j->in.rejects = NULL;
    }
    if (err < 0) {
        return err;
    }
    pg_ingest_totals t;
    pg_pool_totals(j->pool, &t);
    char extra[200];
    snprintf(extra, sizeof(extra),
             "\"rows_read\":%llu,\"rows_loaded\":%llu,\"rows_rejected\":%llu,"
             "\"transactions\":%lld",
             (unsigned long long)t.rows_read, (unsigned long long)t.rows_loaded,
             (unsigned long long)t.rows_rejected, (long long)pg_pool_num_txns(j->pool));
    pg_log_message(&j->log, "info", "load", extra,
                   "rows read %llu = loaded %llu + rejected %llu; %lld transactions, %u accounts, "
                   "%u institutions",
                   (unsigned long long)t.rows_read, (unsigned long long)t.rows_loaded,
                   (unsigned long long)t.rows_rejected, (long long)pg_pool_num_txns(j->pool),
                   pg_pool_num_accounts(j->pool), pg_pool_num_institutions(j->pool));
    if (t.rows_rejected) {
        pg_log_message(&j->log, "warning", "load", NULL, "rejected rows are in %s%s",
                       j->in.rejects ? j->in.rejects : j->cfg.out,
                       j->in.rejects ? "" : "/rejects.csv");
    }
    stage_end(j, "load");
    return 0;
}

static int graph_stage(scan_job *j)
{
    int err = stage_begin(j, "graph");
    if (err < 0) {
        return err;
    }
    j->cfg.graph.threads = j->run.threads;
    if ((err = pg_graph_build(&j->graph, j->pool, &j->cfg.graph)) < 0) {
        return err;
    }
    pg_log_message(&j->log, "info", "graph", NULL, "%u vertices, %lld aggregated edges", j->graph.n,
                   (long long)j->graph.agg.m);
    stage_end(j, "graph");
    return 0;
}

/*
 * The context communities start from the earlier scan's, so that accounts
 * keep their communities from one scan to the next (detection and ranking
 * do not use them).
 */
static int previous_communities(scan_job *j, uint32_t **start)
{
    uint32_t matched;
    *start = malloc(((size_t)j->graph.n + 1) * sizeof(**start));
    if (!*start) {
        return CLI_ENOMEM;
    }
    int err = pg_previous_scan_communities(*start, &matched, j->previous, j->pool, &j->graph,
                                           j->run.threads);
    if (err < 0) {
        free(*start);
        *start = NULL;
        if (err != PG_EINPUT) {
            return err;
        }
        /* a results file written by the library without communities: rings still match */
        pg_log_message(&j->log, "warning", "rings", NULL, "%s; communities start cold",
                       pg_error_last());
        return 0;
    }
    if (matched == 0) {
        free(*start); /* every vertex alone: a cold start */
        *start = NULL;
        pg_log_message(&j->log, "info", "rings", NULL,
                       "communities start cold: no account of this pool is in the previous scan");
        return 0;
    }
    pg_log_message(&j->log, "info", "rings", NULL,
                   "communities start from the previous scan's (%u of %u accounts found there)",
                   matched, j->graph.n_accounts);
    return 0;
}

/* Relate the rings to the earlier scan's and say what that found. */
static int match_previous(scan_job *j)
{
    int err = pg_rings_match_previous(j->rings, j->previous, j->pool, j->run.threads);
    if (err < 0) {
        return err;
    }
    const pg_rings_previous *t = &j->rings->previous;
    pg_log_message(&j->log, "info", "rings", NULL,
                   "previous scan %s: %u rings; %u of these rings continue one, %u are new; %u "
                   "earlier rings no longer found; %u of its %u accounts found in this pool",
                   j->previous_path, t->rings, t->continuing, j->rings->n - t->continuing, t->gone,
                   t->accounts_found, t->accounts);
    if (t->accounts_found == 0 && t->accounts > 0) {
        pg_log_message(&j->log, "warning", "rings", NULL,
                       "no account of the previous scan is in this pool (another pool, or names "
                       "pseudonymised with another key?): every ring is new");
    }
    return 0;
}

static int rings_stage(scan_job *j)
{
    int err = stage_begin(j, "rings");
    if (err < 0) {
        return err;
    }
    j->cfg.rings.threads = j->run.threads;
    j->cfg.rings.seed = j->in.seed;
    uint32_t *start = NULL;
    if (j->previous && (err = previous_communities(j, &start)) < 0) {
        return err;
    }
    j->cfg.rings.initial_communities = start;
    err = pg_rings_detect(&j->rings, j->pool, &j->graph, &j->cfg.rings);
    j->cfg.rings.initial_communities = NULL;
    free(start);
    if (err < 0) {
        return err;
    }
    if (pg_interrupted()) {
        return PG_EINTR;
    }
    pg_log_message(&j->log, "info", "rings", NULL, "%u rings; %u communities, modularity %.3f",
                   j->rings->n, j->rings->n_communities, j->rings->modularity);
    if (j->previous && (err = match_previous(j)) < 0) {
        return err;
    }
    stage_end(j, "rings");
    return 0;
}

static int write_text(scan_job *j, const char *rel, pg_report_text *t)
{
    int err = pg_outdir_write(&j->out, rel, t->data, t->len);
    return err < 0 ? err : (pg_interrupted() ? PG_EINTR : 0);
}

/* rings/<id>.svg and .dot for the top rings; the SVGs are kept for the HTML page. */
static int pictures(scan_job *j, pg_report_text *svgs, uint32_t top)
{
    int err = pg_outdir_mkdir(&j->out, "rings");
    for (uint32_t k = 0; k < top && !err; k++) {
        char rel[64];
        pg_report_text dot = {0};
        uint32_t id = j->rings->rings[k].id;
        err = pg_ring_svg(&svgs[k], j->pool, &j->graph, j->rings, k, &j->cfg.report);
        if (!err) {
            snprintf(rel, sizeof(rel), "rings/%u.svg", id);
            err = write_text(j, rel, &svgs[k]);
        }
        if (!err) {
            err = pg_ring_dot(&dot, j->pool, &j->graph, j->rings, k, &j->cfg.report);
        }
        if (!err) {
            snprintf(rel, sizeof(rel), "rings/%u.dot", id);
            err = write_text(j, rel, &dot);
        }
        pg_report_text_free(&dot);
        pg_log_progress(&j->log, "pictures", k + 1, top);
    }
    return err;
}

static int outputs_stage(scan_job *j)
{
    int err = stage_begin(j, "outputs");
    if (err < 0) {
        return err;
    }
    uint32_t top = j->cfg.top && j->cfg.top < j->rings->n ? j->cfg.top : j->rings->n;
    pg_report_text *svgs = calloc(top ? top : 1, sizeof(*svgs));
    pg_report_text html = {0};
    char h5[4400];
    if (!svgs) {
        return CLI_ENOMEM;
    }
    j->cfg.report.top = j->cfg.top; /* as given: the page also names the earlier top rings gone */
    err = pictures(j, svgs, top);
    j->run.end_time = pg_now(); /* the page is stamped when written; report.json again later */
    if (!err && !(err = pg_outdir_path(&j->out, "results.h5", h5, sizeof(h5)))) {
        err = pg_results_write_h5(h5, j->pool, &j->graph, j->rings, &j->run);
    }
    if (!err && !(err = pg_report_html(&html, j->pool, j->rings, &j->run, svgs, &j->cfg.report))) {
        err = write_text(j, "report.html", &html);
    }
    pg_report_text_free(&html);
    for (uint32_t k = 0; k < top; k++) {
        pg_report_text_free(&svgs[k]);
    }
    free(svgs);
    if (err < 0) {
        return err;
    }
    stage_end(j, "outputs");
    return 0;
}

/* report.json last: it carries the timings of every stage before it. */
static int commit_stage(scan_job *j)
{
    int err = stage_begin(j, "commit");
    if (err < 0) {
        return err;
    }
    pg_report_text json = {0};
    j->run.end_time = pg_now();
    if ((err = pg_report_json(&json, j->pool, &j->graph, j->rings, &j->run, &j->cfg.report)) == 0) {
        err = write_text(j, "report.json", &json);
    }
    pg_report_text_free(&json);
    if (!err) {
        err = pg_interrupted() ? PG_EINTR : pg_outdir_commit(&j->out);
    }
    return err;
}

static int run_stages(scan_job *j)
{
    int err;
    (void)((err = load_stage(j)) < 0 || (err = graph_stage(j)) < 0 || (err = rings_stage(j)) < 0 ||
           (err = outputs_stage(j)) < 0 || (err = commit_stage(j)) < 0);
    return err;
}

static int fail(scan_job *j, int err)
{
    pg_outdir_abort(&j->out);
    const char *stage = j->failed_stage ? j->failed_stage : "start";
    if (err == PG_EINTR || pg_interrupted()) {
        pg_log_message(&j->log, "error", stage, "\"exit\":4",
                       "interrupted%s during %s; no report written, %s left as it was",
                       caught_signal == SIGTERM  ? " by SIGTERM"
                       : caught_signal == SIGINT ? " by SIGINT"
                                                 : "",
                       stage, j->cfg.out);
        return pg_exit_code(PG_EINTR);
    }
    const char *why = err == CLI_ENOMEM ? "paygraph scan's own allocation" : pg_error_last();
    err = err == CLI_ENOMEM ? PG_ENOMEM : err;
    char extra[32];
    snprintf(extra, sizeof(extra), "\"exit\":%d", pg_exit_code(err));
    pg_log_message(&j->log, "error", stage, extra, "%s: %s; no report written, %s left as it was",
                   pg_strerror(err), why, j->cfg.out);
    return pg_exit_code(err);
}

/* The earlier scan named by --previous: a folder holding results.h5, or the file itself. */
static int load_previous(scan_job *j)
{
    struct stat st;
    const char *p = j->cfg.previous;
    size_t len = strlen(p);
    while (len > 1 && p[len - 1] == '/') {
        len--; /* "2026-05/" names the folder 2026-05 */
    }
    int n =
        stat(p, &st) == 0 && S_ISDIR(st.st_mode)
            ? snprintf(j->previous_path, sizeof(j->previous_path), "%.*s/results.h5", (int)len, p)
            : snprintf(j->previous_path, sizeof(j->previous_path), "%s", p);
    if (n < 0 || (size_t)n >= sizeof(j->previous_path)) {
        pg_log_message(&j->log, "error", "previous", "\"exit\":1", "--previous: path too long");
        return 1;
    }
    int err = pg_previous_scan_load(&j->previous, j->previous_path, j->run.threads);
    if (err < 0) {
        j->failed_stage = "previous";
        return fail(j, err);
    }
    return 0;
}

static void finish(scan_job *j)
{
    pg_log_clear(&j->log);
    pg_report_summary(stdout, j->pool, j->rings, j->cfg.top);
    printf("report: %s/report.html\n", j->cfg.out);
    fflush(stdout);
    pg_log_message(&j->log, "info", "done", NULL, "report in %s (%.1f s)", j->cfg.out,
                   j->run.end_time - j->run.start_time);
}

static int scan(scan_job *j)
{
    j->run.command = "scan";
    j->run.seed = j->in.seed;
    j->run.threads = cli_input_threads(&j->in);
    j->run.omp_wait_policy = getenv("OMP_WAIT_POLICY");
    j->run.level = j->cfg.graph.level == PG_LEVEL_ENTITY ? "entity" : "account";
    j->run.start_time = pg_now();
    j->run.stages = j->stages;
    j->config_json = scan_config_json(&j->cfg, &j->in, j->run.threads);
    j->run.config_json = j->config_json;
    if (!j->config_json) {
        return fail(j, CLI_ENOMEM);
    }
    int err;
    pg_log_message(&j->log, "info", "start", NULL, "paygraph %s, %d thread%s, seed %llu, out %s",
                   pg_version(), j->run.threads, j->run.threads == 1 ? "" : "s",
                   (unsigned long long)j->in.seed, j->cfg.out);
    if (j->cfg.previous && (err = load_previous(j)) != 0) {
        return err;
    }
    err = pg_outdir_begin(&j->out, j->cfg.out);
    if (err < 0) {
        j->failed_stage = "start";
        return fail(j, err);
    }
    if ((err = run_stages(j)) < 0) {
        return fail(j, err);
    }
    finish(j);
    return 0;
}

int cmd_scan(int argc, char **argv)
{
    scan_job *j = calloc(1, sizeof(*j));
    if (!j) {
        fprintf(stderr, "paygraph scan: out of memory\n");
        return 3;
    }
    scan_config_init(&j->cfg);
    int rc = cli_input_init(&j->in, "scan", argc);
    if (!rc) {
        rc = parse(j, argc, argv);
    }
    if (!rc) {
        rc = input_from_config(j, argc, argv);
    }
    if (!rc && !j->cfg.out) {
        rc = cli_usage_error("scan", "--out DIR is required");
    }
    if (!rc) {
        pg_log_init(&j->log, stderr, j->cfg.log_format, -1);
        install_signals();
        rc = scan(j);
    }
    rc = rc < 0 ? 0 : rc; /* --help */
    pg_rings_free(j->rings);
    pg_previous_scan_free(j->previous);
    pg_graph_free(&j->graph);
    pg_pool_free(j->pool);
    free(j->config_json);
    cli_input_free(&j->in);
    scan_config_free(&j->cfg);
    free(j);
    return rc;
}
