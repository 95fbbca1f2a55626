/*
 * Ring candidates: groups of vertices proposed by one detector (suspicion-
 * weighted communities, dense payer->beneficiary blocks, watchlist
 * neighbourhoods, laundering typologies), before they are merged, scored and
 * explained. Vertices are ids of the graph the detector ran on (pg_graph
 * level); the transactions are the ones that make the pattern, kept as
 * evidence.
 */
#ifndef PG_ALGO_RINGS_CANDIDATES_H
#define PG_ALGO_RINGS_CANDIDATES_H

#include <stddef.h>
#include <stdint.h>

typedef struct pg_candidate {
    const char *detector; /* static: "community", "dense-block", "watchlist-ppr", "typology" */
    const char *typology; /* static: "offender-payments", "fan-in", "fan-out", "cycle",
                             "scatter-gather", "gather-scatter", "bipartite", "stack", ... */
    double strength;      /* detector's own confidence, 0..1 */
    int corroborate_only; /* never enlarge an existing group: only confirm it */
    uint32_t n;           /* vertices, ascending, distinct */
    uint32_t *vertices;
    uint32_t n_txn; /* transactions forming the pattern (indices into the pool), or 0 */
    uint32_t *txn;
} pg_candidate;

typedef struct pg_candidates {
    size_t n;
    size_t cap;
    pg_candidate *c;
} pg_candidates;

void pg_candidates_init(pg_candidates *cs);
void pg_candidates_free(pg_candidates *cs);

/*
 * Append a candidate; vertices (n) and txn (n_txn, may be NULL) are copied,
 * vertices sorted and deduplicated. Groups of fewer than 2 vertices are
 * ignored (returns 0).
 */
int pg_candidates_push(pg_candidates *cs, const char *detector, const char *typology,
                       double strength, const uint32_t *vertices, uint32_t n, const uint32_t *txn,
                       uint32_t n_txn);

/* Append all of src to dst (moving ownership); src is left empty. */
int pg_candidates_take(pg_candidates *dst, pg_candidates *src);

#endif
