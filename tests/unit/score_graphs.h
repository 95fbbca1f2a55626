/*
 * Seeded random graphs shared by the score-kernel tests (header-only, so
 * each test executable stays one file plus the support library).
 */
#ifndef PG_TEST_SCORE_GRAPHS_H
#define PG_TEST_SCORE_GRAPHS_H

#include <stdlib.h>

#include "core/alloc.h"
#include "core/rng.h"
#include "paygraph/graph.h"

/* A plain edge list owned by the test (malloc). */
typedef struct edge_list {
    uint32_t n;
    int64_t m, cap;
    uint32_t *src, *dst;
    double *w;
} edge_list;

static inline void el_init(edge_list *el, uint32_t n)
{
    el->n = n;
    el->m = 0;
    el->cap = 16;
    el->src = malloc(16 * sizeof(uint32_t));
    el->dst = malloc(16 * sizeof(uint32_t));
    el->w = malloc(16 * sizeof(double));
}

static inline void el_add(edge_list *el, uint32_t s, uint32_t d, double w)
{
    if (el->m == el->cap) {
        el->cap *= 2;
        el->src = realloc(el->src, (size_t)el->cap * sizeof(uint32_t));
        el->dst = realloc(el->dst, (size_t)el->cap * sizeof(uint32_t));
        el->w = realloc(el->w, (size_t)el->cap * sizeof(double));
    }
    el->src[el->m] = s;
    el->dst[el->m] = d;
    el->w[el->m++] = w;
}

static inline void el_free(edge_list *el)
{
    free(el->src);
    free(el->dst);
    free(el->w);
}

/*
 * m random edges; the last n_sink vertices never appear as a source (so
 * they are dangling in the directed graph, and isolated when undirected
 * unless targets are also restricted). Weights uniform in [0.5, 4.5).
 * Self-loops only when loops is set.
 */
static inline void el_random(edge_list *el, uint32_t n, int64_t m, uint32_t n_sink, int loops,
                             uint64_t seed)
{
    pg_rng r;
    pg_rng_init(&r, seed, 0);
    el_init(el, n);
    while (el->m < m) {
        uint32_t s = (uint32_t)pg_rng_below(&r, n - n_sink);
        uint32_t d = (uint32_t)pg_rng_below(&r, n);
        if (s == d && !loops) {
            continue;
        }
        el_add(el, s, d, 0.5 + 4.0 * pg_rng_uniform(&r));
    }
}

/* CSR of the edge list; reverse swaps src and dst (in-adjacency). */
static inline int el_csr(pg_csr *g, const edge_list *el, int weighted, int symmetric, int reverse)
{
    return pg_csr_from_edges(g, el->n, el->m, reverse ? el->dst : el->src,
                             reverse ? el->src : el->dst, weighted ? el->w : NULL, symmetric, 1);
}

#endif
