/*
 * The rings of an earlier scan related to this scan's (store/previous_rings.c,
 * pg_previous_scan_load, pg_rings_match_previous).
 *
 * Two pools ingested from CSV text: the earlier one (45 accounts) and a
 * later one (66 accounts) listing the accounts that stayed in another order,
 * with new ones, without three earlier ones (B1:m, z1, z2), and with the
 * name m only at B2 (a different account, which must not match B1:m). The
 * earlier scan's nine rings and this scan's six are built by hand from
 * account keys; every expected value below is worked out in the comments.
 *
 * Checked: each ring's previous {id, shared, members, continues} and the
 * totals (a ring identical to an earlier one, one that grew, one sharing one
 * member of ten, one continuing a small earlier ring while sharing more with
 * a large one, a tie, one sharing nothing; gone counts earlier rings that no
 * ring continues, including one continued by a ring whose best match is
 * another); a repeated key in the earlier file counted once; the same result
 * at 1, 2 and 4 threads; every check refusal of the arrays; the round trip
 * through results.h5 (pg_results_write_h5, pg_previous_scan_load) and the
 * files it refuses (a pool file, a missing file, a flipped byte, no seal);
 * PG_EINVAL for rings of another pool; the earlier scan's communities as a
 * starting partition (pg_previous_scan_communities, and through
 * pg_communities_warm_start).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/strlist.h"
#include "paygraph/paygraph.h"
#include "report/report_util.h"
#include "store/h5util.h"
#include "store/previous_rings.h"
#include "test_support.h"

typedef struct key {
    const char *inst, *name;
} key;

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* The earlier pool, in order of first appearance (account id = position). */
static const key earlier_accounts[] = {
    {"B1", "x1"}, {"B2", "x2"}, {"B1", "x3"}, {"B2", "g1"},  {"B1", "g2"},  {"B2", "g3"},
    {"B1", "g4"}, {"B2", "g5"}, {"B1", "h1"}, {"B2", "h2"},  {"B1", "h3"},  {"B2", "h4"},
    {"B1", "h5"}, {"B2", "h6"}, {"B1", "h7"}, {"B2", "h8"},  {"B1", "h9"},  {"B2", "h10"},
    {"B2", "L1"}, {"B1", "L2"}, {"B2", "L3"}, {"B1", "L4"},  {"B2", "L5"},  {"B1", "L6"},
    {"B2", "L7"}, {"B1", "L8"}, {"B2", "L9"}, {"B1", "L10"}, {"B2", "L11"}, {"B1", "L12"},
    {"B1", "s1"}, {"B2", "s2"}, {"B1", "t1"}, {"B2", "t2"},  {"B1", "t3"},  {"B2", "t4"},
    {"B2", "t5"}, {"B1", "t6"}, {"B2", "t7"}, {"B1", "t8"},  {"B1", "m"},   {"B2", "z1"},
    {"B1", "z2"}, {"B2", "o1"}, {"B2", "t9"},
};

/*
 * The later pool: 42 of the earlier accounts in another order (B1:m, z1 and
 * z2 are gone) and 24 new ones: w1, w2, B2:m (the name of B1:m at another
 * institution), n1-n7, r1-r5, q1-q9.
 */
static const key later_accounts[] = {
    {"B2", "w1"},  {"B2", "m"},   {"B1", "t8"},  {"B2", "t7"},  {"B1", "t6"}, {"B2", "t5"},
    {"B2", "t4"},  {"B1", "t3"},  {"B2", "t2"},  {"B1", "t1"},  {"B1", "n1"}, {"B2", "s2"},
    {"B1", "s1"},  {"B2", "r1"},  {"B1", "r2"},  {"B2", "r3"},  {"B1", "r4"}, {"B2", "r5"},
    {"B1", "L12"}, {"B2", "L11"}, {"B1", "L10"}, {"B2", "L9"},  {"B1", "L8"}, {"B2", "L7"},
    {"B1", "L6"},  {"B2", "L5"},  {"B1", "L4"},  {"B2", "L3"},  {"B1", "L2"}, {"B2", "L1"},
    {"B1", "q1"},  {"B2", "q2"},  {"B1", "q3"},  {"B2", "q4"},  {"B1", "q5"}, {"B2", "q6"},
    {"B1", "q7"},  {"B2", "q8"},  {"B1", "q9"},  {"B2", "h10"}, {"B1", "h9"}, {"B2", "h8"},
    {"B1", "h7"},  {"B2", "h6"},  {"B1", "h5"},  {"B2", "h4"},  {"B1", "h3"}, {"B2", "h2"},
    {"B1", "h1"},  {"B2", "n2"},  {"B1", "n3"},  {"B2", "n4"},  {"B1", "n5"}, {"B2", "n6"},
    {"B1", "n7"},  {"B2", "g5"},  {"B1", "g4"},  {"B2", "g3"},  {"B1", "g2"}, {"B2", "g1"},
    {"B1", "x3"},  {"B2", "x2"},  {"B1", "x1"},  {"B2", "o1"},  {"B1", "w2"}, {"B2", "t9"},
};

