/*
 * Seeded generator of degree-corrected planted-partition graphs with
 * power-law degrees, for the community tests and benchmark (header only).
 *
 * Model: vertex v gets a propensity theta_v = (1 - u)^(-1 / (tau - 1)),
 * u uniform in [0, 1), capped at max_theta (Pareto tail, degree exponent tau).
 * Community sizes are equal (size_exponent == 0) or drawn from a power law
 * with that exponent between min_size and max_size, LFR-style; vertices are
 * assigned to communities through a seeded permutation, so community ids do
 * not follow vertex ids. Each of the m edges picks its first end with
 * probability proportional to theta over all vertices; with probability
 * 1 - mu the second end is drawn proportional to theta inside the first
 * end's community, otherwise over all vertices. Self-loops are redrawn,
 * repeated pairs are kept (a multigraph). Weights are 1, or uniform in
 * [1, 10) when weighted. Everything comes from one pg_rng stream, so the
 * graph is a pure function of the parameters and the seed.
 */
#ifndef PG_TEST_COMMUNITY_PLANTED_H
#define PG_TEST_COMMUNITY_PLANTED_H

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/rng.h"
#include "paygraph/graph.h"

typedef struct pg_planted {
    uint32_t n;
    int64_t m;            /* undirected edges to draw */
    uint32_t k;           /* communities when size_exponent == 0 */
    double tau;           /* degree exponent, e.g. 2.5 */
    double max_theta;     /* cap on theta, e.g. sqrt(n) */
    double mu;            /* mixing: share of edges drawn over all vertices */
    double size_exponent; /* 0: equal sizes; else power-law sizes (e.g. 1.5) */
    uint32_t min_size, max_size;
    int weighted;
    uint64_t seed;
} pg_planted;

/* Index of the first cumulative value > x in cum[lo, hi). */
static inline uint32_t pg_planted_pick(const double *cum, uint32_t lo, uint32_t hi, double x)
{
    uint32_t last = hi - 1;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (cum[mid] > x) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    return lo > last ? last : lo; /* rounding at the top of the range */
}

/* Community sizes summing to n; returns their number (sizes has room for n). */
static inline uint32_t pg_planted_sizes(uint32_t *sizes, const pg_planted *p, pg_rng *r)
{
    uint32_t k = 0, left = p->n;
    if (p->size_exponent <= 0.0) {
        for (uint32_t c = 0; c < p->k; c++) {
            sizes[c] = p->n / p->k + (c < p->n % p->k);
        }
        return p->k;
    }
    while (left > 0) {
        double a = pow(p->min_size, 1.0 - p->size_exponent);
        double b = pow(p->max_size, 1.0 - p->size_exponent);
        double u = pg_rng_uniform(r);
        uint32_t s = (uint32_t)pow(a + u * (b - a), 1.0 / (1.0 - p->size_exponent));
        s = s < p->min_size ? p->min_size : s;
        s = s > left ? left : s;
        sizes[k++] = s;
        left -= s;
    }
    return k;
}

/*
 * Generate: truth (n labels, caller-allocated) and the symmetric CSR in *g.
 * Returns 0 or a pg status. Also fills *k_out with the number of communities.
 */
static inline int pg_planted_generate(pg_csr *g, uint32_t *truth, uint32_t *k_out,
                                      const pg_planted *p)
{
    pg_rng r;
    pg_rng_init(&r, p->seed, 0x706c616e74ULL);
    uint32_t n = p->n;
    uint32_t *sizes = malloc((size_t)n * sizeof(*sizes));
    uint32_t *order = malloc((size_t)n * sizeof(*order)); /* vertices grouped by community */
    uint32_t *start = malloc(((size_t)n + 1) * sizeof(*start));
    double *cum = malloc((size_t)n * sizeof(*cum));
    uint32_t *src = malloc((size_t)p->m * sizeof(*src));
    uint32_t *dst = malloc((size_t)p->m * sizeof(*dst));
    double *w = p->weighted ? malloc((size_t)p->m * sizeof(*w)) : NULL;
    uint32_t k = pg_planted_sizes(sizes, p, &r);
    for (uint32_t i = 0; i < n; i++) {
        order[i] = i;
    }
    for (uint32_t i = n; i > 1; i--) {
        uint32_t j = (uint32_t)pg_rng_below(&r, i), t = order[i - 1];
        order[i - 1] = order[j];
        order[j] = t;
    }
    start[0] = 0;
    for (uint32_t c = 0; c < k; c++) {
        start[c + 1] = start[c] + sizes[c];
        for (uint32_t i = start[c]; i < start[c + 1]; i++) {
            truth[order[i]] = c;
        }
    }
    double run = 0.0;
    for (uint32_t i = 0; i < n; i++) {
        double theta = pow(1.0 - pg_rng_uniform(&r), -1.0 / (p->tau - 1.0));
        run += theta < p->max_theta ? theta : p->max_theta;
        cum[i] = run;
    }
    for (int64_t e = 0; e < p->m; e++) {
        uint32_t a, b;
        do {
            uint32_t ia = pg_planted_pick(cum, 0, n, pg_rng_uniform(&r) * run);
            a = order[ia];
            uint32_t c = truth[a];
            if (pg_rng_uniform(&r) >= p->mu) {
                double lo = start[c] ? cum[start[c] - 1] : 0.0;
                double x = lo + pg_rng_uniform(&r) * (cum[start[c + 1] - 1] - lo);
                b = order[pg_planted_pick(cum, start[c], start[c + 1], x)];
            } else {
                b = order[pg_planted_pick(cum, 0, n, pg_rng_uniform(&r) * run)];
            }
        } while (a == b);
        src[e] = a;
        dst[e] = b;
        if (w) {
            w[e] = 1.0 + 9.0 * pg_rng_uniform(&r);
        }
    }
    int err = pg_csr_from_edges(g, n, p->m, src, dst, w, 1, 1);
    *k_out = k;
    free(sizes);
    free(order);
    free(start);
    free(cum);
    free(src);
    free(dst);
    free(w);
    return err;
}

#endif
