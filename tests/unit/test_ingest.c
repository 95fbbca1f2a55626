/*
 * Ingest of real files: header mapping, CSV quirks, presets, JSON Lines,
 * gzip, accounts and watchlist, bad rows (fail and skip), reconciliation and
 * determinism across thread counts.
 */
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "core/rng.h"
#include "graph/pool_internal.h"
#include "paygraph/paygraph.h"

static int lexicon_bit(const pg_pool *p, const char *needle)
{
    for (unsigned b = 0; b < 12; b++) {
        const char *name = pg_pool_lexicon_category(p, b);
        if (name && strstr(name, needle)) {
            return (int)b;
        }
    }
    return -1;
}

/* Epoch values derived by hand: 2026-03-01T00:00:00Z = 20513 days * 86400 = 1772323200. */
#define MAR1 1772323200LL

static void test_canonical_csv_with_quirks(void **state)
{
    (void)state;
    int st;
    pg_pool *p = pg_test_ingest(
        pg_test_data("ingest/good.csv"), pg_test_data("ingest/accounts.csv"),
        pg_test_data("ingest/watchlist.csv"), "paygraph", 2, PG_ON_ERROR_FAIL, NULL, &st);
    assert_int_equal(st, 0);
    pg_txn_columns t;
    pg_pool_txns(p, &t);
    assert_int_equal(t.n, 5);
    /* timestamps in every accepted form */
    assert_int_equal(t.ts[0], MAR1 + 21 * 3600 + 14 * 60 + 5);
    assert_int_equal(t.ts[1], MAR1 + 22 * 3600);
    assert_int_equal(t.ts[2], 1772400000LL);
    assert_int_equal(t.ts[3], MAR1 + 22 * 3600); /* 08:00+10:00 on the 2nd */
    assert_int_equal(t.ts[4], MAR1 + 2 * 86400);
    /* exact amounts in minor units */
    assert_int_equal(t.amount[0], 2500);
    assert_int_equal(t.amount[1], 50);
    assert_int_equal(t.amount[2], 100000);
    assert_int_equal(t.amount[3], 10);
    assert_int_equal(t.amount[4], 1234567890123456789LL);
    assert_string_equal(pg_pool_currency_code(p, t.currency[3]), "USD");
    assert_string_equal(pg_pool_currency_code(p, t.currency[1]), "AUD"); /* default */
    /* dictionaries in order of first appearance */
    assert_string_equal(pg_pool_institution_name(p, 0), "Bank A");
    assert_string_equal(pg_pool_institution_name(p, 1), "Wallet W");
    assert_string_equal(pg_pool_institution_name(p, 2), "Bank B");
    assert_string_equal(pg_pool_institution_name(p, 3), "Remit R");
    assert_string_equal(pg_pool_account_name(p, t.src[3]), "22\"2");
    assert_int_equal(t.src[0], pg_pool_find_account(p, "Bank A", "111"));
    assert_int_equal(t.dst[4], pg_pool_find_account(p, "Wallet W", "w-9"));
    assert_string_equal(pg_pool_txn_id(p, 4), "t5");
    assert_string_equal(pg_pool_channel_name(p, t.channel[4]), "remittance");
    assert_string_equal(pg_pool_country_code(p, t.dst_country[0]), "PH");
    assert_int_equal(t.dst_country[1], 0);
    /* reference flags, round amounts, labels */
    int gift = lexicon_bit(p, "gift"), food = lexicon_bit(p, "food");
    assert_true(gift >= 0 && food >= 0);
    assert_true(t.flags[0] & (1u << gift));
    assert_true(t.flags[1] & (1u << food));
    assert_true(t.flags[2] & PG_TXN_REF_EMPTY);
    assert_true(t.flags[2] & PG_TXN_ROUND);
    assert_false(t.flags[0] & PG_TXN_ROUND);
    assert_true(t.flags[0] & PG_TXN_LABEL);
    assert_false(t.flags[1] & PG_TXN_LABEL);
    /* accounts and watchlist: side-only accounts kept and counted */
    pg_ingest_totals tot;
    pg_pool_totals(p, &tot);
    assert_int_equal(tot.rows_read, 5 + 5 + 2);
    assert_int_equal(tot.rows_loaded, 12);
    assert_int_equal(tot.rows_rejected, 0);
    assert_int_equal(tot.accounts_only_in_side_files, 2); /* Bank C 333, Bank Z 999 */
    uint32_t nw;
    const uint32_t *w = pg_pool_watchlist(p, &nw);
    assert_int_equal(nw, 2);
    assert_int_equal(w[0], pg_pool_find_account(p, "Wallet W", "w-9"));
    pg_account_columns a;
    pg_pool_accounts(p, &a);
    uint32_t alice1 = pg_pool_find_account(p, "Bank A", "111");
    uint32_t alice2 = pg_pool_find_account(p, "Bank B", "222");
    assert_int_equal(a.entity[alice1], a.entity[alice2]);
    assert_int_equal(a.kind[pg_pool_find_account(p, "Bank C", "333")], PG_KIND_BUSINESS);
    assert_string_equal(pg_pool_watch_label(p, a.watch[w[0]] - 1), "referral 2025-11");
    pg_pool_free(p);
}

