/*
 * Shared state of one ring-detection run: the pool's columns, the graph,
 * per-transaction indicators and suspicion, and the customer (entity-linked)
 * id of every account. Built once by pg_rings_detect and read by every
 * detector and by the ranking stage.
 */
#ifndef PG_ALGO_RINGS_RING_CTX_H
#define PG_ALGO_RINGS_RING_CTX_H

#include "core/country.h"
#include "paygraph/rings.h"

/* Per-transaction indicator bits (published indicators of offender payments). */
enum {
    PG_IND_LOW = 1 << 0,      /* low value */
    PG_IND_NIGHT = 1 << 1,    /* at night in the payer's local time */
    PG_IND_CORRIDOR = 1 << 2, /* to a high-risk corridor */
    PG_IND_REF = 1 << 3,      /* innocuous-reference lexicon hit */
    PG_IND_NOREF = 1 << 4,    /* empty reference */
    PG_IND_ROUND = 1 << 5,    /* round or whole amount */
    PG_IND_CROSS = 1 << 6,    /* payer and payee at different institutions */
    PG_IND_P2P = 1 << 7       /* payee is a person (or unknown), not a merchant or business */
};

typedef struct pg_ring_ctx {
    const pg_pool *p;
    const pg_graph *g;
    const pg_rings_options *o;
    int threads;
    pg_txn_columns t;
    pg_account_columns a;
    double unit; /* minor units per major unit of the reporting currency */
    pg_country_set high_risk;
    uint8_t *bits;    /* per transaction: PG_IND_* */
    float *susp;      /* per transaction: suspicion 0..1 */
    double susp_base; /* mean suspicion of the pool's person-to-person payments */
    uint32_t *cust;   /* per account: customer id (accounts linked by entity tokens) */
    uint32_t n_cust;
    uint32_t *cust_rep;      /* per customer: its smallest account id */
    const pg_tadj *acct_out; /* per account: outgoing transactions by time */
    const pg_tadj *acct_in;  /* per account: incoming transactions by time */
    pg_tadj own_out, own_in; /* built when the graph is not at account level */
    pg_tadj cust_out;        /* per customer: outgoing transactions by time */
    double ppr_scale;        /* PPR value counted as full watchlist proximity (0: none) */
    uint8_t *kind;           /* per account: its kind, inferred where the pool does not say */
    int16_t *utc_off;        /* per account: minutes east of UTC of its clock (infer.c) */
} pg_ring_ctx;

/* Feature columns (features.c); names in pg_ring_feature_names. */
enum {
    PG_F_OUT_COUNT,
    PG_F_IN_COUNT,
    PG_F_OUT_AMOUNT,
    PG_F_IN_AMOUNT,
    PG_F_PAYEES,
    PG_F_PAYERS,
    PG_F_LOW_SHARE,
    PG_F_NIGHT_SHARE,
    PG_F_CORRIDOR_SHARE,
    PG_F_REF_SHARE,
    PG_F_ROUND_SHARE,
    PG_F_CROSS_SHARE,
    PG_F_SUSPICION_OUT,
    PG_F_SUSPICIOUS_PAYERS,
    PG_F_SPLIT_PAYEES,
    PG_F_FORWARD_SHARE,
    PG_F_BURSTINESS,
    PG_F_WATCHLISTED,
    PG_F_PPR,
    PG_F_COUNT
};

extern const char *const pg_ring_feature_names[PG_F_COUNT];
extern const char *const pg_ring_feature_labels[PG_F_COUNT];

/* Suspicion at or above which a payment counts as suspicious in features and detectors. */
#define PG_SUSPICIOUS 0.5f

/* Per-transaction indicators and suspicion (indicators.c). */
/*
 * What the pool does not say about an account, inferred from its payments
 * (infer.c): c->kind (c->a.kind then points at it) and c->utc_off.
 */
int pg_ring__infer_accounts(pg_ring_ctx *c);

int pg_ring__indicators(pg_ring_ctx *c);

/* Per-account features and their names (features.c). */
int pg_ring__features(const pg_ring_ctx *c, pg_features *out);

#endif
