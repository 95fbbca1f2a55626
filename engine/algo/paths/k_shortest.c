/*
 * k shortest simple paths between two accounts, as evidence chains (Yen,
 * "Finding the k shortest loopless paths in a network", Management Science
 * 17(11), 1971, doi:10.1287/mnsc.17.11.712), computed by igraph.
 *
 * Approach: the search is confined to the vertices that lie on some s -> t
 * walk of at most max_hops hops (forward BFS from s and backward BFS from t,
 * keep v with d(s,v) + d(v,t) <= max_hops). That subgraph is converted to an
 * igraph_t (engine/graph/to_igraph.c) and igraph_get_k_shortest_paths runs on
 * it; paths are mapped back to the ids of g. Why igraph here: Yen's algorithm
 * runs k * |path| shortest-path searches on a small subgraph, where igraph's
 * tested code costs nothing noticeable and paygraph's own kernels buy nothing.
 * Complexity: two bounded BFS over g, then O(k * L * (m' + n' log n')) in
 * igraph on the subgraph (L the path length).
 */
#include "paths_internal.h"
#include "paygraph/igraph_bridge.h"

#include <string.h>

#include "core/alloc.h"
#include "core/error.h"

void pg_kpaths_options_init(pg_kpaths_options *opts)
{
    memset(opts, 0, sizeof(*opts));
    opts->directed = 1;
    opts->max_hops = 6;
}

/* Vertices on some s -> t walk of at most h hops (all vertices when h <= 0). */
static int select_vertices(uint32_t **out, size_t *nv, const pg_csr *g, const pg_csr *in,
                           uint32_t s, uint32_t t, const pg_kpaths_options *o)
{
    pg_bfs_result fs = {0}, bt = {0};
    pg_bfs_options bo;
    pg_bfs_options_init(&bo);
    bo.threads = o->threads;
    bo.max_depth = o->max_hops;
    int err = pg_bfs(&fs, g, in, &s, 1, &bo);
    bo.dir = PG_DIR_BACKWARD;
    if (err == 0) {
        err = pg_bfs(&bt, g, in, &t, 1, &bo);
    }
    if (err == 0 && !(*out = pg_malloc_array(g->n, sizeof(**out)))) {
        err = pg_error_oom("k shortest paths subgraph", (size_t)g->n * 4);
    }
    *nv = 0;
    for (uint32_t v = 0; err == 0 && v < g->n; v++) {
        if (fs.depth[v] >= 0 && bt.depth[v] >= 0 && fs.depth[v] + bt.depth[v] <= o->max_hops) {
            (*out)[(*nv)++] = v;
        }
    }
    pg_bfs_result_free(&fs);
    pg_bfs_result_free(&bt);
    return err;
}

static uint32_t local_of(const pg_igraph_map *map, uint32_t v)
{
    for (uint32_t i = 0; i < map->nv; i++) {
        if (map->vertex[i] == v) {
            return i;
        }
    }
    return PG_NONE;
}

/* Copy igraph's paths into b with ids of g and their weighted cost. */
static int map_back(pg_pathbuf *b, const igraph_vector_int_list_t *vp,
                    const igraph_vector_int_list_t *ep, const pg_igraph_map *map, const pg_csr *g)
{
    igraph_integer_t np = igraph_vector_int_list_size(vp);
    uint32_t *verts = NULL;
    size_t cap = 0;
    int err = 0;
    for (igraph_integer_t p = 0; p < np && err == 0; p++) {
        const igraph_vector_int_t *v = igraph_vector_int_list_get_ptr(vp, p);
        const igraph_vector_int_t *e = igraph_vector_int_list_get_ptr(ep, p);
        igraph_integer_t len = igraph_vector_int_size(v);
        if (pg_grow((void **)&verts, &cap, (size_t)len + 1, sizeof(*verts)) < 0) {
            err = PG_ENOMEM;
            break;
        }
        double cost = 0.0;
        for (igraph_integer_t i = 0; i < len; i++) {
            verts[i] = map->vertex[VECTOR(*v)[i]];
        }
        for (igraph_integer_t i = 0; i < igraph_vector_int_size(e); i++) {
            int64_t entry = map->entry[VECTOR(*e)[i]];
            cost += g->weights ? g->weights[entry] : 1.0;
        }
        err = pg_paths__buf_push(b, verts, NULL, (int)len - 1, cost);
    }
    pg_free(verts);
    return err;
}

static int run_igraph(pg_pathbuf *b, const pg_csr *g, const uint32_t *vs, size_t nv, uint32_t s,
                      uint32_t t, int k, int directed)
{
    igraph_t ig;
    igraph_vector_t w;
    pg_igraph_map map = {0};
    int err = pg_csr_to_igraph(&ig, &w, &map, g, vs, nv, directed);
    if (err < 0) {
        return err;
    }
    igraph_vector_int_list_t vp, ep;
    igraph_vector_int_list_init(&vp, 0);
    igraph_vector_int_list_init(&ep, 0);
    igraph_error_t ie = igraph_get_k_shortest_paths(&ig, &w, &vp, &ep, k, local_of(&map, s),
                                                    local_of(&map, t), IGRAPH_OUT);
    if (ie != IGRAPH_SUCCESS) {
        err = pg_error_set(PG_EDEP, "igraph_get_k_shortest_paths: %s", igraph_strerror(ie));
    } else {
        err = map_back(b, &vp, &ep, &map, g);
    }
    igraph_vector_int_list_destroy(&vp);
    igraph_vector_int_list_destroy(&ep);
    igraph_vector_destroy(&w);
    igraph_destroy(&ig);
    pg_igraph_map_free(&map);
    return err;
}

int pg_k_shortest(pg_path_set *out, const pg_csr *g, const pg_csr *in_adj, uint32_t s, uint32_t t,
                  int k, const pg_kpaths_options *opts)
{
    pg_kpaths_options defaults;
    if (!opts) {
        pg_kpaths_options_init(&defaults);
        opts = &defaults;
    }
    if (!g || s >= g->n || t >= g->n || k < 1 || (opts->directed && !in_adj)) {
        return pg_error_set(PG_EINVAL, "k shortest paths: bad endpoints, k or missing in_adj");
    }
    for (int64_t e = 0; g->weights && e < g->m; e++) {
        if (!(g->weights[e] >= 0.0)) {
            return pg_error_set(PG_EINVAL, "k shortest paths: negative or NaN weight");
        }
    }
    const pg_csr *in = opts->directed ? in_adj : g;
    uint32_t *vs = NULL;
    size_t nv = g->n;
    pg_pathbuf b;
    int err = pg_paths__buf_init(&b, 0);
    if (err == 0 && opts->max_hops > 0) {
        err = select_vertices(&vs, &nv, g, in, s, t, opts);
    }
    if (err == 0 && (opts->max_hops <= 0 || nv > 0)) {
        err = run_igraph(&b, g, vs, nv, s, t, k, opts->directed);
    }
    if (err == 0) {
        pg_paths__buf_finish(out, &b);
    }
    pg_path_set_free(&b.ps);
    pg_free(vs);
    return err;
}
