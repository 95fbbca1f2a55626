/* Ownership of ring results: everything a pg_rings holds is freed here. */
#include "algo/rings/ring_free.h"
#include "core/alloc.h"

#include <string.h>
#include "paygraph/rings.h"

const char *pg_role_name(pg_role r)
{
    switch (r) {
    case PG_ROLE_PAYER:
        return "payer";
    case PG_ROLE_FACILITATOR:
        return "facilitator";
    case PG_ROLE_COLLECTOR:
        return "collector";
    case PG_ROLE_INTERMEDIARY:
        return "intermediary";
    default:
        return "member";
    }
}

void pg_ring__free_one(pg_ring *r)
{
    pg_free(r->members);
    pg_free(r->institutions);
    for (uint32_t i = 0; i < r->n_evidence; i++) {
        pg_free(r->evidence[i].txn);
    }
    pg_free(r->evidence);
    pg_free(r->indicators);
    for (uint32_t i = 0; i < r->n_explanation; i++) {
        pg_free(r->explanation[i]);
    }
    pg_free(r->explanation);
    memset(r, 0, sizeof(*r));
}

void pg_rings_free(pg_rings *r)
{
    if (!r) {
        return;
    }
    for (uint32_t i = 0; i < r->n; i++) {
        pg_ring__free_one(&r->rings[i]);
    }
    pg_free(r->rings);
    pg_free(r->account_score);
    pg_free(r->account_ring);
    pg_free(r->community);
    pg_free(r->ppr);
    pg_free(r->features.values);
    pg_free(r->previous.gone_id);
    pg_free(r);
}
