/*
 * paygraph — the outputs of a scan (DESIGN.md §5): report.json, results.h5,
 * a picture (SVG and DOT) of each top ring, one self-contained report.html,
 * the ranked table for stdout, the atomic output folder, and log lines.
 *
 * Every writer reads a pool, its graph views and the rings detected on them;
 * none of them changes anything it is given. Text outputs are built in memory
 * (pg_report_text) so that the HTML page can inline the pictures, and are
 * written to disk only through the output folder, which makes the whole set
 * appear at once or not at all.
 *
 * Equal inputs give byte-identical outputs (apart from the run metadata of
 * report.json: times, memory and the thread count), whatever the thread count.
 */
#ifndef PAYGRAPH_REPORT_H
#define PAYGRAPH_REPORT_H

#include <stdio.h>

#include "paygraph/paths.h"
#include "paygraph/rings.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A text produced by a writer; free with pg_report_text_free. */
typedef struct pg_report_text {
    char *data; /* NUL-terminated */
    size_t len; /* bytes before the NUL */
} pg_report_text;

PG_API void pg_report_text_free(pg_report_text *t);

/* What the report says about the run itself. Every field may be left zero/NULL. */
typedef struct pg_run_info {
    const char *command;     /* e.g. "scan" */
    const char *config_json; /* effective configuration as a JSON object (text) */
    uint64_t seed;
    int threads;
    const char *level; /* "account" or "entity" */
    double start_time; /* epoch seconds (with fraction), UTC */
    double end_time;
    const pg_stage_stats *stages;
    size_t n_stages;
    const char *omp_wait_policy; /* OMP_WAIT_POLICY in force (NULL: the runtime's default) */
} pg_run_info;

typedef struct pg_report_options {
    uint32_t top;           /* rings detailed and pictured (default 20; 0: all) */
    uint32_t max_accounts;  /* per-account scores listed in report.json (default 10000) */
    double account_floor;   /* list accounts scoring above this (default 0) */
    uint32_t max_path_txns; /* transactions shown per evidence path (default 50) */
    uint32_t max_nodes;     /* members drawn in a ring picture (default 60, by score) */
} pg_report_options;

PG_API void pg_report_options_init(pg_report_options *o);

/*
 * report.json: run metadata, ingest totals, graph summary, the rings ordered
 * by score with members, evidence transactions (exact decimal amounts in
 * their currency), explanations and indicators, and the per-account scores.
 * The layout is docs/report.schema.json. g may be NULL (no graph summary).
 * Errors: PG_ENOMEM. Complexity: O(accounts log accounts + evidence).
 */
PG_API int pg_report_json(pg_report_text *out, const pg_pool *p, const pg_graph *g,
                          const pg_rings *r, const pg_run_info *run, const pg_report_options *o);

/*
 * results.h5: per-account arrays and per-ring tables (docs/results_h5.md),
 * object times off, so equal results give byte-identical files.
 * Errors: PG_EIO naming the file, PG_EDEP, PG_ENOMEM.
 */
PG_API int pg_results_write_h5(const char *path, const pg_pool *p, const pg_graph *g,
                               const pg_rings *r, const pg_run_info *run);

/*
 * The picture of ring r->rings[index]: its members and the transactions
 * between them aggregated per ordered pair, laid out by Kamada-Kawai from a
 * circle (deterministic), coloured by institution, shaped by role, edge width
 * by amount. g may be NULL (the transactions are then found by a full scan).
 * Errors: PG_EINVAL (index), PG_EDEP (igraph), PG_ENOMEM.
 */
PG_API int pg_ring_svg(pg_report_text *out, const pg_pool *p, const pg_graph *g, const pg_rings *r,
                       uint32_t index, const pg_report_options *o);

/* The same subgraph and attributes in Graphviz DOT (positions included). */
PG_API int pg_ring_dot(pg_report_text *out, const pg_pool *p, const pg_graph *g, const pg_rings *r,
                       uint32_t index, const pg_report_options *o);

/*
 * report.html: one self-contained page (inline CSS, inline SVG, no script,
 * no network) with the run summary, the ranked table and, for each top ring,
 * its picture, explanation, indicators and evidence transactions. svgs holds
 * the pictures of the first min(top, r->n) rings (entries may be NULL).
 */
PG_API int pg_report_html(pg_report_text *out, const pg_pool *p, const pg_rings *r,
                          const pg_run_info *run, const pg_report_text *svgs,
                          const pg_report_options *o);

/* The short ranked table printed by `paygraph scan` (at most top rows). */
PG_API int pg_report_summary(FILE *f, const pg_pool *p, const pg_rings *r, uint32_t top);

/*
 * Paths as their transactions: text (one line per hop) or JSON
 * ({"paths":[{"hops","cost","transactions":[...]}],"count","truncated"}), at
 * most `limit` paths. The path set must carry transactions (ps->txn).
 */
PG_API int pg_paths_report(pg_report_text *out, const pg_pool *p, const pg_path_set *ps,
                           size_t limit, int as_json);

/* Epoch seconds as ISO 8601 UTC ("2026-03-01T21:14:05Z"). cap >= 21. */
PG_API void pg_format_time(char *buf, size_t cap, int64_t t);

/*
 * An output folder written atomically: files go into a temporary sibling
 * "DIR.tmp.<pid>" (mode 0700, files 0600); pg_outdir_commit moves a previous
 * DIR aside only once the new folder is complete, renames the new one into
 * place and removes the old one; pg_outdir_abort removes the temporary folder.
 */
typedef struct pg_outdir {
    char final[4096];
    char tmp[4096];
    int open;
} pg_outdir;

/* Create the temporary folder. Errors: PG_EIO naming the path. */
PG_API int pg_outdir_begin(pg_outdir *d, const char *dir);
/* Create a sub-folder (e.g. "rings") inside the temporary folder. */
PG_API int pg_outdir_mkdir(pg_outdir *d, const char *rel);
/* Write a file (mode 0600) inside the temporary folder, checking every write and the close. */
PG_API int pg_outdir_write(pg_outdir *d, const char *rel, const void *data, size_t len);
/* Path of a file inside the temporary folder (for writers that open files themselves). */
PG_API int pg_outdir_path(const pg_outdir *d, const char *rel, char *buf, size_t cap);
PG_API int pg_outdir_commit(pg_outdir *d);
PG_API void pg_outdir_abort(pg_outdir *d);

/* Log lines on a stream: plain text or one JSON object per line. */
typedef enum pg_log_format { PG_LOG_TEXT = 0, PG_LOG_JSON = 1 } pg_log_format;

typedef struct pg_log {
    FILE *f;
    pg_log_format format;
    int tty;           /* draw a progress bar (text format on a terminal) */
    int bar_shown;     /* a bar is on the current line */
    double t0;         /* epoch seconds at pg_log_init */
    const char *stage; /* current stage name */
} pg_log;

/* tty: -1 to detect with isatty(fileno(f)). */
PG_API void pg_log_init(pg_log *l, FILE *f, pg_log_format format, int tty);
/* "info", "warning" or "error"; extra_json is NULL or members to append ("\"k\":1"). */
PG_API void pg_log_message(pg_log *l, const char *level, const char *stage, const char *extra_json,
                           const char *fmt, ...) PG_PRINTF(5, 6);
/* Progress of the current stage (done of total); a bar on a terminal, nothing otherwise. */
PG_API void pg_log_progress(pg_log *l, const char *stage, uint64_t done, uint64_t total);
/* Clear the bar line (before printing something else on the terminal). */
PG_API void pg_log_clear(pg_log *l);

#ifdef __cplusplus
}
#endif
#endif