/* The earlier scan's rings, by rank (P1 .. P9). */
static const key p1[] = {{"B1", "x1"}, {"B2", "x2"}, {"B1", "x3"}};
static const key p2[] = {{"B2", "g1"}, {"B1", "g2"}, {"B2", "g3"}, {"B1", "g4"}, {"B2", "g5"}};
static const key p3[] = {{"B1", "h1"}, {"B2", "h2"}, {"B1", "h3"}, {"B2", "h4"}, {"B1", "h5"},
                         {"B2", "h6"}, {"B1", "h7"}, {"B2", "h8"}, {"B1", "h9"}, {"B2", "h10"}};
static const key p4[] = {{"B2", "L1"}, {"B1", "L2"},  {"B2", "L3"},  {"B1", "L4"},
                         {"B2", "L5"}, {"B1", "L6"},  {"B2", "L7"},  {"B1", "L8"},
                         {"B2", "L9"}, {"B1", "L10"}, {"B2", "L11"}, {"B1", "L12"}};
static const key p5[] = {{"B1", "s1"}, {"B2", "s2"}};
static const key p6[] = {{"B1", "t1"}, {"B2", "t2"}, {"B1", "t3"}, {"B2", "t4"}, {"B2", "t9"}};
static const key p7[] = {{"B2", "t5"}, {"B1", "t6"}, {"B2", "t7"}, {"B1", "t8"}};
/* x1 is in P1 too; P9 shares no account with any ring of the later scan */
static const key p8[] = {{"B1", "m"}, {"B2", "z1"}, {"B1", "z2"}, {"B1", "x1"}};
static const key p9[] = {{"B2", "z1"}, {"B2", "o1"}};

/* This scan's rings (R1 .. R6), members listed so that a worse earlier ring is met first. */
static const key r1[] = {{"B1", "x1"}, {"B2", "x2"}, {"B1", "x3"}};
static const key r2[] = {{"B2", "g1"}, {"B1", "g2"}, {"B2", "g3"}, {"B1", "g4"},
                         {"B2", "g5"}, {"B1", "n1"}, {"B2", "n2"}, {"B1", "n3"},
                         {"B2", "n4"}, {"B1", "n5"}, {"B2", "n6"}, {"B1", "n7"}};
static const key r3[] = {{"B1", "q1"}, {"B2", "q2"}, {"B1", "q3"}, {"B2", "q4"}, {"B1", "h1"},
                         {"B1", "q5"}, {"B2", "q6"}, {"B1", "q7"}, {"B2", "q8"}, {"B1", "q9"}};
static const key r4[] = {{"B2", "L1"}, {"B1", "L2"}, {"B2", "L3"}, {"B2", "r1"}, {"B1", "s1"},
                         {"B1", "r2"}, {"B2", "s2"}, {"B2", "r3"}, {"B1", "r4"}, {"B2", "r5"}};
static const key r5[] = {{"B2", "t5"}, {"B1", "t6"}, {"B1", "t1"}, {"B2", "t2"}};
static const key r6[] = {{"B2", "m"}, {"B2", "w1"}, {"B1", "w2"}};

typedef struct ring_keys {
    size_t n;
    const key *k;
} ring_keys;

static const ring_keys earlier_rings[] = {{COUNT(p1), p1}, {COUNT(p2), p2}, {COUNT(p3), p3},
                                          {COUNT(p4), p4}, {COUNT(p5), p5}, {COUNT(p6), p6},
                                          {COUNT(p7), p7}, {COUNT(p8), p8}, {COUNT(p9), p9}};
static const ring_keys later_rings[] = {{COUNT(r1), r1}, {COUNT(r2), r2}, {COUNT(r3), r3},
                                        {COUNT(r4), r4}, {COUNT(r5), r5}, {COUNT(r6), r6}};

/*
 * Worked out by hand:
 * R1 {x1,x2,x3}: P1 shares 3 of 3 (continues); P8 shares x1, 1 of 4 (2 < min(3,4) = 3: no).
 * R2 (12): P2 shares all 5 (2*5 >= min(12,5) = 5: continues), the ring grew 5 -> 12.
 * R3 (10): P3 shares h1 only, 1 of 10 (2 < 10): its match, not continued.
 * R4 (10): P4 shares L1-L3, 3 of 12 (6 < min(10,12) = 10: no); P5 shares s1, s2, 2 of 2
 *     (continues): the continued one wins over the one sharing more.
 * R5 {t5,t6,t1,t2}: P6 shares 2 of 5 (2*2 >= min(4,5) = 4), P7 2 of 4 (4 >= 4): both
 *     continued and sharing 2; P7 is the more similar (Jaccard 2/6 against 2/7) and wins
 *     although P6 is better ranked.
 * R6 {B2:m, w1, w2}: shares nothing (B1:m is another account): PG_NONE.
 * Continued: P1, P2, P5, P6, P7 (P6 though R5's match is P7); gone: P3, P4, P8, P9.
 */
static const pg_ring_previous want_previous[] = {
    {.id = 1, .shared = 3, .members = 3, .continues = 1},
    {.id = 2, .shared = 5, .members = 5, .continues = 1},
    {.id = 3, .shared = 1, .members = 10, .continues = 0},
    {.id = 5, .shared = 2, .members = 2, .continues = 1},
    {.id = 7, .shared = 2, .members = 4, .continues = 1},
    {.id = PG_NONE, .shared = 0, .members = 0, .continues = 0},
};
/* 9 earlier rings; 45 earlier accounts, all but B1:m, z1, z2 found; R1, R2, R4, R5 continue. */
static const pg_rings_previous want_totals = {
    .matched = 1, .rings = 9, .accounts = 45, .accounts_found = 42, .continuing = 4, .gone = 4};

