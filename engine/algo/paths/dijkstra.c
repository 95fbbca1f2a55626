/*
 * Dijkstra's single-source shortest paths with an indexed binary heap
 * (E. W. Dijkstra, "A note on two problems in connexion with graphs",
 * Numerische Mathematik 1959, doi:10.1007/BF01386390).
 *
 * Why an indexed heap: decrease-key in place keeps the heap at n entries
 * (lazy insertion grows it to m) and each vertex is popped once. Serial on
 * purpose: one source is latency-bound; parallelism comes from delta-stepping
 * for big graphs or from running sources side by side. Parents follow the
 * rule of sssp.c (smallest-id tight predecessor strictly closer): every such
 * predecessor is popped before v and relaxes v, so tracking the minimum while
 * relaxing gives the same tree as delta-stepping's separate pass; vertices
 * left without one (zero-weight plateaus) are counted for sssp.c to resolve. O((n + m) log n) time,
 * O(n) memory.
 */
#include "paths_internal.h"

#include <math.h>

#include "core/alloc.h"
#include "core/error.h"

typedef struct heap {
    uint32_t *v;   /* heap of vertices */
    uint32_t *pos; /* position of each vertex in v, PG_NONE when absent */
    uint32_t len;
    const double *key;
} heap;

static int less(const heap *h, uint32_t a, uint32_t b)
{
    return h->key[a] < h->key[b] || (h->key[a] == h->key[b] && a < b);
}

static void place(heap *h, uint32_t i, uint32_t x)
{
    h->v[i] = x;
    h->pos[x] = i;
}

static void sift_up(heap *h, uint32_t i)
{
    uint32_t x = h->v[i];
    while (i > 0) {
        uint32_t p = (i - 1) / 2;
        if (!less(h, x, h->v[p])) {
            break;
        }
        place(h, i, h->v[p]);
        i = p;
    }
    place(h, i, x);
}

static void sift_down(heap *h, uint32_t i)
{
    uint32_t x = h->v[i];
    for (;;) {
        uint32_t c = 2 * i + 1;
        if (c >= h->len) {
            break;
        }
        if (c + 1 < h->len && less(h, h->v[c + 1], h->v[c])) {
            c++;
        }
        if (!less(h, h->v[c], x)) {
            break;
        }
        place(h, i, h->v[c]);
        i = c;
    }
    place(h, i, x);
}

static uint32_t pop(heap *h)
{
    uint32_t top = h->v[0];
    h->pos[top] = PG_NONE;
    if (--h->len > 0) {
        h->v[0] = h->v[h->len];
        sift_down(h, 0);
    }
    return top;
}

/* Vertices popped between interrupt checks. */
#define PG_DIJKSTRA_POLL 65536

int pg_paths__dijkstra(double *dist, uint32_t *parent, int64_t *plateau, const pg_csr *g,
                       uint32_t source)
{
    uint32_t n = g->n;
    heap h = {.key = dist};
    h.v = pg_malloc_array(n, sizeof(*h.v));
    h.pos = pg_malloc_array(n, sizeof(*h.pos));
    if (!h.v || !h.pos) {
        pg_free(h.v);
        pg_free(h.pos);
        return pg_error_oom("dijkstra heap", (size_t)n * 8);
    }
    for (uint32_t v = 0; v < n; v++) {
        dist[v] = INFINITY;
        parent[v] = PG_NONE;
        h.pos[v] = PG_NONE;
    }
    *plateau = 0;
    dist[source] = 0.0;
    place(&h, 0, source);
    h.len = 1;
    int err = 0;
    for (uint64_t popped = 0; h.len > 0; popped++) {
        if (popped % PG_DIJKSTRA_POLL == 0 && pg_interrupted()) {
            err = pg_error_set(PG_EINTR, "dijkstra: interrupted");
            break;
        }
        uint32_t u = pop(&h);
        double du = dist[u];
        *plateau += u != source && parent[u] == PG_NONE;
        for (int64_t e = g->offsets[u]; e < g->offsets[u + 1]; e++) {
            uint32_t v = g->targets[e];
            double nd = du + (g->weights ? g->weights[e] : 1.0);
            if (nd > dist[v]) {
                continue;
            }
            if (nd == dist[v]) {
                /* another tight predecessor: keep the smallest id strictly closer */
                if (du < nd && u < parent[v]) {
                    parent[v] = u;
                }
                continue;
            }
            dist[v] = nd;
            parent[v] = du < nd ? u : PG_NONE;
            if (h.pos[v] == PG_NONE) {
                place(&h, h.len++, v);
            }
            sift_up(&h, h.pos[v]);
        }
    }
    pg_free(h.v);
    pg_free(h.pos);
    return err;
}
