/*
 * paygraph — conversion of graph views to igraph (DESIGN.md §1: small per-ring
 * work such as layouts, betweenness inside a ring or k shortest paths runs on
 * an igraph_t built from the ring's subgraph).
 *
 * Including this header pulls in <igraph.h>; the rest of the public API does
 * not depend on igraph.
 */
#ifndef PAYGRAPH_IGRAPH_BRIDGE_H
#define PAYGRAPH_IGRAPH_BRIDGE_H

#include <igraph.h>

#include "paygraph/common.h"
#include "paygraph/graph.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How igraph ids map back to the CSR: vertex i of the igraph_t is vertex[i] of g,
 * edge e is CSR entry entry[e] (targets[entry[e]], weights[entry[e]]). */
typedef struct pg_igraph_map {
    uint32_t nv;
    uint32_t *vertex; /* nv */
    int64_t ne;
    int64_t *entry; /* ne */
} pg_igraph_map;

PG_API void pg_igraph_map_free(pg_igraph_map *map);

/*
 * Build the subgraph of g induced by vertices[0 .. nv) (NULL: every vertex,
 * in id order) as an igraph_t. directed = 1 turns every CSR entry into a
 * directed edge; directed = 0 reads g as symmetric (pg_csr_from_edges with
 * symmetric set) and makes one undirected edge per stored pair (self-loops
 * once). Vertex i of the result is vertices[i]; edges follow CSR order.
 * out: initialised on success, destroy with igraph_destroy.
 * weights: NULL, or an uninitialised vector that receives one weight per edge
 *          (1 when g has none); destroy with igraph_vector_destroy.
 * map:     NULL, or filled with the id mapping; free with pg_igraph_map_free.
 * Errors: PG_EINVAL (vertex out of range or repeated), PG_ENOMEM, PG_EDEP
 * (igraph failed; nothing to destroy). O(nv log nv + entries of the subset
 * * log nv); no O(n) memory, so it is cheap for a small ring in a big graph.
 */
PG_API int pg_csr_to_igraph(igraph_t *out, igraph_vector_t *weights, pg_igraph_map *map,
                            const pg_csr *g, const uint32_t *vertices, size_t nv, int directed);

#ifdef __cplusplus
}
#endif
#endif
