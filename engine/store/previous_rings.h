/*
 * The rings of an earlier scan below the file (previous_rings.c), apart so
 * that the checks and the matching can be exercised on arrays (tests/fuzz).
 */
#ifndef PG_STORE_PREVIOUS_RINGS_H
#define PG_STORE_PREVIOUS_RINGS_H

#include <stddef.h>
#include <stdint.h>

#include "core/strlist.h"
#include "paygraph/pool.h"
#include "paygraph/rings.h"

/* What an earlier results.h5 says of its accounts and rings (borrowed arrays). */
typedef struct pg_previous_view {
    const uint32_t *institution;    /* n_institution: index into insts, per earlier account */
    const pg_strlist *names;        /* account name of each earlier account */
    const pg_strlist *insts;        /* institution names */
    size_t n_institution;           /* length of institution */
    const uint32_t *ring_id;        /* n_rings: /rings/id, the ranks 1..n_rings */
    size_t n_rings;                 /* length of ring_id */
    const uint32_t *member_ring;    /* n_member_ring: ring id of each membership row */
    const uint32_t *member_account; /* n_member_account: earlier account of each row */
    size_t n_member_ring, n_member_account;
} pg_previous_view;

/*
 * Whether s can be used: one institution per account name, every id in
 * range, ring ids the ranks 1..n in order, one ring id per membership row,
 * rows grouped by ring in rank order, no account twice in one ring.
 * PG_EINPUT naming path and the first bad entry; PG_ENOMEM.
 */
int pg_previous_view__check(const pg_previous_view *s, const char *path);

/* r->rings[].previous and r->previous from a checked s (as pg_rings_match_previous does). */
int pg_previous_view__match(pg_rings *r, const pg_previous_view *s, const pg_pool *pool,
                            int threads);

#endif
