/*
 * Temporal cycles against exhaustive search on small seeded random temporal
 * graphs (strict and non-strict order, delays, amount shrinkage, windows,
 * H = 2..5), each cycle exactly once; verifier on every result and on
 * corrupted ones; identical output for 1, 2 and 4 threads; deterministic
 * truncation; a planted cycle is found; clean allocation failure.
 */
#include "test_support.h"

#include "test_temporal_fixture.h"

static int before(const tgraph *g, uint32_t a, uint32_t b)
{
    return g->ts[a] < g->ts[b] || (g->ts[a] == g->ts[b] && a < b);
}

/* Exhaustive search over all transactions from every start transaction. */
static void ref_extend(const tgraph *g, const pg_temporal_options *o, seqset *out, uint32_t *txn,
                       uint32_t *vert, int hops)
{
    uint32_t e0 = txn[0];
    for (uint32_t e = 0; e < g->m; e++) {
        if (g->src[e] != vert[hops] || !before(g, e0, e) || !ref_hop_ok(g, o, txn[hops - 1], e) ||
            (o->window >= 0 && g->ts[e] - g->ts[e0] > o->window)) {
            continue;
        }
        txn[hops] = e;
        if (g->dst[e] == vert[0]) {
            seqset_add(out, txn, hops + 1);
            continue;
        }
        int seen = 0;
        for (int i = 0; i <= hops; i++) {
            seen |= vert[i] == g->dst[e];
        }
        if (!seen && hops + 1 < o->max_hops) {
            vert[hops + 1] = g->dst[e];
            ref_extend(g, o, out, txn, vert, hops + 1);
        }
    }
}

static void ref_cycles(const tgraph *g, const pg_temporal_options *o, seqset *out)
{
    uint32_t txn[17], vert[18];
    for (uint32_t e = 0; e < g->m; e++) {
        if (g->src[e] == g->dst[e]) {
            continue;
        }
        txn[0] = e;
        vert[0] = g->src[e];
        vert[1] = g->dst[e];
        ref_extend(g, o, out, txn, vert, 1);
    }
}

static void set_options(pg_temporal_options *o, int variant)
{
    pg_temporal_options_init(o);
    o->strict = variant & 1;
    o->max_delay = (variant & 2) ? 200 : -1;
    o->max_shrink_bp = (variant & 4) ? 1200 : -1;
    o->window = (variant & 8) ? 400 : -1;
    o->max_hops = 2 + variant % 4;
    o->max_paths = 1u << 30;
}

static void test_cycles_vs_bruteforce(void **state)
{
    (void)state;
    uint64_t seed = pg_test_seed("temporal_cycles", 8086);
    for (int g_i = 0; g_i < 4; g_i++) {
        tgraph g;
        tgraph_make(&g, seed + (uint64_t)g_i, 6 + (uint32_t)g_i, 60, 1000);
        size_t nonempty = 0;
        for (int variant = 0; variant < 16; variant++) {
            pg_temporal_options o;
            set_options(&o, variant);
            o.threads = 2;
            pg_path_set ps;
            assert_int_equal(pg_temporal_cycles(&ps, &g.tv, &o), 0);
            assert_int_equal(pg_temporal_verify(&ps, &g.tv, &o, 1), 0);
            seqset got = {0}, want = {0};
            seqset_from_paths(&got, &ps);
            ref_cycles(&g, &o, &want);
            seqset_sort(&got);
            seqset_sort(&want);
            assert_int_equal(got.count, want.count);
            for (size_t k = 0; k < got.count; k++) {
                assert_memory_equal(got.seq[k], want.seq[k], sizeof(got.seq[k]));
                /* each cycle once */
                assert_true(k == 0 || memcmp(got.seq[k], got.seq[k - 1], sizeof(got.seq[k])));
            }
            nonempty += got.count > 0;
            free(got.seq);
            free(want.seq);
            pg_path_set_free(&ps);
        }
        assert_true(nonempty >= 8);
        tgraph_free(&g);
    }
}