static void test_amlworld_preset(void **state)
{
    (void)state;
    int st;
    pg_pool *p = pg_test_ingest(pg_test_data("ingest/amlworld.csv"), NULL, NULL, "amlworld", 1,
                                PG_ON_ERROR_FAIL, NULL, &st);
    assert_int_equal(st, 0);
    pg_txn_columns t;
    pg_pool_txns(p, &t);
    assert_int_equal(t.n, 4);
    /* "010" and "0010" are different banks */
    assert_true(pg_pool_find_account(p, "010", "8000EBD30") != PG_NONE);
    assert_true(pg_pool_find_account(p, "0010", "8000EBD30") != PG_NONE);
    assert_true(pg_pool_find_account(p, "010", "8000EBD30") !=
                pg_pool_find_account(p, "0010", "8000EBD30"));
    /* the second "Account" column is the payee */
    assert_int_equal(t.dst[1], pg_pool_find_account(p, "012", "80011F990"));
    assert_string_equal(pg_pool_currency_code(p, t.currency[0]), "USD");
    assert_string_equal(pg_pool_currency_code(p, t.currency[1]), "EUR");
    assert_string_equal(pg_pool_currency_code(p, t.currency[3]), "JPY");
    assert_int_equal(t.amount[3], 1000000);                        /* yen have no minor unit */
    assert_int_equal(pg_pool_currency_scale(p, t.currency[2]), 8); /* BTC, 6 decimals exact */
    assert_int_equal(t.amount[2], 12300);
    /* 2022/09/01 00:20 UTC: 2022-09-01 is day 19236 since 1970 */
    assert_int_equal(t.ts[0], 19236LL * 86400 + 20 * 60);
    assert_true(t.flags[1] & PG_TXN_LABEL);
    assert_false(t.flags[0] & PG_TXN_LABEL);
    assert_string_equal(pg_pool_channel_name(p, t.channel[1]), "ach");
    pg_pool_free(p);
}

static void test_fail_names_file_line_column(void **state)
{
    (void)state;
    int st;
    pg_pool *p = pg_test_ingest(pg_test_data("ingest/bad.csv"), NULL, NULL, "paygraph", 2,
                                PG_ON_ERROR_FAIL, NULL, &st);
    assert_null(p);
    assert_int_equal(st, PG_EINPUT);
    const char *msg = pg_error_last();
    assert_non_null(strstr(msg, "bad.csv:4:"));
    assert_non_null(strstr(msg, "column 2 'amount'"));
}

static void test_skip_writes_rejects_and_reconciles(void **state)
{
    (void)state;
    char rejects[600];
    snprintf(rejects, sizeof(rejects), "%s/rejects.csv", pg_test_tmpdir("ingest-skip"));
    int st;
    pg_pool *p = pg_test_ingest(pg_test_data("ingest/bad.csv"), NULL, NULL, "paygraph", 4,
                                PG_ON_ERROR_SKIP, rejects, &st);
    assert_int_equal(st, 0);
    pg_ingest_totals tot;
    pg_pool_totals(p, &tot);
    assert_int_equal(tot.rows_read, tot.rows_loaded + tot.rows_rejected);
    assert_int_equal(tot.rows_loaded, 2);
    /* -5, Feb 30, 1e3, a short row, and an unbalanced quote that runs to the end */
    assert_int_equal(tot.rows_rejected, 5);
    FILE *f = fopen(rejects, "r");
    assert_non_null(f);
    char line[512];
    int n = 0, saw_line4 = 0;
    while (fgets(line, sizeof(line), f)) {
        n++;
        saw_line4 |= strstr(line, "bad.csv\",4,2,\"amount\"") != NULL;
    }
    fclose(f);
    assert_true(n >= 6); /* header + 5 (the quoted record spans lines) */
    assert_true(saw_line4);
    pg_pool_free(p);
}

