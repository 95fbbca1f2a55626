/*
 * paygraph — evaluation of a ring report against planted truth.
 *
 * A planted group (truth.csv: institution,account,ring,role) is *found* when
 * one of the top 2R reported rings (R = number of planted groups) has an
 * account-set F1 >= 0.5 with it. Reported rings are ranked by score
 * (descending; ties keep file order). Figures:
 *   - best F1 of each planted group over the top 2R reported rings;
 *   - recall: share of planted groups found;
 *   - precision@R: share of the top R reported rings that have F1 >= 0.5
 *     with some planted group;
 *   - unique precision@R: the same, but matched one-to-one: walking the
 *     top 2R in rank order, each reported ring claims the unclaimed group
 *     with the highest F1 >= 0.5, so a duplicated ring is not rewarded twice;
 *   - mean best F1 over planted groups;
 *   - average precision of the per-account ranking, when the report carries
 *     a top-level "accounts" array (positives = truth accounts).
 * Each figure is given for all groups, for offender rings (ids starting
 * with R) and for laundering groups (ids starting with L). Whether a group
 * is found does not depend on its family (the window is always the top 2R
 * of all groups). For a family, both precisions walk the reported rings in
 * rank order, skip rings that match (F1 >= 0.5; for the unique figure: are
 * matched to) only the other family's groups, and count matches to the
 * family's groups among the first R_f rings walked (R_f = the family's
 * groups), over R_f;
 * and average precision counts only that family's accounts as positives.
 * An account listed twice in one reported ring counts once.
 */
#ifndef PAYGRAPH_EVAL_H
#define PAYGRAPH_EVAL_H

#include <stddef.h>

#include "paygraph/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Families of planted groups. */
enum { PG_EVAL_ALL = 0, PG_EVAL_OFFENDER = 1, PG_EVAL_LAUNDERING = 2, PG_EVAL_FAMILIES = 3 };

typedef struct pg_eval_figures {
    int groups;               /* planted groups in the family */
    int found;                /* of which found */
    double recall;            /* found / groups (0 when no groups) */
    int top;                  /* reported rings considered for precision (at most R) */
    int correct;              /* of which with F1 >= 0.5 to some group */
    double precision;         /* correct / R (0 when R = 0) */
    int correct_unique;       /* of which matched one-to-one */
    double precision_unique;  /* correct_unique / R */
    double mean_best_f1;      /* over planted groups */
    double average_precision; /* of the account ranking; -1 when not available */
} pg_eval_figures;

typedef struct pg_eval_group {
    char id[32];    /* ring id from truth.csv, e.g. "R3" */
    int accounts;   /* truth accounts in the group */
    double best_f1; /* best F1 over the top 2R reported rings */
    int best_rank;  /* 1-based rank of that reported ring, 0 if none overlaps */
} pg_eval_group;

typedef struct pg_eval_result {
    pg_eval_figures fig[PG_EVAL_FAMILIES];
    pg_eval_group *groups; /* one per planted group, in order of first appearance */
    size_t ngroups;
    size_t reported;        /* rings in the report */
    size_t ranked_accounts; /* entries of the report's account ranking */
} pg_eval_result;

typedef struct pg_eval_options {
    double min_f1;  /* F1 at which a group counts as found (default 0.5) */
    int top_factor; /* top top_factor * R reported rings searched for recall (default 2) */
} pg_eval_options;

PG_API void pg_eval_options_init(pg_eval_options *opts);

/*
 * Evaluate a report (JSON text, DESIGN §5) against truth (CSV text with a
 * header naming institution, account, ring, role in any order). *out is
 * filled; free its groups with pg_eval_result_free. Errors: PG_EINPUT for
 * malformed JSON or CSV (for the CSV the message reads "truth:<line>:
 * column <n>: <why>"), PG_ENOMEM.
 * Time O(T + K log K + A log A + S) for T truth rows, K reported rings, A
 * ranked accounts and S account entries in the top 2R rings (with the
 * planted groups each entry belongs to).
 */
PG_API int pg_eval_text(pg_eval_result *out, const char *report_json, const char *truth_csv,
                        const pg_eval_options *opts);

/* The same, reading both files (truth may be gzip-compressed; messages name its path). */
PG_API int pg_eval_files(pg_eval_result *out, const char *report_path, const char *truth_path,
                         const pg_eval_options *opts);

PG_API void pg_eval_result_free(pg_eval_result *r);

/* Machine-readable result (caller frees with free()); NULL on allocation failure. */
PG_API char *pg_eval_result_json(const pg_eval_result *r);

#ifdef __cplusplus
}
#endif
#endif
