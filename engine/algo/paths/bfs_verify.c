/*
 * Serial verifier for pg_bfs (in the manner of the GAP benchmark suite's
 * verifiers): every parent edge exists and steps exactly one level, no edge
 * followed by the search skips a level or leaves a reached vertex's neighbour
 * unreached, sources sit at depth 0 with their first index, and source and
 * parent are the smallest (source index, vertex id) among the candidates.
 * Assumes an unlimited depth. O(n + m).
 */
#include "paths_internal.h"

#include "core/error.h"

static int has_edge(const pg_csr *g, uint32_t u, uint32_t v)
{
    for (int64_t e = g->offsets[u]; e < g->offsets[u + 1]; e++) {
        if (g->targets[e] == v) {
            return 1;
        }
    }
    return 0;
}

/* Check every edge u -> v of g against the level structure and tie rule. */
static int check_edges(const pg_bfs_result *r, const pg_csr *g)
{
    for (uint32_t u = 0; u < r->n; u++) {
        if (r->depth[u] < 0) {
            continue;
        }
        uint64_t ku = ((uint64_t)r->source[u] << 32) | u;
        for (int64_t e = g->offsets[u]; e < g->offsets[u + 1]; e++) {
            uint32_t v = g->targets[e];
            if (r->depth[v] < 0 || r->depth[v] > r->depth[u] + 1) {
                return pg_error_set(PG_EINTERNAL, "bfs verify: edge %u -> %u skips a level", u, v);
            }
            uint64_t kv = ((uint64_t)r->source[v] << 32) | r->parent[v];
            if (r->depth[v] == r->depth[u] + 1 && ku < kv) {
                return pg_error_set(PG_EINTERNAL, "bfs verify: %u should take parent %u", v, u);
            }
        }
    }
    return 0;
}

static int check_vertex(const pg_bfs_result *r, const pg_csr *a, const pg_csr *b, uint32_t v)
{
    if (r->depth[v] < 0) {
        if (r->source[v] != PG_NONE || r->parent[v] != PG_NONE) {
            return pg_error_set(PG_EINTERNAL, "bfs verify: unreached %u has a parent", v);
        }
        return 0;
    }
    if (r->depth[v] == 0) {
        return r->parent[v] == PG_NONE
                   ? 0
                   : pg_error_set(PG_EINTERNAL, "bfs verify: source %u has a parent", v);
    }
    uint32_t p = r->parent[v];
    if (p >= r->n || r->depth[p] != r->depth[v] - 1 || r->source[p] != r->source[v]) {
        return pg_error_set(PG_EINTERNAL, "bfs verify: bad parent %u of %u", p, v);
    }
    if (!has_edge(a, p, v) && !(b && has_edge(b, p, v))) {
        return pg_error_set(PG_EINTERNAL, "bfs verify: parent edge %u -> %u missing", p, v);
    }
    return 0;
}

int pg_bfs_verify(const pg_bfs_result *r, const pg_csr *out_adj, const pg_csr *in_adj,
                  const uint32_t *sources, size_t n_sources, pg_path_dir dir)
{
    const pg_csr *a = dir == PG_DIR_BACKWARD ? in_adj : out_adj;
    const pg_csr *b = dir == PG_DIR_UNDIRECTED && in_adj != out_adj ? in_adj : NULL;
    int err;
    for (size_t i = n_sources; i-- > 0;) {
        uint32_t s = sources[i];
        if (r->depth[s] != 0) {
            return pg_error_set(PG_EINTERNAL, "bfs verify: source %u not at depth 0", s);
        }
        if (r->source[s] > i) {
            return pg_error_set(PG_EINTERNAL, "bfs verify: source %u has index %u", s,
                                r->source[s]);
        }
    }
    for (uint32_t v = 0; v < r->n; v++) {
        if (r->depth[v] == 0 && (r->source[v] >= n_sources || sources[r->source[v]] != v)) {
            return pg_error_set(PG_EINTERNAL, "bfs verify: %u at depth 0 is no source", v);
        }
        if ((err = check_vertex(r, a, b, v)) < 0) {
            return err;
        }
    }
    if ((err = check_edges(r, a)) < 0) {
        return err;
    }
    return b ? check_edges(r, b) : 0;
}
