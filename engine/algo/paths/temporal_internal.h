/* Internal helpers of the time-respecting kernels (temporal_common.c). */
#ifndef PG_ALGO_TEMPORAL_INTERNAL_H
#define PG_ALGO_TEMPORAL_INTERNAL_H

#include "paths_internal.h"
#include "paygraph/paths.h"

/* Longest path or cycle the enumerators accept: the search stack lives on the C stack. */
#define PG_TEMPORAL_MAX_HOPS 16

/* First position in v's list of adj whose transaction time is >= t. */
int64_t pg_paths__first_at(const pg_tadj *adj, const int64_t *ts, uint32_t v, int64_t t);
/* t0 + window, saturated; INT64_MAX when the window is unbounded. */
int64_t pg_paths__window_end(const pg_temporal_options *o);
/*
 * The options a kernel runs with: *o, or when it is NULL the defaults
 * (initialised into *defaults, and *o pointed at them); then checked
 * against tv. PG_EINVAL names what is wrong.
 */
int pg_paths__options(const pg_temporal_options **o, pg_temporal_options *defaults,
                      const pg_tview *tv);

/* Search steps between interrupt checks inside one task. */
#define PG_TSEARCH_POLL 65536

/*
 * Bookkeeping of one bounded depth-first search (one task of the path or
 * cycle enumerator): the path so far, the paths the task may still add, and
 * the stop conditions. Each thread owns one; stop is shared.
 */
typedef struct pg_tsearch {
    size_t limit; /* paths this task may add */
    size_t added;
    uint64_t steps;
    int failed; /* allocation failed */
    int *stop;  /* interrupted (shared by the threads) */
    pg_pathbuf *buf;
    uint32_t vert[PG_TEMPORAL_MAX_HOPS + 1];
    uint32_t txn[PG_TEMPORAL_MAX_HOPS];
} pg_tsearch;

/*
 * Stop the search: allocation failed, the limit is reached, or another
 * thread saw an interrupt; every PG_TSEARCH_POLL steps the interrupt flag
 * is read and passed on to the others. Inline because it runs every step.
 */
static inline int pg_tsearch__halted(pg_tsearch *s)
{
    if (s->failed || s->added >= s->limit || __atomic_load_n(s->stop, __ATOMIC_RELAXED)) {
        return 1;
    }
    if (++s->steps % PG_TSEARCH_POLL == 0 && pg_interrupted()) {
        __atomic_store_n(s->stop, 1, __ATOMIC_RELAXED);
        return 1;
    }
    return 0;
}

/* Is v on the path so far, vert[0..hops]? (A scan: paths have at most 16 hops.) */
static inline int pg_tsearch__on_path(const pg_tsearch *s, int hops, uint32_t v)
{
    for (int i = 0; i <= hops; i++) {
        if (s->vert[i] == v) {
            return 1;
        }
    }
    return 0;
}

/* Add the path vert[0..hops] with its transactions txn[0..hops) (cost: hops). */
void pg_tsearch__emit(pg_tsearch *s, int hops);

/* Paths that one task added to its thread's buffer: first and count in tbuf[owner]. */
typedef struct pg_tspan {
    int owner;
    size_t first, count;
} pg_tspan;

/*
 * What a parallel enumeration keeps across its chunks of tasks: one path
 * buffer per thread, the result they are gathered into, the spans of the
 * current chunk and the stop flag the threads share.
 */
typedef struct pg_tsearch_work {
    int nt;
    int stop;
    pg_pathbuf res;
    pg_pathbuf *tbuf; /* nt */
    pg_tspan *spans;  /* one per task of a chunk */
} pg_tsearch_work;

/* Buffers for nt threads and chunks of up to chunk tasks; what names them in an error. */
int pg_tsearch__work_init(pg_tsearch_work *w, int nt, size_t chunk, const char *what);
/* Safe on a half-built work. */
void pg_tsearch__work_free(pg_tsearch_work *w);

/*
 * Append the paths of the chunk's n spans to w->res in span order (so in
 * task order, whichever thread ran each task), at most max paths in res,
 * then empty the thread buffers for the next chunk (keeping their memory).
 */
int pg_tsearch__gather(pg_tsearch_work *w, size_t n, size_t max);

#endif
