/* Hops between strangers: edge embeddedness of a group's transactions (strangers.c). */
#ifndef PG_ALGO_RINGS_STRANGERS_H
#define PG_ALGO_RINGS_STRANGERS_H

#include <stdint.h>

#include "algo/rings/merge.h"
#include "algo/rings/ring_ctx.h"

typedef struct pg_strangers {
    const pg_ring_ctx *c;
    uint32_t hub_degree; /* common neighbours of higher degree do not count */
    uint32_t *stamp;     /* per vertex: the hop that last marked it */
    uint32_t clock;
    uint32_t *members; /* sorted vertices of the current group */
    uint32_t n_members;
    size_t members_cap;
} pg_strangers;

/* Tables for the graph of c; hub_degree is the 99th percentile of vertex degrees. */
int pg_strangers_init(pg_strangers *s, const pg_ring_ctx *c);
void pg_strangers_free(pg_strangers *s);

/*
 * Share of G's transactions between two sociable vertices (persons or
 * unknown, no hubs) whose ends have no sociable counterparty in common
 * outside the group; 0 when G has no such transaction.
 */
int pg_strangers_share(pg_strangers *s, const pg_group *G, double *share);

#endif
