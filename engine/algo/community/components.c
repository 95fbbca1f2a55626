/*
 * Weakly connected components by parallel lock-free union-find with
 * min-root linking: a root only ever becomes the child of a smaller root, so
 * every set's final root is its smallest vertex, whatever the interleaving of
 * threads (Anderson & Woll, "Wait-free parallel algorithms for the union-find
 * problem", STOC 1991, doi:10.1145/103418.103458; the same linking rule as
 * the "Afforest"/ECL-CC family). Path halving by compare-and-swap keeps the
 * trees shallow.
 *
 * Labels are then made dense, in order of each component's smallest vertex,
 * with one serial O(n) scan. The partition is unique and the labelling depends
 * only on vertex ids, so the output is identical for any thread count.
 *
 * With a `within` array the same routine splits every community into its
 * connected parts (edges between different communities are ignored); Leiden
 * uses it as a final guarantee of connected communities.
 *
 * Complexity: O(m alpha(n)) work, O(n) extra memory.
 */
#include "algo/community/community_internal.h"

#include "core/alloc.h"
#include "core/error.h"

static inline uint32_t load(const uint32_t *p)
{
    return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static inline int cas(uint32_t *p, uint32_t expect, uint32_t want)
{
    return __atomic_compare_exchange_n(p, &expect, want, 0, __ATOMIC_RELAXED, __ATOMIC_RELAXED);
}

/* Root of x, halving the path on the way. */
static uint32_t find(uint32_t *parent, uint32_t x)
{
    for (;;) {
        uint32_t px = load(&parent[x]);
        if (px == x) {
            return x;
        }
        uint32_t gx = load(&parent[px]);
        if (gx != px) {
            cas(&parent[x], px, gx);
        }
        x = px;
    }
}

/* Link the larger root under the smaller one; retry when a root moved meanwhile. */
static void unite(uint32_t *parent, uint32_t a, uint32_t b)
{
    for (;;) {
        uint32_t ra = find(parent, a);
        uint32_t rb = find(parent, b);
        if (ra == rb) {
            return;
        }
        if (ra < rb) {
            uint32_t t = ra;
            ra = rb;
            rb = t;
        }
        if (cas(&parent[ra], ra, rb)) {
            return;
        }
    }
}

int pg_community__components(uint32_t *label, uint32_t *count, const int64_t *off,
                             const uint32_t *adj, uint32_t n, const uint32_t *within, int threads)
{
    (void)threads; /* used by OpenMP only */
    uint32_t *parent = pg_malloc_array(n ? n : 1, sizeof(*parent));
    if (!parent) {
        return pg_error_oom("component parents", (size_t)n * 4);
    }
#pragma omp parallel num_threads(threads)
    {
#pragma omp for schedule(static)
        for (uint32_t v = 0; v < n; v++) {
            parent[v] = v;
        }
#pragma omp for schedule(dynamic, 256)
        for (uint32_t v = 0; v < n; v++) {
            for (int64_t e = off[v]; e < off[v + 1]; e++) {
                uint32_t u = adj[e];
                if (u != v && (!within || within[u] == within[v])) {
                    unite(parent, u, v);
                }
            }
        }
#pragma omp for schedule(static)
        for (uint32_t v = 0; v < n; v++) {
            label[v] = find(parent, v);
        }
    }
    /* Roots are the smallest vertices, so a root gets its id before its members. */
    uint32_t k = 0;
    for (uint32_t v = 0; v < n; v++) {
        label[v] = label[v] == v ? k++ : label[label[v]];
    }
    pg_free(parent);
    *count = k;
    return PG_OK;
}

int pg_components(uint32_t *label, uint32_t *count, const pg_csr *g, int threads)
{
    if (!label || !count || !g || (g->n > 0 && !g->offsets) || (g->m > 0 && !g->targets)) {
        return pg_error_set(PG_EINVAL, "pg_components: NULL argument");
    }
    return pg_community__components(label, count, g->offsets, g->targets, g->n, NULL,
                                    pg_threads_resolve(threads));
}