typedef struct fixture {
    char dir[512];
    pg_pool *earlier, *later;
    pg_graph earlier_graph;
    pg_rings *earlier_rings, *later_rings;
} fixture;

/* A pool of the given accounts: transactions a0 -> a1, a2 -> a3, ... so ids follow the list. */
static pg_pool *pool_of(const char *dir, const char *name, const key *acc, size_t n)
{
    size_t cap = 128 + n * 64, len = 0;
    char *csv = malloc(cap), path[700];
    assert_non_null(csv);
    len += (size_t)snprintf(csv, cap,
                            "timestamp,amount,src_institution,src_account,"
                            "dst_institution,dst_account\n");
    for (size_t i = 0; i < n; i += 2) {
        const key *a = &acc[i], *b = &acc[i + 1 < n ? i + 1 : 0];
        len += (size_t)snprintf(csv + len, cap - len, "%ld,10.00,%s,%s,%s,%s\n",
                                1700000000L + 60L * (long)i, a->inst, a->name, b->inst, b->name);
    }
    assert_true(len < cap);
    snprintf(path, sizeof(path), "%s/%s.csv", dir, name);
    pg_test_write_file(path, csv, len);
    free(csv);
    int st;
    pg_pool *p = pg_test_ingest(path, NULL, NULL, "paygraph", 1, PG_ON_ERROR_FAIL, NULL, &st);
    assert_int_equal(st, 0);
    assert_int_equal(pg_pool_num_accounts(p), n);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(pg_pool_find_account(p, acc[i].inst, acc[i].name), i);
    }
    return p;
}

static uint32_t acct(const pg_pool *p, const key *k)
{
    uint32_t a = pg_pool_find_account(p, k->inst, k->name);
    assert_true(a != PG_NONE);
    return a;
}

/* Rings ranked 1..n on pool p, members by key. */
static pg_rings *rings_of(const pg_pool *p, const ring_keys *def, uint32_t n)
{
    pg_rings *r = pg_calloc(1, sizeof(*r));
    assert_non_null(r);
    r->n = n;
    r->rings = pg_calloc(n, sizeof(pg_ring));
    assert_non_null(r->rings);
    r->n_accounts = pg_pool_num_accounts(p);
    for (uint32_t k = 0; k < n; k++) {
        pg_ring *g = &r->rings[k];
        g->id = k + 1;
        g->score = 0.9 - 0.05 * k;
        g->detector = "community";
        g->typology = "offender-payments";
        g->community = PG_NONE;
        g->n_members = (uint32_t)def[k].n;
        g->members = pg_calloc(def[k].n, sizeof(pg_ring_member));
        assert_non_null(g->members);
        for (size_t i = 0; i < def[k].n; i++) {
            g->members[i] = (pg_ring_member){acct(p, &def[k].k[i]), PG_ROLE_MEMBER, 0.5};
        }
    }
    return r;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    snprintf(f->dir, sizeof(f->dir), "%s", pg_test_tmpdir("previous_rings"));
    f->earlier = pool_of(f->dir, "earlier", earlier_accounts, COUNT(earlier_accounts));
    f->later = pool_of(f->dir, "later", later_accounts, COUNT(later_accounts));
    /* B1:m is not in the later pool, only B2:m */
    assert_int_equal(pg_pool_find_account(f->later, "B1", "m"), PG_NONE);
    pg_graph_options go;
    pg_graph_options_init(&go);
    go.threads = 1;
    assert_int_equal(pg_graph_build(&f->earlier_graph, f->earlier, &go), 0);
    f->earlier_rings = rings_of(f->earlier, earlier_rings, COUNT(earlier_rings));
    f->later_rings = rings_of(f->later, later_rings, COUNT(later_rings));
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    pg_rings_free(f->earlier_rings);
    pg_rings_free(f->later_rings);
    pg_graph_free(&f->earlier_graph);
    pg_pool_free(f->earlier);
    pg_pool_free(f->later);
    free(f);
    return 0;
}

/* A hand-built view of the earlier scan: its accounts in reverse order, institutions B2, B1. */
typedef struct view_buf {
    uint32_t institution[64], ring_id[16], member_ring[64], member_account[64];
    pg_strlist names, insts;
    pg_previous_view v;
} view_buf;

static uint32_t view_index(const key *k)
{
    size_t n = COUNT(earlier_accounts);
    for (size_t i = 0; i < n; i++) {
        const key *e = &earlier_accounts[n - 1 - i];
        if (!strcmp(e->inst, k->inst) && !strcmp(e->name, k->name)) {
            return (uint32_t)i;
        }
    }
    fail_msg("%s:%s is not an earlier account", k->inst, k->name);
    return PG_NONE;
}