static void test_jsonl_matches_csv(void **state)
{
    (void)state;
    int st;
    pg_pool *j = pg_test_ingest(pg_test_data("ingest/good.jsonl"), NULL, NULL, "paygraph", 2,
                                PG_ON_ERROR_FAIL, NULL, &st);
    assert_int_equal(st, 0);
    pg_pool *c = pg_test_ingest(pg_test_data("ingest/good.csv"), NULL, NULL, "paygraph", 2,
                                PG_ON_ERROR_FAIL, NULL, &st);
    assert_int_equal(st, 0);
    pg_txn_columns tj, tc;
    pg_pool_txns(j, &tj);
    pg_pool_txns(c, &tc);
    assert_int_equal(tj.n, 3);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(tj.ts[i], tc.ts[i]);
        assert_int_equal(tj.amount[i], tc.amount[i]);
        assert_int_equal(tj.src[i], tc.src[i]);
        assert_int_equal(tj.dst[i], tc.dst[i]);
        assert_int_equal(tj.flags[i] & ~PG_TXN_ROUND, tc.flags[i] & ~PG_TXN_ROUND);
    }
    pg_pool_free(j);
    pg_pool_free(c);
}

/* A random CSV with quoting, references, repeated accounts and txn ids (some empty, some repeated).
 */
static void write_random_csv(const char *path, uint64_t seed, int rows, int gzip)
{
    pg_rng r;
    pg_rng_init(&r, seed, 0);
    FILE *f = gzip ? NULL : fopen(path, "w");
    gzFile gz = gzip ? gzopen(path, "wb") : NULL;
    char line[512];
    const char *refs[] = {"", "gift", "\"food, \"\"love\"\"\"", "\"school\nfees\"", "rent"};
    const char *insts[] = {"Bank A", "Bank B", "\"Wallet, W\"", "Remit R", "CU 9"};
    snprintf(line, sizeof(line),
             "txn_id,timestamp,amount,currency,src_institution,src_account,dst_institution,"
             "dst_account,reference\n");
    gzip ? (void)gzputs(gz, line) : (void)fputs(line, f);
    for (int i = 0; i < rows; i++) {
        char id[24] = "";
        if (i % 5) {
            snprintf(id, sizeof(id), "T%d", i / 2);
        }
        snprintf(line, sizeof(line), "%s,%lld,%llu.%02llu,%s,%s,%llu,%s,%llu,%s\n", id,
                 1700000000LL + (long long)pg_rng_below(&r, 10000000),
                 (unsigned long long)pg_rng_below(&r, 500) + 1,
                 (unsigned long long)pg_rng_below(&r, 100), pg_rng_below(&r, 4) ? "AUD" : "PHP",
                 insts[pg_rng_below(&r, 5)], (unsigned long long)pg_rng_below(&r, 3000),
                 insts[pg_rng_below(&r, 5)], (unsigned long long)pg_rng_below(&r, 3000),
                 refs[pg_rng_below(&r, 5)]);
        gzip ? (void)gzputs(gz, line) : (void)fputs(line, f);
    }
    gzip ? gzclose(gz) : fclose(f);
}

