/*
 * Fuzz target for the rings of an earlier scan below the file
 * (engine/store/previous_rings.h): the input decodes into what an earlier
 * results.h5 says of its accounts and rings (institution and name of each
 * earlier account, the institution names, /rings/id, the membership rows
 * and every array length), ids and lengths free to be wrong; the pool (eight
 * accounts at two institutions, three names at both) and this scan's five
 * rings (overlapping) are fixed.
 *
 * Why not the file itself: results files carry a seal, so a mutated file
 * stops at the seal (fuzz_pool covers it) and never reaches these checks.
 *
 * Properties:
 *  - pg_previous_view__check accepts exactly the consistent inputs (as many
 *    institutions as names, both membership columns of one length, ring ids
 *    the ranks 1..n, every institution, account and ring id in range, rows
 *    grouped by ring in rank order, no account twice in a ring) and refuses
 *    the rest with PG_EINPUT, naming the file;
 *  - on an accepted input, every ring's previous {id, shared, members,
 *    continues} and the totals equal a naive reference (string comparison
 *    of every key; for every pair of rings, the pool accounts of this ring
 *    that some row of the earlier ring names; continues when shared > 0 and
 *    2 shared >= the smaller size, an earlier ring's size being its rows;
 *    the most similar continued ring (Jaccard, as a double), else the most
 *    similar ring sharing members, ties to the better ranked; gone: the ids
 *    of the earlier rings no ring continues), the same at 1 and
 *    2 threads.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/alloc.h"
#include "fuzz_check.h"
#include "fuzz_pool_text.h"
#include "paygraph/paygraph.h"
#include "store/previous_rings.h"

#define MAX_ACCOUNTS 12 /* earlier accounts */
#define MAX_RINGS 6     /* earlier rings */
#define MAX_ROWS 24     /* earlier membership rows */

/* Accounts 0 B1:a, 1 B1:b, 2 B2:c, 3 B2:d, 4 B1:e, 5 B2:f, 6 B2:a, 7 B1:c. */
static const char txns[] = "timestamp,amount,src_institution,src_account,dst_institution,"
                           "dst_account\n"
                           "1700000000,10.00,B1,a,B1,b\n"
                           "1700000060,10.00,B2,c,B2,d\n"
                           "1700000120,10.00,B1,e,B2,f\n"
                           "1700000180,10.00,B2,a,B1,c\n";
#define POOL_ACCOUNTS 8

/* This scan's rings, as account keys ("B1:a"), overlapping. */
static const char *const ring_defs[][6] = {
    {"B1:a", "B1:b", "B2:c", NULL},
    {"B2:d", "B1:e", NULL},
    {"B2:f", "B2:a", "B1:c", "B1:a", "B2:d", NULL},
    {"B1:b", NULL},
    {"B2:c", "B1:e", "B2:f", "B2:a", NULL},
};
#define N_CURRENT (sizeof(ring_defs) / sizeof(ring_defs[0]))

/* Names and institutions an input may use: the pool's, near misses and strangers. */
static const char *const name_table[] = {"a", "b", "c", "d", "e", "f", "g", "A", "a ", ""};
static const char *const inst_table[] = {"B2", "B1", "B3", "b1"};
#define N_NAMES (sizeof(name_table) / sizeof(name_table[0]))
#define N_INSTS (sizeof(inst_table) / sizeof(inst_table[0]))

typedef struct fixture {
    pg_pool *pool;
    pg_rings *rings;
} fixture;