static void view_build(view_buf *b)
{
    memset(b, 0, sizeof(*b));
    pg_strlist_init(&b->names);
    pg_strlist_init(&b->insts);
    assert_int_equal(pg_strlist_push(&b->insts, "B2", 2), 0);
    assert_int_equal(pg_strlist_push(&b->insts, "B1", 2), 0);
    size_t n = COUNT(earlier_accounts), rows = 0;
    for (size_t i = 0; i < n; i++) {
        const key *k = &earlier_accounts[n - 1 - i];
        assert_int_equal(pg_strlist_push(&b->names, k->name, strlen(k->name)), 0);
        b->institution[i] = strcmp(k->inst, "B2") == 0 ? 0 : 1;
    }
    for (uint32_t r = 0; r < COUNT(earlier_rings); r++) {
        b->ring_id[r] = r + 1;
        for (size_t i = 0; i < earlier_rings[r].n; i++, rows++) {
            b->member_ring[rows] = r + 1;
            b->member_account[rows] = view_index(&earlier_rings[r].k[i]);
        }
    }
    assert_int_equal(rows, 47);
    b->v = (pg_previous_view){.institution = b->institution,
                              .names = &b->names,
                              .insts = &b->insts,
                              .n_institution = n,
                              .ring_id = b->ring_id,
                              .n_rings = COUNT(earlier_rings),
                              .member_ring = b->member_ring,
                              .member_account = b->member_account,
                              .n_member_ring = rows,
                              .n_member_account = rows};
}

static void view_free(view_buf *b)
{
    pg_strlist_destroy(&b->names);
    pg_strlist_destroy(&b->insts);
}

/* Garbage in every field the matching sets, so that a field it forgets shows. */
/* Garbage in every field a match sets (the gone list is owned: kept, the match replaces it). */
static void poison(pg_rings *r)
{
    for (uint32_t k = 0; k < r->n; k++) {
        memset(&r->rings[k].previous, 0xa5, sizeof(r->rings[k].previous));
    }
    uint32_t *gone_id = r->previous.gone_id;
    memset(&r->previous, 0xa5, sizeof(r->previous));
    r->previous.gone_id = gone_id;
}

static void expect_previous(const pg_rings *r, const pg_ring_previous *want, size_t n,
                            const pg_rings_previous *totals)
{
    assert_int_equal(r->n, n);
    for (uint32_t k = 0; k < n; k++) {
        const pg_ring_previous *q = &r->rings[k].previous;
        print_message("# R%u: id %u shared %u members %u continues %d\n", k + 1, q->id, q->shared,
                      q->members, q->continues);
        assert_int_equal(q->id, want[k].id);
        assert_int_equal(q->shared, want[k].shared);
        assert_int_equal(q->members, want[k].members);
        assert_int_equal(q->continues, want[k].continues);
    }
    assert_int_equal(r->previous.matched, totals->matched);
    assert_int_equal(r->previous.rings, totals->rings);
    assert_int_equal(r->previous.accounts, totals->accounts);
    assert_int_equal(r->previous.accounts_found, totals->accounts_found);
    assert_int_equal(r->previous.continuing, totals->continuing);
    assert_int_equal(r->previous.gone, totals->gone);
    if (totals == &want_totals) {
        static const uint32_t gone[] = {3, 4, 8, 9};
        assert_int_equal(r->previous.gone, COUNT(gone));
        assert_memory_equal(r->previous.gone_id, gone, sizeof(gone));
    }
}

static void test_match_by_key(void **state)
{
    fixture *f = *state;
    view_buf b;
    view_build(&b);
    assert_int_equal(pg_previous_view__check(&b.v, "earlier.h5"), 0);
    poison(f->later_rings);
    assert_int_equal(pg_previous_view__match(f->later_rings, &b.v, f->later, 1), 0);
    expect_previous(f->later_rings, want_previous, COUNT(want_previous), &want_totals);
    view_free(&b);
}

/*
 * A file that repeats a key: earlier accounts B1:g2, B1:g2 again, B2:g3,
 * B2:x2; P1 = rows {g2, g2', g3} (3 rows), P2 = rows {g2', x2}.
 * R1 {x1,x2,x3}: P2 shares x2, 1 of 2 (2 >= min(3,2)): continues.
 * R2 (12): P1 shares g2 and g3, once each: 2 of 3 (4 >= 3), continues; P2
 * shares g2, 1 of 2 (continues too) but P1 shares more.
 * Nobody else shares anything; both earlier rings continued.
 */
static void test_repeated_key_counted_once(void **state)
{
    fixture *f = *state;
    uint32_t institution[] = {0, 0, 1, 1}, ring_id[] = {1, 2};
    uint32_t member_ring[] = {1, 1, 1, 2, 2}, member_account[] = {0, 1, 2, 1, 3};
    pg_strlist names, insts;
    pg_strlist_init(&names);
    pg_strlist_init(&insts);
    const char *nm[] = {"g2", "g2", "g3", "x2"};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(pg_strlist_push(&names, nm[i], strlen(nm[i])), 0);
    }
    assert_int_equal(pg_strlist_push(&insts, "B1", 2), 0);
    assert_int_equal(pg_strlist_push(&insts, "B2", 2), 0);
    pg_previous_view v = {.institution = institution,
                          .names = &names,
                          .insts = &insts,
                          .n_institution = 4,
                          .ring_id = ring_id,
                          .n_rings = 2,
                          .member_ring = member_ring,
                          .member_account = member_account,
                          .n_member_ring = 5,
                          .n_member_account = 5};
    assert_int_equal(pg_previous_view__check(&v, "dup.h5"), 0);
    static const pg_ring_previous want[] = {
        {.id = 2, .shared = 1, .members = 2, .continues = 1},
        {.id = 1, .shared = 2, .members = 3, .continues = 1},
        {.id = PG_NONE},
        {.id = PG_NONE},
        {.id = PG_NONE},
        {.id = PG_NONE},
    };
    static const pg_rings_previous totals = {
        .matched = 1, .rings = 2, .accounts = 4, .accounts_found = 4, .continuing = 2, .gone = 0};
    for (int threads = 1; threads <= 2; threads++) {
        poison(f->later_rings);
        assert_int_equal(pg_previous_view__match(f->later_rings, &v, f->later, threads), 0);
        expect_previous(f->later_rings, want, COUNT(want), &totals);
    }
    pg_strlist_destroy(&names);
    pg_strlist_destroy(&insts);
}

