/*
 * Leiden refinement (Traag, Waltman & van Eck 2019, doi:10.1038/s41598-019-41695-z,
 * Algorithm A.2 "RefinePartition" / "MergeNodesSubset").
 *
 * Inside each community C of the local-moving partition every vertex starts
 * as its own refined community. Vertices of C are visited in a random order;
 * a vertex that is still a singleton and is well connected to C
 * (w(v, C - v) >= r k_v (K_C - k_v)) joins a refined community R of C that is
 * itself well connected (w(R, C - R) >= r K_R (K_C - K_R)) with probability
 * proportional to exp(gain / theta) over the candidates with gain >= 0
 * (staying alone has gain 0). Only adjacent R are candidates, so every
 * refined community is connected.
 *
 * Parallel over communities: they are independent. The random order and the
 * random choices of community C come from the stream (seed, stream, C) where
 * C is the community's label, so the result does not depend on which thread
 * runs which community, nor on the thread count. A single huge community
 * runs on one thread (the price of exact per-community semantics).
 *
 * Complexity: O(n + m) per call plus a counting sort of the vertices.
 */
#include "algo/community/community_internal.h"

#include <math.h>
#include <string.h>

#include "core/error.h"
#include "core/par.h"
#include "core/rng.h"

/* Per-vertex state of the refined partition (indexed by vertex = refined label). */
typedef struct refine_state {
    const pg_cgraph *g;
    const uint32_t *comm;
    uint32_t *refined;
    double *rtot;         /* node weight of the refined community labelled by this vertex */
    double *rext;         /* weight from that refined community to the rest of C */
    double *ext;          /* weight from the vertex to the rest of its community */
    unsigned char *alone; /* vertex is still a singleton refined community */
    double r;
    double theta;
} refine_state;

/*
 * Terms exp((gain - max) / theta) below exp(PG_REFINE_EXP_CUTOFF) are taken
 * as 0 and exp() is not called for them. The sum always holds the term 1 of
 * the best candidate, so a dropped term (< 2e-22 each) cannot change it
 * beyond rounding; with theta = 0.01 almost every candidate but the best is
 * below the cutoff, which saves nearly all exp() calls of the refinement.
 */
#define PG_REFINE_EXP_CUTOFF (-50.0)

/* Gain of moving v (r k_v = rk) into refined community R, or -1 if R is not well connected. */
static double candidate_gain(const refine_state *s, uint32_t R, double kc, double rk,
                             const double *acc)
{
    double gain = acc[R] - rk * s->rtot[R];
    if (gain >= 0.0 && s->rext[R] >= s->r * s->rtot[R] * (kc - s->rtot[R])) {
        return gain;
    }
    return -1.0;
}

/* exp((gain - max_gain) / theta), 0 for a candidate that is not eligible or far below the best. */
static double candidate_term(double gain, double max_gain, double theta)
{
    double x = (gain - max_gain) / theta;
    return gain >= 0.0 && x >= PG_REFINE_EXP_CUTOFF ? exp(x) : 0.0;
}

/* Pick a candidate with probability proportional to exp((gain - max) / theta). */
static uint32_t choose(const refine_state *s, uint32_t v, double kc, const double *acc,
                       const uint32_t *list, uint32_t nl, pg_rng *rng)
{
    double rk = s->r * s->g->nw[v];
    double max_gain = 0.0;
    for (uint32_t i = 0; i < nl; i++) {
        double gain = candidate_gain(s, list[i], kc, rk, acc);
        if (gain > max_gain) {
            max_gain = gain;
        }
    }
    double stay = exp(-max_gain / s->theta);
    double total = stay;
    for (uint32_t i = 0; i < nl; i++) {
        total += candidate_term(candidate_gain(s, list[i], kc, rk, acc), max_gain, s->theta);
    }
    double x = pg_rng_uniform(rng) * total;
    double run = stay;
    if (x < run) {
        return v;
    }
    uint32_t last = v;
    for (uint32_t i = 0; i < nl; i++) {
        double term = candidate_term(candidate_gain(s, list[i], kc, rk, acc), max_gain, s->theta);
        if (term > 0.0) {
            run += term;
            last = list[i];
            if (x < run) {
                return last;
            }
        }
    }
    return last; /* rounding at the top end of the sum */
}

