/* Freeing one ring's arrays (rings_result.c). */
#ifndef PG_ALGO_RINGS_RING_FREE_H
#define PG_ALGO_RINGS_RING_FREE_H

#include "paygraph/rings.h"

/* Free the arrays of one ring and zero it. */
void pg_ring__free_one(pg_ring *r);

#endif
