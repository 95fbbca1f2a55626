/*
 * paygraph — ring detection results (DESIGN.md §4, §5).
 *
 * A ring is a group of accounts that behaves like an offender payment ring
 * (payers paying facilitators, perhaps forwarding to collectors) or like a
 * laundering typology (fan-in, fan-out, cycle, ...), with a score, the roles
 * of its members, the indicators that drove the score (with values and peer
 * percentiles), and evidence paths made of actual transactions.
 *
 * Everything here is plain data owned by a pg_rings, freed by pg_rings_free.
 * Account ids, institution ids and transaction indices refer to the pool the
 * rings were detected on.
 */
#ifndef PAYGRAPH_RINGS_H
#define PAYGRAPH_RINGS_H

#include "paygraph/graph.h"
#include "paygraph/pool.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum pg_role {
    PG_ROLE_MEMBER = 0,      /* in the group, role not determined */
    PG_ROLE_PAYER = 1,       /* pays into the ring */
    PG_ROLE_FACILITATOR = 2, /* receives from several payers */
    PG_ROLE_COLLECTOR = 3,   /* receives what facilitators forward */
    PG_ROLE_INTERMEDIARY = 4 /* passes money on (mule, layering hop) */
} pg_role;

PG_API const char *pg_role_name(pg_role r);

/* One indicator behind a score: what it measures, its value, where it stands among peers. */
typedef struct pg_indicator {
    const char *name;  /* static string, e.g. "night_share" */
    const char *label; /* static human description, e.g. "share of payments at night" */
    double value;
    double percentile;   /* 0..100 among peers (same institution kind), or -1 when n/a */
    double contribution; /* share of the score it explains, 0..1 */
} pg_indicator;

typedef struct pg_ring_member {
    uint32_t account;
    pg_role role;
    double score; /* the account's own risk score, 0..1 */
} pg_ring_member;

/* An evidence path: consecutive transactions (indices into the pool). */
typedef struct pg_evidence {
    const char *kind; /* static: "payments", "money-flow", "cycle", "watchlist-path" */
    uint32_t n;
    uint32_t *txn;
} pg_evidence;

/*
 * Where a ring stood in an earlier scan (pg_rings_match_previous, store.h):
 * the earlier ring it continues that is most similar to it, else the most
 * similar earlier ring it shares member accounts with (accounts matched by
 * institution and account name). A ring continues an earlier one when they
 * share at least half of the smaller one's members: the same ring, grown,
 * shrunk or joined by others. Unset (all zero) unless that was called.
 */
typedef struct pg_ring_previous {
    uint32_t id;      /* earlier ring id, or PG_NONE: no member was in an earlier ring */
    uint32_t shared;  /* member accounts in both */
    uint32_t members; /* members of that earlier ring */
    int continues;    /* 2 * shared >= the smaller ring's members */
} pg_ring_previous;

typedef struct pg_ring {
    uint32_t id;          /* 1-based rank after sorting by score */
    double score;         /* 0..1 */
    const char *detector; /* static: which detector proposed it first */
    const char *typology; /* static: "offender-payments", "fan-in", "cycle", ... */
    uint32_t n_members;
    pg_ring_member *members;
    uint32_t n_institutions;
    uint32_t *institutions; /* institution ids, ascending */
    uint32_t n_evidence;
    pg_evidence *evidence;
    uint32_t n_indicators;
    pg_indicator *indicators;
    uint32_t n_explanation;
    char **explanation;   /* sentences for the analyst */
    uint32_t community;   /* community id of most members, or PG_NONE */
    int64_t total_amount; /* reporting-currency minor units moved inside the ring */
    uint32_t n_txns;      /* transactions inside the ring */
    int64_t first_ts, last_ts;
    pg_ring_previous previous; /* set by pg_rings_match_previous */
} pg_ring;

/* Per-account features: a dense matrix, one row per account. */
typedef struct pg_features {
    uint32_t n_accounts;
    uint32_t n_features;
    const char *const *names; /* static names, n_features entries */
    double *values;           /* n_accounts * n_features, row-major */
} pg_features;

#define PG_RINGS_MAX_STAGES 16

/* What the rings of this scan have to do with those of an earlier one. */
typedef struct pg_rings_previous {
    int matched;             /* 1 once pg_rings_match_previous ran */
    uint32_t rings;          /* rings of the earlier scan */
    uint32_t accounts;       /* accounts of the earlier scan */
    uint32_t accounts_found; /* of them, found in this pool by key */
    uint32_t continuing;     /* rings of this scan that continue an earlier ring */
    uint32_t gone;           /* earlier rings that no ring of this scan continues */
    uint32_t *gone_id;       /* their ids, ascending (gone entries; owned, pg_rings_free) */
    char sha256[65];         /* of the earlier scan's results.h5, hex ("" from arrays) */
} pg_rings_previous;

typedef struct pg_rings {
    uint32_t n;
    pg_ring *rings; /* ordered by score, descending */
    uint32_t n_accounts;
    double *account_score;  /* per account, 0..1 */
    uint32_t *account_ring; /* per account: id of its best ring, or PG_NONE */
    uint32_t *community;    /* per account: community (of its vertex), or PG_NONE */
    double *ppr;            /* per account: personalized PageRank from the watchlist, or NULL */
    pg_features features;
    double modularity; /* of the community partition used */
    uint32_t n_communities;
    /* Time and memory of each step of detection, in order ("indicators", ...). */
    pg_stage_stats stages[PG_RINGS_MAX_STAGES];
    size_t n_stages;
    pg_rings_previous previous; /* set by pg_rings_match_previous */
} pg_rings;

PG_API void pg_rings_free(pg_rings *r);

/* The built-in high-risk corridor list (ISO codes) used when none is given; *n gets its length. */
PG_API const char *const *pg_rings_default_high_risk(size_t *n);

/* Options of ring detection; pg_rings_options_init sets the documented defaults. */
typedef struct pg_rings_options {
    int threads;          /* <= 0: the CPUs available */
    uint64_t seed;        /* community detection seed */
    uint32_t top;         /* rings kept after ranking (0: all) */
    int use_watchlist;    /* propagate risk from the pool's watchlist (default 1) */
    int typologies;       /* also look for laundering typologies (default 1) */
    int dense_blocks;     /* also propose FRAUDAR dense blocks (default 0) */
    double low_value_max; /* "low value": at most this, reporting-currency major units */
    int night_start_hour; /* local night starts (default 22) */
    int night_end_hour;   /* and ends (default 6) */
    const char *const *high_risk_countries; /* NULL: built-in corridor list */
    size_t n_high_risk;
    uint32_t max_evidence; /* evidence paths per ring (default 5) */
    /*
     * The communities given for context (pg_rings.community, a ring's
     * community) start from these g->n labels in [0, g->n) instead of
     * singletons, e.g. last month's (pg_previous_scan_communities); NULL:
     * a cold start. Detection and ranking do not use these communities.
     */
    const uint32_t *initial_communities;
} pg_rings_options;

PG_API void pg_rings_options_init(pg_rings_options *o);

/*
 * Detect, score, rank and explain rings in pool p using graph views g (at
 * account or entity level). Works without a watchlist; uses it when the pool
 * has one and use_watchlist is set. Deterministic for a seed, whatever the
 * thread count. *out is owned by the caller (pg_rings_free).
 */
PG_API int pg_rings_detect(pg_rings **out, const pg_pool *p, const pg_graph *g,
                           const pg_rings_options *o);

#ifdef __cplusplus
}
#endif
#endif
