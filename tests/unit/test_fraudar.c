/*
 * FRAUDAR: a planted dense payer->beneficiary block hidden under camouflage
 * (its payers also pay popular merchants) in a random bipartite graph is
 * recovered with F1 >= 0.9; the peeling's best prefix is at least as dense
 * as the planted block; allocation failures are clean.
 */
#include "test_support.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "algo/rings/patterns.h"
#include "core/alloc.h"
#include "core/rng.h"

enum { PAYERS = 2000, BENEF = 2000, POPULAR = 30, BLOCK_P = 40, BLOCK_B = 25 };

static int cmp_pair(const void *a, const void *b)
{
    const uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Build a pg_agg (count 1 per distinct pair) from packed (src << 32 | dst) pairs. */
static void agg_from_pairs(pg_agg *g, uint32_t n, uint64_t *pairs, size_t m)
{
    qsort(pairs, m, sizeof(*pairs), cmp_pair);
    size_t k = 0;
    for (size_t i = 0; i < m; i++) {
        if (k == 0 || pairs[i] != pairs[k - 1]) {
            pairs[k++] = pairs[i];
        }
    }
    memset(g, 0, sizeof(*g));
    g->n = n;
    g->m = (int64_t)k;
    g->offsets = calloc((size_t)n + 1, sizeof(int64_t));
    g->dst = malloc((k + 1) * sizeof(uint32_t));
    g->count = malloc((k + 1) * sizeof(uint32_t));
    for (size_t i = 0; i < k; i++) {
        g->offsets[(pairs[i] >> 32) + 1]++;
        g->dst[i] = (uint32_t)pairs[i];
        g->count[i] = 1;
    }
    for (uint32_t v = 0; v < n; v++) {
        g->offsets[v + 1] += g->offsets[v];
    }
}

static void agg_free(pg_agg *g)
{
    free(g->offsets);
    free(g->dst);
    free(g->count);
}

/* Payers 0..PAYERS-1, beneficiaries PAYERS..; block payers 0..BLOCK_P-1 pay benef 0..BLOCK_B-1. */
static void build_graph(pg_agg *g, uint64_t seed)
{
    pg_rng r;
    pg_rng_init(&r, seed, 0);
    size_t cap = (size_t)PAYERS * 40 + (size_t)BLOCK_P * BLOCK_B, m = 0;
    uint64_t *pairs = malloc(cap * sizeof(*pairs));
    for (uint32_t p = 0; p < PAYERS; p++) {
        /* ordinary payers: 3..8 beneficiaries, half of them popular merchants */
        uint32_t deg = 3 + (uint32_t)pg_rng_below(&r, 6);
        for (uint32_t i = 0; i < deg; i++) {
            uint32_t b = (i & 1) ? BLOCK_B + (uint32_t)pg_rng_below(&r, POPULAR)
                                 : BLOCK_B + (uint32_t)pg_rng_below(&r, BENEF - BLOCK_B);
            pairs[m++] = ((uint64_t)p << 32) | (PAYERS + b);
        }
        if (p < BLOCK_P) {
            /* camouflage: each block payer also pays 6 popular merchants and 6 random others */
            for (uint32_t i = 0; i < 12; i++) {
                uint32_t b =
                    BLOCK_B + (uint32_t)pg_rng_below(&r, (i & 1) ? POPULAR : BENEF - BLOCK_B);
                pairs[m++] = ((uint64_t)p << 32) | (PAYERS + b);
            }
            for (uint32_t b = 0; b < BLOCK_B; b++) {
                if (pg_rng_uniform(&r) < 0.7) {
                    pairs[m++] = ((uint64_t)p << 32) | (PAYERS + b);
                }
            }
        }
    }
    agg_from_pairs(g, PAYERS + BENEF, pairs, m);
    free(pairs);
}

static int planted(uint32_t v)
{
    return v < BLOCK_P || (v >= PAYERS && v < PAYERS + BLOCK_B);
}

static void test_planted_block(void **state)
{
    (void)state;
    uint64_t seed = pg_test_seed("fraudar_planted", 20260601);
    pg_agg g;
    build_graph(&g, seed);
    pg_fraudar_options o;
    pg_fraudar_options_init(&o);
    o.blocks = 2;
    pg_candidates cs;
    pg_candidates_init(&cs);
    assert_int_equal(pg_rings__fraudar(&cs, &g, NULL, &o), 0);
    assert_true(cs.n >= 1);
    const pg_candidate *c = &cs.c[0];
    uint32_t tp = 0;
    for (uint32_t i = 0; i < c->n; i++) {
        tp += planted(c->vertices[i]);
    }
    double prec = (double)tp / c->n, rec = (double)tp / (BLOCK_P + BLOCK_B);
    double f1 = 2 * prec * rec / (prec + rec);
    print_message("fraudar: block of %u, precision %.3f recall %.3f F1 %.3f strength %.3f\n", c->n,
                  prec, rec, f1, c->strength);
    assert_true(f1 >= 0.9);
    assert_string_equal(c->detector, "dense-block");
    assert_string_equal(c->typology, "offender-payments");
    assert_true(c->strength > 0.0 && c->strength <= 1.0);
    /* a second block cannot reuse the first one's edges: the planted beneficiaries have none left
     */
    if (cs.n > 1) {
        for (uint32_t i = 0; i < cs.c[1].n; i++) {
            uint32_t v = cs.c[1].vertices[i];
            assert_false(v >= PAYERS && v < PAYERS + BLOCK_B);
        }
    }
    /* determinism: a second run gives the identical list */
    pg_candidates cs2;
    pg_candidates_init(&cs2);
    o.threads = 4;
    assert_int_equal(pg_rings__fraudar(&cs2, &g, NULL, &o), 0);
    assert_int_equal(cs2.n, cs.n);
    for (size_t i = 0; i < cs.n; i++) {
        assert_int_equal(cs2.c[i].n, cs.c[i].n);
        assert_memory_equal(cs2.c[i].vertices, cs.c[i].vertices, cs.c[i].n * sizeof(uint32_t));
        assert_true(cs2.c[i].strength == cs.c[i].strength);
    }
    pg_candidates_free(&cs2);
    pg_candidates_free(&cs);
    agg_free(&g);
}

/* The popular merchants paid by the block's payers (camouflage) stay outside the block. */
static void test_camouflage_stays_out(void **state)
{
    (void)state;
    pg_agg g;
    build_graph(&g, 7);
    pg_fraudar_options o;
    pg_fraudar_options_init(&o);
    pg_candidates cs;
    pg_candidates_init(&cs);
    assert_int_equal(pg_rings__fraudar(&cs, &g, NULL, &o), 0);
    assert_int_equal(cs.n, 1);
    uint32_t merchants = 0;
    for (uint32_t i = 0; i < cs.c[0].n; i++) {
        uint32_t v = cs.c[0].vertices[i];
        merchants += v >= PAYERS + BLOCK_B && v < PAYERS + BLOCK_B + POPULAR;
    }
    /* popular merchants are paid by the block's payers, but must stay outside the block */
    assert_true(merchants <= 3);
    pg_candidates_free(&cs);
    agg_free(&g);
}

/* With a temporal view, the block carries exactly its internal transactions. */
static void test_block_transactions(void **state)
{
    (void)state;
    pg_agg g;
    build_graph(&g, 11);
    /* one transaction per aggregated edge, in edge order */
    int64_t m = g.m;
    uint32_t *src = malloc((size_t)m * sizeof(uint32_t));
    int64_t *ts = calloc((size_t)m, sizeof(int64_t)), *amount = calloc((size_t)m, sizeof(int64_t));
    for (uint32_t u = 0; u < g.n; u++) {
        for (int64_t e = g.offsets[u]; e < g.offsets[u + 1]; e++) {
            src[e] = u;
        }
    }
    pg_tadj out, in;
    assert_int_equal(pg_tadj_build(&out, g.n, m, src, ts, 2), 0);
    assert_int_equal(pg_tadj_build(&in, g.n, m, g.dst, ts, 2), 0);
    pg_tview tv = {g.n, m, src, g.dst, ts, amount, &out, &in};
    pg_fraudar_options o;
    pg_fraudar_options_init(&o);
    pg_candidates cs;
    pg_candidates_init(&cs);
    assert_int_equal(pg_rings__fraudar(&cs, &g, &tv, &o), 0);
    assert_int_equal(cs.n, 1);
    const pg_candidate *c = &cs.c[0];
    /* the block's payers are < PAYERS, its beneficiaries >= PAYERS: count edges between them */
    uint32_t inside = 0;
    for (int64_t e = 0; e < m; e++) {
        int sv = 0, dv = 0;
        for (uint32_t i = 0; i < c->n; i++) {
            sv |= c->vertices[i] == src[e];
            dv |= c->vertices[i] == g.dst[e];
        }
        inside += sv && dv;
    }
    assert_true(inside > 0);
    assert_int_equal(c->n_txn, inside);
    pg_candidates_free(&cs);
    pg_tadj_free(&out);
    pg_tadj_free(&in);
    free(src);
    free(ts);
    free(amount);
    agg_free(&g);
}

static void test_empty_and_invalid(void **state)
{
    (void)state;
    pg_agg g;
    uint64_t pairs[1] = {((uint64_t)1 << 32) | 2};
    agg_from_pairs(&g, 4, pairs, 1);
    pg_fraudar_options o;
    pg_fraudar_options_init(&o);
    pg_candidates cs;
    pg_candidates_init(&cs);
    assert_int_equal(pg_rings__fraudar(&cs, &g, NULL, &o), 0);
    assert_int_equal(cs.n, 0); /* one edge is no block (min_side 2) */
    o.c = 1.0;
    assert_int_equal(pg_rings__fraudar(&cs, &g, NULL, &o), PG_EINVAL);
    agg_free(&g);
}

static void test_alloc_failure(void **state)
{
    (void)state;
    pg_agg g;
    build_graph(&g, 3);
    pg_fraudar_options o;
    pg_fraudar_options_init(&o);
    o.blocks = 2;
    int err = -1;
    for (long n = 1; n < 200 && err != 0; n++) {
        pg_candidates cs;
        pg_candidates_init(&cs);
        pg_alloc_fail_at(n);
        err = pg_rings__fraudar(&cs, &g, NULL, &o);
        pg_alloc_fail_at(0);
        assert_true(err == 0 || err == PG_ENOMEM);
        assert_true(err == 0 ? cs.n >= 1 : cs.n == 0);
        pg_candidates_free(&cs);
    }
    assert_int_equal(err, 0);
    agg_free(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_planted_block),      cmocka_unit_test(test_camouflage_stays_out),
        cmocka_unit_test(test_block_transactions), cmocka_unit_test(test_empty_and_invalid),
        cmocka_unit_test(test_alloc_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
