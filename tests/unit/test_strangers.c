/*
 * Hops between strangers (engine/algo/rings/strangers.c) on a hand-built
 * pool: a hop between two persons who share a friend is told apart from a
 * hop between strangers (who may share a shop, or pay each other both ways:
 * round-tripping is no friendship); hops to a merchant are left out of the
 * share.
 */
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "algo/rings/strangers.h"
#include "paygraph/paygraph.h"

/* Persons a..h, f1 a friend, a shop everyone uses (kind merchant). */
static const char *txns[] = {
    "a,b",                                            /* a and b share the friend f1 */
    "a,f1",   "f1,b",   "c,d",    "d,c",              /* c and d pay each other both ways */
    "e,g",                                            /* e and g share only the shop */
    "e,shop", "g,shop", "a,shop", "c,shop", "h,shop", /* a hop to a merchant */
};

static pg_pool *build_pool(void)
{
    const char *dir = pg_test_tmpdir("strangers");
    char t[600], a[600];
    snprintf(t, sizeof(t), "%s/t.csv", dir);
    snprintf(a, sizeof(a), "%s/a.csv", dir);
    FILE *f = fopen(t, "w"), *g = fopen(a, "w");
    assert_non_null(f);
    assert_non_null(g);
    fputs("txn_id,timestamp,amount,currency,src_institution,src_account,dst_institution,"
          "dst_account,channel,dst_country,reference\n",
          f);
    for (size_t i = 0; i < sizeof(txns) / sizeof(txns[0]); i++) {
        char src[8], dst[8];
        assert_int_equal(sscanf(txns[i], "%7[^,],%7s", src, dst), 2);
        fprintf(f, "T%zu,%zu,10.00,AUD,B,%s,B,%s,transfer,AU,\n", i, 1772323200 + 60 * i, src, dst);
    }
    fputs("institution,account,entity,kind,country,opened\n", g);
    fputs("B,shop,S,merchant,AU,\n", g);
    fclose(f);
    fclose(g);
    int st;
    pg_pool *p = pg_test_ingest(t, a, NULL, "paygraph", 1, PG_ON_ERROR_FAIL, NULL, &st);
    assert_int_equal(st, 0);
    return p;
}

/* Share of strangers over the hops between the listed accounts (all members). */
static double share_of(const pg_pool *p, pg_strangers *s, const char *const *pairs, size_t n)
{
    uint32_t acct[16], txn[16];
    size_t na = 0;
    pg_txn_columns t;
    pg_pool_txns(p, &t);
    for (size_t k = 0; k < n; k++) {
        txn[k] = PG_NONE;
        for (size_t i = 0; i < sizeof(txns) / sizeof(txns[0]); i++) {
            if (!strcmp(txns[i], pairs[k])) {
                txn[k] = (uint32_t)i; /* rows load in file order */
            }
        }
        assert_int_not_equal(txn[k], PG_NONE);
        acct[na++] = t.src[txn[k]];
        acct[na++] = t.dst[txn[k]];
    }
    /* sorted, distinct members as pg_group requires */
    for (size_t i = 1; i < na; i++) {
        for (size_t j = i; j > 0 && acct[j - 1] > acct[j]; j--) {
            uint32_t x = acct[j];
            acct[j] = acct[j - 1];
            acct[j - 1] = x;
        }
    }
    size_t m = 0;
    for (size_t i = 0; i < na; i++) {
        if (m == 0 || acct[i] != acct[m - 1]) {
            acct[m++] = acct[i];
        }
    }
    pg_group G = {.acct = acct, .n_acct = (uint32_t)m, .txn = txn, .n_txn = (uint32_t)n};
    double share = -1;
    assert_int_equal(pg_strangers_share(s, &G, &share), 0);
    return share;
}

static void test_strangers_and_acquaintances(void **state)
{
    (void)state;
    pg_pool *p = build_pool();
    pg_graph g;
    pg_graph_options go;
    pg_graph_options_init(&go);
    go.threads = 1;
    assert_int_equal(pg_graph_build(&g, p, &go), 0);
    pg_ring_ctx c;
    memset(&c, 0, sizeof(c));
    c.p = p;
    c.g = &g;
    pg_pool_txns(p, &c.t);
    pg_pool_accounts(p, &c.a);
    pg_strangers s;
    assert_int_equal(pg_strangers_init(&s, &c), 0);
    const char *friends[] = {"a,b"}, *mutual[] = {"c,d"}, *shop_only[] = {"e,g"};
    const char *to_shop[] = {"h,shop"}, *mixed[] = {"a,b", "e,g", "h,shop"};
    assert_true(share_of(p, &s, friends, 1) == 0.0);
    assert_true(share_of(p, &s, mutual, 1) == 1.0);
    assert_true(share_of(p, &s, shop_only, 1) == 1.0);
    assert_true(share_of(p, &s, to_shop, 1) == 0.0); /* no informative hop */
    assert_true(share_of(p, &s, mixed, 3) == 0.5);
    pg_strangers_free(&s);
    pg_graph_free(&g);
    pg_pool_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strangers_and_acquaintances),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
