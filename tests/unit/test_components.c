/*
 * Connected components: against a serial breadth-first reference on seeded
 * random graphs (many small components, one long path that stresses the
 * union-find), identical labels at 1, 2 and 4 threads, the documented
 * labelling (dense, in order of smallest vertex), and the community split
 * used by Leiden (components within each community).
 */
#include "test_support.h"

#include <stdlib.h>
#include <string.h>

#include "algo/community/community_internal.h"
#include "core/rng.h"
#include "paygraph/community.h"

/* Serial reference: BFS from each unvisited vertex in increasing order. */
static uint32_t reference(uint32_t *label, const pg_csr *g, const uint32_t *within)
{
    uint32_t *queue = malloc((g->n + 1) * sizeof(*queue)), k = 0;
    memset(label, 0xff, g->n * sizeof(*label));
    for (uint32_t s = 0; s < g->n; s++) {
        if (label[s] != UINT32_MAX) {
            continue;
        }
        uint32_t head = 0, tail = 0;
        queue[tail++] = s;
        label[s] = k;
        while (head < tail) {
            uint32_t v = queue[head++];
            for (int64_t e = g->offsets[v]; e < g->offsets[v + 1]; e++) {
                uint32_t u = g->targets[e];
                if (label[u] == UINT32_MAX && (!within || within[u] == within[v])) {
                    label[u] = k;
                    queue[tail++] = u;
                }
            }
        }
        k++;
    }
    free(queue);
    return k;
}

static pg_csr random_graph(uint32_t n, int64_t m, uint64_t seed, int with_path)
{
    pg_rng r;
    pg_rng_init(&r, seed, 0);
    int64_t total = m + (with_path ? n - 1 : 0);
    uint32_t *s = malloc(total * sizeof(*s)), *d = malloc(total * sizeof(*d));
    for (int64_t i = 0; i < m; i++) {
        s[i] = (uint32_t)pg_rng_below(&r, n);
        d[i] = (uint32_t)pg_rng_below(&r, n);
    }
    /* A path through a random permutation: one component with a deep structure. */
    if (with_path) {
        uint32_t *perm = malloc(n * sizeof(*perm));
        for (uint32_t i = 0; i < n; i++) {
            perm[i] = i;
        }
        for (uint32_t i = n; i > 1; i--) {
            uint32_t j = (uint32_t)pg_rng_below(&r, i), t = perm[i - 1];
            perm[i - 1] = perm[j];
            perm[j] = t;
        }
        for (uint32_t i = 0; i + 1 < n; i++) {
            s[m + i] = perm[i];
            d[m + i] = perm[i + 1];
        }
        free(perm);
    }
    pg_csr g;
    assert_int_equal(pg_csr_from_edges(&g, n, total, s, d, NULL, 1, 1), PG_OK);
    free(s);
    free(d);
    return g;
}

static void check(const pg_csr *g, const uint32_t *within)
{
    uint32_t *ref = malloc(g->n * sizeof(*ref)), *got = malloc(g->n * sizeof(*got));
    uint32_t kr = reference(ref, g, within);
    for (int t = 1; t <= 4; t *= 2) {
        uint32_t k;
        if (within) {
            assert_int_equal(
                pg_community__components(got, &k, g->offsets, g->targets, g->n, within, t), PG_OK);
        } else {
            assert_int_equal(pg_components(got, &k, g, t), PG_OK);
        }
        assert_int_equal(k, kr);
        /* BFS from the smallest unvisited vertex numbers exactly as documented. */
        assert_memory_equal(got, ref, g->n * sizeof(*got));
    }
    free(ref);
    free(got);
}

static void test_random_sparse(void **state)
{
    (void)state;
    uint64_t seed = pg_test_seed("components sparse", 4);
    pg_csr g = random_graph(50000, 20000, seed, 0);
    check(&g, NULL);
    pg_csr_free(&g);
}

static void test_long_path(void **state)
{
    (void)state;
    uint64_t seed = pg_test_seed("components path", 8);
    pg_csr g = random_graph(100000, 1000, seed, 1);
    check(&g, NULL);
    pg_csr_free(&g);
}

static void test_within_communities(void **state)
{
    (void)state;
    uint64_t seed = pg_test_seed("components within", 15);
    pg_csr g = random_graph(20000, 30000, seed, 0);
    uint32_t *within = malloc(g.n * sizeof(*within));
    pg_rng r;
    pg_rng_init(&r, seed, 1);
    for (uint32_t v = 0; v < g.n; v++) {
        within[v] = (uint32_t)pg_rng_below(&r, 50);
    }
    check(&g, within);
    free(within);
    pg_csr_free(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_sparse),
        cmocka_unit_test(test_long_path),
        cmocka_unit_test(test_within_communities),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
