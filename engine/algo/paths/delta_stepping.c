/*
 * Parallel delta-stepping single-source shortest paths (U. Meyer and
 * P. Sanders, "Delta-stepping: a parallelizable shortest path algorithm",
 * J. Algorithms 49(1), 2003, doi:10.1016/S0196-6774(03)00076-2).
 *
 * Approach: tentative distances live in buckets of width delta. The lowest
 * non-empty bucket is settled in rounds: all its vertices relax all their
 * edges in parallel (atomic minimum on the distance), improved vertices go
 * into thread-local buckets, and the round repeats until the bucket stays
 * empty. Light and heavy edges are not separated (as in the GAP suite's
 * variant): on the graphs paygraph sees it costs little and keeps one loop.
 *
 * Determinism: the final dist[v] is the minimum over predecessors u of
 * dist[u] + w computed with u's final distance, the same value Dijkstra
 * computes, whatever the order of relaxations; parents are derived from
 * distances afterwards. Complexity: O(n + m + L/delta * rounds) work with
 * L the largest distance; O(n + m) memory in the worst case.
 */
#include "paths_internal.h"

#include <math.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/par.h"

/* Buckets beyond this index mean delta is far too small for the distances. */
#define PG_DELTA_MAX_BINS (1u << 26)
/* Frontiers smaller than this are relaxed on one thread (team start-up costs more). */
#define PG_DELTA_PAR_FRONTIER 1024

typedef struct vbuf {
    uint32_t *v;
    size_t len, cap;
} vbuf;

typedef struct tbins {
    vbuf *bin;
    size_t nbins;
} tbins;

static int push_bin(tbins *tb, size_t b, uint32_t v)
{
    if (b >= tb->nbins) {
        size_t cap = tb->nbins;
        if (b >= PG_DELTA_MAX_BINS || pg_grow((void **)&tb->bin, &cap, b + 1, sizeof(vbuf)) < 0) {
            return -1;
        }
        memset(tb->bin + tb->nbins, 0, (cap - tb->nbins) * sizeof(vbuf));
        tb->nbins = cap;
    }
    vbuf *q = &tb->bin[b];
    if (q->len == q->cap && pg_grow((void **)&q->v, &q->cap, q->len + 1, sizeof(*q->v)) < 0) {
        return -1;
    }
    q->v[q->len++] = v;
    return 0;
}

/* Relax every edge of the frontier; returns nonzero when an allocation failed. */
static int relax_frontier(double *dist, const pg_csr *g, const uint32_t *front, size_t flen,
                          size_t curr, double delta, tbins *bins, int nt)
{
    (void)nt; /* used by the OpenMP pragma only */
    int failed = 0;
#pragma omp parallel num_threads(nt) if (flen >= PG_DELTA_PAR_FRONTIER)
    {
        tbins *tb = &bins[pg_par_thread_id()];
#pragma omp for schedule(dynamic, 64)
        for (size_t i = 0; i < flen; i++) {
            uint32_t u = front[i];
            double du = pg_ld_dbl(&dist[u]);
            if (du < delta * (double)curr) {
                continue; /* settled in an earlier bucket; this entry is stale */
            }
            for (int64_t e = g->offsets[u]; e < g->offsets[u + 1]; e++) {
                uint32_t v = g->targets[e];
                double nd = du + (g->weights ? g->weights[e] : 1.0);
                if (nd < pg_ld_dbl(&dist[v]) && pg_atomic_min_dbl(&dist[v], nd)) {
                    if (push_bin(tb, (size_t)(nd / delta), v) < 0) {
                        __atomic_store_n(&failed, 1, __ATOMIC_RELAXED);
                    }
                }
            }
        }
    }
    return failed;
}

/* Lowest non-empty bucket >= curr over all threads, SIZE_MAX when none. */
static size_t next_bin(const tbins *bins, int nt, size_t curr)
{
    size_t best = SIZE_MAX;
    for (int t = 0; t < nt; t++) {
        for (size_t b = curr; b < bins[t].nbins && b < best; b++) {
            if (bins[t].bin[b].len > 0) {
                best = b;
                break;
            }
        }
    }
    return best;
}

/* Move bucket b of every thread, in thread order, into the frontier. */
static int gather(uint32_t **front, size_t *fcap, size_t *flen, tbins *bins, int nt, size_t b)
{
    size_t total = 0;
    for (int t = 0; t < nt; t++) {
        total += b < bins[t].nbins ? bins[t].bin[b].len : 0;
    }
    if (pg_grow((void **)front, fcap, total ? total : 1, sizeof(**front)) < 0) {
        return PG_ENOMEM;
    }
    *flen = 0;
    for (int t = 0; t < nt; t++) {
        if (b < bins[t].nbins && bins[t].bin[b].len > 0) {
            vbuf *q = &bins[t].bin[b];
            memcpy(*front + *flen, q->v, q->len * sizeof(*q->v));
            *flen += q->len;
            q->len = 0;
        }
    }
    return 0;
}

static void free_bins(tbins *bins, int nt)
{
    for (int t = 0; bins && t < nt; t++) {
        for (size_t b = 0; b < bins[t].nbins; b++) {
            pg_free(bins[t].bin[b].v);
        }
        pg_free(bins[t].bin);
    }
    pg_free(bins);
}

int pg_paths__delta_stepping(double *dist, const pg_csr *g, uint32_t source, double delta,
                             int threads)
{
    int nt = pg_threads_resolve(threads);
    int err = 0;
    size_t fcap = 0, flen = 1, curr = 0;
    uint32_t *front = NULL;
    tbins *bins = pg_calloc((size_t)nt, sizeof(*bins));
    if (!bins || pg_grow((void **)&front, &fcap, 1, sizeof(*front)) < 0) {
        err = pg_error_oom("delta-stepping buckets", (size_t)nt * sizeof(*bins));
        goto done;
    }
#pragma omp parallel for num_threads(nt) schedule(static) if (g->n >= 65536)
    for (int64_t v = 0; v < (int64_t)g->n; v++) {
        dist[v] = INFINITY;
    }
    dist[source] = 0.0;
    front[0] = source;
    while (flen > 0) {
        if (pg_interrupted()) {
            err = pg_error_set(PG_EINTR, "delta-stepping: interrupted");
            goto done;
        }
        if (relax_frontier(dist, g, front, flen, curr, delta, bins, nt)) {
            err = pg_error_set(PG_ENOMEM,
                               "delta-stepping: cannot grow a bucket (out of memory, "
                               "or delta %g too small for distances near %g)",
                               delta, delta * (double)curr);
            goto done;
        }
        curr = next_bin(bins, nt, curr);
        if (curr == SIZE_MAX) {
            break;
        }
        if ((err = gather(&front, &fcap, &flen, bins, nt, curr)) < 0) {
            err = pg_error_oom("delta-stepping frontier", flen * sizeof(*front));
            goto done;
        }
    }
done:
    free_bins(bins, nt);
    pg_free(front);
    return err;
}
