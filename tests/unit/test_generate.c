/*
 * paygraph generate: byte-identical output for 1, 2 and 4 threads; files
 * that agree with each other (truth accounts transact, every account is
 * described, offender rings span institutions, sizes 4-40); planted
 * payments that follow the configured distributions (amounts, round share,
 * local night share, references) within tolerant bounds; config loading;
 * clean failure on every allocation failure.
 */
#include "test_support.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "paygraph/generate.h"

static const char *files[] = {"transactions", "accounts", "watchlist", "truth"};

static char *slurp(const char *dir, const char *name, const char *ext, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s%s", dir, name, ext);
    return pg_test_read_file(path, len);
}

static pg_generate_summary gen_into(const char *dir, pg_generate_options *o)
{
    pg_generate_summary s;
    int err = pg_generate(&s, dir, o);
    if (err) {
        fprintf(stderr, "generate: %s\n", pg_error_last());
    }
    assert_int_equal(err, PG_OK);
    assert_true(s.transactions > 0);
    return s;
}

static void small_world(pg_generate_options *o, uint64_t seed)
{
    pg_generate_options_init(o);
    o->persons = 1500;
    o->days = 12;
    o->rings = 6;
    o->laundering = 8;
    o->seed = seed;
}

static void test_threads_identical(void **state)
{
    (void)state;
    uint64_t seed = pg_test_seed("generate_threads", 11);
    char dirs[3][600];
    int threads[3] = {1, 2, 4};
    pg_generate_options o;
    for (int t = 0; t < 3; t++) {
        snprintf(dirs[t], sizeof(dirs[t]), "%s/t%d", pg_test_tmpdir("gen-threads"), threads[t]);
        small_world(&o, seed);
        o.threads = threads[t];
        gen_into(dirs[t], &o);
    }
    for (size_t f = 0; f < 4; f++) {
        size_t n0, n;
        char *a = slurp(dirs[0], files[f], ".csv", &n0);
        assert_true(n0 > 20);
        for (int t = 1; t < 3; t++) {
            char *b = slurp(dirs[t], files[f], ".csv", &n);
            assert_int_equal(n, n0);
            assert_memory_equal(a, b, n0);
            free(b);
        }
        free(a);
    }
    /* The gzip output holds the same bytes. */
    char gz[600];
    snprintf(gz, sizeof(gz), "%s/gz", pg_test_tmpdir("gen-threads"));
    small_world(&o, seed);
    o.threads = 2;
    o.gzip = 1;
    gen_into(gz, &o);
    for (size_t f = 0; f < 4; f++) {
        size_t n0, n;
        char *a = slurp(dirs[0], files[f], ".csv", &n0);
        char *b = slurp(gz, files[f], ".csv.gz", &n);
        assert_int_equal(n, n0);
        assert_memory_equal(a, b, n0);
        free(a);
        free(b);
    }
    /* Another seed gives another world. */
    char other[600];
    snprintf(other, sizeof(other), "%s/other", pg_test_tmpdir("gen-threads"));
    small_world(&o, seed + 1);
    gen_into(other, &o);
    size_t n0, n;
    char *a = slurp(dirs[0], "transactions", ".csv", &n0);
    char *b = slurp(other, "transactions", ".csv", &n);
    assert_true(n != n0 || memcmp(a, b, n) != 0);
    free(a);
    free(b);
}

/* ---- a tiny CSV table (RFC 4180 quoting) ------------------------------------ */

typedef struct table {
    char *text;
    char ***rows; /* rows[i][j], row 0 = header */
    int *nf;
    size_t n;
} table;

static int split(char *line, char **f, int max)
{
    int n = 0;
    char *w = line, *p = line;
    f[n++] = w;
    while (*p) {
        if (*p == '"') {
            for (p++; *p && !(*p == '"' && p[1] != '"'); p++) {
                if (*p == '"') {
                    p++;
                }
                *w++ = *p;
            }
            p += *p == '"';
            continue;
        }
        if (*p == ',') {
            *w++ = '\0';
            p++;
            if (n < max) {
                f[n++] = w;
            }
            continue;
        }
        *w++ = *p++;
    }
    *w = '\0';
    return n;
}

