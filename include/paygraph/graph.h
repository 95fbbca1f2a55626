/*
 * paygraph — graph views over a pool of transactions (DESIGN.md §3).
 *
 * All views are compressed sparse rows with 64-bit offsets and 32-bit vertex
 * ids. They are plain arrays on purpose: kernels read them directly, tests
 * build them by hand, and a future distributed build only has to ship arrays.
 */
#ifndef PAYGRAPH_GRAPH_H
#define PAYGRAPH_GRAPH_H

#include "paygraph/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * A compressed sparse row adjacency: the neighbours of v are
 * targets[offsets[v] .. offsets[v+1]), with optional weights in the same
 * positions (NULL means every weight is 1). For an undirected graph each
 * edge {u, v} with u != v appears in both rows; a self-loop appears once.
 */
typedef struct pg_csr {
    uint32_t n;        /* number of vertices */
    int64_t m;         /* number of entries (offsets[n]) */
    int64_t *offsets;  /* n + 1 entries, offsets[0] == 0 */
    uint32_t *targets; /* m entries */
    double *weights;   /* m entries, or NULL */
} pg_csr;

/* Allocate a CSR of n vertices and m entries (weights when with_weights). */
PG_API int pg_csr_alloc(pg_csr *g, uint32_t n, int64_t m, int with_weights);
/* Free the arrays of g (not g itself); safe on a zeroed or half-built CSR. */
PG_API void pg_csr_free(pg_csr *g);

/*
 * Build a CSR from an edge list (src[i] -> dst[i], optional w[i]). When
 * symmetric, each edge u != v is stored in both rows and a self-loop once.
 * Parallel entries are kept (not merged); rows are sorted by target, ties in
 * input order, so the result is the same for any thread count.
 */
PG_API int pg_csr_from_edges(pg_csr *out, uint32_t n, int64_t m, const uint32_t *src,
                             const uint32_t *dst, const double *w, int symmetric, int threads);

/* Vertex granularity of the graph views. */
typedef enum pg_level {
    PG_LEVEL_ACCOUNT = 0, /* one vertex per (institution, account) */
    PG_LEVEL_ENTITY = 1   /* one vertex per customer: accounts with the same entity token merged */
} pg_level;

/* Weight of an undirected projection edge. */
typedef enum pg_weight {
    PG_WEIGHT_COUNT = 0,     /* number of transactions either way */
    PG_WEIGHT_AMOUNT = 1,    /* total amount (reporting-currency major units) */
    PG_WEIGHT_LOG_AMOUNT = 2 /* sum over transactions of log(1 + amount in major units) */
} pg_weight;

/*
 * Aggregated directed edges: one entry per (src, dst) vertex pair, in CSR
 * order by src then dst.
 */
typedef struct pg_agg {
    uint32_t n;
    int64_t m;
    int64_t *offsets;  /* n + 1 */
    uint32_t *dst;     /* m */
    uint32_t *count;   /* transactions on the edge */
    int64_t *amount;   /* sum in reporting-currency minor units */
    int64_t *first_ts; /* earliest transaction time (epoch seconds) */
    int64_t *last_ts;  /* latest transaction time */
} pg_agg;

/*
 * Temporal adjacency: for vertex v, the transactions txn[offsets[v] ..
 * offsets[v+1]) (indices into the pool's transaction table) ordered by
 * time, ties by index.
 */
typedef struct pg_tadj {
    uint32_t n;
    int64_t m;
    int64_t *offsets;
    uint32_t *txn;
} pg_tadj;

/*
 * Build a temporal adjacency: transaction i (0 <= i < m) belongs to vertex
 * key[i]; within each vertex transactions are ordered by (ts[i], i).
 * Counting sort by vertex, then a stable sort by time per vertex; the result
 * is the same for any thread count.
 */
PG_API int pg_tadj_build(pg_tadj *out, uint32_t n, int64_t m, const uint32_t *key,
                         const int64_t *ts, int threads);
PG_API void pg_tadj_free(pg_tadj *a);

/*
 * A read-only view of transactions as a temporal multigraph, for the
 * time-respecting kernels: every array is borrowed from the pool and graph.
 */
typedef struct pg_tview {
    uint32_t n;            /* vertices */
    int64_t m;             /* transactions */
    const uint32_t *src;   /* per transaction: source vertex */
    const uint32_t *dst;   /* per transaction: destination vertex */
    const int64_t *ts;     /* per transaction: time, epoch seconds UTC */
    const int64_t *amount; /* per transaction: amount, comparable minor units */
    const pg_tadj *out;    /* transactions leaving each vertex, by time */
    const pg_tadj *in;     /* transactions entering each vertex, by time */
} pg_tview;

/* All views of one pool at one level. Owned by the caller; pg_graph_free. */
typedef struct pg_graph {
    pg_level level;
    uint32_t n;                  /* vertices */
    uint32_t n_accounts;         /* accounts of the pool */
    uint32_t *vertex_of_account; /* n_accounts entries */
    uint32_t *account_rep;       /* n entries: smallest account id of each vertex */
    uint32_t *txn_src;           /* entity level: per transaction source vertex (else NULL) */
    uint32_t *txn_dst;           /* entity level: per transaction destination vertex (else NULL) */
    pg_tadj out;                 /* transactions leaving each vertex, by time */
    pg_tadj in;                  /* transactions entering each vertex, by time */
    pg_agg agg;                  /* aggregated directed edges */
    pg_csr undirected;           /* weighted undirected projection, no self-loops */
} pg_graph;

typedef struct pg_pool pg_pool;

typedef struct pg_graph_options {
    pg_level level;
    pg_weight weight; /* weight of the undirected projection */
    int threads;      /* <= 0: the CPUs available */
} pg_graph_options;

PG_API void pg_graph_options_init(pg_graph_options *o);

/*
 * Build every view of the pool at the chosen level. At entity level,
 * accounts sharing an entity token (transitively, through accounts that carry
 * several tokens) become one vertex; vertex ids follow the smallest account
 * id of each vertex, so they do not depend on the thread count.
 * Complexity: O(m log d) for the temporal sorts, O(m) otherwise.
 */
PG_API int pg_graph_build(pg_graph *g, const pg_pool *p, const pg_graph_options *o);

/* Free the arrays of g; safe on a zeroed or half-built graph. */
PG_API void pg_graph_free(pg_graph *g);

/* The temporal view of g over p's transactions (borrowed pointers). */
PG_API void pg_graph_tview(const pg_graph *g, const pg_pool *p, pg_tview *out);

/* Bytes held by the graph views. */
PG_API size_t pg_graph_memory(const pg_graph *g);

#ifdef __cplusplus
}
#endif
#endif