static void test_threads_agree(void **state)
{
    fixture *f = *state;
    view_buf b;
    view_build(&b);
    pg_rings *r = f->later_rings;
    pg_ring_previous first[COUNT(later_rings)];
    pg_rings_previous first_totals;
    uint32_t first_gone[4];
    for (int threads = 1; threads <= 4; threads *= 2) {
        poison(r);
        assert_int_equal(pg_previous_view__match(r, &b.v, f->later, threads), 0);
        if (threads == 1) {
            expect_previous(r, want_previous, COUNT(want_previous), &want_totals);
            for (uint32_t k = 0; k < r->n; k++) {
                first[k] = r->rings[k].previous;
            }
            first_totals = r->previous;
            assert_true(r->previous.gone <= COUNT(first_gone));
            memcpy(first_gone, r->previous.gone_id, r->previous.gone * sizeof(uint32_t));
            first_totals.gone_id = NULL; /* freed by the next match */
            continue;
        }
        for (uint32_t k = 0; k < r->n; k++) {
            assert_memory_equal(&r->rings[k].previous, &first[k], sizeof(first[k]));
        }
        /* the counts, and the gone list by content (each match allocates its own) */
        pg_rings_previous got = r->previous;
        got.gone_id = NULL;
        assert_memory_equal(&got, &first_totals, sizeof(first_totals));
        assert_memory_equal(r->previous.gone_id, first_gone, sizeof(first_gone));
    }
    view_free(&b);
}

static void expect_refused(const pg_previous_view *v, const char *what)
{
    assert_int_equal(pg_previous_view__check(v, "/data/scan-2024-05/results.h5"), PG_EINPUT);
    print_message("# %s\n", pg_error_last());
    assert_non_null(strstr(pg_error_last(), "/data/scan-2024-05/results.h5"));
    assert_non_null(strstr(pg_error_last(), what));
}

/* Each rule of the check on a small view: accounts a, b, c; ring 1 {a, b}, ring 2 {b, c}. */
static void test_check_refuses(void **state)
{
    (void)state;
    uint32_t institution[] = {0, 1, 0}, ring_id[] = {1, 2};
    uint32_t member_ring[] = {1, 1, 2, 2}, member_account[] = {0, 1, 1, 2};
    pg_strlist names, insts;
    pg_strlist_init(&names);
    pg_strlist_init(&insts);
    for (const char *s = "abc"; *s; s++) {
        assert_int_equal(pg_strlist_push(&names, s, 1), 0);
    }
    assert_int_equal(pg_strlist_push(&insts, "B1", 2), 0);
    assert_int_equal(pg_strlist_push(&insts, "B2", 2), 0);
    pg_previous_view v = {.institution = institution,
                          .names = &names,
                          .insts = &insts,
                          .n_institution = 3,
                          .ring_id = ring_id,
                          .n_rings = 2,
                          .member_ring = member_ring,
                          .member_account = member_account,
                          .n_member_ring = 4,
                          .n_member_account = 4};
    const char *path = "/data/scan-2024-05/results.h5";
    assert_int_equal(pg_previous_view__check(&v, path), 0); /* b in two rings is fine */

    v.n_institution = 2; /* institutions for two of three accounts */
    expect_refused(&v, "3 account names and 2 account institutions");
    v.n_institution = 3;
    v.n_member_account = 3; /* membership columns of different lengths */
    expect_refused(&v, "4 ring ids and 3 accounts");
    v.n_member_account = 4;
    ring_id[1] = 3; /* ring ids not the ranks */
    expect_refused(&v, "/rings/id[1] = 3");
    ring_id[1] = 2;
    ring_id[0] = 0;
    expect_refused(&v, "/rings/id[0] = 0");
    ring_id[0] = 1;
    institution[2] = 2; /* an institution index past the two names */
    expect_refused(&v, "/accounts/institution[2] = 2");
    institution[2] = 0;
    member_account[3] = 3; /* an account index past the three accounts */
    expect_refused(&v, "/rings/members/account[3] = 3");
    member_account[3] = 2;
    member_ring[0] = 0; /* ring id 0 (ids are 1-based) */
    expect_refused(&v, "ring_id[0] = 0");
    member_ring[0] = 1;
    member_ring[3] = 3; /* a ring past the two */
    expect_refused(&v, "ring_id[3] = 3");
    member_ring[3] = 2;
    member_ring[1] = 2; /* rows 1, 2, 1, 2: not grouped by ring */
    member_ring[2] = 1;
    expect_refused(&v, "ring_id[2] = 1");
    member_ring[1] = 1;
    member_ring[2] = 2;
    member_account[1] = 0; /* a twice in ring 1, adjacent rows */
    expect_refused(&v, "account 0 twice");
    member_account[1] = 1;
    member_ring[2] = 1; /* ring 1 {a, b, b}, ring 2 {c} */
    expect_refused(&v, "account 1 twice");
    member_account[1] = 0; /* ring 1 {a, a, b}: a twice */
    member_account[2] = 1;
    member_account[0] = 0;
    expect_refused(&v, "account 0 twice");
    /* ring 1 {a, b, a}: the repeat not adjacent */
    member_account[1] = 1;
    member_account[2] = 0;
    expect_refused(&v, "account 0 twice");

    /* consistent again: ring 1 {a, b, c}, ring 2 {c}; then a ring without members */
    member_account[2] = 2;
    assert_int_equal(pg_previous_view__check(&v, path), 0);
    uint32_t ids3[] = {1, 2, 3};
    v.ring_id = ids3;
    v.n_rings = 3;
    assert_int_equal(pg_previous_view__check(&v, path), 0);
    /* nothing at all */
    pg_strlist empty;
    pg_strlist_init(&empty);
    pg_previous_view none = {.names = &empty, .insts = &empty};
    assert_int_equal(pg_previous_view__check(&none, path), 0);
    pg_strlist_destroy(&names);
    pg_strlist_destroy(&insts);
    pg_strlist_destroy(&empty);
}