static void load(table *t, const char *dir, const char *name)
{
    size_t len;
    t->text = slurp(dir, name, ".csv", &len);
    assert_true(len > 0 && t->text[len - 1] == '\n');
    size_t lines = 0;
    for (size_t i = 0; i < len; i++) {
        lines += t->text[i] == '\n';
    }
    t->rows = calloc(lines, sizeof(char **));
    t->nf = calloc(lines, sizeof(int));
    t->n = 0;
    char *p = t->text;
    while (*p) {
        char *nl = strchr(p, '\n');
        *nl = '\0';
        assert_null(strchr(p, '\r'));
        t->rows[t->n] = calloc(16, sizeof(char *));
        t->nf[t->n] = split(p, t->rows[t->n], 16);
        t->n++;
        p = nl + 1;
    }
}

static void unload(table *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->rows[i]);
    }
    free(t->rows);
    free(t->nf);
    free(t->text);
}

static char *header(const table *t)
{
    static char buf[512];
    buf[0] = '\0';
    for (int j = 0; j < t->nf[0]; j++) {
        strcat(buf, j ? "," : "");
        strcat(buf, t->rows[0][j]);
    }
    return buf;
}

/* Linear lookup sets over "inst|acct" keys: the test worlds are small. */
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

typedef struct keyset {
    char **k;
    size_t n, cap;
} keyset;

static void ks_add(keyset *s, const char *inst, const char *acct)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 1024;
        s->k = realloc(s->k, s->cap * sizeof(char *));
    }
    size_t len = strlen(inst) + strlen(acct) + 2;
    s->k[s->n] = malloc(len);
    snprintf(s->k[s->n], len, "%s|%s", inst, acct);
    s->n++;
}

static void ks_sort(keyset *s)
{
    qsort(s->k, s->n, sizeof(char *), cmp_str);
}

static int ks_has(const keyset *s, const char *inst, const char *acct)
{
    char key[256];
    snprintf(key, sizeof(key), "%s|%s", inst, acct);
    char *p = key;
    return bsearch(&p, s->k, s->n, sizeof(char *), cmp_str) != NULL;
}

static void ks_free(keyset *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->k[i]);
    }
    free(s->k);
}

static void check_transaction_row(char **f, int nf, size_t line)
{
    static const char *channels[] = {"card", "transfer", "remittance", "wallet", "cash", "bill"};
    assert_int_equal(nf, 12);
    char want[32];
    snprintf(want, sizeof(want), "T%zu", line);
    assert_string_equal(f[0], want); /* ids follow file order */
    const char *ts = f[1];
    assert_int_equal(strlen(ts), 20);
    assert_true(ts[4] == '-' && ts[7] == '-' && ts[10] == 'T' && ts[13] == ':' && ts[16] == ':' &&
                ts[19] == 'Z');
    const char *dot = strchr(f[2], '.');
    assert_non_null(dot);
    assert_int_equal(strlen(dot), 3);
    assert_true(strtod(f[2], NULL) > 0);
    assert_int_equal(strlen(f[3]), 3);
    int ok = 0;
    for (int c = 0; c < 6; c++) {
        ok |= !strcmp(f[8], channels[c]);
    }
    assert_true(ok);
    assert_int_equal(strlen(f[9]), 2);
    assert_true(!strcmp(f[11], "0") || !strcmp(f[11], "1"));
}

/* Truth rows of one group: distinct institutions and account count. */
static void check_group(const table *truth, const char *ring, int *accounts, int *insts)
{
    const char *seen[64];
    int ns = 0;
    *accounts = 0;
    for (size_t i = 1; i < truth->n; i++) {
        if (strcmp(truth->rows[i][2], ring)) {
            continue;
        }
        (*accounts)++;
        int dup = 0;
        for (int s = 0; s < ns; s++) {
            dup |= !strcmp(seen[s], truth->rows[i][0]);
        }
        if (!dup && ns < 64) {
            seen[ns++] = truth->rows[i][0];
        }
    }
    *insts = ns;
}

