/*
 * FRAUDAR: camouflage-resistant dense blocks of the payer -> beneficiary
 * graph.
 *
 * Hooi, Song, Beutel, Shah, Shin & Faloutsos, "FRAUDAR: Bounding Graph Fraud
 * in the Face of Camouflage", KDD 2016, doi:10.1145/2939672.2939747.
 *
 * What: every vertex appears twice, as a payer (row) and as a beneficiary
 * (column); each aggregated (src, dst) edge joins row src to column dst with
 * the column weight w(j) = 1 / log(d_j + c). The density of a node set S is
 * g(S) = f(S) / |S| with f(S) the summed weight of the edges inside S.
 *
 * Approach: greedy peeling. Start from all nodes, repeatedly remove the node
 * whose removal costs least (its incident remaining weight), and keep the
 * prefix of the removal order with the highest g. The paper proves this is a
 * 2-approximation of the densest set for any column weighting, and the
 * log-degree weighting makes camouflage (fraudsters also paying popular
 * merchants) cheap to ignore: edges into popular columns weigh little.
 * Several blocks are found by removing a found block's edges and peeling
 * again.
 *
 * Why here: offender payments concentrate many payers on a few facilitators;
 * those payers also pay ordinary merchants, which hides them from plain
 * degree-based density.
 *
 * Complexity: O(m log n) per block (binary heap with decrease-key). Serial and
 * deterministic: heap ties are broken by node id.
 */
#include "algo/rings/patterns.h"

#include <math.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"

void pg_fraudar_options_init(pg_fraudar_options *o)
{
    memset(o, 0, sizeof(*o));
    o->c = 5.0;
    o->blocks = 1;
    o->min_side = 2;
    o->threads = 0;
}

/* Indexed binary min-heap over node ids keyed by (prio, id). */
typedef struct heap {
    uint32_t *h;   /* heap of node ids */
    uint32_t *pos; /* position of each node in h, UINT32_MAX when absent */
    double *prio;
    uint32_t size;
} heap;

static int heap_less(const heap *q, uint32_t a, uint32_t b)
{
    if (q->prio[a] != q->prio[b]) {
        return q->prio[a] < q->prio[b];
    }
    return a < b;
}

static void heap_swap(heap *q, uint32_t i, uint32_t j)
{
    uint32_t a = q->h[i], b = q->h[j];
    q->h[i] = b;
    q->h[j] = a;
    q->pos[b] = i;
    q->pos[a] = j;
}

static void heap_up(heap *q, uint32_t i)
{
    while (i > 0 && heap_less(q, q->h[i], q->h[(i - 1) / 2])) {
        heap_swap(q, i, (i - 1) / 2);
        i = (i - 1) / 2;
    }
}

static void heap_down(heap *q, uint32_t i)
{
    for (;;) {
        uint32_t l = 2 * i + 1, r = l + 1, s = i;
        if (l < q->size && heap_less(q, q->h[l], q->h[s])) {
            s = l;
        }
        if (r < q->size && heap_less(q, q->h[r], q->h[s])) {
            s = r;
        }
        if (s == i) {
            return;
        }
        heap_swap(q, i, s);
        i = s;
    }
}

static uint32_t heap_pop(heap *q)
{
    uint32_t top = q->h[0];
    heap_swap(q, 0, q->size - 1);
    q->size--;
    q->pos[top] = UINT32_MAX;
    if (q->size > 0) {
        heap_down(q, 0);
    }
    return top;
}

/* Working arrays of one FRAUDAR run (n vertices -> 2n nodes). */
typedef struct work {
    uint32_t n;
    int64_t m;
    uint32_t *src;     /* m: row of each edge */
    int64_t *col_off;  /* n + 1: edges of each column */
    int64_t *col_edge; /* m: edge ids by column */
    uint8_t *removed;  /* m: edge taken by an earlier block (or a self-loop) */
    uint8_t *alive;    /* m: edge alive in the current peeling */
    double *w;         /* n: column weight */
    uint32_t *indeg;   /* n */
    uint32_t *order;   /* 2n: removal order */
    uint8_t *in_block; /* 2n */
    heap q;
} work;

static void work_free(work *k)
{
    pg_free(k->src);
    pg_free(k->col_off);
    pg_free(k->col_edge);
    pg_free(k->removed);
    pg_free(k->alive);
    pg_free(k->w);
    pg_free(k->indeg);
    pg_free(k->order);
    pg_free(k->in_block);
    pg_free(k->q.h);
    pg_free(k->q.pos);
    pg_free(k->q.prio);
}

