/* Merging ring candidates into groups of accounts (merge.c). */
#ifndef PG_ALGO_RINGS_MERGE_H
#define PG_ALGO_RINGS_MERGE_H

#include "algo/rings/candidates.h"
#include "paygraph/pool.h"

/* The accounts of each graph vertex, as a CSR (one vertex, many accounts at entity level). */
typedef struct pg_vertex_accounts {
    uint32_t n;
    int64_t *offsets;
    uint32_t *accounts;
} pg_vertex_accounts;

typedef struct pg_group {
    uint32_t *acct; /* sorted, distinct account ids */
    uint32_t n_acct;
    uint32_t *txn; /* sorted, distinct transactions of the pattern */
    uint32_t n_txn;
    const char *detector; /* of the strongest candidate */
    const char *typology;
    int is_typology;
    double strength;
    uint32_t n_detectors; /* further candidates merged in */
} pg_group;

typedef struct pg_groups {
    size_t n;
    size_t cap;
    pg_group *g;
} pg_groups;

int pg_groups_from_candidates(pg_groups *gs, const pg_candidates *cs, const pg_txn_columns *t,
                              const pg_vertex_accounts *va, uint32_t n_accounts);
void pg_groups_free(pg_groups *gs);

#endif