/*
 * Mules forward money they have already received: at every forward, the planted inflow
 * before it covers all forwards so far. Rows are compared by time stamp (ISO 8601 sorts).
 */
static void check_mules_causal(const table *tx, const table *truth)
{
    int mules = 0;
    for (size_t m = 1; m < truth->n; m++) {
        if (strcmp(truth->rows[m][3], "mule")) {
            continue;
        }
        const char *inst = truth->rows[m][0], *acct = truth->rows[m][1];
        for (size_t i = 1; i < tx->n; i++) {
            char **f = tx->rows[i];
            if (strcmp(f[11], "1") || strcmp(f[4], inst) || strcmp(f[5], acct)) {
                continue;
            }
            double in = 0, out = 0;
            for (size_t j = 1; j < tx->n; j++) {
                char **g = tx->rows[j];
                if (strcmp(g[11], "1")) {
                    continue;
                }
                int before = strcmp(g[1], f[1]) < 0 || j == i;
                if (before && !strcmp(g[6], inst) && !strcmp(g[7], acct)) {
                    in += strtod(g[2], NULL);
                }
                if (before && !strcmp(g[4], inst) && !strcmp(g[5], acct)) {
                    out += strtod(g[2], NULL);
                }
            }
            assert_true(out <= in + 1e-6);
            mules++;
        }
    }
    printf("# %d mule forwards checked\n", mules);
}

/* In laundering groups money reaches an intermediate before it leaves it. */
static void check_intermediates_causal(const table *tx, const table *truth)
{
    int checked = 0;
    for (size_t m = 1; m < truth->n; m++) {
        if (strcmp(truth->rows[m][3], "intermediate")) {
            continue;
        }
        const char *inst = truth->rows[m][0], *acct = truth->rows[m][1];
        const char *first_in = NULL, *first_out = NULL;
        for (size_t i = 1; i < tx->n; i++) {
            char **f = tx->rows[i];
            if (strcmp(f[11], "1")) {
                continue;
            }
            if (!strcmp(f[6], inst) && !strcmp(f[7], acct) &&
                (!first_in || strcmp(f[1], first_in) < 0)) {
                first_in = f[1];
            }
            if (!strcmp(f[4], inst) && !strcmp(f[5], acct) &&
                (!first_out || strcmp(f[1], first_out) < 0)) {
                first_out = f[1];
            }
        }
        assert_non_null(first_in);
        if (first_out) {
            assert_true(strcmp(first_in, first_out) < 0);
            checked++;
        }
    }
    assert_true(checked > 0);
}

