/*
 * paygraph eval on hand-made reports. Every expected figure is derived by
 * hand in the comments from the truth below (R = 3 groups, window 2R = 6,
 * precision over the top 3):
 *   R1 = {B1:a1, Bank, Two:a2, B1:a3, B1:a4}   (4 accounts, offender)
 *   R2 = {B3:b1, B3:b2}                         (2 accounts, offender)
 *   L1 = {B1:c1, Bank, Two:c2, Bank, Two:c3}    (3 accounts, laundering)
 * "Bank, Two" is quoted in the CSV, which the truth reader must handle.
 */
#include "test_support.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paygraph/eval.h"

static const char *truth = "Institution,account,ring,role\n"
                           "B1,a1,R1,payer\n"
                           "\"Bank, Two\",a2,R1,payer\n"
                           "B1,a3,R1,facilitator\r\n"
                           "B1,\"a4\",R1,payer\n"
                           "B3,b1,R2,payer\n"
                           "B3,b2,R2,\"fac \"\"abroad\"\"\"\n"
                           "B1,c1,L1,source\n"
                           "\"Bank, Two\",c2,L1,sink\n"
                           "\"Bank, Two\",c3,L1,intermediate\n"
                           "B1,a1,R1,payer\n"; /* a repeated row changes nothing */

#define R1_ACCTS                                                                                   \
    "{\"institution\":\"B1\",\"account\":\"a1\"},{\"institution\":\"Bank, Two\",\"account\":"      \
    "\"a2\"},{\"institution\":\"B1\",\"account\":\"a3\"},{\"institution\":\"B1\",\"account\":"     \
    "\"a4\"}"
#define R2_ACCTS                                                                                   \
    "{\"institution\":\"B3\",\"account\":\"b1\"},{\"institution\":\"B3\",\"account\":\"b2\"}"
#define L1_ACCTS                                                                                   \
    "{\"institution\":\"B1\",\"account\":\"c1\"},{\"institution\":\"Bank, Two\",\"account\":"      \
    "\"c2\"},{\"institution\":\"Bank, Two\",\"account\":\"c3\"}"
#define JUNK(n) "{\"score\":9,\"accounts\":[{\"institution\":\"B9\",\"account\":\"" n "\"}]}"

static const double eps = 1e-12;

static void run(const char *report, pg_eval_result *r)
{
    assert_int_equal(pg_eval_text(r, report, truth, NULL), PG_OK);
    assert_int_equal(r->ngroups, 3);
}

static void expect(const pg_eval_figures *x, int groups, int found, double precision, double unique,
                   double mean_f1, double ap)
{
    assert_true(fabs(x->precision_unique - unique) < eps);
    assert_int_equal(x->groups, groups);
    assert_int_equal(x->found, found);
    assert_true(fabs(x->recall - (double)found / groups) < eps);
    assert_true(fabs(x->precision - precision) < eps);
    assert_true(fabs(x->mean_best_f1 - mean_f1) < eps);
    assert_true(fabs(x->average_precision - ap) < eps);
}

/* Every group reported exactly, in score order: all figures 1; no ranking, so AP = -1. */
static void test_perfect(void **state)
{
    (void)state;
    pg_eval_result r;
    run("{\"rings\":[{\"id\":\"x\",\"score\":3,\"accounts\":[" R1_ACCTS "]},"
        "{\"score\":2,\"accounts\":[" R2_ACCTS "]},{\"score\":1,\"accounts\":[" L1_ACCTS "]}]}",
        &r);
    expect(&r.fig[PG_EVAL_ALL], 3, 3, 1.0, 1.0, 1.0, -1.0);
    expect(&r.fig[PG_EVAL_OFFENDER], 2, 2, 1.0, 1.0, 1.0, -1.0);
    expect(&r.fig[PG_EVAL_LAUNDERING], 1, 1, 1.0, 1.0, 1.0, -1.0);
    assert_string_equal(r.groups[0].id, "R1");
    assert_int_equal(r.groups[0].accounts, 4);
    assert_int_equal(r.groups[0].best_rank, 1);
    assert_int_equal(r.groups[2].best_rank, 3);
    pg_eval_result_free(&r);
}

