/*
 * pg_bfs: bit-identical output for 1, 2 and 4 threads and with or without
 * direction switching, verifier on every result (and proof that it rejects a
 * corrupted one), hand-checked tie rules, argument errors, and clean failure
 * of every allocation.
 */
#include "test_support.h"

#include <stdlib.h>
#include <string.h>

#include "core/rng.h"
#include "paygraph/paths.h"

static void random_graph(pg_csr *out, pg_csr *in, uint64_t seed, uint32_t n, int64_t m, int sym)
{
    pg_rng r;
    pg_rng_init(&r, seed, 0);
    uint32_t *s = malloc((size_t)m * 4), *d = malloc((size_t)m * 4);
    for (int64_t i = 0; i < m; i++) {
        s[i] = (uint32_t)pg_rng_below(&r, n);
        d[i] = (uint32_t)pg_rng_below(&r, n - n / 10); /* the last tenth has no in-edges */
    }
    assert_int_equal(pg_csr_from_edges(out, n, m, s, d, NULL, sym, 1), 0);
    if (sym) {
        *in = *out;
    } else {
        assert_int_equal(pg_csr_from_edges(in, n, m, d, s, NULL, 0, 1), 0);
    }
    free(s);
    free(d);
}

static void same(const pg_bfs_result *a, const pg_bfs_result *b)
{
    assert_memory_equal(a->depth, b->depth, a->n * sizeof(*a->depth));
    assert_memory_equal(a->source, b->source, a->n * sizeof(*a->source));
    assert_memory_equal(a->parent, b->parent, a->n * sizeof(*a->parent));
}

static void test_bfs_deterministic(void **state)
{
    (void)state;
    uint64_t seed = pg_test_seed("bfs_deterministic", 4242);
    for (int sym = 0; sym <= 1; sym++) {
        pg_csr out, in;
        random_graph(&out, &in, seed + (uint64_t)sym, 5000, 60000, sym);
        uint32_t src[16];
        for (int i = 0; i < 16; i++) {
            src[i] = (uint32_t)(i * 311 % 5000);
        }
        for (int dir = 0; dir <= 2; dir++) {
            pg_bfs_result ref;
            pg_bfs_options o;
            pg_bfs_options_init(&o);
            o.dir = (pg_path_dir)dir;
            o.threads = 1;
            o.direction_opt = 0;
            assert_int_equal(pg_bfs(&ref, &out, &in, src, 16, &o), 0);
            assert_int_equal(pg_bfs_verify(&ref, &out, &in, src, 16, o.dir), 0);
            int threads[] = {1, 2, 4};
            for (int t = 0; t < 3; t++) {
                pg_bfs_result r;
                o.threads = threads[t];
                o.direction_opt = 1;
                assert_int_equal(pg_bfs(&r, &out, &in, src, 16, &o), 0);
                assert_int_equal(pg_bfs_verify(&r, &out, &in, src, 16, o.dir), 0);
                same(&ref, &r);
                pg_bfs_result_free(&r);
            }
            pg_bfs_result_free(&ref);
        }
        pg_csr_free(&out);
        if (!sym) {
            pg_csr_free(&in);
        }
    }
}

/* 0 -> 2, 1 -> 2, 1 -> 3, 0 -> 3 with sources {1, 0}: vertex 2 and 3 are at
 * depth 1 from both; the smallest source index (0, i.e. vertex 1) wins. */