static int work_alloc(work *k, const pg_agg *agg)
{
    uint32_t n = agg->n;
    size_t m = (size_t)agg->m, nn = 2 * (size_t)n;
    memset(k, 0, sizeof(*k));
    k->n = n;
    k->m = agg->m;
    k->src = pg_malloc_array(m + 1, sizeof(uint32_t));
    k->col_off = pg_calloc((size_t)n + 1, sizeof(int64_t));
    k->col_edge = pg_malloc_array(m + 1, sizeof(int64_t));
    k->removed = pg_calloc(m + 1, 1);
    k->alive = pg_malloc(m + 1);
    k->w = pg_malloc_array((size_t)n + 1, sizeof(double));
    k->indeg = pg_malloc_array((size_t)n + 1, sizeof(uint32_t));
    k->order = pg_malloc_array(nn + 1, sizeof(uint32_t));
    k->in_block = pg_malloc(nn + 1);
    k->q.h = pg_malloc_array(nn + 1, sizeof(uint32_t));
    k->q.pos = pg_malloc_array(nn + 1, sizeof(uint32_t));
    k->q.prio = pg_malloc_array(nn + 1, sizeof(double));
    if (!k->src || !k->col_off || !k->col_edge || !k->removed || !k->alive || !k->w || !k->indeg ||
        !k->order || !k->in_block || !k->q.h || !k->q.pos || !k->q.prio) {
        return pg_error_oom("fraudar work arrays", (m + nn) * 24);
    }
    /* Column lists (counting sort by dst); edge ids ascend within a column. */
    for (uint32_t u = 0; u < n; u++) {
        for (int64_t e = agg->offsets[u]; e < agg->offsets[u + 1]; e++) {
            k->src[e] = u;
            k->removed[e] = agg->dst[e] == u;
            k->col_off[agg->dst[e] + 1]++;
        }
    }
    for (uint32_t j = 0; j < n; j++) {
        k->col_off[j + 1] += k->col_off[j];
    }
    uint32_t *cursor = k->indeg; /* borrowed as the fill cursor; reset by each peeling */
    memset(cursor, 0, (size_t)n * sizeof(uint32_t));
    for (int64_t e = 0; e < agg->m; e++) {
        uint32_t j = agg->dst[e];
        k->col_edge[k->col_off[j] + cursor[j]++] = e;
    }
    return 0;
}

/* Set up weights, priorities and the heap for one peeling; returns f(all). */
static double peel_init(work *k, const pg_agg *agg, double c, uint32_t *size)
{
    uint32_t n = k->n;
    heap *q = &k->q;
    memset(k->indeg, 0, (size_t)n * sizeof(uint32_t));
    for (int64_t e = 0; e < k->m; e++) {
        k->alive[e] = !k->removed[e];
        k->indeg[agg->dst[e]] += k->alive[e];
    }
    for (uint32_t j = 0; j < n; j++) {
        k->w[j] = 1.0 / log((double)k->indeg[j] + c);
    }
    double f = 0.0;
    for (uint32_t u = 0; u < 2 * n; u++) {
        q->prio[u] = 0.0;
    }
    for (int64_t e = 0; e < k->m; e++) {
        if (k->alive[e]) {
            double w = k->w[agg->dst[e]];
            q->prio[k->src[e]] += w;
            f += w;
        }
    }
    q->size = 0;
    for (uint32_t u = 0; u < 2 * n; u++) {
        int has = u < n ? agg->offsets[u + 1] > agg->offsets[u] : k->indeg[u - n] > 0;
        if (u >= n) {
            q->prio[u] = (double)k->indeg[u - n] * k->w[u - n];
        }
        q->pos[u] = UINT32_MAX;
        if (has) {
            q->h[q->size] = u;
            q->pos[u] = q->size++;
            heap_up(q, q->size - 1);
        }
    }
    *size = q->size;
    return f;
}

