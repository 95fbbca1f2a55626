/*
 * Approximate personalized PageRank around one seed by local pushes.
 *
 * What: an approximation p of the PPR vector of a lazy walk restarted at
 * one seed, with residual r such that r[u] < eps * d(u) everywhere.
 *
 * Approach: Andersen-Chung-Lang push. Start with r = e_seed; while some u
 * has r[u] >= eps * d(u), move (1 - damping) * r[u] into p[u], keep half
 * of the rest at u and spread the other half over its neighbours in
 * proportion to the edge weights. Vertices wait in a FIFO queue (each at
 * most once), so the order of pushes and the result are deterministic.
 *
 * Why: a watchlisted account in a large pool has a small neighbourhood of
 * interest; the push touches only O(1 / (eps * (1 - damping))) volume, so a
 * local community can be cut around it (pg_sweep_cut) without a global
 * power iteration. The three arrays are still O(n) (cleared once).
 *
 * Reference: R. Andersen, F. Chung, K. Lang, "Local graph partitioning
 * using PageRank vectors", FOCS 2006, doi:10.1109/FOCS.2006.44.
 */
#include <math.h>
#include <string.h>

#include "algo/score/score_internal.h"
#include "core/alloc.h"
#include "core/error.h"
#include "paygraph/score.h"

/* Pushes between two polls of the interruption flag. */
#define PG_PUSH_POLL 65536

void pg_ppr_push_options_init(pg_ppr_push_options *opts)
{
    memset(opts, 0, sizeof(*opts));
    opts->damping = 0.85;
    opts->eps = 1e-6;
    opts->weighted = 1;
}

/* One push at u; neighbours that cross their threshold join the queue. */
static void push_once(double *p, double *r, uint8_t *queued, uint32_t *queue, uint64_t *tail,
                      uint32_t n, const pg_csr *g, uint32_t u, double du, double alpha,
                      const pg_ppr_push_options *o, int weighted)
{
    double ru = r[u];
    p[u] += alpha * ru;
    r[u] = (1.0 - alpha) * ru / 2.0;
    double spread = (1.0 - alpha) * ru / (2.0 * du);
    for (int64_t e = g->offsets[u]; e < g->offsets[u + 1]; e++) {
        uint32_t v = g->targets[e];
        r[v] += spread * (weighted ? g->weights[e] : 1.0);
        if (!queued[v] && r[v] >= o->eps * pg_score__degree(g, v, weighted)) {
            queued[v] = 1;
            queue[(*tail)++ % n] = v;
        }
    }
}

int pg_ppr_push(double *out, const pg_csr *g, uint32_t seed, pg_ppr_push_options *opts)
{
    if (!out || !g || !opts || seed >= g->n) {
        return pg_error_set(PG_EINVAL, "ppr push: NULL argument or seed out of range");
    }
    if (!(opts->damping >= 0.0 && opts->damping < 1.0) || !(opts->eps > 0.0)) {
        return pg_error_set(PG_EINVAL, "ppr push: need 0 <= damping < 1 and eps > 0");
    }
    uint32_t n = g->n;
    int weighted = opts->weighted && g->weights;
    double *r = pg_calloc(n, sizeof(double));
    uint8_t *queued = pg_calloc(n, 1);
    uint32_t *queue = pg_malloc_array(n, sizeof(uint32_t));
    int err = PG_OK;
    if (!r || !queued || !queue) {
        err = pg_error_oom("ppr push", (size_t)n * 13);
        goto done;
    }
    memset(out, 0, (size_t)n * sizeof(double));
    opts->touched = 1;
    if (pg_score__degree(g, seed, weighted) <= 0.0) {
        out[seed] = 1.0; /* an isolated seed keeps the whole walk */
        goto done;
    }
    double alpha = 1.0 - opts->damping;
    uint64_t head = 0, tail = 0, pushes = 0;
    r[seed] = 1.0;
    queued[seed] = 1;
    queue[tail++ % n] = seed;
    while (head < tail) {
        uint32_t u = queue[head++ % n];
        queued[u] = 0;
        double du = pg_score__degree(g, u, weighted);
        if (du <= 0.0) {
            out[u] += r[u]; /* no way out (zero-weight edges): the walk stays at u */
            r[u] = 0.0;
            continue;
        }
        while (r[u] >= opts->eps * du) {
            push_once(out, r, queued, queue, &tail, n, g, u, du, alpha, opts, weighted);
            if (++pushes % PG_PUSH_POLL == 0 && pg_interrupted()) {
                err = pg_error_set(PG_EINTR, "ppr push: interrupted");
                goto done;
            }
        }
    }
    for (uint32_t v = 0; v < n; v++) {
        opts->touched += ((r[v] > 0.0 || out[v] > 0.0) && v != seed);
    }
done:
    pg_free(r);
    pg_free(queued);
    pg_free(queue);
    return err;
}