/* No rings: nothing found, precision 0; an empty ranking has AP 0 (not -1). */
static void test_empty(void **state)
{
    (void)state;
    pg_eval_result r;
    run("{\"rings\":[],\"accounts\":[]}", &r);
    expect(&r.fig[PG_EVAL_ALL], 3, 0, 0.0, 0.0, 0.0, 0.0);
    expect(&r.fig[PG_EVAL_OFFENDER], 2, 0, 0.0, 0.0, 0.0, 0.0);
    expect(&r.fig[PG_EVAL_LAUNDERING], 1, 0, 0.0, 0.0, 0.0, 0.0);
    assert_int_equal(r.groups[1].best_rank, 0);
    pg_eval_result_free(&r);
}

/*
 * (Plain and unique precision agree here: no group is matched twice.)
 * P1 {a1,a2,x1}: R1 F1 = 2*2/(3+4) = 4/7.  P2 {b1,y1,y2}: R2 F1 = 2/(3+2) = 2/5 < 0.5.
 * P3 {c1,c2,c3,a3}: L1 F1 = 6/(4+3) = 6/7, R1 F1 = 2/(4+4) = 1/4.
 * all: found R1, L1 = 2/3; top 3: P1->R1, P2 -, P3->L1: precision 2/3;
 *      mean F1 (4/7 + 2/5 + 6/7)/3 = 64/105.
 * offender: found 1/2; walk P1 (R1, correct), P2 (unmatched): 1/2; mean (4/7+2/5)/2 = 17/35.
 * laundering: found 1/1; walk skips P1 (matched to R1), P2 unmatched: 0/1; mean 6/7.
 * Ranking a1, z1, c1, b1, a1 (dup, ignored), q: hits at ranks 1, 3, 4.
 *   all (9 positives): (1/1 + 2/3 + 3/4)/9 = 29/108; offender (6): (1 + 2/4)/6 = 1/4;
 *   laundering (3): (1/3)/3 = 1/9.
 */
static void test_partial(void **state)
{
    (void)state;
    pg_eval_result r;
    run("{\"rings\":[{\"score\":0.9,\"accounts\":[{\"institution\":\"B1\",\"account\":\"a1\"},"
        "{\"institution\":\"Bank, Two\",\"account\":\"a2\"},{\"institution\":\"B1\",\"account\":"
        "\"x1\"}]},"
        "{\"score\":0.8,\"accounts\":[{\"institution\":\"B3\",\"account\":\"b1\"},"
        "{\"institution\":\"B3\",\"account\":\"y1\"},{\"institution\":\"B3\",\"account\":\"y2\"}]},"
        "{\"score\":0.7,\"accounts\":[" L1_ACCTS ",{\"institution\":\"B1\",\"account\":\"a3\"}]}],"
        "\"accounts\":[{\"institution\":\"B1\",\"account\":\"a1\",\"score\":0.9},"
        "{\"institution\":\"B1\",\"account\":\"z1\",\"score\":0.8},"
        "{\"institution\":\"B1\",\"account\":\"c1\",\"score\":0.7},"
        "{\"institution\":\"B3\",\"account\":\"b1\",\"score\":0.6},"
        "{\"institution\":\"B1\",\"account\":\"a1\",\"score\":0.5},"
        "{\"institution\":\"B1\",\"account\":\"q\",\"score\":0.4}]}",
        &r);
    expect(&r.fig[PG_EVAL_ALL], 3, 2, 2.0 / 3, 2.0 / 3, 64.0 / 105, 29.0 / 108);
    expect(&r.fig[PG_EVAL_OFFENDER], 2, 1, 0.5, 0.5, 17.0 / 35, 0.25);
    expect(&r.fig[PG_EVAL_LAUNDERING], 1, 1, 0.0, 0.0, 6.0 / 7, 1.0 / 9);
    assert_true(fabs(r.groups[0].best_f1 - 4.0 / 7) < eps);
    assert_true(fabs(r.groups[1].best_f1 - 0.4) < eps);
    assert_int_equal(r.groups[2].best_rank, 3);
    assert_int_equal(r.ranked_accounts, 6);
    pg_eval_result_free(&r);
}