static pg_rings *make_rings(const pg_pool *p)
{
    pg_rings *r = pg_calloc(1, sizeof(*r));
    FUZZ_CHECK(r != NULL);
    r->n = N_CURRENT;
    r->n_accounts = pg_pool_num_accounts(p);
    r->rings = pg_calloc(N_CURRENT, sizeof(pg_ring));
    FUZZ_CHECK(r->rings != NULL);
    for (uint32_t k = 0; k < N_CURRENT; k++) {
        pg_ring *g = &r->rings[k];
        g->id = k + 1;
        g->community = PG_NONE;
        g->members = pg_calloc(6, sizeof(pg_ring_member));
        FUZZ_CHECK(g->members != NULL);
        for (const char *const *m = ring_defs[k]; *m; m++) {
            char inst[3] = {(*m)[0], (*m)[1], 0};
            uint32_t a = pg_pool_find_account(p, inst, *m + 3);
            FUZZ_CHECK(a != PG_NONE);
            g->members[g->n_members++] = (pg_ring_member){a, PG_ROLE_MEMBER, 0.5};
        }
    }
    return r;
}

/* Built on the first input and kept: ingesting again for every input would be most of the run. */
static const fixture *the_fixture(void)
{
    static fixture fx;
    static int ready;
    if (ready) {
        return &fx;
    }
    fx.pool = fuzz_pool_from_text(txns, NULL);
    FUZZ_CHECK(pg_pool_num_accounts(fx.pool) == POOL_ACCOUNTS);
    fx.rings = make_rings(fx.pool);
    ready = 1;
    return &fx;
}

/*
 * The decoded input. The arrays handed to the code under test are heap
 * copies of exactly their stated lengths, so that ASan sees a read past one.
 */
typedef struct input {
    uint32_t institution[MAX_ACCOUNTS], ring_id[MAX_RINGS];
    uint32_t member_ring[MAX_ROWS], member_account[MAX_ROWS];
    pg_strlist names, insts;
    uint32_t *heap[4];
    pg_previous_view v;
} input;

/* A byte with its top three bits set carries a raw value (its low five bits): maybe wrong. */
static int raw(uint8_t b)
{
    return (b & 0xe0) == 0xe0;
}

/* Lengths: mostly the consistent one, sometimes another in 0..max. */
static size_t length_near(uint8_t b, size_t n, size_t max)
{
    return raw(b) ? (size_t)(b & 0x1f) % (max + 1) : n;
}

static uint32_t *heap_copy(const uint32_t *a, size_t n)
{
    uint32_t *c = malloc(n ? n * sizeof(*c) : 1);
    FUZZ_CHECK(c != NULL);
    memcpy(c, a, n * sizeof(*c));
    return c;
}

/*
 * Layout (missing bytes read as 0): n, institution count, institution length,
 * ring count, row count, account column length; then per earlier account
 * (12) an institution byte and a name byte; per ring (6) an id byte; per row
 * (24) a ring byte (step 0-2 from the previous row's ring, which starts at
 * 1) and an account byte (offset from the row number, mod n).
 */