static void expect_load_refused(const char *path, int status, const char *what)
{
    pg_previous_scan *s = (pg_previous_scan *)&s; /* not NULL: the load must clear it */
    assert_int_equal(pg_previous_scan_load(&s, path, 1), status);
    assert_null(s);
    print_message("# %s\n", pg_error_last());
    assert_non_null(strstr(pg_error_last(), path));
    assert_non_null(strstr(pg_error_last(), what));
}

static void read_u32_column(pg_h5 *h, const char *name, uint32_t *out, size_t n)
{
    uint32_t *col = NULL;
    size_t got = 0;
    assert_int_equal(pg_h5_read(h, name, H5T_NATIVE_UINT32, (void **)&col, &got), 0);
    assert_int_equal(got, n);
    memcpy(out, col, n * sizeof(*out));
    pg_free(col);
}

static void expect_attr(pg_h5 *h, const char *name, int64_t want)
{
    int64_t v = -1;
    assert_int_equal(pg_h5_get_attr_int(h, "/", name, &v), 0);
    assert_int_equal(v, want);
}

/* The later scan's results.h5 holds the previous-scan columns and totals. */
static void expect_previous_columns(const char *path)
{
    size_t n = COUNT(want_previous);
    uint32_t col[COUNT(want_previous)];
    pg_h5 h;
    assert_int_equal(pg_h5_open(&h, path), 0);
    read_u32_column(&h, "/rings/previous_id", col, n);
    for (size_t k = 0; k < n; k++) {
        assert_int_equal(col[k], want_previous[k].id);
    }
    read_u32_column(&h, "/rings/previous_shared", col, n);
    for (size_t k = 0; k < n; k++) {
        assert_int_equal(col[k], want_previous[k].shared);
    }
    read_u32_column(&h, "/rings/previous_members", col, n);
    for (size_t k = 0; k < n; k++) {
        assert_int_equal(col[k], want_previous[k].members);
    }
    uint8_t *cont = NULL;
    size_t got = 0;
    assert_int_equal(
        pg_h5_read(&h, "/rings/previous_continues", H5T_NATIVE_UINT8, (void **)&cont, &got), 0);
    assert_int_equal(got, n);
    for (size_t k = 0; k < n; k++) {
        assert_int_equal(cont[k], want_previous[k].continues);
    }
    pg_free(cont);
    expect_attr(&h, "previous_rings", 9);
    expect_attr(&h, "previous_accounts", 45);
    expect_attr(&h, "previous_accounts_found", 42);
    expect_attr(&h, "previous_continuing", 4);
    expect_attr(&h, "previous_gone", 4);
    uint32_t gone[4];
    read_u32_column(&h, "/previous_scan/gone_id", gone, COUNT(gone));
    static const uint32_t want_gone[] = {3, 4, 8, 9};
    assert_memory_equal(gone, want_gone, sizeof(gone));
    char sha[80];
    assert_int_equal(pg_h5_get_attr_string(&h, "/", "previous_sha256", sha, sizeof(sha)), 0);
    assert_int_equal(strlen(sha), 64);
    assert_int_equal(strspn(sha, "0123456789abcdef"), 64);
    assert_int_equal(pg_h5_close(&h), 0);
}