/*
 * The perfect report in reverse file order, with the accounts of R1 shuffled and a1 listed
 * twice: ranking is by score, so every figure is 1 again. The account ranking lists R1's
 * accounts (positives of all and offender) in shuffled order: AP all = 4/9 (ranks 1-4 of 9
 * positives, each precision 1), offender 4/6, laundering 0.
 */
static void test_shuffled(void **state)
{
    (void)state;
    pg_eval_result r;
    run("{\"rings\":[{\"score\":1,\"accounts\":[" L1_ACCTS "]},"
        "{\"score\":2,\"accounts\":[" R2_ACCTS "]},"
        "{\"score\":3,\"accounts\":[{\"institution\":\"B1\",\"account\":\"a4\"},"
        "{\"institution\":\"B1\",\"account\":\"a1\"},{\"institution\":\"B1\",\"account\":\"a3\"},"
        "{\"institution\":\"B1\",\"account\":\"a1\"},"
        "{\"institution\":\"Bank, Two\",\"account\":\"a2\"}]}],"
        "\"accounts\":[{\"institution\":\"B1\",\"account\":\"a3\",\"score\":0.2},"
        "{\"institution\":\"B1\",\"account\":\"a1\",\"score\":0.5},"
        "{\"institution\":\"Bank, Two\",\"account\":\"a2\",\"score\":0.4},"
        "{\"institution\":\"B1\",\"account\":\"a4\",\"score\":0.3}]}",
        &r);
    expect(&r.fig[PG_EVAL_ALL], 3, 3, 1.0, 1.0, 1.0, 4.0 / 9);
    expect(&r.fig[PG_EVAL_OFFENDER], 2, 2, 1.0, 1.0, 1.0, 4.0 / 6);
    expect(&r.fig[PG_EVAL_LAUNDERING], 1, 1, 1.0, 1.0, 1.0, 0.0);
    assert_int_equal(r.groups[0].best_rank, 1);
    pg_eval_result_free(&r);
}

/*
 * R1 reported twice (ranks 1, 2), then R2, then L1 (rank 4, inside 2R = 6).
 * Plain precision: ranks 1-3 all have F1 1 with some group: 3/3. Offender: ranks 1, 2 match
 * R1: 2/2. Laundering: ranks 1-3 match only offender rings and are skipped, rank 4 matches
 * L1: 1/1.
 * Unique precision: rank 1 claims R1, rank 2 finds R1 taken, rank 3 claims R2, rank 4 L1.
 * all: ranks 1-3 -> 2/3; offender: walk ranks 1 (correct), 2 (unmatched) -> 1/2;
 * laundering: rank 1 is skipped (claimed R1), rank 2 unmatched -> 0/1.
 * Found 3/3 (L1 at rank 4 <= 6); mean F1 1 everywhere.
 */
static void test_duplicated(void **state)
{
    (void)state;
    pg_eval_result r;
    run("{\"rings\":[{\"score\":3,\"accounts\":[" R1_ACCTS "]},"
        "{\"score\":2,\"accounts\":[" R1_ACCTS "]},{\"score\":1,\"accounts\":[" R2_ACCTS "]},"
        "{\"score\":0.5,\"accounts\":[" L1_ACCTS "]}]}",
        &r);
    expect(&r.fig[PG_EVAL_ALL], 3, 3, 1.0, 2.0 / 3, 1.0, -1.0);
    expect(&r.fig[PG_EVAL_OFFENDER], 2, 2, 1.0, 0.5, 1.0, -1.0);
    expect(&r.fig[PG_EVAL_LAUNDERING], 1, 1, 1.0, 0.0, 1.0, -1.0);
    assert_int_equal(r.groups[2].best_rank, 4);
    pg_eval_result_free(&r);
}

/* Six junk rings outrank an exact R1 at rank 7: outside the top 2R = 6, so R1 is not found. */
static void test_window(void **state)
{
    (void)state;
    pg_eval_result r;
    run("{\"rings\":[" JUNK("j1") "," JUNK("j2") "," JUNK("j3") "," JUNK("j4") "," JUNK(
            "j5") "," JUNK("j6") ",{\"score\":1,\"accounts\":[" R1_ACCTS "]}]}",
        &r);
    expect(&r.fig[PG_EVAL_ALL], 3, 0, 0.0, 0.0, 0.0, -1.0);
    assert_int_equal(r.reported, 7);
    pg_eval_result_free(&r);
}