static void decode(input *in, const uint8_t *data, size_t size)
{
    size_t n = fuzz_next_byte(&data, &size) % (MAX_ACCOUNTS + 1);
    size_t n_inst = N_INSTS - fuzz_next_byte(&data, &size) % (N_INSTS + 1);
    size_t n_institution = length_near(fuzz_next_byte(&data, &size), n, MAX_ACCOUNTS);
    size_t n_rings = fuzz_next_byte(&data, &size) % (MAX_RINGS + 1);
    size_t n_rows = fuzz_next_byte(&data, &size) % (MAX_ROWS + 1);
    size_t n_member_account = length_near(fuzz_next_byte(&data, &size), n_rows, MAX_ROWS);
    pg_strlist_init(&in->names);
    pg_strlist_init(&in->insts);
    for (size_t i = 0; i < MAX_ACCOUNTS; i++) {
        uint8_t b = fuzz_next_byte(&data, &size);
        in->institution[i] = raw(b) ? b & 0x1f : (uint32_t)(b % (n_inst ? n_inst : 1));
        const char *s = name_table[fuzz_next_byte(&data, &size) % N_NAMES];
        if (i < n) {
            FUZZ_CHECK(pg_strlist_push(&in->names, s, strlen(s)) == 0);
        }
    }
    for (size_t i = 0; i < n_inst; i++) {
        FUZZ_CHECK(pg_strlist_push(&in->insts, inst_table[i], strlen(inst_table[i])) == 0);
    }
    for (size_t i = 0; i < MAX_RINGS; i++) {
        uint8_t b = fuzz_next_byte(&data, &size);
        in->ring_id[i] = raw(b) ? b & 0x1f : (uint32_t)i + 1;
    }
    uint32_t ring = 1;
    for (size_t j = 0; j < MAX_ROWS; j++) {
        uint8_t b = fuzz_next_byte(&data, &size);
        if (raw(b)) {
            in->member_ring[j] = b & 0x1f;
        } else {
            ring += b % 3;
            in->member_ring[j] = ring;
        }
        b = fuzz_next_byte(&data, &size);
        in->member_account[j] = raw(b) ? b & 0x1f : (uint32_t)((j + b) % (n ? n : 1));
    }
    in->heap[0] = heap_copy(in->institution, n_institution);
    in->heap[1] = heap_copy(in->ring_id, n_rings);
    in->heap[2] = heap_copy(in->member_ring, n_rows);
    in->heap[3] = heap_copy(in->member_account, n_member_account);
    in->v = (pg_previous_view){.institution = in->heap[0],
                               .names = &in->names,
                               .insts = &in->insts,
                               .n_institution = n_institution,
                               .ring_id = in->heap[1],
                               .n_rings = n_rings,
                               .member_ring = in->heap[2],
                               .member_account = in->heap[3],
                               .n_member_ring = n_rows,
                               .n_member_account = n_member_account};
}

static void input_free(input *in)
{
    for (int i = 0; i < 4; i++) {
        free(in->heap[i]);
    }
    pg_strlist_destroy(&in->names);
    pg_strlist_destroy(&in->insts);
}