static void test_same_pool_for_1_2_4_threads_and_gzip(void **state)
{
    (void)state;
    const char *dir = pg_test_tmpdir("ingest-det");
    char plain[600], gz[600];
    snprintf(plain, sizeof(plain), "%s/random.csv", dir);
    snprintf(gz, sizeof(gz), "%s/random.csv.gz", dir);
    uint64_t seed = pg_test_seed("ingest determinism", 42);
    write_random_csv(plain, seed, 20000, 0);
    write_random_csv(gz, seed, 20000, 1);
    int st;
    pg_pool *p1 = pg_test_ingest(plain, NULL, NULL, "paygraph", 1, PG_ON_ERROR_FAIL, NULL, &st);
    assert_int_equal(st, 0);
    pg_pool *p2 = pg_test_ingest(plain, NULL, NULL, "paygraph", 2, PG_ON_ERROR_FAIL, NULL, &st);
    assert_int_equal(st, 0);
    pg_pool *p4 = pg_test_ingest(gz, NULL, NULL, "paygraph", 4, PG_ON_ERROR_FAIL, NULL, &st);
    assert_int_equal(st, 0);
    assert_int_equal(pg_pool_num_txns(p1), 20000);
    pg_test_assert_pools_equal(p1, p2, 1);
    pg_test_assert_pools_equal(p1, p4, 0);
    pg_pool_free(p1);
    pg_pool_free(p2);
    pg_pool_free(p4);
}

/*
 * Columns grow while a file is read; once ingest is over no slack is left
 * (a pool of 20k rows had grown to 20.5k-32k slots per column before).
 */
