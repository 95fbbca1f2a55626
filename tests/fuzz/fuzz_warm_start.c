/*
 * Fuzz target for the warm start below the file (engine/store/warm_start.h):
 * the input decodes into what an earlier results file says of its accounts
 * (community, institution and name of each, the community and institution
 * counts, the array lengths), ids and lengths free to be out of range;
 * the pool is fixed (six accounts at two institutions, two entities of two
 * accounts each), at account and entity level.
 *
 * Why not the file itself: results files carry a seal, so a mutated file
 * stops at the seal (fuzz_pool covers it) and never reaches these checks.
 *
 * Properties:
 *  - pg_warm_start__check accepts exactly the consistent inputs (lengths
 *    equal, ids in range, no more communities than accounts) and refuses
 *    the rest with PG_EINPUT;
 *  - on an accepted input, the labels and the match count equal a naive
 *    reference (string comparison of every key, the last repeat winning, a
 *    vertex taking its smallest matched account's community, numbering in
 *    order of first appearance), the same at 1 and 2 threads.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_check.h"
#include "fuzz_pool_text.h"
#include "paygraph/paygraph.h"
#include "store/warm_start.h"

#define MAX_ACCOUNTS 12

static const char txns[] = "timestamp,amount,src_institution,src_account,dst_institution,"
                           "dst_account\n"
                           "1700000000,10.00,B1,a,B1,b\n"
                           "1700000060,10.00,B2,c,B2,d\n"
                           "1700000120,10.00,B1,e,B2,f\n";
static const char entities[] = "institution,account,entity\nB1,a,E1\nB2,d,E1\nB1,e,E2\nB2,f,E2\n";

/* Names and institutions an input may use: the pool's, near misses and strangers. */
static const char *const name_table[] = {"a", "b", "c", "d", "e", "f", "g", "A", "a "};
static const char *const inst_table[] = {"B2", "B1", "B3", "b1"};
#define N_NAMES (sizeof(name_table) / sizeof(name_table[0]))
#define N_INSTS (sizeof(inst_table) / sizeof(inst_table[0]))

typedef struct fixture {
    pg_pool *pool;
    pg_graph graph[2]; /* account, entity level */
} fixture;

/* Built on the first input and kept: ingesting again for every input would be most of the run. */
static const fixture *the_fixture(void)
{
    static fixture fx;
    static int ready;
    if (ready) {
        return &fx;
    }
    fx.pool = fuzz_pool_from_text(txns, entities);
    for (int level = 0; level < 2; level++) {
        pg_graph_options go;
        pg_graph_options_init(&go);
        go.threads = 1;
        go.level = level ? PG_LEVEL_ENTITY : PG_LEVEL_ACCOUNT;
        FUZZ_CHECK(pg_graph_build(&fx.graph[level], fx.pool, &go) == 0);
        FUZZ_CHECK(fx.graph[level].n <= MAX_ACCOUNTS);
    }
    FUZZ_CHECK(fx.graph[1].n < fx.graph[0].n); /* the entities joined something */
    ready = 1;
    return &fx;
}

/* The decoded input. */
typedef struct input {
    uint32_t community[MAX_ACCOUNTS], institution[MAX_ACCOUNTS];
    pg_strlist names, insts;
    pg_warm_earlier e;
} input;

/* Lengths: mostly consistent, sometimes one off (the byte's low bits decide). */
static size_t length_near(uint8_t b, size_t n)
{
    return (b & 7) == 7 ? (size_t)(b >> 3) % (MAX_ACCOUNTS + 1) : n;
}

