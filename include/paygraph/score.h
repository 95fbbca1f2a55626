/*
 * paygraph — anomaly-score kernels used by ring detection (DESIGN.md §4,
 * "scores"): personalized PageRank from a watchlist, sweep cuts around a
 * seed, OddBall egonet deviation and robust z-scores against peer groups.
 *
 * Every kernel is deterministic: the same output, bit for bit, for any
 * thread count. Long loops poll pg_interrupted() and return PG_EINTR.
 */
#ifndef PAYGRAPH_SCORE_H
#define PAYGRAPH_SCORE_H

#include "paygraph/common.h"
#include "paygraph/graph.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Personalized PageRank (power iteration, pull style)                      */
/* ------------------------------------------------------------------------ */

typedef struct pg_ppr_options {
    double damping;     /* probability of following an edge; default 0.85 */
    double tol;         /* stop when the L1 change of one step is < tol; default 1e-10 */
    int max_iter;       /* iteration cap (PG_OK is still returned); default 1000 */
    int weighted;       /* use the CSR weights (when present); default 1 */
    int threads;        /* <= 0: all available */
    int iterations;     /* out: iterations performed */
    double last_change; /* out: L1 change of the last iteration */
} pg_ppr_options;

PG_API void pg_ppr_options_init(pg_ppr_options *opts);

/*
 * Personalized PageRank p: the unique p with sum(p) = 1 and
 *
 *     p[v] = d * sum_{u -> v} p[u] w(u,v) / s(u) + (d * D + 1 - d) * r[v],
 *
 * where s(u) is the out-strength of u (out-degree when unweighted), D the
 * total mass on dangling vertices (s(u) == 0) and r the personalization
 * vector normalised to sum 1. Dangling mass is thus redistributed like the
 * teleport, to the personalization vector: igraph's convention for
 * igraph_personalized_pagerank (PRPACK, reset vector used for both).
 *
 * out:      n doubles, filled with p.
 * g:        out-adjacency (rows are out-neighbours); weights >= 0.
 * gin:      in-adjacency of the same graph (pg_csr_from_edges with src and
 *           dst swapped, same weights), or NULL when g is undirected
 *           (symmetric; then g serves as its own in-adjacency).
 * sources, source_weight, n_sources: the personalization (weights > 0;
 *           source_weight NULL means all 1; repeated sources add up).
 *           n_sources == 0 means uniform (plain PageRank).
 *
 * Every new value is a sum over its in-row in CSR order and the L1 norms
 * are summed in fixed chunks combined in chunk order, so the result does not
 * depend on the thread count. Errors: PG_EINVAL, PG_EINPUT (negative or
 * non-finite weight, source out of range), PG_ENOMEM, PG_EINTR.
 * Complexity: O((n + m) * iterations) time, O(n) extra memory.
 */
PG_API int pg_ppr(double *out, const pg_csr *g, const pg_csr *gin, const uint32_t *sources,
                  const double *source_weight, uint32_t n_sources, pg_ppr_options *opts);

/*
 * Verifier (serial): out is non-negative, sums to 1 within 1e-9 and is a
 * fixed point of the equation above within L1 distance tol. PG_OK or
 * PG_EINTERNAL with a message naming the violated property.
 */
PG_API int pg_ppr_verify(const double *p, const pg_csr *g, const uint32_t *sources,
                         const double *source_weight, uint32_t n_sources, double damping,
                         int weighted, double tol);

typedef struct pg_ppr_push_options {
    double damping;   /* 1 - teleport probability (ACL's alpha = 1 - damping); default 0.85 */
    double eps;       /* push while r[u] >= eps * d(u); default 1e-6 */
    int weighted;     /* default 1 */
    uint64_t touched; /* out: vertices with p > 0 or residual > 0 at the end */
} pg_ppr_push_options;

PG_API void pg_ppr_push_options_init(pg_ppr_push_options *opts);

/*
 * Approximate personalized PageRank around one seed by the push procedure
 * of Andersen, Chung & Lang (lazy walk), on an undirected graph g.
 * out (n doubles) receives the approximation p (zero outside the explored
 * region): for every vertex the residual is < eps * d(u), and the work is
 * O(1 / (eps * (1 - damping))) pushes, independent of the graph size.
 * Serial and FIFO-ordered, hence deterministic.
 */
PG_API int pg_ppr_push(double *out, const pg_csr *g, uint32_t seed, pg_ppr_push_options *opts);

/* ------------------------------------------------------------------------ */
/* Sweep cut                                                                */
/* ------------------------------------------------------------------------ */

typedef struct pg_sweep_options {
    uint32_t min_size; /* smallest prefix considered; default 1 */
    uint32_t max_size; /* largest prefix considered; 0: no limit (default) */
    int weighted;      /* strengths instead of degrees; default 1 */
} pg_sweep_options;

PG_API void pg_sweep_options_init(pg_sweep_options *opts);

/*
 * Sweep cut over an undirected graph g and a vector p (e.g. a PPR vector):
 * the vertices with p(v) > 0 and d(v) > 0 are ordered by p(v)/d(v)
 * descending (ties by vertex id), and the prefix of minimum conductance
 * cut(S) / min(vol(S), vol(V) - vol(S)) is returned (ties: the shorter
 * prefix). d is the degree or strength; a self-loop counts once in d and
 * never in the cut.
 *
 * members:     out, *count vertex ids in sweep order (pg_free); NULL when
 *              no prefix qualifies (count 0, conductance 1).
 * conductance: out, the conductance of the prefix.
 * Complexity: O(k log k + vol(candidates)) time for k candidates; O(n) memory.
 */