static void test_cycles_deterministic(void **state)
{
    (void)state;
    uint64_t seed = pg_test_seed("temporal_cycles_det", 1234);
    tgraph g;
    tgraph_make(&g, seed, 400, 20000, 200000);
    pg_temporal_options o;
    pg_temporal_options_init(&o);
    o.max_hops = 4;
    o.window = 20000;
    o.threads = 1;
    pg_path_set ref;
    assert_int_equal(pg_temporal_cycles(&ref, &g.tv, &o), 0);
    assert_true(ref.count > 100);
    assert_int_equal(pg_temporal_verify(&ref, &g.tv, &o, 1), 0);
    for (size_t k = 1; k < ref.count; k++) { /* start order: source, then (time, index) */
        uint32_t a = ref.txn[ref.off[k - 1]], b = ref.txn[ref.off[k]];
        assert_true(g.src[a] < g.src[b] || (g.src[a] == g.src[b] &&
                                            (g.ts[a] < g.ts[b] || (g.ts[a] == g.ts[b] && a <= b))));
    }
    int threads[] = {2, 4};
    for (int t = 0; t < 2; t++) {
        pg_path_set ps;
        o.threads = threads[t];
        assert_int_equal(pg_temporal_cycles(&ps, &g.tv, &o), 0);
        paths_equal(&ref, &ps);
        pg_path_set_free(&ps);
        o.max_paths = ref.count / 2;
        assert_int_equal(pg_temporal_cycles(&ps, &g.tv, &o), 0);
        assert_int_equal(ps.count, o.max_paths);
        assert_true(ps.truncated);
        assert_memory_equal(ps.txn, ref.txn, (size_t)ps.off[ps.count] * 4);
        pg_path_set_free(&ps);
        o.max_paths = 100000;
    }
    /* a cycle stretched past the window must be rejected */
    o.window = 10;
    assert_int_equal(pg_temporal_verify(&ref, &g.tv, &o, 1), PG_EINTERNAL);
    pg_path_set_free(&ref);
    tgraph_free(&g);
}

static void test_cycles_planted(void **state)
{
    (void)state;
    /* 0 -> 1 -> 2 -> 0 with shrinking amounts; decoys: 2 -> 0 before the start (too small to
     * pass on 1000 under conservation), 1 -> 0 before 0 -> 1 */
    uint32_t s[] = {2, 0, 1, 2, 1}, d[] = {0, 1, 2, 0, 0};
    int64_t ts[] = {5, 100, 200, 300, 50}, am[] = {10, 1000, 950, 930, 10};
    tgraph g;
    tgraph_from(&g, 3, 5, s, d, ts, am);
    pg_temporal_options o;
    pg_temporal_options_init(&o);
    o.max_hops = 3;
    o.max_shrink_bp = 1000;
    pg_path_set ps;
    assert_int_equal(pg_temporal_cycles(&ps, &g.tv, &o), 0);
    assert_int_equal(ps.count, 1);
    assert_int_equal(ps.txn[0], 1);
    assert_int_equal(ps.txn[1], 2);
    assert_int_equal(ps.txn[2], 3);
    assert_int_equal(ps.vert[0], 0);
    assert_int_equal(ps.vert[3], 0);
    pg_path_set_free(&ps);
    o.window = 150; /* the cycle spans 200 s */
    assert_int_equal(pg_temporal_cycles(&ps, &g.tv, &o), 0);
    assert_int_equal(ps.count, 0);
    pg_path_set_free(&ps);
    o.max_hops = 1;
    assert_int_equal(pg_temporal_cycles(&ps, &g.tv, &o), PG_EINVAL);
    tgraph_free(&g);
}

typedef struct cycles_call {
    const tgraph *g;
    const pg_temporal_options *o;
} cycles_call;

static int run_cycles(void *ctx)
{
    const cycles_call *c = ctx;
    pg_path_set ps;
    int rc = pg_temporal_cycles(&ps, &c->g->tv, c->o);
    if (rc == 0) {
        assert_true(ps.count > 0);
        pg_path_set_free(&ps);
    }
    return rc;
}

static void test_cycles_alloc_failure(void **state)
{
    (void)state;
    tgraph g;
    tgraph_make(&g, 17, 20, 400, 1000);
    pg_temporal_options o;
    pg_temporal_options_init(&o);
    o.threads = 2;
    pg_test_alloc_sweep(run_cycles, &(cycles_call){&g, &o}, 2000);
    tgraph_free(&g);
}

/* Runs last: the interrupt flag cannot be cleared within a process. */
static void test_temporal_interrupted(void **state)
{
    (void)state;
    tgraph g;
    tgraph_make(&g, 3, 50, 500, 1000);
    pg_temporal_options o;
    pg_temporal_options_init(&o);
    pg_path_set ps;
    int64_t arr[50];
    uint32_t src = 1;
    pg_interrupt_request();
    assert_int_equal(pg_temporal_cycles(&ps, &g.tv, &o), PG_EINTR);
    assert_int_equal(pg_temporal_paths(&ps, &g.tv, &src, 1, &o), PG_EINTR);
    assert_int_equal(pg_temporal_earliest(arr, NULL, &g.tv, &src, 1, &o), PG_EINTR);
    tgraph_free(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cycles_vs_bruteforce), cmocka_unit_test(test_cycles_deterministic),
        cmocka_unit_test(test_cycles_planted),       cmocka_unit_test(test_cycles_alloc_failure),
        cmocka_unit_test(test_temporal_interrupted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
