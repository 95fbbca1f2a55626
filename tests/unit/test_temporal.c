/*
 * Time-respecting paths and earliest arrival against exhaustive search on
 * small seeded random temporal graphs (every option combination the search
 * supports), verifier on every result and on corrupted results, identical
 * output for 1, 2 and 4 threads, deterministic truncation, transaction
 * picking for vertex paths, and clean allocation failure.
 */
#include "test_support.h"

#include "core/alloc.h"
#include "test_temporal_fixture.h"

/* Exhaustive DFS over all transactions (no adjacency, no binary search). */
static void ref_extend(const tgraph *g, const pg_temporal_options *o, seqset *out, uint32_t *txn,
                       uint32_t *vert, int hops)
{
    int64_t end = o->window < 0 ? INT64_MAX : o->t0 + o->window;
    if (o->target == PG_NONE || vert[hops] == o->target) {
        seqset_add(out, txn, hops);
    }
    if (hops == o->max_hops) {
        return;
    }
    for (uint32_t e = 0; e < g->m; e++) {
        if (g->src[e] != vert[hops] || g->ts[e] > end || !ref_hop_ok(g, o, txn[hops - 1], e)) {
            continue;
        }
        int seen = 0;
        for (int i = 0; i <= hops; i++) {
            seen |= vert[i] == g->dst[e];
        }
        if (!seen) {
            txn[hops] = e;
            vert[hops + 1] = g->dst[e];
            ref_extend(g, o, out, txn, vert, hops + 1);
        }
    }
}

static void ref_paths(const tgraph *g, const pg_temporal_options *o, const uint32_t *src, size_t ns,
                      seqset *out)
{
    int64_t end = o->window < 0 ? INT64_MAX : o->t0 + o->window;
    uint32_t txn[17], vert[18];
    for (uint32_t e = 0; e < g->m; e++) {
        int is_src = 0;
        for (size_t i = 0; i < ns; i++) {
            is_src |= src[i] == g->src[e];
        }
        if (!is_src || g->src[e] == g->dst[e] || g->ts[e] < o->t0 || g->ts[e] > end) {
            continue;
        }
        txn[0] = e;
        vert[0] = g->src[e];
        vert[1] = g->dst[e];
        ref_extend(g, o, out, txn, vert, 1);
    }
}

static void set_options(pg_temporal_options *o, int variant, uint32_t n)
{
    pg_temporal_options_init(o);
    o->strict = variant & 1;
    o->max_delay = (variant & 2) ? 150 : -1;
    o->max_shrink_bp = (variant & 4) ? 1000 : -1;
    o->t0 = (variant & 8) ? 200 : INT64_MIN;
    o->window = (variant & 8) ? 600 : -1;
    o->max_hops = 2 + variant % 4;
    o->target = (variant % 3 == 0) ? (uint32_t)variant % n : PG_NONE;
    o->max_paths = 1u << 30;
}

static void test_paths_vs_bruteforce(void **state)
{
    (void)state;
    uint64_t seed = pg_test_seed("temporal_paths", 31337);
    for (int g_i = 0; g_i < 4; g_i++) {
        tgraph g;
        tgraph_make(&g, seed + (uint64_t)g_i, 9 + (uint32_t)g_i, 70, 1000);
        uint32_t src[] = {1, 4, 1};
        size_t nonempty = 0;
        for (int variant = 0; variant < 16; variant++) {
            pg_temporal_options o;
            set_options(&o, variant, g.n);
            o.threads = 2;
            pg_path_set ps;
            assert_int_equal(pg_temporal_paths(&ps, &g.tv, src, 3, &o), 0);
            assert_int_equal(pg_temporal_verify(&ps, &g.tv, &o, 0), 0);
            assert_int_equal(ps.truncated, 0);
            seqset got = {0}, want = {0};
            seqset_from_paths(&got, &ps);
            ref_paths(&g, &o, src, 3, &want);
            seqset_sort(&got);
            seqset_sort(&want);
            assert_int_equal(got.count, want.count);
            for (size_t k = 0; k < got.count; k++) {
                assert_memory_equal(got.seq[k], want.seq[k], sizeof(got.seq[k]));
            }
            nonempty += got.count > 0;
            free(got.seq);
            free(want.seq);
            pg_path_set_free(&ps);
        }
        assert_true(nonempty >= 8); /* the comparisons were not vacuous */
        tgraph_free(&g);
    }
}

