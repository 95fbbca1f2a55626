/*
 * paygraph — "follow the money" path kernels (DESIGN.md §4, paths stage).
 *
 * Vertex-level kernels over a pg_csr:
 *   - pg_bfs: multi-source, direction-optimizing breadth-first search (hops to
 *     the nearest source, which source, a parent), deterministic for any
 *     thread count;
 *   - pg_sssp: single-source shortest paths by Dijkstra (binary heap) or
 *     parallel delta-stepping, identical distances and parents either way;
 *   - pg_k_shortest: k shortest simple paths (Yen) through igraph on a
 *     bounded subgraph, as evidence chains.
 * Transaction-level kernels over a pg_tview:
 *   - pg_temporal_earliest: earliest-arrival times from a set of sources;
 *   - pg_temporal_paths: all time-respecting money-flow paths up to H hops;
 *   - pg_temporal_cycles: round-tripping cycles of 2..H hops in a window.
 * Every kernel has a serial verifier (pg_*_verify) that checks its invariants;
 * verifiers return 0 or PG_EINTERNAL with a message naming the violation.
 *
 * Results are returned through out-parameters owned by the caller and freed
 * with the matching *_free function (safe on zeroed or half-built results).
 */
#ifndef PAYGRAPH_PATHS_H
#define PAYGRAPH_PATHS_H

#include "paygraph/common.h"
#include "paygraph/graph.h"

