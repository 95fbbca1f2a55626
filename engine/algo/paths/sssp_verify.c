/*
 * Serial verifier for pg_sssp: dist[source] = 0; for every edge u -> v,
 * dist[v] <= dist[u] + w; every parent edge exists and is tight; following
 * parents from any reached vertex ends at the source (no cycles). O(n + m).
 */
#include "paths_internal.h"

#include <math.h>

#include "core/error.h"

static int parent_edge_tight(const pg_sssp_result *r, const pg_csr *g, uint32_t v)
{
    uint32_t p = r->parent[v];
    for (int64_t e = g->offsets[p]; e < g->offsets[p + 1]; e++) {
        double w = g->weights ? g->weights[e] : 1.0;
        if (g->targets[e] == v && r->dist[p] + w == r->dist[v]) {
            return 1;
        }
    }
    return 0;
}

int pg_sssp_verify(const pg_sssp_result *r, const pg_csr *g, uint32_t source)
{
    if (r->n != g->n || source >= g->n || r->dist[source] != 0.0 || r->parent[source] != PG_NONE) {
        return pg_error_set(PG_EINTERNAL, "sssp verify: bad source entry");
    }
    for (uint32_t u = 0; u < g->n; u++) {
        for (int64_t e = g->offsets[u]; e < g->offsets[u + 1]; e++) {
            double w = g->weights ? g->weights[e] : 1.0;
            if (r->dist[g->targets[e]] > r->dist[u] + w) {
                return pg_error_set(PG_EINTERNAL, "sssp verify: edge %u -> %u not relaxed", u,
                                    g->targets[e]);
            }
        }
        if (u == source) {
            continue;
        }
        if (isinf(r->dist[u]) != (r->parent[u] == PG_NONE)) {
            return pg_error_set(PG_EINTERNAL, "sssp verify: parent of %u inconsistent", u);
        }
        if (r->parent[u] != PG_NONE && !parent_edge_tight(r, g, u)) {
            return pg_error_set(PG_EINTERNAL, "sssp verify: parent edge of %u not tight", u);
        }
    }
    for (uint32_t v = 0; v < g->n; v++) {
        uint32_t x = v;
        for (uint32_t steps = 0; x != PG_NONE && x != source; steps++) {
            if (steps > g->n) {
                return pg_error_set(PG_EINTERNAL, "sssp verify: parent cycle through %u", v);
            }
            x = r->parent[x];
        }
    }
    return 0;
}