static void test_consistency(void **state)
{
    (void)state;
    uint64_t seed = pg_test_seed("generate_consistency", 23);
    char dir[600];
    snprintf(dir, sizeof(dir), "%s/w", pg_test_tmpdir("gen-consistency"));
    pg_generate_options o;
    small_world(&o, seed);
    o.threads = 2;
    pg_generate_summary summary = gen_into(dir, &o);
    table tx, acc, truth, watch;
    load(&tx, dir, "transactions");
    load(&acc, dir, "accounts");
    load(&truth, dir, "truth");
    load(&watch, dir, "watchlist");
    assert_string_equal(header(&tx), "txn_id,timestamp,amount,currency,src_institution,"
                                     "src_account,dst_institution,dst_account,channel,"
                                     "dst_country,reference,label");
    assert_string_equal(header(&acc), "institution,account,entity,kind,country,opened");
    assert_string_equal(header(&truth), "institution,account,ring,role");
    assert_string_equal(header(&watch), "institution,account,label");
    keyset described = {0}, used = {0};
    for (size_t i = 1; i < acc.n; i++) {
        assert_int_equal(acc.nf[i], 6);
        ks_add(&described, acc.rows[i][0], acc.rows[i][1]);
    }
    ks_sort(&described);
    for (size_t i = 1; i < described.n; i++) {
        assert_true(strcmp(described.k[i - 1], described.k[i]) != 0); /* no duplicates */
    }
    for (size_t i = 1; i < tx.n; i++) {
        check_transaction_row(tx.rows[i], tx.nf[i], i);
        assert_true(ks_has(&described, tx.rows[i][4], tx.rows[i][5]));
        assert_true(ks_has(&described, tx.rows[i][6], tx.rows[i][7]));
        ks_add(&used, tx.rows[i][4], tx.rows[i][5]);
        ks_add(&used, tx.rows[i][6], tx.rows[i][7]);
    }
    ks_sort(&used);
    int rings = 0, groups = 0;
    for (size_t i = 1; i < truth.n; i++) {
        assert_true(ks_has(&used, truth.rows[i][0], truth.rows[i][1]));
        if (i == 1 || strcmp(truth.rows[i][2], truth.rows[i - 1][2])) {
            int accounts, insts;
            check_group(&truth, truth.rows[i][2], &accounts, &insts);
            if (truth.rows[i][2][0] == 'R') {
                rings++;
                assert_true(insts >= 2);
                assert_true(accounts >= 4 && accounts <= 40);
            } else {
                assert_int_equal(truth.rows[i][2][0], 'L');
                groups++;
                assert_true(accounts >= 3);
            }
        }
    }
    assert_int_equal(rings, o.rings);
    assert_int_equal(groups, o.laundering);
    /* The summary counts what the files hold. */
    int64_t planted = 0;
    for (size_t i = 1; i < tx.n; i++) {
        planted += tx.rows[i][11][0] == '1';
    }
    assert_int_equal(summary.transactions, (int64_t)tx.n - 1);
    assert_int_equal(summary.planted, planted);
    assert_int_equal(summary.accounts, (int64_t)acc.n - 1);
    assert_int_equal(summary.truth, (int64_t)truth.n - 1);
    assert_int_equal(summary.watchlist, (int64_t)watch.n - 1);
    assert_int_equal(summary.rings, o.rings);
    assert_int_equal(summary.laundering, o.laundering);
    assert_int_equal(summary.pooled, o.institutions);
    check_mules_causal(&tx, &truth);
    check_intermediates_causal(&tx, &truth);
    for (size_t i = 1; i < watch.n; i++) {
        assert_true(ks_has(&described, watch.rows[i][0], watch.rows[i][1]));
    }
    assert_true(watch.n > 1 + (size_t)o.rings / 2); /* false leads plus some known accounts */
    ks_free(&described);
    ks_free(&used);
    unload(&tx);
    unload(&acc);
    unload(&truth);
    unload(&watch);
}

typedef struct ring_stats {
    int n, round, night, empty, innocuous;
    double min, max;
} ring_stats;

/* Payments from ring payers (truth role payer) labelled 1. Local time is UTC+10 (AU). */
static void payer_stats(const char *dir, ring_stats *st)
{
    static const char *refs[] = {"",     "gift", "school fees", "medical bills",
                                 "food", "help", "allowance",   "load"};
    table tx, truth;
    load(&tx, dir, "transactions");
    load(&truth, dir, "truth");
    keyset payers = {0};
    for (size_t i = 1; i < truth.n; i++) {
        if (!strcmp(truth.rows[i][3], "payer")) {
            ks_add(&payers, truth.rows[i][0], truth.rows[i][1]);
        }
    }
    ks_sort(&payers);
    memset(st, 0, sizeof(*st));
    st->min = 1e18;
    for (size_t i = 1; i < tx.n; i++) {
        char **f = tx.rows[i];
        if (strcmp(f[11], "1") || !ks_has(&payers, f[4], f[5])) {
            continue;
        }
        double amount = strtod(f[2], NULL);
        long cents = lround(amount * 100);
        int hour = (atoi(f[1] + 11) + 10) % 24;
        st->n++;
        st->round += cents % 500 == 0;
        st->night += hour >= 21 || hour < 3;
        st->empty += f[10][0] == '\0';
        for (size_t r = 0; r < sizeof(refs) / sizeof(refs[0]); r++) {
            st->innocuous += !strcmp(f[10], refs[r]);
        }
        st->min = amount < st->min ? amount : st->min;
        st->max = amount > st->max ? amount : st->max;
    }
    ks_free(&payers);
    unload(&tx);
    unload(&truth);
}