/* Try to merge singleton v into a refined community of its community c. */
static void merge_vertex(refine_state *s, uint32_t v, uint32_t c, double kc, double *acc,
                         uint32_t *list, pg_rng *rng)
{
    const pg_cgraph *g = s->g;
    double kv = g->nw[v];
    if (!s->alone[v] || s->ext[v] < s->r * kv * (kc - kv)) {
        return;
    }
    uint32_t nl = 0;
    for (int64_t e = g->off[v]; e < g->off[v + 1]; e++) {
        uint32_t u = g->adj[e];
        if (u == v || s->comm[u] != c) {
            continue;
        }
        uint32_t R = s->refined[u];
        if (acc[R] < 0.0) {
            acc[R] = 0.0;
            list[nl++] = R;
        }
        acc[R] += pg_cgraph_w(g, e);
    }
    uint32_t R = nl ? choose(s, v, kc, acc, list, nl, rng) : v;
    if (R != v) {
        s->refined[v] = R;
        s->rtot[R] += kv;
        s->rext[R] += s->ext[v] - 2.0 * acc[R];
        s->alone[v] = 0;
        s->alone[R] = 0;
    }
    for (uint32_t i = 0; i < nl; i++) {
        acc[list[i]] = -1.0;
    }
}

/*
 * Every vertex starts as its own refined community; ext[v] = w(v, C - v).
 * One sweep in vertex order reads the rows as a stream, where a sweep per
 * community would jump to every member's row.
 */
static void init_singletons(refine_state *s, int threads)
{
    const pg_cgraph *g = s->g;
    (void)threads; /* used by OpenMP only */
#pragma omp parallel for num_threads(threads) schedule(static) if (g->n >= PG_COMMUNITY_PAR_MIN)
    for (uint32_t v = 0; v < g->n; v++) {
        uint32_t c = s->comm[v];
        double ext = 0.0;
        for (int64_t e = g->off[v]; e < g->off[v + 1]; e++) {
            uint32_t u = g->adj[e];
            if (u != v && s->comm[u] == c) {
                ext += pg_cgraph_w(g, e);
            }
        }
        s->ext[v] = ext;
        s->rext[v] = ext;
        s->rtot[v] = g->nw[v];
        s->alone[v] = 1;
    }
}

/* Refine one community: members[0..size) in vertex order on entry. */
static void refine_community(refine_state *s, uint32_t c, double kc, uint32_t *members,
                             uint32_t size, double *acc, uint32_t *list, uint64_t seed,
                             uint64_t stream)
{
    pg_rng rng;
    pg_rng_init(&rng, seed, pg_mix64(stream, c));
    for (uint32_t i = size; i > 1; i--) {
        uint32_t j = (uint32_t)pg_rng_below(&rng, i);
        uint32_t t = members[i - 1];
        members[i - 1] = members[j];
        members[j] = t;
    }
    for (uint32_t i = 0; i < size; i++) {
        if (i + PG_COMMUNITY_PREFETCH < size) {
            pg_cgraph_prefetch_row(s->g, members[i + PG_COMMUNITY_PREFETCH]);
        }
        merge_vertex(s, members[i], c, kc, acc, list, &rng);
    }
}

int pg_community__refine(uint32_t *refined, const pg_cgraph *g, const uint32_t *comm,
                         const double *tot, pg_cwork *wk, const pg_cparams *p, uint64_t stream)
{
    uint32_t n = g->n;
    size_t nn = n ? n : 1;
    const size_t sizes[] = {(nn + 1) * sizeof(uint32_t), nn * sizeof(uint32_t),
                            3 * nn * sizeof(double), nn};
    void *piece[4];
    int err = pg_community__scratch(wk, PG_CSLOT_REFINE, "Leiden refinement", 4, sizes, piece);
    if (err) {
        return err;
    }
    uint32_t *start = piece[0], *order = piece[1];
    double *buf = piece[2];
    unsigned char *alone = piece[3];
    memset(start, 0, sizes[0]);
    /* Counting sort of the vertices by community, ties in vertex order. */
    for (uint32_t v = 0; v < n; v++) {
        start[comm[v] + 1]++;
        refined[v] = v;
    }
    for (uint32_t c = 0; c < n; c++) {
        start[c + 1] += start[c];
    }
    for (uint32_t v = 0; v < n; v++) {
        order[start[comm[v]]++] = v;
    }
    for (uint32_t c = n; c > 0; c--) {
        start[c] = start[c - 1];
    }
    start[0] = 0;
    refine_state s = {g, comm, refined, buf, buf + nn, buf + 2 * nn, alone, p->r, p->theta};
    init_singletons(&s, wk->threads);
#pragma omp parallel for num_threads(wk->threads)                                                  \
    schedule(dynamic, 16) if (n >= PG_COMMUNITY_PAR_MIN)
    for (uint32_t c = 0; c < n; c++) {
        size_t t = (size_t)pg_par_thread_id() * wk->cap;
        uint32_t size = start[c + 1] - start[c];
        if (size > 1) {
            refine_community(&s, c, tot[c], order + start[c], size, wk->acc + t, wk->list + t,
                             p->seed, stream);
        }
    }
    return PG_OK;
}
