/*
 * paygraph — community detection (Leiden, Louvain) and connected components
 * on the undirected weighted projection (DESIGN.md §4).
 *
 * Graph convention (pg_csr, undirected): every edge {u, v} with u != v is
 * stored in both rows with the same weight; a self-loop {v, v} of weight w is
 * stored once in row v. As in igraph, a self-loop adds w to the internal
 * weight of v's community and 2w to the strength (weighted degree) of v.
 * Weights must be finite and >= 0; NULL weights mean 1.
 *
 * Objectives (both maximised; gamma is the resolution):
 *
 *   modularity  Q = sum_c [ w_in(c) / m  -  gamma * (K_c / 2m)^2 ]
 *               w_in(c): total weight of edges inside c (self-loops included
 *               once), K_c: sum of strengths in c, m: total edge weight.
 *               Equal to igraph_modularity(..., resolution = gamma).
 *
 *   CPM         H = sum_c [ w_in(c) - gamma * sum_{i<j in c} n_i n_j ]
 *                 = sum_c [ w_in(c) - gamma * (N_c^2 - sum_{i in c} n_i^2) / 2 ]
 *               n_i: node weight (1 unless given), N_c: sum of n_i in c.
 *               With unit node weights this is sum_c [w_in(c) - gamma
 *               n_c (n_c - 1) / 2]. It differs from igraph's CPM quality
 *               (sum_c [2 w_in(c) - gamma N_c^2] / 2m) by a positive factor
 *               and a constant, so both rank partitions identically.
 *
 * Determinism: for a given seed the membership is bit-identical for any
 * thread count (see engine/algo/community/local_move.c for how).
 */
#ifndef PAYGRAPH_COMMUNITY_H
#define PAYGRAPH_COMMUNITY_H

#include "paygraph/common.h"
#include "paygraph/graph.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Community detection algorithm. */
typedef enum pg_community_algorithm {
    PG_COMMUNITY_LEIDEN = 0, /* Traag, Waltman & van Eck 2019; connected communities */
    PG_COMMUNITY_LOUVAIN = 1 /* Blondel et al. 2008 */
} pg_community_algorithm;

/* Quality function maximised (see the file header for the formulas). */
typedef enum pg_objective { PG_OBJECTIVE_MODULARITY = 0, PG_OBJECTIVE_CPM = 1 } pg_objective;

/* Options of pg_communities(); set defaults with pg_community_options_init(). */
typedef struct pg_community_options {
    pg_community_algorithm algorithm; /* default PG_COMMUNITY_LEIDEN */
    pg_objective objective;           /* default PG_OBJECTIVE_MODULARITY */
    double resolution;                /* gamma >= 0, default 1 */
    uint64_t seed;                    /* random seed, default 1 */
    int threads;                      /* <= 0: all available CPUs (default 0) */
    int max_levels;                   /* aggregation levels per iteration, default 64 */
    int max_passes;                   /* local-moving passes per level, default 64 */
    int iterations;                   /* Leiden: full iterations, each warm-started
                                         from the last (as igraph's n_iterations), default 2 */
    double min_gain;                  /* stop a level when a pass improves the quality by
                                         less than this (quality units); < 0 (default):
                                         modularity 1e-4 for Leiden, 1e-5 for Louvain;
                                         CPM 1e-7 */
    int batch_size;                   /* vertices decided in parallel against one frozen
                                         state; <= 0: default (4096). Results depend on it. */
    const uint32_t *initial;          /* warm start: n labels in [0, n), or NULL */
    const double *node_weights;       /* CPM node weights (n, >= 0) or NULL (= 1) */
} pg_community_options;

/* Set every option to its default. */
PG_API void pg_community_options_init(pg_community_options *o);

/* Summary of a community detection run. */
typedef struct pg_community_result {
    uint32_t count;    /* number of communities */
    double quality;    /* value of the chosen objective at the chosen resolution */
    double modularity; /* modularity at resolution 1 (NaN when the graph has no edge weight) */
    int levels;        /* aggregation levels run (summed over Leiden iterations) */
    double min_gain;   /* level tolerance used: the option, or its default */
} pg_community_result;

/*
 * Detect communities of the undirected weighted graph g.
 *
 * membership: out, g->n entries: dense labels 0..count-1, numbered in order
 *             of each community's smallest vertex id.
 * res:        out, may be NULL.
 * g:          undirected CSR (see the header comment); not modified.
 * o:          options, or NULL for defaults.
 *
 * Leiden output communities are always connected. Returns PG_OK, PG_EINVAL
 * (bad options or labels), PG_EINPUT (negative / non-finite weights),
 * PG_ENOMEM, or PG_EINTR when pg_interrupted() became true between passes.
 * Time O(m) per local-moving pass, a few passes per level, a few levels;
 * memory O(n + m) (the first aggregated graph and its O(m) scratch) plus
 * 12 n bytes of accumulators per thread.
 */
PG_API int pg_communities(uint32_t *membership, pg_community_result *res, const pg_csr *g,
                          const pg_community_options *o);

/*
 * Weakly connected components of the undirected graph g (both directions
 * stored; a one-directional CSR also works since every stored entry links its
 * endpoints). label: out, g->n entries, dense 0..count-1 in order of each
 * component's smallest vertex id. Parallel lock-free union-find; the output
 * does not depend on the thread count. O(m alpha(n)) work.
 */
PG_API int pg_components(uint32_t *label, uint32_t *count, const pg_csr *g, int threads);

/*
 * Verifier: modularity of membership (labels < g->n not required dense, any
 * uint32 values) at the given resolution, recomputed serially from the
 * formula in the header comment. NaN when the total edge weight is 0.
 */
PG_API double pg_modularity(const pg_csr *g, const uint32_t *membership, double resolution);

/* Verifier: CPM quality (header formula), node_weights NULL means 1. Serial. */
PG_API double pg_cpm_quality(const pg_csr *g, const uint32_t *membership, double resolution,
                             const double *node_weights);

/*
 * Verifier: membership is a valid partition with dense labels (every label
 * in 0..k-1 used, k = max label + 1) and, when require_connected, every
 * community induces a connected subgraph. Returns PG_OK or PG_EINTERNAL with
 * a message naming the offending community, PG_ENOMEM. Serial, O(n + m).
 */
PG_API int pg_partition_verify(const pg_csr *g, const uint32_t *membership, int require_connected);

#ifdef __cplusplus
}
#endif
#endif