static void test_paths_deterministic_truncated(void **state)
{
    (void)state;
    uint64_t seed = pg_test_seed("temporal_paths_det", 99);
    tgraph g;
    tgraph_make(&g, seed, 300, 6000, 100000);
    uint32_t src[40];
    for (int i = 0; i < 40; i++) {
        src[i] = (uint32_t)(i * 7);
    }
    pg_temporal_options o;
    pg_temporal_options_init(&o);
    o.max_hops = 4;
    o.max_delay = 8000;
    pg_path_set ref;
    o.threads = 1;
    assert_int_equal(pg_temporal_paths(&ref, &g.tv, src, 40, &o), 0);
    assert_true(ref.count > 1000 && !ref.truncated);
    assert_int_equal(pg_temporal_verify(&ref, &g.tv, &o, 0), 0);
    int threads[] = {2, 4};
    for (int t = 0; t < 2; t++) {
        pg_path_set ps;
        o.threads = threads[t];
        assert_int_equal(pg_temporal_paths(&ps, &g.tv, src, 40, &o), 0);
        paths_equal(&ref, &ps);
        pg_path_set_free(&ps);
        /* truncation keeps a prefix of the full order */
        o.max_paths = ref.count / 3;
        assert_int_equal(pg_temporal_paths(&ps, &g.tv, src, 40, &o), 0);
        assert_int_equal(ps.count, o.max_paths);
        assert_int_equal(ps.truncated, 1);
        assert_memory_equal(ps.txn, ref.txn, (size_t)ps.off[ps.count] * 4);
        pg_path_set_free(&ps);
        o.max_paths = 100000;
    }
    /* the verifier rejects broken paths */
    size_t k2 = 0;
    while (ref.off[k2 + 1] - ref.off[k2] < 2) {
        k2++;
    }
    uint32_t *hop = &ref.txn[ref.off[k2] + 1];
    uint32_t keep = *hop;
    *hop = ref.txn[ref.off[k2]];
    assert_int_equal(pg_temporal_verify(&ref, &g.tv, &o, 0), PG_EINTERNAL);
    *hop = keep;
    assert_int_equal(pg_temporal_verify(&ref, &g.tv, &o, 0), 0);
    o.max_delay = 10;
    assert_int_equal(pg_temporal_verify(&ref, &g.tv, &o, 0), PG_EINTERNAL);
    pg_path_set_free(&ref);
    tgraph_free(&g);
}

/* Earliest arrival by relaxing every transaction until nothing changes. */
static void ref_earliest(const tgraph *g, const pg_temporal_options *o, const uint32_t *src,
                         size_t ns, int64_t *arr)
{
    int64_t end = o->window < 0 ? INT64_MAX : o->t0 + o->window;
    uint8_t *is_src = calloc(g->n, 1);
    for (uint32_t v = 0; v < g->n; v++) {
        arr[v] = INT64_MAX;
    }
    for (size_t i = 0; i < ns; i++) {
        arr[src[i]] = o->t0;
        is_src[src[i]] = 1;
    }
    for (int changed = 1; changed;) {
        changed = 0;
        for (uint32_t e = 0; e < g->m; e++) {
            int64_t a = arr[g->src[e]], t = g->ts[e];
            if (a == INT64_MAX || t > end || t < o->t0) {
                continue;
            }
            int ok = is_src[g->src[e]] || (o->strict ? t > a : t >= a);
            if (ok && t < arr[g->dst[e]]) {
                arr[g->dst[e]] = t;
                changed = 1;
            }
        }
    }
    free(is_src);
}

