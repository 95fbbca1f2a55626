/* paygraph eval: score a ring report (report.json) against planted truth (truth.csv). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void help(FILE *f)
{
    fprintf(f,
            "usage: paygraph eval --report REPORT.json --truth TRUTH.csv [--json]\n\n"
            "A planted group (ring id in truth.csv) is found when one of the top 2R reported\n"
            "rings (R = planted groups) has an account-set F1 >= 0.5 with it. Prints each\n"
            "group's best F1, recall, precision among the top R reported rings (and one-to-one),\n"
            "mean best F1 and, when the report has a top-level \"accounts\" ranking, its\n"
            "average precision; separately for offender rings (R*) and laundering groups (L*).\n"
            "--json prints the same as one JSON object.\n");
}

static void print_fig(const char *name, const pg_eval_figures *x)
{
    if (!x->groups) {
        printf("%-11s no planted groups\n", name);
        return;
    }
    printf("%-11s found %d/%d (recall %.3f)  precision@%d %.3f (unique %.3f)  mean best F1 %.3f",
           name, x->found, x->groups, x->recall, x->groups, x->precision, x->precision_unique,
           x->mean_best_f1);
    if (x->average_precision >= 0) {
        printf("  AP %.3f", x->average_precision);
    }
    printf("\n");
}

int cmd_eval(int argc, char **argv)
{
    const char *report = NULL, *truth = NULL;
    int json = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            help(stdout);
            return 0;
        } else if (!strcmp(argv[i], "--json")) {
            json = 1;
        } else if (!strcmp(argv[i], "--report") && i + 1 < argc) {
            report = argv[++i];
        } else if (!strcmp(argv[i], "--truth") && i + 1 < argc) {
            truth = argv[++i];
        } else if (!strcmp(argv[i], "--threads") || !strcmp(argv[i], "--seed")) {
            i++; /* accepted by every command; eval is serial and deterministic */
        } else {
            return cli_usage_error("eval", "unknown option or missing value: %s", argv[i]);
        }
    }
    if (!report || !truth) {
        return cli_usage_error("eval", "--report and --truth are required");
    }
    pg_eval_result r;
    int err = pg_eval_files(&r, report, truth, NULL);
    if (err < 0) {
        return cli_fail(err, "eval");
    }
    if (json) {
        char *text = pg_eval_result_json(&r);
        if (!text) {
            pg_eval_result_free(&r);
            fprintf(stderr, "paygraph eval: out of memory\n");
            return 3;
        }
        printf("%s\n", text);
        free(text);
    } else {
        printf("%-8s %8s %8s %6s\n", "group", "accounts", "best F1", "rank");
        for (size_t g = 0; g < r.ngroups; g++) {
            printf("%-8s %8d %8.3f %6d\n", r.groups[g].id, r.groups[g].accounts,
                   r.groups[g].best_f1, r.groups[g].best_rank);
        }
        printf("reported rings: %zu\n", r.reported);
        print_fig("all", &r.fig[PG_EVAL_ALL]);
        print_fig("offender", &r.fig[PG_EVAL_OFFENDER]);
        print_fig("laundering", &r.fig[PG_EVAL_LAUNDERING]);
    }
    pg_eval_result_free(&r);
    return 0;
}
