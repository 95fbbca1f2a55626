/* Helpers shared by the local scoring kernels (PPR push, sweep cut). */
#ifndef PG_ALGO_SCORE_INTERNAL_H
#define PG_ALGO_SCORE_INTERNAL_H

#include "paygraph/graph.h"

/*
 * d(u): u's degree, or its strength (sum of edge weights) when weighted.
 * Push and sweep must agree on it: the sweep's conductance is only
 * meaningful for the d the push normalised by. Inline: the push calls it
 * per relaxation.
 */
static inline double pg_score__degree(const pg_csr *g, uint32_t u, int weighted)
{
    if (!weighted) {
        return (double)(g->offsets[u + 1] - g->offsets[u]);
    }
    double s = 0.0;
    for (int64_t e = g->offsets[u]; e < g->offsets[u + 1]; e++) {
        s += g->weights[e];
    }
    return s;
}

#endif