static void test_earliest_vs_bruteforce(void **state)
{
    (void)state;
    uint64_t seed = pg_test_seed("temporal_earliest", 2718);
    for (int g_i = 0; g_i < 6; g_i++) {
        tgraph g;
        tgraph_make(&g, seed + (uint64_t)g_i, 40, 150, 1000);
        uint32_t src[] = {(uint32_t)g_i, 7, 13};
        for (int variant = 0; variant < 16; variant++) {
            pg_temporal_options o;
            set_options(&o, variant, g.n);
            int64_t got[40], want[40];
            uint32_t via[40];
            assert_int_equal(pg_temporal_earliest(got, via, &g.tv, src, 3, &o), 0);
            ref_earliest(&g, &o, src, 3, want);
            assert_memory_equal(got, want, sizeof(got));
            for (uint32_t v = 0; v < g.n; v++) {
                if (via[v] != PG_NONE) {
                    assert_int_equal(g.dst[via[v]], v);
                    assert_true(g.ts[via[v]] == got[v]);
                }
            }
        }
        tgraph_free(&g);
    }
}

static void test_pick_txns(void **state)
{
    (void)state;
    /* 0->1 @10 (50), 0->1 @30 (90), 1->2 @20 (5), 1->2 @40 (7), 3->2 @5 (1) */
    uint32_t s[] = {0, 0, 1, 1, 3}, d[] = {1, 1, 2, 2, 2};
    int64_t ts[] = {10, 30, 20, 40, 5}, am[] = {50, 90, 5, 7, 1};
    tgraph g;
    tgraph_from(&g, 4, 5, s, d, ts, am);
    uint32_t verts[] = {0, 1, 2, 3, 0}, txn[4];
    assert_int_equal(pg_path_pick_txns(txn, &g.tv, verts, 5), 0);
    assert_int_equal(txn[0], 0); /* earliest 0 -> 1 */
    assert_int_equal(txn[1], 2); /* earliest 1 -> 2 at or after 10 */
    assert_int_equal(txn[2], 4); /* no 2 -> 3: the reverse 3 -> 2, largest since none after 20 */
    assert_int_equal(txn[3], PG_NONE);
    tgraph_free(&g);
}

typedef struct paths_call {
    const tgraph *g;
    const uint32_t *src;
    const pg_temporal_options *o;
} paths_call;

static int run_paths(void *ctx)
{
    const paths_call *c = ctx;
    pg_path_set ps;
    int rc = pg_temporal_paths(&ps, &c->g->tv, c->src, 3, c->o);
    if (rc == 0) {
        pg_path_set_free(&ps);
    }
    return rc;
}

static void test_temporal_alloc_failure(void **state)
{
    (void)state;
    tgraph g;
    tgraph_make(&g, 5, 30, 400, 1000);
    uint32_t src[] = {0, 1, 2};
    pg_temporal_options o;
    pg_temporal_options_init(&o);
    o.threads = 2;
    pg_test_alloc_sweep(run_paths, &(paths_call){&g, src, &o}, 2000);
    int64_t arr[30];
    pg_alloc_fail_at(1);
    assert_int_equal(pg_temporal_earliest(arr, NULL, &g.tv, src, 3, &o), PG_ENOMEM);
    pg_alloc_fail_at(0);
    o.max_hops = 0;
    pg_path_set ps;
    assert_int_equal(pg_temporal_paths(&ps, &g.tv, src, 3, &o), PG_EINVAL);
    tgraph_free(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paths_vs_bruteforce),
        cmocka_unit_test(test_paths_deterministic_truncated),
        cmocka_unit_test(test_earliest_vs_bruteforce),
        cmocka_unit_test(test_pick_txns),
        cmocka_unit_test(test_temporal_alloc_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