static int consistent(const pg_previous_view *v)
{
    size_t n = v->names->n;
    if (v->n_institution != n || v->n_member_ring != v->n_member_account) {
        return 0;
    }
    for (size_t i = 0; i < v->n_rings; i++) {
        if (v->ring_id[i] != i + 1) {
            return 0;
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (v->institution[i] >= v->insts->n) {
            return 0;
        }
    }
    for (size_t j = 0; j < v->n_member_ring; j++) {
        if (v->member_account[j] >= n || v->member_ring[j] < 1 || v->member_ring[j] > v->n_rings ||
            (j > 0 && v->member_ring[j] < v->member_ring[j - 1])) {
            return 0;
        }
        for (size_t k = 0; k < j; k++) {
            if (v->member_ring[k] == v->member_ring[j] &&
                v->member_account[k] == v->member_account[j]) {
                return 0;
            }
        }
    }
    return 1;
}

/* Whether earlier account i has the key of pool account a, by string comparison. */
static int same_key(const pg_previous_view *v, size_t i, const pg_pool *p, uint32_t a)
{
    pg_account_columns cols;
    pg_pool_accounts(p, &cols);
    return !strcmp(pg_strlist_str(v->insts, v->institution[i]),
                   pg_pool_institution_name(p, cols.institution[a])) &&
           !strcmp(pg_strlist_str(v->names, i), pg_pool_account_name(p, a));
}

/* The reference: every ring's previous into want, the totals into *tot. */
static void reference(pg_ring_previous *want, pg_rings_previous *tot, uint32_t *gone,
                      const pg_previous_view *v, const pg_pool *p, const pg_rings *r)
{
    size_t n = v->names->n;
    int continued[MAX_RINGS] = {0};
    *tot =
        (pg_rings_previous){.matched = 1, .rings = (uint32_t)v->n_rings, .accounts = (uint32_t)n};
    for (size_t i = 0; i < n; i++) {
        int found = 0;
        for (uint32_t a = 0; a < POOL_ACCOUNTS; a++) {
            found |= same_key(v, i, p, a);
        }
        tot->accounts_found += (uint32_t)found;
    }
    for (uint32_t k = 0; k < r->n; k++) {
        const pg_ring *R = &r->rings[k];
        pg_ring_previous best = {.id = PG_NONE};
        for (uint32_t P = 1; P <= v->n_rings; P++) {
            uint32_t size = 0, shared = 0;
            for (size_t j = 0; j < v->n_member_ring; j++) {
                size += v->member_ring[j] == P;
            }
            for (uint32_t i = 0; i < R->n_members; i++) {
                int in_p = 0;
                for (size_t j = 0; j < v->n_member_ring; j++) {
                    in_p |= v->member_ring[j] == P &&
                            same_key(v, v->member_account[j], p, R->members[i].account);
                }
                shared += (uint32_t)in_p;
            }
            if (shared == 0) {
                continue;
            }
            uint32_t smaller = R->n_members < size ? R->n_members : size;
            int c = 2 * shared >= smaller;
            continued[P - 1] |= c;
            /* P ascends: a later P wins only by continuing where best does not, or more similar */
            double jaccard = (double)shared / (R->n_members + size - shared);
            double best_jaccard =
                best.id == PG_NONE
                    ? 0.0
                    : (double)best.shared / (R->n_members + best.members - best.shared);
            if (best.id == PG_NONE || c > best.continues ||
                (c == best.continues && jaccard > best_jaccard)) {
                best =
                    (pg_ring_previous){.id = P, .shared = shared, .members = size, .continues = c};
            }
        }
        want[k] = best;
        tot->continuing += (uint32_t)(best.continues != 0);
    }
    for (size_t P = 0; P < v->n_rings; P++) {
        if (!continued[P]) {
            gone[tot->gone++] = (uint32_t)P + 1;
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const fixture *fx = the_fixture();
    input in;
    decode(&in, data, size);
    int ok = consistent(&in.v), st = pg_previous_view__check(&in.v, "fuzz.h5");
    FUZZ_CHECK(ok ? st == 0 : st == PG_EINPUT);
    FUZZ_CHECK(ok || strstr(pg_error_last(), "fuzz.h5") != NULL);
    if (ok) {
        pg_ring_previous want[N_CURRENT];
        pg_rings_previous want_tot;
        uint32_t want_gone[MAX_RINGS];
        reference(want, &want_tot, want_gone, &in.v, fx->pool, fx->rings);
        for (int threads = 1; threads <= 2; threads++) {
            for (uint32_t k = 0; k < N_CURRENT; k++) {
                memset(&fx->rings->rings[k].previous, 0xa5, sizeof(pg_ring_previous));
            }
            uint32_t *gone_id = fx->rings->previous.gone_id; /* owned: the match replaces it */
            memset(&fx->rings->previous, 0xa5, sizeof(pg_rings_previous));
            fx->rings->previous.gone_id = gone_id;
            FUZZ_CHECK(pg_previous_view__match(fx->rings, &in.v, fx->pool, threads) == 0);
            for (uint32_t k = 0; k < N_CURRENT; k++) {
                const pg_ring_previous *got = &fx->rings->rings[k].previous;
                FUZZ_CHECK(got->id == want[k].id && got->shared == want[k].shared);
                FUZZ_CHECK(got->members == want[k].members && got->continues == want[k].continues);
            }
            const pg_rings_previous *t = &fx->rings->previous;
            FUZZ_CHECK(t->matched == 1 && t->rings == want_tot.rings);
            FUZZ_CHECK(t->accounts == want_tot.accounts);
            FUZZ_CHECK(t->accounts_found == want_tot.accounts_found);
            FUZZ_CHECK(t->continuing == want_tot.continuing && t->gone == want_tot.gone);
            FUZZ_CHECK(memcmp(t->gone_id, want_gone, t->gone * sizeof(uint32_t)) == 0);
        }
    }
    input_free(&in);
    return 0;
}