#ifdef __cplusplus
extern "C" {
#endif

/* "No vertex" / "no transaction" marker in uint32 result arrays. */
#define PG_NONE UINT32_MAX

/* Which edges a vertex-level search follows. */
typedef enum pg_path_dir {
    PG_DIR_FORWARD = 0,   /* along out edges: where money from the sources goes */
    PG_DIR_BACKWARD = 1,  /* along in edges: where money to the sources came from */
    PG_DIR_UNDIRECTED = 2 /* along both */
} pg_path_dir;

/*
 * A set of paths. Path k has hops[k] = off[k+1] - off[k] hops; its vertices are
 * vert[off[k] + k .. off[k+1] + k] (hops + 1 of them) and, for transaction
 * paths, its transactions (indices into the pool) are txn[off[k] .. off[k+1]).
 * cost[k] is the weighted length for weighted kernels (else the hop count).
 */
typedef struct pg_path_set {
    size_t count;
    int64_t *off;   /* count + 1 */
    uint32_t *vert; /* off[count] + count */
    uint32_t *txn;  /* off[count], or NULL for vertex paths */
    double *cost;   /* count */
    int truncated;  /* 1 when the max-paths bound cut the enumeration short */
} pg_path_set;

PG_API void pg_path_set_free(pg_path_set *ps);

/* ------------------------------------------------------------------------ */
/* Multi-source BFS                                                          */

typedef struct pg_bfs_options {
    int threads;       /* <= 0: all available */
    pg_path_dir dir;   /* default PG_DIR_FORWARD */
    int32_t max_depth; /* stop after this many hops; < 0 unlimited (default) */
    double alpha;      /* top-down -> bottom-up when frontier edges > unexplored / alpha (15) */
    double beta;       /* bottom-up -> top-down when frontier < n / beta (18) */
    int direction_opt; /* 1 (default): switch directions; 0: top-down only */
} pg_bfs_options;

PG_API void pg_bfs_options_init(pg_bfs_options *opts);

typedef struct pg_bfs_result {
    uint32_t n;
    int32_t *depth;   /* hops from the nearest source, -1 when unreached */
    uint32_t *source; /* index into sources[] of the nearest source (ties: smallest), PG_NONE */
    uint32_t *parent; /* previous vertex on a shortest path, PG_NONE at sources/unreached */
} pg_bfs_result;

PG_API void pg_bfs_result_free(pg_bfs_result *r);

/*
 * Multi-source BFS (Beamer, Asanovic & Patterson, SC 2012,
 * doi:10.1109/SC.2012.50). out_adj/in_adj are the out and in adjacency of the
 * same graph, rows sorted by target (as pg_csr_from_edges builds them); for an
 * undirected graph pass the same CSR twice. Sources may repeat (the first
 * index wins). Deterministic: source[v] is the smallest index of a nearest
 * source, parent[v] the smallest-id vertex one hop closer that carries it.
 * Errors: PG_EINVAL (bad vertex, size mismatch), PG_ENOMEM, PG_EINTR.
 * O(n + m) work.
 */
PG_API int pg_bfs(pg_bfs_result *out, const pg_csr *out_adj, const pg_csr *in_adj,
                  const uint32_t *sources, size_t n_sources, const pg_bfs_options *opts);

/* Check a BFS result: parent edges exist and step one level, no edge skips a level,
 * sources at depth 0, source/parent ties resolved as documented. For a search run with
 * an unlimited max_depth. O(n + m). */
PG_API int pg_bfs_verify(const pg_bfs_result *r, const pg_csr *out_adj, const pg_csr *in_adj,
                         const uint32_t *sources, size_t n_sources, pg_path_dir dir);

/* ------------------------------------------------------------------------ */
/* Single-source shortest paths                                              */

typedef enum pg_sssp_algo {
    PG_SSSP_AUTO = 0,     /* Dijkstra below 2^16 vertices or with one thread, else delta-stepping */
    PG_SSSP_DIJKSTRA = 1, /* serial, binary heap */
    PG_SSSP_DELTA = 2     /* parallel delta-stepping */
} pg_sssp_algo;

typedef struct pg_sssp_options {
    int threads;
    pg_sssp_algo algo;
    double delta; /* delta-stepping bucket width; <= 0: 2 * mean weight / mean degree (default) */
} pg_sssp_options;

PG_API void pg_sssp_options_init(pg_sssp_options *opts);

typedef struct pg_sssp_result {
    uint32_t n;
    double *dist;     /* INFINITY when unreachable */
    uint32_t *parent; /* PG_NONE at the source / unreachable */
} pg_sssp_result;

PG_API void pg_sssp_result_free(pg_sssp_result *r);

/*
 * Shortest paths from source over g (directed as stored; weights NULL means
 * 1). Negative or NaN weights: PG_EINVAL. Dijkstra (1959) with a binary heap,
 * O((n + m) log n), or delta-stepping (Meyer & Sanders, J. Algorithms 2003,
 * doi:10.1016/S0196-6774(03)00076-2). Both give bit-identical dist; parent[v]
 * is the smallest-id predecessor u with dist[u] + w == dist[v] exactly and
 * dist[u] < dist[v] (zero-weight plateaus: fewest hops inside the plateau,
 * then smallest id), so the parent tree is the same for any algorithm and
 * thread count.
 */
PG_API int pg_sssp(pg_sssp_result *out, const pg_csr *g, uint32_t source,
                   const pg_sssp_options *opts);

/* Check dist[v] <= dist[u] + w on every edge, equality on parent edges, tree rooted at source. */
PG_API int pg_sssp_verify(const pg_sssp_result *r, const pg_csr *g, uint32_t source);

/* Vertex path source -> v from a parent array (PG_NONE-terminated); 0 hops when v is a root.
 * Returns the number of vertices written (<= cap), 0 when unreachable. */
PG_API size_t pg_path_from_parents(uint32_t *path, size_t cap, const uint32_t *parent, uint32_t v);

/* ------------------------------------------------------------------------ */
/* Time-respecting paths over transactions                                   */

typedef struct pg_temporal_options {
    int threads;
    int strict;            /* 1 (default): each hop strictly later than the previous; 0: >= */
    int64_t t0;            /* window start (epoch s); default INT64_MIN (no lower bound) */
    int64_t window;        /* window length W: hops in [t0, t0 + W]; < 0 unbounded (default) */
    int64_t max_delay;     /* max seconds between consecutive hops; < 0 unbounded (default) */
    int max_hops;          /* H, default 4 */
    int32_t max_shrink_bp; /* amount conservation: next hop in [(1 - d) prev, prev] with d in
                              basis points (0..10000); < 0 disables (default) */
    size_t max_paths;      /* bound on reported paths (default 100000) */
    uint32_t target;       /* only paths ending here; PG_NONE: every path (default) */
} pg_temporal_options;

PG_API void pg_temporal_options_init(pg_temporal_options *opts);

/*
 * Earliest arrival (Wu et al., "Path problems in temporal graphs", PVLDB 2014,
 * doi:10.14778/2732939.2732945): arrival[v] = earliest time money leaving the
 * sources at or after t0 can reach v through time-respecting transactions
 * inside the window (INT64_MAX when never; t0 at the sources), via[v] the last
 * transaction of such a path (PG_NONE at sources/unreached). Honours strict,
 * t0 and window; max_delay, amounts and hops are path constraints and are
 * not applied here. Label-setting over per-vertex time-ordered lists,
 * O(m log n). arrival and via have n entries (via may be NULL).
 */
PG_API int pg_temporal_earliest(int64_t *arrival, uint32_t *via, const pg_tview *tv,
                                const uint32_t *sources, size_t n_sources,
                                const pg_temporal_options *opts);

/*
 * All simple time-respecting paths (no repeated vertex) of 1..H hops leaving
 * any source, with every hop in [t0, t0 + W], each hop after the previous
 * (strict or not) and within max_delay of it, amounts conserved when enabled,
 * ending at target when given. Parallel over first transactions; paths are
 * ordered by source order, then by transaction sequence (time, index);
 * deterministic for any thread count. At most max_paths, truncated set when cut.
 */
PG_API int pg_temporal_paths(pg_path_set *out, const pg_tview *tv, const uint32_t *sources,
                             size_t n_sources, const pg_temporal_options *opts);

/* Check every path of ps against tv and opts (connected hops, times, delays, amounts, window). */
PG_API int pg_temporal_verify(const pg_path_set *ps, const pg_tview *tv,
                              const pg_temporal_options *opts, int cycles);

/*
 * Temporal cycles: simple cycles of 2..H hops (first and last vertex equal,
 * no other repeat) whose transactions follow each other in time (strict or
 * not), span at most W seconds from the first, are within max_delay of each
 * other, and whose amounts shrink by at most max_shrink_bp per hop when
 * enabled. Each cycle is reported once, starting at its smallest (time, index)
 * transaction. t0/target are ignored. Pruned as in 2SCENT (Kumar & Calders,
 * PVLDB 2018, doi:10.14778/3236187.3236193): before expanding a start
 * transaction, a backward pass from its source computes, for each vertex
 * within H - 1 hops, the latest arrival that can still close the cycle; the
 * forward search only enters vertices that can. Ordered by the first
 * transaction's source vertex, then its (time, index), then the transaction
 * sequence; deterministic for any thread count.
 */
PG_API int pg_temporal_cycles(pg_path_set *out, const pg_tview *tv,
                              const pg_temporal_options *opts);

/*
 * For a vertex path (nverts vertices), pick one transaction per hop u -> v so
 * that a vertex path can be reported as transactions: the earliest u -> v
 * transaction at or after the previous pick, else the largest (ties: earliest);
 * when there is no u -> v transaction, the same rule over v -> u (undirected
 * projections). txn gets nverts - 1 entries, PG_NONE where the pair never traded.
 */
PG_API int pg_path_pick_txns(uint32_t *txn, const pg_tview *tv, const uint32_t *verts,
                             size_t nverts);

/* ------------------------------------------------------------------------ */
/* k shortest simple paths                                                   */

typedef struct pg_kpaths_options {
    int threads;
    int directed; /* 1 (default): follow edges as stored in g; 0: g is symmetric */
    int max_hops; /* subgraph bound: vertices with d(s,v) + d(v,t) <= max_hops; <= 0: all (6) */
} pg_kpaths_options;

PG_API void pg_kpaths_options_init(pg_kpaths_options *opts);

/*
 * Up to k shortest simple paths s -> t (Yen, Management Science 1971,
 * doi:10.1287/mnsc.17.11.712) by igraph_get_k_shortest_paths on the subgraph
 * of vertices that lie on some s-t walk of at most max_hops hops; weights
 * from g (NULL: hop count). in_adj is the reverse of g (NULL when undirected).
 * Paths are in increasing cost, as igraph returns them, with vertex ids of g.
 * Errors: PG_EINVAL, PG_ENOMEM, PG_EDEP (igraph failed).
 */
PG_API int pg_k_shortest(pg_path_set *out, const pg_csr *g, const pg_csr *in_adj, uint32_t s,
                         uint32_t t, int k, const pg_kpaths_options *opts);

#ifdef __cplusplus
}
#endif
#endif
