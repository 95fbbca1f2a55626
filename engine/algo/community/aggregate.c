/*
 * Aggregation: collapse each community of a level graph into one node
 * (Blondel et al. 2008, doi:10.1088/1742-5468/2008/10/P10008, phase two).
 *
 * A counting sort groups the vertices by community; then two parallel sweeps
 * over the new nodes (count distinct neighbour communities, prefix sum, fill)
 * build the aggregated CSR directly, with no edge list and no sort. Internal
 * weight becomes the new node's self-loop (kept apart in loop[], never in the
 * rows), node weights add up. Each new row lists its neighbours in order of
 * first touch (members in vertex order, then adjacency order), and every
 * weight is summed in that order, so the result is identical for any thread
 * count.
 *
 * Complexity: O(n + m) time, O(k + m') memory for the new graph.
 */
#include "algo/community/community_internal.h"

#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/par.h"

/* Members of each new node: order[start[c] .. start[c + 1]). */
typedef struct groups {
    int64_t *start;
    uint32_t *order;
} groups;

/*
 * Sum the weights from node c's members to other nodes into acc/list.
 * Returns the number of distinct neighbour nodes; *internal gets the weight
 * of entries inside c (each internal edge counted from both ends).
 */
static uint32_t gather(const pg_cgraph *g, const uint32_t *label, const groups *gr, uint32_t c,
                       double *acc, uint32_t *list, double *internal)
{
    uint32_t nl = 0;
    double in = 0.0;
    for (int64_t i = gr->start[c]; i < gr->start[c + 1]; i++) {
        uint32_t v = gr->order[i];
        for (int64_t e = g->off[v]; e < g->off[v + 1]; e++) {
            uint32_t u = g->adj[e];
            if (u == v) {
                continue;
            }
            uint32_t d = label[u];
            double w = pg_cgraph_w(g, e);
            if (d == c) {
                in += w;
                continue;
            }
            if (acc[d] < 0.0) {
                acc[d] = 0.0;
                list[nl++] = d;
            }
            acc[d] += w;
        }
    }
    *internal = in;
    return nl;
}

static int group_by_label(groups *gr, const uint32_t *label, uint32_t n, uint32_t k)
{
    gr->start = pg_calloc((size_t)k + 1, sizeof(*gr->start));
    gr->order = pg_malloc_array(n ? n : 1, sizeof(*gr->order));
    if (!gr->start || !gr->order) {
        return pg_error_oom("aggregation groups", (size_t)k * 8 + (size_t)n * 4);
    }
    for (uint32_t v = 0; v < n; v++) {
        gr->start[label[v] + 1]++;
    }
    for (uint32_t c = 0; c < k; c++) {
        gr->start[c + 1] += gr->start[c];
    }
    for (uint32_t v = 0; v < n; v++) {
        gr->order[gr->start[label[v]]++] = v;
    }
    for (uint32_t c = k; c > 0; c--) {
        gr->start[c] = gr->start[c - 1];
    }
    gr->start[0] = 0;
    return PG_OK;
}

/* First sweep: row lengths, self-loops and node weights of the new nodes. */
static void count_rows(int64_t *off, double *loop, double *nw, const pg_cgraph *g,
                       const uint32_t *label, const groups *gr, uint32_t k, pg_cwork *wk)
{
#pragma omp parallel for num_threads(wk->threads) schedule(dynamic, 64)
    for (uint32_t c = 0; c < k; c++) {
        size_t t = (size_t)pg_par_thread_id() * wk->cap;
        double *acc = wk->acc + t;
        uint32_t *list = wk->list + t;
        double internal;
        uint32_t nl = gather(g, label, gr, c, acc, list, &internal);
        double lp = 0.0, w = 0.0;
        for (int64_t i = gr->start[c]; i < gr->start[c + 1]; i++) {
            lp += g->loop[gr->order[i]];
            w += g->nw[gr->order[i]];
        }
        loop[c] = lp + internal / 2.0;
        nw[c] = w;
        off[c + 1] = nl;
        for (uint32_t i = 0; i < nl; i++) {
            acc[list[i]] = -1.0;
        }
    }
}

/* Second sweep: write the rows. */
static void fill_rows(uint32_t *adj, double *wout, const int64_t *off, const pg_cgraph *g,
                      const uint32_t *label, const groups *gr, uint32_t k, pg_cwork *wk)
{
#pragma omp parallel for num_threads(wk->threads) schedule(dynamic, 64)
    for (uint32_t c = 0; c < k; c++) {
        size_t t = (size_t)pg_par_thread_id() * wk->cap;
        double *acc = wk->acc + t;
        uint32_t *list = wk->list + t;
        double internal;
        uint32_t nl = gather(g, label, gr, c, acc, list, &internal);
        for (uint32_t i = 0; i < nl; i++) {
            adj[off[c] + i] = list[i];
            wout[off[c] + i] = acc[list[i]];
            acc[list[i]] = -1.0;
        }
    }
}

int pg_community__aggregate(pg_cgraph *out, const pg_cgraph *g, const uint32_t *label, uint32_t k,
                            pg_cwork *wk, int threads)
{
    (void)threads;
    groups gr = {NULL, NULL};
    int64_t *off = NULL;
    uint32_t *adj = NULL;
    double *w = NULL;
    memset(out, 0, sizeof(*out));
    int err = group_by_label(&gr, label, g->n, k);
    if (err) {
        goto done;
    }
    off = pg_calloc((size_t)k + 1, sizeof(*off));
    out->loop = pg_malloc_array(k ? k : 1, sizeof(*out->loop));
    out->nw = pg_malloc_array(k ? k : 1, sizeof(*out->nw));
    if (!off || !out->loop || !out->nw) {
        err = pg_error_oom("aggregated graph", (size_t)k * 24);
        goto done;
    }
    count_rows(off, out->loop, out->nw, g, label, &gr, k, wk);
    for (uint32_t c = 0; c < k; c++) {
        off[c + 1] += off[c];
    }
    adj = pg_malloc_array(off[k] ? (size_t)off[k] : 1, sizeof(*adj));
    w = pg_malloc_array(off[k] ? (size_t)off[k] : 1, sizeof(*w));
    if (!adj || !w) {
        err = pg_error_oom("aggregated graph rows", (size_t)off[k] * 12);
        goto done;
    }
    fill_rows(adj, w, off, g, label, &gr, k, wk);
    out->n = k;
    out->off = off;
    out->adj = adj;
    out->w = w;
    out->owned = 1;
    off = NULL;
    adj = NULL;
    w = NULL;
done:
    if (err) {
        pg_community__cgraph_free(out);
    }
    pg_free(gr.start);
    pg_free(gr.order);
    pg_free(off);
    pg_free(adj);
    pg_free(w);
    return err;
}