static void test_columns_fit_after_ingest(void **state)
{
    (void)state;
    const char *dir = pg_test_tmpdir("ingest-fit");
    char path[600];
    snprintf(path, sizeof(path), "%s/random.csv", dir);
    uint64_t seed = pg_test_seed("ingest fit", 7);
    write_random_csv(path, seed, 20000, 0);
    int st;
    pg_pool *p = pg_test_ingest(path, NULL, NULL, "paygraph", 2, PG_ON_ERROR_FAIL, NULL, &st);
    assert_int_equal(st, 0);
    assert_int_equal(p->n, 20000);
    assert_int_equal(p->cap, p->n);
    assert_int_equal(p->acct_cap, p->n_accounts);
    assert_int_equal(p->txn_ids.n, 20000);
    assert_int_equal(p->txn_ids.cap, p->txn_ids.len);
    assert_int_equal(p->txn_ids.cap_off, p->txn_ids.n + 1);
    assert_string_equal(pg_strlist_str(&p->txn_ids, 19999), "T9999");
    pg_pool_free(p);
    /* one currency: the reporting amounts alias the amounts, and must follow them when shrunk */
    snprintf(path, sizeof(path), "%s/one_currency.csv", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("txn_id,timestamp,amount,currency,src_institution,src_account,dst_institution,"
          "dst_account\n",
          f);
    for (int i = 0; i < 3000; i++) {
        fprintf(f, "T%d,%d,%d.25,AUD,B1,a%d,B2,b%d\n", i, 1700000000 + i, 1 + i % 50, i % 70,
                i % 90);
    }
    assert_int_equal(fclose(f), 0);
    p = pg_test_ingest(path, NULL, NULL, "paygraph", 2, PG_ON_ERROR_FAIL, NULL, &st);
    assert_int_equal(st, 0);
    assert_int_equal(p->cap, 3000);
    assert_ptr_equal(p->amount_rep, p->amount);
    for (int i = 0; i < 3000; i++) {
        assert_int_equal(p->amount_rep[i], (1 + i % 50) * 100 + 25);
    }
    pg_pool_free(p);
}

/*
 * Bad rows spread over many chunks of a file whose records span several
 * lines (quoted newlines): every reject names the line its record starts
 * on, and the rejects file is the same for 1, 2 and 4 threads. Line numbers
 * are counted within each chunk while it is parsed and placed afterwards.
 */
static void test_reject_lines_for_1_2_4_threads(void **state)
{
    (void)state;
    const char *dir = pg_test_tmpdir("ingest-reject-lines");
    char csv[600], rej[3][600];
    snprintf(csv, sizeof(csv), "%s/lines.csv", dir);
    uint64_t seed = pg_test_seed("reject lines", 7);
    pg_rng r;
    pg_rng_init(&r, seed, 0);
    FILE *f = fopen(csv, "w");
    assert_non_null(f);
    fputs("timestamp,amount,src_institution,src_account,dst_institution,dst_account,reference\n",
          f);
    enum { ROWS = 30000 };
    static uint64_t want[ROWS];
    size_t n_want = 0;
    uint64_t line = 2;
    for (int i = 0; i < ROWS; i++) {
        int bad = pg_rng_below(&r, 50) == 0;
        int lines = bad ? 1 : 1 + (int)pg_rng_below(&r, 3); /* good rows hold 0-2 newlines */
        if (bad) {
            want[n_want++] = line;
        }
        fprintf(f, "%d,%s,B%d,a%d,B%d,a%d,\"%s%s\"\n", 1700000000 + i, bad ? "-5" : "3.50", i % 3,
                (int)pg_rng_below(&r, 500), i % 4, (int)pg_rng_below(&r, 500), "gift",
                lines == 1   ? ""
                : lines == 2 ? "\nfor you"
                             : "\nfor\nyou");
        line += (uint64_t)lines;
    }
    fclose(f);
    char *first = NULL;
    size_t first_len = 0;
    static const int threads[3] = {1, 2, 4};
    for (int k = 0; k < 3; k++) {
        snprintf(rej[k], sizeof(rej[k]), "%s/rejects%d.csv", dir, threads[k]);
        int st;
        pg_pool *p =
            pg_test_ingest(csv, NULL, NULL, "paygraph", threads[k], PG_ON_ERROR_SKIP, rej[k], &st);
        assert_int_equal(st, 0);
        assert_int_equal(pg_pool_num_txns(p), ROWS - (int64_t)n_want);
        pg_pool_free(p);
        size_t len;
        char *text = pg_test_read_file(rej[k], &len);
        /* each reject: "path",line,column,... - bad rows here hold no newline */
        size_t got = 0;
        for (char *q = text; (q = strstr(q, "lines.csv\",")) != NULL; got++) {
            q += strlen("lines.csv\",");
            assert_true(got < n_want);
            assert_int_equal(strtoull(q, NULL, 10), want[got]);
        }
        assert_int_equal(got, n_want);
        if (k == 0) {
            first = text;
            first_len = len;
        } else {
            assert_int_equal(len, first_len);
            assert_memory_equal(text, first, len);
            free(text);
        }
    }
    free(first);
}

/*
 * Institution names of every length class of the account key's length
 * prefix (one byte below 255, five bytes from 255 up), with account names
 * that could be confused with a shifted institution: each (institution,
 * account) pair is its own account, named back exactly.
 */
static void test_long_institution_names(void **state)
{
    (void)state;
    const char *dir = pg_test_tmpdir("ingest-long-inst");
    char csv[600];
    snprintf(csv, sizeof(csv), "%s/long.csv", dir);
    static const size_t lens[] = {1, 15, 254, 255, 256, 300, 1000};
    enum { N = sizeof(lens) / sizeof(lens[0]) };
    static char names[N][1001];
    FILE *f = fopen(csv, "w");
    assert_non_null(f);
    fputs("timestamp,amount,src_institution,src_account,dst_institution,dst_account\n", f);
    for (size_t i = 0; i < N; i++) {
        memset(names[i], 'a' + (int)i, lens[i]);
        names[i][lens[i]] = '\0';
        /* the payee's account is the next name's first byte, its institution this one */
        fprintf(f, "%zu,1.00,%s,x%s,%s,%c\n", 1700000000 + i, names[i], names[i], names[i],
                'a' + (int)i);
    }
    fclose(f);
    int st;
    pg_pool *p = pg_test_ingest(csv, NULL, NULL, "paygraph", 2, PG_ON_ERROR_FAIL, NULL, &st);
    assert_int_equal(st, 0);
    assert_int_equal(pg_pool_num_institutions(p), N);
    assert_int_equal(pg_pool_num_accounts(p), 2 * N);
    pg_txn_columns t;
    pg_account_columns a;
    pg_pool_txns(p, &t);
    pg_pool_accounts(p, &a);
    for (size_t i = 0; i < N; i++) {
        char want[1002] = "x";
        memcpy(want + 1, names[i], lens[i] + 1);
        assert_string_equal(pg_pool_institution_name(p, a.institution[t.src[i]]), names[i]);
        assert_string_equal(pg_pool_account_name(p, t.src[i]), want);
        assert_string_equal(pg_pool_institution_name(p, a.institution[t.dst[i]]), names[i]);
        char first[2] = {(char)('a' + (int)i), '\0'};
        assert_string_equal(pg_pool_account_name(p, t.dst[i]), first);
    }
    pg_pool_free(p);
}

/*
 * Many distinct values of the cached columns in random order - more than the
 * value caches hold, of lengths 0 to 20, some sharing their first 8 bytes -
 * are each read back as written: a cache hit never returns another value's
 * result. Checked on channel (case folded), country and currency.
 */
static void test_cached_columns_read_back(void **state)
{
    (void)state;
    const char *dir = pg_test_tmpdir("ingest-cached");
    char csv[600];
    snprintf(csv, sizeof(csv), "%s/cached.csv", dir);
    uint64_t seed = pg_test_seed("cached columns", 11);
    pg_rng r;
    pg_rng_init(&r, seed, 0);
    enum { CHANNELS = 60, ROWS = 6000 };
    static char chan[CHANNELS][24];
    for (int k = 0; k < CHANNELS; k++) {
        /* "channel-X" and "channel-XY...": shared prefixes, lengths 0..20 */
        snprintf(chan[k], sizeof(chan[k]), "%.*s", k % 21,
                 "Channel-abcdefghijklmnopqrstu" + (k % 3));
    }
    static const char *const countries[] = {"AU", "PH", "",   "NZ", "GB", "US", "KH",
                                            "TH", "VN", "ID", "MY", "SG", "IN", "LK",
                                            "NP", "BD", "PK", "FR", "DE", "NL"};
    static const char *const currencies[] = {"AUD", "PHP", "USD", "",    "EUR", "GBP", "NZD",
                                             "JPY", "SGD", "THB", "IDR", "INR", "MYR", "VND",
                                             "CNY", "HKD", "KRW", "CAD", "CHF", "SEK"};
    static int want_chan[ROWS], want_country[ROWS], want_cur[ROWS];
    FILE *f = fopen(csv, "w");
    assert_non_null(f);
    fputs("timestamp,amount,currency,src_institution,src_account,dst_institution,dst_account,"
          "channel,dst_country\n",
          f);
    for (int i = 0; i < ROWS; i++) {
        want_chan[i] = (int)pg_rng_below(&r, CHANNELS);
        want_country[i] = (int)pg_rng_below(&r, 20);
        want_cur[i] = (int)pg_rng_below(&r, 20);
        fprintf(f, "%d,1.00,%s,B,a%d,B,b%d,%s,%s\n", 1700000000 + i, currencies[want_cur[i]], i % 7,
                i % 5, chan[want_chan[i]], countries[want_country[i]]);
    }
    fclose(f);
    int st;
    pg_pool *p = pg_test_ingest(csv, NULL, NULL, "paygraph", 2, PG_ON_ERROR_FAIL, NULL, &st);
    assert_int_equal(st, 0);
    pg_txn_columns t;
    pg_pool_txns(p, &t);
    assert_int_equal(t.n, ROWS);
    for (int i = 0; i < ROWS; i++) {
        char low[24];
        const char *c = chan[want_chan[i]];
        size_t n = strlen(c);
        for (size_t b = 0; b <= n; b++) {
            low[b] = (char)(c[b] >= 'A' && c[b] <= 'Z' ? c[b] - 'A' + 'a' : c[b]);
        }
        if (n) {
            assert_string_equal(pg_pool_channel_name(p, t.channel[i]), low);
        } else {
            assert_int_equal(t.channel[i], 0);
        }
        const char *cc = countries[want_country[i]];
        if (*cc) {
            assert_string_equal(pg_pool_country_code(p, t.dst_country[i]), cc);
        } else {
            assert_int_equal(t.dst_country[i], 0);
        }
        const char *cur = currencies[want_cur[i]];
        assert_string_equal(pg_pool_currency_code(p, t.currency[i]), *cur ? cur : "AUD");
    }
    pg_pool_free(p);
}

static void test_missing_column_and_empty_file(void **state)
{
    (void)state;
    const char *dir = pg_test_tmpdir("ingest-hdr");
    char path[600];
    snprintf(path, sizeof(path), "%s/nohdr.csv", dir);
    FILE *f = fopen(path, "w");
    fputs("timestamp,amount,src_institution,src_account,dst_institution\n", f);
    fclose(f);
    int st;
    assert_null(pg_test_ingest(path, NULL, NULL, "paygraph", 1, PG_ON_ERROR_FAIL, NULL, &st));
    assert_int_equal(st, PG_EINPUT);
    assert_non_null(strstr(pg_error_last(), "dst_account"));
    f = fopen(path, "w");
    fclose(f);
    assert_null(pg_test_ingest(path, NULL, NULL, "paygraph", 1, PG_ON_ERROR_FAIL, NULL, &st));
    assert_int_equal(st, PG_EINPUT);
    assert_non_null(strstr(pg_error_last(), ":1:"));
    assert_null(pg_test_ingest("/nonexistent/x.csv", NULL, NULL, "paygraph", 1, PG_ON_ERROR_FAIL,
                               NULL, &st));
    assert_int_equal(st, PG_EIO);
}

/*
 * txn ids across files: a file without the column, then one with it (some
 * rows empty), then one without again: one entry per transaction, in order,
 * and the same after a save and load.
 */
static void test_txn_ids_across_files(void **state)
{
    (void)state;
    const char *dir = pg_test_tmpdir("ingest-txnid");
    static const char *const text[3] = {
        "timestamp,amount,currency,src_institution,src_account,dst_institution,dst_account\n"
        "2026-03-01T10:00:00Z,5.00,AUD,B,a,B,b\n",
        "txn_id,timestamp,amount,currency,src_institution,src_account,dst_institution,"
        "dst_account\nX1,2026-03-01T11:00:00Z,6.00,AUD,B,a,B,c\n,2026-03-01T12:00:00Z,7.00,AUD,"
        "B,b,B,c\nX1,2026-03-01T13:00:00Z,8.00,AUD,B,c,B,a\n",
        "timestamp,amount,currency,src_institution,src_account,dst_institution,dst_account\n"
        "2026-03-01T14:00:00Z,9.00,AUD,B,a,B,b\n"};
    char path[3][600], pool[600];
    const char *files[3];
    for (int i = 0; i < 3; i++) {
        snprintf(path[i], sizeof(path[i]), "%s/f%d.csv", dir, i);
        FILE *f = fopen(path[i], "w");
        assert_non_null(f);
        fputs(text[i], f);
        fclose(f);
        files[i] = path[i];
    }
    pg_ingest_options o;
    pg_ingest_options_init(&o);
    o.transactions = files;
    o.n_transactions = 3;
    o.threads = 2;
    pg_pool *p = NULL, *q = NULL;
    assert_int_equal(pg_pool_ingest(&p, &o), 0);
    static const char *const want[5] = {NULL, "X1", NULL, "X1", NULL};
    snprintf(pool, sizeof(pool), "%s/pool.h5", dir);
    assert_int_equal(pg_pool_save(p, pool, NULL), 0);
    assert_int_equal(pg_pool_load(&q, pool), 0);
    for (int64_t i = 0; i < 5; i++) {
        const pg_pool *x[2] = {p, q};
        for (int k = 0; k < 2; k++) {
            const char *id = pg_pool_txn_id(x[k], i);
            if (want[i]) {
                assert_non_null(id);
                assert_string_equal(id, want[i]);
            } else {
                assert_null(id);
            }
        }
    }
    assert_null(pg_pool_txn_id(p, 5));
    pg_pool_free(p);
    pg_pool_free(q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_txn_ids_across_files),
        cmocka_unit_test(test_canonical_csv_with_quirks),
        cmocka_unit_test(test_amlworld_preset),
        cmocka_unit_test(test_fail_names_file_line_column),
        cmocka_unit_test(test_skip_writes_rejects_and_reconciles),
        cmocka_unit_test(test_jsonl_matches_csv),
        cmocka_unit_test(test_same_pool_for_1_2_4_threads_and_gzip),
        cmocka_unit_test(test_columns_fit_after_ingest),
        cmocka_unit_test(test_reject_lines_for_1_2_4_threads),
        cmocka_unit_test(test_long_institution_names),
        cmocka_unit_test(test_cached_columns_read_back),
        cmocka_unit_test(test_missing_column_and_empty_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
