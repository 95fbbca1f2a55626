/*
 * Shared state of the laundering-typology detectors (typology.c runs them per
 * anchor vertex, in parallel over fixed vertex chunks).
 */
#ifndef PG_ALGO_RINGS_TYPOLOGY_H
#define PG_ALGO_RINGS_TYPOLOGY_H

#include "algo/paths/temporal_internal.h"
#include "algo/rings/patterns.h"

/* Per-transaction flags computed once before detection. */
enum {
    PG_TY_FIRST = 1, /* first transaction on its (src, dst) pair, src != dst */
    PG_TY_REPEAT = 2 /* ...and the pair transacts again more than a window later */
};

/*
 * A fresh contact: the first transaction on its pair, and the pair does not
 * go on to a standing relationship (payroll, rent, a regular shop). Only
 * fresh contacts make up the typologies.
 */
static inline int pg_ty_fresh(uint8_t flags)
{
    return flags == PG_TY_FIRST;
}

/*
 * tv is the fresh view: the pool's transactions, with out- and in-lists
 * that hold only fresh contacts (in the same time order). Every detector
 * walks fresh contacts alone, and on payment data they are a small share of
 * the lists, so the detectors never touch the rest. full is the whole view
 * (an account's activity span).
 */
typedef struct pg_ty_ctx {
    const pg_tview *tv;
    const pg_tview *full;
    const pg_typology_options *o;
} pg_ty_ctx;

/* A 2-hop flow step: source -> mid (txn a) -> sink (txn b). */
typedef struct pg_ty_hop {
    uint32_t sink, mid, a, b;
    int64_t t; /* time of a */
} pg_ty_hop;

/* Per-thread scratch (contents never influence results across vertices). */
typedef struct pg_ty_scratch {
    uint32_t *verts; /* vertices of a candidate */
    size_t verts_cap;
    uint32_t *txn; /* transactions of a candidate */
    size_t txn_cap;
    pg_ty_hop *hops;
    size_t hops_cap;
    uint32_t *seen;    /* per vertex: 1 + the anchor payment it was last counted for */
    uint32_t *nsinks;  /* per vertex: the anchor's sinks it pays (zero between anchors) */
    size_t per_vertex; /* length of seen and nsinks */
} pg_ty_scratch;

void pg_ty_scratch_free(pg_ty_scratch *s);

/* Append h to s->hops[0..*n) (growing it) and count it in *n. */
int pg_ty__push_hop(pg_ty_scratch *s, size_t *n, pg_ty_hop h);

/*
 * Burst ratio k / (1 + baseline), the baseline being the account's one-off
 * new counterparties outside the burst (outside of them over a span) scaled
 * to one window.
 */
double pg_ty__ratio(uint32_t k, uint32_t outside, int64_t span, int64_t window);

/* Map a ratio >= 1 to 0..1: how unusual a burst is for this account. */
double pg_ty__unusual(double ratio);

/* Time span of v's activity (first to last transaction, either direction). */
int64_t pg_ty__span(const pg_tview *tv, uint32_t v);

/* Fan-out, fan-in and gather-scatter anchored at v. */
int pg_ty__fans(pg_candidates *out, const pg_ty_ctx *c, pg_ty_scratch *s, uint32_t v);

/* Scatter-gather with source v, and cycles whose earliest transaction leaves v. */
int pg_ty__flows(pg_candidates *out, const pg_ty_ctx *c, pg_ty_scratch *s, uint32_t v);

/* Bipartite blocks whose smallest source is v. */
int pg_ty__blocks(pg_candidates *out, const pg_ty_ctx *c, pg_ty_scratch *s, uint32_t v);

#endif
