/*
 * Subgraph of a pg_csr -> igraph_t. The vertex subset is sorted once with
 * its positions so that each CSR neighbour is found by binary search: memory
 * and time scale with the subset, not the whole graph, because the caller is
 * typically drawing or analysing one ring of a national-scale graph.
 * O(nv log nv + d log nv) for d entries in the subset's rows.
 */
#include "paygraph/igraph_bridge.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"

typedef struct vpos {
    uint32_t v;
    uint32_t local;
} vpos;

static int vpos_cmp(const void *a, const void *b)
{
    uint32_t x = ((const vpos *)a)->v, y = ((const vpos *)b)->v;
    return (x > y) - (x < y);
}

static uint32_t lookup(const vpos *s, size_t nv, uint32_t v)
{
    size_t lo = 0, hi = nv;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s[mid].v < v) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo < nv && s[lo].v == v ? s[lo].local : UINT32_MAX;
}

void pg_igraph_map_free(pg_igraph_map *map)
{
    if (!map) {
        return;
    }
    pg_free(map->vertex);
    pg_free(map->entry);
    memset(map, 0, sizeof(*map));
}

/* Sorted (vertex, local id) pairs and the vertex list; rejects repeats. */
static int index_subset(vpos **sorted, uint32_t **list, const pg_csr *g, const uint32_t *vertices,
                        size_t nv)
{
    *sorted = pg_malloc_array(nv ? nv : 1, sizeof(**sorted));
    *list = pg_malloc_array(nv ? nv : 1, sizeof(**list));
    if (!*sorted || !*list) {
        return pg_error_oom("igraph subset index", nv * 12);
    }
    for (size_t i = 0; i < nv; i++) {
        uint32_t v = vertices ? vertices[i] : (uint32_t)i;
        if (v >= g->n) {
            return pg_error_set(PG_EINVAL, "to igraph: vertex %u >= n = %u", v, g->n);
        }
        (*sorted)[i] = (vpos){v, (uint32_t)i};
        (*list)[i] = v;
    }
    qsort(*sorted, nv, sizeof(**sorted), vpos_cmp);
    for (size_t i = 1; i < nv; i++) {
        if ((*sorted)[i].v == (*sorted)[i - 1].v) {
            return pg_error_set(PG_EINVAL, "to igraph: vertex %u listed twice", (*sorted)[i].v);
        }
    }
    return 0;
}

/* CSR entries of the induced subgraph, as (local u, local v, entry) triples. */
static int collect_edges(int64_t **entry, uint32_t **ends, int64_t *ne, const pg_csr *g,
                         const vpos *sorted, const uint32_t *list, size_t nv, int directed)
{
    size_t cap_e = 0, cap_x = 0;
    *ne = 0;
    for (size_t i = 0; i < nv; i++) {
        uint32_t u = list[i];
        for (int64_t e = g->offsets[u]; e < g->offsets[u + 1]; e++) {
            uint32_t v = g->targets[e];
            if (!directed && v < u) {
                continue; /* the pair is also stored in v's row: keep one copy */
            }
            uint32_t lv = lookup(sorted, nv, v);
            if (lv == UINT32_MAX) {
                continue;
            }
            if (pg_grow((void **)entry, &cap_e, (size_t)*ne + 1, sizeof(**entry)) < 0 ||
                pg_grow((void **)ends, &cap_x, 2 * ((size_t)*ne + 1), sizeof(**ends)) < 0) {
                return PG_ENOMEM;
            }
            (*entry)[*ne] = e;
            (*ends)[2 * *ne] = (uint32_t)i;
            (*ends)[2 * *ne + 1] = lv;
            (*ne)++;
        }
    }
    return 0;
}

static int build(igraph_t *out, igraph_vector_t *weights, const pg_csr *g, const int64_t *entry,
                 const uint32_t *ends, int64_t ne, size_t nv, int directed)
{
    igraph_vector_int_t el;
    if (igraph_vector_int_init(&el, 2 * ne) != IGRAPH_SUCCESS) {
        return pg_error_set(PG_EDEP, "igraph: cannot allocate an edge list of %lld edges",
                            (long long)ne);
    }
    for (int64_t i = 0; i < 2 * ne; i++) {
        VECTOR(el)[i] = ends[i];
    }
    igraph_error_t ie = igraph_create(out, &el, (igraph_integer_t)nv, directed);
    igraph_vector_int_destroy(&el);
    if (ie != IGRAPH_SUCCESS) {
        return pg_error_set(PG_EDEP, "igraph_create: %s", igraph_strerror(ie));
    }
    if (weights) {
        if (igraph_vector_init(weights, ne) != IGRAPH_SUCCESS) {
            igraph_destroy(out);
            return pg_error_set(PG_EDEP, "igraph: cannot allocate %lld weights", (long long)ne);
        }
        for (int64_t i = 0; i < ne; i++) {
            VECTOR(*weights)[i] = g->weights ? g->weights[entry[i]] : 1.0;
        }
    }
    return 0;
}

int pg_csr_to_igraph(igraph_t *out, igraph_vector_t *weights, pg_igraph_map *map, const pg_csr *g,
                     const uint32_t *vertices, size_t nv, int directed)
{
    if (!vertices) {
        nv = g->n;
    }
    if (nv > UINT32_MAX) {
        return pg_error_set(PG_EINVAL, "to igraph: %zu vertices", nv);
    }
    /* igraph's default handlers abort and print; paygraph reports through its own errors */
    igraph_set_error_handler(igraph_error_handler_ignore);
    igraph_set_warning_handler(igraph_warning_handler_ignore);
    vpos *sorted = NULL;
    uint32_t *list = NULL, *ends = NULL;
    int64_t *entry = NULL, ne = 0;
    int err = index_subset(&sorted, &list, g, vertices, nv);
    if (err == 0) {
        err = collect_edges(&entry, &ends, &ne, g, sorted, list, nv, directed);
    }
    if (err == 0) {
        err = build(out, weights, g, entry, ends, ne, nv, directed);
    }
    if (err == 0 && map) {
        *map = (pg_igraph_map){(uint32_t)nv, list, ne, entry};
        list = NULL;
        entry = NULL;
    }
    pg_free(sorted);
    pg_free(list);
    pg_free(ends);
    pg_free(entry);
    return err;
}