static void decode(input *in, const uint8_t *data, size_t size)
{
    size_t n = fuzz_next_byte(&data, &size) % (MAX_ACCOUNTS + 1);
    size_t communities = fuzz_next_byte(&data, &size) % (MAX_ACCOUNTS + 2);
    size_t n_inst = fuzz_next_byte(&data, &size) % (N_INSTS + 1);
    size_t n_institution = length_near(fuzz_next_byte(&data, &size), n);
    size_t n_names = length_near(fuzz_next_byte(&data, &size), n);
    pg_strlist_init(&in->names);
    pg_strlist_init(&in->insts);
    for (size_t i = 0; i < MAX_ACCOUNTS; i++) {
        in->community[i] = fuzz_next_byte(&data, &size) % (MAX_ACCOUNTS + 2);
        in->institution[i] = fuzz_next_byte(&data, &size) % (N_INSTS + 1);
        if (i < n_names) {
            const char *s = name_table[fuzz_next_byte(&data, &size) % N_NAMES];
            FUZZ_CHECK(pg_strlist_push(&in->names, s, strlen(s)) == 0);
        }
    }
    for (size_t i = 0; i < n_inst; i++) {
        FUZZ_CHECK(pg_strlist_push(&in->insts, inst_table[i], strlen(inst_table[i])) == 0);
    }
    in->e = (pg_warm_earlier){.community = in->community,
                              .institution = in->institution,
                              .names = &in->names,
                              .insts = &in->insts,
                              .n = n,
                              .n_institution = n_institution,
                              .communities = communities};
}

static int consistent(const pg_warm_earlier *e)
{
    if (e->n_institution != e->n || e->names->n != e->n || e->communities > e->n) {
        return 0;
    }
    for (size_t i = 0; i < e->n; i++) {
        if (e->community[i] >= e->communities || e->institution[i] >= e->insts->n) {
            return 0;
        }
    }
    return 1;
}

/* The reference labels of g's vertices; returns the match count. */
static uint32_t reference(uint32_t *want, const pg_warm_earlier *e, const pg_pool *p,
                          const pg_graph *g)
{
    pg_account_columns cols;
    pg_pool_accounts(p, &cols);
    uint32_t start[MAX_ACCOUNTS], matched = 0;
    for (uint32_t a = 0; a < g->n_accounts; a++) {
        const char *inst = pg_pool_institution_name(p, cols.institution[a]);
        const char *name = pg_pool_account_name(p, a);
        start[a] = PG_NONE;
        for (size_t i = 0; i < e->n; i++) {
            if (!strcmp(pg_strlist_str(e->insts, e->institution[i]), inst) &&
                !strcmp(pg_strlist_str(e->names, i), name)) {
                start[a] = e->community[i];
            }
        }
        matched += start[a] != PG_NONE;
    }
    uint32_t first[MAX_ACCOUNTS + 2], next = 0;
    for (size_t c = 0; c < MAX_ACCOUNTS + 2; c++) {
        first[c] = PG_NONE;
    }
    for (uint32_t v = 0; v < g->n; v++) {
        uint32_t c = PG_NONE;
        for (uint32_t a = g->n_accounts; a > 0; a--) { /* the smallest matched account wins */
            if (g->vertex_of_account[a - 1] == v && start[a - 1] != PG_NONE) {
                c = start[a - 1];
            }
        }
        if (c == PG_NONE) {
            want[v] = next++;
        } else {
            if (first[c] == PG_NONE) {
                first[c] = next++;
            }
            want[v] = first[c];
        }
    }
    return matched;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const fixture *fx = the_fixture();
    input in;
    decode(&in, data, size);
    int ok = consistent(&in.e), st = pg_warm_start__check(&in.e, "fuzz.h5");
    FUZZ_CHECK(ok ? st == 0 : st == PG_EINPUT);
    for (int level = 0; ok && level < 2; level++) {
        const pg_graph *g = &fx->graph[level];
        uint32_t want[MAX_ACCOUNTS], got[MAX_ACCOUNTS], matched;
        uint32_t want_matched = reference(want, &in.e, fx->pool, g);
        for (int threads = 1; threads <= 2; threads++) {
            FUZZ_CHECK(pg_warm_start__labels(got, &matched, &in.e, fx->pool, g, threads) == 0);
            FUZZ_CHECK(matched == want_matched);
            FUZZ_CHECK(memcmp(got, want, g->n * sizeof(*got)) == 0);
        }
    }
    pg_strlist_destroy(&in.names);
    pg_strlist_destroy(&in.insts);
    return 0;
}
