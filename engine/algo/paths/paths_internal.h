/*
 * Helpers shared by the path kernels: relaxed atomics that also compile
 * without OpenMP, a growable path-set builder, and the adjacency view that
 * lets one kernel follow out edges, in edges or both.
 */
#ifndef PG_ALGO_PATHS_INTERNAL_H
#define PG_ALGO_PATHS_INTERNAL_H

#include "paygraph/paths.h"

#include <stdint.h>

/*
 * Rows a search follows: a (and b when the search is undirected over a
 * directed graph). b is NULL when one CSR holds every neighbour.
 */
typedef struct pg_nbrs {
    const pg_csr *a;
    const pg_csr *b;
} pg_nbrs;

/* Relaxed atomic accessors: the kernels only need atomicity, never ordering. */
static inline int32_t pg_ld32(const int32_t *p)
{
    return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static inline void pg_st32(int32_t *p, int32_t v)
{
    __atomic_store_n(p, v, __ATOMIC_RELAXED);
}

static inline int pg_cas32(int32_t *p, int32_t expect, int32_t want)
{
    return __atomic_compare_exchange_n(p, &expect, want, 0, __ATOMIC_RELAXED, __ATOMIC_RELAXED);
}

/* Atomically lower *p to v; returns 1 when this call lowered it. */
static inline int pg_atomic_min_u64(uint64_t *p, uint64_t v)
{
    uint64_t cur = __atomic_load_n(p, __ATOMIC_RELAXED);
    while (v < cur) {
        if (__atomic_compare_exchange_n(p, &cur, v, 1, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
            return 1;
        }
    }
    return 0;
}

/* Atomically lower *p to v (non-negative doubles order like their bit patterns). */
static inline int pg_atomic_min_dbl(double *p, double v)
{
    double cur;
    __atomic_load(p, &cur, __ATOMIC_RELAXED);
    while (v < cur) {
        if (__atomic_compare_exchange(p, &cur, &v, 1, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
            return 1;
        }
    }
    return 0;
}

static inline double pg_ld_dbl(const double *p)
{
    double v;
    __atomic_load(p, &v, __ATOMIC_RELAXED);
    return v;
}

/* Growable path set under construction (not thread-safe; one per task or thread). */
typedef struct pg_pathbuf {
    pg_path_set ps;
    size_t cap_off, cap_cost, cap_hops, cap_verts;
    int with_txn;
} pg_pathbuf;

int pg_paths__buf_init(pg_pathbuf *b, int with_txn);
/* Append a path of hops hops: verts has hops + 1 entries, txn hops entries (or NULL). */
int pg_paths__buf_push(pg_pathbuf *b, const uint32_t *verts, const uint32_t *txn, int hops,
                       double cost);
/* Append every path of src to dst (at most limit paths); marks dst truncated when cut. */
int pg_paths__buf_append(pg_pathbuf *dst, const pg_path_set *src, size_t limit);
/* Hand the built set to out (owned by the caller) and reset b. */
void pg_paths__buf_finish(pg_path_set *out, pg_pathbuf *b);

/*
 * Deterministic shortest-path parents from final distances (shared by
 * Dijkstra and delta-stepping so both return the same tree). O(n + m).
 */
int pg_paths__sssp_parents(uint32_t *parent, const pg_csr *g, const double *dist, uint32_t source,
                           int threads);

/*
 * Serial Dijkstra: distances and the parents of the rule above; *plateau gets
 * the number of reached vertices left without a parent. O((n + m) log n).
 */
int pg_paths__dijkstra(double *dist, uint32_t *parent, int64_t *plateau, const pg_csr *g,
                       uint32_t source);
/* Resolve the parents of zero-weight plateau vertices (see sssp.c). */
int pg_paths__sssp_plateaus(uint32_t *parent, const pg_csr *g, const double *dist, uint32_t source);
/* Parallel delta-stepping distances. */
int pg_paths__delta_stepping(double *dist, const pg_csr *g, uint32_t source, double delta,
                             int threads);

/* Is transaction e allowed to follow transaction prev under opts (time, delay, amount)? */
int pg_paths__hop_ok(const pg_tview *tv, const pg_temporal_options *o, uint32_t prev, uint32_t e);

#endif
