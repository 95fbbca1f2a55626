/*
 * Aggregation: collapse each community of a level graph into one node
 * (Blondel et al. 2008, doi:10.1088/1742-5468/2008/10/P10008, phase two).
 *
 * A counting sort groups the vertices by community; one parallel sweep over
 * the new nodes writes each new row into scratch space at an upper bound of
 * its start (the sum of its members' degrees), then the rows are packed. So
 * the aggregated CSR is built with one pass over the edges, no edge list and
 * no sort, at the price of O(m) transient scratch. Internal
 * weight becomes the new node's self-loop (kept apart in loop[], never in the
 * rows), node weights add up. Each new row lists its neighbours in order of
 * first touch (members in vertex order, then adjacency order), and every
 * weight is summed in that order, so the result is identical for any thread
 * count.
 *
 * Complexity: O(n + m) time; O(k + m') memory for the new graph plus O(m) scratch.
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
        if (i + PG_COMMUNITY_PREFETCH < gr->start[c + 1]) {
            pg_cgraph_prefetch_row(g, gr->order[i + PG_COMMUNITY_PREFETCH]);
        }
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

/* gr->start (k + 1 entries) and gr->order (n) are given; fills them. */
static void group_by_label(groups *gr, const uint32_t *label, uint32_t n, uint32_t k)
{
    memset(gr->start, 0, ((size_t)k + 1) * sizeof(*gr->start));
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
}

/*
 * One sweep: row c is written at bound[c] (the sum of its members' degrees,
 * an upper bound on its length) into the scratch rows; its length, self-loop
 * and node weight are recorded.
 */
static void gather_rows(uint32_t *tadj, double *tw, int64_t *len, double *loop, double *nw,
                        const int64_t *bound, const pg_cgraph *g, const uint32_t *label,
                        const groups *gr, uint32_t k, pg_cwork *wk)
{
#pragma omp parallel for num_threads(wk->threads)                                                  \
    schedule(dynamic, 64) if (k >= PG_COMMUNITY_PAR_MIN)
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
        len[c] = nl;
        for (uint32_t i = 0; i < nl; i++) {
            tadj[bound[c] + i] = list[i];
            tw[bound[c] + i] = acc[list[i]];
            acc[list[i]] = -1.0;
        }
    }
}

/* Copy the scratch rows to their final, packed places. */
static void pack_rows(uint32_t *adj, double *w, const int64_t *off, const uint32_t *tadj,
                      const double *tw, const int64_t *bound, uint32_t k, int threads)
{
    (void)threads; /* used by OpenMP only */
#pragma omp parallel for num_threads(threads) schedule(dynamic, 256) if (k >= PG_COMMUNITY_PAR_MIN)
    for (uint32_t c = 0; c < k; c++) {
        int64_t len = off[c + 1] - off[c];
        memcpy(adj + off[c], tadj + bound[c], (size_t)len * sizeof(*adj));
        memcpy(w + off[c], tw + bound[c], (size_t)len * sizeof(*w));
    }
}

/* Upper bounds on the row starts: prefix sums of the members' degrees. */
static void row_bounds(int64_t *bound, const pg_cgraph *g, const groups *gr, uint32_t k)
{
    int64_t run = 0;
    for (uint32_t c = 0; c < k; c++) {
        bound[c] = run;
        for (int64_t i = gr->start[c]; i < gr->start[c + 1]; i++) {
            uint32_t v = gr->order[i];
            run += g->off[v + 1] - g->off[v];
        }
    }
    bound[k] = run;
}

int pg_community__aggregate(pg_cgraph *out, const pg_cgraph *g, const uint32_t *label, uint32_t k,
                            pg_cwork *wk, int threads)
{
    int64_t *off = NULL;
    uint32_t *adj = NULL;
    double *w = NULL;
    int err = PG_OK;
    memset(out, 0, sizeof(*out));
    size_t kk = (size_t)k + 1, nn = g->n ? g->n : 1, mm = g->off[g->n] ? (size_t)g->off[g->n] : 1;
    /* Member lists, row bounds and the unpacked rows live in the run's aggregation block. */
    const size_t sizes[] = {kk * sizeof(int64_t), nn * sizeof(uint32_t), kk * sizeof(int64_t),
                            mm * sizeof(uint32_t), mm * sizeof(double)};
    void *piece[5];
    if ((err = pg_community__scratch(wk, PG_CSLOT_AGGREGATE, "aggregation scratch", 5, sizes,
                                     piece))) {
        return err;
    }
    off = pg_calloc(kk, sizeof(*off));
    out->loop = pg_malloc_array(kk, sizeof(*out->loop));
    out->nw = pg_malloc_array(kk, sizeof(*out->nw));
    if (!off || !out->loop || !out->nw) {
        err = pg_error_oom("aggregated graph", kk * 24);
        goto done;
    }
    groups gr = {piece[0], piece[1]};
    int64_t *bound = piece[2];
    uint32_t *tadj = piece[3];
    double *tw = piece[4];
    group_by_label(&gr, label, g->n, k);
    row_bounds(bound, g, &gr, k);
    gather_rows(tadj, tw, off + 1, out->loop, out->nw, bound, g, label, &gr, k, wk);
    for (uint32_t c = 0; c < k; c++) {
        off[c + 1] += off[c];
    }
    adj = pg_malloc_array(off[k] ? (size_t)off[k] : 1, sizeof(*adj));
    w = pg_malloc_array(off[k] ? (size_t)off[k] : 1, sizeof(*w));
    if (!adj || !w) {
        err = pg_error_oom("aggregated graph rows", (size_t)off[k] * 12);
        goto done;
    }
    pack_rows(adj, w, off, tadj, tw, bound, k, threads);
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
    pg_free(off);
    pg_free(adj);
    pg_free(w);
    return err;
}