static void test_file_round_trip(void **state)
{
    fixture *f = *state;
    char path[700], later_path[700], pool_path[700], missing[700], flipped[700], unsealed[700];
    snprintf(path, sizeof(path), "%s/earlier_results.h5", f->dir);
    snprintf(later_path, sizeof(later_path), "%s/later_results.h5", f->dir);
    snprintf(pool_path, sizeof(pool_path), "%s/earlier_pool.h5", f->dir);
    snprintf(missing, sizeof(missing), "%s/missing.h5", f->dir);
    snprintf(flipped, sizeof(flipped), "%s/flipped.h5", f->dir);
    snprintf(unsealed, sizeof(unsealed), "%s/unsealed.h5", f->dir);
    assert_int_equal(
        pg_results_write_h5(path, f->earlier, &f->earlier_graph, f->earlier_rings, NULL), 0);

    pg_previous_scan *s = NULL;
    for (int threads = 1; threads <= 2; threads++) {
        assert_int_equal(pg_previous_scan_load(&s, path, threads), 0);
        assert_non_null(s);
        poison(f->later_rings);
        assert_int_equal(pg_rings_match_previous(f->later_rings, s, f->later, threads), 0);
        expect_previous(f->later_rings, want_previous, COUNT(want_previous), &want_totals);
        /* which file was read: its SHA-256, 64 lowercase hex digits */
        const char *sha = f->later_rings->previous.sha256;
        assert_int_equal(strlen(sha), 64);
        assert_int_equal(strspn(sha, "0123456789abcdef"), 64);
        pg_previous_scan_free(s);
    }

    /* the later scan's file records the match and can itself be an earlier scan */
    assert_int_equal(pg_results_write_h5(later_path, f->later, NULL, f->later_rings, NULL), 0);
    expect_previous_columns(later_path);
    assert_int_equal(pg_previous_scan_load(&s, later_path, 1), 0);
    poison(f->later_rings);
    assert_int_equal(pg_rings_match_previous(f->later_rings, s, f->later, 1), 0);
    pg_previous_scan_free(s);
    for (uint32_t k = 0; k < f->later_rings->n; k++) { /* every ring is itself */
        const pg_ring_previous *q = &f->later_rings->rings[k].previous;
        assert_int_equal(q->id, k + 1);
        assert_int_equal(q->shared, later_rings[k].n);
        assert_int_equal(q->members, later_rings[k].n);
        assert_int_equal(q->continues, 1);
    }
    assert_int_equal(f->later_rings->previous.accounts, 66);
    assert_int_equal(f->later_rings->previous.accounts_found, 66);
    assert_int_equal(f->later_rings->previous.gone, 0);

    /* a pool file is sealed too, but is no scan's results */
    pg_store_options so;
    pg_store_options_init(&so);
    assert_int_equal(pg_pool_save(f->earlier, pool_path, &so), 0);
    expect_load_refused(pool_path, PG_EINPUT, "not the results.h5 of a paygraph scan");
    expect_load_refused(missing, PG_EIO, "cannot open");

    size_t len;
    char *bytes = pg_test_read_file(path, &len);
    assert_true(len > 1024);
    bytes[512 + (len - 512) / 2] ^= 0x10;
    pg_test_write_file(flipped, bytes, len);
    expect_load_refused(flipped, PG_EINPUT, "damaged");
    bytes[512 + (len - 512) / 2] ^= 0x10;
    memset(bytes, 0, 512);
    pg_test_write_file(unsealed, bytes, len);
    expect_load_refused(unsealed, PG_EINPUT, "not a sealed");
    free(bytes);
}

static void test_rings_of_another_pool(void **state)
{
    fixture *f = *state;
    view_buf b;
    view_build(&b);
    pg_rings *r = f->later_rings;
    r->n_accounts = pg_pool_num_accounts(f->later) + 1;
    assert_int_equal(pg_previous_view__match(r, &b.v, f->later, 1), PG_EINVAL);
    r->n_accounts = pg_pool_num_accounts(f->later);
    /* the earlier scan's rings (45 accounts) against the later pool (66) */
    assert_int_equal(pg_previous_view__match(f->earlier_rings, &b.v, f->later, 1), PG_EINVAL);
    assert_int_equal(f->earlier_rings->previous.matched, 0);
    view_free(&b);
    /* through the public call as well */
    char path[700];
    snprintf(path, sizeof(path), "%s/earlier_results_einval.h5", f->dir);
    assert_int_equal(
        pg_results_write_h5(path, f->earlier, &f->earlier_graph, f->earlier_rings, NULL), 0);
    pg_previous_scan *s = NULL;
    assert_int_equal(pg_previous_scan_load(&s, path, 1), 0);
    assert_int_equal(pg_rings_match_previous(f->earlier_rings, s, f->later, 1), PG_EINVAL);
    assert_int_equal(pg_rings_match_previous(r, s, f->earlier, 1), PG_EINVAL);
    pg_previous_scan_free(s);
}

/* Write the earlier scan with the given account communities (NULL: none) and load it. */
static pg_previous_scan *load_with_communities(fixture *f, uint32_t *community, const char *name,
                                               int want)
{
    char path[700];
    snprintf(path, sizeof(path), "%s/%s.h5", f->dir, name);
    f->earlier_rings->community = community;
    assert_int_equal(
        pg_results_write_h5(path, f->earlier, &f->earlier_graph, f->earlier_rings, NULL), 0);
    f->earlier_rings->community = NULL;
    pg_previous_scan *s = NULL;
    assert_int_equal(pg_previous_scan_load(&s, path, 1), want);
    return s;
}

/*
 * The earlier scan's communities as the later graph's starting partition:
 * earlier account i (in earlier_accounts order) was in community i / 5; a
 * later account takes its key's, the others start alone, numbered in
 * vertex order of first appearance. A file without communities cannot
 * give any; a label past the accounts is refused at load.
 */