static void test_offender_distributions(void **state)
{
    (void)state;
    uint64_t seed = pg_test_seed("generate_distributions", 31);
    /* Two settings, so the check cannot pass by accident of the defaults. */
    const double night[2] = {0.8, 0.2}, round_share[2] = {0.6, 0.3}, empty[2] = {0.35, 0.1};
    for (int c = 0; c < 2; c++) {
        char dir[600];
        snprintf(dir, sizeof(dir), "%s/c%d", pg_test_tmpdir("gen-dist"), c);
        pg_generate_options o;
        pg_generate_options_init(&o);
        o.persons = 4000;
        o.days = 40;
        o.rings = 12;
        o.laundering = 0;
        o.seed = seed;
        o.ring_amount_min = c ? 2000 : 1000;
        o.ring_amount_max = c ? 15000 : 20000;
        o.ring_night_share = night[c];
        o.ring_round_share = round_share[c];
        o.ring_empty_ref = empty[c];
        gen_into(dir, &o);
        ring_stats st;
        payer_stats(dir, &st);
        printf("# config %d: %d payments, night %.3f, round %.3f, empty %.3f, [%.2f, %.2f]\n", c,
               st.n, (double)st.night / st.n, (double)st.round / st.n, (double)st.empty / st.n,
               st.min, st.max);
        assert_true(st.n > 500);
        assert_true(st.min >= o.ring_amount_min / 100.0 && st.max <= o.ring_amount_max / 100.0);
        /* Night is drawn per session of 2-4 payments: allow about four standard errors. */
        assert_true(fabs((double)st.night / st.n - night[c]) < 0.08);
        assert_true(fabs((double)st.round / st.n - round_share[c]) < 0.06);
        assert_true(fabs((double)st.empty / st.n - empty[c]) < 0.06);
        assert_int_equal(st.innocuous, st.n);
    }
}

/*
 * The ordinary world holds the look-alikes a detector must not flag (all label 0): family
 * remittances to the offenders' corridors with the same references, late-night small
 * foreign card payments, fundraisers (one payee, many payers), shared-house rent.
 */
static void test_legit_lookalikes(void **state)
{
    (void)state;
    uint64_t seed = pg_test_seed("generate_lookalikes", 29);
    char dir[600];
    snprintf(dir, sizeof(dir), "%s/w", pg_test_tmpdir("gen-lookalikes"));
    pg_generate_options o;
    small_world(&o, seed);
    o.days = 31;
    gen_into(dir, &o);
    table tx;
    load(&tx, dir, "transactions");
    int remit = 0, remit_words = 0, night_foreign = 0, rent = 0, fund = 0;
    for (size_t i = 1; i < tx.n; i++) {
        char **f = tx.rows[i];
        if (strcmp(f[11], "0")) {
            continue;
        }
        const char *cc = f[9];
        int corridor = !strcmp(cc, "PH") || !strcmp(cc, "VN") || !strcmp(cc, "ID") ||
                       !strcmp(cc, "TH") || !strcmp(cc, "IN");
        if (corridor) {
            remit++;
            remit_words += !strcmp(f[10], "school fees") || !strcmp(f[10], "medical bills") ||
                           !strcmp(f[10], "gift") || !strcmp(f[10], "");
        }
        int hour = (atoi(f[1] + 11) + 10) % 24;
        if (!strcmp(f[8], "card") && strcmp(cc, "AU") && (hour >= 21 || hour < 3) &&
            strtod(f[2], NULL) <= 60.0) {
            night_foreign++;
        }
        rent += !strcmp(f[10], "rent") || !strcmp(f[10], "rent, wk");
        fund += !strcmp(f[10], "fundraiser") || !strcmp(f[10], "for Sam's family");
    }
    printf("# remittances %d (%d with ring words), late-night foreign card %d, rent %d, "
           "fundraiser %d\n",
           remit, remit_words, night_foreign, rent, fund);
    assert_true(remit > 50);
    assert_true(remit_words > 10);
    assert_true(night_foreign > 50);
    assert_true(rent > 50);
    assert_true(fund > 5);
    unload(&tx);
}

