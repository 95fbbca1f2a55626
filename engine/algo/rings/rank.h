/* Scoring, roles, explanation and evidence of ring groups (rank.c). */
#ifndef PG_ALGO_RINGS_RANK_H
#define PG_ALGO_RINGS_RANK_H

#include "algo/rings/merge.h"
#include "algo/rings/ring_ctx.h"

/*
 * Turn groups into scored, explained rings in r (r->features must already
 * hold the account features), sorted by score, ids 1..n, at most `top`
 * (0: all); fills r->account_score and r->account_ring.
 */
int pg_ring__rank(const pg_ring_ctx *c, const pg_groups *gs, pg_rings *r);

#endif