static void test_previous_communities(void **state)
{
    fixture *f = *state;
    enum { NE = COUNT(earlier_accounts), NL = COUNT(later_accounts) };
    pg_graph later_graph;
    pg_graph_options go;
    pg_graph_options_init(&go);
    go.threads = 1;
    assert_int_equal(pg_graph_build(&later_graph, f->later, &go), 0);
    assert_int_equal(later_graph.n, NL); /* account level: vertex = account */
    uint32_t community[NE], want[NL], got[NL], first[NE], next = 0, want_matched = 0, matched;
    for (uint32_t i = 0; i < NE; i++) {
        community[i] = i / 5;
        first[i] = PG_NONE;
    }
    for (uint32_t v = 0; v < NL; v++) {
        uint32_t c = PG_NONE;
        for (uint32_t i = 0; i < NE; i++) {
            if (!strcmp(earlier_accounts[i].inst, later_accounts[v].inst) &&
                !strcmp(earlier_accounts[i].name, later_accounts[v].name)) {
                c = community[i];
            }
        }
        want_matched += c != PG_NONE;
        if (c == PG_NONE) {
            want[v] = next++;
        } else {
            first[c] = first[c] == PG_NONE ? next++ : first[c];
            want[v] = first[c];
        }
    }
    assert_int_equal(want_matched, 42);

    pg_previous_scan *s = load_with_communities(f, NULL, "no_communities", 0);
    assert_int_equal(pg_previous_scan_communities(got, &matched, s, f->later, &later_graph, 1),
                     PG_EINPUT);
    pg_previous_scan_free(s);

    s = load_with_communities(f, community, "communities", 0);
    for (int threads = 1; threads <= 4; threads *= 2) {
        memset(got, 0xff, sizeof(got));
        assert_int_equal(
            pg_previous_scan_communities(got, &matched, s, f->later, &later_graph, threads), 0);
        assert_int_equal(matched, want_matched);
        assert_memory_equal(got, want, sizeof(want));
    }
    pg_previous_scan_free(s);
    /* `paygraph communities --initial` takes a scan's results.h5 the same way */
    char path[700];
    snprintf(path, sizeof(path), "%s/communities.h5", f->dir);
    memset(got, 0xff, sizeof(got));
    assert_int_equal(pg_communities_warm_start(got, &matched, path, f->later, &later_graph, 2), 0);
    assert_int_equal(matched, want_matched);
    assert_memory_equal(got, want, sizeof(want));

    community[7] = NE; /* no partition of NE accounts has a label NE */
    s = load_with_communities(f, community, "bad_communities", PG_EINPUT);
    assert_null(s);
    assert_non_null(strstr(pg_error_last(), "bad_communities.h5"));
    pg_graph_free(&later_graph);
}

/*
 * The gone rings among the earlier scan's first k, as stdout and the page
 * name them: k is --top (0: all) but at most the earlier rings; when they
 * do not all fit, the ids shown are the first ones, whole, then "…".
 */
static void test_gone_top(void **state)
{
    (void)state;
    uint32_t ids[300];
    for (uint32_t i = 0; i < 300; i++) {
        ids[i] = 1 + i + i / 2; /* 1, 2, 4, 5, 7, ...: every third earlier ring continued */
    }
    pg_rings_previous t = {.matched = 1, .rings = 450, .gone = 300, .gone_id = ids};
    char buf[160];
    assert_int_equal(pg_report__gone_top(buf, sizeof(buf), &t, 6), 6);
    assert_string_equal(buf, "#1, #2, #4, #5");
    assert_int_equal(pg_report__gone_top(buf, sizeof(buf), &t, 3), 3);
    assert_string_equal(buf, "#1, #2");
    t.gone_id = ids + 1; /* first gone is #2 */
    t.gone = 299;
    assert_int_equal(pg_report__gone_top(buf, sizeof(buf), &t, 1), 1);
    assert_string_equal(buf, "none");
    t.gone_id = ids;
    t.gone = 300;
    /* top past the earlier scan, and top 0: all of its rings */
    for (uint32_t top = 0; top <= 1000; top += 1000) {
        assert_int_equal(pg_report__gone_top(buf, sizeof(buf), &t, top), 450);
        size_t len = strlen(buf);
        assert_true(len < sizeof(buf));
        assert_string_equal(buf + len - 3, "\xe2\x80\xa6");
        /* the ids shown are the first gone ones, each whole */
        char want[400] = "";
        size_t w = 0;
        for (uint32_t i = 0; w + 16 < sizeof(want) && i < 40; i++) {
            w += (size_t)snprintf(want + w, sizeof(want) - w, "%s#%u", i ? ", " : "", ids[i]);
        }
        assert_memory_equal(buf, want, len - 3);
        assert_true(want[len - 3] == ',');
    }
    /* exactly filling: the last id needs no "…" after it */
    uint32_t three[] = {10, 20, 30};
    pg_rings_previous u = {.matched = 1, .rings = 30, .gone = 3, .gone_id = three};
    char small[14]; /* "#10, #20, #30" and its NUL */
    pg_report__gone_top(small, sizeof(small), &u, 0);
    assert_string_equal(small, "#10, #20, #30");
    char smaller[13];
    pg_report__gone_top(smaller, sizeof(smaller), &u, 0);
    assert_string_equal(smaller, "#10, #20\xe2\x80\xa6");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_match_by_key),
        cmocka_unit_test(test_repeated_key_counted_once),
        cmocka_unit_test(test_threads_agree),
        cmocka_unit_test(test_check_refuses),
        cmocka_unit_test(test_file_round_trip),
        cmocka_unit_test(test_rings_of_another_pool),
        cmocka_unit_test(test_previous_communities),
        cmocka_unit_test(test_gone_top),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