static void test_bad_input(void **state)
{
    (void)state;
    pg_eval_result r;
    assert_int_equal(pg_eval_text(&r, "{\"rings\":[", truth, NULL), PG_EINPUT);
    assert_int_equal(pg_eval_text(&r, "{\"rings\":{}}", truth, NULL), PG_EINPUT);
    assert_int_equal(pg_eval_text(&r, "{}", "institution,account,role\nB1,a1,payer\n", NULL),
                     PG_EINPUT);
    assert_int_equal(pg_eval_text(&r, "{}", "institution,account,ring\n\"B1,a1,R1\n", NULL),
                     PG_EINPUT);
    assert_int_equal(
        pg_eval_text(&r, "{\"rings\":[{\"accounts\":[{\"account\":\"a1\"}]}]}", truth, NULL),
        PG_EINPUT);
}

/* A malformed truth file fails with a message naming the file, the line and the column. */
static void expect_truth_error(const char *text, const char *message)
{
    pg_eval_result r;
    assert_int_equal(pg_eval_text(&r, "{}", text, NULL), PG_EINPUT);
    printf("# %s\n", pg_error_last());
    assert_non_null(strstr(pg_error_last(), message));
}

static void test_bad_truth(void **state)
{
    (void)state;
    expect_truth_error("institution,account,ring,role\nB1,a1,R1,payer\nB1,\"a2,R1,payer\n",
                       "truth:3: column 2: unbalanced quote");
    expect_truth_error("institution,account,ring,role\nB1,a1,R1,payer\n\nB1,a2\n",
                       "truth:4: column 3: 2 fields, expected at least 3");
    expect_truth_error("institution,account,ring\nB1,\"a\"1,R1\n",
                       "truth:2: column 2: text after the closing quote");
    expect_truth_error("account,ring\nB1,R1\n", "truth:1: header must name");
    expect_truth_error("", "truth: empty file");

    /* read from a file, the message names its path */
    char path[600];
    snprintf(path, sizeof(path), "%s/truth.csv", pg_test_tmpdir("eval_bad_truth"));
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("institution,account,ring\r\nB1,a1\r\n", f);
    fclose(f);
    pg_eval_result r;
    char report[600];
    snprintf(report, sizeof(report), "%s/report.json", pg_test_tmpdir("eval_bad_truth"));
    f = fopen(report, "w");
    assert_non_null(f);
    fputs("{}", f);
    fclose(f);
    assert_int_equal(pg_eval_files(&r, report, path, NULL), PG_EINPUT);
    char want[700];
    snprintf(want, sizeof(want), "%s:2: column 3: 2 fields", path);
    assert_non_null(strstr(pg_error_last(), want));
}

/* The JSON rendering carries the same figures. */
static void test_json(void **state)
{
    (void)state;
    pg_eval_result r;
    run("{\"rings\":[{\"score\":3,\"accounts\":[" R1_ACCTS "]}]}", &r);
    char *text = pg_eval_result_json(&r);
    assert_non_null(text);
    assert_non_null(strstr(text, "\"offender\":{\"groups\":2,\"found\":1"));
    assert_non_null(strstr(text, "\"id\":\"L1\""));
    free(text);
    pg_eval_result_free(&r);
}

static int run_eval(void *report)
{
    pg_eval_result r;
    int err = pg_eval_text(&r, report, truth, NULL);
    if (err == PG_OK) {
        pg_eval_result_free(&r);
    }
    return err;
}

/* Every allocation failure returns PG_ENOMEM cleanly (the sanitizer run checks for leaks). */
static void test_alloc_failures(void **state)
{
    (void)state;
    char report[] = "{\"rings\":[{\"score\":3,\"accounts\":[" R1_ACCTS "]}],"
                    "\"accounts\":[{\"institution\":\"B1\",\"account\":\"a1\"}]}";
    assert_true(pg_test_alloc_sweep(run_eval, report, 200) > 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_perfect),        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_partial),        cmocka_unit_test(test_shuffled),
        cmocka_unit_test(test_duplicated),     cmocka_unit_test(test_window),
        cmocka_unit_test(test_bad_input),      cmocka_unit_test(test_json),
        cmocka_unit_test(test_alloc_failures), cmocka_unit_test(test_bad_truth),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
