/*
 * Account facts inferred from payments when the pool has no accounts file
 * (engine/algo/rings/infer.c): a payee paid mostly by card is a merchant, a
 * payee's clock is the country its payments arrive in, an account that only
 * pays takes the pool's commonest payee country; facts the accounts file
 * gives are kept as they are.
 */
#include "test_support.h"

#include <stdio.h>
#include <string.h>

#include "algo/rings/ring_ctx.h"
#include "core/alloc.h"
#include "paygraph/paygraph.h"

static void write_txns(const char *path)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("txn_id,timestamp,amount,currency,src_institution,src_account,dst_institution,"
          "dst_account,channel,dst_country,reference\n",
          f);
    /* shop: 3 of 4 payments by card; friend: 1 of 3; fac: 2 of 3 arrive in PH */
    const char *rows[] = {
        "1,2026-03-01T10:00:00Z,5.00,AUD,B1,payer,B1,shop,Credit Card,AU,",
        "2,2026-03-01T10:01:00Z,5.00,AUD,B1,payer,B1,shop,card,AU,",
        "3,2026-03-01T10:02:00Z,5.00,AUD,B2,other,B1,shop,CARD,AU,",
        "4,2026-03-01T10:03:00Z,5.00,AUD,B2,other,B1,shop,transfer,AU,",
        "5,2026-03-01T10:04:00Z,5.00,AUD,B1,payer,B2,friend,card,AU,",
        "6,2026-03-01T10:05:00Z,5.00,AUD,B2,other,B2,friend,transfer,AU,",
        "7,2026-03-01T10:06:00Z,5.00,AUD,B2,other,B2,friend,transfer,AU,",
        "8,2026-03-01T10:07:00Z,5.00,AUD,B1,payer,PH,fac,transfer,PH,",
        "9,2026-03-01T10:08:00Z,5.00,AUD,B2,other,PH,fac,transfer,PH,",
        "10,2026-03-01T10:09:00Z,5.00,AUD,B2,other,PH,fac,transfer,AU,",
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        fprintf(f, "%s\n", rows[i]);
    }
    fclose(f);
}

/* The pool of txn (and accounts, when given) with its inferred account facts in c. */
static pg_pool *load_and_infer(const char *txn, const char *accounts, pg_ring_ctx *c)
{
    int st;
    pg_pool *p = pg_test_ingest(txn, accounts, NULL, "paygraph", 1, PG_ON_ERROR_FAIL, NULL, &st);
    assert_int_equal(st, 0);
    memset(c, 0, sizeof(*c));
    c->p = p;
    pg_pool_txns(p, &c->t);
    pg_pool_accounts(p, &c->a);
    assert_int_equal(pg_ring__infer_accounts(c), 0);
    assert_ptr_equal(c->a.kind, c->kind);
    return p;
}

static void release(pg_pool *p, pg_ring_ctx *c)
{
    pg_free(c->kind);
    pg_free(c->utc_off);
    pg_pool_free(p);
}

static uint32_t id(const pg_pool *p, const char *inst, const char *acct)
{
    uint32_t a = pg_pool_find_account(p, inst, acct);
    assert_int_not_equal(a, PG_NONE);
    return a;
}

static void test_without_accounts_file(void **state)
{
    (void)state;
    char txn[600];
    snprintf(txn, sizeof(txn), "%s/t.csv", pg_test_tmpdir("infer"));
    write_txns(txn);
    pg_ring_ctx c;
    pg_pool *p = load_and_infer(txn, NULL, &c);
    assert_int_equal(c.kind[id(p, "B1", "shop")], PG_KIND_MERCHANT);
    assert_int_equal(c.kind[id(p, "B2", "friend")], PG_KIND_UNKNOWN);
    assert_int_equal(c.kind[id(p, "PH", "fac")], PG_KIND_UNKNOWN);
    assert_int_equal(c.utc_off[id(p, "PH", "fac")], 480);  /* Philippines */
    assert_int_equal(c.utc_off[id(p, "B1", "shop")], 600); /* Australia */
    /* payer and other only pay: the pool's commonest payee country (AU, 8 of 10) */
    assert_int_equal(c.utc_off[id(p, "B1", "payer")], 600);
    assert_int_equal(c.utc_off[id(p, "B2", "other")], 600);
    release(p, &c);
}

static void test_accounts_file_wins(void **state)
{
    (void)state;
    char txn[600], acc[600];
    const char *dir = pg_test_tmpdir("infer_known");
    snprintf(txn, sizeof(txn), "%s/t.csv", dir);
    snprintf(acc, sizeof(acc), "%s/a.csv", dir);
    write_txns(txn);
    FILE *f = fopen(acc, "w");
    assert_non_null(f);
    fputs("institution,account,entity,kind,country,opened\n"
          "B1,shop,E1,person,NZ,\n"
          "PH,fac,E2,business,GB,\n",
          f);
    fclose(f);
    pg_ring_ctx c;
    pg_pool *p = load_and_infer(txn, acc, &c);
    assert_int_equal(c.kind[id(p, "B1", "shop")], PG_KIND_PERSON);
    assert_int_equal(c.kind[id(p, "PH", "fac")], PG_KIND_BUSINESS);
    assert_int_equal(c.utc_off[id(p, "B1", "shop")], 720); /* New Zealand, as the file says */
    assert_int_equal(c.utc_off[id(p, "PH", "fac")], 0);    /* United Kingdom */
    release(p, &c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_without_accounts_file),
        cmocka_unit_test(test_accounts_file_wins),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
