/*
 * Internal pieces shared by the Leiden and Louvain drivers: the working graph
 * of one aggregation level, per-thread scratch, local moving, refinement,
 * aggregation and relabelling. Not part of the public API.
 *
 * Every quality computation uses one form for both objectives: moving node v
 * (node weight k_v) into community C changes the quality by
 *
 *     w(v, C) - r * k_v * K_C        (K_C: total node weight of C without v)
 *
 * with node weight = strength and r = gamma / 2m for modularity (quality
 * units = 1/m of these), node weight = CPM weight and r = gamma for CPM.
 */
#ifndef PG_ALGO_COMMUNITY_INTERNAL_H
#define PG_ALGO_COMMUNITY_INTERNAL_H

#include <stdint.h>

#include "core/prefetch.h"
#include "paygraph/community.h"

/*
 * One level's graph. Level 0 borrows the caller's CSR (whose rows may hold
 * self-loop entries, skipped by every kernel because their weight is already
 * in loop[]); aggregated levels own arrays without self-loop entries.
 */
typedef struct pg_cgraph {
    uint32_t n;
    const int64_t *off;  /* n + 1 */
    const uint32_t *adj; /* off[n] */
    const double *w;     /* off[n], or NULL for unit weights */
    double *loop;        /* n: self-loop weight (edge units, counted once) */
    double *nw;          /* n: node weight (strength or CPM weight) */
    int owned;           /* off/adj/w were allocated by aggregation */
} pg_cgraph;

static inline double pg_cgraph_w(const pg_cgraph *g, int64_t e)
{
    return g->w ? g->w[e] : 1.0;
}

/*
 * Rows visited in a scattered order (refinement in random order, the
 * members of a community in aggregation) are bound by memory latency: one
 * miss per row start. Prefetching the row PG_COMMUNITY_PREFETCH visits ahead
 * overlaps those misses; further ahead hides more latency but risks
 * evicting lines before use.
 */
#define PG_COMMUNITY_PREFETCH 4

PG_PREFETCH_HELPER void pg_cgraph_prefetch_row(const pg_cgraph *g, uint32_t v)
{
    int64_t e = g->off[v];
    PG_PREFETCH(g->adj + e);
    if (g->w) {
        PG_PREFETCH(g->w + e);
    }
}

void pg_community__cgraph_free(pg_cgraph *g);

/*
 * Scratch blocks kept for a whole run, one per kernel that needs one. The
 * kernels run level after level and iteration after iteration with the
 * largest sizes first (the input level); allocating their scratch afresh
 * each time cost a page fault per 4 KiB touched and an unmap per block,
 * about a tenth of Leiden's time on the 100k-vertex / 1M-edge benchmark
 * graph at 2 threads (system time 0.052 s of 0.27 s per run).
 */
typedef enum pg_cslot {
    PG_CSLOT_LOCAL_MOVE, /* local_move.c */
    PG_CSLOT_REFINE,     /* refine.c */
    PG_CSLOT_AGGREGATE,  /* aggregate.c: member lists and unpacked rows */
    PG_CSLOT_COUNT
} pg_cslot;

/*
 * Per-thread scratch: a dense accumulator of `cap` doubles (every slot -1
 * when idle: weights are >= 0, so a negative slot means "not touched") and a
 * list of touched slots, for each of `threads` threads; and the run's
 * scratch blocks.
 */
typedef struct pg_cwork {
    int threads;
    uint32_t cap;
    double *acc;
    uint32_t *list;
    void *block[PG_CSLOT_COUNT];
    size_t block_bytes[PG_CSLOT_COUNT];
} pg_cwork;

int pg_community__work_init(pg_cwork *wk, uint32_t cap, int threads);
void pg_community__work_free(pg_cwork *wk);

/*
 * The scratch block of `slot` cut into `count` pieces: piece[i] gets
 * sizes[i] bytes, 64-byte aligned, contents undefined (earlier contents may
 * be gone). Returns PG_OK, or PG_ENOMEM naming `what`.
 */
int pg_community__scratch(pg_cwork *wk, pg_cslot slot, const char *what, int count,
                          const size_t *sizes, void **piece);

/*
 * Smallest loop worth a parallel region. Below it the loop runs on the
 * calling thread: results are the same (no decision depends on the team),
 * and late passes, retry rounds and small levels skip a fork and a barrier,
 * which cost a scheduler quantum each when the machine is oversubscribed.
 */
#define PG_COMMUNITY_PAR_MIN 512

/* Parameters of one run, derived from the public options. */
typedef struct pg_cparams {
    double r;        /* resolution in the internal form above */
    double scale;    /* quality units per internal gain unit (1/m or 1) */
    double min_gain; /* quality units */
    double theta;    /* Leiden refinement randomness (igraph's beta) */
    int max_passes;
    int max_levels;
    int iterations;
    uint32_t batch;
    int threads;
    uint64_t seed;
    int full_scan; /* local moving without its exact shortcut (tests compare the two) */
} pg_cparams;

/*
 * Deterministic batched local moving (local_move.c). comm: in/out labels in
 * [0, n); tot: out, n entries, total node weight per label. *moves: vertices
 * moved. Returns PG_OK, PG_ENOMEM or PG_EINTR.
 */
int pg_community__local_move(uint32_t *comm, double *tot, int64_t *moves, const pg_cgraph *g,
                             pg_cwork *wk, const pg_cparams *p, uint64_t stream);

/*
 * Leiden refinement (refine.c): refined labels in [0, n), each refined
 * community inside one community of comm (tot as left by local moving).
 */
int pg_community__refine(uint32_t *refined, const pg_cgraph *g, const uint32_t *comm,
                         const double *tot, pg_cwork *wk, const pg_cparams *p, uint64_t stream);

/* Aggregate g by dense labels 0..k-1 into out (aggregate.c). */
int pg_community__aggregate(pg_cgraph *out, const pg_cgraph *g, const uint32_t *label, uint32_t k,
                            pg_cwork *wk, int threads);

/*
 * Relabel label[0..n) (values < n) densely in order of first appearance,
 * i.e. of each label's smallest index. *k: number of labels.
 */
int pg_community__relabel(uint32_t *label, uint32_t n, uint32_t *k);

/*
 * Connected components of g restricted to edges whose endpoints have the
 * same within[] value (all edges when within is NULL); dense labels in order
 * of smallest vertex (components.c).
 */
int pg_community__components(uint32_t *label, uint32_t *count, const int64_t *off,
                             const uint32_t *adj, uint32_t n, const uint32_t *within, int threads);

/* Drivers (louvain.c, leiden.c): membership of g's vertices, labels < n. */
int pg_community__louvain(uint32_t *membership, int *levels, const pg_cgraph *g,
                          const uint32_t *initial, pg_cwork *wk, const pg_cparams *p);
int pg_community__leiden(uint32_t *membership, int *levels, const pg_cgraph *g,
                         const uint32_t *initial, pg_cwork *wk, const pg_cparams *p);

#endif
