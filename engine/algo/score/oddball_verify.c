/*
 * Serial verifier for OddBall: recomputes every egonet by brute force
 * (each pair of distinct neighbours looked up by binary search in the
 * sorted rows) and both power-law fits with the normal equations in long
 * double, and compares with the kernel's result.
 *
 * Complexity: O(sum_v d(v)^2 log d) time; for tests on small graphs.
 */
#include <math.h>

#include "core/alloc.h"
#include "core/error.h"
#include "paygraph/score.h"

/* Number and total weight of entries a -> b (rows sorted by target). */
static void lookup(double *cnt, double *w, const pg_csr *g, uint32_t a, uint32_t b, int weighted)
{
    int64_t lo = g->offsets[a], hi = g->offsets[a + 1];
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (g->targets[mid] < b) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    *cnt = 0.0;
    *w = 0.0;
    for (int64_t e = lo; e < g->offsets[a + 1] && g->targets[e] == b; e++) {
        *cnt = 1.0;
        *w += weighted ? g->weights[e] : 1.0;
    }
}

static int check_vertex(const pg_oddball_result *res, const pg_csr *g, uint32_t v, uint32_t *nb,
                        int weighted)
{
    uint32_t k = 0;
    double e = 0.0, w = 0.0, c, cw;
    for (int64_t i = g->offsets[v]; i < g->offsets[v + 1]; i++) {
        uint32_t u = g->targets[i];
        if (u != v && (k == 0 || nb[k - 1] != u)) {
            nb[k++] = u;
            lookup(&c, &cw, g, v, u, weighted);
            e += 1.0;
            w += cw;
        }
    }
    for (uint32_t a = 0; a < k; a++) {
        for (uint32_t b = a + 1; b < k; b++) {
            lookup(&c, &cw, g, nb[a], nb[b], weighted);
            e += c;
            w += cw;
        }
    }
    w = weighted ? w : e; /* unweighted: W is defined as E */
    const pg_egonet *x = &res->ego[v];
    if (x->n != k || x->e != e || fabs(x->w - w) > 1e-9 * (1.0 + w)) {
        return pg_error_set(PG_EINTERNAL,
                            "oddball verify: vertex %u has N,E,W = %g,%g,%g, "
                            "expected %u,%g,%g",
                            v, x->n, x->e, x->w, k, e, w);
    }
    return PG_OK;
}

static int check_fit(pg_powerlaw law, const pg_egonet *ego, uint32_t n, int we)
{
    long double sx = 0, sy = 0, sxx = 0, sxy = 0;
    uint32_t k = 0;
    for (uint32_t v = 0; v < n; v++) {
        if (ego[v].n >= 2.0 && (!we || ego[v].w > 0.0)) {
            long double x = logl(we ? ego[v].e : ego[v].n), y = logl(we ? ego[v].w : ego[v].e);
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
            k++;
        }
    }
    if (k != law.points) {
        return pg_error_set(PG_EINTERNAL, "oddball verify: fit over %u points, expected %u",
                            law.points, k);
    }
    long double den = k * sxx - sx * sx;
    if (k < 2 || fabsl(den) < 1e-12L * (1 + k * sxx)) {
        return PG_OK; /* degenerate: nothing to compare */
    }
    long double theta = (k * sxy - sx * sy) / den, c = expl((sy - theta * sx) / k);
    if (fabsl(theta - law.theta) > 1e-9L * (1 + fabsl(theta)) ||
        fabsl(c - law.c) > 1e-9L * (1 + c)) {
        return pg_error_set(PG_EINTERNAL, "oddball verify: fit c=%g theta=%g, expected %g %g",
                            law.c, law.theta, (double)c, (double)theta);
    }
    return PG_OK;
}

int pg_oddball_verify(const pg_oddball_result *res, const pg_csr *g, int weighted)
{
    weighted = weighted && g->weights;
    uint32_t maxd = 1;
    for (uint32_t v = 0; v < g->n; v++) {
        int64_t d = g->offsets[v + 1] - g->offsets[v];
        maxd = d > maxd ? (uint32_t)d : maxd;
    }
    uint32_t *nb = pg_malloc_array(maxd, sizeof(uint32_t));
    if (!nb) {
        return pg_error_oom("oddball verify", (size_t)maxd * sizeof(uint32_t));
    }
    int err = PG_OK;
    for (uint32_t v = 0; v < g->n && err == PG_OK; v++) {
        err = check_vertex(res, g, v, nb, weighted);
    }
    if (err == PG_OK) {
        err = check_fit(res->law_en, res->ego, g->n, 0);
    }
    if (err == PG_OK) {
        err = check_fit(res->law_we, res->ego, g->n, 1);
    }
    pg_free(nb);
    return err;
}