static void test_config(void **state)
{
    (void)state;
    char path[600];
    snprintf(path, sizeof(path), "%s/world.json", pg_test_tmpdir("gen-config"));
    FILE *f = fopen(path, "w");
    fputs("{\"persons\": 2500, \"rings\": 4, \"days\": 9, \"seed\": 77, \"start\": \"2025-07-01\","
          " \"offender\": {\"amount_min\": 15, \"amount_max\": 150, \"night_share\": 0.5},"
          " \"watchlist\": {\"false_leads\": 3}}",
          f);
    fclose(f);
    pg_generate_options o;
    pg_generate_options_init(&o);
    assert_int_equal(pg_generate_config_load(&o, path), PG_OK);
    assert_int_equal(o.persons, 2500);
    assert_int_equal(o.rings, 4);
    assert_int_equal(o.days, 9);
    assert_int_equal(o.seed, 77);
    assert_int_equal(o.start, 1751328000); /* 2025-07-01T00:00:00Z */
    assert_int_equal(o.ring_amount_min, 1500);
    assert_int_equal(o.ring_amount_max, 15000);
    assert_true(o.ring_night_share == 0.5);
    assert_int_equal(o.false_leads, 3);
    assert_int_equal(o.laundering, 8); /* untouched default */
    f = fopen(path, "w");
    fputs("{\"persons\": 2500, \"ringz\": 4}", f);
    fclose(f);
    assert_int_equal(pg_generate_config_load(&o, path), PG_EINPUT);
    f = fopen(path, "w");
    fputs("{\"days\": \"ten\"}", f);
    fclose(f);
    assert_int_equal(pg_generate_config_load(&o, path), PG_EINPUT);
    assert_int_equal(pg_generate_config_load(&o, "/nonexistent/world.json"), PG_EIO);
}

static void test_invalid_options(void **state)
{
    (void)state;
    pg_generate_options o;
    pg_generate_options_init(&o);
    o.persons = 500; /* too few for 10 rings */
    assert_int_equal(pg_generate(NULL, pg_test_tmpdir("gen-invalid"), &o), PG_EINVAL);
    pg_generate_options_init(&o);
    o.institutions = 3;
    assert_int_equal(pg_generate(NULL, pg_test_tmpdir("gen-invalid"), &o), PG_EINVAL);
    pg_generate_options_init(&o);
    o.ring_amount_max = o.ring_amount_min - 1;
    assert_int_equal(pg_generate(NULL, pg_test_tmpdir("gen-invalid"), &o), PG_EINVAL);
}

/* Failing each allocation in turn gives PG_ENOMEM and leaves no temporary file behind. */
static void test_alloc_failures(void **state)
{
    (void)state;
    pg_generate_options o;
    pg_generate_options_init(&o);
    o.persons = 400;
    o.days = 2;
    o.rings = 2;
    o.laundering = 2;
    o.threads = 1;
    int failures = 0, done = 0;
    for (long n = 1; n < 5000 && !done; n++) {
        char dir[600];
        snprintf(dir, sizeof(dir), "%s/n%ld", pg_test_tmpdir("gen-alloc"), n);
        pg_alloc_fail_at(n);
        int err = pg_generate(NULL, dir, &o);
        pg_alloc_fail_at(0);
        if (err == PG_OK) {
            done = 1;
            break;
        }
        if (err != PG_ENOMEM) {
            fprintf(stderr, "allocation %ld: %s\n", n, pg_error_last());
        }
        assert_int_equal(err, PG_ENOMEM);
        failures++;
        DIR *d = opendir(dir);
        struct dirent *e;
        while (d && (e = readdir(d))) {
            assert_null(strstr(e->d_name, ".tmp"));
        }
        if (d) {
            closedir(d);
        }
    }
    assert_true(done);
    assert_true(failures > 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threads_identical),
        cmocka_unit_test(test_consistency),
        cmocka_unit_test(test_offender_distributions),
        cmocka_unit_test(test_legit_lookalikes),
        cmocka_unit_test(test_config),
        cmocka_unit_test(test_invalid_options),
        cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
