/* The ring detectors run by pg_rings_detect, each proposing candidates. */
#ifndef PG_ALGO_RINGS_DETECTORS_H
#define PG_ALGO_RINGS_DETECTORS_H

#include "algo/rings/candidates.h"
#include "algo/rings/ring_ctx.h"

/* Offender payment rings from the beneficiary side (offender.c). */
int pg_ring__offender_candidates(const pg_ring_ctx *c, pg_candidates *out);

/* Communities of the suspicion-weighted payment graph (suspicious_communities.c). */
int pg_ring__community_candidates(const pg_ring_ctx *c, pg_candidates *out);

#endif