static void test_bfs_ties(void **state)
{
    (void)state;
    uint32_t s[] = {0, 1, 1, 0, 3, 2}, d[] = {2, 2, 3, 3, 4, 4};
    pg_csr out, in;
    assert_int_equal(pg_csr_from_edges(&out, 5, 6, s, d, NULL, 0, 1), 0);
    assert_int_equal(pg_csr_from_edges(&in, 5, 6, d, s, NULL, 0, 1), 0);
    uint32_t src[] = {1, 0, 1};
    pg_bfs_result r;
    assert_int_equal(pg_bfs(&r, &out, &in, src, 3, NULL), 0);
    assert_int_equal(pg_bfs_verify(&r, &out, &in, src, 3, PG_DIR_FORWARD), 0);
    assert_int_equal(r.source[1], 0);
    assert_int_equal(r.source[0], 1);
    assert_int_equal(r.source[2], 0);
    assert_int_equal(r.parent[2], 1);
    assert_int_equal(r.parent[3], 1);
    assert_int_equal(r.depth[4], 2);
    assert_int_equal(r.parent[4], 2); /* both 2 and 3 carry source 0: smaller id */
    uint32_t path[8];
    assert_int_equal(pg_path_from_parents(path, 8, r.parent, 4), 3);
    assert_int_equal(path[0], 1);
    assert_int_equal(path[2], 4);
    /* the verifier must reject a parent that is valid but not the smallest */
    r.parent[4] = 3;
    assert_int_equal(pg_bfs_verify(&r, &out, &in, src, 3, PG_DIR_FORWARD), PG_EINTERNAL);
    r.parent[4] = 2;
    r.depth[4] = 3;
    assert_int_equal(pg_bfs_verify(&r, &out, &in, src, 3, PG_DIR_FORWARD), PG_EINTERNAL);
    pg_bfs_result_free(&r);
    /* backward from 4: 2 and 3 at depth 1, 0 and 1 at depth 2 */
    uint32_t four = 4;
    pg_bfs_options o;
    pg_bfs_options_init(&o);
    o.dir = PG_DIR_BACKWARD;
    assert_int_equal(pg_bfs(&r, &out, &in, &four, 1, &o), 0);
    assert_int_equal(r.depth[0], 2);
    assert_int_equal(r.depth[1], 2);
    assert_int_equal(r.parent[1], 2);
    assert_int_equal(pg_bfs_verify(&r, &out, &in, &four, 1, o.dir), 0);
    pg_bfs_result_free(&r);
    uint32_t bad = 9;
    assert_int_equal(pg_bfs(&r, &out, &in, &bad, 1, NULL), PG_EINVAL);
    pg_csr_free(&out);
    pg_csr_free(&in);
}

static void test_bfs_max_depth(void **state)
{
    (void)state;
    uint32_t s[] = {0, 1, 2, 3}, d[] = {1, 2, 3, 4};
    pg_csr g;
    assert_int_equal(pg_csr_from_edges(&g, 5, 4, s, d, NULL, 1, 1), 0);
    pg_bfs_options o;
    pg_bfs_options_init(&o);
    o.max_depth = 2;
    uint32_t zero = 0;
    pg_bfs_result r;
    assert_int_equal(pg_bfs(&r, &g, &g, &zero, 1, &o), 0);
    assert_int_equal(r.depth[2], 2);
    assert_int_equal(r.depth[3], -1);
    pg_bfs_result_free(&r);
    pg_csr_free(&g);
}

typedef struct bfs_call {
    const pg_csr *out, *in;
} bfs_call;

static int run_bfs(void *ctx)
{
    const bfs_call *c = ctx;
    uint32_t src[] = {1, 2, 3};
    pg_bfs_result r;
    int rc = pg_bfs(&r, c->out, c->in, src, 3, NULL);
    if (rc == 0) {
        pg_bfs_result_free(&r);
    }
    return rc;
}

static void test_bfs_alloc_failure(void **state)
{
    (void)state;
    pg_csr out, in;
    random_graph(&out, &in, 99, 200, 800, 0);
    pg_test_alloc_sweep(run_bfs, &(bfs_call){&out, &in}, 50);
    pg_csr_free(&out);
    pg_csr_free(&in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bfs_deterministic),
        cmocka_unit_test(test_bfs_ties),
        cmocka_unit_test(test_bfs_max_depth),
        cmocka_unit_test(test_bfs_alloc_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
