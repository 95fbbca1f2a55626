/*
 * The warm start's pieces below the file (warm_start.c), apart so that the
 * checks and the matching can be exercised on arrays (tests/fuzz).
 */
#ifndef PG_STORE_WARM_START_H
#define PG_STORE_WARM_START_H

#include <stddef.h>
#include <stdint.h>

#include "core/strlist.h"
#include "paygraph/graph.h"
#include "paygraph/pool.h"

/* What an earlier results file says of its accounts (borrowed arrays). */
typedef struct pg_warm_earlier {
    const uint32_t *community;   /* n: community of each earlier account */
    const uint32_t *institution; /* n_institution: index into insts */
    const pg_strlist *names;     /* account name of each earlier account */
    const pg_strlist *insts;     /* institution names */
    size_t n;                    /* accounts (length of community) */
    size_t n_institution;        /* length of institution */
    size_t communities;          /* length of /community/size */
    const char *group; /* the accounts' group, for messages: NULL "/account", or "/accounts" */
} pg_warm_earlier;

/*
 * Whether e can be used: one institution and one name per account, every
 * id in range, no more communities than accounts. PG_EINPUT naming path
 * and the first bad entry.
 */
int pg_warm_start__check(const pg_warm_earlier *e, const char *path);

/* The starting labels of g's vertices from a checked e (as pg_communities_warm_start). */
int pg_warm_start__labels(uint32_t *initial, uint32_t *matched, const pg_warm_earlier *e,
                          const pg_pool *pool, const pg_graph *g, int threads);

#endif
