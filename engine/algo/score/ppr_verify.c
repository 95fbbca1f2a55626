/*
 * Serial verifier for personalized PageRank: checks the defining properties
 * of the result rather than comparing with another solver. The step is
 * recomputed push-style over the out-adjacency (a different summation order
 * from the kernel's pull over the in-adjacency), so a wrong in-adjacency or
 * a wrong dangling convention shows up as a violated fixed point.
 *
 * Complexity: O(n + m) time, O(n) memory.
 */
#include <math.h>

#include "core/alloc.h"
#include "core/error.h"
#include "paygraph/score.h"

/* q = one PageRank step applied to p (push over the out-rows). */
static void push_step(double *q, const double *p, const double *r, const pg_csr *g, double d,
                      int weighted)
{
    double dangling = 0.0;
    for (uint32_t u = 0; u < g->n; u++) {
        double s = 0.0;
        for (int64_t e = g->offsets[u]; e < g->offsets[u + 1]; e++) {
            s += weighted ? g->weights[e] : 1.0;
        }
        if (s <= 0.0) {
            dangling += p[u];
            continue;
        }
        for (int64_t e = g->offsets[u]; e < g->offsets[u + 1]; e++) {
            q[g->targets[e]] += d * p[u] * (weighted ? g->weights[e] : 1.0) / s;
        }
    }
    for (uint32_t v = 0; v < g->n; v++) {
        q[v] += (d * dangling + 1.0 - d) * r[v];
    }
}

int pg_ppr_verify(const double *p, const pg_csr *g, const uint32_t *sources,
                  const double *source_weight, uint32_t n_sources, double damping, int weighted,
                  double tol)
{
    uint32_t n = g->n;
    weighted = weighted && g->weights;
    double total = 0.0;
    for (uint32_t v = 0; v < n; v++) {
        if (!(p[v] >= 0.0)) {
            return pg_error_set(PG_EINTERNAL, "ppr verify: p[%u] = %g is negative", v, p[v]);
        }
        total += p[v];
    }
    if (n > 0 && fabs(total - 1.0) > 1e-9) {
        return pg_error_set(PG_EINTERNAL, "ppr verify: sum is %.17g, not 1", total);
    }
    double *r = pg_calloc(n ? n : 1, sizeof(double));
    double *q = pg_calloc(n ? n : 1, sizeof(double));
    int err = PG_OK;
    if (!r || !q) {
        err = pg_error_oom("ppr verify", 2 * (size_t)n * sizeof(double));
        goto done;
    }
    double rs = 0.0;
    for (uint32_t i = 0; i < n_sources; i++) {
        r[sources[i]] += source_weight ? source_weight[i] : 1.0;
        rs += source_weight ? source_weight[i] : 1.0;
    }
    for (uint32_t v = 0; v < n; v++) {
        r[v] = n_sources ? r[v] / rs : 1.0 / n;
    }
    push_step(q, p, r, g, damping, weighted);
    double dist = 0.0;
    for (uint32_t v = 0; v < n; v++) {
        dist += fabs(q[v] - p[v]);
    }
    if (dist > tol) {
        err = pg_error_set(PG_EINTERNAL, "ppr verify: not a fixed point (L1 step %.3g > %.3g)",
                           dist, tol);
    }
done:
    pg_free(r);
    pg_free(q);
    return err;
}