PG_API int pg_sweep_cut(uint32_t **members, uint32_t *count, double *conductance, const pg_csr *g,
                        const double *p, const pg_sweep_options *opts);

/* Verifier: recompute the conductance of a vertex set from scratch. */
PG_API int pg_conductance(double *out, const pg_csr *g, const uint32_t *set, uint32_t count,
                          int weighted);

/* ------------------------------------------------------------------------ */
/* OddBall egonet anomaly                                                   */
/* ------------------------------------------------------------------------ */

typedef struct pg_oddball_options {
    int weighted; /* egonet weight W from the CSR weights (else W = E); default 1 */
    int threads;  /* <= 0: all available */
} pg_oddball_options;

PG_API void pg_oddball_options_init(pg_oddball_options *opts);

/* Per-vertex egonet features (distinct neighbours, self-loops ignored). */
typedef struct pg_egonet {
    double n; /* N: neighbours */
    double e; /* E: edges of the egonet (spokes + edges among neighbours) */
    double w; /* W: total weight of those edges (parallel entries add up) */
} pg_egonet;

/* A fitted power law y = c * x^theta (least squares in log-log). */
typedef struct pg_powerlaw {
    double c;
    double theta;
    uint32_t points; /* vertices used (N >= 2, and W > 0 for the W-E law) */
} pg_powerlaw;

typedef struct pg_oddball_result {
    pg_egonet *ego;     /* n entries */
    double *score_en;   /* n: deviation from E ~ N^alpha */
    double *score_we;   /* n: deviation from W ~ E^beta */
    double *score;      /* n: score_en + score_we */
    pg_powerlaw law_en; /* E = c N^alpha */
    pg_powerlaw law_we; /* W = c E^beta */
} pg_oddball_result;

/*
 * OddBall (Akoglu, McGlohon & Faloutsos, PAKDD 2010) on an undirected graph
 * g whose rows are sorted by target (pg_csr_from_edges guarantees it). The
 * score of a point y against the law f = c x^theta is
 * max(y, f) / min(y, f) * log(|y - f| + 1); vertices with N < 2 score 0.
 * res is filled (arrays owned by the caller: pg_oddball_result_free).
 * Complexity: O(sum_v sum_{u in N(v)} (d(v) + d(u))) time, O(n) memory.
 */
PG_API int pg_oddball(pg_oddball_result *res, const pg_csr *g, const pg_oddball_options *opts);
PG_API void pg_oddball_result_free(pg_oddball_result *res);

/*
 * Verifier (serial, brute force on sorted rows via binary search): the
 * egonet features and both fits of res agree with g (features exactly,
 * fits within 1e-9 relative).
 */
PG_API int pg_oddball_verify(const pg_oddball_result *res, const pg_csr *g, int weighted);

/* ------------------------------------------------------------------------ */
/* Robust z-scores and percentiles within peer groups                       */
/* ------------------------------------------------------------------------ */

/* How the scale of a group was obtained (per item, optional output). */
enum {
    PG_RZ_MAD = 0,     /* 1.4826 * MAD */
    PG_RZ_MEANAD = 1,  /* MAD == 0: 1.2533 * mean absolute deviation from the median */
    PG_RZ_CONSTANT = 2 /* every value of the group equals the median: z = 0 */
};

typedef struct pg_robust_options {
    int threads; /* <= 0: all available */
} pg_robust_options;

PG_API void pg_robust_options_init(pg_robust_options *opts);

/*
 * z[i] = (x[i] - median_g) / scale_g for the peer group g = group[i]
 * (0 <= group[i] < n_groups). Medians are exact (the mean of the two middle
 * values for even sizes), MAD is the exact median of |x - median|. Scale:
 * 1.4826 * MAD; when MAD is 0, 1.2533 * mean absolute deviation (the
 * consistent scale for normal data, sqrt(pi/2)); when that is 0 too, z = 0.
 * kind (optional, n bytes) records which applied (PG_RZ_*). median and
 * scale (optional, n_groups each) receive the group statistics (empty
 * group: 0). Errors: PG_EINPUT for NaN/inf or a group out of range.
 * Complexity: O(n log n) time, O(n + n_groups) memory.
 */
PG_API int pg_robust_z(double *z, uint8_t *kind, double *median, double *scale, const double *x,
                       const uint32_t *group, size_t n, uint32_t n_groups,
                       const pg_robust_options *opts);

/*
 * Peer percentile: percentile[i] = 100 * (L + (T - 1) / 2) / (G - 1), where
 * G is the size of i's group, L the number of peers with a smaller value and
 * T the number with an equal value (i included): the smallest value of a
 * group is 0, the largest 100, ties share their mean rank; a group of one
 * gets 50.
 */
PG_API int pg_peer_percentile(double *percentile, const double *x, const uint32_t *group, size_t n,
                              uint32_t n_groups, const pg_robust_options *opts);

#ifdef __cplusplus
}
#endif

#endif