/* Drop one node's alive edges, lowering the other endpoints' priorities. */
static double peel_node(work *k, const pg_agg *agg, uint32_t x)
{
    heap *q = &k->q;
    uint32_t n = k->n;
    double lost = 0.0;
    int is_row = x < n;
    int64_t lo = is_row ? agg->offsets[x] : k->col_off[x - n];
    int64_t hi = is_row ? agg->offsets[x + 1] : k->col_off[x - n + 1];
    for (int64_t i = lo; i < hi; i++) {
        int64_t e = is_row ? i : k->col_edge[i];
        if (!k->alive[e]) {
            continue;
        }
        k->alive[e] = 0;
        double w = k->w[agg->dst[e]];
        lost += w;
        uint32_t y = is_row ? n + agg->dst[e] : k->src[e];
        if (q->pos[y] != UINT32_MAX) {
            q->prio[y] -= w;
            heap_up(q, q->pos[y]);
        }
    }
    return lost;
}

/*
 * One greedy peeling; marks in_block for the best prefix's nodes and returns
 * its density (0 when the graph has no edge left).
 */
static double peel(work *k, const pg_agg *agg, double c, double *g_all)
{
    uint32_t size = 0;
    double f = peel_init(k, agg, c, &size);
    uint32_t total = size;
    double best = size ? f / size : 0.0;
    uint32_t best_step = 0;
    *g_all = best;
    for (uint32_t step = 0; step < total; step++) {
        uint32_t x = heap_pop(&k->q);
        k->order[step] = x;
        f -= peel_node(k, agg, x);
        size--;
        if (size > 0 && f / size > best) {
            best = f / size;
            best_step = step + 1;
        }
    }
    memset(k->in_block, 0, 2 * (size_t)k->n);
    for (uint32_t s = best_step; s < total; s++) {
        k->in_block[k->order[s]] = 1;
    }
    return best;
}

/* Gather the block's vertices (rows and columns, deduplicated by the push). */
static int emit_block(pg_candidates *out, const work *k, const pg_tview *tv, double strength,
                      uint32_t rows, uint32_t cols)
{
    uint32_t n = k->n, nv = 0, nt = 0;
    uint32_t *v = pg_malloc_array((size_t)rows + cols + 1, sizeof(uint32_t));
    if (!v) {
        return pg_error_oom("fraudar block", ((size_t)rows + cols) * 4);
    }
    for (uint32_t u = 0; u < 2 * n; u++) {
        if (k->in_block[u]) {
            v[nv++] = u < n ? u : u - n;
        }
    }
    uint32_t *t = NULL;
    size_t cap = 0;
    int err = 0;
    for (uint32_t u = 0; tv && u < n && err == 0; u++) {
        if (!k->in_block[u]) {
            continue;
        }
        for (int64_t i = tv->out->offsets[u]; i < tv->out->offsets[u + 1]; i++) {
            uint32_t x = tv->out->txn[i];
            if (!k->in_block[n + tv->dst[x]]) {
                continue;
            }
            if (pg_grow((void **)&t, &cap, (size_t)nt + 1, sizeof(uint32_t)) < 0) {
                err = PG_ENOMEM;
                break;
            }
            t[nt++] = x;
        }
    }
    if (err == 0) {
        err = pg_candidates_push(out, "dense-block", "offender-payments", strength, v, nv, t, nt);
    }
    pg_free(v);
    pg_free(t);
    return err;
}

int pg_rings__fraudar(pg_candidates *out, const pg_agg *agg, const pg_tview *tv,
                      const pg_fraudar_options *o)
{
    if (!out || !agg || !o || o->c <= 1.0 || (tv && tv->n != agg->n)) {
        return pg_error_set(PG_EINVAL, "fraudar: invalid arguments (c must exceed 1)");
    }
    work k;
    pg_candidates found; /* out stays as it was on failure */
    pg_candidates_init(&found);
    int err = work_alloc(&k, agg);
    for (uint32_t b = 0; err == 0 && b < o->blocks; b++) {
        double g_all = 0.0;
        double g = peel(&k, agg, o->c, &g_all);
        uint32_t rows = 0, cols = 0;
        for (uint32_t u = 0; u < 2 * k.n; u++) {
            rows += k.in_block[u] && u < k.n;
            cols += k.in_block[u] && u >= k.n;
        }
        if (g <= 0.0 || rows < o->min_side || cols < o->min_side) {
            break;
        }
        err = emit_block(&found, &k, tv, g > g_all ? 1.0 - g_all / g : 0.0, rows, cols);
        for (int64_t e = 0; e < k.m; e++) {
            if (k.in_block[k.src[e]] && k.in_block[k.n + agg->dst[e]]) {
                k.removed[e] = 1;
            }
        }
    }
    if (err == 0 && found.n > 0) {
        err = pg_candidates_take(out, &found);
    }
    pg_candidates_free(&found);
    work_free(&k);
    return err;
}
